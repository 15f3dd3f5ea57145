"""SimConfig through the real provider host: preview, adopt, converge, drift, delete."""
from __future__ import annotations

import base64
import concurrent.futures

import dill
import pytest

from pulumi_novaconnect.testing.provider_host import UNKNOWN, ProviderError, is_unknown
from pulumi_novaconnect.testing import ADMIN_TOKEN, USER_TOKEN


def test_preview_with_unknown_inputs_passes_check_and_diff(deploy, platform):
    sim = platform.pick("TC")
    res = deploy.resource("SimConfig", "pump")
    checked = res.check({"iccid": UNKNOWN, "groups": [UNKNOWN], "on_delete": "retain"})
    assert checked.failures == []
    assert is_unknown(checked.inputs["iccid"])

    res.create({"iccid": sim["iccid"], "on_delete": "retain"})
    news = res.check({"iccid": sim["iccid"], "name": UNKNOWN, "on_delete": "retain"}).inputs
    diff = deploy.host.diff(res.urn, res.id, res.outputs, news)
    assert diff.changes is True and diff.replaces == []


def test_create_adopts_the_sim_and_converges_every_managed_field(deploy, platform):
    sim = platform.pick("TC")
    res = deploy.resource("SimConfig", "pump")
    outs = res.create(
        {
            "iccid": sim["iccid"],
            "name": "pump-7",
            "groups": ["Pumps", "Meters"],
            "blocked": True,
            "limit": {"type": "month1", "value_mb": 512},
            "on_delete": "retain",
        }
    )
    live = platform.sim(sim["iccid"])
    assert live["name"] == "pump-7"
    assert sorted(g["name"] for g in live["groups"]) == ["Meters", "Pumps"]
    assert live["block"] == "u"
    assert live["limit"]["type"] == "month1" and live["limit"]["value"] == 512

    assert res.id == sim["iccid"]
    assert outs["sim_id"] == sim["id"] and outs["profile"] == "TC" and outs["number"] == sim["number"]
    assert outs["block"] == "u"
    assert outs["groups"] == ["Meters", "Pumps"]
    assert outs["prior"]["name"] == sim["name"]
    assert outs["prior"]["blocked"] is False


def test_diff_after_create_reports_no_change(deploy, platform):
    sim = platform.pick("TC")
    res = deploy.resource("SimConfig", "pump")
    inputs = {"iccid": sim["iccid"], "name": "n1", "limit": {"type": "off"}, "groups": [], "on_delete": "retain"}
    res.create(inputs)
    diff = res.diff(inputs)
    assert diff.changes is False and diff.replaces == []


def test_update_changes_only_what_differs(deploy, platform):
    sim = platform.pick("TC")
    res = deploy.resource("SimConfig", "pump")
    res.create({"iccid": sim["iccid"], "name": "n1", "limit": {"type": "month1", "value_mb": 100}, "on_delete": "retain"})
    platform.clear_requests()
    new = {"iccid": sim["iccid"], "name": "n1", "limit": {"type": "month1", "value_mb": 300}, "on_delete": "retain"}
    assert res.diff(new).changes is True
    outs = res.update(new)
    assert outs["limit"] == {"type": "month1", "value_mb": 300}
    assert platform.sim(sim["iccid"])["limit"]["value"] == 300
    writes = [r["method"] for r in platform.requests() if r["method"] != "sim/list" and not r["method"].startswith("report/")]
    assert writes == ["sim/limit"]


def test_tariff_on_a_td_sim_converges_through_the_limit_it_shows(deploy, platform):
    sim = platform.pick("TD")
    res = deploy.resource("SimConfig", "tracker")
    outs = res.create({"iccid": sim["iccid"], "tariff": {"package_mb": 25, "auto_package": False}, "on_delete": "retain"})
    live = platform.sim(sim["iccid"])
    assert live["limit"]["type"] == "p_lim" and live["limit"]["value"] == 25
    assert live["tariff"]["package_auto"] is False
    assert outs["tariff"] == {"package_mb": 25, "auto_package": False}  # null members do not travel
    assert res.diff({"iccid": sim["iccid"], "tariff": {"package_mb": 25, "auto_package": False}, "on_delete": "retain"}).changes is False


def test_drift_is_caught_by_diff_without_a_refresh(deploy, platform):
    sim = platform.pick("TC")
    res = deploy.resource("SimConfig", "pump")
    inputs = {"iccid": sim["iccid"], "name": "declared", "on_delete": "retain"}
    res.create(inputs)
    platform.change_sim(sim["iccid"], name="changed-by-hand")
    # The next `pulumi preview` starts a new provider process: no snapshot carried over.
    with deploy.fresh_host() as res.host:
        assert res.diff(inputs).changes is True


def test_read_returns_live_values_as_inputs_so_preview_shows_drift(deploy, platform):
    sim = platform.pick("TC")
    res = deploy.resource("SimConfig", "pump")
    res.create({"iccid": sim["iccid"], "name": "declared", "limit": {"type": "month1", "value_mb": 100}, "on_delete": "block"})
    platform.change_sim(sim["iccid"], name="by-hand", limit={"type": "month1", "value": 999})
    with deploy.fresh_host() as res.host:
        new_id, outs, inputs = res.read()
    assert new_id == sim["iccid"]
    assert inputs["name"] == "by-hand"
    assert inputs["limit"] == {"type": "month1", "value_mb": 999}
    assert inputs["on_delete"] == "block"
    assert "groups" not in inputs  # unmanaged fields stay unmanaged
    assert outs["name"] == "by-hand"


def test_read_of_a_sim_no_longer_on_the_account_answers_an_empty_id(deploy, platform, emulator):
    sim = platform.pick("TC")
    res = deploy.resource("SimConfig", "pump")
    res.create({"iccid": sim["iccid"], "on_delete": "retain"})
    res.id = "8997999999999999999"
    assert res.read()[0] == ""


def test_changing_the_iccid_replaces_the_resource(deploy, platform):
    first = platform.pick("TC")
    second = platform.pick("TC", exclude=(first["iccid"],))
    res = deploy.resource("SimConfig", "pump")
    res.create({"iccid": first["iccid"], "on_delete": "retain"})
    diff = res.diff({"iccid": second["iccid"], "on_delete": "retain"})
    assert diff.changes is True and diff.replaces == ["iccid"] and diff.delete_before_replace is False


def test_on_delete_retain_leaves_the_sim_as_it_is(deploy, platform):
    sim = platform.pick("TC")
    res = deploy.resource("SimConfig", "pump")
    res.create({"iccid": sim["iccid"], "name": "managed", "on_delete": "retain"})
    platform.clear_requests()
    res.delete()
    assert platform.sim(sim["iccid"])["name"] == "managed"
    assert [r["method"] for r in platform.requests() if r["method"] != "sim/list"] == []


def test_on_delete_block_blocks_the_sim(deploy, platform):
    sim = platform.pick("TC")
    res = deploy.resource("SimConfig", "pump")
    res.create({"iccid": sim["iccid"], "on_delete": "block"})
    res.delete()
    assert platform.sim(sim["iccid"])["block"] == "u"


def test_on_delete_restore_puts_back_the_settings_recorded_at_adoption(deploy, platform):
    sim = platform.pick("TC")
    # A known prior state, so that each field below is really compared (the seed leaves some
    # SIMs unnamed or with the limit off).
    before = platform.change_sim(sim["iccid"], name="pump-original", groups=["Meters"],
                                 limit={"type": "month1", "value": 64})
    res = deploy.resource("SimConfig", "pump")
    res.create(
        {
            "iccid": sim["iccid"],
            "name": "temporary",
            "groups": ["Elsewhere"],
            "blocked": True,
            "limit": {"type": "month1", "value_mb": 42},
            "on_delete": "restore",
        }
    )
    res.delete()
    after = platform.sim(sim["iccid"])
    assert after["name"] == "pump-original"
    assert [g["name"] for g in after["groups"]] == ["Meters"]
    assert after["block"] == before["block"] == "n"
    assert (after["limit"]["type"], after["limit"]["value"]) == ("month1", 64)


def test_unblocking_an_msu_blocked_sim_fails_at_preview_naming_sim_and_rule(deploy, platform):
    sim = platform.pick("TC", block="m")
    res = deploy.resource("SimConfig", "pump")
    result = res.check({"iccid": sim["iccid"], "blocked": False, "name": "x", "on_delete": "retain"})
    assert [prop for prop, _ in result.failures] == ["blocked"]
    assert sim["iccid"] in result.failures[0][1] and "irreversible" in result.failures[0][1]


def test_create_of_an_unreachable_state_changes_nothing_on_the_sim(deploy, platform):
    sim = platform.pick("TC")
    platform.change_sim(sim["iccid"], block="f")
    res = deploy.resource("SimConfig", "pump")
    platform.clear_requests()
    props = res.props({"iccid": sim["iccid"], "blocked": False, "name": "renamed", "on_delete": "retain"})
    with pytest.raises(ProviderError) as err:
        deploy.host.create(res.urn, props)
    assert sim["iccid"] in err.value.message and "financial" in err.value.message
    assert platform.sim(sim["iccid"])["name"] == sim["name"]
    assert [r["method"] for r in platform.requests() if r["method"] != "sim/list"] == []


@pytest.mark.parametrize(
    "profile, field, value, words",
    [
        ("TD", "limit", {"type": "month1", "value_mb": 100}, "TC SIMs only"),
        ("TC", "tariff", {"package_mb": 20, "auto_package": True}, "TD SIMs only"),
    ],
)
def test_profile_rules_are_checked_at_preview_against_the_live_sim(deploy, platform, profile, field, value, words):
    sim = platform.pick(profile)
    result = deploy.resource("SimConfig", "x").check({"iccid": sim["iccid"], field: value, "on_delete": "retain"})
    assert [prop for prop, _ in result.failures] == [field]
    assert words in result.failures[0][1] and sim["iccid"] in result.failures[0][1]


def test_unknown_iccid_is_rejected_at_preview(deploy):
    result = deploy.resource("SimConfig", "x").check({"iccid": "8997000000000000001", "on_delete": "retain"})
    assert result.failures and result.failures[0][0] == "iccid"
    assert "8997000000000000001" in result.failures[0][1]


def test_input_rules_are_checked_at_preview(deploy, platform):
    sim = platform.pick("TD")
    result = deploy.resource("SimConfig", "x").check(
        {"iccid": sim["iccid"], "tariff": {"package_mb": 17, "auto_package": True}, "on_delete": "retain"}
    )
    assert result.failures == [("tariff", result.failures[0][1])]
    assert "steps of 5" in result.failures[0][1]


def test_a_queue_task_that_never_completes_fails_naming_sim_and_pending_field(deploy_quick_timeout, platform):
    deploy = deploy_quick_timeout
    sim = platform.pick("TC")
    res = deploy.resource("SimConfig", "pump")
    platform.fault(method="sim/limit", queue="never", times=1)
    inputs = {"iccid": sim["iccid"], "name": "half", "limit": {"type": "month1", "value_mb": 77}, "on_delete": "retain"}
    with pytest.raises(ProviderError) as err:
        res.create(inputs)
    message = err.value.message
    assert sim["iccid"] in message and "limit" in message and "pulumi up" in message
    # The next run finishes the job.
    platform.clear_faults()
    res.create(inputs)
    assert platform.sim(sim["iccid"])["limit"]["value"] == 77


def test_a_failed_queue_task_is_reported_and_the_next_run_finishes(deploy_quick_timeout, platform):
    deploy = deploy_quick_timeout
    sim = platform.pick("TC")
    res = deploy.resource("SimConfig", "pump")
    platform.fault(method="sim/block", queue="fail", times=1)
    inputs = {"iccid": sim["iccid"], "blocked": True, "on_delete": "retain"}
    with pytest.raises(ProviderError) as err:
        res.create(inputs)
    assert sim["iccid"] in err.value.message and "blocked" in err.value.message
    res.create(inputs)
    assert platform.sim(sim["iccid"])["block"] == "u"


def test_four_concurrent_creates_share_snapshot_sweeps(deploy, platform):
    state = platform.state()
    sims = [s for s in state["sims"] if s["profile"] == "TC" and s["block"] == "n"][:8]
    resources = [deploy.resource("SimConfig", f"sim-{i}") for i in range(len(sims))]
    checked = [r.checked({"iccid": s["iccid"], "name": f"fleet-{i}", "on_delete": "retain"}) for i, (r, s) in enumerate(zip(resources, sims))]
    platform.clear_requests()
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda pair: deploy.host.create(pair[0].urn, pair[1]), zip(resources, checked)))
    assert [outs["name"] for _, outs in results] == [f"fleet-{i}" for i in range(len(sims))]
    assert {platform.sim(s["iccid"])["name"] for s in sims} == {f"fleet-{i}" for i in range(len(sims))}
    edits = platform.requests("sim/edit")
    assert len(edits) == len(sims)
    # Waiters share reads: far fewer sim/list requests than resources times polls.
    assert len(platform.requests("sim/list")) < 4 * len(sims)


def test_diffs_of_many_resources_cost_one_sweep(deploy, platform, emulator):
    emulator.reset(sims=2500)
    state = platform.state()
    sims = [s for s in state["sims"] if s["block"] == "n"][::60]  # spread over every page
    resources = []
    for i, s in enumerate(sims):
        res = deploy.resource("SimConfig", f"sim-{i}")
        res.create({"iccid": s["iccid"], "on_delete": "retain"})
        resources.append(res)
    platform.clear_requests()
    # A new deployment: a fresh host diffs every resource, four at a time.
    with deploy.fresh_host() as other:
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            diffs = list(
                pool.map(
                    lambda r: other.diff(r.urn, r.id, r.outputs, r.inputs),
                    resources,
                )
            )
    assert all(d.changes is False for d in diffs)
    pages = [r["body"].get("page", 0) for r in platform.requests("sim/list")]
    assert sorted(pages) == [0, 1, 2], pages  # one paginated sweep of 2500 SIMs for all resources


def test_the_token_is_in_no_property_nor_in_the_pickled_provider(deploy, platform, emulator):
    sim = platform.pick("TC")
    res = deploy.resource("SimConfig", "pump")
    outs = res.create({"iccid": sim["iccid"], "name": "t", "on_delete": "retain"})
    _, read_outs, read_inputs = res.read()
    blob = repr(outs) + repr(read_outs) + repr(read_inputs) + repr(res.inputs)
    assert ADMIN_TOKEN not in blob
    provider = dill.loads(base64.b64decode(outs["__provider"]))
    assert vars(provider) == {}
    assert ADMIN_TOKEN.encode() not in base64.b64decode(outs["__provider"])
    assert len(outs["__provider"]) < 400
    assert outs["__provider"] == res.props({})["__provider"]  # identical across runs
    deploy.host.stop()
    assert ADMIN_TOKEN not in deploy.host.stderr_text


def test_token_falls_back_to_the_environment(emulator, start_host, platform):
    host = start_host(env={"NOVACONNECT_TOKEN": ADMIN_TOKEN, "NOVACONNECT_ENDPOINT": emulator.url})
    host.configure({"novaconnect:convergeTimeout": "10", "novaconnect:pollInterval": "0.05"})
    from tests.contract.conftest import Deployment

    sim = platform.pick("TC")
    Deployment(host).resource("SimConfig", "env").create({"iccid": sim["iccid"], "name": "from-env", "on_delete": "retain"})
    assert platform.sim(sim["iccid"])["name"] == "from-env"


def test_missing_token_fails_with_a_sentence_saying_how_to_set_it(emulator, start_host, platform):
    host = start_host()
    host.configure({"novaconnect:endpoint": emulator.url})
    from tests.contract.conftest import Deployment

    sim = platform.pick("TC")
    with pytest.raises(ProviderError) as err:
        Deployment(host).resource("SimConfig", "x").check({"iccid": sim["iccid"], "on_delete": "retain"})
    assert "novaconnect:token" in err.value.message


def test_a_read_only_token_is_refused_before_the_first_write_naming_the_role_needed(emulator, start_host, platform):
    from tests.contract.conftest import Deployment, provider_config
    from pulumi_novaconnect.testing.provider_host import secret

    host = start_host()
    host.configure(provider_config(emulator, **{"novaconnect:token": secret(USER_TOKEN)}))
    sim = platform.pick("TC")
    res = Deployment(host).resource("SimConfig", "x")
    platform.clear_requests()
    with pytest.raises(ProviderError) as err:
        res.host.create(res.urn, res.props({"iccid": sim["iccid"], "name": "nope", "on_delete": "retain"}))
    assert sim["iccid"] in err.value.message and "the administrator role ('admin')" in err.value.message
    assert platform.requests("sim/edit") == []
