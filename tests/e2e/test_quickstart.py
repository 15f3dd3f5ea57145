"""examples/quickstart end to end against the emulator."""
from __future__ import annotations

TC = "89977070499962283034"
TD = "89978344978690736627"
CREATES = {"quickstart", "viewer", "pump-7", "tracker-1"}


def test_preview_on_an_empty_stack_lists_exactly_the_creates(make_runner, emu):
    before = emu.state()
    result = make_runner("quickstart").preview()
    assert {s.name for s in result.changes} == CREATES
    assert {s.kind for s in result.changes} == {"create"}
    assert emu.state()["sims"] == before["sims"]  # a preview changes nothing


def test_up_converges_the_platform_and_a_second_preview_is_empty(make_runner, emu):
    runner = make_runner("quickstart")
    runner.up()
    group = emu.group("Quickstart")
    assert group is not None
    pump, tracker = emu.sim(TC), emu.sim(TD)
    assert pump["name"] == "pump-7" and emu.group_names(pump) == ["Quickstart"] and pump["block"] == "n"
    assert pump["limit"]["type"] == "month1" and pump["limit"]["value"] == 500
    assert tracker["name"] == "tracker-1" and emu.group_names(tracker) == ["Quickstart"]
    assert tracker["limit"] == {**tracker["limit"], "type": "p_unlim", "value": 20}
    assert tracker["tariff"]["package_auto"] is True
    viewer = emu.user("ops@example.kz")
    assert viewer is not None and viewer["role"] == "user"
    assert runner.preview().changes == []


def test_an_input_edit_previews_exactly_that_change_and_up_applies_it(make_runner, emu):
    make_runner("quickstart").up()
    edited = make_runner("quickstart", limitMb="750")
    preview = edited.preview()
    assert preview.text == "~ update pump-7 [diff: limit]"
    edited.up()
    assert emu.sim(TC)["limit"]["value"] == 750
    assert edited.preview().changes == []


def test_drift_is_named_by_refresh_and_repaired_by_the_next_up(make_runner, emu):
    runner = make_runner("quickstart")
    runner.up()
    emu.change_sim(TC, name="renamed-in-web-ui", block="u")
    emu.change_sim(TD, groups=["Quickstart", "Trackers"])
    refreshed = runner.refresh()
    assert "name" in refreshed.step("pump-7").diff and "blocked" in refreshed.step("pump-7").diff
    assert "groups" in refreshed.step("tracker-1").diff
    preview = runner.preview()
    assert preview.step("pump-7").kind == "update" and set(preview.step("pump-7").diff) == {"name", "blocked"}
    assert preview.step("tracker-1").diff == ["groups"]
    runner.up()
    assert emu.sim(TC)["name"] == "pump-7" and emu.sim(TC)["block"] == "n"
    assert emu.group_names(emu.sim(TD)) == ["Quickstart"]
    assert runner.preview().changes == []


def test_drift_without_refresh_still_plans_an_update(make_runner, emu):
    runner = make_runner("quickstart")
    runner.up()
    emu.change_sim(TC, limit={"type": "off", "value": None})
    assert runner.preview().step("pump-7").kind == "update"
    runner.up()
    assert emu.sim(TC)["limit"]["type"] == "month1"


def test_destroy_restores_blocks_and_removes_as_declared(make_runner, emu):
    before_tc = emu.sim(TC)
    runner = make_runner("quickstart")
    runner.up()
    result = runner.destroy()
    assert {s.name for s in result.changes} == CREATES
    pump, tracker = emu.sim(TC), emu.sim(TD)
    assert pump["name"] == before_tc["name"]  # on_delete="restore"
    assert emu.group_names(pump) == emu.group_names(before_tc)
    assert pump["limit"]["type"] == before_tc["limit"]["type"]
    assert tracker["block"] == "u"  # on_delete="block"
    assert emu.group("Quickstart") is None
    assert emu.user("ops@example.kz") is None
