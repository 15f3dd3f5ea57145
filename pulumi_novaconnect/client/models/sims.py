"""The SIM card and its nested objects, with the platform's code values."""
from __future__ import annotations

import time
from decimal import Decimal
from enum import Enum

from pydantic import Field

from ._base import NovaModel
from .money import Amount

__all__ = [
    "Profile",
    "BlockCode",
    "LimitType",
    "PROFILE_TC",
    "PROFILE_TD",
    "BLOCK_NONE",
    "BLOCK_USER",
    "BLOCK_MSU",
    "BLOCK_PACKAGE",
    "BLOCK_FINANCIAL",
    "BLOCK_OPERATOR",
    "LIMIT_OFF",
    "LIMIT_MONTH1",
    "LIMIT_PACKAGE",
    "LIMIT_PACKAGE_AUTO",
    "SimGroup",
    "SimLimit",
    "SimTariff",
    "Sim",
    "SimRename",
]


class Profile(str, Enum):
    """SIM profile: decides which methods apply (``sim/limit`` is TC only, ``sim/tariff`` TD only)."""

    TC = "TC"
    TD = "TD"


class BlockCode(str, Enum):
    """Values of ``Sim.block``.

    Only ``u`` is the customer's to set and clear (decision 8); ``p`` is cleared by
    ``sim/repackage`` (TD); ``m`` is irreversible; ``f`` and ``g`` belong to the platform.
    """

    NONE = "n"
    USER = "u"
    MSU = "m"
    PACKAGE = "p"
    FINANCIAL = "f"
    OPERATOR = "g"


class LimitType(str, Enum):
    """Values of ``Sim.limit.type``; ``p_lim``/``p_unlim`` appear after ``sim/tariff`` (decision 9)."""

    OFF = "off"
    MONTH1 = "month1"
    PACKAGE = "p_lim"
    PACKAGE_AUTO = "p_unlim"


PROFILE_TC = Profile.TC.value
PROFILE_TD = Profile.TD.value
BLOCK_NONE = BlockCode.NONE.value
BLOCK_USER = BlockCode.USER.value
BLOCK_MSU = BlockCode.MSU.value
BLOCK_PACKAGE = BlockCode.PACKAGE.value
BLOCK_FINANCIAL = BlockCode.FINANCIAL.value
BLOCK_OPERATOR = BlockCode.OPERATOR.value
LIMIT_OFF = LimitType.OFF.value
LIMIT_MONTH1 = LimitType.MONTH1.value
LIMIT_PACKAGE = LimitType.PACKAGE.value
LIMIT_PACKAGE_AUTO = LimitType.PACKAGE_AUTO.value


class SimGroup(NovaModel):
    """A group as listed inside a SIM (the vendor omits ``added`` there)."""

    id: int = Field(description="Group id.")
    name: str = Field(description="Group name.")


class SimLimit(NovaModel):
    """The SIM's traffic limit, in megabytes."""

    type: str = Field(description="Limit type: off, month1 (TC), p_lim / p_unlim (TD package); see LimitType.")
    value: int | None = Field(default=None, description="Limit value in MB; for TD, the package size in MB.")
    # The vendor's example says int, its table says float: the table is the fact.
    used: float | None = Field(default=None, description="MB used in the current period.")
    updated: int | None = Field(default=None, description="Unix time `used` was last updated.")
    created: int | None = Field(default=None, description="Unix time the limit was set.")


class SimTariff(NovaModel):
    """The SIM's tariff plan."""

    id: int = Field(description="Tariff plan id.")
    name: str = Field(description="Tariff plan name, e.g. TD_Mega.")
    # Decision 6: int|null in the vendor's example, bool in its table; accept both. Order
    # matters for pydantic's smart union only on ambiguity, and JSON true/5 are unambiguous.
    change_lock: int | bool | None = Field(
        default=None,
        description="Unix time the lock on tariff changes lifts (or a bool flag); null when unlocked.",
    )
    package_auto: bool = Field(default=False, description="Whether the traffic package renews itself when used up.")

    def is_change_locked(self, now: float | None = None) -> bool:
        """Whether a tariff change is currently refused, under either reading of ``change_lock``."""
        if self.change_lock is None or self.change_lock is False:
            return False
        if self.change_lock is True:
            return True
        return (time.time() if now is None else now) < self.change_lock


class Sim(NovaModel):
    """A SIM card as ``sim/list`` (and the webhooks) render it."""

    id: int = Field(description="SIM id: what every sim/* method takes in `items`.")
    iccid: str = Field(description="ICCID.")
    number: str = Field(description="Main number (MSISDN).")
    external_number: str | None = Field(default=None, description="Additional number.")
    name: str | None = Field(default=None, description="Customer's name for the SIM (sim/edit).")
    balance: Amount = Field(default=Decimal(0), description="Balance; TC only, always 0 for TD.")
    currency: str | None = Field(default=None, description="Currency of `balance`.")
    msu_value: int | None = Field(default=None, description="MSU count reported by the operator (TC only).")
    profile: str = Field(description="Profile code: TC or TD.")
    block: str = Field(description="Block code: n, u, m, p, f, g (see BlockCode).")
    comment: str | None = Field(default=None, description="The platform's advice about this SIM.")
    groups: list[SimGroup] = Field(
        default_factory=list, description="Groups the SIM belongs to (absent in webhook notifications)."
    )
    limit: SimLimit | None = Field(default=None, description="Traffic limit, MB.")
    tariff: SimTariff | None = Field(default=None, description="Tariff plan.")
    queue_status: str | None = Field(default=None, description="Processing status; only inside queue webhooks.")

    @property
    def is_blocked(self) -> bool:
        """Blocked for any reason (what the `blocked` filter of sim/list means)."""
        return self.block != BLOCK_NONE

    @property
    def group_names(self) -> list[str]:
        """Names of the SIM's groups, sorted and each once: the order-free form diffs compare."""
        return sorted({g.name for g in self.groups})

    @property
    def group_ids(self) -> set[int]:
        """Ids of the SIM's groups."""
        return {g.id for g in self.groups}


class SimRename(NovaModel):
    """The answer of ``sim/edit``: the SIM's id and its new name."""

    id: int = Field(description="SIM id.")
    name: str | None = Field(default=None, description="The SIM's name after the call.")
