"""Waiting until ``sim/list`` shows what a bulk convergence sent.

The platform has no way to ask about a queue task (API.md decision 2), so completion is
judged only by reading ``sim/list`` back; one loop waits for every SIM of the calls. Each
round first re-reads the page of a *probe*, a SIM of the last queued call: until it shows
its change, the queue has not reached the rest either, and a whole sweep would be wasted.

Calls run in the order they were queued, so once a SIM of a call shows that call's change,
every earlier call has run too. A SIM that then shows a *third* value in a field this run
changed (neither what this run found nor what it declares) was changed by someone else after
us: NovaConnect keeps no owner of a SIM, so this is where another stack managing the same SIM
becomes visible, and the SIM fails at once, saying so, rather than after the timeout.
"""
from __future__ import annotations

import time
from typing import Callable, Optional

from ..client.models import Sim
from ..errors import ChangedElsewhere, NotConverged, NotFoundOnPlatform, Unreachable
from ..provider import progress, registry
from .outcome import Failure, Outcome, Sent, held_reason
from .plan import Action, Plan, Rename, SetGroups
from .spec import SimSpec

PlanFor = Callable[[Sim, SimSpec], Plan]


class Wait:
    """Reading ``sim/list`` back until every SIM shows its spec (or only what the platform
    holds), can never reach it, was changed by someone else, or time runs out."""

    def __init__(self, specs: dict[str, SimSpec], plans: dict[str, Plan], queued: list[Sent], started: float,
                 outcome: Outcome, plan_for: PlanFor) -> None:
        self.plan_for = plan_for  # the engine's: group names resolved through the shared list
        self.pending, self.plans, self.queued, self.started, self.outcome = dict(specs), plans, queued, started, outcome
        self.sent_plans = dict(plans)  # as planned before the calls: what "the value this run found" means
        self.settings = registry.settings()
        self.snapshot = registry.sims()
        # The probe: a SIM of the last queued call (renames take effect at once).
        probes = [call.iccids[-1] for call in queued if not isinstance(call.action, Rename)]
        self.probe: Optional[str] = probes[-1] if probes else None
        # For each SIM and field, the position of its call: the queue runs calls in order.
        self.position = {(iccid, call.action.field): n for n, call in enumerate(queued) for iccid in call.iccids}

    def run(self) -> None:
        settings, snapshot, pending, plans, outcome = self.settings, self.snapshot, self.pending, self.plans, self.outcome
        deadline = self.started + settings.converge_timeout
        seen: Optional[float] = None
        probe_seen: Optional[float] = None
        reporter = progress.Reporter(len(pending), settings.converge_timeout, self.started)
        pause = registry.queue_latency.first_look(settings.poll_interval)
        while pending:
            time.sleep(max(0.0, min(pause, deadline - time.monotonic())))
            pause = settings.poll_interval
            out_of_time = time.monotonic() >= deadline
            probe = self.probe
            if probe in pending and not out_of_time:
                view = snapshot.get(("iccid", probe), newer_than=probe_seen)
                probe_seen = view.fresh_at(("iccid", probe))
                sim = view.get(("iccid", probe))
                if sim is not None and self.plan_for(sim, pending[probe]).actions and not self._third(probe, sim):
                    reporter.waiting(pending, plans)
                    continue  # the queue has not reached the last call yet
            keys = [("iccid", iccid) for iccid in pending]
            view = snapshot.get(*keys, newer_than=seen)
            seen = min(view.fresh_at(key) for key in keys)
            for iccid, spec in list(pending.items()):
                sim = view.get(("iccid", iccid))
                if sim is None:
                    outcome.failures[iccid] = Failure(
                        NotFoundOnPlatform, "disappeared from sim/list while its changes were queued"
                    )
                    del pending[iccid]
                    continue
                outcome.sims[iccid] = sim
                current = self.plan_for(sim, spec)
                plans[iccid] = current
                if current.refused:
                    outcome.failures[iccid] = Failure(
                        Unreachable, f"became unreachable while its changes were queued: {current.unreachable()}"
                    )
                    del pending[iccid]
                elif not current.actions:
                    if current.holds:
                        outcome.held[iccid] = held_reason(current)
                    else:
                        outcome.held.pop(iccid, None)
                        registry.queue_latency.record(view.fresh_at(("iccid", iccid)) - self.started)
                    del pending[iccid]
            self._fail_thechanged_elsewhere(view)
            if self.probe not in pending and pending:
                self.probe = next(iter(pending))
                probe_seen = seen
            if out_of_time or not pending:  # nothing left to report on
                break
            reporter.waiting(pending, plans)
        elapsed = time.monotonic() - self.started
        for iccid, spec in pending.items():
            third = self._third(iccid, outcome.sims[iccid])
            if third:
                outcome.failures[iccid] = Failure(ChangedElsewhere, changed_elsewhere(third, elapsed, timed_out=True))
            else:
                outcome.failures[iccid] = Failure(
                    NotConverged, timeout_message(spec, outcome.sims[iccid], plans[iccid], self.sent_plans[iccid],
                                                   elapsed), retry_helps=True
                )

    def _third(self, iccid: str, sim: Sim) -> list[tuple[Action, Action]]:
        """The pending changes of a SIM whose field shows neither the value this run found
        nor the declared one: (as sent, as now)."""
        sent = {type(a): a for a in self.sent_plans[iccid].actions}
        spec = self.pending.get(iccid)
        now = self.plan_for(sim, spec).actions if spec is not None else []
        return [(sent[type(a)], a) for a in now if type(a) in sent and a.live != sent[type(a)].live]

    def _reached(self) -> int:
        """The position of the last call the queue has evidently run: one of its SIMs shows it."""
        for n in range(len(self.queued) - 1, -1, -1):
            call = self.queued[n]
            if isinstance(call.action, Rename):
                continue
            for iccid in call.iccids:
                if iccid not in self.pending or call.action not in self.plans[iccid].actions:
                    return n
        return -1

    def _fail_thechanged_elsewhere(self, view) -> None:
        """SIMs that show a third value once the queue has run their call (renames take effect
        at once) were changed by someone else after us: say so now, not after the timeout."""
        reached = self._reached()
        for iccid in list(self.pending):
            sim = view.get(("iccid", iccid))
            third = [(sent, now) for sent, now in self._third(iccid, sim)
                     if isinstance(sent, Rename) or self.position.get((iccid, sent.field), len(self.queued)) <= reached]
            if third:
                elapsed = time.monotonic() - self.started
                self.outcome.failures[iccid] = Failure(ChangedElsewhere, changed_elsewhere(third, elapsed))
                del self.pending[iccid]


def changed_elsewhere(third: list[tuple[Action, Action]], elapsed: float, *, timed_out: bool = False) -> str:
    changes = "; ".join(f"{now.field} is now {now.live!r}, neither {sent.live!r} (as this run found it) "
                        f"nor {sent.desired!r} (as declared)" for sent, now in third)
    when = (f"after {elapsed:.0f} s (novaconnect:convergeTimeout)" if timed_out
            else "once NovaConnect's queue had run this run's call")
    return (
        f"was changed by something else since this run read it: {when}, {changes}. Another Pulumi "
        "stack (or a script, or a person in the web UI) is changing the same SIM; NovaConnect keeps no owner "
        "of a SIM, so this shows only when two changes cross. "
        f"{ChangedElsewhere.fix}."
    )


def timeout_message(spec: SimSpec, sim: Sim, current: Plan, sent: Plan, elapsed: float) -> str:
    hint = ""
    found = next((a for a in sent.actions if isinstance(a, SetGroups)), None)
    if found is not None and spec.groups is not None and any(isinstance(a, SetGroups) for a in current.actions):
        live = {g.name for g in sim.groups}
        # What an add-only sim/group leaves: the groups the SIM had, plus the declared ones.
        if live == set(found.live or ()) | set(spec.groups) and live != set(spec.groups):
            hint = (
                " The SIM is in every declared group and still in the ones it had: if the platform's sim/group "
                "only adds groups, removing a SIM from a group is impossible through the API."
            )
    return (
        f"did not show the declared state in sim/list after {elapsed:.0f} s (novaconnect:convergeTimeout); "
        f"still pending: {current.pending()}. NovaConnect cannot report on queue tasks: they may still be "
        f"running or may have failed.{hint} Run `pulumi up` again to finish once the queue has caught up, "
        "or raise novaconnect:convergeTimeout."
    )
