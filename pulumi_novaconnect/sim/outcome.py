"""What a bulk convergence sends and reaches: the calls that went out, the SIMs as last
read, the ones that failed (each with why) and the ones the platform holds.

Plain data, shared by the engine (converge.py), its wait (wait.py) and the reports that
tell the user (report.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Optional

from ..client.models import Sim
from ..errors import ResourceError
from .blockers import Blocker, BlockerCode
from .plan import Action, Plan


@dataclass(frozen=True)
class Failure:
    """Why one SIM did not converge, and the error a single-SIM resource raises for it."""

    kind: type[ResourceError]
    message: str
    # Whether running `pulumi up` again, unchanged, may get the SIM there (a queue still
    # working, a platform hiccup) or cannot (a refusal, an unreachable state).
    retry_helps: bool = False
    # What failed it: the kind of failure, or the plan's blockers that stand in its way.
    code: Optional[BlockerCode] = None
    blockers: tuple[Blocker, ...] = ()


@dataclass
class Outcome:
    """What a bulk convergence reached: the SIMs as last read, the ones that failed, and the
    ones the platform holds (each with why; everything else of theirs was converged)."""

    sims: dict[str, Sim] = field(default_factory=dict)
    failures: dict[str, Failure] = field(default_factory=dict)
    held: dict[str, tuple[Blocker, ...]] = field(default_factory=dict)  # what holds each, worded by held_reason
    calls: dict[str, int] = field(default_factory=dict)  # write calls made, by method


@dataclass(frozen=True)
class Sent:
    """One call that went out: its action (a Rename takes effect at once, the rest queue) and SIMs."""

    action: Action
    iccids: tuple[str, ...]


def held_reason(current: Plan) -> str:
    """What holds a SIM, worded for a list that names the SIM already."""
    return worded(current.holding)


def held_reasons(held: Mapping[str, Iterable[Blocker]]) -> dict[str, str]:
    """Held SIMs with what holds each, worded for a list that names the SIM already."""
    return {iccid: worded(blockers) for iccid, blockers in held.items()}


def worded(blockers: Iterable[Blocker]) -> str:
    """Blockers of one SIM as one line part, for a list that names the SIM already."""
    return "; ".join(f"{blocker.field}: {blocker.text(named=False)}" for blocker in blockers)
