"""A GroupPolicy that would silently apply to nothing, or leave the wrong SIM in, stops at preview.

A group that is not on the account (nor made by this deployment) has no member, so the policy
would converge nothing and say nothing; an excluded ICCID that is not on the account is a typo
that leaves the SIM meant to be excluded in the policy. Both are check failures naming the
field, the rule and the value, and nothing is written.
"""
from __future__ import annotations

from .test_group_policy_contract import LIMIT, join, policy_inputs


def test_a_policy_on_a_group_that_does_not_exist_fails_naming_it_and_the_closest_name(deploy, platform):
    join(platform, platform.pick_many("TC", 2), group="Meters North")
    platform.clear_requests()
    policy = deploy.resource("GroupPolicy", "meters")
    [(prop, reason)] = policy.check({**policy_inputs(limit=LIMIT), "group": "Meters Nrth"}).failures
    assert prop == "group"
    assert reason.startswith("group: no group named 'Meters Nrth' on this NovaConnect account (group/list has ")
    assert "so the policy would apply to no SIM; did you mean 'Meters North'?" in reason
    assert "nc.Group" in reason and "group=meters.name" in reason
    assert platform.sim_writes() == {} and platform.count("group/create") == 0


def test_a_group_made_a_moment_ago_is_found(deploy, platform):
    policy = deploy.resource("GroupPolicy", "meters")
    assert policy.check(policy_inputs(limit=LIMIT)).failures  # "Policied" is not there: the list is read
    join(platform, platform.pick_many("TC", 1))  # made behind the shared list's back
    assert policy.check(policy_inputs(limit=LIMIT)).failures == []


def test_a_group_this_deployment_declares_passes_before_it_exists(deploy, platform):
    assert deploy.resource("Group", "policied").check({"name": "Policied", "adopt": False}).failures == []
    assert deploy.resource("GroupPolicy", "meters").check(policy_inputs(limit=LIMIT)).failures == []
    # ...and so does a group a SIM resource will put a SIM in (sim/group creates it by name).
    sim = platform.pick("TC")
    fleet = {"sims": {sim["iccid"]: {"groups": ["Made by the fleet"]}}, "on_delete": "retain",
             "__name": "SimFleet 'f'"}
    assert deploy.resource("SimFleet", "f").check(fleet).failures == []
    other = {**policy_inputs("other", blocked=False), "group": "Made by the fleet"}
    assert deploy.resource("GroupPolicy", "other").check(other).failures == []


def test_an_excluded_iccid_that_is_not_on_the_account_fails_naming_it(deploy, platform):
    tc = platform.pick_many("TC", 2)
    join(platform, tc)
    platform.clear_requests()
    policy = deploy.resource("GroupPolicy", "meters")
    typo = tc[0]["iccid"][:-1] + ("0" if tc[0]["iccid"][-1] != "0" else "1")
    [(prop, reason)] = policy.check(policy_inputs(limit=LIMIT, exclude=[typo, tc[1]["iccid"]])).failures
    assert prop == "exclude"
    assert reason == (f"exclude: ICCID {typo} is not on this NovaConnect account (sim/list does not list it); "
                      "an excluded SIM must exist: correct or remove it")
    assert platform.sim_writes() == {}
    assert policy.check(policy_inputs(limit=LIMIT, exclude=[f" {tc[1]['iccid']} "])).failures == []
