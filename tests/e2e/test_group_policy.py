"""examples/group-policy end to end: members read live between runs, conflicts at preview."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.testing.program_runner import CheckFailed
from pulumi_novaconnect.testing import SIM_WRITES

GROUP = "Policy e2e"


def members(emu, count: int) -> list[dict]:
    sims = emu.pick_many("TC", count)
    for sim in sims:
        emu.change_sim(sim["iccid"], groups=[GROUP], limit={"type": "off", "value": None})
    return sims


def limit_of(emu, iccid: str) -> tuple:
    live = emu.sim(iccid)["limit"]
    return live["type"], live["value"]


def written(emu, since: int) -> list[str]:
    return [r["method"] for r in emu.requests()[since:] if r["method"] in SIM_WRITES]


def test_up_covers_the_members_and_a_second_preview_is_empty(make_runner, emu):
    sims = members(emu, 3)
    runner = make_runner("group-policy", group=GROUP, limitMb=300)
    assert runner.preview().text.splitlines() == ["+ create group-limit"]
    result = runner.up()
    assert sorted(result.outputs["members"]) == sorted(s["iccid"] for s in sims)
    assert all(limit_of(emu, s["iccid"]) == ("month1", 300) for s in sims)
    assert runner.preview().changes == []


def test_a_sim_joining_and_one_leaving_between_runs(make_runner, emu):
    sims = members(emu, 3)
    runner = make_runner("group-policy", group=GROUP, onDelete="restore")
    runner.up()
    newcomer = emu.pick("TC", exclude=[s["iccid"] for s in sims])
    emu.change_sim(newcomer["iccid"], groups=[GROUP], limit={"type": "off", "value": None})
    emu.change_sim(sims[0]["iccid"], groups=[])

    assert runner.preview().text.splitlines() == ["~ update group-limit"]
    refreshed = runner.refresh()
    assert refreshed.step("group-limit").kind in ("update", "same")
    assert "deviations" in runner.preview().step("group-limit").diff  # --refresh names the newcomer
    before = len(emu.requests())
    result = runner.up()
    assert written(emu, before) == ["sim/limit", "sim/limit"]  # the newcomer's limit, the leaver's restored one
    assert limit_of(emu, newcomer["iccid"]) == ("month1", 500)
    assert limit_of(emu, sims[0]["iccid"])[0] == "off"  # restored as it was before the policy
    assert sorted(result.outputs["members"]) == sorted([newcomer["iccid"], *(s["iccid"] for s in sims[1:])])
    assert runner.preview().changes == []


def test_a_sim_config_setting_a_members_limit_is_an_error_at_preview(make_runner, emu):
    sims = members(emu, 2)
    runner = make_runner("group-policy", group=GROUP, pinnedIccid=sims[0]["iccid"], pinnedLimitMb=100)
    with pytest.raises(CheckFailed) as caught:
        runner.preview()
    text = str(caught.value)
    assert sims[0]["iccid"] in text and "`limit`" in text
    assert "GroupPolicy 'group-limit'" in text and "SimConfig 'pinned'" in text
    # Naming the SIM alone is no conflict: the policy does not set names.
    fine = make_runner("group-policy", group=GROUP, pinnedIccid=sims[0]["iccid"], pinnedName="north-1")
    assert sorted(fine.preview().text.splitlines()) == ["+ create group-limit", "+ create pinned"]


def test_destroy_with_on_delete_restore_puts_the_limits_back(make_runner, emu):
    sims = members(emu, 2)
    runner = make_runner("group-policy", group=GROUP, onDelete="restore")
    runner.up()
    runner.destroy()
    assert all(limit_of(emu, s["iccid"])[0] == "off" for s in sims)
