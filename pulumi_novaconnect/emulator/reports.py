"""report/sessions, report/day and report/call_sms over generated traffic.

Traffic is not stored: each (seed, SIM, day) draws its sessions from its own
`random.Random`, so answers are deterministic, cheap and need no state-file space.
History covers the last `HISTORY_DAYS` days up to *yesterday*: the vendor syncs with the
operators once a day ("a session on 25.06 appears after the sync on 26.06"), so today
never appears. Days are UTC days.
"""
from __future__ import annotations

import functools
import random
from datetime import date, datetime, timedelta, timezone

from .errors import NotFound
from .locking import locked
from .models import Sim

HISTORY_DAYS = 90
DAY = 86400
OPERATORS = [  # raw names, as the upstream operator stores them (vendor, report/sessions)
    ("KAZAKHSTAN", "Kcell JSC", 40102),
    ("KAZAKHSTAN", "KaR-Tel (Beeline KZ)", 40101),
    ("RUSSIAN FEDERATION", "MTS PJSC", 25001),
    ("GERMANY", "Telekom Deutschland GmbH", 26201),
    ("UZBEKISTAN", "Unitel LLC", 43404),
    ("KYRGYZSTAN", "Alfa Telecom (MegaCom)", 43705),
]
EUR_PER_MB = 0.012
EVENT_COST = {"call": 0.06, "in_sms": 0.0, "out_sms": 0.03, "ussd": 0.0}


def day_start(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp())


def _sid(day: date, sim_id: int, k: int) -> int:
    return day.toordinal() * 10**8 + sim_id * 10 + k


@functools.lru_cache(maxsize=200_000)
def _sessions(seed: int, sim_id: int, profile: str, ordinal: int) -> tuple[tuple, ...]:
    """(sid, start, end, operator index, bytes, cost) for one SIM-day."""
    rng = random.Random(f"{seed}:{sim_id}:{ordinal}:sessions")
    day = date.fromordinal(ordinal)
    if rng.random() < 0.35:
        return ()
    base, out = day_start(day), []
    for k in range(1, rng.randint(1, 3) + 1):
        start = base + rng.randint(0, DAY - 3700)
        end = start + rng.randint(30, 3600)
        volume = rng.randint(2_000, 40_000_000)
        cost = round(volume / 1048576 * EUR_PER_MB, 4) if profile == "TC" else 0.0
        out.append((_sid(day, sim_id, k), start, end, rng.randrange(len(OPERATORS)), volume, cost))
    return tuple(sorted(out, key=lambda row: row[1]))


@functools.lru_cache(maxsize=200_000)
def _events(seed: int, sim_id: int, ordinal: int) -> tuple[tuple, ...]:
    """(sid, date, type, to_number, cost) for one SIM-day of calls, SMS and USSD."""
    rng = random.Random(f"{seed}:{sim_id}:{ordinal}:call_sms")
    day = date.fromordinal(ordinal)
    out = []
    for k in range(5, 5 + rng.choice((0, 0, 0, 1, 2))):
        kind = rng.choice(tuple(EVENT_COST))
        to_number = "*100#" if kind == "ussd" else "7701" + f"{rng.randrange(10**7):07d}"
        out.append((_sid(day, sim_id, k), day_start(day) + rng.randint(0, DAY - 1), kind, to_number,
                    EVENT_COST[kind]))
    return tuple(sorted(out, key=lambda row: row[1]))


def _sim_fields(sim: Sim) -> dict:
    return {"id": sim.id, "original_number": sim.number, "iccid": sim.iccid, "name": sim.name}


def _rows(kind: str, seed: int, sim: Sim, day: date) -> list[tuple[int, dict]]:
    """(sort time, row) pairs; rows carry exactly the vendor's documented fields."""
    ordinal = day.toordinal()
    if kind == "call_sms":
        return [(ts, {"sid": sid, "date": ts, "type": typ, "to_number": to, "session_cost": cost,
                      **_sim_fields(sim)})
                for sid, ts, typ, to, cost in _events(seed, sim.id, ordinal)]
    sessions = _sessions(seed, sim.id, sim.profile, ordinal)
    if kind == "day":
        if not sessions:
            return []
        ts = day_start(day)
        # API.md decision 7: `value` is a bigint sent as a string.
        return [(ts, {"sid": _sid(day, sim.id, 0), "day": ts,
                      "session_cost": round(sum(s[5] for s in sessions), 4),
                      "value": str(sum(s[4] for s in sessions)), **_sim_fields(sim)})]
    rows = []
    for sid, start, end, op, volume, cost in sessions:
        country, operator, code = OPERATORS[op]
        rows.append((start, {"sid": sid, "start": start, "end": end, "country_name": country,
                             "operator_name": operator, "operator_code": code, "session_cost": cost,
                             "value": str(volume), **_sim_fields(sim)}))
    return rows


@locked
def report(backend, kind: str, *, start: date | None, end: date | None, select: list[str] | None,
           page: int, size: int) -> list[dict]:
    """One page of a report; `select` entries are already well-formed (all, s_N, g_N)."""
    sims = _select_sims(backend, select)
    today = datetime.fromtimestamp(backend.now(), tz=timezone.utc).date()
    first, last = today - timedelta(days=HISTORY_DAYS), today - timedelta(days=1)
    start = max(start or first, first)
    end = min(end or last, last)
    # A client walks a long report page by page: the whole report is built once and kept for
    # the next pages (until the state changes), so a 100,000-row walk is not 100 builds.
    key = (kind, start, end, tuple(s.id for s in sims), backend.state.seed, backend.version)
    cached = backend.report_cache
    if cached is not None and cached[0] == key:
        rows = cached[1]
    else:
        rows = []
        day = start
        while day <= end:
            for sim in sims:
                rows += [(ts, sim.id, row["sid"], row) for ts, row in _rows(kind, backend.state.seed, sim, day)]
            day += timedelta(days=1)
        rows.sort(key=lambda r: r[:3])
        backend.report_cache = (key, rows)
    return [r[3] for r in rows[page * size:(page + 1) * size]]


def _select_sims(backend, select: list[str] | None) -> list[Sim]:
    if not select or "all" in select:
        return sorted(backend.state.sims.values(), key=lambda s: s.id)
    sim_ids: set[int] = set()
    missing_sims, missing_groups = [], []
    for entry in select:
        kind, number = entry[0], int(entry[2:])
        if kind == "s":
            (sim_ids.add if number in backend.state.sims else missing_sims.append)(number)
        elif number in backend.state.groups:
            sim_ids |= {s.id for s in backend.state.sims.values() if number in s.group_ids}
        else:
            missing_groups.append(number)
    if missing_sims:
        raise NotFound("unknown_sims", field="select", ids=", ".join(map(str, missing_sims)))
    if missing_groups:
        raise NotFound("unknown_groups", field="select", ids=", ".join(map(str, missing_groups)))
    return [backend.state.sims[i] for i in sorted(sim_ids)]
