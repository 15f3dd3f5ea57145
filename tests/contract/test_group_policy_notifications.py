"""What the provider says after the platform's own notifications changed SIMs or the account."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.testing.provider_host import ProviderError

from .test_group_policy_contract import join, policy_inputs
from .test_preview_errors import stderr_of
from tests.emulator.test_webhooks import receiver  # noqa: F401 (a fixture)


def notify(platform, url, **body):
    response = platform.http.post(f"{platform.control_url}/notifications", json={"url": url, **body}, timeout=10)
    assert response.status_code == 200, response.text


def sim_config(iccid: str, name: str = "pump", **settings) -> dict:
    return {"iccid": iccid, "on_delete": "retain", "__name": f"SimConfig {name!r}", **settings}


def test_after_msu_lock_the_preview_names_the_sim_and_says_the_block_is_irreversible(deploy, platform, receiver):
    url, _ = receiver
    tc = platform.pick_many("TC", 2)
    join(platform, tc)
    notify(platform, url, type="msu_lock", iccids=[tc[0]["iccid"]])
    policy = deploy.resource("GroupPolicy", "meters")
    failures = policy.check(policy_inputs(blocked=False)).failures
    assert len(failures) == 1
    prop, reason = failures[0]
    assert prop == "blocked" and tc[0]["iccid"] in reason and tc[1]["iccid"] not in reason
    assert "MSU" in reason and "irreversible" in reason


def test_after_package_empty_renew_expired_package_buys_a_new_one(deploy, platform, receiver):
    url, _ = receiver
    td = platform.pick("TD")
    notify(platform, url, type="package_empty", iccids=[td["iccid"]])
    single = deploy.resource("SimConfig", "pump")
    failures = single.check(sim_config(td["iccid"], blocked=False)).failures
    assert [p for p, _ in failures] == ["blocked"]
    assert td["iccid"] in failures[0][1] and "renew_expired_package=True" in failures[0][1]
    platform.clear_requests()
    outs = single.create(sim_config(td["iccid"], blocked=False, renew_expired_package=True))
    assert platform.sim_writes() == {"sim/repackage": 1}
    assert platform.requests("sim/repackage")[0]["body"]["items"] == [td["id"]]
    assert outs["block"] == "n" and platform.sim(td["iccid"])["block"] == "n"
    assert single.diff(sim_config(td["iccid"], blocked=False, renew_expired_package=True)).changes is False


def test_a_fleet_renews_expired_packages_in_one_call(deploy, platform, receiver):
    url, _ = receiver
    td = platform.pick_many("TD", 3)
    notify(platform, url, type="package_empty", iccids=[s["iccid"] for s in td])
    fleet = deploy.resource("SimFleet", "meters")
    inputs = {"sims": {s["iccid"]: {"blocked": False} for s in td}, "on_delete": "retain",
              "__name": "SimFleet 'meters'", "renew_expired_package": True}
    platform.clear_requests()
    fleet.create(inputs)
    assert platform.sim_writes() == {"sim/repackage": 1}
    assert all(platform.sim(s["iccid"])["block"] == "n" for s in td)


def test_members_blocked_f_for_an_unpaid_bill_are_named_at_preview_and_hold_back_no_other_member(deploy, platform):
    tc = platform.pick_many("TC", 3)
    join(platform, tc)
    for sim in tc[:2]:
        platform.change_sim(sim["iccid"], block="f")
    policy = deploy.resource("GroupPolicy", "meters")
    assert policy.check(policy_inputs(blocked=False, limit={"type": "month1", "value_mb": 77})).failures == []
    note = next(line for line in stderr_of(deploy.host, "held by the platform").splitlines() if "held by" in line)
    assert all(s["iccid"] in note for s in tc[:2]) and tc[2]["iccid"] not in note
    assert "financial" in note and "paying the bill" in note
    outs = policy.create(policy_inputs(blocked=False, limit={"type": "month1", "value_mb": 77}))
    assert sorted(outs["held"]) == sorted(s["iccid"] for s in tc[:2])
    assert all(platform.sim(s["iccid"])["limit"]["value"] == 77 for s in tc)  # the held ones' other settings too
    assert [platform.sim(s["iccid"])["block"] for s in tc] == ["f", "f", "n"]


def test_an_api_restricted_for_non_payment_gives_one_clear_error_without_retries(deploy, platform, receiver):
    url, _ = receiver
    sim = platform.pick("TC")
    notify(platform, url, type="unpaid_bill_6")
    platform.clear_requests()
    with pytest.raises(ProviderError) as caught:
        deploy.resource("SimConfig", "pump").check(sim_config(sim["iccid"], name="x"))
    message = caught.value.message
    # An expected error reaches the engine as its one-line message, not as a traceback.
    assert message.startswith(f"SIM {sim['iccid']}: sim/list: HTTP 402, code 402: API access is restricted: bill NC-")
    assert "Traceback" not in str(caught.value)
    assert message.endswith("pay the unpaid bill (the web UI lists it under bills); "
                            "once NovaConnect has the payment, run the command again")
    assert "change that value" not in message and "token" not in message
    assert platform.count("sim/list") == 1  # refused once, not retried
