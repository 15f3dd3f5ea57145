"""``novaconnect-export --check DIR``: an inventory against the live account, outside Pulumi.

For nightly drift jobs: each SIM of the inventory is compared with what the platform holds
now, and every difference is printed as ``field: live => declared`` (the wording of
``pulumi preview --refresh``). Only fields the inventory declares count; an empty cell is
unmanaged there, so it is not compared here either.

Whether a SIM drifted, and in which fields, is the SIM core's plan (``sim/plan.py``), the
very answer preview gives: a field drifts when the plan has a call for it or a reason no
call can reach it. The report then shows each such field's live and declared values in
the declared shape (the field model's ``shaped``/``normal``: group sets in order, an
unmanaged ``all_world`` left out, null members dropped).

Which inventory: the one the project's program reads (:func:`inventory_in`), never a guess
between files that happen to sit in the folder, since a stale ``inventory.csv`` beside
the ``inventory.yaml`` the program uses would report drift that is not there, or hide
drift that is. Every entry is first held to the rules the fleet holds it to (the ICCID's
shape among them) and a bad one is an input error: drift means the account moved, not
that the inventory cannot be read.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional

from pydantic import ValidationError

from ..client.models import Sim
from ..inventory import InventoryError, InventoryRow, inventory_rows
from ..provider.checks import failures_from
from ..sim.fields import SIM_FIELDS, FieldSet
from ..sim.plan import plan
from ..sim.spec import SimSpec, spec_model
from .entries import FORMATS
from .errors import some
from .program import inventories_read

SHOWN_PROBLEMS = 3


@dataclass
class Drift:
    """Per ICCID, the lines ``field: live => declared``; and the SIMs the account lacks."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    checked: int = 0

    @property
    def found(self) -> bool:
        return bool(self.fields or self.missing)


def program_of(project: Path) -> Path:
    """The program file of a project folder: ``main`` in ``Pulumi.yaml`` if set, else ``__main__.py``."""
    main = None
    try:
        import yaml

        settings = yaml.safe_load((project / "Pulumi.yaml").read_text(encoding="utf-8"))
        main = settings.get("main") if isinstance(settings, dict) else None
    except (OSError, ValueError, yaml.YAMLError):
        pass
    program = project / main if isinstance(main, str) and main.strip() else project
    return program / "__main__.py" if program.is_dir() else program


def inventory_in(target: Path) -> Path:
    """The inventory file to check: ``target`` itself, else the one the project's program
    reads, else the only ``inventory.csv`` or ``inventory.yaml`` of a folder without a
    program that says."""
    if target.is_file():
        return target
    if not target.is_dir():
        raise InventoryError(f"{target}: no such file or folder; give --check an exported folder or an inventory file")
    present = [target / name for name in FORMATS.values() if (target / name).is_file()]
    suggested = present[0] if present else target / "INVENTORY"
    program = program_of(target)
    if program.is_file():
        try:
            read = inventories_read(program, target)
        except (SyntaxError, ValueError) as exc:
            where = f" (line {exc.lineno})" if getattr(exc, "lineno", None) else ""
            raise InventoryError(f"{program} is not a Python program that can be read{where}, so which inventory it "
                                 f"uses is unknown; fix it, or name the file: --check {suggested}") from None
        if read.computed:
            raise InventoryError(
                f"{program}, line {read.computed[0]}: read_inventory's file is computed when the program runs, so "
                f"which inventory it uses is unknown here; name the file: --check {suggested}"
            )
        if len(read.paths) > 1:
            names = [str(p) for p in read.paths]
            raise InventoryError(f"{program} reads {len(names)} inventories ({some(names, 3, 80)}); "
                                 f"check one at a time: --check {names[0]}")
        if read.paths:
            if not read.paths[0].is_file():
                raise InventoryError(f"{program} reads {read.paths[0]}, which does not exist; "
                                     "export the account again, or restore that file")
            return read.paths[0]
    if len(present) > 1:
        raise InventoryError(
            f"{target} holds both {present[0].name} and {present[1].name}, and no program there says which it reads; "
            f"remove the stale one, or name the file: --check {present[0]}"
        )
    if not present:
        raise InventoryError(f"{target}: no {' or '.join(FORMATS.values())} in this folder; "
                             "give --check a folder written by --out, or an inventory file")
    return present[0]


def declared_sims(path: Path) -> dict[str, dict[str, Any]]:
    """The inventory's SIMs, each held to the rules the fleet applies to it."""
    rows = inventory_rows(path)
    problems: list[tuple[InventoryRow, str]] = []
    for row in rows:
        try:
            SimSpec.model_validate({**row.settings, "iccid": row.iccid})
        except ValidationError as exc:
            problems.append((row, failures_from(exc)[0].reason))
    if problems:
        raise InventoryError(_problems(path, problems, len(rows)))
    return {row.iccid: row.settings for row in rows}


def _problems(path: Path, problems: list[tuple[InventoryRow, str]], total: int) -> str:
    """One line: the count, the first few with their line, and where the rest are."""
    def one(row: InventoryRow, reason: str) -> str:
        reason = reason if len(reason) <= 100 else reason[:97] + "..."
        return f"line {row.line}: {reason}" if reason.startswith("iccid") else f"line {row.line}: SIM {row.iccid}: {reason}"

    shown = "; ".join(one(row, reason) for row, reason in problems[:SHOWN_PROBLEMS])
    rest = problems[SHOWN_PROBLEMS:]
    more = f"; and {len(rest)} more, on lines {rest[0][0].line} to {rest[-1][0].line}" if rest else ""
    numbers = any(re.fullmatch(r"\d+(\.\d+)?[eE]\+?\d+", row.iccid) for row, _ in problems)
    hint = " (a spreadsheet wrote ICCIDs as numbers: format that column as text and export again)" if numbers else ""
    what = "SIM is" if len(problems) == 1 else "SIMs are"
    return (f"{path}: {len(problems)} of {total:,} {what} not declared as the fleet requires{hint}: {shown}{more}; "
            "correct the inventory and run the check again")


def _show(value: Any) -> str:
    return "unset" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def sim_differences(sim: Sim, declared: Mapping[str, Any], fields: FieldSet = SIM_FIELDS) -> list[str]:
    """``field: live => declared`` for each declared field the plan would change (or cannot reach)."""
    current = plan(sim, spec_model(fields).model_validate({**declared, "iccid": sim.iccid}))
    drifted = {*current.fields, *current.blockers}
    live = fields.live_values(sim)
    lines = []
    for field in fields:
        if field.name in drifted:
            desired = declared[field.name]
            shown = field.normal(field.shaped(live.get(field.name), desired)), field.normal(desired)
            lines.append(f"{field.name}: {_show(shown[0])} => {_show(shown[1])}")
    return lines


def check(inventory: Path, live: Mapping[str, Sim]) -> Drift:
    """Compare every SIM of ``inventory`` with ``live`` (ICCID to the SIM now)."""
    return compare(declared_sims(inventory), live)


def compare(sims: Mapping[str, Mapping[str, Any]], live: Mapping[str, Sim], fields: FieldSet = SIM_FIELDS) -> Drift:
    """Compare every declared SIM with ``live`` (ICCID to the SIM now)."""
    drift = Drift()
    for iccid, declared in sims.items():
        drift.checked += 1
        sim: Optional[Sim] = live.get(iccid)
        if sim is None:
            drift.missing.append(iccid)
            continue
        lines = sim_differences(sim, declared, fields)
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
