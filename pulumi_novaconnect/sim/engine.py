"""The one protocol of the SIM resources: from which SIMs a resource declares and what state,
to preview's answers, the calls of an up and what state records.

``SimConfig`` (one SIM), ``SimFleet`` (a map of SIMs) and ``GroupPolicy`` (the SIMs of a
group) differ only in how they say which SIMs and what settings; each builds a :class:`Sims`
once per engine call (each SIM's declaration parsed once, its live SIM from one sweep, its
plan made once and reused) and hands it to the steps below, which are the same for all:

* check: what the live SIMs make impossible (:meth:`Sims.missing`, :meth:`Sims.refused`) and,
  at preview, the holds and the calls to come (:func:`note_preview`);
* diff: whether the declared settings changed (:func:`settings_changed`), else whether the
  live SIMs drifted (:meth:`Sims.drift`);
* create and update: converge every SIM (and let go those that left) and report how it
  ended (:func:`apply`); delete: let every SIM go (:func:`let_go`);
* read: the live values in the shape of the declaration (:func:`live_like`,
  :func:`deviations`), which the Pulumi engine diffs against the program's inputs;
* at preview of a create or an update: what the change does to the SIMs (:func:`review`),
  held to the stack's guardrails and shown to the reviewer (:func:`present`); check also
  puts its summary in the resource's inputs (:func:`reviewed`) for a policy pack, which sees
  inputs but never a diff.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Sequence

from pulumi.runtime import rpc

from ..client.models import Sim
from ..errors import NotFoundOnPlatform, Unreachable
from ..provider import engine_log, registry
from ..provider.base import NovaConnectProvider
from .converge import converge, converge_many, find_sim, note_planned, release_spec, release_targets, settled
from .fields import SIM_FIELDS, FieldSet
from .guardrails import REVIEW_KEY, enforce, summary
from .impact import impact_lines
from .outcome import held_reason, held_reasons
from .plan import Plan, prior_for, prior_settings
from .platform import Platform
from .report import note_drift, note_holds, raise_failures, report_holds
from .review import Review, changes_of, release_change, write_json
from .spec import SimSpec


class SimProvider(NovaConnectProvider):
    """What the providers of the SIM resources share: their declarations are SimSpecs. The
    subclasses stay in ``pulumi_novaconnect.resources`` (their import path is in users' state)."""

    spec_model = SimSpec
    carried = (REVIEW_KEY,)


@dataclass
class Sims:
    """The SIMs one engine call is about: each declaration (parsed once), the live SIM of each
    that is on the account (from one sweep), and each plan, made on first use and kept."""

    specs: dict[str, SimSpec]
    live: dict[str, Sim]
    platform: Platform
    _plans: dict[str, Plan] = field(default_factory=dict)

    @classmethod
    def of(cls, specs: Mapping[str, SimSpec], platform: Optional[Platform] = None, *,
           live: Optional[Mapping[str, Sim]] = None, fresh: bool = False) -> "Sims":
        """``live`` when the caller already read them (a policy's members); else from the shared
        sweep, read afresh for these SIMs when ``fresh`` (one SIM, just written to maybe)."""
        platform = platform if platform is not None else registry.platform()
        if live is None:
            live = live_sims(specs, platform, fresh=fresh)
        return cls(dict(specs), dict(live), platform)

    @property
    def missing(self) -> list[str]:
        """The declared SIMs the account does not have, sorted."""
        return sorted(iccid for iccid in self.specs if iccid not in self.live)

    def plan(self, iccid: str) -> Plan:
        if iccid not in self._plans:
            self._plans[iccid] = self.platform.plan_for(self.live[iccid], self.specs[iccid])
        return self._plans[iccid]

    def plans(self) -> dict[str, Plan]:
        """The plan of every declared SIM on the account."""
        return {iccid: self.plan(iccid) for iccid in self.specs if iccid in self.live}

    def targets(self) -> list[tuple[Sim, SimSpec]]:
        return [(self.live[iccid], spec) for iccid, spec in self.specs.items() if iccid in self.live]

    def refused(self) -> dict[str, dict[str, str]]:
        """Per SIM (sorted), what the declaration asks that no call and no wait can reach."""
        return {iccid: refused for iccid, current in sorted(self.plans().items()) if (refused := current.refused)}

    def holds(self) -> dict[str, str]:
        """The SIMs the platform holds now, with what holds each."""
        return {iccid: held_reason(current) for iccid, current in self.plans().items() if current.holds}

    def drift(self) -> tuple[dict[str, Plan], set[str]]:
        """The SIMs a call would change (their plans), and the SIMs only the platform holds."""
        unsettled, held = {}, set()
        for iccid, current in self.plans().items():
            if not settled(current):
                unsettled[iccid] = current
            elif current.holds:
                held.add(iccid)
        return unsettled, held

    def managed(self) -> dict[str, list[str]]:
        """Each SIM's managed fields: what letting it go may have to put back."""
        return {iccid: list(spec.managed()) for iccid, spec in self.specs.items()}


def live_sims(iccids: Iterable[str], platform: Optional[Platform] = None, *, fresh: bool = False) -> dict[str, Sim]:
    """The live SIM of each ICCID the account has, from the shared sweep (read afresh for
    these SIMs when ``fresh``: one SIM, maybe just written to)."""
    platform = platform if platform is not None else registry.platform()
    iccids = list(iccids)
    view = platform.sims.get(*(("iccid", i) for i in iccids)) if fresh else platform.sims.get()
    return {iccid: sim for iccid in iccids if (sim := view.get(("iccid", iccid))) is not None}


def live_changed(sims: Sims, recorded_held: Iterable[str] = ()) -> tuple[bool, dict[str, Plan]]:
    """Whether the live SIMs give an update work to do although the declaration is as recorded:
    a SIM gone from the account, a SIM a call would change (returned with its plan), or a hold
    that the platform lifted or put on since the last update (an update with no call records it)."""
    if sims.missing:
        return True, {}
    drifted, held = sims.drift()
    return bool(drifted) or held != set(recorded_held), drifted


def settings_changed(recorded: Mapping[str, Any], desired: Mapping[str, Any], fields: FieldSet = SIM_FIELDS) -> bool:
    """Whether a resource's recorded settings (a previous input, or read's live values) and the
    declared ones differ in any field's meaning (group order, an unmanaged ``all_world`` aside)."""
    return not all(f.same(recorded.get(f.name), desired.get(f.name)) for f in fields)


def specs_changed(old: Mapping[str, SimSpec], new: Mapping[str, SimSpec]) -> bool:
    """Whether two declarations of many SIMs differ: another set of SIMs, or a setting of one."""
    return old.keys() != new.keys() or any(settings_changed(old[iccid].managed(), spec.managed())
                                           for iccid, spec in new.items())


def note_preview(owner: str, sims: Sims, *, created: bool) -> None:
    """At preview of a resource whose SIMs passed check: the SIMs the platform holds (up
    converges the rest), and, for a resource about to be created, the calls `pulumi up` will
    make (a read-only token is told it will need an administrator's); diff notes an update's."""
    note_holds(owner, sims.holds(), len(sims.specs))
    if created:
        note_planned(sims.specs, platform=sims.platform)


def note_update(owner: str, sims: Sims, drifted: Mapping[str, Plan], released: Mapping[str, SimSpec]) -> None:
    """At preview of an update: the SIMs that changed since this stack set them (a person, or
    another stack), and the calls `pulumi up` will make."""
    note_drift(owner, drifted, len(sims.specs))
    note_planned(sims.specs, released, platform=sims.platform)


def review(sims: Sims, owner: str, *, operation: str, recorded: Optional[Mapping[str, SimSpec]] = None,
           released: Sequence[tuple[Sim, SimSpec]] = (), on_delete: str = "retain", urn: Any = None) -> Review:
    """What the change does to each SIM, from the plans already made: a SIM whose declaration
    is as ``recorded`` (the last up's) changes only because the platform drifted."""
    changes = []
    for iccid, current in sims.plans().items():
        if not current.actions:
            continue
        spec = sims.specs[iccid]
        drift = (recorded is not None and iccid in recorded
                 and not settings_changed(recorded[iccid].managed(), spec.managed()))
        changes.extend(changes_of(current, spec.name or sims.live[iccid].name, drift=drift))
    ids = {iccid: sim.id for iccid, sim in sims.live.items()}
    for sim, release in released:
        changes.append(release_change(sim.iccid, sim.name, sims.platform.plan_for(sim, release), on_delete))
        ids[sim.iccid] = sim.id
    changed = {c.iccid for c in changes}
    return Review(owner, len(sims.specs), operation, changes, urn if isinstance(urn, str) else None,
                  sim_ids={iccid: ids[iccid] for iccid in changed if iccid in ids})


def reviewed(found: Review) -> dict[str, Any]:
    """The input that carries a review's summary (guardrails.summary) to a policy pack: the
    engine hands a pack the checked inputs of each resource (all but the internal ``__``
    ones), before it diffs it. The engine would print its JSON in every preview; as a secret
    it prints as one ``review: [secret]`` line, whatever the fleet's size.

    Check builds it from what it knows, the previous *inputs*: a fleet's SIMs let go with
    ``on_delete=restore`` and a policy's members that left are counted by diff's guardrails
    only, which see the previous outputs."""
    return {REVIEW_KEY: rpc.wrap_rpc_secret(json.dumps(summary(found), separators=(",", ":"), ensure_ascii=False))}


def present(found: Review, platform: Platform) -> Review:
    """Hold the change to the stack's guardrails (raising before any call), then show its
    digest, with its impact on working devices, as a diagnostic of the resource and write
    it where a CI job collects it."""
    enforce(found, platform.settings, registry.blast_radius)
    # Under --refresh the engine diffs a resource twice (its refresh step, then its update):
    # one digest, and one report sweep for its impact, is enough.
    # Keyed by the changes themselves (the text would write its lists' files only to compare),
    # as a set: the two diffs may make the same changes in another order.
    if not registry.first_time(f"review of {found.urn or found.owner}: {hash(frozenset(found.changes))}"):
        return found
    if platform.settings.impact_lines:
        found.impact = impact_lines(found, platform.client, found.sim_ids)
    engine_log.info(found.text(), found.urn)
    if platform.settings.review_dir:
        write_json(found, platform.settings.review_dir)
    return found


def apply(sims: Sims, owner: str, *, compares: str = "the fleet", prior: Optional[Mapping[str, Any]] = None,
          releases: Sequence[tuple[Sim, SimSpec]] = (), left: Optional[Mapping[str, str]] = None,
          released_total: int = 0) -> tuple[dict[str, Any], dict[str, str]]:
    """Converge every declared SIM on the account and let go ``releases`` (SIMs that left the
    resource; ``left`` those whose release leaves a held setting as it is), in one bulk run.

    Returns what ``on_delete="restore"`` needs of each SIM (kept from ``prior``, else read now)
    and the SIMs the platform held. A held SIM is a warning, not a failure (report.py says
    why); any failed SIM fails the step, after every other SIM's change went out."""
    kept = prior or {}
    restore = {spec.iccid: kept.get(spec.iccid) or prior_for(sim, spec) for sim, spec in sims.targets()}
    targets = [*sims.targets(), *releases]
    outcome = converge_many(targets, plans=sims.plans(), platform=sims.platform)
    held = held_reasons({iccid: blockers for iccid, blockers in outcome.held.items() if iccid in sims.specs})
    report_holds(held, len(sims.specs), owner)
    released_held = held_reasons({i: blockers for i, blockers in outcome.held.items() if i not in sims.specs})
    report_holds({**(left or {}), **released_held}, released_total,
                 owner, let_go=True)
    raise_failures(outcome, len(targets), compares)
    return restore, held


def releases(managed: Mapping[str, Sequence[str]], on_delete: str, prior: Optional[Mapping[str, Any]],
             left: Optional[dict[str, str]] = None, *, needed_only: bool = False,
             platform: Optional[Platform] = None) -> list[tuple[Sim, SimSpec]]:
    """What letting SIMs go asks of each (``managed``: ICCID to the fields its resource set),
    as targets for :func:`apply`; ``needed_only`` keeps those a call would change, for a
    resource that must tell whether SIMs leaving it give an update work."""
    targets = release_targets(managed, on_delete, prior, left, platform=platform)
    if not needed_only:
        return targets
    platform = platform if platform is not None else registry.platform()
    return [(sim, release) for sim, release in targets if not settled(platform.plan_for(sim, release))]


def adopt_one(spec: SimSpec) -> tuple[Sim, dict[str, Any]]:
    """Take one SIM to ``spec`` (refusing an unreachable state before any call); returns the
    SIM as it ends and its settings before (what ``on_delete="restore"`` puts back)."""
    sim = find_sim(spec.iccid)
    prior = prior_settings(sim)
    return converge(sim, spec), prior


def converge_one(spec: SimSpec) -> Sim:
    """Take one SIM to ``spec``; see :func:`adopt_one`."""
    return converge(find_sim(spec.iccid), spec)


def let_go_one(iccid: str, on_delete: str, prior: Optional[Mapping[str, Any]], managed: Sequence[str]) -> None:
    """Let one SIM go as ``on_delete`` says. Unlike a SIM leaving a fleet, a single SIM whose
    settings at adoption cannot be put back fails the delete: the program asked for them."""
    release = release_spec(iccid, on_delete, prior, managed)
    if release is None:
        return
    try:
        sim = find_sim(iccid)
    except NotFoundOnPlatform:
        return  # nothing left to block or restore
    current = registry.platform().plan_for(sim, release)
    if current.found and on_delete == "restore":
        reasons = "; ".join(blocker.text() for blocker in current.found.values())
        raise Unreachable(
            f"SIM {iccid}: on_delete=restore cannot put back the settings recorded at adoption: {reasons}. "
            "Set on_delete to 'retain' (and run `pulumi up`) to let the SIM go as it is"
        )
    converge(sim, release)


def let_go(managed: Mapping[str, Sequence[str]], on_delete: str, prior: Optional[Mapping[str, Any]], owner: str, *,
           compares: str = "the fleet", platform: Optional[Platform] = None) -> None:
    """Let every SIM of a deleted resource go as ``on_delete`` says; a setting the platform
    holds is left as it is, with a warning naming the SIM."""
    left: dict[str, str] = {}
    targets = release_targets(managed, on_delete, prior, left, platform=platform)
    outcome = converge_many(targets, platform=platform) if targets else None
    report_holds({**left, **(held_reasons(outcome.held) if outcome else {})}, len(managed), owner, let_go=True)
    if outcome is not None:
        raise_failures(outcome, len(targets), compares)


def live_like(sim: Sim, like: Mapping[str, Any], fields: FieldSet = SIM_FIELDS) -> dict[str, Any]:
    """The live values of the fields ``like`` declares, each in the shape of its declared value."""
    live = fields.live_values(sim)
    return {f.name: f.shaped(live.get(f.name), like[f.name]) for f in fields if like.get(f.name) is not None}


def deviations(sim: Sim, declared: Mapping[str, Any], fields: FieldSet = SIM_FIELDS) -> dict[str, Any]:
    """The live values of the declared fields the SIM does not have, in the declared shape."""
    live = fields.live_values(sim)
    return {f.name: f.shaped(live.get(f.name), declared[f.name]) for f in fields
            if declared.get(f.name) is not None and not f.same(live.get(f.name), declared[f.name])}
