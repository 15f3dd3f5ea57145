"""Reports: ``report/sessions``, ``report/day``, ``report/call_sms``.

Reports lag: operators' sessions are synchronised once a day, so a session of 25.06
appears after the sync of 26.06. Answers carry ``result.items`` and no ``all_count``, so
walking them stops at a short page (see :func:`.pagination.iter_short_pages`).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable, Iterable, Iterator, Optional, TypeVar

from .core import ClientCore
from .models import CallSmsRow, DayRow, SessionRow
from .models._base import NovaModel
from .pagination import MAX_PAGE_SIZE, iter_short_pages

__all__ = ["ReportsAPI", "SELECT_ALL", "select_sim", "select_group", "DateLike", "utc_today", "last_reported_day"]

R = TypeVar("R", bound=NovaModel)

SELECT_ALL = "all"
DateLike = dt.date | str
_DATE_RE = re.compile(r"^\d{2}-\d{2}-\d{4}$")


def utc_today() -> dt.date:
    return dt.datetime.now(dt.timezone.utc).date()


def last_reported_day(today: Optional[dt.date] = None) -> dt.date:
    """The newest day a report can hold: yesterday (UTC), after the platform's daily sync."""
    return (today or utc_today()) - dt.timedelta(days=1)


def select_sim(sim_id: int) -> str:
    """The ``select`` entry for one SIM: ``s_<id>``."""
    return f"s_{int(sim_id)}"


def select_group(group_id: int) -> str:
    """The ``select`` entry for the SIMs of one group: ``g_<id>``."""
    return f"g_{int(group_id)}"


def _date(value: DateLike, name: str) -> str:
    # Report filters are the API's only non-Unix dates: DD-MM-YYYY strings.
    if isinstance(value, dt.date):  # datetime is a date too
        return value.strftime("%d-%m-%Y")
    if isinstance(value, str) and _DATE_RE.match(value):
        return value
    raise ValueError(f"{name} must be a datetime.date or a 'DD-MM-YYYY' string, not {value!r}")


def _report_body(
    start: DateLike | None,
    end: DateLike | None,
    select: str | Iterable[str] | None,
    page: int | None,
    size: int | None,
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    flt = {}
    if start is not None:
        flt["start"] = _date(start, "start")
    if end is not None:
        flt["end"] = _date(end, "end")
    if flt:
        body["filter"] = flt
    if select is not None:
        body["select"] = [select] if isinstance(select, str) else list(select)
    if page is not None:
        body["page"] = page
    if size is not None:
        body["size"] = size
    return body


class ReportsAPI(ClientCore):
    """Methods of the ``report/*`` area."""

    def _report(self, method: str, model: type[R], body: dict[str, Any]) -> list[R]:
        return self._call(method, body, parse=lambda answer: self._items(method, answer, model))

    def _walk(
        self, fetch: Callable[..., list[R]], start: DateLike | None, end: DateLike | None,
        select: str | Iterable[str] | None, page_size: int,
    ) -> Iterator[R]:
        chosen = None if select is None or isinstance(select, str) else list(select)  # iterate once
        return iter_short_pages(
            lambda page, size: fetch(start=start, end=end, select=chosen if chosen is not None else select,
                                     page=page, size=size),
            page_size=page_size,
        )

    def report_sessions(
        self, *, start: DateLike | None = None, end: DateLike | None = None,
        select: str | Iterable[str] | None = None, page: int | None = None, size: int | None = None,
    ) -> list[SessionRow]:
        """POST report/sessions — data sessions; ``select`` entries: SELECT_ALL, select_sim(), select_group()."""
        return self._report("report/sessions", SessionRow, _report_body(start, end, select, page, size))

    def report_day(
        self, *, start: DateLike | None = None, end: DateLike | None = None,
        select: str | Iterable[str] | None = None, page: int | None = None, size: int | None = None,
    ) -> list[DayRow]:
        """POST report/day — traffic per SIM and day."""
        return self._report("report/day", DayRow, _report_body(start, end, select, page, size))

    def report_call_sms(
        self, *, start: DateLike | None = None, end: DateLike | None = None,
        select: str | Iterable[str] | None = None, page: int | None = None, size: int | None = None,
    ) -> list[CallSmsRow]:
        """POST report/call_sms — calls, SMS and USSD requests."""
        return self._report("report/call_sms", CallSmsRow, _report_body(start, end, select, page, size))

    def iter_report_sessions(
        self, *, start: DateLike | None = None, end: DateLike | None = None,
        select: str | Iterable[str] | None = None, page_size: int = MAX_PAGE_SIZE,
    ) -> Iterator[SessionRow]:
        """POST report/sessions, page after page until a short page."""
        return self._walk(self.report_sessions, start, end, select, page_size)

    def iter_report_day(
        self, *, start: DateLike | None = None, end: DateLike | None = None,
        select: str | Iterable[str] | None = None, page_size: int = MAX_PAGE_SIZE,
    ) -> Iterator[DayRow]:
        """POST report/day, page after page until a short page."""
        return self._walk(self.report_day, start, end, select, page_size)

    def iter_report_call_sms(
        self, *, start: DateLike | None = None, end: DateLike | None = None,
        select: str | Iterable[str] | None = None, page_size: int = MAX_PAGE_SIZE,
    ) -> Iterator[CallSmsRow]:
        """POST report/call_sms, page after page until a short page."""
        return self._walk(self.report_call_sms, start, end, select, page_size)
