"""Limits on what one `pulumi up` may do to SIMs in the field, checked at preview.

A fleet declaration is a few lines of code, and a wrong default or a bad merge in them can
block thousands of working devices at once. So each `pulumi up` has a blast radius set in
stack config, with safe defaults: ``novaconnect:maxChanges`` (SIMs changed),
``novaconnect:maxBlocks`` (SIMs blocked) and ``novaconnect:maxReleases`` (SIMs let go in a
way that changes them). They count across every SIM resource of the stack: the engine
checks its resources one at a time in one provider process, which keeps each resource's
latest count (a resource previewed twice in one run counts once). SIMs listed in
``novaconnect:criticalSims`` are never blocked, let go of, or given another limit or tariff,
whatever the limits say, like a resource with ``protect``.

A change over a limit stops at preview, before any call: the error names the limit, the
count and how to let this one run through (the limit's environment variable wins over the
stack config for that run). The same numbers are in the review's JSON (review.py), for a CI
job that wants to hold a pull request to them.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Optional

from ..errors import GuardrailExceeded
from ..provider.config import ENVIRONMENT, NAMESPACE, ProviderSettings
from .review import Kind, Review

# Kinds of change a critical SIM refuses.
CRITICAL_REFUSES = frozenset({Kind.BLOCK, Kind.RELEASE, Kind.LIMIT, Kind.TARIFF})


@dataclass(frozen=True)
class Radius:
    """What one resource's change does, as the limits count it."""

    changes: int = 0
    blocks: int = 0
    releases: int = 0

    @classmethod
    def of(cls, review: Review) -> "Radius":
        return cls(review.changed, review.count(Kind.BLOCK), review.releases)

    def __add__(self, other: "Radius") -> "Radius":
        return Radius(self.changes + other.changes, self.blocks + other.blocks, self.releases + other.releases)


class Tally:
    """Each resource's latest radius in this provider process (one per deployment)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_owner: dict[str, Radius] = {}

    def record(self, owner: str, radius: Radius) -> Radius:
        """Record ``owner``'s radius; answer the stack's total with it."""
        with self._lock:
            self._by_owner[owner] = radius
            total = Radius()
            for each in self._by_owner.values():
                total = total + each
            return total

    def clear(self) -> None:
        with self._lock:
            self._by_owner.clear()


LIMITS = (
    ("changes", "maxChanges", "change", "max_changes"),
    ("blocks", "maxBlocks", "block", "max_blocks"),
    ("releases", "maxReleases", "let go of", "max_releases"),
)


def enforce(review: Review, settings: ProviderSettings, tally: Tally) -> None:
    """Raise :class:`GuardrailExceeded` for a critical SIM the change would hurt, or for a
    limit the stack's change would exceed; else record the resource's radius."""
    critical = [c for c in review.changes if c.iccid in settings.critical_sims and c.kind in CRITICAL_REFUSES
                and (c.kind is not Kind.RELEASE or c.risky)]
    if critical:
        first = critical[0]
        more = f" (and {len(critical) - 1:,} more changes to critical SIMs)" if len(critical) > 1 else ""
        raise GuardrailExceeded(
            f"{review.owner}: SIM {first.iccid} ({first.name or 'no name'}) is critical ({NAMESPACE}:criticalSims), "
            f"so this stack may not {_verb(first.kind)} it ({first.before} => {first.after}){more}; nothing was "
            f"changed. Take it out of {NAMESPACE}:criticalSims first if the change is meant"
        )
    mine = Radius.of(review)
    total = tally.record(review.owner, mine)
    for attr, key, verb, setting in LIMITS:
        limit, count = getattr(settings, setting), getattr(total, attr)
        if count > limit:
            alone = getattr(mine, attr)
            stack = "" if alone == count else f" ({alone:,} of them by this resource)"
            env = ENVIRONMENT[key]
            raise GuardrailExceeded(
                f"{review.owner}: this `pulumi up` would {verb} {count:,} SIMs{stack}, over {NAMESPACE}:{key} = "
                f"{limit:,}; nothing was changed. If the change is meant, let this one run through with "
                f"`{env}={count} pulumi up`, or raise the stack's limit with "
                f"`pulumi config set {NAMESPACE}:{key} {count}`"
            )


def _verb(kind: Kind) -> str:
    return {Kind.BLOCK: "block", Kind.RELEASE: "let go of", Kind.LIMIT: "change the limit of",
            Kind.TARIFF: "change the tariff of"}.get(kind, "change")


def shown_limits(settings: Optional[ProviderSettings]) -> dict[str, int]:
    settings = settings or ProviderSettings()
    return {key: getattr(settings, setting) for _, key, _, setting in LIMITS}
