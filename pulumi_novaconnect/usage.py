"""Usage data sources: traffic per SIM and day, data sessions and bills, as typed values.

Like :mod:`.data_sources`, these run in the program's own process (the dynamic provider
host has no ``Invoke``) with the client built from the program's ``novaconnect:*``
configuration, and each has an ``_output`` twin taking Pulumi inputs. Each takes a
``connection`` too, to read another account, checked and resolved as
:mod:`.data_sources` check and resolve theirs.

Results are frozen dataclasses in the units a program computes with, not the wire's:
days are :class:`datetime.date` (the platform's report days are UTC days), traffic is a
whole number of bytes (the wire sends it as a string, a bigint), and money is
:class:`Money` (a :class:`~decimal.Decimal` with its currency: report costs are EUR, bills
carry EUR and the company's currency), so sums do not drift the way floats do.

The platform's reports lag one day: sessions are synchronised with the operators once a
day, so a session on 25.06 appears after the sync on 26.06 and *today* is never in a
report. A query's end is therefore clamped to yesterday (UTC), and "this month", the
default period, means the first day of the current month through yesterday; on the first
day of a month that period is empty and nothing is asked of the platform.

Arguments are checked before any call. A day is a :class:`datetime.date`, or a
:class:`datetime.datetime` read as its day (an aware one as its UTC day); text is refused
with the call that makes it a date, as the package takes no number as text either. A
period that cannot hold a report is an error rather than an empty result that looks like
an answer: a ``start`` after ``end``, a ``start`` in the future, an ``end`` before the
default ``start``. Only what the one-day lag explains stays empty: ``end`` is clamped to
yesterday, so a period starting today (or the default period on the 1st) holds nothing.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable, Optional, Sequence

import pulumi

from .client.models import Bill as BillModel
from .client.reports import SELECT_ALL, last_reported_day, select_group, select_sim, utc_today
from .data_sources import client_of, connection_of, iccid_of, not_blank, resolved, shown
from .errors import NotFoundOnPlatform, listed
from .provider.strict import require
from .resources.args import ConnectionArgs

MB = 1024 * 1024
REPORT_CURRENCY = "EUR"  # report costs are in euros (vendor, report/day: session_cost)


@dataclass(frozen=True)
class Money:
    """An amount and its ISO 4217 currency code."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"


def _money(value: Optional[Decimal], currency: Optional[str]) -> Optional[Money]:
    # The client reads the wire's float 0.1 as the decimal 0.1 (client/models/money.py).
    if value is None or not currency:
        return None
    return Money(Decimal(value), currency)


def _sum(amounts: Iterable[Optional[Money]]) -> Optional[Money]:
    known = [m for m in amounts if m is not None]
    if not known:
        return None
    return Money(sum((m.amount for m in known), Decimal(0)), known[0].currency)


def _utc_day(timestamp: int) -> dt.date:
    return dt.datetime.fromtimestamp(timestamp, tz=dt.timezone.utc).date()


def _utc_time(timestamp: Optional[int]) -> Optional[dt.datetime]:
    return None if timestamp is None else dt.datetime.fromtimestamp(timestamp, tz=dt.timezone.utc)


def this_month(today: Optional[dt.date] = None) -> tuple[dt.date, dt.date]:
    """(first day of the current UTC month, yesterday): the reported part of this month.

    On the first of a month the end is before the start: nothing of the month is reported yet.
    """
    today = today or utc_today()
    return today.replace(day=1), last_reported_day(today)


@dataclass(frozen=True)
class UsageDay:
    """One SIM's traffic on one day (``report/day``)."""

    iccid: str
    sim_id: int
    day: dt.date
    bytes: int
    cost: Optional[Money]
    """In EUR; the platform prices TC SIMs only."""


@dataclass(frozen=True)
class SimUsage:
    """One SIM's traffic over the period: its days, oldest first, and totals."""

    iccid: str
    sim_id: int
    name: Optional[str]
    days: tuple[UsageDay, ...]
    total_bytes: int
    total_cost: Optional[Money]

    @property
    def total_mb(self) -> float:
        """Total traffic in MB (1 MB = 1,048,576 bytes, as the platform's limits count)."""
        return self.total_bytes / MB


@dataclass(frozen=True)
class GetUsageResult:
    """Traffic per SIM and day from ``start`` through ``end`` (``end`` clamped to the last reported day)."""

    start: dt.date
    end: dt.date
    sims: tuple[SimUsage, ...]

    @property
    def by_iccid(self) -> dict[str, SimUsage]:
        return {sim.iccid: sim for sim in self.sims}

    @property
    def total_bytes(self) -> int:
        return sum(sim.total_bytes for sim in self.sims)


@dataclass(frozen=True)
class Session:
    """A data session (``report/sessions``)."""

    iccid: str
    sim_id: int
    session_id: int
    start: dt.datetime
    end: Optional[dt.datetime]
    country: Optional[str]
    operator: Optional[str]
    operator_code: Optional[int]
    """MCC+MNC."""
    bytes: int
    cost: Optional[Money]


@dataclass(frozen=True)
class GetSessionsResult:
    """Data sessions from ``start`` through ``end``, in the platform's order (by start)."""

    start: dt.date
    end: dt.date
    sessions: tuple[Session, ...]

    @property
    def total_bytes(self) -> int:
        return sum(s.bytes for s in self.sessions)


@dataclass(frozen=True)
class Bill:
    """A bill of the company account (``bill/list``)."""

    id: int
    number: Optional[str]
    period: Optional[str]
    issued: Optional[dt.date]
    paid: Optional[dt.date]
    """None while unpaid."""
    cost: Optional[Money]
    """The amount in EUR."""
    local_cost: Optional[Money]
    """The amount in the company's currency (EUR, RUB or KZT)."""
    exchange_rate: Optional[Decimal]
    """EUR to the company's currency on the day of issue."""

    @property
    def is_paid(self) -> bool:
        return self.paid is not None

    @classmethod
    def from_model(cls, bill: BillModel) -> "Bill":
        return cls(
            id=bill.id,
            number=bill.bid,
            period=bill.period,
            issued=_utc_day(bill.added) if bill.added else None,
            paid=_utc_day(bill.paided) if bill.paided else None,  # 0 or null: not paid
            cost=_money(bill.cost, REPORT_CURRENCY),
            local_cost=_money(bill.valute_cost, bill.currency),
            exchange_rate=Decimal(str(bill.valute_course)) if bill.valute_course is not None else None,
        )


@dataclass(frozen=True)
class GetBillsResult:
    """Bills issued from ``start`` through ``end`` (either open), oldest first."""

    bills: tuple[Bill, ...]

    @property
    def unpaid(self) -> tuple[Bill, ...]:
        return tuple(b for b in self.bills if not b.is_paid)


def _day(function: str, argument: str, value: Any) -> Optional[dt.date]:
    """A day argument as a date (None: not given); anything but a date or datetime is refused."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        # A datetime is a date to Python but cannot be compared with one: read it as its day.
        return (value.astimezone(dt.timezone.utc) if value.tzinfo is not None else value).date()
    if isinstance(value, dt.date):
        return value
    rule = f"{function}: `{argument}` must be a datetime.date (or a datetime.datetime)"
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise TypeError(f"{rule}, not the text {shown(value)}: write datetime.date(year, month, day)") from None
        text = value.strip()  # an ISO date: short
        raise TypeError(f"{rule}, not the text {text!r}: write datetime.date({day.year}, {day.month}, {day.day}) "
                        f"or datetime.date.fromisoformat({text!r})")
    raise TypeError(f"{rule}, not {shown(value)} ({type(value).__name__})")


def _check_start(function: str, start: Optional[dt.date], end: Optional[dt.date], today: dt.date) -> None:
    """The rules every period shares: a start neither in the future nor after the end."""
    if start is not None and start > today:
        raise ValueError(f"{function}: `start` {start} is in the future (today is {today}, UTC): "
                         "give a day up to today")
    if start is not None and end is not None and start > end:
        raise ValueError(f"{function}: `start` {start} is after `end` {end}: give a start on or before the end")


def _period(function: str, start: Any, end: Any) -> tuple[dt.date, dt.date]:
    """(start, end) of a report, checked; the end clamped to the last reported day."""
    start, end = _day(function, "start", start), _day(function, "end", end)
    today = utc_today()
    _check_start(function, start, end, today)
    first, last = this_month(today)
    if start is None and end is not None and end < first:
        raise ValueError(f"{function}: `end` {end} is before `start`, which defaults to the first day of this "
                         f"month ({first}): give `start` as well")
    start = start if start is not None else first
    end = min(end, last) if end is not None else last
    return start, end


def _check_selection(function: str, iccids: Any, group: Any) -> Optional[list[str]]:
    """Before any call: ``iccids`` is a list of ICCIDs (a lone string would be read digit
    by digit), ``group`` a name, not both. Returns the ICCIDs, stripped, each once."""
    require(function, "group", group, str)
    not_blank(function, "group", group, "a group's exact name")
    if iccids is None:
        return None
    if isinstance(iccids, (str, bytes)) or not isinstance(iccids, (list, tuple, set, frozenset)):
        raise TypeError(f"{function}: `iccids` must be a list of ICCIDs (text), not {shown(iccids)}")
    for iccid in iccids:
        if not isinstance(iccid, str):
            raise TypeError(f"{function}: each of `iccids` must be an ICCID as text, not {shown(iccid)} "
                            f"({type(iccid).__name__}); put it in quotes")
    if group is not None:
        raise ValueError(f"{function}: give `iccids` or `group`, not both")
    return list(dict.fromkeys(iccid_of(function, "iccids", iccid) for iccid in iccids))


def _select(api: Any, iccids: Optional[Sequence[str]], group: Optional[str]) -> tuple[list[str], dict[str, Any]]:
    """The report's ``select`` entries, and the SIMs asked for by ICCID (to list them even idle)."""
    if group is not None:
        found = api.find_group(group)
        if found is None:
            raise NotFoundOnPlatform(f"no group named {shown(group)} on this NovaConnect account")
        return [select_group(found.id)], {}
    if iccids is None:
        return [SELECT_ALL], {}
    wanted = list(iccids)
    if not wanted:
        return [], {}
    # Reports select SIMs by platform id: one sim/list sweep maps every ICCID at once.
    sims = {sim.iccid: sim for sim in api.iter_sims() if sim.iccid in wanted}
    missing = [i for i in wanted if i not in sims]
    if missing:
        raise NotFoundOnPlatform(f"no SIM with ICCID {listed(missing)} on this NovaConnect account")
    return [select_sim(sims[i].id) for i in wanted], {i: sims[i] for i in wanted}


def get_usage(
    *,
    start: Optional[dt.date] = None,
    end: Optional[dt.date] = None,
    iccids: Optional[Sequence[str]] = None,
    group: Optional[str] = None,
    connection: Optional[ConnectionArgs] = None,
) -> GetUsageResult:
    """Traffic per SIM and per day, with per-SIM totals (``report/day``).

    ``start`` defaults to the first day of the current month (UTC) and ``end`` to yesterday,
    the last day the platform has synchronised; a later ``end`` is clamped to yesterday.
    Each is a ``datetime.date`` (a ``datetime`` counts as its day, UTC if it has a zone).
    ``iccids`` (listed SIMs, each in the result even without traffic) or ``group`` (an exact
    group name) narrow the report; neither means every SIM with traffic. ``connection``
    reads another account (the stack's when unset).
    """
    iccids = _check_selection("get_usage", iccids, group)
    start, end = _period("get_usage", start, end)
    api = client_of(connection_of("get_usage", connection))
    select, asked = _select(api, iccids, group)
    days: dict[str, list[UsageDay]] = {iccid: [] for iccid in asked}
    names: dict[str, Optional[str]] = {iccid: sim.name for iccid, sim in asked.items()}
    ids: dict[str, int] = {iccid: sim.id for iccid, sim in asked.items()}
    if select and start <= end:
        for row in api.iter_report_day(start=start, end=end, select=select):
            day = UsageDay(row.iccid, row.id, _utc_day(row.day), int(row.value),
                           _money(row.session_cost, REPORT_CURRENCY))
            days.setdefault(row.iccid, []).append(day)
            names.setdefault(row.iccid, row.name)
            ids.setdefault(row.iccid, row.id)
    sims = tuple(
        SimUsage(
            iccid=iccid,
            sim_id=ids[iccid],
            name=names.get(iccid),
            days=tuple(sorted(found, key=lambda d: d.day)),
            total_bytes=sum(d.bytes for d in found),
            total_cost=_sum(d.cost for d in found),
        )
        for iccid, found in days.items()
    )
    return GetUsageResult(start=start, end=end, sims=sims)


def get_sessions(
    *,
    start: Optional[dt.date] = None,
    end: Optional[dt.date] = None,
    iccids: Optional[Sequence[str]] = None,
    group: Optional[str] = None,
    connection: Optional[ConnectionArgs] = None,
) -> GetSessionsResult:
    """Data sessions (``report/sessions``), over the same period and selection as :func:`get_usage`
    (and of ``connection``'s account when given)."""
    iccids = _check_selection("get_sessions", iccids, group)
    start, end = _period("get_sessions", start, end)
    api = client_of(connection_of("get_sessions", connection))
    select, _ = _select(api, iccids, group)
    sessions: list[Session] = []
    if select and start <= end:
        for row in api.iter_report_sessions(start=start, end=end, select=select):
            sessions.append(Session(
                iccid=row.iccid, sim_id=row.id, session_id=row.sid, start=_utc_time(row.start),  # type: ignore[arg-type]
                end=_utc_time(row.end), country=row.country_name, operator=row.operator_name,
                operator_code=row.operator_code, bytes=int(row.value),
                cost=_money(row.session_cost, REPORT_CURRENCY),
            ))
    return GetSessionsResult(start=start, end=end, sessions=tuple(sessions))


def get_bills(
    *, start: Optional[dt.date] = None, end: Optional[dt.date] = None, unpaid: Optional[bool] = None,
    connection: Optional[ConnectionArgs] = None,
) -> GetBillsResult:
    """Bills issued from ``start`` through ``end`` (UTC days, each optional); ``unpaid=True``
    keeps the bills not paid yet, ``unpaid=False`` the paid ones. ``bill/list`` has no
    filters, so these apply here. ``connection`` reads another account (the stack's when unset)."""
    require("get_bills", "unpaid", unpaid, bool)
    start, end = _day("get_bills", "start", start), _day("get_bills", "end", end)
    _check_start("get_bills", start, end, utc_today())
    api = client_of(connection_of("get_bills", connection))
    bills = sorted((Bill.from_model(b) for b in api.iter_bills()), key=lambda b: (b.issued or dt.date.min, b.id))
    chosen = tuple(
        b for b in bills
        if (start is None or (b.issued is not None and b.issued >= start))
        and (end is None or (b.issued is not None and b.issued <= end))
        and (unpaid is None or b.is_paid is not unpaid)
    )
    return GetBillsResult(bills=chosen)


def get_usage_output(
    *,
    start: Optional[pulumi.Input[dt.date]] = None,
    end: Optional[pulumi.Input[dt.date]] = None,
    iccids: Optional[pulumi.Input[Sequence[pulumi.Input[str]]]] = None,
    group: Optional[pulumi.Input[str]] = None,
    connection: Optional[ConnectionArgs] = None,
) -> pulumi.Output[GetUsageResult]:
    """:func:`get_usage` taking Pulumi inputs and returning an Output."""
    args = {"start": start, "end": end, "iccids": iccids, "group": group}
    return resolved(get_usage, args, connection)


def get_sessions_output(
    *,
    start: Optional[pulumi.Input[dt.date]] = None,
    end: Optional[pulumi.Input[dt.date]] = None,
    iccids: Optional[pulumi.Input[Sequence[pulumi.Input[str]]]] = None,
    group: Optional[pulumi.Input[str]] = None,
    connection: Optional[ConnectionArgs] = None,
) -> pulumi.Output[GetSessionsResult]:
    """:func:`get_sessions` taking Pulumi inputs and returning an Output."""
    args = {"start": start, "end": end, "iccids": iccids, "group": group}
    return resolved(get_sessions, args, connection)


def get_bills_output(
    *,
    start: Optional[pulumi.Input[dt.date]] = None,
    end: Optional[pulumi.Input[dt.date]] = None,
    unpaid: Optional[pulumi.Input[bool]] = None,
    connection: Optional[ConnectionArgs] = None,
) -> pulumi.Output[GetBillsResult]:
    """:func:`get_bills` taking Pulumi inputs and returning an Output."""
    args = {"start": start, "end": end, "unpaid": unpaid}
    return resolved(get_bills, args, connection)
