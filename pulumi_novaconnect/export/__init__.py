"""The live NovaConnect account as code: an inventory, a ready Pulumi program, a drift check.

Teams adopting the provider already hold hundreds or thousands of SIMs set up by hand, and
dynamic resources cannot be ``pulumi import``ed. ``novaconnect-export`` (or ``python -m
pulumi_novaconnect.export``) reads the account once and writes what adopting it takes:

- ``inventory.csv`` (or ``.yaml``): one entry per SIM with every managed field as the
  platform holds it, in the shape :func:`~pulumi_novaconnect.read_inventory` reads
  (:mod:`.entries`);
- ``Pulumi.yaml``, ``__main__.py`` and ``requirements.txt``: every group and user with
  ``adopt=True`` and one ``SimFleet`` from the inventory (:mod:`.program`).

Running that program against the same account makes no write call, and the preview that
follows is empty. The project goes into its folder all at once, never over a project
already there unless asked (:mod:`.target`). ``--check DIR`` compares the inventory the
project reads with the account for drift jobs (:mod:`.check`). The pieces live in one
module each: reading the account (:mod:`.account`), entries, program, target, check, the
one-line errors (:mod:`.errors`); :mod:`.__main__` is the command line.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from .. import __version__
from ..client import NovaConnectClient
from .account import Filters, read_account, read_sims
from .check import Drift, compare, declared_sims, inventory_in
from .entries import entry_for, write_inventory
from .errors import ExportError
from .program import PROGRAM_REQUIREMENTS, Skipped, program_text, project_yaml
from .target import check_target, place, staging

__all__ = ["Filters", "Export", "ExportError", "export_account", "check_inventory", "entry_for", "write_inventory",
           "Drift"]


class Export:
    """What an export wrote."""

    def __init__(self, directory: Path, inventory: Path, sim_count: int, skipped: list[Skipped]) -> None:
        self.directory, self.inventory, self.sim_count, self.skipped = directory, inventory, sim_count, skipped


def export_account(
    api: NovaConnectClient, out: Path, *, filters: Filters = Filters(), fmt: str = "csv",
    project: str = "novaconnect-account", default_endpoint: str = "", stream: TextIO = sys.stderr,
    force: bool = False,
) -> Export:
    """Read the account through ``api`` and write the inventory and the program into ``out``.

    ``out`` must be new or empty unless ``force`` (then the export's own files there are
    replaced and the rest kept); nothing in it changes unless every file was written.
    """
    target = out.absolute()
    check_target(target, force=force)
    account = read_account(api, filters, stream=stream)
    entries = {sim.iccid: entry_for(sim) for sim in account.sims}
    with staging(target) as stage:
        inventory = write_inventory(stage, entries, fmt)
        text, skipped = program_text(
            groups=account.groups, users=account.users, inventory=inventory.name, sim_count=len(entries),
            filters=filters.describe(), endpoint=api.endpoint, version=__version__,
        )
        (stage / "__main__.py").write_text(text, encoding="utf-8")
        (stage / "Pulumi.yaml").write_text(project_yaml(project, api.endpoint, default_endpoint), encoding="utf-8")
        (stage / "requirements.txt").write_text(PROGRAM_REQUIREMENTS.format(version=__version__), encoding="utf-8")
        place(stage, target, force=force)
    return Export(out, out / inventory.name, len(entries), skipped)


def check_inventory(api: NovaConnectClient, target: Path, *, stream: TextIO = sys.stderr) -> Drift:
    """Compare the inventory ``target``'s program reads (or the file ``target``) with the live
    account. The inventory is read and checked before the account is."""
    declared = declared_sims(inventory_in(target))
    live = {sim.iccid: sim for sim in read_sims(api, Filters(), stream=stream)}
    return compare(declared, live)
