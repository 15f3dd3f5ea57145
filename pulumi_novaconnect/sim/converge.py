"""Taking SIMs to their declared state: the engine's entry points.

The engine reaches NovaConnect only through a :class:`~.platform.Platform` handed to it (the
client, the SIM and group snapshots, the settings, the clock); every function here takes one
as ``platform=``, and without it uses the provider process's own (``registry.platform()``).

A bulk convergence is four steps, each in a module of its own:

* planning: each SIM's plan against its live state (plan.py); a SIM whose declaration it can
  never meet fails before anything is sent for it;
* calling: the plans become as few calls as the platform allows, sent in order (calls.py);
* waiting: queue methods answer at once and take effect later, and the platform has no way
  to ask about a queue task (API.md decision 2), so completion is judged only by reading
  ``sim/list`` back, once for all SIMs (wait.py);
* failures: each SIM that did not get there is recorded with why (failures.py), and the
  resources tell the user (report.py).

Also:

* A SIM the platform *holds* (a block ``p``/``f``/``g``, a tariff lock: see plan.py) gets
  the rest of its changes and is reported as held, not failed: one held SIM must not stop a
  fleet, and the next run finishes it once the platform lets go.
* The platform keeps no owner of a SIM, so another stack managing the same SIM is visible
  only when the two changes cross; the wait says so at once (wait.py).
* No write goes out on a token whose role may only read (checked once, before the first).
"""
from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from ..client.models import Sim
from ..errors import Unreachable, listed
from ..provider import registry
from ..provider.checks import ensure_token_can_write, note_planned_changes
from . import calls, failures, release
from .outcome import Failure, Outcome, held_reason, worded
from .plan import Plan
from .platform import Platform
from .release import release_spec
from .spec import SimSpec
from .wait import Wait

__all__ = ["Failure", "Outcome", "Platform", "converge", "converge_many", "find_sim", "held_reason", "note_planned",
           "plan_for", "release_spec", "release_targets", "settled"]


def _platform(platform: Optional[Platform]) -> Platform:
    return platform if platform is not None else registry.platform()


def find_sim(iccid: str, *, platform: Optional[Platform] = None) -> Sim:
    """The live SIM with this ICCID; NotFoundOnPlatform when the account has none."""
    return _platform(platform).find_sim(iccid)


def plan_for(sim: Sim, spec: SimSpec, *, platform: Optional[Platform] = None) -> Plan:
    """The plan for one SIM, group names resolved through the shared group list."""
    return _platform(platform).plan_for(sim, spec)


def release_targets(
    managed: Mapping[str, Sequence[str]], on_delete: str, prior: Optional[Mapping[str, Any]],
    left: Optional[dict[str, str]] = None, *, platform: Optional[Platform] = None,
) -> list[tuple[Sim, SimSpec]]:
    """Letting many SIMs go: (live SIM, release spec) for each that ``on_delete`` asks
    something of; see :func:`.release.release_targets`."""
    return release.release_targets(_platform(platform), managed, on_delete, prior, left)


def settled(current: Plan) -> bool:
    """Nothing a call could change is left: converged, or held by the platform only."""
    return not current.actions and not current.refused


def note_planned(specs: Mapping[str, SimSpec], released: Optional[Mapping[str, SimSpec]] = None, *,
                 platform: Optional[Platform] = None) -> None:
    """At preview, when some SIM needs calls (or SIMs are let go with on_delete block or
    restore): a read-only token is told that `pulumi up` will need an administrator's."""
    platform = _platform(platform)
    view = platform.sims.get()
    changing = [iccid for iccid, spec in specs.items()
                if (sim := view.get(("iccid", iccid))) is not None and platform.plan_for(sim, spec).actions]
    released = released or {}
    if changing or released:
        what = (f"change {len(changing):,} SIM{'s' if len(changing) > 1 else ''} "
                f"({listed(sorted(changing), 3, whole=False)})") if changing else ""
        gone = f"let {len(released):,} SIM{'s' if len(released) > 1 else ''} go" if released else ""
        note_planned_changes(" and ".join(part for part in (what, gone) if part), owner=platform.owner)


def ensure_reachable(current: Plan) -> None:
    if current.blockers:
        raise Unreachable(
            f"SIM {current.iccid} cannot reach the declared state, so nothing was changed on it: {current.unreachable()}"
        )


def converge(sim: Sim, spec: SimSpec, *, platform: Optional[Platform] = None) -> Sim:
    """Take one SIM to ``spec``: refuse an unreachable state, call the API, wait for ``sim/list``."""
    platform = _platform(platform)
    current = platform.plan_for(sim, spec)
    ensure_reachable(current)
    if current.converged:
        return sim
    outcome = converge_many([(sim, spec)], plans={spec.iccid: current}, platform=platform)
    failure = outcome.failures.get(spec.iccid)
    if failure is not None:
        raise failure.kind(f"SIM {spec.iccid} {failure.message}")
    if spec.iccid in outcome.held:
        raise Unreachable(f"SIM {spec.iccid} became unreachable while its changes were queued: "
                          f"{worded(outcome.held[spec.iccid])}")
    return outcome.sims[spec.iccid]


def converge_many(targets: Sequence[tuple[Sim, SimSpec]], *, plans: Optional[dict[str, Plan]] = None,
                  platform: Optional[Platform] = None) -> Outcome:
    """Take every SIM to its spec with as few calls as the platform allows, then wait once.

    SIMs whose declaration they can never meet are failures before anything is sent for
    them; the others are planned, sent in bulk and waited for together. A SIM the platform
    holds gets its other changes and ends in ``outcome.held``.
    """
    platform = _platform(platform)
    plans = dict(plans or {})
    outcome = Outcome()
    specs: dict[str, SimSpec] = {}
    sims: dict[str, Sim] = {}
    for sim, spec in targets:
        current = plans.get(spec.iccid) or platform.plan_for(sim, spec)
        outcome.sims[spec.iccid] = sim
        if current.refused:
            outcome.failures[spec.iccid] = failures.refused(current)
            continue
        if current.holds:
            outcome.held[spec.iccid] = tuple(current.holding)
        if current.actions:
            plans[spec.iccid], specs[spec.iccid], sims[spec.iccid] = current, spec, sim
    if not specs:
        return outcome
    changing = sorted(specs)
    ensure_token_can_write(f"change {len(changing):,} SIM{'s' if len(changing) > 1 else ''} "
                           f"({listed(changing, 3, whole=False)})", owner=platform.owner)
    started = platform.clock.monotonic()
    sent, queued = calls.send(platform, {iccid: plans[iccid] for iccid in specs}, sims, outcome)
    waiting = {iccid: specs[iccid] for iccid in sent if iccid not in outcome.failures}
    if waiting:
        Wait(platform, waiting, {iccid: plans[iccid] for iccid in waiting}, queued, started, outcome).run()
    return outcome
