"""Carrying out a SIM plan and waiting until ``sim/list`` shows the result.

Queue methods answer at once and take effect later; the platform has no way to ask about
a queue task (API.md decision 2), so completion is judged only by reading ``sim/list``
back until the SIM shows the declared state. Waiters share the process-wide snapshot, so
a thousand SIMs converging together cost one sweep per poll interval.
"""
from __future__ import annotations

import statistics
import threading
import time
from collections import deque
from typing import Optional

from . import runtime
from .client.errors import NovaConnectError
from .client.models import Sim
from .errors import NotConverged, NotFoundOnPlatform, OperationFailed, Unreachable
from .sim_plan import Action, Plan, plan
from .sim_spec import SimSpec


class QueueLatency:
    """How long the platform's queue has recently taken, learnt from our own waits.

    A sweep that starts before the queue has run is wasted (on a 10,000-SIM fleet it is ten
    requests), so the first look after a write waits for most of the typical latency.
    """

    def __init__(self, window: int = 32) -> None:
        self._lock = threading.Lock()
        self._seen: deque[float] = deque(maxlen=window)

    def record(self, seconds: float) -> None:
        with self._lock:
            self._seen.append(seconds)

    def first_look(self, poll_interval: float) -> float:
        with self._lock:
            typical = statistics.median(self._seen) if self._seen else 0.0
        return max(poll_interval, 0.9 * typical)


queue_latency = QueueLatency()


def find_sim(iccid: str) -> Sim:
    view = runtime.sims().get(("iccid", iccid))
    sim = view.get(("iccid", iccid))
    if sim is None:
        raise NotFoundOnPlatform(f"SIM {iccid} is not on this NovaConnect account (sim/list does not list it)")
    return sim


def ensure_reachable(current: Plan) -> None:
    if current.blockers:
        reasons = "; ".join(f"{field}: {reason}" for field, reason in current.blockers.items())
        raise Unreachable(f"SIM {current.iccid} cannot reach the declared state, so nothing was changed on it: {reasons}")


def converge(sim: Sim, spec: SimSpec) -> Sim:
    """Take ``sim`` to ``spec``: check it is reachable, call the API, wait for ``sim/list``."""
    current = plan(sim, spec)
    ensure_reachable(current)
    if current.converged:
        return sim
    started = time.monotonic()
    tickets = _execute(sim, current)
    return _wait(spec, current, tickets, started)


def _execute(sim: Sim, current: Plan) -> list[str]:
    api = runtime.client()
    snapshot = runtime.sims()
    done: list[str] = []
    tickets: list[str] = []
    for action in current.actions:
        try:
            ticket = _call(api, sim, action)
        except NovaConnectError as exc:
            already = f"; already queued: {', '.join(done)}" if done else ""
            raise OperationFailed(
                f"SIM {sim.iccid}: {action.method} for `{action.field}` failed: {exc}{already}. "
                "Run `pulumi up` again to finish"
            ) from exc
        finally:
            snapshot.mark_dirty(("iccid", sim.iccid), ("id", sim.id))
        done.append(action.method)
        if ticket:
            tickets.append(ticket)
    return tickets


def _call(api, sim: Sim, action: Action) -> Optional[str]:
    ids = [sim.id]
    p = action.params
    if action.method == "sim/edit":
        api.sim_edit(sim.id, p["name"])
        return None
    if action.method == "sim/block":
        return api.sim_block(ids).queue_id
    if action.method == "sim/unblock":
        return api.sim_unblock(ids).queue_id
    if action.method == "sim/limit":
        return api.sim_limit(ids, value_mb=p["value_mb"], type=p["type"]).queue_id
    if action.method == "sim/tariff":
        return api.sim_tariff(
            ids, package_kb=p["package_kb"], auto_package=p["auto_package"], all_world=p["all_world"]
        ).queue_id
    if action.method == "sim/group":
        # Existing groups go by id; names the platform does not know yet go in new_group,
        # which creates them (and reuses a name that appeared meanwhile).
        groups = runtime.groups()
        view = groups.get()
        ids_known = []
        new_names = []
        for name in p["names"]:
            group = view.get(("name", name))
            if group is None:
                new_names.append(name)
            else:
                ids_known.append(group.id)
        ticket = api.sim_group(ids, group_ids=ids_known, new_groups=new_names).queue_id
        if new_names:
            groups.invalidate()
        return ticket
    raise AssertionError(f"no call for {action.method}")


def _wait(spec: SimSpec, first: Plan, tickets: list[str], started: float) -> Sim:
    settings = runtime.settings()
    deadline = started + settings.converge_timeout
    seen: Optional[float] = None
    current = first
    sim: Optional[Sim] = None
    pause = queue_latency.first_look(settings.poll_interval)
    while True:
        time.sleep(max(0.0, min(pause, deadline - time.monotonic())))
        pause = settings.poll_interval
        view = runtime.sims().get(("iccid", spec.iccid), newer_than=seen)
        seen = view.fresh_at(("iccid", spec.iccid))
        sim = view.get(("iccid", spec.iccid))
        if sim is None:
            raise NotFoundOnPlatform(f"SIM {spec.iccid} disappeared from sim/list while its changes were queued")
        current = plan(sim, spec)
        if current.converged:
            queue_latency.record(seen - started)
            return sim
        if current.blockers:
            reasons = "; ".join(f"{field}: {reason}" for field, reason in current.blockers.items())
            raise Unreachable(f"SIM {spec.iccid} became unreachable while its changes were queued: {reasons}")
        if time.monotonic() >= deadline:
            break
    raise NotConverged(_timeout_message(spec, sim, current, tickets, settings.converge_timeout))


def _timeout_message(spec: SimSpec, sim: Sim, current: Plan, tickets: list[str], timeout: float) -> str:
    hint = ""
    if any(a.field == "groups" for a in current.actions) and spec.groups is not None:
        live = {g.name for g in sim.groups}
        if set(spec.groups) <= live:
            hint = (
                " The SIM is in every declared group but also in others: if the platform's sim/group only "
                "adds groups (API.md decision 4), removing a SIM from a group is impossible through the API."
            )
    queued = f" (queue tasks {', '.join(tickets)})" if tickets else ""
    return (
        f"SIM {spec.iccid} did not reach the declared state within {timeout:g}s{queued}; still pending: "
        f"{current.pending()}. NovaConnect cannot report on queue tasks (API.md decision 2): they may still "
        f"be running or may have failed.{hint} Run `pulumi up` again to finish the job."
    )
