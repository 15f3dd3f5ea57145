"""``novaconnect-export --check DIR``: an inventory against the live account, outside Pulumi.

For nightly drift jobs: each SIM of the inventory is compared, field by field, with what
the platform holds now, and every difference is printed as ``field: live => declared``
(the wording of ``pulumi preview --refresh``). Only fields the inventory declares count;
an empty cell is unmanaged there, so it is not compared here either.

The comparison is deepdiff's: values are first put in the declared shape by the SIM core
(``shaped``/``normal``: group sets in order, an unmanaged ``all_world`` left out, null
members dropped), then ``DeepDiff`` names the fields (its ``affected_root_keys``) that
differ, nested limit and tariff objects included, without hand-written walking.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional

from deepdiff import DeepDiff

from ..client.models import Sim
from ..inventory import InventoryError, read_inventory
from ..sim.plan import live_values, normal, shaped
from ..sim.spec import MANAGED_FIELDS
from .entries import FORMATS


@dataclass
class Drift:
    """Per ICCID, the lines ``field: live => declared``; and the SIMs the account lacks."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def found(self) -> bool:
        return bool(self.fields or self.missing)


def inventory_in(directory: Path) -> Path:
    """The inventory file of an exported folder (``inventory.csv`` or ``inventory.yaml``)."""
    if directory.is_file():
        return directory
    for name in FORMATS.values():
        if (directory / name).is_file():
            return directory / name
    raise InventoryError(f"{directory}: no {' or '.join(FORMATS.values())} in this folder")


def _show(value: Any) -> str:
    return "unset" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def sim_differences(sim: Sim, declared: Mapping[str, Any]) -> list[str]:
    """``field: live => declared`` for each declared field the live SIM does not match."""
    live = live_values(sim)
    fields = [f for f in MANAGED_FIELDS if declared.get(f) is not None]
    live_view = {f: normal(f, shaped(f, live.get(f), declared[f])) for f in fields}
    declared_view = {f: normal(f, declared[f]) for f in fields}
    diff = DeepDiff(live_view, declared_view, ignore_order=True)
    changed = sorted({str(key) for key in diff.affected_root_keys}, key=fields.index)
    return [f"{f}: {_show(live_view[f])} => {_show(declared_view[f])}" for f in changed]


def check(inventory: Path, live: Mapping[str, Sim]) -> Drift:
    """Compare every SIM of ``inventory`` with ``live`` (ICCID to the SIM now)."""
    drift = Drift()
    for iccid, declared in read_inventory(inventory).items():
        drift.checked += 1
        sim: Optional[Sim] = live.get(iccid)
        if sim is None:
            drift.missing.append(iccid)
            continue
        lines = sim_differences(sim, declared)
        if lines:
            drift.fields[iccid] = lines
    return drift


def report(drift: Drift) -> str:
    out = []
    for iccid, lines in drift.fields.items():
        out.append(f"SIM {iccid}")
        out += [f"  {line}" for line in lines]
    for iccid in drift.missing:
        out.append(f"SIM {iccid}\n  not on this NovaConnect account (sim/list does not list it)")
    if drift.found:
        out.append(f"{len(drift.fields) + len(drift.missing)} of {drift.checked:,} SIMs differ from the inventory")
    else:
        out.append(f"no drift: all {drift.checked:,} SIMs of the inventory are as declared")
    return "\n".join(out)
