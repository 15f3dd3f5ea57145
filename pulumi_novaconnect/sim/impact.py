"""What a change does to devices that are working, read from the platform's own reports.

A reviewer of "limit 800 MB => 500 MB" cannot tell whether the device uses 50 MB a month or
900; a reviewer of "block" cannot tell whether the SIM is in a working meter or in a drawer.
The platform can: ``report/day`` has each SIM's traffic per day and ``report/sessions`` its
data sessions. So a review (review.py) with limit cuts or blocks gets these lines:

- SIMs whose new monthly limit is below what they used in the last full calendar month:
  the limit will cut them off (one ``report/day`` sweep over those SIMs);
- SIMs to be blocked that had a data session on the newest day the reports hold, which is
  yesterday (UTC): the platform syncs sessions with the operators once a day, so nothing is
  said of today, which no report can know (one ``report/sessions`` sweep over those SIMs).

A report that fails costs the preview nothing but a line saying the impact is unknown:
the lines advise, they never decide. Tariff locks need no report: the plan already holds a
SIM under a lock and the preview names it (report.py).
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Callable, Iterable, Mapping, Optional

from ..client import NovaConnectClient
from ..client.errors import NovaConnectError
from ..client.reports import last_reported_day, select_sim, utc_today
from ..errors import listed
from .review import Kind, Review

MB = 1_048_576
_NEW_LIMIT = re.compile(r"^month1 (\d+(?:\.\d+)?) MB$")


def impact_lines(review: Review, client: NovaConnectClient, sim_ids: Mapping[str, int],
                 today: Optional[Callable[[], dt.date]] = None) -> list[str]:
    """The impact of ``review`` on working devices, as lines of its digest (none when it
    lowers no limit and blocks no SIM)."""
    day = (today or utc_today)()
    lines: list[str] = []
    limits = {c.iccid: float(m[1]) for c in review.changes
              if c.kind is Kind.LIMIT and (m := _NEW_LIMIT.match(c.after)) and c.iccid in sim_ids}
    if limits:
        lines.append(_cut_off(client, limits, sim_ids, day))
    blocked = sorted({c.iccid for c in review.changes if c.iccid in sim_ids and (
        (c.kind is Kind.BLOCK and c.after == "blocked") or (c.kind is Kind.RELEASE and "blocked" in c.after))})
    if blocked:
        lines.append(_active(client, blocked, sim_ids, day))
    return [line for line in lines if line]


def _select(iccids: Iterable[str], sim_ids: Mapping[str, int]) -> list[str]:
    # The changed SIMs only: a report of the whole account would read every SIM's traffic.
    return [select_sim(sim_ids[i]) for i in iccids]


def _cut_off(client: NovaConnectClient, limits: Mapping[str, float], sim_ids: Mapping[str, int], today: dt.date) -> str:
    last = today.replace(day=1) - dt.timedelta(days=1)
    first = last.replace(day=1)
    used: dict[str, int] = {}
    try:
        for row in client.iter_report_day(start=first, end=last, select=_select(limits, sim_ids)):
            if row.iccid in limits:
                used[row.iccid] = used.get(row.iccid, 0) + int(row.value)
    except NovaConnectError as exc:
        return f"  impact unknown: report/day failed ({exc}), so the preview cannot say which lowered limits cut devices off"
    over = sorted((i for i in limits if used.get(i, 0) / MB > limits[i]), key=lambda i: -used[i])
    if not over:
        return ""
    month = first.strftime("%B %Y")
    return (f"  impact: {len(over):,} SIM{'s' if len(over) != 1 else ''} used more in {month} than "
            f"{'its' if len(over) == 1 else 'their'} new monthly limit, so the limit will cut "
            f"{'it' if len(over) == 1 else 'them'} off: "
            + listed([f"{i} ({used[i] / MB:,.1f} MB, new limit {limits[i]:,.0f} MB)" for i in over],
                     topic="impact-limits"))


def _active(client: NovaConnectClient, blocked: list[str], sim_ids: Mapping[str, int], today: dt.date) -> str:
    yesterday = last_reported_day(today)
    wanted = set(blocked)
    try:
        active = sorted({row.iccid for row in client.iter_report_sessions(
            start=yesterday, end=yesterday, select=_select(blocked, sim_ids)) if row.iccid in wanted})
    except NovaConnectError as exc:
        return f"  impact unknown: report/sessions failed ({exc}), so the preview cannot say which SIMs to block are in use"
    if not active:
        return ""
    return (f"  impact: {len(active):,} of the SIMs to be blocked had data sessions on {yesterday.isoformat()}, "
            "the newest day the platform reports (sessions of today are not known yet): "
            + listed(active, topic="impact-active"))
