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
- ``limit`` (TC) and ``tariff`` (TD): the live values, when they are ones a declaration may
  take (``off``/``month1``; a package of 15..100 MB in steps of 5).

Each of these is the field's own rule (``exported`` in :mod:`~pulumi_novaconnect.sim.fields`),
as are the cells a CSV row writes.

Every entry is finally checked against the SIM core's own plan: it must plan no action.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Mapping

import yaml

from ..client.models import Sim
from ..sim.fields import SIM_FIELDS, FieldSet
from ..sim.plan import plan
from ..sim.spec import spec_model

FORMATS = {"csv": "inventory.csv", "yaml": "inventory.yaml"}


def entry_for(sim: Sim, fields: FieldSet = SIM_FIELDS) -> dict[str, Any]:
    """The SIM's managed fields as it holds them now, in the shape ``read_inventory`` returns."""
    live = fields.live_values(sim)
    entry: dict[str, Any] = {}
    for field in fields:
        value = field.exported(sim, live.get(field.name))
        if value is not None:
            entry[field.name] = value
    # The SIM core decides what "already so" means; an entry it would act on is trimmed to
    # the fields it accepts, so the export never declares a change.
    model = spec_model(fields)
    for name in list(entry):
        if not plan(sim, model.model_validate({"iccid": sim.iccid, name: entry[name]})).converged:
            del entry[name]
    return entry


def csv_row(iccid: str, entry: Mapping[str, Any], fields: FieldSet = SIM_FIELDS) -> dict[str, str]:
    """One CSV row (the columns of ``read_inventory``), empty cells for unmanaged fields."""
    row = dict.fromkeys(fields.csv_columns(), "")
    row["iccid"] = iccid
    for field in fields:
        if entry.get(field.name) is not None:
            row.update(field.cells.write(entry[field.name]))
    return row


def write_inventory(directory: Path, entries: Mapping[str, Mapping[str, Any]], fmt: str = "csv",
                    fields: FieldSet = SIM_FIELDS) -> Path:
    """Write ``inventory.csv`` or ``inventory.yaml`` into ``directory``; returns its path."""
    path = directory / FORMATS[fmt]
    if fmt == "csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(fields.csv_columns()))
            writer.writeheader()
            writer.writerows(csv_row(iccid, entry, fields) for iccid, entry in entries.items())
    else:
        # ICCIDs are strings of digits: safe_dump quotes them, so they do not read back as numbers.
        path.write_text(yaml.safe_dump({iccid: dict(entry) for iccid, entry in entries.items()},
                                       sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path
