"""The calls a set of SIM plans becomes, and sending them.

* Every queued ``sim/*`` method takes an ``items`` array of SIM ids, so the same change
  wanted by many SIMs is **one** call (chunked at ``novaconnect:maxBatch``): actions are
  grouped by their parameters and sent phase by phase in the plan's order (blocks first,
  unblocks last). ``sim/edit`` renames one SIM per call, on a small pool, and takes effect
  at once; so renames go out after every queued call, while the queue's delay runs,
  instead of holding the queued calls (and the wait) back by a round trip per ~8 SIMs.
* A SIM whose call failed gets no later call (an unblock must not resume a SIM whose new
  limit never went out); every other SIM's changes still go out. Failures are collected
  per SIM, so the caller can name each ICCID and why.
"""
from __future__ import annotations

import concurrent.futures
from typing import Callable, Optional

from ..client import NovaConnectClient
from ..client.errors import NovaConnectError
from ..client.models import Sim
from .failures import call_failed
from .outcome import Outcome, Sent
from .plan import ORDER, Action, Block, Plan, Rename, Repackage, SetGroups, SetLimit, SetTariff, Unblock
from .platform import Platform

__all__ = ["RENAME_WORKERS", "SENDERS", "send"]

# Renames are one call per SIM (sim/edit has no items array); a few at once is enough to
# hide the round trip without looking like a flood to the platform's rate limiter.
RENAME_WORKERS = 8

Sender = Callable[[NovaConnectClient, list[int], Action], object]

# How each kind of action goes out (the answer is not needed: sim/list is the only truth).
SENDERS: dict[type[Action], Sender] = {
    Block: lambda api, ids, a: api.sim_block(ids),
    Unblock: lambda api, ids, a: api.sim_unblock(ids),
    SetGroups: lambda api, ids, a: api.sim_group(ids, group_ids=a.group_ids, new_groups=a.new_names),
    SetLimit: lambda api, ids, a: api.sim_limit(ids, value_mb=a.value_mb, type=a.type),
    SetTariff: lambda api, ids, a: api.sim_tariff(
        ids, package_kb=a.package_kb, auto_package=a.auto_package, all_world=a.all_world
    ),
    Rename: lambda api, ids, a: api.sim_edit(ids[0], a.name),
    Repackage: lambda api, ids, a: api.sim_repackage(ids),
}


def send(platform: Platform, plans: dict[str, Plan], sims: dict[str, Sim], outcome: Outcome
         ) -> tuple[list[str], list[Sent]]:
    """Send every planned action, one call per (kind, parameters) and chunk; return the SIMs
    that got a call and the calls that went out, in the order sent (renames last).

    A failed call's SIMs end in ``outcome.failures``; every call is counted in ``outcome.calls``."""
    api, snapshot, batch = platform.client, platform.sims, platform.settings.max_batch
    done: dict[str, list[str]] = {iccid: [] for iccid in plans}
    queued: list[Sent] = []
    for kind in sorted(ORDER, key=lambda k: k is Rename):  # queued kinds in order, renames last
        wanted: dict[Action, list[str]] = {}
        for iccid, current in plans.items():
            if iccid in outcome.failures:
                continue
            for action in current.actions:
                if type(action) is kind:
                    wanted.setdefault(action, []).append(iccid)
        if not wanted:
            continue
        if kind is Rename:
            calls = [(action, [iccid]) for action, iccids in wanted.items() for iccid in iccids]
            workers = RENAME_WORKERS
        else:
            calls = [(action, iccids[i : i + batch]) for action, iccids in wanted.items() for i in range(0, len(iccids), batch)]
            workers = 1  # queue calls go out in order, so the platform queues them in order

        def one(call: tuple[Action, list[str]]) -> tuple[Action, list[str], Optional[Exception]]:
            action, iccids = call
            try:
                SENDERS[kind](api, [sims[i].id for i in iccids], action)
            except NovaConnectError as exc:
                return action, iccids, exc
            finally:
                snapshot.mark_dirty(*(key for i in iccids for key in (("iccid", i), ("id", sims[i].id))))
            return action, iccids, None

        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            for action, iccids, error in pool.map(one, calls):
                outcome.calls[kind.method] = outcome.calls.get(kind.method, 0) + 1
                for iccid in iccids:
                    if error is None:
                        done[iccid].append(kind.method)
                    else:
                        outcome.failures[iccid] = call_failed(kind.method, action.field, error, done[iccid])
                if error is None:
                    queued.append(Sent(action, tuple(iccids)))
        if kind is SetGroups and any(a.new_names for a in wanted):
            platform.groups.invalidate()  # the platform created groups by name
    return [iccid for iccid, methods in done.items() if methods], queued
