"""Why a SIM cannot reach its declared state, as data.

A blocker is made where it is found (the field model's planners, the profile check) and kept
as a value through plan, engine and reports; only :meth:`Blocker.text` words it, so a check
failure, a refusal and a warning about many SIMs all say the same thing, one naming the SIM
and the other leaving it out, without one text being edited into the other.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Optional

from ..client.models import BlockCode

__all__ = ["HELD", "Blocker", "BlockerCode", "block_blocker"]


class BlockerCode(str, Enum):
    """What stands between a SIM and its declaration."""

    PACKAGE_RAN_OUT = "package_ran_out"      # block `p`: only a new traffic package lifts it
    UNPAID_BILL = "unpaid_bill"              # block `f`: only paying the bill lifts it
    OPERATOR_BLOCK = "operator_block"        # block `g`: only the operator or NovaConnect lifts it
    MSU_BLOCK = "msu_block"                  # block `m`: irreversible
    OTHER_BLOCK = "other_block"              # a block code this provider does not know
    TARIFF_LOCKED = "tariff_locked"          # tariff changes locked by the platform for now
    PROFILE_LACKS_FIELD = "profile_lacks_field"  # a limit on a TD SIM, a tariff on a TC SIM
    # Found while converging, once calls went out (failures.py words them):
    CALL_FAILED = "call_failed"              # the platform refused or failed a call
    TIMED_OUT = "timed_out"                  # sim/list did not show the change in time
    CHANGED_ELSEWHERE = "changed_elsewhere"  # another writer changed the SIM meanwhile
    DISAPPEARED = "disappeared"              # the SIM left sim/list meanwhile


# The blockers the platform holds for reasons of its own: they lift without any change to the
# declaration, so a resource of many SIMs converges the others and reports these as held.
HELD = frozenset({BlockerCode.PACKAGE_RAN_OUT, BlockerCode.UNPAID_BILL, BlockerCode.OPERATOR_BLOCK,
                  BlockerCode.TARIFF_LOCKED})

_BY_BLOCK = {
    BlockCode.MSU: BlockerCode.MSU_BLOCK,
    BlockCode.FINANCIAL: BlockerCode.UNPAID_BILL,
    BlockCode.OPERATOR: BlockerCode.OPERATOR_BLOCK,
    BlockCode.PACKAGE: BlockerCode.PACKAGE_RAN_OUT,
}

# What each platform block is, worded to follow "the SIM is".
BLOCK_REASONS = {
    BlockCode.MSU.value: "blocked 'm' (MSU limit exceeded): the operator's block is irreversible",
    BlockCode.FINANCIAL.value: "blocked 'f' (financial): only paying the bill lifts it",
    BlockCode.OPERATOR.value: "blocked 'g' (by the operator or NovaConnect): only they can lift it (ask NovaConnect support)",
    BlockCode.PACKAGE.value: "blocked 'p' (traffic package ran out): only a new package (sim/repackage) lifts it, "
    "which this provider buys only when renew_expired_package=True is set",
}


@dataclass(frozen=True)
class Blocker:
    """One reason one SIM's field cannot reach its declared value.

    ``detail`` says what holds the field, worded to follow the SIM ("is blocked 'f' ...",
    "has profile TD: ..."); ``what_to_do`` is the advice after it, when there is one."""

    code: BlockerCode
    iccid: str
    field: str
    detail: str
    what_to_do: Optional[str] = None

    @property
    def held(self) -> bool:
        """Whether the platform holds it for now (it lifts by itself), rather than the
        declaration asking what the SIM can never do."""
        return self.code in HELD

    def text(self, *, named: bool = True) -> str:
        """The blocker worded for the user: naming its SIM (``named``), or for a list whose
        lines name the SIM already."""
        if self.code is BlockerCode.TARIFF_LOCKED:
            # A lock is the platform's, not a state of the SIM: "SIM ...: tariff changes are locked".
            subject = f"SIM {self.iccid}: " if named else ""
        else:
            subject = f"SIM {self.iccid} " if named else "the SIM "
        advice = f"; {self.what_to_do}" if self.what_to_do else ""
        return f"{subject}{self.detail}{advice}"


def block_blocker(iccid: str, block: str) -> Blocker:
    """The blocker of a SIM the platform blocked (any code but ``n`` and ``u``)."""
    try:
        code = _BY_BLOCK.get(BlockCode(block), BlockerCode.OTHER_BLOCK)
    except ValueError:
        code = BlockerCode.OTHER_BLOCK
    reason = BLOCK_REASONS.get(block, f"blocked {block!r} by the platform")
    return Blocker(code, iccid, "blocked", f"is {reason}", "it cannot be unblocked through the API")
