"""``SimConfig``: the declared settings of one existing SIM, converged through the queue.

SIMs are never created: create adopts the SIM by ICCID and records its settings as they
were (``prior``), so that ``on_delete="restore"`` can put them back. The resource id is
the ICCID; changing it replaces the resource (the new SIM is adopted before the old one
is let go, each with its own ``on_delete``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence, Union

import pulumi
from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult

from ..client.models import Sim
from ..errors import NotFoundOnPlatform
from ..provider import registry
from ..provider.base import OWNER_KEY, URN_KEY, claim_failures, internal, pick
from ..provider.checks import is_unknown, note_planned_changes, validate
from ..sim.engine import (SimProvider, Sims, adopt_one, converge_one, let_go_one, live_changed, live_like, live_sims,
                          present, review, reviewed, settings_changed)
from ..sim.fields import SIM_FIELDS
from ..sim.guardrails import REVIEW_KEY
from ..sim.review import Review
from ..sim.spec import MANAGED_FIELDS, SimSpec
from .args import (ConnectionArgs, SimLimitArgs, SimTariffArgs, connection_props, read_into_program, resource_props,
                   setting_outputs, takes_args, urn_of)

INPUTS = ("iccid", *MANAGED_FIELDS, "on_delete", "renew_expired_package")
# What the platform shows of the SIM, beside its settings.
OUTPUTS = ("sim_id", "profile", "number", "external_number", "block", "limit_used_mb", "tariff_name", "prior",
           REVIEW_KEY)


def _spec(props: Mapping[str, Any]) -> SimSpec:
    return SimSpec.model_validate(pick(props, INPUTS))


def _owner(props: Mapping[str, Any]) -> str:
    owner = props.get(OWNER_KEY)
    return owner if isinstance(owner, str) else f"SimConfig of SIM {props.get('iccid')}"


def _managed(props: Mapping[str, Any]) -> list[str]:
    return [field for field in MANAGED_FIELDS if props.get(field) is not None]


def _one(spec: SimSpec) -> Sims:
    """The SIM, read afresh: it may have been written to a moment ago."""
    return Sims.of({spec.iccid: spec}, fresh=True)


def _outputs(sim: Sim, managed_like: Mapping[str, Any], on_delete: str, prior: Any, renew: bool = False) -> dict[str, Any]:
    return {
        "iccid": sim.iccid,
        "on_delete": on_delete,
        "renew_expired_package": renew,
        "sim_id": sim.id,
        "profile": sim.profile,
        "number": sim.number,
        "external_number": sim.external_number,
        "block": sim.block,
        "limit_used_mb": sim.limit.used if sim.limit else None,
        "tariff_name": sim.tariff.name if sim.tariff else None,
        "prior": prior,
        **dict.fromkeys(MANAGED_FIELDS), **live_like(sim, managed_like),
    }


def _live_failures(declared: Sims) -> list[CheckFailure]:
    """What the live SIM makes impossible, known at preview: profile, blocks, locks."""
    if declared.missing:
        return [CheckFailure("iccid", f"no SIM with ICCID {iccid} on this NovaConnect account")
                for iccid in declared.missing]
    # The plan's blockers include the profile conflicts (limit on TD, tariff on TC).
    return [CheckFailure(field, reason) for current in declared.plans().values()
            for field, reason in current.blockers.items()]


def _review(declared: Sims, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Review:
    """What the change does to the SIM: a create without ``olds``; an update's setting that
    is as ``olds`` recorded changes only by drift."""
    if not olds:
        return review(declared, _owner(news), operation="create", urn=news.get(URN_KEY))
    iccid = next(iter(declared.specs))
    recorded = {iccid: _spec(olds)} if olds.get("iccid") == iccid else None
    return review(declared, _owner(news), operation="update", recorded=recorded, urn=news.get(URN_KEY))


def _note_planned(declared: Sims) -> None:
    """A token that may only read is told, when the SIM needs calls, that `pulumi up` will
    need an administrator's (the up itself stops before its first write)."""
    for iccid, current in declared.plans().items():
        if current.actions:
            note_planned_changes(f"SIM {iccid}: {current.pending()}")


class SimConfigProvider(SimProvider):
    inputs = INPUTS

    def subject(self, props: Mapping[str, Any]) -> str:
        iccid = props.get("iccid")
        return f"SIM {iccid}" if isinstance(iccid, str) else super().subject(props)

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        checked = validate(SimSpec, news, INPUTS)
        failures = list(checked.failures)
        summary: dict[str, str] = {}
        if not failures and "iccid" not in checked.unknown:
            known = {k: v for k, v in checked.inputs.items() if k not in checked.unknown}
            spec = checked.spec or _spec(known)
            failures.extend(claim_failures(news, [spec.iccid], "iccid", {spec.iccid: spec.managed()}))
            declared = _one(spec)
            failures.extend(_live_failures(declared))
            if spec.groups:  # sim/group creates a group it does not know: a GroupPolicy may name it
                registry.declared_groups.declare(spec.groups, by=str(news.get(OWNER_KEY) or f"SIM {spec.iccid}"))
            if not failures and checked.spec is not None:
                if not olds:  # a create (diff presents an update's review)
                    _note_planned(declared)
                    summary = reviewed(present(_review(declared, olds, news), declared.platform))
                else:
                    summary = reviewed(_review(declared, olds, news))
        return CheckResult({**checked.inputs, **internal(news), **summary}, failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        result = self._diff(id_, olds, news)
        if result.changes and not result.replaces and not any(is_unknown(news.get(field)) for field in INPUTS):
            spec = _spec(news)
            declared = _one(spec)
            _note_planned(declared)
            present(_review(declared, olds, news), declared.platform)
        return result

    def _diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        # The engine only shows old inputs against new inputs; changes=True/False is always
        # explicit, since an unknown answer makes it diff (and update for) __provider too.
        if is_unknown(news.get("iccid")) or olds.get("iccid") != news.get("iccid"):
            return DiffResult(changes=True, replaces=["iccid"], delete_before_replace=False)
        unknown = self.unknown_diff(news)
        if unknown:
            return unknown
        spec = _spec(news)
        if olds.get("on_delete") != spec.on_delete or bool(olds.get("renew_expired_package")) != spec.renew_expired_package:
            return DiffResult(changes=True, replaces=[])
        if settings_changed(olds, spec.managed()):
            return DiffResult(changes=True, replaces=[])
        # Inputs agree with what was recorded: only the live SIM can still differ (drift). It
        # records no holds, so one is a change too (the up then says what holds it).
        return DiffResult(changes=live_changed(_one(spec))[0], replaces=[])

    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = _spec(props)
        final, prior = adopt_one(spec)
        return CreateResult(spec.iccid, _outputs(final, spec.managed(), spec.on_delete, prior, spec.renew_expired_package))

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec = _spec(news)
        final = converge_one(spec)
        return UpdateResult(_outputs(final, spec.managed(), spec.on_delete, olds.get("prior"), spec.renew_expired_package))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        sim = live_sims([id_], fresh=True).get(id_)
        if sim is None and props.get("iccid") is None:  # SimConfig.get: state always records the ICCID
            raise NotFoundOnPlatform(f"SimConfig.get: no SIM with ICCID {id_} on this NovaConnect account")
        if sim is None:
            return ReadResult("", {})
        managed_like = {field: props[field] for field in _managed(props)}
        outs = _outputs(sim, managed_like, props.get("on_delete") or "retain", props.get("prior"),
                        bool(props.get("renew_expired_package")))
        if props.get("iccid") is None:  # SimConfig.get: state always records the ICCID, a get does not
            outs.update(SIM_FIELDS.live_values(sim))
        # Inputs carry the live values of the managed fields, so that the next preview
        # shows drift as `field: live => declared` (the engine diffs inputs only).
        inputs = {"iccid": sim.iccid, "on_delete": outs["on_delete"], "renew_expired_package": outs["renew_expired_package"]}
        inputs.update({field: outs[field] for field in managed_like})
        return ReadResult(id_, outs, inputs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        let_go_one(id_, props.get("on_delete") or "retain", props.get("prior"), _managed(props))


@dataclass
class SimConfigArgs:
    """The inputs of a :class:`SimConfig`. A setting left ``None`` is not managed."""

    iccid: pulumi.Input[str]
    """ICCID of the SIM to manage (19-20 digits); changing it replaces the resource."""
    name: Optional[pulumi.Input[str]] = None
    """SIM name (sim/edit); not managed when left out."""
    groups: Optional[pulumi.Input[Sequence[pulumi.Input[str]]]] = None
    """The exact set of group names the SIM must be in; not managed when left out."""
    blocked: Optional[pulumi.Input[bool]] = None
    """The user block (block code ``u``); not managed when left out."""
    limit: Optional[pulumi.Input[Union[SimLimitArgs, Mapping[str, Any]]]] = None
    """Traffic limit, TC SIMs only; not managed when left out."""
    tariff: Optional[pulumi.Input[Union[SimTariffArgs, Mapping[str, Any]]]] = None
    """Traffic package, TD SIMs only; not managed when left out."""
    on_delete: pulumi.Input[str] = "retain"
    """What deleting the resource does to the SIM: ``retain``, ``block`` or ``restore``."""
    renew_expired_package: pulumi.Input[bool] = False
    """Let ``blocked=False`` reach a TD SIM whose package ran out (block ``p``) by buying a new
    package (sim/repackage); off by default, since a package costs money."""
    connection: Optional[ConnectionArgs] = None
    """Another NovaConnect account for this resource; the stack's ``novaconnect:*`` config when unset."""


class SimConfig(Resource, module="novaconnect", name="SimConfig"):
    """The declared settings of one NovaConnect SIM, identified by ICCID.

    A field left ``None`` is not managed: the SIM keeps whatever it has.
    ``renew_expired_package=True`` lets ``blocked=False`` reach a TD SIM whose package ran
    out (block ``p``) by buying a new one (``sim/repackage``).
    """

    # The settings, typed as the field model declares them, and what letting the SIM go does.
    __annotations__ = setting_outputs(MANAGED_FIELDS)
    iccid: pulumi.Output[str]
    sim_id: pulumi.Output[int]
    profile: pulumi.Output[str]
    number: pulumi.Output[str]
    external_number: pulumi.Output[Optional[str]]
    block: pulumi.Output[str]
    limit_used_mb: pulumi.Output[Optional[float]]
    tariff_name: pulumi.Output[Optional[str]]
    prior: pulumi.Output[Optional[dict[str, Any]]]
    review: pulumi.Output[Optional[str]]
    """What check found the last change does to the SIMs, as JSON (``novaconnect-radius/1``: SIMs
    changed, blocked and let go, and the changes a critical SIM refuses), for a policy pack
    (``novaconnect-policy-pack``); a secret only so that a preview prints it in one line."""

    @takes_args(SimConfigArgs)
    def __init__(
        self,
        resource_name: str,
        *,
        iccid: pulumi.Input[str],
        name: Optional[pulumi.Input[str]] = None,
        groups: Optional[pulumi.Input[Sequence[pulumi.Input[str]]]] = None,
        blocked: Optional[pulumi.Input[bool]] = None,
        limit: Optional[pulumi.Input[Union[SimLimitArgs, Mapping[str, Any]]]] = None,
        tariff: Optional[pulumi.Input[Union[SimTariffArgs, Mapping[str, Any]]]] = None,
        on_delete: pulumi.Input[str] = "retain",
        renew_expired_package: pulumi.Input[bool] = False,
        connection: Optional[ConnectionArgs] = None,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        inputs = dict(iccid=iccid, name=name, groups=groups, blocked=blocked, limit=limit, tariff=tariff,
                      on_delete=on_delete, renew_expired_package=renew_expired_package)
        props = resource_props(f"SimConfig {resource_name!r}", inputs, OUTPUTS,
                               urn=urn_of(SimConfig, resource_name, opts))
        props.update(connection_props(connection))
        super().__init__(SimConfigProvider(), resource_name, props, opts)

    @staticmethod
    def get(resource_name: str, id: pulumi.Input[str], opts: Optional[pulumi.ResourceOptions] = None, *,
            connection: Optional[ConnectionArgs] = None) -> "SimConfig":
        """An existing SIM, read by its ICCID into the program with every setting it has
        now; the stack neither changes nor lets it go. ``connection`` reads it from another
        account (the stack's when unset), its token kept secret in state."""
        return read_into_program(SimConfig, SimConfigProvider(), resource_name, id, opts, connection)
