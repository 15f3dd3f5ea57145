"""Usage guard: block every SIM of a group whose data usage this month passed a threshold.

`get_usage` reads the platform's per-day traffic report (`report/day`) for the group's
SIMs; every SIM over `thresholdMb` is declared `blocked=True` in one `SimFleet`, so one
`sim/block` call blocks them all and the preview lists exactly what will be blocked.

"This month" is the first day of the current month (UTC) through *yesterday*: the platform
synchronises traffic with the operators once a day, so today's usage is not known yet and
a SIM is caught the day after it passes the threshold. Run the program daily (a scheduled
CI job) to keep the guard current.

A SIM leaves the fleet when its usage no longer passes the threshold (a new month, or a
higher threshold); `onDelete: restore` (the default) then puts back the block state it
had when the guard took it, so the guard's own blocks are lifted and any older block stays.
"""
import datetime as dt

import pulumi

import pulumi_novaconnect as nc

MB = 1024 * 1024

config = pulumi.Config()
group = config.get("group") or "Meters"
threshold_mb = config.get_int("thresholdMb") or 1000
since = config.get("since")  # YYYY-MM-DD; default: the first day of this month

usage = nc.get_usage(group=group, start=dt.date.fromisoformat(since) if since else None)
over = {sim.iccid: sim for sim in usage.sims if sim.total_bytes > threshold_mb * MB}

if over:
    nc.SimFleet(
        "usage-guard",
        sims={iccid: nc.SimSettingsArgs(blocked=True) for iccid in sorted(over)},
        on_delete=config.get("onDelete") or "restore",
    )

pulumi.export("usage_from", usage.start.isoformat())
pulumi.export("usage_through", usage.end.isoformat())
pulumi.export("threshold_mb", threshold_mb)
pulumi.export("blocked_iccids", sorted(over))
pulumi.export("blocked_usage_mb", {iccid: round(sim.total_mb, 1) for iccid, sim in sorted(over.items())})
