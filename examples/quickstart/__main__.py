"""NovaConnect quickstart: one group, one read-only user, a TC SIM and a TD SIM in the group.

The ICCIDs default to SIMs of the emulator's seeded fleet (`--seed 1`); set your own with
`pulumi config set tcIccid ...` / `pulumi config set tdIccid ...`.
"""
import pulumi

import pulumi_novaconnect as nc

config = pulumi.Config()
tc_iccid = config.get("tcIccid") or "89977070499962283034"
td_iccid = config.get("tdIccid") or "89978344978690736627"

group = nc.Group("quickstart", name=config.get("groupName") or "Quickstart")

viewer = nc.User(
    "viewer",
    first_name="Aigerim",
    last_name="Sadykova",
    email=config.get("viewerEmail") or "ops@example.kz",
    phone="+77010000000",
    role="user",  # read-only: lists and reports, no changes
)

pump = nc.SimConfig(
    "pump-7",
    iccid=tc_iccid,
    name="pump-7",
    groups=[group.name],
    blocked=False,
    limit=nc.SimLimitArgs(type="month1", value_mb=config.get_int("limitMb") or 500),
    on_delete="restore",  # give the SIM back as we found it
)

tracker = nc.SimConfig(
    "tracker-1",
    iccid=td_iccid,
    name="tracker-1",
    groups=[group.name],
    tariff=nc.SimTariffArgs(package_mb=config.get_int("packageMb") or 20, auto_package=True),
    on_delete="block",  # a SIM nobody manages should not roam on our bill
)

pulumi.export("group_id", group.group_id)
pulumi.export("pump", {"iccid": pump.iccid, "number": pump.number, "block": pump.block, "limit": pump.limit})
pulumi.export("tracker", {"iccid": tracker.iccid, "number": tracker.number, "tariff": tracker.tariff})
