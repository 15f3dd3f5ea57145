"""Every data-source argument is checked before any call: a wrong type, a value outside
the rule or a period that cannot hold a report is an error naming the function, the
argument, the rule and the value given, and nothing reaches the platform. Dates come as
``datetime.date`` or ``datetime.datetime``; the checks run in the program's process against
the emulator."""
from __future__ import annotations

import datetime as dt

import pytest

import pulumi_novaconnect as nc

TODAY = dt.datetime.now(dt.timezone.utc).date()
YESTERDAY = TODAY - dt.timedelta(days=1)
WEEK_AGO = TODAY - dt.timedelta(days=7)
LAST_YEAR = TODAY.replace(day=1) - dt.timedelta(days=300)


def refused(call, error: type[Exception]) -> str:
    with pytest.raises(error) as raised:
        call()
    text = str(raised.value)
    assert "\n" not in text and len(text) < 300, text  # one bounded line
    return text


@pytest.mark.parametrize("call, words", [
    (lambda: nc.get_usage(end="2026-01-31"),
     ["get_usage: `end` must be a datetime.date", "not the text '2026-01-31'", "datetime.date(2026, 1, 31)"]),
    (lambda: nc.get_sessions(start="2026-01-05"),
     ["get_sessions: `start` must be a datetime.date", "datetime.date.fromisoformat('2026-01-05')"]),
    (lambda: nc.get_usage(start="last monday"),
     ["get_usage: `start` must be a datetime.date", "'last monday'", "datetime.date(year, month, day)"]),
    (lambda: nc.get_sessions(end=20260131), ["get_sessions: `end` must be a datetime.date", "20260131 (int)"]),
    (lambda: nc.get_usage(end="31.01.2026 " * 1000), ["get_usage: `end` must be a datetime.date", "'31.01.2026 31.01"]),
    (lambda: nc.get_bills(end="2026-02-01"), ["get_bills: `end` must be a datetime.date", "datetime.date(2026, 2, 1)"]),
])
def test_a_day_of_the_wrong_type_is_refused_saying_what_a_day_is(program_config, call, words):
    text = refused(call, TypeError)
    assert all(w in text for w in words), text
    assert program_config.requests() == []


@pytest.mark.parametrize("call, words", [
    (lambda: nc.get_usage(start=YESTERDAY, end=WEEK_AGO),
     ["get_usage: `start`", f"{YESTERDAY} is after `end` {WEEK_AGO}", "on or before the end"]),
    (lambda: nc.get_sessions(start=YESTERDAY, end=WEEK_AGO), ["get_sessions: `start`", "is after `end`"]),
    (lambda: nc.get_usage(start=TODAY + dt.timedelta(days=3)),
     ["get_usage: `start`", f"{TODAY + dt.timedelta(days=3)} is in the future", f"today is {TODAY}"]),
    (lambda: nc.get_sessions(start=TODAY + dt.timedelta(days=40), end=TODAY + dt.timedelta(days=45)),
     ["get_sessions: `start`", "is in the future"]),
    (lambda: nc.get_usage(end=LAST_YEAR),
     ["get_usage: `end`", f"{LAST_YEAR} is before `start`", "first day of this month", "give `start` as well"]),
    (lambda: nc.get_bills(start=YESTERDAY, end=WEEK_AGO), ["get_bills: `start`", "is after `end`"]),
    (lambda: nc.get_bills(start=TODAY + dt.timedelta(days=1)), ["get_bills: `start`", "is in the future"]),
])
def test_a_period_that_cannot_hold_a_report_is_an_error_not_an_empty_result(program_config, call, words):
    text = refused(call, ValueError)
    assert all(w in text for w in words), text
    assert program_config.requests() == []


@pytest.mark.parametrize("call, words", [
    (lambda: nc.get_users(role="superuser"), ["get_users: `role` must be 'admin' or 'user', not 'superuser'"]),
    (lambda: nc.get_users(role="Admin"), ["get_users: `role` must be 'admin' or 'user', not 'Admin'"]),
    (lambda: nc.get_users(role="admin," * 5000), ["get_users: `role` must be 'admin' or 'user', not 'admin,admin", "..."]),
    (lambda: nc.get_sims(profile="tc"), ["get_sims: `profile` must be 'TC' or 'TD', not 'tc'"]),
    (lambda: nc.get_sims(group="  "), ["get_sims: `group` must be a group's exact name", "'  '"]),
    (lambda: nc.get_sims(query="   "), ["get_sims: `query` must be text the platform's search looks for", "'   '"]),
    (lambda: nc.get_usage(group=""), ["get_usage: `group` must be a group's exact name"]),
    (lambda: nc.get_sim(iccid="8997-1031-18"), ["get_sim: `iccid` must be an ICCID (19 or 20 digits)", "'8997-1031-18'"]),
    (lambda: nc.get_sim(id=0), ["get_sim: `id` must be a platform id", "not 0"]),
    (lambda: nc.get_sim(iccid="89970000000000000001", id=1001), ["get_sim: give exactly one of `iccid` or `id`, not both"]),
    (lambda: nc.get_sessions(iccids=["89970000000000000001", "12345"]),
     ["get_sessions: `iccids` must be an ICCID (19 or 20 digits), not '12345'"]),
    (lambda: nc.get_usage(iccids=["89970000000000000001"], group="Meters"),
     ["get_usage: give `iccids` or `group`, not both"]),
])
def test_a_value_outside_the_rule_is_refused_naming_what_is_allowed(program_config, call, words):
    text = refused(call, ValueError)
    assert all(w in text for w in words), text
    assert program_config.requests() == []


def test_a_datetime_is_read_as_its_day(program_config):
    by_date = nc.get_usage(start=WEEK_AGO, end=YESTERDAY)
    noon = dt.datetime.combine(WEEK_AGO, dt.time(12, 0))
    # 23:30 on the last day in Almaty (UTC+5) is still that day in UTC: 18:30.
    almaty = dt.datetime.combine(YESTERDAY, dt.time(23, 30), tzinfo=dt.timezone(dt.timedelta(hours=5)))
    by_datetime = nc.get_usage(start=noon, end=almaty)
    assert (by_datetime.start, by_datetime.end) == (WEEK_AGO, YESTERDAY)
    assert by_datetime == by_date
    sessions = nc.get_sessions(start=noon, end=almaty)
    assert (sessions.start, sessions.end) == (WEEK_AGO, YESTERDAY)
    assert nc.get_bills(start=dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)).bills == nc.get_bills().bills


def test_a_period_starting_today_is_empty_because_of_the_days_lag_and_asks_nothing(program_config):
    assert nc.get_usage(start=TODAY).sims == ()
    assert program_config.requests() == []


def test_the_allowed_values_still_reach_the_platform(program_config):
    assert {u.role for u in nc.get_users(role="admin").users} == {"admin"}
    iccid = nc.get_sims(profile="TC").iccids[0]
    assert nc.get_sim(iccid=f" {iccid} ").iccid == iccid
    assert nc.get_usage(start=WEEK_AGO, iccids=[f"{iccid} "]).by_iccid.keys() == {iccid}


def test_a_group_that_is_not_on_the_account_is_named_not_answered_with_no_sims(program_config):
    from pulumi_novaconnect.errors import NotFoundOnPlatform

    text = refused(lambda: nc.get_sims(group="Meterz"), NotFoundOnPlatform)
    assert "get_sims: no group named 'Meterz' on this NovaConnect account" in text, text
    assert program_config.methods() == ["group/list"]  # looked the group up, read no SIM
    assert nc.get_sims(group="Meters").iccids  # the seeded account's group still answers
