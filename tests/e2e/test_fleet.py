"""examples/fleet end to end: an inventory file becomes groups and SimConfigs."""
from __future__ import annotations

import csv
from pathlib import Path

from tests.e2e.conftest import EXAMPLES

ROWS = list(csv.DictReader((EXAMPLES / "fleet" / "inventory.csv").open(encoding="utf-8")))
GROUPS = sorted({r["group"] for r in ROWS})
GROUP_RESOURCES = {f"group-{g.lower().replace(' ', '-')}" for g in GROUPS}


def write_inventory(path: Path, rows) -> str:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ROWS[0]))
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def test_preview_on_an_empty_stack_lists_a_create_per_group_and_row(make_runner):
    result = make_runner("fleet").preview()
    assert {s.name for s in result.changes} == GROUP_RESOURCES | {r["name"] for r in ROWS}
    assert {s.kind for s in result.changes} == {"create"}


def test_up_converges_every_row_and_exports_the_unmanaged_sims(make_runner, emu):
    runner = make_runner("fleet")
    result = runner.up()
    for row in ROWS:
        sim = emu.sim(row["iccid"])
        assert sim["name"] == row["name"] and emu.groups(sim) == [row["group"]]
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
    assert runner.preview().changes == []


def test_an_inventory_edit_previews_exactly_the_rows_it_touches(make_runner, emu, tmp_path):
    make_runner("fleet").up()
    rows = [dict(r) for r in ROWS]
    rows[0]["limit_mb"] = "450"
    rows[4]["package_mb"] = "45"
    edited = make_runner("fleet", inventory=write_inventory(tmp_path / "edited.csv", rows))
    preview = edited.preview()
    assert sorted(preview.text.splitlines()) == sorted(
        [f"~ update {rows[0]['name']} [diff: limit]", f"~ update {rows[4]['name']} [diff: tariff]"]
    )
    edited.up()
    assert emu.sim(rows[0]["iccid"])["limit"]["value"] == 450
    assert emu.sim(rows[4]["iccid"])["limit"]["value"] == 45


def test_a_row_removed_from_the_inventory_is_let_go_per_its_on_delete(make_runner, emu, tmp_path):
    make_runner("fleet").up()
    kept = [r for r in ROWS if r["name"] not in ("substation-south-2", "truck-103")]
    edited = make_runner("fleet", inventory=write_inventory(tmp_path / "fewer.csv", kept))
    assert sorted(edited.preview().text.splitlines()) == ["- delete substation-south-2", "- delete truck-103"]
    edited.up()
    assert emu.sim("89972981506162251998")["block"] == "n"  # on_delete=retain
    assert emu.sim("89975428343351417196")["block"] == "u"  # on_delete=block


def test_drift_in_the_fleet_is_named_by_refresh_and_repaired(make_runner, emu):
    runner = make_runner("fleet")
    runner.up()
    target = ROWS[1]
    emu.change_sim(target["iccid"], limit={"type": "month1", "value": 5})
    refreshed = runner.refresh()
    assert refreshed.step(target["name"]).diff == ["limit"]
    assert [s.name for s in refreshed.changes] == [target["name"]]
    runner.up()
    assert emu.sim(target["iccid"])["limit"]["value"] == int(target["limit_mb"])


def test_destroy_honours_each_rows_on_delete(make_runner, emu):
    runner = make_runner("fleet")
    runner.up()
    runner.destroy()
    for row in ROWS:
        sim = emu.sim(row["iccid"])
        assert sim["block"] == ("u" if row["on_delete"] == "block" else "n"), row["name"]
        assert sim["name"] == row["name"]  # retain and block leave the settings
    assert all(emu.group(g) is None for g in GROUPS)
