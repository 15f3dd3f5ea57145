"""Queued SIM methods: synchronous checks, asynchronous effects in order (API.md decisions 2, 8)."""
from __future__ import annotations

import pytest

QUEUE_METHODS = ["sim/block", "sim/unblock", "sim/reconnect", "sim/disconnect", "sim/ping", "sim/sms",
                 "sim/limit", "sim/tariff", "sim/repackage", "sim/group"]
PARAMS = {
    "sim/sms": {"params": {"text": "hello"}},
    "sim/limit": {"params": {"value": 100, "type": "month1"}},
    "sim/tariff": {"params": {"value": 20480, "auto_package": True}},
    "sim/group": {"group": [201]},
}
PROFILE_OF = {"sim/sms": "TD", "sim/tariff": "TD", "sim/repackage": "TD", "sim/limit": "TC"}


def _free_sim(api, profile=None):
    return api.sim_where(lambda s: s["block"] == "n" and profile in (None, s["profile"]))


def _status(api, queue_id, sim_id):
    applied = next(a for a in api.state()["applied"] if a["queue_id"] == queue_id)
    return next(i["queue_status"] for i in applied["items"] if i["id"] == sim_id)


@pytest.mark.parametrize("method", QUEUE_METHODS)
def test_queue_methods_answer_a_string_queue_id_at_once(slow_api, method):
    sim = _free_sim(slow_api, PROFILE_OF.get(method))
    payload = slow_api.ok(method, {"items": [sim["id"]], **PARAMS.get(method, {})})
    queue_id = payload["result"]["item"]["queue_id"]
    assert isinstance(queue_id, str) and queue_id
    assert [t["queue_id"] for t in slow_api.state()["queue"]] == [queue_id]


def test_queue_change_is_invisible_until_the_task_runs(slow_api):
    sim = _free_sim(slow_api)
    slow_api.ok("sim/block", {"items": [sim["id"]]})
    assert slow_api.ok("sim/list", {"size": 50})["items"][sim["id"] - 1001]["block"] == "n"
    assert slow_api.drain() == 1
    assert slow_api.ok("sim/list", {"size": 50})["items"][sim["id"] - 1001]["block"] == "u"


def test_queue_task_takes_effect_by_itself_after_the_queue_delay(api):
    sim = _free_sim(api)
    api.ok("sim/block", {"items": [sim["id"]]})
    api.wait_for(lambda: api.sim(sim["id"])["block"] == "u")
    assert api.state()["queue"] == []


def test_tasks_for_one_sim_apply_in_the_order_they_were_queued(slow_api):
    sim = _free_sim(slow_api)
    for method in ("sim/block", "sim/unblock", "sim/block", "sim/unblock", "sim/block"):
        slow_api.ok(method, {"items": [sim["id"]]})
    assert slow_api.drain() == 5
    assert slow_api.sim(sim["id"])["block"] == "u"
    assert [a["method"] for a in slow_api.state()["applied"]] == [
        "sim/block", "sim/unblock", "sim/block", "sim/unblock", "sim/block"]


def test_tasks_for_one_sim_keep_their_order_when_the_worker_runs_them(api):
    sim = _free_sim(api)
    for method in ("sim/block", "sim/unblock", "sim/block", "sim/unblock"):
        api.ok(method, {"items": [sim["id"]]})
    api.wait_for(lambda: not api.state()["queue"])
    assert api.sim(sim["id"])["block"] == "n"


def test_drain_answers_how_many_tasks_ran(slow_api):
    sims = [s for s in slow_api.sims() if s["block"] == "n"][:3]
    for sim in sims:
        slow_api.ok("sim/block", {"items": [sim["id"]]})
    assert slow_api.drain() == 3 and slow_api.drain() == 0


def test_block_sets_the_user_block_on_an_unblocked_sim(slow_api):
    sim = _free_sim(slow_api)
    queue_id = slow_api.ok("sim/block", {"items": [sim["id"]]})["result"]["item"]["queue_id"]
    slow_api.drain()
    assert slow_api.sim(sim["id"])["block"] == "u" and _status(slow_api, queue_id, sim["id"]) == "done"


def test_block_of_a_user_blocked_sim_is_done_without_change(slow_api):
    sim = slow_api.sim_where(lambda s: s["block"] == "u")
    queue_id = slow_api.ok("sim/block", {"items": [sim["id"]]})["result"]["item"]["queue_id"]
    slow_api.drain()
    assert slow_api.sim(sim["id"])["block"] == "u" and _status(slow_api, queue_id, sim["id"]) == "done"


@pytest.mark.parametrize("block", ["m", "p", "f", "g"])
def test_block_of_a_platform_blocked_sim_fails_and_keeps_its_block(slow_api, block):
    sim = slow_api.sim_where(lambda s: s["block"] == block)
    queue_id = slow_api.ok("sim/block", {"items": [sim["id"]]})["result"]["item"]["queue_id"]
    slow_api.drain()
    assert slow_api.sim(sim["id"])["block"] == block and _status(slow_api, queue_id, sim["id"]) == "error"


def test_unblock_clears_the_user_block(slow_api):
    sim = slow_api.sim_where(lambda s: s["block"] == "u")
    slow_api.ok("sim/unblock", {"items": [sim["id"]]})
    slow_api.drain()
    assert slow_api.sim(sim["id"])["block"] == "n"


@pytest.mark.parametrize("block", ["m", "p", "f", "g"])
def test_unblock_cannot_clear_a_platform_block(slow_api, block):
    sim = slow_api.sim_where(lambda s: s["block"] == block)
    queue_id = slow_api.ok("sim/unblock", {"items": [sim["id"]]})["result"]["item"]["queue_id"]
    slow_api.drain()
    assert slow_api.sim(sim["id"])["block"] == block and _status(slow_api, queue_id, sim["id"]) == "error"


def test_one_task_can_succeed_for_some_sims_and_fail_for_others(slow_api):
    free, msu = _free_sim(slow_api), slow_api.sim_where(lambda s: s["block"] == "m")
    queue_id = slow_api.ok("sim/unblock", {"items": [free["id"], msu["id"]]})["result"]["item"]["queue_id"]
    slow_api.drain()
    assert _status(slow_api, queue_id, free["id"]) == "done" and _status(slow_api, queue_id, msu["id"]) == "error"


def test_repackage_clears_the_package_block(slow_api):
    sim = slow_api.sim_where(lambda s: s["block"] == "p")
    slow_api.ok("sim/repackage", {"items": [sim["id"]]})
    slow_api.drain()
    assert slow_api.sim(sim["id"])["block"] == "n"


def test_reconnect_is_recorded_as_disconnect(slow_api):
    sim = _free_sim(slow_api)
    slow_api.ok("sim/reconnect", {"items": [sim["id"]]})
    assert slow_api.state()["queue"][0]["method"] == "sim/disconnect"
    slow_api.drain()
    assert slow_api.state()["applied"][0]["method"] == "sim/disconnect"
    assert slow_api.requests("sim/reconnect")[0]["http_status"] == 200


@pytest.mark.parametrize("method", ["sim/disconnect", "sim/ping", "sim/sms"])
def test_actions_without_state_leave_the_sim_unchanged(slow_api, method):
    sim = _free_sim(slow_api, "TD")
    slow_api.ok(method, {"items": [sim["id"]], **PARAMS.get(method, {})})
    slow_api.drain()
    assert slow_api.sim(sim["id"]) == sim


def test_unknown_sim_ids_are_404_naming_them(slow_api):
    message = slow_api.error("sim/block", {"items": [1001, 999998, 999999]}, status=404, lang="en")
    assert "999998" in message and "999999" in message and "1001" not in message
    assert slow_api.state()["queue"] == []


@pytest.mark.parametrize("body,field", [
    ({}, "items"), ({"items": []}, "items"), ({"items": "1001"}, "items"), ({"items": ["1001"]}, "items[0]"),
    ({"items": [True]}, "items[0]"),
])
def test_items_must_be_a_non_empty_array_of_sim_ids(slow_api, body, field):
    assert slow_api.error("sim/block", body, status=422, lang="en").startswith(f"{field}:")


@pytest.mark.parametrize("method", sorted(PROFILE_OF))
def test_profile_only_methods_reject_the_other_profile_naming_the_sims(slow_api, method):
    wrong = "TC" if PROFILE_OF[method] == "TD" else "TD"
    good, bad = _free_sim(slow_api, PROFILE_OF[method]), _free_sim(slow_api, wrong)
    message = slow_api.error(method, {"items": [good["id"], bad["id"]], **PARAMS.get(method, {})},
                             status=422, lang="en")
    assert str(bad["id"]) in message and bad["iccid"] in message and good["iccid"] not in message
    assert slow_api.state()["queue"] == []  # the whole request is refused


def test_ping_on_a_tc_sim_is_queued_since_the_vendor_only_warns_it_may_not_work(slow_api):
    sim = _free_sim(slow_api, "TC")
    payload = slow_api.ok("sim/ping", {"items": [sim["id"]]})
    assert [t["queue_id"] for t in slow_api.state()["queue"]] == [payload["result"]["item"]["queue_id"]]


def test_callback_url_must_be_a_url_string(slow_api):
    sim = _free_sim(slow_api)
    assert slow_api.error("sim/block", {"items": [sim["id"]], "callbackUrl": 20}, status=422).startswith(
        "callbackUrl")
    slow_api.error("sim/block", {"items": [sim["id"]], "callbackUrl": "not a url"}, status=422)
