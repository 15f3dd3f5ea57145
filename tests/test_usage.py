"""get_usage / get_sessions / get_bills run in the program's process against the emulator's
generated traffic; expectations are read from the API over raw HTTP, not through the client."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pulumi
import pytest
import requests

import pulumi_novaconnect as nc
from pulumi_novaconnect.errors import NotFoundOnPlatform
from pulumi_novaconnect.testing import USER_TOKEN
from pulumi_novaconnect.usage import this_month

TODAY = dt.datetime.now(dt.timezone.utc).date()
YESTERDAY = TODAY - dt.timedelta(days=1)
WEEK_AGO = TODAY - dt.timedelta(days=7)
SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "schema.json").read_text())


def raw(emulator, method: str, body: dict) -> dict:
    answer = requests.post(f"{emulator.url}/{method}", json=body, timeout=10,
                           headers={"Authorization": f"Bearer {USER_TOKEN}"}).json()
    assert answer["code"] == 200, answer
    return answer.get("result", answer)  # reports nest their items in `result`; lists do not


def raw_report(emulator, method: str, start: dt.date, end: dt.date, select: list[str]) -> list[dict]:
    rows, page = [], 0
    while True:
        items = raw(emulator, method, {"filter": {"start": start.strftime("%d-%m-%Y"), "end": end.strftime("%d-%m-%Y")},
                                       "select": select, "page": page, "size": 1000})["items"]
        rows += items
        if len(items) < 1000:
            return rows
        page += 1


def test_usage_totals_per_sim_are_the_sums_of_the_platforms_days_in_bytes_and_euros(program_config, emulator):
    rows = raw_report(emulator, "report/day", WEEK_AGO, YESTERDAY, ["all"])
    result = nc.get_usage(start=WEEK_AGO, end=YESTERDAY)
    assert (result.start, result.end) == (WEEK_AGO, YESTERDAY)
    expected: dict[str, int] = {}
    for row in rows:
        expected[row["iccid"]] = expected.get(row["iccid"], 0) + int(row["value"])
    assert {s.iccid: s.total_bytes for s in result.sims} == expected
    busiest = max(result.sims, key=lambda s: s.total_bytes)
    assert all(isinstance(d.day, dt.date) and WEEK_AGO <= d.day <= YESTERDAY for d in busiest.days)
    assert [d.day for d in busiest.days] == sorted(d.day for d in busiest.days)
    costs = [Decimal(str(r["session_cost"])) for r in rows if r["iccid"] == busiest.iccid]
    assert busiest.total_cost == nc.Money(sum(costs, Decimal(0)), "EUR")
    assert busiest.total_mb == pytest.approx(busiest.total_bytes / 1048576)


def test_usage_of_a_group_covers_exactly_its_sims(program_config, emulator, novaconnect_control):
    group = novaconnect_control.group("Meters")
    members = {s["iccid"] for s in novaconnect_control.sims() if "Meters" in novaconnect_control.group_names(s)}
    result = nc.get_usage(start=WEEK_AGO, group="Meters")
    rows = raw_report(emulator, "report/day", WEEK_AGO, YESTERDAY, [f"g_{group['id']}"])
    assert {s.iccid for s in result.sims} == {r["iccid"] for r in rows} and set(result.by_iccid) <= members


def test_usage_by_iccid_lists_each_sim_asked_for_even_without_traffic(program_config, emulator, novaconnect_control):
    sims = novaconnect_control.sims()[:6]
    result = nc.get_usage(start=YESTERDAY, iccids=[s["iccid"] for s in sims])
    assert [s.iccid for s in result.sims][: len(sims)] == [s["iccid"] for s in sims]
    rows = raw_report(emulator, "report/day", YESTERDAY, YESTERDAY, [f"s_{s['id']}" for s in sims])
    assert {s.iccid: s.total_bytes for s in result.sims} == {
        s["iccid"]: sum(int(r["value"]) for r in rows if r["iccid"] == s["iccid"]) for s in sims
    }


def test_today_is_never_asked_for_the_end_is_clamped_to_yesterday(program_config):
    result = nc.get_usage(start=YESTERDAY, end=TODAY + dt.timedelta(days=3))
    assert result.end == YESTERDAY
    assert all(d.day == YESTERDAY for s in result.sims for d in s.days)


def test_this_month_runs_from_the_first_through_yesterday_and_is_empty_on_the_first():
    assert this_month(dt.date(2026, 11, 30)) == (dt.date(2026, 11, 1), dt.date(2026, 11, 29))
    start, end = this_month(dt.date(2026, 12, 1))
    assert start == dt.date(2026, 12, 1) and end < start


def test_an_empty_period_asks_nothing_of_the_report(program_config, novaconnect_control):
    novaconnect_control.clear_requests()
    assert nc.get_usage(start=TODAY, end=TODAY).sims == ()
    assert novaconnect_control.count("report/day") == 0


def test_unknown_iccids_and_groups_are_named(program_config):
    with pytest.raises(NotFoundOnPlatform, match="8997000000000000000"):
        nc.get_usage(iccids=["8997000000000000000"])
    with pytest.raises(NotFoundOnPlatform, match="'Nowhere'"):
        nc.get_sessions(group="Nowhere")
    with pytest.raises(ValueError, match="not both"):
        nc.get_usage(iccids=[], group="Meters")


def test_sessions_are_typed_and_add_up_to_the_days(program_config, emulator, novaconnect_control):
    sim = novaconnect_control.sims()[0]
    sessions = nc.get_sessions(start=WEEK_AGO, iccids=[sim["iccid"]])
    usage = nc.get_usage(start=WEEK_AGO, iccids=[sim["iccid"]])
    assert sessions.total_bytes == usage.total_bytes
    rows = raw_report(emulator, "report/sessions", WEEK_AGO, YESTERDAY, [f"s_{sim['id']}"])
    assert [s.session_id for s in sessions.sessions] == [r["sid"] for r in rows]
    for session, row in zip(sessions.sessions, rows):
        assert session.start == dt.datetime.fromtimestamp(row["start"], tz=dt.timezone.utc)
        assert (session.operator, session.operator_code, session.bytes) == (row["operator_name"], row["operator_code"], int(row["value"]))


def test_bills_carry_euros_and_the_companys_currency_as_decimals(program_config, emulator):
    listed = raw(emulator, "bill/list", {"page": 0, "size": 100})["items"]
    bills = nc.get_bills().bills
    assert sorted(b.id for b in bills) == sorted(b["id"] for b in listed)
    for bill in bills:
        row = next(b for b in listed if b["id"] == bill.id)
        assert bill.cost == nc.Money(Decimal(str(row["cost"])), "EUR")
        assert bill.local_cost == nc.Money(Decimal(str(row["valute_cost"])), row["currency"])
        assert bill.issued == dt.datetime.fromtimestamp(row["added"], tz=dt.timezone.utc).date()
        assert bill.is_paid is bool(row["paided"])
    unpaid = nc.get_bills(unpaid=True).bills
    assert unpaid and {b.id for b in unpaid} == {b["id"] for b in listed if not b["paided"]}
    newest = max(bills, key=lambda b: b.issued)
    assert nc.get_bills(start=newest.issued).bills == (newest,)


def test_results_are_frozen():
    result = nc.GetUsageResult(start=TODAY, end=TODAY, sims=())
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.start = YESTERDAY  # type: ignore[misc]


def test_output_twins_resolve_inside_a_program_to_the_same_results(program_mocks, program_config):
    usage, bills = nc.get_usage(start=WEEK_AGO, group="Meters"), nc.get_bills(unpaid=True)

    @pulumi.runtime.test
    def program():
        twins = [
            nc.get_usage_output(start=WEEK_AGO, group=pulumi.Output.from_input("Meters")),
            nc.get_sessions_output(start=WEEK_AGO, group=pulumi.Output.from_input("Meters")),
            nc.get_bills_output(unpaid=pulumi.Output.from_input(True)),
        ]

        def verify(args):
            twin_usage, twin_sessions, twin_bills = args
            assert twin_usage == usage and twin_bills == bills
            assert twin_sessions.total_bytes == usage.total_bytes

        return pulumi.Output.all(*twins).apply(verify)

    program()


@pytest.mark.parametrize("token, fn, twin", [
    ("getUsage", nc.get_usage, nc.get_usage_output),
    ("getSessions", nc.get_sessions, nc.get_sessions_output),
    ("getBills", nc.get_bills, nc.get_bills_output),
])
def test_schema_describes_each_usage_function_and_its_twin_takes_the_same_arguments(token, fn, twin):
    import inspect

    spec = SCHEMA["functions"][f"novaconnect:index:{token}"]
    params = set(inspect.signature(fn).parameters)
    assert set(spec["inputs"]["properties"]) == params == set(inspect.signature(twin).parameters)
