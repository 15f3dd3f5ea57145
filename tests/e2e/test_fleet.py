"""examples/fleet end to end: an inventory file becomes groups and one SimFleet."""
from __future__ import annotations

import csv
import json
from pathlib import Path

from pulumi_novaconnect import read_inventory
from pulumi_novaconnect.provider.keyed import KEYED, decode
from tests.e2e.conftest import EXAMPLES
from pulumi_novaconnect.testing import SIM_WRITES

INVENTORY = EXAMPLES / "fleet" / "inventory.csv"
ROWS = list(csv.DictReader(INVENTORY.open(encoding="utf-8")))
GROUPS = sorted({g for r in ROWS for g in r["groups"].split(";")})
GROUP_RESOURCES = {f"group-{g.lower().replace(' ', '-')}" for g in GROUPS}


def write_inventory(path: Path, rows) -> str:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ROWS[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def test_the_inventory_reads_as_the_fleets_sims():
    sims = read_inventory(INVENTORY)
    assert list(sims) == [r["iccid"] for r in ROWS]
    assert sims[ROWS[0]["iccid"]] == {"name": ROWS[0]["name"], "groups": ["North substation"],
                                      "limit": {"type": "month1", "value_mb": 300}}
    assert sims[ROWS[3]["iccid"]]["limit"] == {"type": "off"}
    assert sims[ROWS[4]["iccid"]]["tariff"] == {"package_mb": 30, "auto_package": True}


def test_preview_on_an_empty_stack_lists_the_groups_and_one_fleet(make_runner):
    result = make_runner("fleet").preview()
    assert {s.name for s in result.changes} == GROUP_RESOURCES | {"fleet"}
    assert {s.kind for s in result.changes} == {"create"}


def test_up_converges_every_row_in_one_call_per_kind_and_exports_the_unmanaged_sims(make_runner, emu):
    runner = make_runner("fleet")
    result = runner.up()
    for row in ROWS:
        sim = emu.sim(row["iccid"])
        assert sim["name"] == row["name"] and emu.group_names(sim) == sorted(row["groups"].split(";"))
        if row["limit_mb"] == "off":
            assert sim["limit"]["type"] == "off"
        elif row["limit_mb"]:
            assert (sim["limit"]["type"], sim["limit"]["value"]) == ("month1", int(row["limit_mb"]))
        else:
            assert sim["limit"]["value"] == int(row["package_mb"])
            assert sim["tariff"]["package_auto"] is (row["auto_package"] == "true")
    listed = {r["iccid"] for r in ROWS}
    every = {s["iccid"] for s in emu.state()["sims"]}
    assert sorted(result.outputs["unmanaged_iccids"]) == sorted(every - listed)
    assert result.outputs["managed_count"] == len(ROWS)
    assert runner.preview().changes == []


def test_an_inventory_edit_previews_one_fleet_update_and_sends_one_call(make_runner, emu, tmp_path):
    make_runner("fleet").up()
    rows = [dict(r) for r in ROWS]
    for row in rows[:3]:
        row["limit_mb"] = "450"
    edited = make_runner("fleet", inventory=write_inventory(tmp_path / "edited.csv", rows))
    assert edited.preview().text.splitlines() == ["~ update fleet"]
    digest = [line for line in edited.last_diagnostics if "impact" not in line]  # reports of the day
    assert digest[:2] == [
        f"novaconnect: SimFleet 'fleet' covers {len(ROWS)} SIMs and changes 3: 3 limit changes",
        "novaconnect:   other changes (3):"]
    assert sorted(line.split()[2] for line in digest[2:]) == sorted(r["iccid"] for r in rows[:3])
    emu_log_before = len(emu.requests())
    edited.up()
    calls = [r["method"] for r in emu.requests()[emu_log_before:] if r["method"] in SIM_WRITES]
    assert calls == ["sim/limit"]
    assert all(emu.sim(r["iccid"])["limit"]["value"] == 450 for r in rows[:3])


def test_a_row_removed_from_the_inventory_is_let_go_per_on_delete(make_runner, emu, tmp_path):
    make_runner("fleet", onDelete="block").up()
    kept = [r for r in ROWS if r["name"] not in ("substation-south-2", "truck-103")]
    edited = make_runner("fleet", onDelete="block", inventory=write_inventory(tmp_path / "fewer.csv", kept))
    assert edited.preview().text.splitlines() == ["~ update fleet"]
    assert [line for line in edited.last_diagnostics if "impact" not in line] == [
        f"novaconnect: SimFleet 'fleet' covers {len(kept)} SIMs and changes 2: 2 SIMs let go",
        "novaconnect:   high risk (2, all listed):",
        "novaconnect:     release  89972981506162251998 substation-south-2: managed (on_delete=block) => blocked",
        "novaconnect:     release  89975428343351417196 truck-103: managed (on_delete=block) => blocked"]
    edited.up()
    assert emu.sim("89972981506162251998")["block"] == "u"
    assert emu.sim("89975428343351417196")["block"] == "u"
    assert all(emu.sim(r["iccid"])["block"] == "n" for r in kept)


def test_drift_in_the_fleet_is_named_by_refresh_and_repaired(make_runner, emu):
    runner = make_runner("fleet")
    runner.up()
    target = ROWS[1]
    emu.change_sim(target["iccid"], limit={"type": "month1", "value": 5})
    refreshed = runner.refresh()
    assert [s.name for s in refreshed.changes] == ["fleet"]
    assert refreshed.step("fleet").diff == ["drifted_sims"]
    assert runner.resource("fleet")["outputs"]["drifted_sims"] == 1, runner.last_diagnostics
    assert any(f"1 of its {len(ROWS)} SIMs changed on the platform" in line and f"{target['iccid']} (limit)" in line
               for line in runner.last_diagnostics), runner.last_diagnostics
    # What the next preview diffs against, as the engine carries it (a list keyed by ICCID).
    live = decode(runner.resource("fleet")["inputs"]["__sims"])
    assert live[target["iccid"]]["limit"] == {"type": "month1", "value_mb": 5}
    assert live[ROWS[0]["iccid"]]["limit"] == {"type": "month1", "value_mb": 300}
    runner.up()
    assert emu.sim(target["iccid"])["limit"]["value"] == int(target["limit_mb"])
    assert runner.preview().changes == []
    assert runner.refresh().changes == [] and "drifted_sims" not in runner.resource("fleet")["outputs"]


def test_destroy_honours_on_delete(make_runner, emu):
    runner = make_runner("fleet", onDelete="block")
    runner.up()
    runner.destroy()
    for row in ROWS:
        sim = emu.sim(row["iccid"])
        assert sim["block"] == "u", row["name"]
        assert sim["name"] == row["name"]  # block leaves the settings
    assert all(emu.group(g) is None for g in GROUPS)


def test_a_fleet_state_of_release_0_1_0_with_plain_maps_previews_no_change_and_changes_apply(make_runner, emu, tmp_path):
    """Release 0.1.0 wrote a fleet's SIMs and prior values into state as maps; the engine now
    carries them as lists (they cost it n² per step as maps). An existing stack must keep
    working: no change previewed, no write, and its next edit applies and rewrites the form."""
    runner = make_runner("fleet", onDelete="restore")
    runner.up()
    state = json.loads(runner.state_path.read_text())
    fleet = next(r for r in state["resources"] if r["name"] == "fleet")
    assert isinstance(fleet["inputs"]["__sims"], list) and isinstance(fleet["outputs"]["prior"], list)
    fleet["inputs"]["sims"] = fleet["inputs"].pop("__sims")  # 0.1.0 named the input as the program does
    for bag in (fleet["inputs"], fleet["outputs"]):
        bag.pop(KEYED, None)
        for name in ("sims", "prior"):
            if isinstance(bag.get(name), list):
                bag[name] = decode(bag[name])
    runner.state_path.write_text(json.dumps(state))
    assert isinstance(runner.resource("fleet")["outputs"]["sims"], dict)

    before = len(emu.requests())
    assert runner.preview().changes == []
    assert runner.refresh().changes == []
    rows = [dict(r) for r in ROWS]
    rows[0]["limit_mb"] = "450"
    edited = make_runner("fleet", onDelete="restore", inventory=write_inventory(tmp_path / "edited.csv", rows))
    # The old input is named once, on the first edit: it goes away for the one the engine hides.
    assert edited.preview().text.splitlines() == ["~ update fleet [diff: sims]"]
    edited.up()
    calls = [r["method"] for r in emu.requests()[before:] if r["method"] in SIM_WRITES]
    assert calls == ["sim/limit"]
    recorded = edited.resource("fleet")["outputs"]
    assert isinstance(recorded["sims"], list) and recorded[KEYED] == ["sims", "prior"]
    # The prior values recorded by the old release still restore every SIM at destroy.
    assert set(decode(recorded["prior"])) == {r["iccid"] for r in ROWS}
