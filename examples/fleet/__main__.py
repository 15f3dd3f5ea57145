"""Inventory-driven fleet: every row of inventory.csv becomes a SimConfig in its group.

`limit_mb` (a number, or `off`) is for TC SIMs, `package_mb` + `auto_package` for TD SIMs;
a row must fill one or the other. SIMs on the account that the inventory does not list
are exported as `unmanaged_iccids`, so a pull request shows what nobody manages yet.
"""
import csv
from pathlib import Path

import pulumi

import pulumi_novaconnect as nc

config = pulumi.Config()
inventory_path = Path(__file__).parent / (config.get("inventory") or "inventory.csv")
rows = list(csv.DictReader(inventory_path.open(newline="", encoding="utf-8")))


def limit_of(row):
    if not row["limit_mb"]:
        return None
    if row["limit_mb"] == "off":
        return nc.SimLimitArgs(type="off")
    return nc.SimLimitArgs(type="month1", value_mb=int(row["limit_mb"]))


def tariff_of(row):
    if not row["package_mb"]:
        return None
    return nc.SimTariffArgs(package_mb=int(row["package_mb"]), auto_package=row["auto_package"].lower() == "true")


groups = {}
for row in rows:
    name = row["group"]
    if name not in groups:
        groups[name] = nc.Group(f"group-{name.lower().replace(' ', '-')}", name=name)

sims = {}
for row in rows:
    sims[row["iccid"]] = nc.SimConfig(
        row["name"],
        iccid=row["iccid"],
        name=row["name"],
        groups=[groups[row["group"]].name],
        limit=limit_of(row),
        tariff=tariff_of(row),
        on_delete=row["on_delete"] or "retain",
    )

managed = set(sims)
everything = nc.get_sims()
pulumi.export("managed_count", len(managed))
pulumi.export("unmanaged_iccids", sorted(i for i in everything.iccids if i not in managed))
pulumi.export("sites", sorted({row["site"] for row in rows}))
