"""``SimFleet``: the declared settings of many existing SIMs, converged in a few bulk calls.

A fleet-wide change (3,000 meters to a new limit) through one ``SimConfig`` per SIM waits in
the provider host's four lanes, one queue round trip per SIM. A fleet plans every SIM
against one ``sim/list`` snapshot, sends each distinct change as one call carrying all its
SIM ids, and waits once; the rules, plans and waiting are the SIM core's, as for
``SimConfig``.

State stays small: the declared inputs, and per SIM only what ``on_delete="restore"`` needs.
A SIM that cannot converge never stops the others: the error lists each ICCID and why, and
since diff compares against the live SIMs, the next ``pulumi up`` does only what is left. A
SIM the platform holds (a block ``p``/``f``/``g``, a tariff lock) is no error at all: the run
converges the rest, records the held SIMs (``held``) and warns; see sim/report.py.

Every shape a program can get wrong is a failure at preview naming the SIM and the field:
``sims`` that is not a map, an entry that is not an object or has a setting we do not know,
an entry whose ``iccid`` names another SIM than its key, one ICCID twice once spaces are
stripped, an unknown key in ``defaults``.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Union

import pulumi
from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult
from pydantic import ValidationError

from ..errors import FleetNotConverged, listed
from ..provider import engine_log, registry
from ..provider.base import OWNER_KEY, URN_KEY, as_plain, claim_failures, internal
from ..provider.checks import Problems, failures_from, is_unknown, shown_property
from ..provider.keyed import KEYED, decode, decoded, encode, encode_input, marked, without_nulls
from ..provider.strict import given
from ..sim.engine import (SimProvider, Sims, apply, deviations, let_go, live_changed, live_like, live_sims,
                          note_preview, note_update, present, releases, review, reviewed, specs_changed)
from ..sim.guardrails import REVIEW_KEY
from ..sim.review import Review
from ..sim.spec import MANAGED_FIELDS, ON_DELETE, SimSpec, merged
from .args import ConnectionArgs, SimSettingsArgs, connection_props, resource_props, takes_args, urn_of

INPUTS = ("sims", "defaults", "on_delete", "renew_expired_package")
# The maps keyed by ICCID that travel to the engine as lists (provider/keyed.py says why).
KEYED_PROPS = ("sims", "prior")
# The input that carries the entries. The engine never displays a property whose name starts
# with "__" (as for `__provider`), so a preview neither prints every SIM of a created fleet
# (1.2 million characters at 10,000 SIMs) nor every SIM of a changed one (`hide_diffs` hides
# an update's diff but not a create's inputs); the provider's digest says what changes
# instead (sim/review.py). The output keeps the name `sims`, for programs. State written
# before, with an input `sims`, is read the same way.
ENTRIES = "__sims"
# An output set by a refresh that found SIMs changed on the platform: how many.
DRIFTED = "drifted_sims"
SETTINGS = ", ".join(MANAGED_FIELDS)
# Any valid ICCID: the defaults are checked once, on their own.
_PLACEHOLDER = "0" * 19


def _entries(props: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Each SIM's own settings by stripped ICCID (check has refused every other shape)."""
    return {iccid.strip(): {k: v for k, v in (entry or {}).items() if k in MANAGED_FIELDS}
            for iccid, entry in (props.get("sims") or {}).items()}


def _spec(iccid: str, entry: Mapping[str, Any], props: Mapping[str, Any]) -> SimSpec:
    return SimSpec.model_validate(
        {"iccid": iccid, **merged(props.get("defaults"), entry), "on_delete": props.get("on_delete") or "retain",
         "renew_expired_package": bool(props.get("renew_expired_package"))}
    )


def _specs(props: Mapping[str, Any]) -> dict[str, SimSpec]:
    return {iccid: _spec(iccid, entry, props) for iccid, entry in _entries(props).items()}


def _owner(props: Mapping[str, Any]) -> str:
    owner = props.get(OWNER_KEY)
    return owner if isinstance(owner, str) else "SimFleet"


def _not_a_map(sims: Any) -> str:
    hint = ""
    if isinstance(sims, (list, tuple)):
        hint = ("; a list of entries that each carry an `iccid` becomes one with "
                "sims={entry[\"iccid\"]: entry for entry in entries}")
    return (f"sims must be a map of ICCID to that SIM's settings, like {{\"8997...\": {{\"name\": \"pump-1\"}}}}, "
            f"got {given(sims)}{hint}")


def _defaults_failures(news: Mapping[str, Any]) -> list[CheckFailure]:
    """The defaults on their own: one failure each, however many SIMs they are merged into."""
    defaults = news.get("defaults")
    if defaults is None or is_unknown(defaults):
        return []
    if not isinstance(defaults, Mapping):
        return [CheckFailure("defaults", f"defaults must be an object of {SETTINGS}, got {given(defaults)}")]
    unknown = sorted(str(key) for key in defaults if key not in MANAGED_FIELDS)
    if unknown:
        return [CheckFailure("defaults", f"defaults.{key}: not a setting a fleet's defaults take ({SETTINGS}); "
                                         "remove it or correct its name") for key in unknown]
    try:
        SimSpec.model_validate({"iccid": _PLACEHOLDER, **{k: v for k, v in defaults.items() if v is not None}})
    except ValidationError as exc:
        return [CheckFailure("defaults", f"defaults.{f.reason}") for f in failures_from(exc)]
    return []


def _entry_problems(news: Mapping[str, Any], problems: Problems) -> dict[str, SimSpec]:
    """Every entry's shape and settings (merged over the defaults); the specs of the good ones."""
    sims = news["sims"]
    seen: dict[str, list[str]] = {}
    for key in sims:
        seen.setdefault(key.strip(), []).append(key)
    for iccid, keys in seen.items():
        if len(keys) > 1:
            problems.add(iccid, "", f"this ICCID is declared {len(keys)} times once spaces are stripped "
                                    f"(keys {', '.join(map(repr, keys))}); declare each SIM once")
    known: dict[str, SimSpec] = {}
    for key, entry in sorted(sims.items()):  # the wire does not keep a map's order: sort, for stable messages
        iccid = key.strip()
        if is_unknown(entry) or len(seen[iccid]) > 1:
            continue
        if entry is not None and not isinstance(entry, Mapping):
            problems.add(iccid, "", f"a SIM's settings must be an object of {SETTINGS}, got {given(entry)}")
            continue
        entry = entry or {}
        bad = False
        for field in sorted(str(k) for k in entry if k not in MANAGED_FIELDS and k != "iccid"):
            problems.add(iccid, field, f"not a setting of a SIM ({SETTINGS}); remove it or correct its name")
            bad = True
        named = entry.get("iccid")
        if named is not None and not is_unknown(named) and not (isinstance(named, str) and named.strip() == iccid):
            problems.add(iccid, "iccid", f"names SIM {named!r}, not the SIM of its key: the key says which SIM an "
                                         "entry is for, so an `iccid` inside it, if any, must be the same ICCID")
            bad = True
        if bad:
            continue
        try:
            known[iccid] = _spec(iccid, {k: v for k, v in entry.items() if k in MANAGED_FIELDS}, news)
        except ValidationError as exc:
            problems.add_validation(iccid, exc)
    return known


def _outputs(props: Mapping[str, Any], prior: Mapping[str, Any], count: int,
             held: Optional[Mapping[str, str]] = None, *, keyed: bool = False) -> dict[str, Any]:
    """What state records; as keyed lists when the program sent them so (state written by an
    earlier release, with plain maps, keeps its form until its program is run again)."""
    sims = dict(props.get("sims") or {})
    kept = dict(prior) if (props.get("on_delete") == "restore") else None
    return {
        "sims": encode(sims) if keyed else sims,
        "defaults": props.get("defaults"),
        "on_delete": props.get("on_delete") or "retain",
        "renew_expired_package": bool(props.get("renew_expired_package")),
        "prior": encode(kept) if keyed and kept is not None else kept,
        "sim_count": count,
        "held": dict(held or {}),
        **({KEYED: list(KEYED_PROPS)} if keyed else {}),
        **internal(props),
    }


def _keyed(props: Mapping[str, Any]) -> bool:
    return bool(marked(props, ("sims",)))


def _plain(props: Mapping[str, Any]) -> dict[str, Any]:
    if ENTRIES in props:
        props = {("sims" if key == ENTRIES else key): value for key, value in props.items()}
    return decoded(props, KEYED_PROPS)


class SimFleetProvider(SimProvider):
    inputs = INPUTS

    def subject(self, props: Mapping[str, Any]) -> str:
        sims = _plain(props).get("sims")
        iccids = sorted(sims) if isinstance(sims, Mapping) else []
        # A headline, so only a few: the fleet's name says the rest.
        return (f"{super().subject(props)} (SIMs {listed(iccids, shown=3, whole=False)})" if iccids
                else super().subject(props))

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = {key: news.get(key) for key in (ENTRIES, *INPUTS, KEYED) if key in news}  # as sent: lists stay lists
        inputs.setdefault("on_delete", "retain")
        news = _plain(news)
        inputs.update(internal(news))  # kept, so that create's messages and digest can name the fleet
        failures: list[CheckFailure] = []
        on_delete = news.get("on_delete")
        if not is_unknown(on_delete) and on_delete not in (None, *ON_DELETE):
            failures.append(CheckFailure("on_delete", f"on_delete must be one of {', '.join(ON_DELETE)}, not {given(on_delete)}"))
        renew = news.get("renew_expired_package")
        if not is_unknown(renew) and renew not in (None, True, False):
            failures.append(CheckFailure("renew_expired_package",
                                         f"renew_expired_package must be true or false, not {given(renew)}"))
            return CheckResult(inputs, failures)
        sims = news.get("sims")
        if is_unknown(sims) and not isinstance(sims, Mapping):
            return CheckResult(inputs, failures)
        prop = shown_property("sims", sims)
        if not isinstance(sims, Mapping):
            return CheckResult(inputs, [*failures, CheckFailure(prop, _not_a_map(sims))])
        if not sims:
            failures.append(CheckFailure("sims", "a fleet needs at least one SIM: a map of ICCID to its settings"))
            return CheckResult(inputs, failures)
        failures.extend(_defaults_failures(news))
        if failures or is_unknown(news.get("defaults")) or is_unknown(on_delete) or is_unknown(renew):
            return CheckResult(inputs, failures)
        problems = Problems(prop)
        known = _entry_problems(news, problems)
        failures.extend(problems.failures())
        failures.extend(claim_failures(news, sorted({key.strip() for key in sims}), prop,
                                       {i: spec.managed() for i, spec in known.items()}))
        declared = Sims.of(known)
        failures.extend(_live_failures(declared, prop))
        registry.declared_groups.declare({g for spec in known.values() for g in spec.groups or ()}, by=_owner(news))
        if not failures:
            note_preview(_owner(news), declared, created=not olds)
            if not olds:
                inputs.update(reviewed(present(review(declared, _owner(news), operation="create",
                                                      urn=news.get(URN_KEY)), declared.platform)))
            else:
                inputs.update(reviewed(_update_review(_plain(olds), declared, news)))
        return CheckResult(inputs, failures)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        olds, news = _plain(olds), _plain(news)
        unknown = self.unknown_diff(news)
        if unknown:
            return unknown
        old_specs, declared = _specs(olds), Sims.of(_specs(news))
        drifted: dict[str, Any] = {}
        if _options(olds) == _options(news) and not specs_changed(old_specs, declared.specs):
            # Inputs agree with what was recorded: only the live SIMs can still differ (drift).
            changed, drifted = live_changed(declared, olds.get("held") or {})
            if not changed:
                return DiffResult(changes=False, replaces=[])
        on_delete = _options(olds)[0]
        gone = {iccid: spec for iccid, spec in sorted(old_specs.items()) if iccid not in declared.specs}
        note_update(_owner(news), declared, drifted, {} if on_delete == "retain" else gone)
        present(_update_review(olds, declared, news, old_specs), declared.platform)
        return DiffResult(changes=True, replaces=[])

    def create(self, props: dict[str, Any]) -> CreateResult:
        keyed, props = _keyed(props), _plain(props)
        declared = _on_account(Sims.of(_specs(props)))
        prior, held = apply(declared, _owner(props))
        return CreateResult(f"fleet-{uuid.uuid4().hex[:12]}",
                            _outputs(props, prior, len(declared.specs), held, keyed=keyed))

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        keyed, olds, news = _keyed(news), _plain(olds), _plain(news)
        declared, old_specs = Sims.of(_specs(news)), _specs(olds)
        # SIMs no longer listed are let go as the fleet said when they were in it.
        gone = {iccid: list(old_specs[iccid].managed()) for iccid in sorted(old_specs.keys() - declared.specs.keys())}
        left: dict[str, str] = {}
        leaving = releases(gone, _options(olds)[0], olds.get("prior") or {}, left)
        prior, held = apply(_on_account(declared), _owner(news), prior=olds.get("prior"), releases=leaving,
                            left=left, released_total=len(gone))
        return UpdateResult(_outputs(news, prior, len(declared.specs), held, keyed=keyed))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        keyed, raw, props = _keyed(props), props, _plain(props)
        defaults = props.get("defaults") or {}
        entries = _entries(props)
        # A SIM gone from the account is left out: the next preview shows it to be added back.
        live_entries = {iccid: _live_entry(sim, entries[iccid], defaults) for iccid, sim in live_sims(entries).items()}
        if not live_entries:
            return ReadResult("", {})
        drifted = {iccid: fields for iccid, live in live_entries.items()
                   if (fields := _drifted_fields(live, entries[iccid]))}
        # The SIMs travel in an input the engine never prints, so `pulumi refresh` would show
        # nothing of a drift: the count is an output (the row shows `~ drifted_sims`), and
        # the SIMs and fields are a diagnostic of the resource.
        outs = {**{k: v for k, v in raw.items() if k != DRIFTED}, "sim_count": len(live_entries),
                **({DRIFTED: len(drifted)} if drifted else {})}
        if drifted:
            engine_log.info(f"{_owner(props)}: {len(drifted):,} of its {len(live_entries):,} SIMs changed on the "
                            f"platform since the last `pulumi up` (the next up sets them back): "
                            + listed([f"{iccid} ({', '.join(fields)})" for iccid, fields in sorted(drifted.items())],
                                     topic="drifted-sims"), props.get(URN_KEY))
        # Inputs carry the live values of every managed field that differs from the
        # declaration (or was declared on the entry itself), so that the next diff, and the
        # digest of `pulumi preview --refresh`, see the drift and mark it so.
        inputs = {(ENTRIES if keyed else "sims"): encode(live_entries) if keyed else live_entries,
                  "defaults": props.get("defaults"),
                  "on_delete": props.get("on_delete") or "retain",
                  "renew_expired_package": bool(props.get("renew_expired_package")),
                  **({KEYED: ["sims"]} if keyed else {})}
        inputs.update(internal(props))
        return ReadResult(id_, outs, inputs)

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        props = _plain(props)
        managed = {iccid: list(spec.managed()) for iccid, spec in _specs(props).items()}
        let_go(managed, _options(props)[0], props.get("prior"), _owner(props))


def _update_review(olds: Mapping[str, Any], declared: Sims, news: Mapping[str, Any],
                   old_specs: Optional[Mapping[str, SimSpec]] = None) -> Review:
    """What an update does to the fleet's SIMs, those that leave it included: an entry as
    ``olds`` recorded changes only by drift. Check's ``olds`` (the previous inputs) hold no
    ``prior``, so there a SIM let go with ``on_delete=restore`` counts as left as it is."""
    old_specs = _specs(olds) if old_specs is None else old_specs
    on_delete = _options(olds)[0]
    gone = {iccid: list(spec.managed()) for iccid, spec in sorted(old_specs.items()) if iccid not in declared.specs}
    leaving = releases(gone, on_delete, olds.get("prior") or {}, {}, platform=declared.platform)
    return review(declared, _owner(news), operation="update", recorded=old_specs, released=leaving,
                  on_delete=on_delete, urn=news.get(URN_KEY))


def _options(props: Mapping[str, Any]) -> tuple[str, bool]:
    """The fleet-wide options, as they compare (absent means the default)."""
    return props.get("on_delete") or "retain", bool(props.get("renew_expired_package"))


def _on_account(declared: Sims) -> Sims:
    """The fleet's SIMs, refused whole when some are not on the account: nothing is sent."""
    if declared.missing:
        raise FleetNotConverged(_missing_message(declared.missing))
    return declared


def _live_failures(declared: Sims, prop: str) -> list[CheckFailure]:
    """What the live SIMs make impossible, for every SIM of the fleet, from one sweep: an ICCID
    not on the account, a declaration the SIM can never meet. Holds are not failures."""
    problems = Problems(prop)
    refused = declared.refused()
    for iccid in sorted(declared.specs):
        if iccid not in declared.live:
            problems.add(iccid, "", "no SIM with this ICCID on this NovaConnect account (sim/list does not list it); "
                                    "correct the ICCID or remove the entry")
        for field, reason in refused.get(iccid, {}).items():
            problems.add(iccid, field, reason)
    return problems.failures()


def _missing_message(missing: list[str]) -> str:
    shown = listed(missing)
    return f"{len(missing):,} SIMs of the fleet are not on this NovaConnect account (sim/list does not list them): {shown}"


def _drifted_fields(live: Mapping[str, Any], declared: Mapping[str, Any]) -> list[str]:
    """The fields whose live value is not the declared one (a null member counts as absent,
    as the engine carries objects)."""
    live, declared = without_nulls(live), without_nulls(declared)
    return sorted(k for k in set(live) | set(declared) if live.get(k) != declared.get(k))


def _live_entry(sim: Any, entry: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    """One SIM's live values in the shape of its declared entry: every field the entry sets,
    and each field of the defaults the SIM does not have."""
    shown = {**deviations(sim, {k: v for k, v in defaults.items() if entry.get(k) is None}), **live_like(sim, entry)}
    return {field: shown[field] for field in MANAGED_FIELDS if field in shown}


@dataclass
class SimFleetArgs:
    """The inputs of a :class:`SimFleet`."""

    sims: pulumi.Input[Mapping[str, pulumi.Input[Union[SimSettingsArgs, Mapping[str, Any]]]]]
    """Each SIM of the fleet: ICCID to its settings. Removing a SIM lets it go per ``on_delete``."""
    defaults: Optional[pulumi.Input[Union[SimSettingsArgs, Mapping[str, Any]]]] = None
    """Settings merged under every entry: a field an entry sets wins whole."""
    on_delete: pulumi.Input[str] = "retain"
    """What deleting the fleet, or removing a SIM from it, does to a SIM: ``retain``, ``block``
    or ``restore``."""
    renew_expired_package: pulumi.Input[bool] = False
    """Let ``blocked=False`` reach a TD SIM whose package ran out (block ``p``) by buying a new
    package (sim/repackage); off by default, since a package costs money."""
    connection: Optional[ConnectionArgs] = None
    """Another NovaConnect account for this resource; the stack's ``novaconnect:*`` config when unset."""


class SimFleet(Resource, module="novaconnect", name="SimFleet"):
    """The declared settings of many NovaConnect SIMs, keyed by ICCID, converged in bulk.

    ``sims`` maps each ICCID to its settings (``SimSettingsArgs`` or a dict with ``name``,
    ``groups``, ``blocked``, ``limit``, ``tariff``); ``defaults`` are merged under every
    entry (a field the entry sets wins). A field left unset is not managed. ``on_delete``
    (``retain``, ``block``, ``restore``) applies to every SIM when the fleet is destroyed,
    and to a SIM removed from ``sims``. ``renew_expired_package=True`` lets ``blocked=False``
    reach TD SIMs whose package ran out (block ``p``) by buying new ones (``sim/repackage``).
    ``held`` lists the SIMs the platform held at the last update (ICCID: why); the rest of
    the fleet converges regardless, and the next ``pulumi up`` after the platform lets go
    finishes them.
    """

    # `Any`, not `dict`: the SDK asserts an output's annotated type, and a program that passes
    # a list must get check's failure, not an AssertionError from inside the SDK.
    sims: pulumi.Output[Any]
    defaults: pulumi.Output[Any]
    on_delete: pulumi.Output[str]
    renew_expired_package: pulumi.Output[bool]
    prior: pulumi.Output[Any]
    sim_count: pulumi.Output[int]
    held: pulumi.Output[dict[str, str]]
    drifted_sims: pulumi.Output[Optional[int]]
    """Set by a refresh that found SIMs changed on the platform since the last up: how many."""
    review: pulumi.Output[Optional[str]]
    """What check found the last change does to the SIMs, as JSON (``novaconnect-radius/1``: SIMs
    changed, blocked and let go, and the changes a critical SIM refuses), for a policy pack
    (``novaconnect-policy-pack``); a secret only so that a preview prints it in one line."""

    @takes_args(SimFleetArgs)
    def __init__(
        self,
        resource_name: str,
        *,
        sims: pulumi.Input[Mapping[str, pulumi.Input[Union[SimSettingsArgs, Mapping[str, Any]]]]],
        defaults: Optional[pulumi.Input[Union[SimSettingsArgs, Mapping[str, Any]]]] = None,
        on_delete: pulumi.Input[str] = "retain",
        renew_expired_package: pulumi.Input[bool] = False,
        connection: Optional[ConnectionArgs] = None,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        entries, mark = encode_input("sims", as_plain(sims))
        inputs = {ENTRIES: entries, KEYED: mark, "defaults": defaults, "on_delete": on_delete,
                  "renew_expired_package": renew_expired_package}
        props = resource_props(f"SimFleet {resource_name!r}", inputs,
                               ("sims", "prior", "sim_count", "held", DRIFTED, REVIEW_KEY),
                               urn=urn_of(SimFleet, resource_name, opts))
        props.update(connection_props(connection))
        super().__init__(SimFleetProvider(), resource_name, props, opts)
        # The engine carried the maps as lists; the program reads them back as it wrote them.
        self.sims = self.sims.apply(decode)
        self.prior = self.prior.apply(decode)
