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

Time is the platform's clock: a test hands the engine a clock whose sleeps return at once,
and the wait runs out its timeout without taking it.
"""
from __future__ import annotations

from typing import Optional

from ..client.models import Sim
from ..provider import progress
from . import failures
from .outcome import Outcome, Sent
from .plan import Action, Plan, Rename
from .platform import Platform
from .spec import SimSpec


class Wait:
    """Reading ``sim/list`` back until every SIM shows its spec (or only what the platform
    holds), can never reach it, was changed by someone else, or time runs out."""

    def __init__(self, platform: Platform, specs: dict[str, SimSpec], plans: dict[str, Plan], queued: list[Sent],
                 started: float, outcome: Outcome) -> None:
        self.platform = platform
        self.pending, self.plans, self.queued, self.started, self.outcome = dict(specs), plans, queued, started, outcome
        self.sent_plans = dict(plans)  # as planned before the calls: what "the value this run found" means
        # The probe: a SIM of the last queued call (renames take effect at once).
        probes = [call.iccids[-1] for call in queued if not isinstance(call.action, Rename)]
        self.probe: Optional[str] = probes[-1] if probes else None
        # For each SIM and field, the position of its call: the queue runs calls in order.
        self.position = {(iccid, call.action.field): n for n, call in enumerate(queued) for iccid in call.iccids}

    def run(self) -> None:
        platform, pending, plans, outcome = self.platform, self.pending, self.plans, self.outcome
        settings, snapshot, clock = platform.settings, platform.sims, platform.clock
        deadline = self.started + settings.converge_timeout
        seen: Optional[float] = None
        probe_seen: Optional[float] = None
        reporter = progress.Reporter(len(pending), settings.converge_timeout, self.started, clock=clock.monotonic)
        pause = platform.queue_latency.first_look(settings.poll_interval)
        while pending:
            clock.sleep(max(0.0, min(pause, deadline - clock.monotonic())))
            pause = settings.poll_interval
            out_of_time = clock.monotonic() >= deadline
            probe = self.probe
            if probe in pending and not out_of_time:
                view = snapshot.get(("iccid", probe), newer_than=probe_seen)
                probe_seen = view.fresh_at(("iccid", probe))
                sim = view.get(("iccid", probe))
                if sim is not None and platform.plan_for(sim, pending[probe]).actions and not self._third(probe, sim):
                    reporter.waiting(pending, plans)
                    continue  # the queue has not reached the last call yet
            keys = [("iccid", iccid) for iccid in pending]
            view = snapshot.get(*keys, newer_than=seen)
            seen = min(view.fresh_at(key) for key in keys)
            for iccid, spec in list(pending.items()):
                sim = view.get(("iccid", iccid))
                if sim is None:
                    outcome.failures[iccid] = failures.disappeared()
                    del pending[iccid]
                    continue
                outcome.sims[iccid] = sim
                current = platform.plan_for(sim, spec)
                plans[iccid] = current
                if current.refused:
                    outcome.failures[iccid] = failures.became_unreachable(current)
                    del pending[iccid]
                elif not current.actions:
                    if current.holds:
                        outcome.held[iccid] = tuple(current.holding)
                    else:
                        outcome.held.pop(iccid, None)
                        platform.queue_latency.record(view.fresh_at(("iccid", iccid)) - self.started)
                    del pending[iccid]
            self._fail_the_changed_elsewhere(view)
            if self.probe not in pending and pending:
                self.probe = next(iter(pending))
                probe_seen = seen
            if out_of_time or not pending:  # nothing left to report on
                break
            reporter.waiting(pending, plans)
        elapsed = clock.monotonic() - self.started
        for iccid, spec in pending.items():
            sim = outcome.sims[iccid]
            third = self._third(iccid, sim)
            outcome.failures[iccid] = (failures.changed_elsewhere(third, elapsed, timed_out=True) if third
                                       else failures.timed_out(spec, sim, plans[iccid], self.sent_plans[iccid], elapsed))

    def _third(self, iccid: str, sim: Sim) -> list[tuple[Action, Action]]:
        """The pending changes of a SIM whose field shows neither the value this run found
        nor the declared one: (as sent, as now)."""
        sent = {type(a): a for a in self.sent_plans[iccid].actions}
        spec = self.pending.get(iccid)
        now = self.platform.plan_for(sim, spec).actions if spec is not None else []
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

    def _fail_the_changed_elsewhere(self, view) -> None:
        """SIMs that show a third value once the queue has run their call (renames take effect
        at once) were changed by someone else after us: say so now, not after the timeout."""
        reached = self._reached()
        for iccid in list(self.pending):
            sim = view.get(("iccid", iccid))
            third = [(sent, now) for sent, now in self._third(iccid, sim)
                     if isinstance(sent, Rename) or self.position.get((iccid, sent.field), len(self.queued)) <= reached]
            if third:
                elapsed = self.platform.clock.monotonic() - self.started
                self.outcome.failures[iccid] = failures.changed_elsewhere(third, elapsed)
                del self.pending[iccid]
