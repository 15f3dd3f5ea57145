"""report/sessions, report/day, report/call_sms."""
from __future__ import annotations

import datetime as dt

import pytest

from pulumi_novaconnect.client import SELECT_ALL, errors, select_group, select_sim
from pulumi_novaconnect.client.models import CALL_SMS_TYPES, CallSmsRow, DayRow, SessionRow

TODAY = dt.date.today()
MONTH_AGO = TODAY - dt.timedelta(days=30)
DAYS_AGO = TODAY - dt.timedelta(days=3)  # a few hundred rows at most

REPORTS = [("report_sessions", SessionRow), ("report_day", DayRow), ("report_call_sms", CallSmsRow)]


@pytest.mark.parametrize(("method", "row_type"), REPORTS)
def test_reports_answer_typed_rows_for_any_role(reader, method, row_type):
    rows = getattr(reader, method)(start=MONTH_AGO, end=TODAY, select=[SELECT_ALL])
    assert rows and all(isinstance(r, row_type) for r in rows)


def test_report_values_arrive_as_ints(admin):
    rows = admin.report_day(start=MONTH_AGO, end=TODAY)
    assert rows and all(isinstance(r.value, int) for r in rows)


def test_call_sms_types_are_the_documented_ones(admin):
    assert {r.type for r in admin.report_call_sms(start=MONTH_AGO, end=TODAY)} <= set(CALL_SMS_TYPES)


def test_report_dates_are_sent_as_dd_mm_yyyy(admin, control):
    admin.report_sessions(start=dt.date(2024, 6, 5), end="25-06-2024", select=SELECT_ALL)
    body = control.requests("report/sessions")[-1]["body"]
    assert body == {"filter": {"start": "05-06-2024", "end": "25-06-2024"}, "select": ["all"]}


def test_a_malformed_date_is_refused_before_sending(admin):
    with pytest.raises(ValueError):
        admin.report_day(start="2024-06-05")


def test_report_select_narrows_to_one_sim(admin):
    sim_id = admin.report_day(start=MONTH_AGO, end=TODAY)[0].id
    rows = admin.report_day(start=MONTH_AGO, end=TODAY, select=[select_sim(sim_id)])
    assert rows and {r.id for r in rows} == {sim_id}


def test_report_select_by_group_covers_only_its_sims(admin):
    group = admin.list_groups()[0]
    members = {s.id for s in admin.iter_sims() if group.id in s.group_ids}
    rows = admin.report_day(start=MONTH_AGO, end=TODAY, select=[select_group(group.id)])
    assert {r.id for r in rows} <= members


def test_report_refuses_an_unknown_select_entry(admin):
    with pytest.raises(errors.ValidationError) as err:
        admin.report_sessions(select=["x_1"])
    assert "select" in err.value.message


def test_report_refuses_an_end_before_the_start(admin):
    with pytest.raises(errors.ValidationError):
        admin.report_day(start=TODAY, end=MONTH_AGO)


@pytest.mark.parametrize(("method", "row_type"), REPORTS)
def test_iter_reports_walk_short_pages_to_the_same_rows(admin, control, method, row_type):
    everything = getattr(admin, method)(start=DAYS_AGO, end=TODAY, page=0, size=1000)
    assert 25 < len(everything) < 1000
    control.clear_requests()
    walked = list(getattr(admin, f"iter_{method}")(start=DAYS_AGO, end=TODAY, page_size=25))
    assert walked == everything
    assert len(control.requests()) == len(everything) // 25 + 1


def test_iter_report_crosses_the_1000_cap(admin, control):
    control.clear_requests()
    rows = list(admin.iter_report_sessions(start=MONTH_AGO, end=TODAY, page_size=5000))
    sizes = [r["body"]["size"] for r in control.requests("report/sessions")]
    assert len(rows) > 1000 and sizes[0] == 5000 and set(sizes[1:]) == {1000}
    assert len({r.sid for r in rows}) == len(rows)


def test_report_page_and_size_are_sent_when_given(admin, control):
    admin.report_call_sms(page=2, size=5)
    assert control.requests("report/call_sms")[-1]["body"] == {"page": 2, "size": 5}
