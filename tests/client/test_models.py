"""Parsing of the platform's objects, including the oddities the vendor documents."""
from __future__ import annotations

import base64
from decimal import Decimal

import pytest

from pulumi_novaconnect.client.models import (
    BLOCK_NONE,
    BLOCK_USER,
    Bill,
    CallSmsRow,
    Company,
    DayRow,
    Notification,
    Page,
    QueueTicket,
    QueueWebhook,
    SessionRow,
    Sim,
    SimTariff,
    User,
    parse_webhook,
)

SIM = {
    "id": 7, "iccid": "8970100000000000007", "number": "77010000007", "external_number": "77010000107",
    "name": None, "balance": 1.5, "currency": "EUR", "msu_value": None, "profile": "TC", "block": "n",
    "comment": None, "groups": [{"id": 3, "name": "meters"}],
    "limit": {"type": "month1", "value": 100, "used": 12.75, "updated": 1719300000, "created": 1719200000},
    "tariff": {"id": 2, "name": "TC_Base", "change_lock": None, "package_auto": False},
}


def test_sim_parses_the_documented_shape():
    sim = Sim.model_validate(SIM)
    assert sim.limit.used == 12.75  # float per the vendor's table, not the example's int
    assert sim.groups[0].name == "meters" and sim.group_ids == {3}
    assert sim.block == BLOCK_NONE and not sim.is_blocked
    assert sim.queue_status is None


def test_sim_keeps_unknown_fields():
    sim = Sim.model_validate({**SIM, "imei": "35000000000000"})
    assert sim.model_extra == {"imei": "35000000000000"}


def test_sim_without_groups_as_in_webhooks_parses():
    sim = Sim.model_validate({k: v for k, v in SIM.items() if k != "groups"} | {"queue_status": "done"})
    assert sim.groups == [] and sim.queue_status == "done"


def test_sim_without_limit_or_tariff_parses():
    sim = Sim.model_validate({**SIM, "limit": None, "tariff": None, "block": BLOCK_USER})
    assert sim.limit is None and sim.tariff is None and sim.is_blocked


@pytest.mark.parametrize(
    ("raw", "locked"),
    [(None, False), (False, False), (True, True), (4102444800, True), (946684800, False)],
)
def test_tariff_change_lock_accepts_int_bool_or_null(raw, locked):
    # Decision 6: int|null in the vendor's example, bool in its table.
    tariff = SimTariff.model_validate({"id": 1, "name": "TD_Mega", "change_lock": raw, "package_auto": True})
    assert tariff.change_lock == raw and type(tariff.change_lock) is type(raw)
    assert tariff.is_change_locked(now=1_700_000_000) is locked


def test_report_value_bigint_string_becomes_int():
    # Decision 7: bigint sent as a string; beyond 2**63 too.
    row = SessionRow.model_validate({
        "sid": 1, "start": 1, "end": 2, "country_name": "KZ", "operator_name": "Op", "operator_code": 40101,
        "session_cost": None, "value": "98765432109876543210", "id": 7, "original_number": "7701",
        "iccid": "897", "name": None,
    })
    assert row.value == 98765432109876543210
    day = DayRow.model_validate({"sid": 1, "day": 1, "session_cost": 0.1, "value": 42, "id": 7,
                                 "original_number": "7701", "iccid": "897", "name": "x"})
    assert day.value == 42


def test_report_value_that_is_not_a_number_is_rejected():
    with pytest.raises(ValueError):
        DayRow.model_validate({"sid": 1, "day": 1, "value": "lots", "id": 7, "iccid": "897"})


def test_call_sms_row_parses():
    row = CallSmsRow.model_validate({"sid": 5, "date": 3, "type": "out_sms", "to_number": "+7701",
                                     "session_cost": 0.02, "id": 7, "original_number": "7701",
                                     "iccid": "897", "name": None})
    assert row.type == "out_sms"


def test_company_has_overdraft_from_the_vendor_table():
    company = Company.model_validate({"id": 1, "name": "ACME", "unique_id": "123", "contract": "C-1",
                                      "country": "KZ", "billing_type": 0, "assigned": 0, "overdraft": "100 €",
                                      "balance": "-5 €", "preliminary_balance": "-7 €"})
    assert (company.overdraft, company.balance, company.preliminary_balance) == (Decimal(100), Decimal(-5), Decimal(-7))
    assert company.currency == "EUR"


@pytest.mark.parametrize("written, amount, currency", [
    ("-79 976.25 ₸", "-79976.25", "KZT"),
    ("-79\u00a0976,25 ₸", "-79976.25", "KZT"),
    ("1 234,50 руб.", "1234.50", "RUB"),
    ("€1,234.56", "1234.56", "EUR"),
    ("0.00 ₸", "0.00", "KZT"),
    ("12", "12", None),
])
def test_company_amounts_written_with_a_currency_sign_are_decimals(written, amount, currency):
    company = Company.model_validate({"id": 1, "name": "ACME", "balance": written})
    assert company.balance == Decimal(amount) and isinstance(company.balance, Decimal)
    assert company.currency == currency


def test_a_company_amount_that_is_not_one_number_is_refused_naming_it():
    with pytest.raises(ValueError, match="expected an amount.*'about 5 or 6 €'"):
        Company.model_validate({"id": 1, "name": "ACME", "balance": "about 5 or 6 €"})


def test_wire_floats_are_read_as_the_decimals_they_print_as():
    sim = Sim.model_validate({**SIM, "balance": 0.1})
    row = DayRow.model_validate({"sid": 1, "day": 1, "session_cost": 0.1, "value": 42, "id": 7,
                                 "original_number": "7701", "iccid": "897", "name": None})
    assert sim.balance == Decimal("0.1") and row.session_cost == Decimal("0.1")
    assert sim.model_dump(mode="json")["balance"] == "0.1"  # JSON keeps the exact amount, as text


def test_user_role_is_an_opaque_string():
    user = User.model_validate({"id": 1, "first_name": "A", "last_name": "B", "phone": "1",
                                "email": "a@b.kz", "active": True, "role": "billing_viewer"})
    assert user.role == "billing_viewer"


def test_page_keeps_unused_list_fields():
    page = Page[Bill].model_validate({"count": 1, "all_count": 3, "allow_operations": {"pay": False}, "items": [
        {"period": "2024-06", "added": 1, "id": 9, "paided": None, "cost": 10.0, "valute_course": 1.0,
         "country": "DE", "valute_cost": 10.0, "bid": "B-9", "currency": "EUR"}]})
    assert page.items[0].id == 9 and page.model_extra["allow_operations"] == {"pay": False}


def test_queue_ticket_keeps_queue_id_as_text():
    assert QueueTicket.model_validate({"queue_id": 12345}).queue_id == "12345"


def test_queue_webhook_parses_sims_with_queue_status():
    body = {"qid": "q-1", "added": 1719300000, "queue": "block", "handler": "https://hook.example/x",
            "items": [{k: v for k, v in SIM.items() if k != "groups"} | {"queue_status": "done"}],
            "user": {"id": 1, "first_name": "A", "last_name": "B", "company_id": 4},
            "status": {"count": 1, "process": 1, "percentage": 100}}
    hook = parse_webhook(body)
    assert isinstance(hook, QueueWebhook)
    assert hook.items[0].queue_status == "done" and hook.status.percentage == 100 and hook.user.company_id == 4


def test_sim_notification_items_are_sims():
    hook = parse_webhook({"type": "msu_lock", "items": [SIM | {"block": "m"}]})
    assert isinstance(hook, Notification) and hook.sims[0].block == "m" and hook.bills == []


def test_bill_notification_items_are_bills_and_files_decode():
    pdf = b"%PDF-1.4 bill"
    raw = ('{"type": "unpaid_bill_6", "files": [{"type": "base64", "format": "application/pdf", '
           '"name": "b.pdf", "body": "%s"}], "items": [{"id": 9, "bid": "B-9", "period": "2024-06", '
           '"added": 1, "paided": null, "cost": 1.0, "valute_course": 1.0, "country": "DE", '
           '"valute_cost": 1.0, "currency": "EUR"}]}') % base64.b64encode(pdf).decode()
    hook = parse_webhook(raw)
    assert isinstance(hook, Notification)
    assert hook.bills[0].bid == "B-9" and hook.files[0].content() == pdf


def test_notification_of_an_undocumented_type_keeps_raw_items():
    hook = parse_webhook({"type": "something_new", "items": [{"x": 1}]})
    assert hook.items == [{"x": 1}]


def test_a_body_that_is_no_webhook_is_rejected():
    with pytest.raises(ValueError):
        parse_webhook({"hello": "world"})
