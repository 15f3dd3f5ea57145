"""Which platform calls take a SIM from its live state to the declared one.

Pure functions of a :class:`~pulumi_novaconnect.client.models.Sim` (as ``sim/list``
renders it) and a :class:`~pulumi_novaconnect.sim_spec.SimSpec`; no I/O, so the rules are
unit-tested on their own. The rules come from API.md:

* ``blocked`` is the user block (decision 8): only ``u`` is ours to set (``sim/block``)
  and clear (``sim/unblock``). A SIM blocked ``m`` (MSU, irreversible), ``f``
  (financial), ``g`` (operator) or ``p`` (package ran out; ``sim/repackage`` buys a new
  one) is blocked anyway, which satisfies ``blocked=True`` without a call, and cannot be
  unblocked by us, which makes ``blocked=False`` unreachable: a *blocker*.
* ``limit`` is TC only (``sim/limit``), ``tariff`` TD only (``sim/tariff``); after a tariff
  change the live ``limit`` shows the package in MB with type ``p_unlim``/``p_lim`` and
  ``tariff.package_auto`` follows (decision 9). Worldwide roaming is the tariff TD_Mega.
* ``groups`` is the exact set of names; ``sim/group`` replaces the set (decision 4).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from .client.models import Sim
from .sim_spec import SimSpec

BLOCK_REASONS = {
    "m": "blocked 'm' (MSU limit exceeded): the operator's block is irreversible",
    "f": "blocked 'f' (financial): only paying the bill lifts it",
    "g": "blocked 'g' (by the operator or NovaConnect): only they can lift it",
    "p": "blocked 'p' (traffic package ran out): only a new package (sim/repackage) lifts it, "
    "which this provider never buys on its own",
}
ALL_WORLD_TARIFF = "TD_Mega"

# Calls run in this order: a block first (the SIM stops before anything else changes), an
# unblock last (the SIM only resumes once its new limit or package is in place).
ORDER = ("sim/block", "sim/edit", "sim/group", "sim/limit", "sim/tariff", "sim/unblock")


@dataclass(frozen=True)
class Action:
    """One platform call serving one managed field."""

    method: str
    field: str
    params: dict[str, Any]
    live: Any
    desired: Any

    def describe(self) -> str:
        return f"{self.field}: {self.live!r} => {self.desired!r}"


@dataclass
class Plan:
    """The calls a SIM needs, and what no call can reach."""

    iccid: str
    actions: list[Action] = field(default_factory=list)
    blockers: dict[str, str] = field(default_factory=dict)

    @property
    def converged(self) -> bool:
        return not self.actions and not self.blockers

    def pending(self) -> str:
        return "; ".join(a.describe() for a in self.actions)


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
        "groups": sorted({g.name for g in sim.groups}),
        "blocked": sim.block != "n",
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


def plan(sim: Sim, spec: SimSpec, *, now: Optional[float] = None) -> Plan:
    """The calls that take ``sim`` to ``spec``, in the order they must run."""
    result = Plan(iccid=sim.iccid)
    result.blockers.update(profile_conflicts(sim, spec))
    live = live_values(sim)
    actions: list[Action] = []

    if spec.blocked is True and sim.block == "n":
        actions.append(Action("sim/block", "blocked", {}, False, True))
    if spec.blocked is False and sim.block != "n":
        if sim.block == "u":
            actions.append(Action("sim/unblock", "blocked", {}, True, False))
        else:
            reason = BLOCK_REASONS.get(sim.block, f"blocked {sim.block!r} by the platform")
            result.blockers["blocked"] = f"SIM {sim.iccid} is {reason}; it cannot be unblocked through the API"

    if spec.name is not None and sim.name != spec.name:
        actions.append(Action("sim/edit", "name", {"name": spec.name}, sim.name, spec.name))

    if spec.groups is not None and sorted(spec.groups) != live["groups"]:
        actions.append(Action("sim/group", "groups", {"names": list(spec.groups)}, live["groups"], list(spec.groups)))

    if spec.limit is not None and "limit" not in result.blockers:
        desired = spec.limit.model_dump()
        if not _limit_matches(live.get("limit"), desired):
            value = spec.limit.value_mb if spec.limit.type == "month1" else 0
            actions.append(
                Action("sim/limit", "limit", {"type": spec.limit.type, "value_mb": value}, live.get("limit"), desired)
            )

    if spec.tariff is not None and "tariff" not in result.blockers:
        desired = spec.tariff.model_dump()
        if not _tariff_matches(live.get("tariff"), desired):
            if sim.tariff is not None and sim.tariff.is_change_locked(now):
                lock = sim.tariff.change_lock
                until = f" until {lock}" if not isinstance(lock, bool) else ""
                result.blockers["tariff"] = f"SIM {sim.iccid}: tariff changes are locked by the platform{until}"
            else:
                params = {
                    "package_kb": spec.tariff.package_kb,
                    "auto_package": spec.tariff.auto_package,
                    "all_world": spec.tariff.all_world,
                }
                actions.append(Action("sim/tariff", "tariff", params, live.get("tariff"), desired))

    result.actions = sorted(actions, key=lambda a: ORDER.index(a.method))
    return result


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
