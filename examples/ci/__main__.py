"""The SIM settings a CI/CD pipeline owns: a group of pilot SIMs, each with its limit.

Pull requests that change this file (or the stack config) get a `pulumi preview --refresh
--diff` comment; merging to main runs `pulumi up` (see .github/workflows/pulumi.yml).
"""
import pulumi

import pulumi_novaconnect as nc

config = pulumi.Config()
pilot = nc.Group("pilot", name=config.get("groupName") or "Pilot")

PILOT_SIMS = {
    # iccid: monthly limit in MB (TC SIMs of the emulator's --seed 1 fleet by default)
    "8997255591747756194": 200,
    "8997134549860155211": 100,
}

for iccid, limit_mb in (config.get_object("pilotSims") or PILOT_SIMS).items():
    nc.SimConfig(
        f"pilot-{iccid[-6:]}",
        iccid=iccid,
        groups=[pilot.name],
        blocked=False,
        limit=nc.SimLimitArgs(type="month1", value_mb=int(limit_mb)),
    )

pulumi.export("pilot_group_id", pilot.group_id)
