"""report/sessions, report/day, report/call_sms: dates, select, paging, the one-day lag."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from .conftest import USER

FIELDS = {
    "report/sessions": {"sid", "start", "end", "country_name", "operator_name", "operator_code", "session_cost",
                        "value", "id", "original_number", "iccid", "name"},
    "report/day": {"sid", "day", "session_cost", "value", "id", "original_number", "iccid", "name"},
    "report/call_sms": {"sid", "date", "type", "to_number", "session_cost", "id", "original_number", "iccid",
                        "name"},
}
TIME_FIELD = {"report/sessions": "start", "report/day": "day", "report/call_sms": "date"}
REPORTS = sorted(FIELDS)


def _today():
    return datetime.now(timezone.utc).date()


def _ddmmyyyy(day):
    return day.strftime("%d-%m-%Y")


def _rows(api, method, **body):
    body.setdefault("size", 1000)
    return api.ok(method, body)["result"]["items"]


@pytest.mark.parametrize("method", REPORTS)
def test_report_rows_carry_exactly_the_documented_fields(api, method):
    rows = _rows(api, method)
    assert rows and all(set(row) == FIELDS[method] for row in rows)


@pytest.mark.parametrize("method", ["report/sessions", "report/day"])
def test_report_value_is_a_bigint_sent_as_a_string(api, method):
    for row in _rows(api, method):
        assert isinstance(row["value"], str) and int(row["value"]) >= 0


def test_call_sms_types_are_the_documented_ones(api):
    start = _ddmmyyyy(_today() - timedelta(days=30))
    assert {r["type"] for r in _rows(api, "report/call_sms", filter={"start": start})} <= {
        "call", "in_sms", "out_sms", "ussd"}


def test_sessions_carry_an_integer_mcc_mnc_operator_code(api):
    assert all(isinstance(r["operator_code"], int) and r["operator_code"] > 10000
               for r in _rows(api, "report/sessions"))


def test_td_sessions_cost_nothing(api):
    td = {s["id"] for s in api.sims() if s["profile"] == "TD"}
    rows = [r for r in _rows(api, "report/sessions") if r["id"] in td]
    assert rows and all(r["session_cost"] == 0 for r in rows)


@pytest.mark.parametrize("method", REPORTS)
def test_reports_have_nothing_from_today(api, method):
    today = _ddmmyyyy(_today())
    assert _rows(api, method, filter={"start": today, "end": today}) == []
    yesterday = _ddmmyyyy(_today() - timedelta(days=1))
    midnight = int(datetime.combine(_today(), datetime.min.time(), timezone.utc).timestamp())
    rows = _rows(api, method, filter={"start": yesterday})
    assert all(r[TIME_FIELD[method]] < midnight for r in rows)


def test_report_day_has_rows_about_90_days_back_and_none_older(api):
    old = _today() - timedelta(days=200)
    rows = _rows(api, "report/day", filter={"start": _ddmmyyyy(old), "end": _ddmmyyyy(_today() - timedelta(days=80))},
                 select=["s_1001", "s_1002", "s_1003"])
    earliest = datetime.fromtimestamp(min(r["day"] for r in rows), timezone.utc).date()
    assert _today() - timedelta(days=91) <= earliest <= _today() - timedelta(days=85)


@pytest.mark.parametrize("method", REPORTS)
def test_report_dates_filter_the_rows_inclusively(api, method):
    day = _today() - timedelta(days=10)
    start = int(datetime.combine(day, datetime.min.time(), timezone.utc).timestamp())
    rows = _rows(api, method, filter={"start": _ddmmyyyy(day), "end": _ddmmyyyy(day)})
    assert rows and all(start <= r[TIME_FIELD[method]] < start + 86400 for r in rows)


@pytest.mark.parametrize("value", ["2024-06-25", "25.06.2024", "1-6-2024", "31-02-2024", "25-06-24", 25062024])
def test_report_dates_must_be_dd_mm_yyyy(api, value):
    assert api.error("report/day", {"filter": {"start": value}}, status=422).startswith("filter.start")


def test_report_end_before_start_is_422(api):
    assert api.error("report/day", {"filter": {"start": "10-06-2024", "end": "09-06-2024"}},
                     status=422).startswith("filter.end")


def test_report_select_a_sim(api):
    rows = _rows(api, "report/day", select=["s_1004"])
    assert rows and {r["id"] for r in rows} == {1004}
    sim = api.sim(1004)
    assert all((r["iccid"], r["original_number"], r["name"]) == (sim["iccid"], sim["number"], sim["name"])
               for r in rows)


def test_report_select_a_group(api):
    members = {s["id"] for s in api.sims() if any(g["id"] == 201 for g in s["groups"])}
    rows = _rows(api, "report/day", select=["g_201"], filter={"start": _ddmmyyyy(_today() - timedelta(days=5))})
    assert rows and {r["id"] for r in rows} <= members


def test_report_select_all_or_nothing_covers_the_fleet(api):
    filt = {"start": _ddmmyyyy(_today() - timedelta(days=3))}
    assert _rows(api, "report/day", select=["all"], filter=filt) == _rows(api, "report/day", filter=filt)
    assert len({r["id"] for r in _rows(api, "report/day", filter=filt)}) > 20


@pytest.mark.parametrize("entry", ["sim_1001", "s_", "x_1", "S_1001", "s_10a", 1001, "ALL"])
def test_report_select_rejects_anything_but_all_s_id_and_g_id(api, entry):
    assert api.error("report/sessions", {"select": [entry]}, status=422).startswith("select[0]")


def test_report_select_must_be_an_array(api):
    assert api.error("report/day", {"select": "all"}, status=422).startswith("select")


def test_report_select_of_unknown_ids_is_404(api):
    assert "999999" in api.error("report/day", {"select": ["s_999999"]}, status=404)
    assert "999" in api.error("report/day", {"select": ["g_999"]}, status=404)


def test_report_pages_follow_each_other(api):
    everything = _rows(api, "report/sessions", filter={"start": _ddmmyyyy(_today() - timedelta(days=5))})
    page = api.ok("report/sessions", {"page": 1, "size": 7,
                                      "filter": {"start": _ddmmyyyy(_today() - timedelta(days=5))}})
    assert page["result"]["items"] == everything[7:14]


def test_report_default_page_is_20_rows(api):
    assert len(api.ok("report/sessions")["result"]["items"]) == 20


def test_reports_are_deterministic_for_a_seed(api, emulator):
    first = _rows(api, "report/sessions", select=["s_1001", "s_1002"])
    emulator.reset()
    assert _rows(api, "report/sessions", select=["s_1001", "s_1002"]) == first
    emulator.reset(seed=2)
    assert _rows(api, "report/sessions", select=["s_1001", "s_1002"]) != first


def test_reports_are_readable_with_the_user_token(api):
    assert api.ok("report/call_sms", token=USER)["code"] == 200
