"""A SIM the platform holds (blocked `p`, `f` or `g`, a tariff lock) never stops the others.

Preview names it and passes; up converges every other SIM (and the held SIM's other
settings), records it in ``held``, and ends with a warning naming it and what lifts the
hold. The step succeeds, so nothing the run did is lost from state, and the next run can
always finish: an unchanged one has nothing to do while the hold lasts, and once the
platform lets go, the next up finishes the SIM.
"""
from __future__ import annotations

from .test_group_policy_contract import join, policy_inputs
from .test_preview_errors import READS, stderr_of

LIMIT = {"type": "month1", "value_mb": 64}


def fleet(sims: dict, **extra) -> dict:
    return {"sims": sims, "on_delete": "retain", "__name": "SimFleet 'meters'", **extra}


def writes(platform) -> list[str]:
    return [r["method"] for r in platform.requests() if r["method"] not in READS]


def test_a_sim_blocked_g_holds_back_no_other_sim_and_the_next_runs_finish(deploy, platform):
    tc = platform.pick_many("TC", 4)
    held = tc[1]["iccid"]
    platform.change_sim(held, block="g")
    inputs = fleet({s["iccid"]: {} for s in tc}, defaults={"blocked": False, "limit": LIMIT})
    res = deploy.resource("SimFleet", "meters")

    assert res.check(inputs).failures == []
    note = stderr_of(deploy.host, "held by the platform")
    assert f"SimFleet 'meters': 1 of 4 SIMs is held by the platform: `pulumi up` will leave the held setting" in note
    assert f"SIM {held}: blocked: the SIM is blocked 'g' (by the operator or NovaConnect)" in note

    outs = res.create(inputs)
    assert all(platform.sim(s["iccid"])["limit"]["value"] == 64 for s in tc)  # the held SIM's limit too
    assert platform.sim(held)["block"] == "g"
    assert list(outs["held"]) == [held] and "blocked 'g'" in outs["held"][held]
    warning = stderr_of(deploy.host, "was left as it is")
    assert "SimFleet 'meters': 1 of 4 SIMs is held by the platform, so the held setting was left as it is" in warning
    assert f"SIM {held}: blocked:" in warning and "ask NovaConnect support" in warning
    assert "the next `pulumi up` finishes it" in warning

    # While the hold lasts, the next run has nothing to do.
    res.host = deploy.fresh_host()
    assert res.diff(inputs).changes is False
    # Once the platform lets go, the next run finishes the SIM (here: only records that it is
    # no longer held, since blocked=False and its limit are there already).
    platform.change_sim(held, block="n")
    res.host = deploy.fresh_host()
    assert res.diff(inputs).changes is True
    platform.clear_requests()
    outs = res.update(inputs)
    assert writes(platform) == [] and outs["held"] == {}  # blocked=False and the limit: already there


def test_a_held_sim_whose_other_settings_wait_is_finished_by_the_next_up(deploy, platform):
    tc = platform.pick_many("TC", 2)
    platform.change_sim(tc[0]["iccid"], block="g")
    inputs = fleet({s["iccid"]: {"blocked": True} for s in tc})
    res = deploy.resource("SimFleet", "meters")
    outs = res.create(inputs)  # blocked=True: a SIM blocked `g` already is
    assert outs["held"] == {} and platform.sim(tc[1]["iccid"])["block"] == "u"
    inputs = fleet({s["iccid"]: {"blocked": False} for s in tc})
    outs = res.update(inputs)
    assert list(outs["held"]) == [tc[0]["iccid"]] and platform.sim(tc[1]["iccid"])["block"] == "n"


def test_a_sim_held_by_the_platform_can_leave_the_fleet_even_when_its_settings_cannot_be_put_back(deploy, platform):
    tc = platform.pick_many("TC", 3)
    res = deploy.resource("SimFleet", "meters")
    res.create(fleet({s["iccid"]: {"blocked": True, "limit": LIMIT} for s in tc}, on_delete="restore"))
    # The operator blocks one for good (MSU): restore's `blocked=False` can never be reached.
    platform.change_sim(tc[0]["iccid"], block="m")
    res.host = deploy.fresh_host()
    outs = res.update(fleet({s["iccid"]: {"blocked": True, "limit": LIMIT} for s in tc[1:]}, on_delete="restore"))
    assert outs["sim_count"] == 2
    gone = platform.sim(tc[0]["iccid"])
    assert gone["block"] == "m"
    assert (gone["limit"]["type"], gone["limit"]["value"] or 0) == (tc[0]["limit"]["type"], tc[0]["limit"]["value"] or 0)
    note = stderr_of(res.host, "could not put back")
    assert "SimFleet 'meters' let 1 SIM go, but could not put back what the platform holds on it" in note
    assert f"SIM {tc[0]['iccid']}: blocked: the SIM is blocked 'm'" in note
    res.delete()  # and the rest go as declared
    assert all(platform.sim(s["iccid"])["block"] == "n" for s in tc[1:])


def test_a_policy_member_blocked_p_holds_back_no_other_member(deploy, platform):
    td = platform.pick_many("TD", 3)
    join(platform, td)
    platform.change_sim(td[0]["iccid"], block="p")
    tariff = {"package_mb": 30, "auto_package": True}
    policy = deploy.resource("GroupPolicy", "meters")
    inputs = policy_inputs(blocked=False, tariff=tariff)
    assert policy.check(inputs).failures == []
    outs = policy.create(inputs)
    assert list(outs["held"]) == [td[0]["iccid"]]
    assert "renew_expired_package=True" in outs["held"][td[0]["iccid"]]
    assert all(platform.sim(s["iccid"])["limit"]["value"] == 30 for s in td)
    assert "GroupPolicy 'meters': 1 of 3 SIMs is held by the platform" in stderr_of(deploy.host, "was left as it is")
    policy.host = deploy.fresh_host()
    assert policy.diff(inputs).changes is False
    # Opting in to buy a package is an update that finishes the held member.
    renewed = policy_inputs(blocked=False, tariff=tariff, renew_expired_package=True)
    assert policy.diff(renewed).changes is True
    outs = policy.update(renewed)
    assert outs["held"] == {} and platform.sim(td[0]["iccid"])["block"] == "n"


def test_a_tariff_lock_on_one_fleet_sim_holds_back_no_other(deploy, platform):
    td = platform.pick_many("TD", 2)
    lock = platform.now() + 86_400
    platform.change_sim(td[0]["iccid"], tariff={"change_lock": lock})
    inputs = fleet({s["iccid"]: {"tariff": {"package_mb": 45, "auto_package": False}} for s in td})
    res = deploy.resource("SimFleet", "meters")
    assert res.check(inputs).failures == []
    outs = res.create(inputs)
    assert list(outs["held"]) == [td[0]["iccid"]] and "tariff changes are locked" in outs["held"][td[0]["iccid"]]
    assert platform.sim(td[1]["iccid"])["limit"]["value"] == 45
