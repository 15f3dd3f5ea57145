"""GroupPolicy through the real provider host: members read live, bulk calls, conflicts, drift, delete."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.testing.provider_host import ProviderError

from .test_preview_errors import stderr_of

LIMIT = {"type": "month1", "value_mb": 500}



def policy_inputs(name: str = "meters", **settings) -> dict:
    return {"group": "Policied", "on_delete": "retain", "__name": f"GroupPolicy {name!r}", "deviations": {}, **settings}


def join(platform, sims, group: str = "Policied") -> None:
    for sim in sims:
        platform.change_sim(sim["iccid"], groups=[*platform.group_names(sim), group])


def test_create_converges_every_member_in_one_call_and_leaves_others_alone(deploy, platform):
    tc = platform.pick_many("TC", 6)
    join(platform, tc[:5])
    policy = deploy.resource("GroupPolicy", "meters")
    platform.clear_requests()
    outs = policy.create(policy_inputs(limit=LIMIT))

    assert platform.sim_writes() == {"sim/limit": 1}
    assert sorted(platform.requests("sim/limit")[0]["body"]["items"]) == sorted(s["id"] for s in tc[:5])
    for sim in tc[:5]:
        live = platform.sim(sim["iccid"])
        assert (live["limit"]["type"], live["limit"]["value"]) == ("month1", 500)
    assert platform.sim(tc[5]["iccid"])["limit"] == tc[5]["limit"]
    assert outs["members"] == sorted(s["iccid"] for s in tc[:5]) and outs["sim_count"] == 5
    assert policy.diff(policy_inputs(limit=LIMIT)).changes is False


def test_profile_and_exclude_narrow_the_members(deploy, platform):
    tc = platform.pick_many("TC", 3)
    td = platform.pick_many("TD", 2)
    join(platform, [*tc, *td])
    policy = deploy.resource("GroupPolicy", "meters")
    outs = policy.create(policy_inputs(limit=LIMIT, profile="TC", exclude=[tc[0]["iccid"]]))
    assert outs["members"] == sorted(s["iccid"] for s in tc[1:])
    assert platform.sim(tc[0]["iccid"])["limit"] == tc[0]["limit"]


def test_a_limit_for_td_members_is_a_preview_error_naming_them_unless_profile_filters_them(deploy, platform):
    tc = platform.pick_many("TC", 1)
    td = platform.pick_many("TD", 2)
    join(platform, [*tc, *td])
    policy = deploy.resource("GroupPolicy", "meters")
    failures = policy.check(policy_inputs(limit=LIMIT)).failures
    assert len(failures) == 1
    prop, reason = failures[0]
    assert prop == "limit" and "2 members of group 'Policied'" in reason
    assert all(s["iccid"] in reason for s in td) and tc[0]["iccid"] not in reason
    assert "TC SIMs only" in reason and "profile" in reason
    assert policy.check(policy_inputs(limit=LIMIT, profile="TC")).failures == []


def test_invalid_settings_are_check_failures(deploy, platform):
    policy = deploy.resource("GroupPolicy", "meters")
    reasons = [r for _, r in policy.check(policy_inputs(limit={"type": "month1"}, profile="XX", exclude=["12"])).failures]
    assert any("value_mb" in r for r in reasons)
    assert any("TC or TD" in r for r in reasons)
    assert any("19 or 20 digits" in r for r in reasons)
    assert [r for _, r in policy.check(policy_inputs()).failures] == [
        "a policy needs at least one setting: blocked, limit or tariff"]


def test_a_sim_joining_the_group_makes_the_preview_show_an_update_and_up_converges_it(deploy, platform):
    tc = platform.pick_many("TC", 3)
    join(platform, tc[:2])
    policy = deploy.resource("GroupPolicy", "meters")
    policy.create(policy_inputs(limit=LIMIT))
    join(platform, tc[2:])
    policy.host = deploy.fresh_host()
    assert policy.diff(policy_inputs(limit=LIMIT)).changes is True
    platform.clear_requests()
    outs = policy.update(policy_inputs(limit=LIMIT))
    assert platform.sim_writes() == {"sim/limit": 1}
    assert platform.requests("sim/limit")[0]["body"]["items"] == [tc[2]["id"]]
    assert outs["members"] == sorted(s["iccid"] for s in tc)


def test_a_sim_that_already_meets_the_policy_joining_needs_no_update(deploy, platform):
    tc = platform.pick_many("TC", 2)
    join(platform, tc[:1])
    policy = deploy.resource("GroupPolicy", "meters")
    policy.create(policy_inputs(limit=LIMIT))
    platform.change_sim(tc[1]["iccid"], limit={"type": "month1", "value": 500})
    join(platform, tc[1:])
    policy.host = deploy.fresh_host()
    assert policy.diff(policy_inputs(limit=LIMIT)).changes is False


def test_a_sim_leaving_the_group_is_let_go_per_on_delete(deploy, platform):
    tc = platform.pick_many("TC", 3)
    join(platform, tc)
    policy = deploy.resource("GroupPolicy", "meters")
    policy.create(policy_inputs(limit=LIMIT, on_delete="restore"))
    platform.change_sim(tc[0]["iccid"], groups=[])
    policy.host = deploy.fresh_host()
    assert policy.diff(policy_inputs(limit=LIMIT, on_delete="restore")).changes is True
    outs = policy.update(policy_inputs(limit=LIMIT, on_delete="restore"))
    assert platform.sim(tc[0]["iccid"])["limit"]["type"] == tc[0]["limit"]["type"]
    assert outs["members"] == sorted(s["iccid"] for s in tc[1:])
    assert policy.diff(policy_inputs(limit=LIMIT, on_delete="restore")).changes is False


def test_refresh_names_the_deviating_members_as_inputs(deploy, platform):
    tc = platform.pick_many("TC", 3)
    join(platform, tc)
    policy = deploy.resource("GroupPolicy", "meters")
    policy.create(policy_inputs(limit=LIMIT))
    platform.change_sim(tc[1]["iccid"], limit={"type": "off", "value": None})
    policy.host = deploy.fresh_host()
    new_id, outs, inputs = policy.read()
    assert new_id == policy.id
    assert inputs["deviations"] == {tc[1]["iccid"]: {"limit": {"type": "off"}}}  # the wire drops nulls
    assert inputs["group"] == "Policied" and inputs["limit"] == LIMIT
    assert outs["deviations"] == inputs["deviations"]


def test_a_field_set_by_a_policy_and_a_sim_config_is_an_error_naming_both(deploy, platform):
    sim = platform.pick("TC")
    join(platform, [sim])
    policy = deploy.resource("GroupPolicy", "meters")
    assert policy.check(policy_inputs(limit=LIMIT)).failures == []
    single = deploy.resource("SimConfig", "pump")
    base = {"iccid": sim["iccid"], "on_delete": "retain", "__name": "SimConfig 'pump'"}
    # Another field of the same SIM is not a conflict.
    assert single.check({**base, "name": "pump"}).failures == []
    failures = single.check({**base, "limit": {"type": "month1", "value_mb": 100}}).failures
    assert len(failures) == 1
    reason = failures[0][1]
    assert sim["iccid"] in reason and "`limit`" in reason
    assert "GroupPolicy 'meters'" in reason and "SimConfig 'pump'" in reason


def test_two_policies_conflict_only_when_they_set_a_field_to_different_values(deploy, platform):
    tc = platform.pick_many("TC", 2)
    for sim in tc:
        platform.change_sim(sim["iccid"], groups=["Policied", "Policied-2"])
    first = deploy.resource("GroupPolicy", "meters")
    assert first.check(policy_inputs(limit=LIMIT)).failures == []
    second = deploy.resource("GroupPolicy", "almaty")
    same = {**policy_inputs("almaty", limit=LIMIT), "group": "Policied-2"}
    assert second.check(same).failures == []
    failures = second.check({**same, "limit": {"type": "month1", "value_mb": 900}}).failures
    assert len(failures) == 1
    prop, reason = failures[0]
    assert prop == "group" and all(s["iccid"] in reason for s in tc)
    assert "GroupPolicy 'meters'" in reason and "GroupPolicy 'almaty'" in reason and "different values" in reason


def test_a_member_blocked_by_the_platform_is_reported_at_preview(deploy, platform):
    sim = platform.pick("TC")
    join(platform, [sim])
    platform.change_sim(sim["iccid"], block="m")
    policy = deploy.resource("GroupPolicy", "meters")
    failures = policy.check(policy_inputs(blocked=False)).failures
    assert len(failures) == 1 and sim["iccid"] in failures[0][1] and "irreversible" in failures[0][1]


def test_renew_expired_package_unblocks_td_members_blocked_p_with_one_repackage(deploy, platform):
    td = platform.pick_many("TD", 2)
    join(platform, td)
    for sim in td:
        platform.change_sim(sim["iccid"], block="p")
    policy = deploy.resource("GroupPolicy", "meters")
    # Held by the platform: no failure, but preview names them and the way out.
    assert policy.check(policy_inputs(blocked=False)).failures == []
    note = stderr_of(deploy.host, "held by the platform")
    assert all(s["iccid"] in note for s in td) and "renew_expired_package=True" in note
    platform.clear_requests()
    policy.create(policy_inputs(blocked=False, renew_expired_package=True))
    assert platform.sim_writes() == {"sim/repackage": 1}
    assert all(platform.sim(s["iccid"])["block"] == "n" for s in td)


def test_a_failed_call_names_each_member_and_the_policy(deploy, platform):
    tc = platform.pick_many("TC", 2)
    join(platform, tc)
    platform.fault("sim/limit", status=422, message="params.value: rejected")
    policy = deploy.resource("GroupPolicy", "meters")
    with pytest.raises(ProviderError) as caught:
        policy.create(policy_inputs(limit=LIMIT))
    text = str(caught.value)
    assert all(s["iccid"] in text for s in tc) and "2 of 2 SIMs" in text and "the policy compares" in text


@pytest.mark.parametrize("on_delete, expected", [("retain", "month1"), ("block", "u"), ("restore", "off")])
def test_delete_honours_on_delete_for_every_member(deploy, platform, on_delete, expected):
    tc = [s for s in platform.pick_many("TC", 6) if s["limit"]["type"] == "off"][:2]
    join(platform, tc)
    policy = deploy.resource("GroupPolicy", "meters")
    policy.create(policy_inputs(limit=LIMIT, on_delete=on_delete))
    policy.delete()
    for sim in tc:
        live = platform.sim(sim["iccid"])
        assert (live["block"] if on_delete == "block" else live["limit"]["type"]) == expected
