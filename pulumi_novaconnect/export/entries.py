"""A live SIM as an inventory entry, and inventories written in ``read_inventory``'s formats.

An exported inventory must read back, through :func:`~pulumi_novaconnect.read_inventory`,
as a declaration the SIM already satisfies: a program built on it adopts the account with
no write call. So an entry holds a field only when the live value survives that round
trip, and leaves it unmanaged (an empty cell) otherwise:

- ``name``: a SIM without a name has nothing to declare (``sim/edit`` needs one), and a
  name with spaces at either end would come back trimmed (CSV cells are stripped);
- ``groups``: an empty set cannot be written as a cell (empty means unmanaged), and a
  group name holding the separator ``;`` would split;
- ``blocked``: only where the block is the user's to choose (API.md decision 8): ``false``
  for a SIM with no block, ``true`` for one blocked ``u``. A block the platform holds
  (``m``, ``p``, ``f``, ``g``) is not a choice the team made, so it is left unmanaged:
  ``blocked=false`` would be unreachable (no call lifts it), and ``blocked=true`` would
  turn into a user block (``sim/block``) the day the platform lifts its own, say once
  the bill is paid;
- ``limit`` (TC) and ``tariff`` (TD): the live values from the SIM core
  (:func:`~pulumi_novaconnect.sim.plan.live_values`), when they are ones a declaration may
  take (``off``/``month1``; a package of 15..100 MB in steps of 5).

Every entry is finally checked against the SIM core's own plan: it must plan no action.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Mapping

import yaml

from ..client.models import BLOCK_NONE, BLOCK_USER, Sim
from ..inventory import CSV_COLUMNS, GROUP_SEPARATOR
from ..sim.plan import live_values, plan
from ..sim.spec import PACKAGE_MAX_MB, PACKAGE_MIN_MB, PACKAGE_STEP_MB, SimSpec

FORMATS = {"csv": "inventory.csv", "yaml": "inventory.yaml"}


def entry_for(sim: Sim) -> dict[str, Any]:
    """The SIM's managed fields as it holds them now, in the shape ``read_inventory`` returns."""
    live = live_values(sim)
    entry: dict[str, Any] = {}
    name = live["name"]
    if name and name == name.strip():
        entry["name"] = name
    groups = live["groups"]
    if groups and all(g == g.strip() and GROUP_SEPARATOR not in g for g in groups):
        entry["groups"] = list(groups)
    if sim.block in (BLOCK_NONE, BLOCK_USER):
        entry["blocked"] = sim.block == BLOCK_USER
    limit = live.get("limit")
    if limit is not None:
        if limit["type"] == "off":
            entry["limit"] = {"type": "off"}
        elif limit["type"] == "month1" and isinstance(limit.get("value_mb"), int):
            entry["limit"] = {"type": "month1", "value_mb": limit["value_mb"]}
    tariff = live.get("tariff")
    if tariff is not None and _sellable(tariff.get("package_mb")):
        entry["tariff"] = {"package_mb": tariff["package_mb"], "auto_package": bool(tariff["auto_package"]),
                           "all_world": bool(tariff["all_world"])}
    # The SIM core decides what "already so" means; an entry it would act on is trimmed to
    # the fields it accepts, so the export never declares a change.
    for field in [f for f in ("limit", "tariff", "groups", "name", "blocked") if f in entry]:
        if not plan(sim, SimSpec.model_validate({"iccid": sim.iccid, field: entry[field]})).converged:
            del entry[field]
    return entry


def _sellable(package_mb: Any) -> bool:
    return (isinstance(package_mb, int) and PACKAGE_MIN_MB <= package_mb <= PACKAGE_MAX_MB
            and package_mb % PACKAGE_STEP_MB == 0)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def csv_row(iccid: str, entry: Mapping[str, Any]) -> dict[str, str]:
    """One CSV row (the columns of ``read_inventory``), empty cells for unmanaged fields."""
    row = dict.fromkeys(CSV_COLUMNS, "")
    row["iccid"] = iccid
    row["name"] = entry.get("name") or ""
    row["groups"] = GROUP_SEPARATOR.join(entry.get("groups") or [])
    if "blocked" in entry:
        row["blocked"] = _bool(entry["blocked"])
    limit = entry.get("limit")
    if limit:
        row["limit_mb"] = "off" if limit["type"] == "off" else str(limit["value_mb"])
    tariff = entry.get("tariff")
    if tariff:
        row["package_mb"] = str(tariff["package_mb"])
        row["auto_package"] = _bool(tariff["auto_package"])
        if tariff.get("all_world") is not None:
            row["all_world"] = _bool(tariff["all_world"])
    return row


def write_inventory(directory: Path, entries: Mapping[str, Mapping[str, Any]], fmt: str = "csv") -> Path:
    """Write ``inventory.csv`` or ``inventory.yaml`` into ``directory``; returns its path."""
    path = directory / FORMATS[fmt]
    if fmt == "csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(CSV_COLUMNS))
            writer.writeheader()
            writer.writerows(csv_row(iccid, entry) for iccid, entry in entries.items())
    else:
        # ICCIDs are strings of digits: safe_dump quotes them, so they do not read back as numbers.
        path.write_text(yaml.safe_dump({iccid: dict(entry) for iccid, entry in entries.items()},
                                       sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
