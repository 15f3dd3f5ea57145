"""Letting SIMs go (a SIM resource deleted, or a SIM leaving a fleet or a group policy):
what ``on_delete`` asks of each SIM, and the targets the engine then converges."""
from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from ..client.models import Sim
from .outcome import worded
from .plan import restore_spec
from .platform import Platform
from .spec import SimSpec

__all__ = ["release_spec", "release_targets"]


def release_spec(iccid: str, on_delete: str, prior: Optional[Mapping[str, Any]], managed: Sequence[str]) -> Optional[SimSpec]:
    """What letting a SIM go asks of it: nothing (``retain``), a block, or its settings at adoption."""
    if on_delete == "block":
        return SimSpec(iccid=iccid, blocked=True)
    if on_delete == "restore":
        return restore_spec(iccid, dict(prior or {}), list(managed))
    return None


def release_targets(
    platform: Platform, managed: Mapping[str, Sequence[str]], on_delete: str, prior: Optional[Mapping[str, Any]],
    left: Optional[dict[str, str]] = None,
) -> list[tuple[Sim, SimSpec]]:
    """Letting many SIMs go: (live SIM, release spec) for each that ``on_delete`` asks something
    of. ``managed`` maps each ICCID to the fields its resource managed; a SIM gone from the
    account needs nothing.

    A setting the platform will not let us put back (restoring ``blocked=False`` on a SIM
    blocked ``m`` since) is left as it is rather than failing every later run: letting go
    cannot wait for it. ``left``, when given, gets each such SIM with why."""
    if on_delete == "retain" or not managed:
        return []
    view = platform.sims.get(*(("iccid", iccid) for iccid in managed))  # fresh after our own writes
    targets = []
    for iccid, fields in managed.items():
        sim = view.get(("iccid", iccid))
        release = release_spec(iccid, on_delete, (prior or {}).get(iccid), list(fields))
        if sim is None or release is None:
            continue
        blockers = platform.plan_for(sim, release).found
        if blockers:
            release = release.model_copy(update=dict.fromkeys(blockers))
            if left is not None:
                left[iccid] = worded(blockers.values())
        targets.append((sim, release))
    return targets
