"""Carrying out SIM plans in bulk; waiting until ``sim/list`` shows the result is wait.py's.

Why it is shaped this way:

* Every queued ``sim/*`` method takes an ``items`` array of SIM ids, so the same change
  wanted by many SIMs is **one** call (chunked at ``novaconnect:maxBatch``): actions are
  grouped by their parameters and sent phase by phase in the plan's order (blocks first,
  unblocks last). ``sim/edit`` renames one SIM per call, on a small pool, and takes effect
  at once; so renames go out after every queued call, while the queue's delay runs,
  instead of holding the queued calls (and the wait) back by a round trip per ~8 SIMs.
* A SIM whose call failed gets no later call (an unblock must not resume a SIM whose new
  limit never went out); every other SIM's changes still go out. Failures are collected
  per SIM, so the caller can name each ICCID and why.
* Queue methods answer at once and take effect later; the platform has no way to ask
  about a queue task (API.md decision 2), so completion is judged only by reading
  ``sim/list`` back, once for all SIMs (wait.py).
* A SIM the platform *holds* (a block ``p``/``f``/``g``, a tariff lock: see plan.py) gets
  the rest of its changes and is reported as held, not failed: one held SIM must not stop a
  fleet, and the next run finishes it once the platform lets go.
* The platform keeps no owner of a SIM, so another stack managing the same SIM is visible
  only when the two changes cross; the wait says so at once (wait.py).
* No write goes out on a token whose role may only read (checked once, before the first).
"""
from __future__ import annotations

import concurrent.futures
import time
from typing import Any, Callable, Mapping, Optional, Sequence

from ..client import NovaConnectClient
from ..client.errors import NovaConnectError, RateLimitError
from ..client.retry import outcome_unknown
from ..client.models import Sim
from ..errors import NotFoundOnPlatform, OperationFailed, Unreachable, listed
from ..provider import registry
from ..provider.checks import ensure_token_can_write, note_planned_changes, without_iccid
from .outcome import Failure, Outcome, Sent, held_reason
from .plan import (ORDER, Action, Block, Plan, Rename, Repackage, SetGroups, SetLimit, SetTariff, Unblock, plan,
                   restore_spec)
from .spec import SimSpec
from .wait import Wait

__all__ = ["Failure", "Outcome", "converge", "converge_many", "find_sim", "held_reason", "note_planned", "plan_for",
           "release_spec", "release_targets", "settled"]

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


def group_id(name: str) -> Optional[int]:
    """The id of the group called ``name`` now, from the shared group list."""
    group = registry.lookup(registry.groups(), ("name", name))
    return group.id if group is not None else None


def find_sim(iccid: str) -> Sim:
    sim = registry.sim(iccid)
    if sim is None:
        raise NotFoundOnPlatform(f"SIM {iccid} is not on this NovaConnect account (sim/list does not list it)")
    return sim


def plan_for(sim: Sim, spec: SimSpec) -> Plan:
    """The plan for one SIM, group names resolved through the shared group list."""
    return plan(sim, spec, group_id=group_id)


def release_spec(iccid: str, on_delete: str, prior: Optional[Mapping[str, Any]], managed: Sequence[str]) -> Optional[SimSpec]:
    """What letting a SIM go asks of it: nothing (``retain``), a block, or its settings at adoption."""
    if on_delete == "block":
        return SimSpec(iccid=iccid, blocked=True)
    if on_delete == "restore":
        return restore_spec(iccid, dict(prior or {}), list(managed))
    return None


def release_targets(
    managed: Mapping[str, Sequence[str]], on_delete: str, prior: Optional[Mapping[str, Any]],
    left: Optional[dict[str, str]] = None,
) -> list[tuple[Sim, SimSpec]]:
    """Letting many SIMs go: (live SIM, release spec) for each that ``on_delete`` asks something
    of. ``managed`` maps each ICCID to the fields its resource managed; a SIM gone from the
    account needs nothing.

    A setting the platform will not let us put back (restoring ``blocked=False`` on a SIM
    blocked ``m`` since) is left as it is rather than failing every later run: letting go
    cannot wait for it. ``left``, when given, gets each such SIM with why."""
    if on_delete == "retain" or not managed:
        return []
    view = registry.sims().get(*(("iccid", iccid) for iccid in managed))  # fresh after our own writes
    targets = []
    for iccid, fields in managed.items():
        sim = view.get(("iccid", iccid))
        release = release_spec(iccid, on_delete, (prior or {}).get(iccid), list(fields))
        if sim is None or release is None:
            continue
        blockers = plan_for(sim, release).blockers
        if blockers:
            release = release.model_copy(update=dict.fromkeys(blockers))
            if left is not None:
                left[iccid] = "; ".join(f"{field}: {without_iccid(reason, iccid)}" for field, reason in blockers.items())
        targets.append((sim, release))
    return targets


def settled(current: Plan) -> bool:
    """Nothing a call could change is left: converged, or held by the platform only."""
    return not current.actions and not current.refused


def note_planned(specs: Mapping[str, SimSpec], released: Optional[Mapping[str, SimSpec]] = None) -> None:
    """At preview, when some SIM needs calls (or SIMs are let go with on_delete block or
    restore): a read-only token is told that `pulumi up` will need an administrator's."""
    view = registry.sims().get()
    changing = [iccid for iccid, spec in specs.items()
                if (sim := view.get(("iccid", iccid))) is not None and plan_for(sim, spec).actions]
    released = released or {}
    if changing or released:
        what = (f"change {len(changing):,} SIM{'s' if len(changing) > 1 else ''} "
                f"({listed(sorted(changing), 3, whole=False)})") if changing else ""
        gone = f"let {len(released):,} SIM{'s' if len(released) > 1 else ''} go" if released else ""
        note_planned_changes(" and ".join(part for part in (what, gone) if part))


def ensure_reachable(current: Plan) -> None:
    if current.blockers:
        raise Unreachable(
            f"SIM {current.iccid} cannot reach the declared state, so nothing was changed on it: {current.unreachable()}"
        )


def converge(sim: Sim, spec: SimSpec) -> Sim:
    """Take one SIM to ``spec``: refuse an unreachable state, call the API, wait for ``sim/list``."""
    current = plan_for(sim, spec)
    ensure_reachable(current)
    if current.converged:
        return sim
    outcome = converge_many([(sim, spec)], plans={spec.iccid: current})
    failure = outcome.failures.get(spec.iccid)
    if failure is not None:
        raise failure.kind(f"SIM {spec.iccid} {failure.message}")
    if spec.iccid in outcome.held:
        raise Unreachable(f"SIM {spec.iccid} became unreachable while its changes were queued: {outcome.held[spec.iccid]}")
    return outcome.sims[spec.iccid]


def converge_many(targets: Sequence[tuple[Sim, SimSpec]], *, plans: Optional[dict[str, Plan]] = None) -> Outcome:
    """Take every SIM to its spec with as few calls as the platform allows, then wait once.

    SIMs whose declaration they can never meet are failures before anything is sent for
    them; the others are planned, sent in bulk and waited for together. A SIM the platform
    holds gets its other changes and ends in ``outcome.held``.
    """
    plans = dict(plans or {})
    outcome = Outcome()
    specs: dict[str, SimSpec] = {}
    sims: dict[str, Sim] = {}
    for sim, spec in targets:
        current = plans.get(spec.iccid) or plan_for(sim, spec)
        outcome.sims[spec.iccid] = sim
        if current.refused:
            outcome.failures[spec.iccid] = Failure(
                Unreachable, f"cannot reach the declared state, so nothing was changed on it: {current.unreachable()}"
            )
            continue
        if current.holds:
            outcome.held[spec.iccid] = held_reason(current)
        if current.actions:
            plans[spec.iccid], specs[spec.iccid], sims[spec.iccid] = current, spec, sim
    if not specs:
        return outcome
    changing = sorted(specs)
    ensure_token_can_write(f"change {len(changing):,} SIM{'s' if len(changing) > 1 else ''} "
                           f"({listed(changing, 3, whole=False)})")
    started = time.monotonic()
    sent, queued = _send({iccid: plans[iccid] for iccid in specs}, sims, outcome)
    waiting = {iccid: specs[iccid] for iccid in sent if iccid not in outcome.failures}
    if waiting:
        Wait(waiting, {iccid: plans[iccid] for iccid in waiting}, queued, started, outcome, plan_for).run()
    return outcome


def _send(plans: dict[str, Plan], sims: dict[str, Sim], outcome: Outcome) -> tuple[list[str], list[Sent]]:
    """Send every planned action, one call per (kind, parameters) and chunk; return the SIMs
    that got a call and the calls that went out, in the order sent (renames last)."""
    api = registry.client()
    snapshot = registry.sims()
    batch = registry.settings().max_batch
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

        def send(call: tuple[Action, list[str]]) -> tuple[Action, list[str], Optional[Exception]]:
            action, iccids = call
            try:
                SENDERS[kind](api, [sims[i].id for i in iccids], action)
            except NovaConnectError as exc:
                return action, iccids, exc
            finally:
                snapshot.mark_dirty(*(key for i in iccids for key in (("iccid", i), ("id", sims[i].id))))
            return action, iccids, None

        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            for action, iccids, error in pool.map(send, calls):
                outcome.calls[kind.method] = outcome.calls.get(kind.method, 0) + 1
                for iccid in iccids:
                    if error is None:
                        done[iccid].append(kind.method)
                    else:
                        already = f"; already sent: {', '.join(done[iccid])}" if done[iccid] else ""
                        outcome.failures[iccid] = Failure(
                            OperationFailed,
                            f"was not changed as declared: {kind.method} for `{action.field}` failed: {error}{already}",
                            retry_helps=outcome_unknown(error) or isinstance(error, RateLimitError),
                        )
                if error is None:
                    queued.append(Sent(action, tuple(iccids)))
        if kind is SetGroups and any(a.new_names for a in wanted):
            registry.groups().invalidate()  # the platform created groups by name
    return [iccid for iccid, methods in done.items() if methods], queued


