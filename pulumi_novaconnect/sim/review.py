"""What a change does to the SIMs, as a reviewer reads it: counts per kind, every high-risk
change by ICCID and name, a sample of the rest, and drift told apart from the author's edit.

Why the provider says it, not the engine: a Python dynamic provider cannot send the engine a
detailed diff, so for a SimFleet the engine would print every entry of ``sims`` (a 1,000-SIM
edit of a 10,000-SIM fleet was 1.4 million characters, cut off long before the changes by a
pull request comment's 65,536-character limit), and for a GroupPolicy it prints the policy's
inputs but not one of the members they change. So a fleet's entries travel in an input the
engine does not display (resources/sim_fleet.py), and every SIM resource's preview carries
this digest as a diagnostic of the resource, bounded whatever the fleet size: the whole
preview of 1,000 changes among 10,000 SIMs stays under 20,000 characters.

A review is built from the plans the engine call has already made (sim/engine.py), so it says
exactly what ``pulumi up`` will send; it is never a second reading of the platform. The same
review drives the guardrails (sim/guardrails.py) and the JSON a CI job posts to the pull
request (``novaconnect:reviewDir``): one plan, three readers.
"""
from __future__ import annotations

import enum
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

from ..errors import spill
from .actions import Action, Block, Plan, Rename, Repackage, SetGroups, SetLimit, SetTariff, Unblock

SCHEMA = "novaconnect-review/1"
# How much of a review the preview prints: every high-risk change up to HIGH_SHOWN (a file
# lists the rest), and the first OTHERS_SHOWN of the others.
HIGH_SHOWN = 100
OTHERS_SHOWN = 10
# How many of the other changes the JSON digest lists (it always has every count).
JSON_OTHERS = 1000


class Kind(str, enum.Enum):
    """A kind of change to one SIM, as the counts name it."""

    RENAME = "rename"
    JOIN = "join"
    LEAVE = "leave"
    BLOCK = "block"
    UNBLOCK = "unblock"
    LIMIT = "limit"
    TARIFF = "tariff"
    RELEASE = "release"

    @property
    def noun(self) -> tuple[str, str]:
        return _NOUNS[self]


_NOUNS = {
    Kind.RENAME: ("rename", "renames"),
    Kind.JOIN: ("group join", "group joins"),
    Kind.LEAVE: ("group leave", "group leaves"),
    Kind.BLOCK: ("block", "blocks"),
    Kind.UNBLOCK: ("unblock", "unblocks"),
    Kind.LIMIT: ("limit change", "limit changes"),
    Kind.TARIFF: ("tariff change", "tariff changes"),
    Kind.RELEASE: ("SIM let go", "SIMs let go"),
}
# What stops a working device, or starts one that was stopped, or costs money: every one is
# listed by ICCID and name.
HIGH_RISK = frozenset({Kind.BLOCK, Kind.UNBLOCK, Kind.TARIFF, Kind.RELEASE})


def shown_value(kind: Kind, value: Any) -> str:
    """A setting as a reviewer reads it: ``month1 321 MB``, ``25 MB auto``, ``"pump-7"``."""
    if value is None:
        return "unset"
    if kind is Kind.LIMIT and isinstance(value, Mapping):
        return "off" if value.get("type") == "off" else f"{value.get('type')} {_number(value.get('value_mb'))} MB"
    if kind is Kind.TARIFF and isinstance(value, Mapping):
        auto = "auto" if value.get("auto_package") else "no auto"
        world = {True: ", world", False: ", no world"}.get(value.get("all_world"), "")
        return f"{_number(value.get('package_mb'))} MB {auto}{world}"
    if kind in (Kind.BLOCK, Kind.UNBLOCK) and isinstance(value, bool):
        return "blocked" if value else "unblocked"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(map(str, value)) + "]"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


@dataclass(frozen=True)
class Change:
    """One kind of change to one SIM; ``drift`` when the declaration did not change and the
    SIM did (on the platform, since the last ``pulumi up``): up sets it back."""

    kind: Kind
    iccid: str
    name: Optional[str]
    before: str
    after: str
    drift: bool = False

    @property
    def risky(self) -> bool:
        return self.kind in HIGH_RISK and self.before != self.after

    def line(self) -> str:
        why = " (drift: changed on the platform)" if self.drift else ""
        return f"{self.kind.value:<8} {self.iccid} {self.name or '-'}: {self.before} => {self.after}{why}"

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "iccid": self.iccid, "name": self.name, "before": self.before,
                "after": self.after, "drift": self.drift, "high_risk": self.risky}


def changes_of(current: Plan, name: Optional[str], *, drift: bool = False) -> list[Change]:
    """The changes one SIM's plan makes, one per kind."""
    out: list[Change] = []
    for action in current.actions:
        out.extend(_changes(action, current.iccid, name, drift))
    return out


def _changes(action: Action, iccid: str, name: Optional[str], drift: bool) -> list[Change]:
    def one(kind: Kind, before: Any, after: Any) -> Change:
        return Change(kind, iccid, name, shown_value(kind, before), shown_value(kind, after), drift)

    if isinstance(action, Block):
        return [one(Kind.BLOCK, False, True)]
    if isinstance(action, (Unblock, Repackage)):
        change = one(Kind.UNBLOCK, True, False)
        if isinstance(action, Repackage):
            change = Change(Kind.UNBLOCK, iccid, name, "blocked (package ran out)", "unblocked by a new package", drift)
        return [change]
    if isinstance(action, Rename):
        return [one(Kind.RENAME, action.live, action.desired)]
    if isinstance(action, SetGroups):
        live, desired = list(action.live or []), list(action.desired or [])
        joins, leaves = [g for g in desired if g not in live], [g for g in live if g not in desired]
        return ([one(Kind.JOIN, live, desired)] if joins else []) + ([one(Kind.LEAVE, live, desired)] if leaves else [])
    if isinstance(action, SetLimit):
        return [one(Kind.LIMIT, action.live, action.desired)]
    if isinstance(action, SetTariff):
        return [one(Kind.TARIFF, action.live, action.desired)]
    return []


def release_change(iccid: str, name: Optional[str], current: Optional[Plan], on_delete: str) -> Change:
    """A SIM the resource lets go: what ``on_delete`` does to it."""
    done = changes_of(current, name) if current is not None else []
    after = "; ".join(c.after if c.kind in (Kind.BLOCK, Kind.UNBLOCK) else f"{c.kind.value} {c.after}"
                      for c in done) or "left as it is"
    return Change(Kind.RELEASE, iccid, name, f"managed (on_delete={on_delete})", after)


@dataclass
class Review:
    """What one resource's change does to its SIMs."""

    owner: str
    total: int
    operation: str  # "create" or "update"
    changes: list[Change] = field(default_factory=list)
    urn: Optional[str] = None
    # The changed SIMs' platform ids (reports select SIMs by id), and what the change does to
    # working devices (impact.py), shown under the headline.
    sim_ids: dict[str, int] = field(default_factory=dict)
    impact: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Per kind, how many SIMs it changes (kinds with none left out), in the kinds' order."""
        seen: dict[Kind, set[str]] = {}
        for change in self.changes:
            seen.setdefault(change.kind, set()).add(change.iccid)
        return {kind.value: len(seen[kind]) for kind in Kind if kind in seen}

    @property
    def changed(self) -> int:
        """How many SIMs the change writes to (a SIM let go with nothing to do is not one)."""
        return len({c.iccid for c in self.changes if c.kind is not Kind.RELEASE or c.risky})

    def count(self, kind: Kind) -> int:
        return self.counts().get(kind.value, 0)

    @property
    def releases(self) -> int:
        """SIMs let go in a way that changes them (``on_delete`` block or restore)."""
        return len({c.iccid for c in self.changes if c.kind is Kind.RELEASE and c.risky})

    @property
    def drifted(self) -> int:
        return len({c.iccid for c in self.changes if c.drift})

    @property
    def high_risk(self) -> list[Change]:
        return sorted((c for c in self.changes if c.risky), key=lambda c: (c.kind.value, c.iccid))

    @property
    def others(self) -> list[Change]:
        return sorted((c for c in self.changes if not c.risky), key=lambda c: (c.kind.value, c.iccid))

    def headline(self) -> str:
        counts = self.counts()
        what = ", ".join(f"{n:,} {_NOUNS[Kind(k)][n != 1]}" for k, n in counts.items())
        verb = "adopts" if self.operation == "create" else "covers"
        if not self.changes:
            return f"{self.owner} {verb} {self.total:,} SIM{'s' if self.total != 1 else ''} as they are: no SIM changes"
        drift = (f"; {self.drifted:,} of them changed on the platform since the last `pulumi up` "
                 "(drift, set back)") if self.drifted else ""
        return (f"{self.owner} {verb} {self.total:,} SIM{'s' if self.total != 1 else ''} and changes "
                f"{self.changed:,}: {what}{drift}")

    def text(self) -> str:
        """The digest a preview prints: a headline, every high-risk change (up to HIGH_SHOWN,
        a file has the rest), and the first few others with how many more."""
        lines = [self.headline(), *self.impact]
        high = self.high_risk
        if high:
            lines.append(f"  high risk ({len(high):,}, {'all' if len(high) <= HIGH_SHOWN else f'first {HIGH_SHOWN}'} "
                         "listed):")
            lines += [f"    {c.line()}" for c in high[:HIGH_SHOWN]]
            if len(high) > HIGH_SHOWN:
                lines.append(f"    and {len(high) - HIGH_SHOWN:,} more{_where('high-risk', high)}")
        others = self.others
        if others:
            lines.append(f"  other changes ({len(others):,}"
                         f"{'' if len(others) <= OTHERS_SHOWN else f', first {OTHERS_SHOWN} shown'}):")
            lines += [f"    {c.line()}" for c in others[:OTHERS_SHOWN]]
            if len(others) > OTHERS_SHOWN:
                lines.append(f"    and {len(others) - OTHERS_SHOWN:,} more{_where('changes', others)}")
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        others = self.others
        return {
            "schema": SCHEMA,
            "resource": self.owner,
            "urn": self.urn,
            "operation": self.operation,
            "sims": self.total,
            "changed": self.changed,
            "drifted": self.drifted,
            "counts": self.counts(),
            "high_risk": [c.as_json() for c in self.high_risk],
            "changes": [c.as_json() for c in others[:JSON_OTHERS]],
            "changes_not_listed": max(0, len(others) - JSON_OTHERS),
            "impact": [line.strip() for line in self.impact],
            "headline": self.headline(),
        }


def _where(topic: str, changes: Iterable[Change]) -> str:
    where = spill(f"review-{topic}", [c.line() for c in changes])
    return f" (every one is listed in {where})" if where else ""


def write_json(review: Review, folder: str) -> Optional[Path]:
    """Write the review where a CI job collects it (``novaconnect:reviewDir``): one file per
    resource, named after it, replaced by the resource's next preview."""
    key = review.urn or review.owner
    slug = re.sub(r"[^A-Za-z0-9]+", "-", review.owner).strip("-").lower() or "resource"
    path = Path(folder) / f"{slug}-{hashlib.sha256(key.encode()).hexdigest()[:10]}.json"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(review.as_json(), indent=1, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        return None
    return path
