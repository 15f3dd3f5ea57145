"""The settings of a SIM, each declared once: what may be declared, how the live SIM shows
it, which call changes it, how an inventory writes it and how schema.json describes it.

Everything that names a SIM setting derives from :data:`SIM_FIELDS`: the declaration model
(``spec.SimSpec``), the plan's per-field comparison and calls (``plan.py``), the live values
resources show, the inventory codecs (``inventory.py``) and the export's writer and
``--check`` (``export/``), the settings a group policy takes, and the settings part of
``schema.json`` (``tests/unit/test_sim_fields.py`` holds the file to it). A new setting is
one :class:`SimField` here (and its sender, where the engine sends calls).

The rules come from the vendor's text (API.md):

* ``blocked`` is the user block (decision 8): only ``u`` is ours to set (``sim/block``)
  and clear (``sim/unblock``). A SIM blocked ``m`` (MSU, irreversible), ``f``
  (financial), ``g`` (operator) or ``p`` (package ran out; ``sim/repackage`` buys a new
  one) is blocked anyway, which satisfies ``blocked=True`` without a call, and cannot be
  unblocked by us, which makes ``blocked=False`` unreachable: a *blocker*.
* ``limit`` is TC only (``sim/limit``), ``tariff`` TD only (``sim/tariff``); after a tariff
  change the live ``limit`` shows the package in MB with type ``p_unlim``/``p_lim`` and
  ``tariff.package_auto`` follows (decision 9). Worldwide roaming is the tariff TD_Mega.
  Sizes: limits in MB; packages 15360..102400 KB in steps of 5120 KB, i.e. 15..100 MB in
  steps of 5.
* ``groups`` is the exact set of names; ``sim/group`` replaces the set (decision 4).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Annotated, Any, Callable, Iterator, Literal, Mapping, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator

from ..client.models import (
    BLOCK_FINANCIAL, BLOCK_NONE, BLOCK_OPERATOR, BLOCK_PACKAGE, BLOCK_USER, LIMIT_MONTH1, LIMIT_OFF, LIMIT_PACKAGE,
    LIMIT_PACKAGE_AUTO, PROFILE_TC, PROFILE_TD, Sim,
)
from ..provider.strict import Text, WholeNumber
from .actions import Action, Block, Plan, Rename, Repackage, SetGroups, SetLimit, SetTariff, Unblock
from .blockers import BLOCK_REASONS, Blocker, BlockerCode, block_blocker

PACKAGE_MIN_MB, PACKAGE_MAX_MB, PACKAGE_STEP_MB = 15, 100, 5
ALL_WORLD_TARIFF = "TD_Mega"
GROUP_SEPARATOR = ";"
UNMANAGED = "not managed when left out"

# Blocks the platform holds for reasons of its own, lifted without a change to the declaration.
HELD_BLOCKS = (BLOCK_PACKAGE, BLOCK_FINANCIAL, BLOCK_OPERATOR)

GroupIds = Callable[[str], Optional[int]]
"""Resolves a group name to the id of the group the platform has now (None: not yet there)."""


class CellError(ValueError):
    """An inventory cell that does not read as its field; the inventory names file and line."""


# ------------------------------------------------------------------------ the nested values


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LimitSpec(_Strict):
    """A TC SIM's traffic limit: ``off``, or ``month1`` with a monthly value in MB."""

    type: Literal["off", "month1"] = Field(description="`off` (no limit) or `month1` (calendar month).")
    value_mb: Optional[WholeNumber] = Field(default=None, ge=0, description="Monthly limit in MB (month1 only).")

    @model_validator(mode="after")
    def _value_matches_type(self) -> "LimitSpec":
        if self.type == LIMIT_MONTH1 and self.value_mb is None:
            raise ValueError("a month1 limit needs value_mb (the monthly limit in MB)")
        if self.type == LIMIT_OFF and self.value_mb not in (None, 0):
            raise ValueError("an `off` limit takes no value_mb; remove it or use type month1")
        return self


class TariffSpec(_Strict):
    """A TD SIM's traffic package."""

    package_mb: WholeNumber = Field(description="Package size in MB: 15..100 in steps of 5.")
    auto_package: StrictBool = Field(description="Renew the package automatically when it runs out.")
    all_world: Optional[StrictBool] = Field(
        default=None, description="Worldwide roaming (tariff TD_Mega); unmanaged when left out."
    )

    @field_validator("package_mb")
    @classmethod
    def _package_size(cls, value: int) -> int:
        if not sellable(value):
            raise ValueError(
                f"must be {PACKAGE_MIN_MB}..{PACKAGE_MAX_MB} MB in steps of {PACKAGE_STEP_MB} "
                f"(the platform sells 15360..102400 KB in steps of 5120 KB), got {value}"
            )
        return value

    @property
    def package_kb(self) -> int:
        return self.package_mb * 1024


def sellable(package_mb: Any) -> bool:
    """A package size the platform sells."""
    return (isinstance(package_mb, int) and PACKAGE_MIN_MB <= package_mb <= PACKAGE_MAX_MB
            and package_mb % PACKAGE_STEP_MB == 0)


def _group_names(value: tuple[str, ...]) -> tuple[str, ...]:
    names = [name.strip() for name in value]
    if any(not name for name in names):
        raise ValueError("group names must not be empty")
    # The set is what counts; a stable order keeps old and new inputs comparable.
    return tuple(sorted(set(names)))


# ------------------------------------------------------------------------------- the model


@dataclass
class Planning:
    """What a field's planner sees of one SIM: the live SIM, the whole declaration (a rule may
    depend on another input, as ``blocked`` on ``renew_expired_package``), this field's live
    and desired values in the inputs' shape, and the plan, to which it may add a blocker."""

    sim: Sim
    spec: Any
    live: Any
    desired: Any
    plan: Plan
    group_id: GroupIds
    now: Optional[float]


Planner = Callable[["SimField", Planning], Optional[Action]]


@dataclass(frozen=True)
class Cells:
    """How a field is written in a CSV inventory: its columns and the cell codec. A YAML
    inventory writes the field under its own name, as a program does."""

    columns: tuple[str, ...]
    # The stripped cells of the columns (those the row has) -> the value, or None when they
    # are empty (unmanaged); raises CellError.
    read: Callable[[Mapping[str, str]], Any]
    # A declared value -> its cells.
    write: Callable[[Any], dict[str, str]]
    # A CSV column named like the YAML key (``limit``) is a near miss: what to call it instead.
    csv_hint: str = ""
    # Each column named in a YAML inventory is a near miss: how YAML writes it.
    yaml_hints: Mapping[str, str] = field(default_factory=dict)
    # Other names a CSV column is often given for this field, with the right name.
    aliases: Mapping[str, str] = field(default_factory=dict)
    # Each column's rule in words (docs/inputs.md).
    rules: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SimField:
    """One SIM setting, declared once."""

    name: str
    annotation: Any                    # the type of a declared value (None is always "not managed")
    doc: str                           # what it is, for SimSpec and schema.json
    schema: Mapping[str, Any]          # its schema.json type (the description is derived)
    read_live: Callable[[Sim], Any]    # the value as sim/list shows it, in the inputs' shape
    planner: Planner                   # which platform call changes it (or why none can)
    cells: Cells                       # how an inventory writes it
    exported: Callable[[Sim, Any], Any]  # the live value as an export declares it (None: left out)
    constraints: Mapping[str, Any] = field(default_factory=dict)  # pydantic Field() arguments
    rule: str = ""                     # what a resource takes, in words (docs/inputs.md)
    yaml_rule: str = ""                # what a YAML inventory takes, in words
    profile: Optional[str] = None      # the one profile whose SIMs take it
    profile_noun: str = ""             # the field's values in a profile message, "limits (sim/limit)"
    per_group: bool = False            # one value can suit every SIM of a group (GroupPolicy takes it)
    matches: Callable[[Any, Any], bool] = lambda live, desired: live == desired
    # The live value in the shape of the declared one (``like``), so old and new compare cleanly.
    shaped: Callable[[Any, Any], Any] = lambda live, like: live
    # A value as it compares: the wire drops null members of objects, so we do too.
    normal: Callable[[Any], Any] = lambda value: ({k: v for k, v in value.items() if v is not None}
                                                  if isinstance(value, Mapping) else value)

    def live(self, sim: Sim) -> Any:
        """The live value; None when the SIM's profile does not take the field."""
        return self.read_live(sim) if self.profile in (None, sim.profile) else None

    def same(self, recorded: Any, desired: Any) -> bool:
        """Whether a recorded (or live) value and a declared one mean the same setting."""
        if (recorded is None) != (desired is None):
            return False
        return desired is None or self.normal(self.shaped(recorded, desired)) == self.normal(desired)

    def describe(self) -> str:
        return f"{self.doc}; {UNMANAGED}."

    @property
    def python_type(self) -> type:
        """The type of its value in a program's outputs (a nested object is a plain dict)."""
        return _PYTHON_TYPES.get(self.schema.get("type"), dict)

    def property_schema(self) -> dict[str, Any]:
        """Its schema.json property."""
        return {**self.schema, "description": self.describe()}


_PYTHON_TYPES = {"string": str, "boolean": bool, "integer": int, "number": float, "array": list, "object": dict}


@dataclass(frozen=True, eq=False)
class FieldSet:
    """The SIM settings in their order (the order of inputs, messages and inventory columns).
    Compared by identity: a set is built once and derived from (its model is cached)."""

    fields: tuple[SimField, ...]

    def __iter__(self) -> Iterator[SimField]:
        return iter(self.fields)

    def __getitem__(self, name: str) -> SimField:
        return self.by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self.by_name

    @property
    def by_name(self) -> dict[str, SimField]:
        return {f.name: f for f in self.fields}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def per_group(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.per_group)

    def plus(self, *more: SimField) -> "FieldSet":
        return FieldSet((*self.fields, *more))

    def other_profile(self, one: SimField) -> Optional[SimField]:
        """The field that plays ``one``'s part for the other profile (limit <-> tariff)."""
        return next((f for f in self.fields if f.profile not in (None, one.profile)), None)

    def live_values(self, sim: Sim) -> dict[str, Any]:
        """Every field the SIM takes, as it is now, in the inputs' shape."""
        return {f.name: f.read_live(sim) for f in self.fields if f.profile in (None, sim.profile)}

    def schema(self) -> dict[str, dict[str, Any]]:
        """The settings' schema.json properties."""
        return {f.name: f.property_schema() for f in self.fields}

    def csv_columns(self) -> tuple[str, ...]:
        return ("iccid", *(column for f in self.fields for column in f.cells.columns))


# ----------------------------------------------------------------------------- the planners


def when_differs(change: Callable[[Planning], Action]) -> Planner:
    """The usual rule: one call when the live value does not match the declared one."""
    def planner(declared: SimField, p: Planning) -> Optional[Action]:
        return None if declared.matches(p.live, p.desired) else change(p)
    return planner


def _plan_blocked(_declared: SimField, p: Planning) -> Optional[Action]:
    sim = p.sim
    if p.desired is True and not sim.is_blocked:
        return Block(False, True)
    if p.desired is False and sim.is_blocked:
        if sim.block == BLOCK_USER:
            return Unblock(True, False)
        if sim.block == BLOCK_PACKAGE and p.spec.renew_expired_package and sim.profile == PROFILE_TD:
            return Repackage(True, False)
        p.plan.block(block_blocker(sim.iccid, sim.block))
    return None


def _set_groups(p: Planning) -> Action:
    ids = {name: p.group_id(name) for name in p.desired}
    return SetGroups(p.live, list(p.desired), group_ids=tuple(sorted(i for i in ids.values() if i is not None)),
                     new_names=tuple(name for name, i in ids.items() if i is None))


def _set_limit(p: Planning) -> Action:
    value = p.desired["value_mb"] if p.desired["type"] == LIMIT_MONTH1 else 0
    return SetLimit(p.live, p.desired, type=p.desired["type"], value_mb=value)


def _plan_tariff(declared: SimField, p: Planning) -> Optional[Action]:
    if declared.matches(p.live, p.desired):
        return None
    if p.sim.tariff is not None and p.sim.tariff.is_change_locked(p.now):
        p.plan.block(Blocker(BlockerCode.TARIFF_LOCKED, p.sim.iccid, "tariff",
                             f"tariff changes are locked by the platform{_until(p.sim.tariff.change_lock)}"))
        return None
    return SetTariff(p.live, p.desired, package_kb=p.desired["package_mb"] * 1024,
                     auto_package=p.desired["auto_package"], all_world=p.desired.get("all_world"))


def _until(lock: Any) -> str:
    """When a tariff change lock ends, as an ISO 8601 UTC date (the platform sends Unix time)."""
    if isinstance(lock, bool) or lock is None:
        return ""
    try:
        moment = datetime.fromtimestamp(float(lock), tz=timezone.utc)
    except (TypeError, ValueError, OverflowError):
        return f" until {lock}"
    return f" until {moment.isoformat(timespec='seconds').replace('+00:00', 'Z')}"


# --------------------------------------------------------------------- live values, compared


def _live_limit(sim: Sim) -> dict[str, Any]:
    """A TC SIM's limit in the shape of ``SimSpec.limit``."""
    if sim.limit is None or sim.limit.type == LIMIT_OFF:
        return {"type": LIMIT_OFF, "value_mb": None}
    return {"type": sim.limit.type, "value_mb": sim.limit.value}


def _live_tariff(sim: Sim) -> Optional[dict[str, Any]]:
    """A TD SIM's package in the shape of ``SimSpec.tariff`` (None when it has none)."""
    if sim.limit is None or sim.limit.type not in (LIMIT_PACKAGE, LIMIT_PACKAGE_AUTO):
        return None
    return {
        "package_mb": sim.limit.value,
        "auto_package": bool(sim.tariff.package_auto) if sim.tariff else sim.limit.type == LIMIT_PACKAGE_AUTO,
        "all_world": bool(sim.tariff and sim.tariff.name == ALL_WORLD_TARIFF),
    }


def _limit_matches(live: Optional[Mapping[str, Any]], desired: Mapping[str, Any]) -> bool:
    if live is None:
        return False
    if desired["type"] == LIMIT_OFF:
        return live["type"] == LIMIT_OFF
    return live["type"] == desired["type"] and live["value_mb"] == desired["value_mb"]


def _tariff_matches(live: Optional[Mapping[str, Any]], desired: Mapping[str, Any]) -> bool:
    if live is None:
        return False
    if live["package_mb"] != desired["package_mb"] or live["auto_package"] != desired["auto_package"]:
        return False
    return desired.get("all_world") is None or live["all_world"] == desired["all_world"]


def _tariff_shaped(live: Any, like: Any) -> Any:
    # An unmanaged `all_world` is left out of a live tariff.
    if isinstance(live, dict) and isinstance(like, Mapping) and like.get("all_world") is None:
        return {**live, "all_world": None}
    return live


# ------------------------------------------------------------------------ exported values


def _export_name(_sim: Sim, name: Any) -> Optional[str]:
    # A SIM without a name has nothing to declare (sim/edit needs one); a name with spaces at
    # either end would come back trimmed (CSV cells are stripped).
    return name if name and name == name.strip() else None


def _export_groups(_sim: Sim, groups: Any) -> Optional[list[str]]:
    # An empty set cannot be written as a cell (empty means unmanaged); a name holding the
    # separator would split.
    if groups and all(g == g.strip() and GROUP_SEPARATOR not in g for g in groups):
        return list(groups)
    return None


def _export_blocked(sim: Sim, _blocked: Any) -> Optional[bool]:
    # Only the user's block is a choice the team made: a block the platform holds would be
    # unreachable as `false`, and as `true` would become a user block once the platform lifts it.
    return sim.block == BLOCK_USER if sim.block in (BLOCK_NONE, BLOCK_USER) else None


def _export_limit(_sim: Sim, limit: Any) -> Optional[dict[str, Any]]:
    if limit is None:
        return None
    if limit["type"] == LIMIT_OFF:
        return {"type": LIMIT_OFF}
    if limit["type"] == LIMIT_MONTH1 and isinstance(limit.get("value_mb"), int):
        return {"type": LIMIT_MONTH1, "value_mb": limit["value_mb"]}
    return None


def _export_tariff(_sim: Sim, tariff: Any) -> Optional[dict[str, Any]]:
    if tariff is None or not sellable(tariff.get("package_mb")):
        return None
    return {"package_mb": tariff["package_mb"], "auto_package": bool(tariff["auto_package"]),
            "all_world": bool(tariff["all_world"])}


# ---------------------------------------------------------------------------- CSV cells

_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")


def boolean_cell(text: str, column: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise CellError(f"`{column}` must be true or false, not {text!r}")


def whole_cell(text: str, column: str) -> int:
    if not text.isdigit():
        raise CellError(f"`{column}` must be a whole number of MB, not {text!r}")
    return int(text)


def bool_text(value: bool) -> str:
    return "true" if value else "false"


BOOL_CELL = "true/false, yes/no or 1/0"


def text_cells(column: str, rule: str = "Any text") -> Cells:
    return Cells((column,), lambda c: c.get(column) or None, lambda v: {column: v or ""}, rules={column: rule})


def bool_cells(column: str) -> Cells:
    return Cells((column,), lambda c: boolean_cell(c[column], column) if c.get(column) else None,
                 lambda v: {column: bool_text(v)} if v is not None else {}, rules={column: f"{BOOL_CELL}, any case"})


def _read_groups(cells: Mapping[str, str]) -> Optional[list[str]]:
    if not cells.get("groups"):
        return None
    return [g.strip() for g in cells["groups"].split(GROUP_SEPARATOR) if g.strip()]


def _read_limit(cells: Mapping[str, str]) -> Optional[dict[str, Any]]:
    text = cells.get("limit_mb")
    if not text:
        return None
    return {"type": LIMIT_OFF} if text.lower() == LIMIT_OFF else {"type": LIMIT_MONTH1, "value_mb": whole_cell(text, "limit_mb")}


def _write_limit(limit: Any) -> dict[str, str]:
    if not limit:
        return {}
    return {"limit_mb": LIMIT_OFF if limit["type"] == LIMIT_OFF else str(limit["value_mb"])}


def _read_tariff(cells: Mapping[str, str]) -> Optional[dict[str, Any]]:
    package, auto, world = (cells.get(c) or "" for c in ("package_mb", "auto_package", "all_world"))
    if not (package or auto or world):
        return None
    if not package or not auto:
        raise CellError("a package needs both `package_mb` and `auto_package`; fill in both, "
                        "or empty all three package cells")
    tariff: dict[str, Any] = {"package_mb": whole_cell(package, "package_mb"),
                              "auto_package": boolean_cell(auto, "auto_package")}
    if world:
        tariff["all_world"] = boolean_cell(world, "all_world")
    return tariff


def _write_tariff(tariff: Any) -> dict[str, str]:
    if not tariff:
        return {}
    cells = {"package_mb": str(tariff["package_mb"]), "auto_package": bool_text(tariff["auto_package"])}
    if tariff.get("all_world") is not None:
        cells["all_world"] = bool_text(tariff["all_world"])
    return cells


_TARIFF_YAML = "`tariff: {package_mb: N, auto_package: true|false}`"
BOOL_RULE = "true or false (a bool); text or a number is refused"
LIMIT_VALUE = "`{type: off}` or `{type: month1, value_mb: N}`, N a whole number of MB from 0"
TARIFF_VALUE = ("`{package_mb, auto_package, all_world?}`: package_mb 15..100 in steps of 5, the others true or "
                "false")

# ------------------------------------------------------------------------------ the fields

SIM_FIELDS = FieldSet((
    SimField(
        name="name", annotation=Text, constraints={"min_length": 1},
        doc="SIM name (sim/edit)", schema={"type": "string"},
        read_live=lambda sim: sim.name,
        planner=when_differs(lambda p: Rename(p.sim.name, p.desired, name=p.desired)),
        cells=text_cells("name", "Any text; an empty cell leaves the name unmanaged; a cell holding the separator "
                                 "must be in double quotes"),
        exported=_export_name,
        rule="Text, at least one character; no length rule (the platform documents none)",
        yaml_rule="Text (quote a name YAML would read as a number)",
    ),
    SimField(
        name="groups", annotation=Annotated[tuple[Text, ...], AfterValidator(_group_names)],
        doc="The exact set of group names the SIM must be in",
        schema={"type": "array", "items": {"type": "string"}},
        read_live=lambda sim: sim.group_names,
        planner=when_differs(_set_groups),
        cells=Cells(("groups",), _read_groups, lambda v: {"groups": GROUP_SEPARATOR.join(v or [])},
                    rules={"groups": f"Group names separated by `{GROUP_SEPARATOR}`. Today a `,` inside a quoted cell "
                                     "makes one group of that whole name, which the fleet creates at up"}),
        exported=_export_groups, normal=lambda v: sorted(v) if v is not None else v,
        rule="A list of group names, none blank; the set counts, not the order",
        yaml_rule="A list of group names",
    ),
    SimField(
        name="blocked", annotation=StrictBool, per_group=True,
        doc="The user block (block code `u`)", schema={"type": "boolean"},
        read_live=lambda sim: sim.is_blocked, planner=_plan_blocked,
        cells=bool_cells("blocked"), exported=_export_blocked,
        rule=BOOL_RULE, yaml_rule="true or false",
    ),
    SimField(
        name="limit", annotation=LimitSpec, per_group=True, profile=PROFILE_TC, profile_noun="limits (sim/limit)",
        doc="Traffic limit, TC SIMs only", schema={"$ref": "#/types/novaconnect:index:SimLimit"},
        read_live=_live_limit, planner=when_differs(_set_limit), matches=_limit_matches,
        cells=Cells(("limit_mb",), _read_limit, _write_limit, csv_hint="`limit_mb` (a number of MB, or `off`)",
                    yaml_hints={"limit_mb": "`limit: {type: month1, value_mb: N}` (or `limit: {type: off}`)"},
                    rules={"limit_mb": "A whole number of MB for a monthly limit, or `off`"}),
        exported=_export_limit,
        rule=f"{LIMIT_VALUE}; TC SIMs only (checked against the live SIM at preview); not together with `tariff`",
        yaml_rule=LIMIT_VALUE,
    ),
    SimField(
        name="tariff", annotation=TariffSpec, per_group=True, profile=PROFILE_TD, profile_noun="packages (sim/tariff)",
        doc="Traffic package, TD SIMs only", schema={"$ref": "#/types/novaconnect:index:SimTariff"},
        read_live=_live_tariff, planner=_plan_tariff, matches=_tariff_matches, shaped=_tariff_shaped,
        cells=Cells(("package_mb", "auto_package", "all_world"), _read_tariff, _write_tariff,
                    csv_hint="`package_mb` and `auto_package` (and `all_world`)",
                    yaml_hints={"package_mb": _TARIFF_YAML, "auto_package": _TARIFF_YAML,
                                "all_world": "`tariff: {..., all_world: true|false}`"},
                    aliases={"package": "`package_mb`"},
                    rules={"package_mb": "A whole number of MB, with `auto_package`; the fleet checks 15..100 in "
                                         "steps of 5 at preview",
                           "auto_package": f"{BOOL_CELL}, with `package_mb`",
                           "all_world": f"{BOOL_CELL}, with `package_mb` and `auto_package`"}),
        exported=_export_tariff,
        rule=f"{TARIFF_VALUE}; TD SIMs only; not together with `limit`",
        yaml_rule=TARIFF_VALUE,
    ),
))

