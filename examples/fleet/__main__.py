"""Inventory-driven fleet: every row of inventory.csv is one SIM of a single SimFleet.

`read_inventory` turns the rows into the fleet's `sims` mapping: `groups` (names separated
by `;`), a monthly `limit_mb` (a number, or `off`) for TC SIMs, or `package_mb` and
`auto_package` for TD SIMs; empty cells are not managed and other columns (`site`) are
the team's own notes. A fleet-wide change, such as a new limit for every substation, goes
out as one platform call per kind of change instead of one per SIM.

Each group named in the inventory is a `Group` of its own, so removing the last SIM from a
group does not leave the group behind unmanaged. SIMs on the account that the inventory
does not list are exported as `unmanaged_iccids`, so a pull request shows what nobody
manages yet.
"""
from pathlib import Path

import pulumi

import pulumi_novaconnect as nc

config = pulumi.Config()
inventory = nc.read_inventory(Path(__file__).parent / (config.get("inventory") or "inventory.csv"))

group_names = sorted({name for settings in inventory.values() for name in settings.get("groups", [])})
groups = [nc.Group(f"group-{name.lower().replace(' ', '-')}", name=name) for name in group_names]

fleet = nc.SimFleet(
    "fleet",
    sims=inventory,
    # What `pulumi destroy`, or removing a row, does to a SIM: retain, block or restore.
    on_delete=config.get("onDelete") or "retain",
    # The groups exist before the SIMs are put in them (sim/group would create them by
    # name otherwise, and the Group resources would then find them taken).
    opts=pulumi.ResourceOptions(depends_on=groups),
)

everything = nc.get_sims()
pulumi.export("managed_count", fleet.sim_count)
pulumi.export("unmanaged_iccids", sorted(i for i in everything.iccids if i not in inventory))
