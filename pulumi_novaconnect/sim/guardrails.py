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
from typing import Any, Mapping, Optional, Sequence

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
# The summary of a review that a SIM resource's checked inputs carry (REVIEW_KEY), for a policy
# pack (policy_pack.py), which sees a resource's inputs but never the provider's diff: the
# counts the limits take, and the changes a critical SIM refuses, the first CRITICAL_LISTED.
# Not an internal `__` input: the engine hands a pack none of those.
REVIEW_KEY = "review"
SUMMARY_SCHEMA = "novaconnect-radius/1"
CRITICAL_LISTED = 1000


@dataclass(frozen=True)
class Touch:
    """A change a critical SIM refuses, as a message names it (a summary keeps the ICCID and
    the kind only: it is stored with the resource)."""

    iccid: str
    kind: str
    name: Optional[str] = None
    before: str = ""
    after: str = ""


def critical_touches(review: Review) -> list[Touch]:
    """The changes of ``review`` that a SIM marked critical refuses."""
    return [Touch(c.iccid, c.kind.value, c.name, c.before, c.after) for c in review.changes
            if c.kind in CRITICAL_REFUSES and (c.kind is not Kind.RELEASE or c.risky)]


def summary(review: Review) -> dict[str, Any]:
    """What the limits and the critical SIMs take of a review, small whatever the fleet size."""
    touches = critical_touches(review)
    radius = Radius.of(review)
    by_kind: dict[str, list[str]] = {}
    for touch in touches[:CRITICAL_LISTED]:
        by_kind.setdefault(touch.kind, []).append(touch.iccid)
    return {"schema": SUMMARY_SCHEMA, "resource": review.owner, "operation": review.operation,
            "changes": radius.changes, "blocks": radius.blocks, "releases": radius.releases,
            "critical": by_kind, "critical_not_listed": max(0, len(touches) - CRITICAL_LISTED)}


def from_summary(found: Mapping[str, Any]) -> tuple[Radius, list[Touch], int]:
    """A summary read back (by a policy pack): the radius, the listed touches, how many more."""
    radius = Radius(int(found.get("changes") or 0), int(found.get("blocks") or 0), int(found.get("releases") or 0))
    listed = found.get("critical") if isinstance(found.get("critical"), Mapping) else {}
    touches = [Touch(str(iccid), str(kind)) for kind, iccids in listed.items() if isinstance(iccids, list)
               for iccid in iccids]
    return radius, touches, int(found.get("critical_not_listed") or 0)


@dataclass(frozen=True)
class Limits:
    """The three limits and the critical SIMs, wherever they are set."""

    max_changes: int
    max_blocks: int
    max_releases: int
    critical_sims: frozenset[str] = frozenset()

    @classmethod
    def of(cls, settings: ProviderSettings) -> "Limits":
        return cls(settings.max_changes, settings.max_blocks, settings.max_releases,
                   frozenset(settings.critical_sims))


def critical_breach(owner: str, touches: Sequence[Touch], critical: frozenset[str], where: str) -> Optional[str]:
    """What refuses a change to a critical SIM (listed in ``where``), or None."""
    hurt = [t for t in touches if t.iccid in critical]
    if not hurt:
        return None
    first = hurt[0]
    who = f" ({first.name or 'no name'})" if first.name is not None else ""
    what = f" ({first.before} => {first.after})" if first.before or first.after else ""
    more = f" (and {len(hurt) - 1:,} more changes to critical SIMs)" if len(hurt) > 1 else ""
    return (f"{owner}: SIM {first.iccid}{who} is critical ({where}), so this stack may not {_verb(first.kind)} it"
            f"{what}{more}; nothing was changed. Take it out of {where} first if the change is meant")


def limit_breach(owner: str, mine: Radius, total: Radius, limits: Limits) -> Optional[tuple[str, str, int, int]]:
    """The first limit the stack's change exceeds, as (message naming the limit, count and who
    did it, config key, count, limit), or None; the caller says how to raise it."""
    for attr, key, verb, setting in LIMITS:
        limit, count = getattr(limits, setting), getattr(total, attr)
        if count > limit:
            alone = getattr(mine, attr)
            stack = "" if alone == count else f" ({alone:,} of them by this resource)"
            return f"{owner}: this `pulumi up` would {verb} {count:,} SIMs{stack}", key, count, limit
    return None


def enforce(review: Review, settings: ProviderSettings, tally: Tally) -> None:
    """Raise :class:`GuardrailExceeded` for a critical SIM the change would hurt, or for a
    limit the stack's change would exceed; else record the resource's radius."""
    limits = Limits.of(settings)
    refused = critical_breach(review.owner, critical_touches(review), limits.critical_sims,
                              f"{NAMESPACE}:criticalSims")
    if refused:
        raise GuardrailExceeded(refused)
    mine = Radius.of(review)
    over = limit_breach(review.owner, mine, tally.record(review.owner, mine), limits)
    if over:
        what, key, count, limit = over
        raise GuardrailExceeded(
            f"{what}, over {NAMESPACE}:{key} = {limit:,}; nothing was changed. If the change is meant, let this one "
            f"run through with `{ENVIRONMENT[key]}={count} pulumi up`, or raise the stack's limit with "
            f"`pulumi config set {NAMESPACE}:{key} {count}`"
        )


def _verb(kind: str) -> str:
    return {Kind.BLOCK.value: "block", Kind.RELEASE.value: "let go of", Kind.LIMIT.value: "change the limit of",
            Kind.TARIFF.value: "change the tariff of"}.get(kind, "change")


def shown_limits(settings: Optional[ProviderSettings]) -> dict[str, int]:
    settings = settings or ProviderSettings()
    return {key: getattr(settings, setting) for _, key, _, setting in LIMITS}
