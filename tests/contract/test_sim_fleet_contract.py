"""SimFleet through the real provider host: bulk calls, one wait, per-SIM failures, drift, delete."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.testing.provider_host import UNKNOWN, ProviderError, is_unknown

from .conftest import provider_config




def active(platform, profile: str, count: int) -> list[dict]:
    sims = [s for s in platform.state()["sims"] if s["profile"] == profile and s["block"] == "n"]
    assert len(sims) >= count, f"the seeded fleet has only {len(sims)} active {profile} SIMs"
    return sims[:count]


def fleet_inputs(sims: dict, **extra) -> dict:
    return {"sims": sims, "on_delete": "retain", "__name": "SimFleet 'meters'", **extra}


def test_create_sends_one_call_per_kind_of_change_and_converges_every_sim(deploy, platform):
    tc = active(platform, "TC", 12)
    sims = {}
    for n, sim in enumerate(tc):
        entry: dict = {"limit": {"type": "month1", "value_mb": 300}} if n < 8 else {"blocked": True}
        if n < 3:
            entry["name"] = f"meter-{n}"
        sims[sim["iccid"]] = entry
    fleet = deploy.resource("SimFleet", "meters")
    platform.clear_requests()
    outs = fleet.create(fleet_inputs(sims, defaults={"groups": ["Fleet"]}))

    assert platform.sim_writes() == {"sim/block": 1, "sim/edit": 3, "sim/group": 1, "sim/limit": 1}
    block_call = platform.requests("sim/block")[0]
    assert sorted(block_call["body"]["items"]) == sorted(s["id"] for s in tc[8:])
    for n, sim in enumerate(tc):
        live = platform.sim(sim["iccid"])
        assert [g["name"] for g in live["groups"]] == ["Fleet"]
        if n < 8:
            assert (live["limit"]["type"], live["limit"]["value"]) == ("month1", 300)
        else:
            assert live["block"] == "u"
        if n < 3:
            assert live["name"] == f"meter-{n}"
    assert outs["sim_count"] == 12
    assert outs.get("prior") is None  # only on_delete="restore" keeps per-SIM copies


def test_diff_after_create_reports_no_change_and_drift_shows_without_refresh(deploy, platform):
    tc = active(platform, "TC", 3)
    inputs = fleet_inputs({s["iccid"]: {"name": f"m-{n}"} for n, s in enumerate(tc)})
    fleet = deploy.resource("SimFleet", "meters")
    fleet.create(inputs)
    assert fleet.diff(inputs).changes is False

    platform.change_sim(tc[1]["iccid"], name="renamed-by-hand")
    fresh = deploy.fresh_host()
    fleet.host = fresh
    assert fleet.diff(inputs).changes is True


def test_refresh_names_only_the_drifted_sims_and_fields(deploy, platform):
    tc = active(platform, "TC", 3)
    declared = {s["iccid"]: {"name": f"m-{n}", "limit": {"type": "month1", "value_mb": 200}} for n, s in enumerate(tc)}
    fleet = deploy.resource("SimFleet", "meters")
    fleet.create(fleet_inputs(declared, defaults={"groups": ["Fleet"]}))
    platform.change_sim(tc[2]["iccid"], name="by-hand", groups=[])
    fleet.host = deploy.fresh_host()

    new_id, _outs, inputs = fleet.read()
    assert new_id == fleet.id
    live = inputs["sims"]
    assert live[tc[0]["iccid"]] == {"name": "m-0", "limit": {"type": "month1", "value_mb": 200}}
    # The drifted SIM shows its live name, and the default it no longer meets.
    assert live[tc[2]["iccid"]]["name"] == "by-hand"
    assert live[tc[2]["iccid"]]["groups"] == []
    assert "groups" not in live[tc[0]["iccid"]]
    assert inputs["defaults"] == {"groups": ["Fleet"]}


def test_update_changes_only_what_differs_and_releases_removed_sims(deploy, platform):
    tc = active(platform, "TC", 6)
    declared = {s["iccid"]: {"limit": {"type": "month1", "value_mb": 100}} for s in tc}
    fleet = deploy.resource("SimFleet", "meters")
    fleet.create(fleet_inputs(declared, on_delete="block"))
    platform.clear_requests()

    changed = {iccid: {"limit": {"type": "month1", "value_mb": 250}} for iccid in list(declared)[:3]}
    changed.update({iccid: declared[iccid] for iccid in list(declared)[3:5]})
    new = fleet_inputs(changed, on_delete="block")
    assert fleet.diff(new).changes is True
    outs = fleet.update(new)

    assert platform.sim_writes() == {"sim/limit": 1, "sim/block": 1}
    for sim in tc[:3]:
        assert platform.sim(sim["iccid"])["limit"]["value"] == 250
    for sim in tc[3:5]:
        assert platform.sim(sim["iccid"])["limit"]["value"] == 100 and platform.sim(sim["iccid"])["block"] == "n"
    assert platform.sim(tc[5]["iccid"])["block"] == "u"  # removed from the fleet, on_delete=block
    assert outs["sim_count"] == 5


def test_max_batch_splits_one_change_into_calls_of_at_most_that_many_sims(emulator, start_host, platform):
    host = start_host()
    config = provider_config(emulator, **{"novaconnect:maxBatch": "4"})
    host.configure(config)
    tc = active(platform, "TC", 10)
    from .conftest import Managed

    fleet = Managed(host, "SimFleet", "meters")
    platform.clear_requests()
    fleet.create(fleet_inputs({s["iccid"]: {"limit": {"type": "month1", "value_mb": 64}} for s in tc}))
    sizes = sorted(len(call["body"]["items"]) for call in platform.requests("sim/limit"))
    assert sizes == [2, 4, 4]
    assert all(platform.sim(s["iccid"])["limit"]["value"] == 64 for s in tc)


def test_check_reports_every_invalid_or_unreachable_sim_with_iccid_and_field(deploy, platform):
    tc = active(platform, "TC", 2)
    td = active(platform, "TD", 1)
    platform.change_sim(tc[1]["iccid"], block="m")
    sims = {
        tc[0]["iccid"]: {"limit": {"type": "month1"}},  # no value_mb
        tc[1]["iccid"]: {"blocked": False},  # MSU block: unreachable
        td[0]["iccid"]: {"limit": {"type": "month1", "value_mb": 10}},  # a limit on a TD SIM
        "89970000000000000000": {"name": "ghost"},  # not on the account
        "123": {"name": "short"},  # not an ICCID
    }
    result = deploy.resource("SimFleet", "meters").check(fleet_inputs(sims))
    reasons = [reason for prop, reason in result.failures]
    assert all(prop == "sims" for prop, _ in result.failures)
    assert len(reasons) == 5, reasons
    assert any(tc[0]["iccid"] in r and "value_mb" in r for r in reasons)
    assert any(tc[1]["iccid"] in r and "blocked" in r and "MSU" in r for r in reasons)
    assert any(td[0]["iccid"] in r and "limit" in r and "TC SIMs only" in r for r in reasons)
    assert any("89970000000000000000" in r and "no SIM" in r for r in reasons)
    assert any("123" in r and "19 or 20 digits" in r for r in reasons)


def test_a_sim_declared_by_a_fleet_and_a_sim_config_is_an_error_naming_both(deploy, platform):
    sim = active(platform, "TC", 1)[0]
    fleet = deploy.resource("SimFleet", "meters")
    assert fleet.check(fleet_inputs({sim["iccid"]: {"name": "a"}})).failures == []
    single = deploy.resource("SimConfig", "pump")
    result = single.check({"iccid": sim["iccid"], "name": "b", "on_delete": "retain", "__name": "SimConfig 'pump'"})
    assert len(result.failures) == 1
    prop, reason = result.failures[0]
    assert prop == "iccid" and sim["iccid"] in reason
    assert "SimFleet 'meters'" in reason and "SimConfig 'pump'" in reason


def test_two_sim_configs_on_one_iccid_are_an_error_at_preview(deploy, platform):
    sim = active(platform, "TC", 1)[0]
    first = deploy.resource("SimConfig", "a")
    second = deploy.resource("SimConfig", "b")
    assert first.check({"iccid": sim["iccid"], "name": "a", "on_delete": "retain", "__name": "SimConfig 'a'"}).failures == []
    # Checking the same resource again (a re-run of the program) is not a conflict.
    assert first.check({"iccid": sim["iccid"], "name": "a", "on_delete": "retain", "__name": "SimConfig 'a'"}).failures == []
    failures = second.check({"iccid": sim["iccid"], "name": "b", "on_delete": "retain", "__name": "SimConfig 'b'"}).failures
    assert [p for p, _ in failures] == ["iccid"] and "SimConfig 'a'" in failures[0][1]


def test_unknown_entries_pass_check_and_make_diff_report_a_change(deploy, platform):
    tc = active(platform, "TC", 2)
    fleet = deploy.resource("SimFleet", "meters")
    result = fleet.check(fleet_inputs({tc[0]["iccid"]: {"groups": [UNKNOWN]}, tc[1]["iccid"]: {"name": "ok"}}))
    assert result.failures == []
    assert is_unknown(result.inputs["sims"][tc[0]["iccid"]]["groups"][0])
    fleet.create(fleet_inputs({tc[1]["iccid"]: {"name": "ok"}}))
    news = fleet.check(fleet_inputs({tc[1]["iccid"]: {"name": UNKNOWN}})).inputs
    assert deploy.host.diff(fleet.urn, fleet.id, fleet.outputs, news).changes is True


def test_a_failing_call_fails_only_its_sims_and_the_next_run_finishes(deploy, platform):
    tc = active(platform, "TC", 6)
    sims = {s["iccid"]: {"blocked": True} for s in tc[:3]}
    sims.update({s["iccid"]: {"limit": {"type": "month1", "value_mb": 42}} for s in tc[3:]})
    inputs = fleet_inputs(sims)
    # sim/block answers 422 on every try: no retry helps.
    platform.fault(method="sim/block", status=422, message="refused for the test", times=None)
    fleet = deploy.resource("SimFleet", "meters")
    with pytest.raises(ProviderError) as err:
        fleet.create(inputs)
    assert "3 of 6 SIMs did not reach the declared state" in err.value.message  # the headline
    message = str(err.value)
    for sim in tc[:3]:
        assert sim["iccid"] in message
    assert "sim/block" in message
    for sim in tc[3:]:
        assert sim["iccid"] not in message
        assert platform.sim(sim["iccid"])["limit"]["value"] == 42  # the rest still went out

    platform.clear_faults()
    platform.clear_requests()
    fleet.create(inputs)
    assert platform.sim_writes() == {"sim/block": 1}  # only what was left
    assert all(platform.sim(s["iccid"])["block"] == "u" for s in tc[:3])
    assert fleet.diff(inputs).changes is False


def test_a_failed_queue_task_is_reported_per_sim_after_the_wait(deploy_quick_timeout, platform):
    deploy = deploy_quick_timeout
    tc = active(platform, "TC", 3)
    platform.fault(method="sim/limit", queue="fail", iccid=tc[1]["iccid"], times=1)
    inputs = fleet_inputs({s["iccid"]: {"limit": {"type": "month1", "value_mb": 91}} for s in tc})
    fleet = deploy.resource("SimFleet", "meters")
    with pytest.raises(ProviderError) as err:
        fleet.create(inputs)
    assert "1 of 3 SIMs" in err.value.message
    listed = [line for line in str(err.value).splitlines() if line.strip().startswith("SIM ")]
    assert len(listed) == 1 and tc[1]["iccid"] in listed[0] and "limit" in listed[0]
    assert platform.sim(tc[0]["iccid"])["limit"]["value"] == 91


@pytest.mark.parametrize("on_delete", ["retain", "block", "restore"])
def test_delete_honours_on_delete_for_every_sim(deploy, platform, on_delete):
    tc = active(platform, "TC", 3)
    before = {s["iccid"]: platform.sim(s["iccid"]) for s in tc}
    fleet = deploy.resource("SimFleet", "meters")
    fleet.create(fleet_inputs({s["iccid"]: {"name": f"f-{n}", "limit": {"type": "month1", "value_mb": 33}} for n, s in enumerate(tc)},
                              on_delete=on_delete))
    if on_delete == "restore":
        assert set(fleet.outputs["prior"]) == set(before)
    fleet.delete()
    for iccid, old in before.items():
        live = platform.sim(iccid)
        if on_delete == "retain":
            assert live["name"].startswith("f-") and live["block"] == "n"
        elif on_delete == "block":
            assert live["block"] == "u" and live["name"].startswith("f-")
        else:
            assert live["name"] == old["name"] and live["limit"]["type"] == old["limit"]["type"]
            if old["limit"]["type"] == "month1":
                assert live["limit"]["value"] == old["limit"]["value"]
            assert live["block"] == "n"


def test_state_stays_small_per_sim(deploy, platform):
    import json

    tc = active(platform, "TC", 20)
    fleet = deploy.resource("SimFleet", "meters")
    outs = fleet.create(fleet_inputs({s["iccid"]: {"limit": {"type": "month1", "value_mb": 500}} for s in tc},
                                     defaults={"groups": ["Meters"]}))
    outs = {k: v for k, v in outs.items() if k != "__provider"}
    assert len(json.dumps(outs)) / len(tc) < 150
