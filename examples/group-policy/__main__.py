"""A group policy: every TC SIM of one group gets the same monthly limit.

Membership is the platform's: a SIM put into the group in the web UI is covered by the
next `pulumi up`, and one taken out is let go as `on_delete` says. `exclude` leaves a SIM
alone, and `pinned` shows how one SIM can be given something the policy does not set
(its name); setting its limit there too would be an error at preview naming both.
"""
import pulumi

import pulumi_novaconnect as nc

config = pulumi.Config()
group = config.get("group") or "Meters"

policy = nc.GroupPolicy(
    "group-limit",
    group=group,
    profile="TC",
    limit=nc.SimLimitArgs(type="month1", value_mb=config.get_int("limitMb") or 500),
    exclude=[i for i in (config.get("exclude") or "").split(",") if i],
    on_delete=config.get("onDelete") or "retain",
)

pinned = config.get("pinnedIccid")
if pinned:
    settings = {"name": config.get("pinnedName") or "pinned"}
    if config.get_int("pinnedLimitMb"):
        settings["limit"] = {"type": "month1", "value_mb": config.get_int("pinnedLimitMb")}
    nc.SimConfig("pinned", iccid=pinned, **settings)

pulumi.export("members", policy.members)
pulumi.export("covered", policy.sim_count)
