"""Which platform calls take a SIM from its live state to the declared one.

Pure functions of a :class:`~pulumi_novaconnect.client.models.Sim` (as ``sim/list``
renders it) and a :class:`~pulumi_novaconnect.sim.spec.SimSpec`; no I/O, so the rules are
unit-tested on their own. The plan is the whole plan: typed actions with their parameters
resolved (group names to ids through a lookup it is given), which the executor only sends.
Each field's rule (its live value, its comparison, its call, what blocks it) is the field
model's (fields.py); this module applies them, in the fields' order, and orders the calls.

Some blockers are *holds*: the platform holds the SIM for a reason of its own that lifts
without any change to the declaration (blocks ``p``, ``f`` and ``g``, a tariff change lock).
A resource of many SIMs converges the others and reports the held ones; a declaration the
SIM can never meet (a limit on a TD SIM, ``blocked=False`` on an MSU block) stays an error.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

from ..client.models import BLOCK_NONE, BLOCK_USER, LIMIT_MONTH1, Sim
from .actions import RESUME, SET, STOP, Action, Block, Plan, Rename, Repackage, SetGroups, SetLimit, SetTariff, Unblock
from .blockers import Blocker, BlockerCode
from .fields import ALL_WORLD_TARIFF, BLOCK_REASONS, HELD_BLOCKS, SIM_FIELDS, FieldSet, GroupIds, Planning
from .spec import SimSpec

__all__ = ["ALL_WORLD_TARIFF", "BLOCK_REASONS", "HELD_BLOCKS", "ORDER", "Action", "Block", "GroupIds", "Plan",
           "Rename", "Repackage", "SetGroups", "SetLimit", "SetTariff", "Unblock", "live_values", "normal", "order",
           "plan", "prior_for", "prior_settings", "profile_conflicts", "restore_spec", "same_value", "shaped"]

# Extra calls a field's rule may make beside its own setting call, by the field they serve.
_ALSO = {"blocked": (Unblock, Repackage)}
_ACTIONS: tuple[type[Action], ...] = (Block, Unblock, Repackage, Rename, SetGroups, SetLimit, SetTariff)


def order(actions: tuple[type[Action], ...] = _ACTIONS, fields: FieldSet = SIM_FIELDS) -> tuple[type[Action], ...]:
    """The order calls run in: the stops (a block) first, then the settings in the fields'
    order, then the resumes (an unblock, a repackage) once the new limit or package is in place."""
    by_field = {name: i for i, name in enumerate(fields.names)}

    def key(kind: type[Action]) -> tuple[int, int, int]:
        phase = (STOP, SET, RESUME).index(kind.phase)
        # Of the two resumes of `blocked`, a repackage goes out before an unblock.
        return phase, by_field.get(kind.field, len(by_field)), int(kind is Unblock)

    return tuple(sorted(actions, key=key))


ORDER: tuple[type[Action], ...] = order()


def live_values(sim: Sim, fields: FieldSet = SIM_FIELDS) -> dict[str, Any]:
    """Every manageable field of a SIM as it is now, in the inputs' shape."""
    return fields.live_values(sim)


def profile_conflicts(sim: Sim, spec: Any, fields: FieldSet = SIM_FIELDS) -> dict[str, Blocker]:
    """Fields the SIM's profile does not take (limit on TD, tariff on TC)."""
    conflicts = {}
    for declared in fields:
        if declared.profile is None or getattr(spec, declared.name) is None or sim.profile == declared.profile:
            continue
        other = fields.other_profile(declared)
        conflicts[declared.name] = Blocker(
            BlockerCode.PROFILE_LACKS_FIELD, sim.iccid, declared.name,
            f"has profile {sim.profile}: {declared.profile_noun} apply to {declared.profile} SIMs only",
            f"set `{other.name}` for a {other.profile} SIM" if other is not None else None,
        )
    return conflicts


def plan(sim: Sim, spec: Any, *, group_id: GroupIds = lambda _name: None, now: Optional[float] = None) -> Plan:
    """The calls that take ``sim`` to ``spec``, in the order they must run.

    ``group_id`` resolves a declared group name to the platform's id; names it does not know
    are sent for the platform to create. The fields are the spec's own (``SimSpec``'s, or
    those of a model built by ``spec_model``).
    """
    fields: FieldSet = type(spec).field_set
    result = Plan(iccid=sim.iccid)
    result.found.update(profile_conflicts(sim, spec, fields))
    live = fields.live_values(sim)
    desired = spec.managed()
    actions: list[Action] = []
    for declared in fields:
        if declared.name not in desired or declared.name in result.found:
            continue
        action = declared.planner(declared, Planning(sim, spec, live.get(declared.name), desired[declared.name],
                                                     result, group_id, now))
        if action is not None:
            actions.append(action)
    ordered = ORDER if fields is SIM_FIELDS else order(tuple(dict.fromkeys((*_ACTIONS, *map(type, actions)))), fields)
    result.actions = sorted(actions, key=lambda a: ordered.index(type(a)))
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
            values[key] = bool(value) if prior.get("block") in (BLOCK_NONE, BLOCK_USER, None) else None
        elif key == "limit":
            values[key] = {"type": value["type"], "value_mb": value["value_mb"] if value["type"] == LIMIT_MONTH1 else None}
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


def shaped(field: str, live: Any, like: Any, fields: FieldSet = SIM_FIELDS) -> Any:
    """A live value in the shape of the declared one, so old and new inputs compare cleanly:
    an unmanaged ``all_world`` is left out of a live tariff."""
    return fields[field].shaped(live, like) if field in fields else live


def normal(field: str, value: Any, fields: FieldSet = SIM_FIELDS) -> Any:
    """A value as it compares: the wire drops null members of objects, so we do too."""
    return fields[field].normal(value) if field in fields else value


def same_value(field: str, recorded: Any, desired: Any, fields: FieldSet = SIM_FIELDS) -> bool:
    """Whether a recorded input value and a declared one mean the same setting."""
    return fields[field].same(recorded, desired)


def values_differ(fields: FieldSet, recorded: Mapping[str, Any], desired: Mapping[str, Any]) -> bool:
    """Whether two sets of field values (recorded inputs, declared ones) differ in any field."""
    return not all(f.same(recorded.get(f.name), desired.get(f.name)) for f in fields)
