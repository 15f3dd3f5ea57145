"""``GroupPolicy``: settings for every SIM of a group, whoever joins or leaves it.

Teams think of a fleet in groups ("every meter gets 500 MB a month"). A policy names a
group and the settings its members must have (``blocked``, ``limit``, ``tariff``), optionally
narrowed by ``profile`` and ``exclude``. Membership is not declared: it is read from the
shared ``sim/list`` sweep at every preview, up and refresh (each SIM lists its ``groups``),
so a SIM added to the group in the web UI is converged by the next ``pulumi up``, and one
that left is let go as ``on_delete`` says, like a SIM removed from a ``SimFleet``.

Everything else is the SIM core's: the same plans, the same bulk engine (one queue call per
kind of change, one wait) and the same claims, so a field a policy sets for a SIM that a
``SimConfig``, a ``SimFleet`` or another policy also sets is an error at preview.

A policy on a group that is not on the account (and that this deployment does not make)
would apply to no SIM, and an excluded ICCID that is not on the account is a typo: both are
refused at preview. A member the platform holds (a block ``p``/``f``/``g``, a tariff lock)
does not stop the others: it is recorded (``held``) and reported, and finished by the first
run after the platform lets go.

The engine shows a diff of old inputs against new ones only, and membership is not an
input. So ``read`` returns, as the input ``deviations``, each member that does not meet
the policy with its live values (the program always declares none): ``pulumi preview
--refresh`` then names those SIMs.
"""
from __future__ import annotations

import difflib
import uuid
from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence, Union

import pulumi
from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult
from pydantic import ValidationError

from ..client.models import Sim
from ..errors import listed
from ..provider import registry
from ..provider.base import OWNER_KEY, URN_KEY, claim_failures, internal
from ..provider.checks import Problems, failures_from, is_unknown, shown_property
from ..provider.strict import given
from ..sim.engine import (SimProvider, Sims, apply, deviations, let_go, live_changed, note_preview, note_update,
                          present, releases, review, reviewed, settings_changed)
from ..sim.fields import SIM_FIELDS
from ..sim.guardrails import REVIEW_KEY
from ..sim.review import Review
from ..sim.spec import ICCID_PATTERN, SimSpec
from .args import (ConnectionArgs, SimLimitArgs, SimTariffArgs, connection_props, resource_props, setting_outputs,
                   takes_args, urn_of)

# The settings one value of which suits every SIM of a group (a name or a group set does not).
SETTINGS = SIM_FIELDS.per_group
INPUTS = ("group", *SETTINGS, "profile", "exclude", "on_delete", "renew_expired_package")
PROFILES = ("TC", "TD")
# Any valid ICCID: the settings are checked once, before members are known.
_PLACEHOLDER = "0" * 19


def _settings(props: Mapping[str, Any]) -> dict[str, Any]:
    return {key: props[key] for key in SETTINGS if props.get(key) is not None}


def _spec(iccid: str, props: Mapping[str, Any]) -> SimSpec:
    return SimSpec.model_validate({
        "iccid": iccid,
        **_settings(props),
        "on_delete": props.get("on_delete") or "retain",
        "renew_expired_package": bool(props.get("renew_expired_package")),
    })


def _excluded(props: Mapping[str, Any]) -> set[str]:
    return {str(iccid).strip() for iccid in (props.get("exclude") or [])}


def members(props: Mapping[str, Any]) -> dict[str, Sim]:
    """The SIMs the policy covers now: in the group, of the profile if one is given, not excluded."""
    group, profile, excluded = props.get("group"), props.get("profile"), _excluded(props)
    view = registry.sims().get()
    return {
        sim.iccid: sim
        for sim in view.items
        if group in sim.group_names and profile in (None, sim.profile) and sim.iccid not in excluded
    }


def _deviations(members_now: Sims, props: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Each member that does not meet the policy, with the live values of the fields that differ."""
    declared = _settings(props)
    return {iccid: deviations(members_now.live[iccid], declared)
            for iccid, current in sorted(members_now.plans().items()) if not current.converged}


def _members(props: Mapping[str, Any]) -> Sims:
    """The members now, each with the policy's declaration for it (parsed once)."""
    found = members(props)
    return Sims.of({iccid: _spec(iccid, props) for iccid in found}, live=found)


def _owner(props: Mapping[str, Any]) -> str:
    owner = props.get(OWNER_KEY)
    return owner if isinstance(owner, str) else f"GroupPolicy on group {props.get('group')!r}"


def _outputs(props: Mapping[str, Any], found: Mapping[str, Sim], prior: Mapping[str, Any],
             deviations: Optional[Mapping[str, Any]] = None, held: Optional[Mapping[str, str]] = None) -> dict[str, Any]:
    outs = {key: props.get(key) for key in INPUTS}
    outs.update(internal(props))
    outs["held"] = dict(held or {})
    outs["on_delete"] = props.get("on_delete") or "retain"
    outs["renew_expired_package"] = bool(props.get("renew_expired_package"))
    outs["members"] = sorted(found)
    outs["sim_count"] = len(found)
    outs["deviations"] = dict(deviations or {})
    outs["prior"] = dict(prior) if outs["on_delete"] == "restore" else None
    return outs


class GroupPolicyProvider(SimProvider):
    inputs = INPUTS

    def subject(self, props: Mapping[str, Any]) -> str:
        group = props.get("group")
        return f"{super().subject(props)} on group {group!r}" if isinstance(group, str) else super().subject(props)

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs = {key: news.get(key) for key in INPUTS if key in news}
        inputs.setdefault("on_delete", "retain")
        inputs.setdefault("renew_expired_package", False)
        inputs["deviations"] = {}
        inputs.update(internal(news))  # kept, so that create's messages and digest can name the policy
        failures = _input_failures(news)
        if failures or any(is_unknown(news.get(key)) for key in INPUTS):
            return CheckResult(inputs, failures)
        failures = [*_group_failures(news), *_exclude_failures(news)]
        if failures:
            return CheckResult(inputs, failures)
        covered = _members(news)
        failures.extend(_live_failures(covered, news))
        managed = {iccid: spec.managed() for iccid, spec in covered.specs.items()}
        failures.extend(claim_failures(news, [], "group", managed, policy=True))
        if not failures:
            note_preview(_owner(news), covered, created=not olds)
            if not olds:
                inputs.update(reviewed(present(review(covered, _owner(news), operation="create",
                                                      urn=news.get(URN_KEY)), covered.platform)))
            else:
                inputs.update(reviewed(_update_review(olds, news, covered, _leaving(olds, set(covered.specs)))))
        return CheckResult(inputs, failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        unknown = self.unknown_diff(news)
        if unknown:
            return unknown
        covered = _members(news)
        leaving = _leaving(olds, set(covered.specs))
        released = {release.iccid: release for _, release in leaving}
        drifted: dict[str, Any] = {}
        same = _scope(olds) == _scope(news) and not settings_changed(olds, news, SIM_FIELDS)
        members = set(olds.get("members") or [])
        if same and not released:
            # Inputs alike, the live SIMs can still differ: a member that joined or drifted.
            changed, drifted = live_changed(covered, olds.get("held") or {})
            if not changed:
                return DiffResult(changes=False, replaces=[])
            drifted = {i: current for i, current in drifted.items() if i in members}
        note_update(_owner(news), covered, drifted, released)
        present(_update_review(olds, news, covered, leaving), covered.platform)
        return DiffResult(changes=True, replaces=[])

    def create(self, props: dict[str, Any]) -> CreateResult:
        covered = _members(props)
        prior, held = apply(covered, _owner(props), compares="the policy")
        return CreateResult(f"policy-{uuid.uuid4().hex[:12]}", _outputs(props, covered.live, prior, held=held))

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        covered = _members(news)
        left: dict[str, str] = {}
        leaving = _leaving(olds, set(covered.specs), left)
        prior, held = apply(covered, _owner(news), compares="the policy", prior=olds.get("prior"), releases=leaving,
                            left=left, released_total=len(leaving))
        return UpdateResult(_outputs(news, covered.live, prior, held=held))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        covered = _members(props)
        deviating = _deviations(covered, props)
        outs = _outputs(props, covered.live, props.get("prior") or {}, deviating, props.get("held"))
        # `members` stays what the last update covered: a SIM that left since is let go by
        # the next update, which needs to know it was there.
        outs["members"], outs["sim_count"] = props.get("members") or [], props.get("sim_count") or 0
        inputs = {key: outs[key] for key in INPUTS if outs.get(key) is not None or key in props}
        inputs["deviations"] = deviating
        inputs.update(internal(props))
        return ReadResult(id_, outs, inputs)

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        managed = {iccid: list(_spec(iccid, props).managed()) for iccid in props.get("members") or []}
        let_go(managed, props.get("on_delete") or "retain", props.get("prior"), _owner(props), compares="the policy")


def _scope(props: Mapping[str, Any]) -> tuple[Any, ...]:
    """Which SIMs the policy covers and how it lets them go, as they compare."""
    return (props.get("group"), props.get("profile"), _excluded(props), props.get("on_delete") or "retain",
            bool(props.get("renew_expired_package")))


def _update_review(olds: Mapping[str, Any], news: Mapping[str, Any], covered: Sims,
                   leaving: Sequence[tuple[Sim, SimSpec]]) -> Review:
    """What an update does to the members (and to ``leaving``, the SIMs let go): a member
    recorded at the last up, under settings as declared now, changes only by drift. Check's
    ``olds`` (the previous inputs) hold no members: there none counts as recorded or leaving."""
    same = _scope(olds) == _scope(news) and not settings_changed(olds, news, SIM_FIELDS)
    members = set(olds.get("members") or [])
    recorded = {iccid: spec for iccid, spec in covered.specs.items() if iccid in members} if same else None
    return review(covered, _owner(news), operation="update", recorded=recorded, released=leaving,
                  on_delete=olds.get("on_delete") or "retain", urn=news.get(URN_KEY))


def _leaving(olds: Mapping[str, Any], current: set[str], left: Optional[dict[str, str]] = None
             ) -> list[tuple[Sim, SimSpec]]:
    """The SIMs that left the policy since the last update and need a call to be let go
    (``left`` gets those whose release must leave a setting the platform holds)."""
    if not olds.get("group"):
        return []
    gone = {iccid: list(_spec(iccid, olds).managed()) for iccid in sorted(set(olds.get("members") or []) - current)}
    return releases(gone, olds.get("on_delete") or "retain", olds.get("prior"), left, needed_only=True)


def _input_failures(news: Mapping[str, Any]) -> list[CheckFailure]:
    """What is wrong with the declaration itself, before any member is looked at."""
    failures: list[CheckFailure] = []
    group = news.get("group")
    if not is_unknown(group) and (not isinstance(group, str) or not group.strip()):
        failures.append(CheckFailure("group", "group must be the name of a NovaConnect group"))
    profile = news.get("profile")
    if not is_unknown(profile) and profile not in (None, *PROFILES):
        failures.append(CheckFailure("profile", f"profile must be TC or TD (or left out for both), not {profile!r}"))
    exclude = news.get("exclude")
    if exclude is not None and not is_unknown(exclude):
        if not isinstance(exclude, (list, tuple)):
            failures.append(CheckFailure(shown_property("exclude", exclude), f"exclude must be a list of ICCIDs, got {given(exclude)}"))
        else:
            bad = [str(i) for i in exclude if not ICCID_PATTERN.match(str(i).strip())]
            if bad:
                failures.append(CheckFailure(shown_property("exclude", exclude), (
                    f"exclude: an ICCID is 19 or 20 digits, got {listed([repr(b) for b in bad], topic='bad-iccids')}")))
    renew = news.get("renew_expired_package")
    if renew is not None and not is_unknown(renew) and not isinstance(renew, bool):
        # Read by its truth, the text "false" would turn on renewal, which buys packages.
        failures.append(CheckFailure("renew_expired_package",
                                     f"renew_expired_package must be true or false, got {given(renew)}"))
    settings = {key: news.get(key) for key in (*SETTINGS, "on_delete", "renew_expired_package")}
    if any(is_unknown(value) for value in settings.values()):
        return failures
    if not _settings(news):
        failures.append(CheckFailure("group", "a policy needs at least one setting: blocked, limit or tariff"))
        return failures
    try:
        _spec(_PLACEHOLDER, news)
    except ValidationError as exc:
        failures.extend(failures_from(exc))
    return failures


def _group_failures(news: Mapping[str, Any]) -> list[CheckFailure]:
    """A group that is not on the account, and that no resource of this deployment makes,
    has no member: the policy would apply to nothing, silently."""
    group = news["group"]
    groups = registry.groups()
    key = ("name", group)
    view = groups.get()
    if view.get(key) is None:
        view = groups.get(key, newer_than=view.fresh_at(key))  # made a moment ago?
    if view.get(key) is not None or registry.declared_groups.declared_by(group):
        return []
    names = sorted(g.name for g in view.items)
    close = difflib.get_close_matches(group, names, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return [CheckFailure("group", (
        f"group: no group named {group!r} on this NovaConnect account (group/list has {len(names):,}: "
        f"{listed([repr(n) for n in names], 10, whole=False)}), so the policy would apply to no SIM; {hint}"
        "correct the name, or declare the group in this program (nc.Group) and pass its name (group=meters.name)"
    ))]


def _exclude_failures(news: Mapping[str, Any]) -> list[CheckFailure]:
    """An excluded ICCID that is not on the account is a typo that would leave the SIM meant
    to be excluded in the policy."""
    exclude = news.get("exclude") or []
    view = registry.sims().get()
    unknown = sorted({str(i).strip() for i in exclude if view.get(("iccid", str(i).strip())) is None})
    if not unknown:
        return []
    which = f"ICCID {unknown[0]} is" if len(unknown) == 1 else f"{len(unknown):,} ICCIDs ({listed(unknown)}) are"
    return [CheckFailure(shown_property("exclude", exclude), (
        f"exclude: {which} not on this NovaConnect account (sim/list does not list "
        f"{'it' if len(unknown) == 1 else 'them'}); an excluded SIM must exist: correct or remove "
        f"{'it' if len(unknown) == 1 else 'them'}"
    ))]


def _live_failures(covered: Sims, news: Mapping[str, Any]) -> list[CheckFailure]:
    """What members can never meet (a limit for a TD member, an MSU block), naming the SIMs;
    what the platform holds is no failure."""
    hint = "" if news.get("profile") else " (set `profile` to leave the other profile's SIMs out)"

    def describe(field: str, reason: str, iccids: Sequence[str]) -> str:
        profile_rule = "apply to" in reason and "SIMs only" in reason
        return (
            f"{len(iccids):,} member{'s' if len(iccids) > 1 else ''} of group {news.get('group')!r} cannot meet the "
            f"policy's `{field}` ({listed(iccids)}): {reason}{hint if profile_rule else ''}; "
            "or leave them out with `exclude`"
        )

    by_field: dict[str, Problems] = {}
    for iccid, refused in covered.refused().items():
        for field, reason in refused.items():
            by_field.setdefault(field, Problems(field, "members", describe)).add(iccid, field, reason)
    return [failure for field in sorted(by_field) for failure in by_field[field].failures()]


@dataclass
class GroupPolicyArgs:
    """The inputs of a :class:`GroupPolicy`. A setting left ``None`` is not managed."""

    group: pulumi.Input[str]
    """Name of the group whose members the policy covers (read from sim/list at every run)."""
    blocked: Optional[pulumi.Input[bool]] = None
    """The user block (block code ``u``); not managed when left out."""
    limit: Optional[pulumi.Input[Union[SimLimitArgs, Mapping[str, Any]]]] = None
    """Traffic limit, TC SIMs only; not managed when left out."""
    tariff: Optional[pulumi.Input[Union[SimTariffArgs, Mapping[str, Any]]]] = None
    """Traffic package, TD SIMs only; not managed when left out."""
    profile: Optional[pulumi.Input[str]] = None
    """Only members of this profile: ``TC`` or ``TD``; both when left out."""
    exclude: Optional[pulumi.Input[Sequence[pulumi.Input[str]]]] = None
    """ICCIDs of members the policy leaves alone."""
    on_delete: pulumi.Input[str] = "retain"
    """What destroying the policy, or a SIM leaving the group, does to a member: ``retain``,
    ``block`` or ``restore``."""
    renew_expired_package: pulumi.Input[bool] = False
    """Let ``blocked=False`` reach a TD SIM whose package ran out (block ``p``) by buying a new
    package (sim/repackage); off by default, since a package costs money."""
    connection: Optional[ConnectionArgs] = None
    """Another NovaConnect account for this resource; the stack's ``novaconnect:*`` config when unset."""


class GroupPolicy(Resource, module="novaconnect", name="GroupPolicy"):
    """Settings for every SIM of a NovaConnect group, read afresh at each preview, up and refresh.

    ``group`` is the group's name; ``blocked``, ``limit`` and ``tariff`` are the settings each
    member must have (a field left ``None`` is not managed). ``profile`` (``TC`` or ``TD``)
    and ``exclude`` (ICCIDs) narrow the members. A SIM that leaves the group is let go as
    ``on_delete`` says (``retain``, ``block``, ``restore``), as are all members when the policy
    is destroyed. ``renew_expired_package=True`` lets ``blocked=False`` reach TD members whose
    package ran out (block ``p``) by buying new ones (``sim/repackage``). ``held`` lists the
    members the platform held at the last update (ICCID: why).
    """

    # The settings, typed as the field model declares them, and what letting a member go does.
    __annotations__ = setting_outputs(SETTINGS)
    group: pulumi.Output[str]
    profile: pulumi.Output[Optional[str]]
    exclude: pulumi.Output[Optional[list]]
    members: pulumi.Output[list[str]]
    sim_count: pulumi.Output[int]
    deviations: pulumi.Output[dict[str, dict[str, Any]]]
    prior: pulumi.Output[Optional[dict[str, dict[str, Any]]]]
    held: pulumi.Output[dict[str, str]]
    review: pulumi.Output[Optional[str]]
    """What check found the last change does to the SIMs, as JSON (``novaconnect-radius/1``: SIMs
    changed, blocked and let go, and the changes a critical SIM refuses), for a policy pack
    (``novaconnect-policy-pack``); a secret only so that a preview prints it in one line."""

    @takes_args(GroupPolicyArgs)
    def __init__(
        self,
        resource_name: str,
        *,
        group: pulumi.Input[str],
        blocked: Optional[pulumi.Input[bool]] = None,
        limit: Optional[pulumi.Input[Union[SimLimitArgs, Mapping[str, Any]]]] = None,
        tariff: Optional[pulumi.Input[Union[SimTariffArgs, Mapping[str, Any]]]] = None,
        profile: Optional[pulumi.Input[str]] = None,
        exclude: Optional[pulumi.Input[Sequence[pulumi.Input[str]]]] = None,
        on_delete: pulumi.Input[str] = "retain",
        renew_expired_package: pulumi.Input[bool] = False,
        connection: Optional[ConnectionArgs] = None,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        # `deviations` is always declared empty: read() fills it with the members that deviate.
        inputs = dict(group=group, blocked=blocked, limit=limit, tariff=tariff, profile=profile, exclude=exclude,
                      on_delete=on_delete, renew_expired_package=renew_expired_package, deviations={})
        props = resource_props(f"GroupPolicy {resource_name!r}", inputs,
                               ("members", "sim_count", "prior", "held", REVIEW_KEY),
                               urn=urn_of(GroupPolicy, resource_name, opts))
        props.update(connection_props(connection))
        super().__init__(GroupPolicyProvider(), resource_name, props, opts)
