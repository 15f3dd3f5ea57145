"""Which platform calls take a SIM from its live state to the declared one.

Pure functions of a :class:`~pulumi_novaconnect.client.models.Sim` (as ``sim/list``
renders it) and a :class:`~pulumi_novaconnect.sim.spec.SimSpec`; no I/O, so the rules are
unit-tested on their own. The plan is the whole plan: typed actions with their parameters
resolved (group names to ids through a lookup it is given), which the executor only sends.
The rules come from the vendor's documentation:

* ``blocked`` is the user block (decision 8): only ``u`` is ours to set (``sim/block``)
  and clear (``sim/unblock``). A SIM blocked ``m`` (MSU, irreversible), ``f``
  (financial), ``g`` (operator) or ``p`` (package ran out; ``sim/repackage`` buys a new
  one) is blocked anyway, which satisfies ``blocked=True`` without a call, and cannot be
  unblocked by us, which makes ``blocked=False`` unreachable: a *blocker*.
* ``limit`` is TC only (``sim/limit``), ``tariff`` TD only (``sim/tariff``); after a tariff
  change the live ``limit`` shows the package in MB with type ``p_unlim``/``p_lim`` and
  ``tariff.package_auto`` follows (decision 9). Worldwide roaming is the tariff TD_Mega.
* ``groups`` is the exact set of names; ``sim/group`` replaces the set (decision 4).

Some blockers are *holds*: the platform holds the SIM for a reason of its own that lifts
without any change to the declaration (blocks ``p``, ``f`` and ``g``, a tariff change lock).
A resource of many SIMs converges the others and reports the held ones; a declaration the
SIM can never meet (a limit on a TD SIM, ``blocked=False`` on an MSU block) stays an error.
"""
from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Mapping, Optional

from ..client.models import Sim
from .spec import SimSpec

BLOCK_REASONS = {
    "m": "blocked 'm' (MSU limit exceeded): the operator's block is irreversible",
    "f": "blocked 'f' (financial): only paying the bill lifts it",
    "g": "blocked 'g' (by the operator or NovaConnect): only they can lift it (ask NovaConnect support)",
    "p": "blocked 'p' (traffic package ran out): only a new package (sim/repackage) lifts it, "
    "which this provider buys only when renew_expired_package=True is set",
}
# Blocks the platform holds for reasons of its own, lifted without a change to the declaration.
HELD_BLOCKS = ("p", "f", "g")
ALL_WORLD_TARIFF = "TD_Mega"

GroupIds = Callable[[str], Optional[int]]
"""Resolves a group name to the id of the group the platform has now (None: not yet there)."""


@dataclass(frozen=True)
class Action:
    """One platform call serving one managed field of one SIM.

    Actions compare and hash by their parameters only, so the same change wanted by many
    SIMs is one key: a fleet sends it as one call with all their ids.
    """

    method: ClassVar[str]
    field: ClassVar[str]
    live: Any = dataclasses.field(compare=False)
    desired: Any = dataclasses.field(compare=False)

    def describe(self) -> str:
        return f"{self.field}: {self.live!r} => {self.desired!r}"


@dataclass(frozen=True)
class Block(Action):
    method: ClassVar[str] = "sim/block"
    field: ClassVar[str] = "blocked"


@dataclass(frozen=True)
class Unblock(Action):
    method: ClassVar[str] = "sim/unblock"
    field: ClassVar[str] = "blocked"


@dataclass(frozen=True)
class Repackage(Action):
    """Buys a new traffic package for a TD SIM blocked `p`, which lifts that block
    (decision 8); sent only when the declaration opts in (``renew_expired_package``)."""

    method: ClassVar[str] = "sim/repackage"
    field: ClassVar[str] = "blocked"

    def describe(self) -> str:
        return f"{self.field}: {self.live!r} => {self.desired!r} (by buying a new package, sim/repackage)"


@dataclass(frozen=True)
class Rename(Action):
    method: ClassVar[str] = "sim/edit"
    field: ClassVar[str] = "name"
    name: str = ""


@dataclass(frozen=True)
class SetGroups(Action):
    """The SIM's groups become exactly these: known groups by id, the rest created by name."""

    method: ClassVar[str] = "sim/group"
    field: ClassVar[str] = "groups"
    group_ids: tuple[int, ...] = ()
    new_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class SetLimit(Action):
    method: ClassVar[str] = "sim/limit"
    field: ClassVar[str] = "limit"
    type: str = "off"
    value_mb: int = 0


@dataclass(frozen=True)
class SetTariff(Action):
    method: ClassVar[str] = "sim/tariff"
    field: ClassVar[str] = "tariff"
    package_kb: int = 0
    auto_package: bool = False
    all_world: Optional[bool] = None

    def describe(self) -> str:
        # `all_world` is left out when it is not declared: a field we do not manage is not pending.
        live, desired = self.live, self.desired
        if isinstance(desired, Mapping) and desired.get("all_world") is None:
            desired = {k: v for k, v in desired.items() if k != "all_world"}
            live = {k: v for k, v in live.items() if k != "all_world"} if isinstance(live, Mapping) else live
        return f"{self.field}: {live!r} => {desired!r}"


# Calls run in this order: a block first (the SIM stops before anything else changes), an
# unblock last (the SIM only resumes once its new limit or package is in place).
# A repackage resumes the SIM too, so it goes out with the unblocks, after the settings.
ORDER: tuple[type[Action], ...] = (Block, Rename, SetGroups, SetLimit, SetTariff, Repackage, Unblock)


@dataclass
class Plan:
    """The calls a SIM needs, in the order they must run, and what no call can reach."""

    iccid: str
    actions: list[Action] = dataclasses.field(default_factory=list)
    blockers: dict[str, str] = dataclasses.field(default_factory=dict)
    # The fields among the blockers that the platform holds (see the module's docstring).
    held: set[str] = dataclasses.field(default_factory=set)

    @property
    def converged(self) -> bool:
        return not self.actions and not self.blockers

    @property
    def refused(self) -> dict[str, str]:
        """The blockers no wait can lift: the declaration must change."""
        return {field: reason for field, reason in self.blockers.items() if field not in self.held}

    @property
    def holds(self) -> dict[str, str]:
        """The blockers the platform holds for now."""
        return {field: reason for field, reason in self.blockers.items() if field in self.held}

    @property
    def fields(self) -> list[str]:
        """The managed fields still to change."""
        return list(dict.fromkeys(a.field for a in self.actions))

    def pending(self) -> str:
        return "; ".join(a.describe() for a in self.actions)

    def unreachable(self) -> str:
        """The blockers as one sentence part: `field: reason; ...`."""
        return "; ".join(f"{field}: {reason}" for field, reason in self.blockers.items())


def live_limit(sim: Sim) -> Optional[dict[str, Any]]:
    """A TC SIM's limit in the shape of ``SimSpec.limit``."""
    if sim.limit is None:
        return {"type": "off", "value_mb": None}
    if sim.limit.type == "off":
        return {"type": "off", "value_mb": None}
    return {"type": sim.limit.type, "value_mb": sim.limit.value}


def live_tariff(sim: Sim) -> Optional[dict[str, Any]]:
    """A TD SIM's package in the shape of ``SimSpec.tariff`` (None when it has none)."""
    if sim.limit is None or sim.limit.type not in ("p_lim", "p_unlim"):
        return None
    return {
        "package_mb": sim.limit.value,
        "auto_package": bool(sim.tariff.package_auto) if sim.tariff else sim.limit.type == "p_unlim",
        "all_world": bool(sim.tariff and sim.tariff.name == ALL_WORLD_TARIFF),
    }


def live_values(sim: Sim) -> dict[str, Any]:
    """Every manageable field of a SIM as it is now, in the inputs' shape."""
    values: dict[str, Any] = {
        "name": sim.name,
        "groups": sim.group_names,
        "blocked": sim.is_blocked,
    }
    if sim.profile == "TC":
        values["limit"] = live_limit(sim)
    elif sim.profile == "TD":
        values["tariff"] = live_tariff(sim)
    return values


def _limit_matches(live: Optional[dict[str, Any]], desired: dict[str, Any]) -> bool:
    if live is None:
        return False
    if desired["type"] == "off":
        return live["type"] == "off"
    return live["type"] == desired["type"] and live["value_mb"] == desired["value_mb"]


def _tariff_matches(live: Optional[dict[str, Any]], desired: dict[str, Any]) -> bool:
    if live is None:
        return False
    if live["package_mb"] != desired["package_mb"] or live["auto_package"] != desired["auto_package"]:
        return False
    return desired.get("all_world") is None or live["all_world"] == desired["all_world"]


def profile_conflicts(sim: Sim, spec: SimSpec) -> dict[str, str]:
    """Fields the SIM's profile does not take (limit on TD, tariff on TC)."""
    conflicts = {}
    if spec.limit is not None and sim.profile != "TC":
        conflicts["limit"] = (
            f"SIM {sim.iccid} has profile {sim.profile}: limits (sim/limit) apply to TC SIMs only; "
            "set `tariff` for a TD SIM"
        )
    if spec.tariff is not None and sim.profile != "TD":
        conflicts["tariff"] = (
            f"SIM {sim.iccid} has profile {sim.profile}: packages (sim/tariff) apply to TD SIMs only; "
            "set `limit` for a TC SIM"
        )
    return conflicts


def plan(sim: Sim, spec: SimSpec, *, group_id: GroupIds = lambda _name: None, now: Optional[float] = None) -> Plan:
    """The calls that take ``sim`` to ``spec``, in the order they must run.

    ``group_id`` resolves a declared group name to the platform's id; names it does not know
    are sent for the platform to create.
    """
    result = Plan(iccid=sim.iccid)
    result.blockers.update(profile_conflicts(sim, spec))
    live = live_values(sim)
    actions: list[Action] = []

    if spec.blocked is True and not sim.is_blocked:
        actions.append(Block(False, True))
    if spec.blocked is False and sim.is_blocked:
        if sim.block == "u":
            actions.append(Unblock(True, False))
        elif sim.block == "p" and spec.renew_expired_package and sim.profile == "TD":
            actions.append(Repackage(True, False))
        else:
            reason = BLOCK_REASONS.get(sim.block, f"blocked {sim.block!r} by the platform")
            result.blockers["blocked"] = f"SIM {sim.iccid} is {reason}; it cannot be unblocked through the API"
            if sim.block in HELD_BLOCKS:
                result.held.add("blocked")

    if spec.name is not None and sim.name != spec.name:
        actions.append(Rename(sim.name, spec.name, name=spec.name))

    if spec.groups is not None and list(spec.groups) != live["groups"]:
        ids = {name: group_id(name) for name in spec.groups}
        actions.append(
            SetGroups(
                live["groups"],
                list(spec.groups),
                group_ids=tuple(sorted(i for i in ids.values() if i is not None)),
                new_names=tuple(name for name, i in ids.items() if i is None),
            )
        )

    if spec.limit is not None and "limit" not in result.blockers:
        desired = spec.limit.model_dump()
        if not _limit_matches(live.get("limit"), desired):
            value = spec.limit.value_mb if spec.limit.type == "month1" else 0
            actions.append(SetLimit(live.get("limit"), desired, type=spec.limit.type, value_mb=value))

    if spec.tariff is not None and "tariff" not in result.blockers:
        desired = spec.tariff.model_dump()
        if not _tariff_matches(live.get("tariff"), desired):
            if sim.tariff is not None and sim.tariff.is_change_locked(now):
                result.blockers["tariff"] = f"SIM {sim.iccid}: tariff changes are locked by the platform{_until(sim.tariff.change_lock)}"
                result.held.add("tariff")
            else:
                actions.append(
                    SetTariff(
                        live.get("tariff"),
                        desired,
                        package_kb=spec.tariff.package_kb,
                        auto_package=spec.tariff.auto_package,
                        all_world=spec.tariff.all_world,
                    )
                )

    result.actions = sorted(actions, key=lambda a: ORDER.index(type(a)))
    return result


def _until(lock: Any) -> str:
    """When a tariff change lock ends, as an ISO 8601 UTC date (the platform sends Unix time)."""
    if isinstance(lock, bool) or lock is None:
        return ""
    try:
        moment = datetime.fromtimestamp(float(lock), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError):
        return f" until {lock}"
    return f" until {moment.isoformat(timespec='seconds').replace('+00:00', 'Z')}"


def restore_spec(iccid: str, prior: dict[str, Any], managed: list[str]) -> SimSpec:
    """The spec that puts back the settings recorded at adoption, for the fields we manage.

    A SIM that had no name cannot get its null name back (``sim/edit`` requires a name), and
    a block the platform put on it is not ours to restore: those fields are left as they are.
    """
    values: dict[str, Any] = {"iccid": iccid}
    for key in managed:
        value = prior.get(key)
        if value is None:
            continue
        if key == "blocked":
            # Restoring "blocked" means restoring the user's choice; a platform block at
            # adoption time (recorded as True) is put back as "not unblocked by us".
            values[key] = bool(value) if prior.get("block") in ("n", "u", None) else None
        elif key == "limit":
            values[key] = {"type": value["type"], "value_mb": value["value_mb"] if value["type"] == "month1" else None}
        else:
            values[key] = value
    return SimSpec.model_validate({k: v for k, v in values.items() if v is not None})


def prior_settings(sim: Sim) -> dict[str, Any]:
    """What ``on_delete="restore"`` puts back: the SIM's settings when we adopted it."""
    return {**live_values(sim), "block": sim.block}


def prior_for(sim: Sim, spec: SimSpec) -> dict[str, Any]:
    """What restore needs of one SIM: its managed fields as adopted, and its block code."""
    settings = prior_settings(sim)
    return {key: settings[key] for key in (*spec.managed(), "block") if key in settings}


def shaped(field: str, live: Any, like: Any) -> Any:
    """A live value in the shape of the declared one, so old and new inputs compare cleanly:
    an unmanaged ``all_world`` is left out of a live tariff."""
    if field == "tariff" and isinstance(live, dict) and isinstance(like, Mapping) and like.get("all_world") is None:
        return {**live, "all_world": None}
    return live


def normal(field: str, value: Any) -> Any:
    """A value as it compares: the wire drops null members of objects, so we do too."""
    if field == "groups" and value is not None:
        return sorted(value)
    if isinstance(value, Mapping):
        return {k: v for k, v in value.items() if v is not None}
    return value


def same_value(field: str, recorded: Any, desired: Any) -> bool:
    """Whether a recorded input value and a declared one mean the same setting."""
    if (recorded is None) != (desired is None):
        return False
    return desired is None or normal(field, shaped(field, recorded, desired)) == normal(field, desired)
