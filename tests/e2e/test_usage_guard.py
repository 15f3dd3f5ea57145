"""examples/usage-guard end to end, over the emulator's generated traffic: the SIMs of a
group over the threshold are blocked in one call, and let go when they no longer are."""
from __future__ import annotations

import datetime as dt

import pytest
import requests

from pulumi_novaconnect.testing import ADMIN_TOKEN
from pulumi_novaconnect.testing import SIM_WRITES

pytestmark = pytest.mark.slow

MB = 1024 * 1024
GROUP = "Meters"
SINCE = dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=10)


def group_usage(emulator, emu) -> dict[str, int]:
    """Bytes per SIM of the group since SINCE, summed from report/day over raw HTTP."""
    group = emu.group(GROUP)
    yesterday = dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)
    body = {"filter": {"start": SINCE.strftime("%d-%m-%Y"), "end": yesterday.strftime("%d-%m-%Y")},
            "select": [f"g_{group['id']}"], "page": 0, "size": 1000}
    answer = requests.post(f"{emulator.url}/report/day", json=body, timeout=10,
                           headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).json()
    rows = answer["result"]["items"]
    assert 0 < len(rows) < 1000
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["iccid"]] = totals.get(row["iccid"], 0) + int(row["value"])
    return totals


def test_the_guard_blocks_the_sims_over_the_threshold_in_one_call_then_lets_them_go(make_runner, emulator, emu):
    usage = group_usage(emulator, emu)
    # A threshold in the middle of the group's usage: some SIMs are over it, some are not.
    ordered = sorted(usage.values())
    threshold_mb = ordered[len(ordered) // 2] // MB
    over = sorted(i for i, b in usage.items() if b > threshold_mb * MB)
    under = sorted(set(usage) - set(over))
    assert over and under
    before = {i: emu.sim(i)["block"] for i in usage}

    runner = make_runner("usage-guard", group=GROUP, thresholdMb=str(threshold_mb), since=SINCE.isoformat())
    assert [(s.kind, s.name) for s in runner.preview().changes] == [("create", "usage-guard")]
    emu.clear_requests()
    result = runner.up()
    assert result.outputs["blocked_iccids"] == over
    assert result.outputs["usage_through"] == (dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)).isoformat()
    assert result.outputs["blocked_usage_mb"] == {i: pytest.approx(round(usage[i] / MB, 1)) for i in over}
    assert all(emu.sim(i)["block"] != "n" for i in over)
    assert all(emu.sim(i)["block"] == before[i] for i in under)
    writes = [m for m in emu.methods() if m in SIM_WRITES]
    assert writes == (["sim/block"] if any(before[i] == "n" for i in over) else [])
    assert runner.preview().changes == []

    # A higher threshold: no SIM is over it, the fleet goes, and restore lifts the guard's blocks.
    relaxed = make_runner("usage-guard", group=GROUP, thresholdMb=str(max(ordered) // MB + 1), since=SINCE.isoformat())
    assert [(s.kind, s.name) for s in relaxed.preview().changes] == [("delete", "usage-guard")]
    relaxed.up()
    assert {i: emu.sim(i)["block"] for i in usage} == before
