"""The platform calls a SIM plan is made of, and the plan itself.

Each action is one platform call serving one managed field of one SIM. Actions compare and
hash by their parameters only, so the same change wanted by many SIMs is one key: a fleet
sends it as one call with all their ids. Which field an action serves, and when it runs, is
declared here; which field wants it is the field model's (fields.py).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar, Mapping, Optional

from ..client.models import LIMIT_OFF
from .blockers import Blocker

# When an action runs relative to the others (see plan.ORDER): a block first (the SIM stops
# before anything else changes), the settings in the field model's order, an unblock last
# (the SIM only resumes once its new limit or package is in place).
STOP, SET, RESUME = "stop", "set", "resume"


@dataclass(frozen=True)
class Action:
    """One platform call serving one managed field of one SIM."""

    method: ClassVar[str]
    field: ClassVar[str]
    phase: ClassVar[str] = SET
    live: Any = dataclasses.field(compare=False)
    desired: Any = dataclasses.field(compare=False)

    def describe(self) -> str:
        return f"{self.field}: {self.live!r} => {self.desired!r}"


@dataclass(frozen=True)
class Block(Action):
    method: ClassVar[str] = "sim/block"
    field: ClassVar[str] = "blocked"
    phase: ClassVar[str] = STOP


@dataclass(frozen=True)
class Unblock(Action):
    method: ClassVar[str] = "sim/unblock"
    field: ClassVar[str] = "blocked"
    phase: ClassVar[str] = RESUME


@dataclass(frozen=True)
class Repackage(Action):
    """Buys a new traffic package for a TD SIM blocked `p`, which lifts that block
    (decision 8); sent only when the declaration opts in (``renew_expired_package``).
    It resumes the SIM too, so it goes out with the unblocks, after the settings."""

    method: ClassVar[str] = "sim/repackage"
    field: ClassVar[str] = "blocked"
    phase: ClassVar[str] = RESUME

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
    type: str = LIMIT_OFF
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


@dataclass
class Plan:
    """The calls a SIM needs, in the order they must run, and what no call can reach."""

    iccid: str
    actions: list[Action] = dataclasses.field(default_factory=list)
    # What keeps each field from its declared value, as found (see blockers.py).
    found: dict[str, Blocker] = dataclasses.field(default_factory=dict)

    def block(self, blocker: Blocker) -> None:
        """Record what keeps one field from its declared value."""
        self.found[blocker.field] = blocker

    @property
    def blockers(self) -> dict[str, str]:
        """Each blocked field with its blocker worded for the user (naming the SIM)."""
        return {field: blocker.text() for field, blocker in self.found.items()}

    @property
    def held(self) -> set[str]:
        """The fields among the blockers that the platform holds (see plan.py's docstring)."""
        return {field for field, blocker in self.found.items() if blocker.held}

    @property
    def converged(self) -> bool:
        return not self.actions and not self.found

    @property
    def refusals(self) -> list[Blocker]:
        """The blockers no wait can lift: the declaration must change."""
        return [blocker for blocker in self.found.values() if not blocker.held]

    @property
    def holding(self) -> list[Blocker]:
        """The blockers the platform holds for now."""
        return [blocker for blocker in self.found.values() if blocker.held]

    @property
    def refused(self) -> dict[str, str]:
        """The blockers no wait can lift, worded: the declaration must change."""
        return {blocker.field: blocker.text() for blocker in self.refusals}

    @property
    def holds(self) -> dict[str, str]:
        """The blockers the platform holds for now, worded."""
        return {blocker.field: blocker.text() for blocker in self.holding}

    @property
    def fields(self) -> list[str]:
        """The managed fields still to change."""
        return list(dict.fromkeys(a.field for a in self.actions))

    def pending(self) -> str:
        return "; ".join(a.describe() for a in self.actions)

    def unreachable(self) -> str:
        """The blockers as one sentence part: `field: reason; ...`."""
        return "; ".join(f"{field}: {blocker.text()}" for field, blocker in self.found.items())
