"""sim/sms, sim/limit, sim/tariff, sim/edit and sim/group: their parameters and effects."""
from __future__ import annotations

import time

import pytest


def _sim(api, profile, block="n"):
    return api.sim_where(lambda s: s["profile"] == profile and s["block"] == block)


# -- sim/sms --------------------------------------------------------------------------------

def test_sms_text_longer_than_70_chars_is_rejected(slow_api):
    sim = _sim(slow_api, "TD")
    message = slow_api.error("sim/sms", {"items": [sim["id"]], "params": {"text": "x" * 71}},
                             status=422, lang="en")
    assert message == "params.text: at most 70 characters"


def test_sms_text_of_exactly_70_chars_is_accepted(slow_api):
    sim = _sim(slow_api, "TD")
    slow_api.ok("sim/sms", {"items": [sim["id"]], "params": {"text": "я" * 70}})
    assert slow_api.state()["queue"][0]["params"] == {"text": "я" * 70}


@pytest.mark.parametrize("body", [{}, {"params": {}}, {"params": {"text": ""}}, {"params": {"text": 5}}])
def test_sms_text_is_required(slow_api, body):
    sim = _sim(slow_api, "TD")
    assert slow_api.error("sim/sms", {"items": [sim["id"]], **body}, status=422).startswith("params.text")


def test_sms_params_must_be_an_object(slow_api):
    sim = _sim(slow_api, "TD")
    assert slow_api.error("sim/sms", {"items": [sim["id"]], "params": "hi"}, status=422).startswith("params")


# -- sim/limit (TC) -------------------------------------------------------------------------

@pytest.mark.parametrize("params,field", [
    ({"type": "month1"}, "params.value"), ({"value": 10}, "params.type"),
    ({"value": "10", "type": "month1"}, "params.value"), ({"value": -1, "type": "month1"}, "params.value"),
    ({"value": 1.5, "type": "month1"}, "params.value"), ({"value": 10, "type": "p_lim"}, "params.type"),
    ({"value": 10, "type": "week"}, "params.type"),
])
def test_limit_needs_a_non_negative_mb_value_and_an_off_or_month1_type(slow_api, params, field):
    sim = _sim(slow_api, "TC")
    assert slow_api.error("sim/limit", {"items": [sim["id"]], "params": params}, status=422).startswith(field)


def test_limit_sets_type_value_and_created_and_keeps_used(slow_api):
    sim = _sim(slow_api, "TC")
    before = int(time.time())
    slow_api.ok("sim/limit", {"items": [sim["id"]], "params": {"value": 250, "type": "month1"}})
    assert slow_api.sim(sim["id"])["limit"] == sim["limit"]
    slow_api.drain()
    limit = slow_api.sim(sim["id"])["limit"]
    assert (limit["type"], limit["value"], limit["used"]) == ("month1", 250, sim["limit"]["used"])
    assert limit["created"] >= before


def test_limit_can_be_switched_off(slow_api):
    sim = slow_api.sim_where(lambda s: s["profile"] == "TC" and s["limit"]["type"] == "month1")
    slow_api.ok("sim/limit", {"items": [sim["id"]], "params": {"value": 0, "type": "off"}})
    slow_api.drain()
    assert slow_api.sim(sim["id"])["limit"]["type"] == "off"


# -- sim/tariff (TD) ------------------------------------------------------------------------

@pytest.mark.parametrize("value", [0, 10240, 15359, 15361, 20000, 107520, 204800])
def test_tariff_package_must_be_a_5120_kb_step(slow_api, value):
    sim = _sim(slow_api, "TD")
    message = slow_api.error("sim/tariff", {"items": [sim["id"]], "params": {"value": value, "auto_package": True}},
                             status=422, lang="en")
    assert message.startswith("params.value") and "5120" in message


@pytest.mark.parametrize("value", [15360, 20480, 51200, 102400])
def test_tariff_package_from_15_to_100_mb_is_accepted(slow_api, value):
    sim = _sim(slow_api, "TD")
    slow_api.ok("sim/tariff", {"items": [sim["id"]], "params": {"value": value, "auto_package": False}})
    assert slow_api.drain() == 1
    assert slow_api.sim(sim["id"])["limit"]["value"] == value // 1024


@pytest.mark.parametrize("params,field", [
    ({"value": 20480}, "params.auto_package"), ({"auto_package": True}, "params.value"),
    ({"value": 20480, "auto_package": "yes"}, "params.auto_package"),
    ({"value": 20480, "auto_package": 1}, "params.auto_package"),
    ({"value": 20480, "auto_package": True, "all_world": "no"}, "params.all_world"),
])
def test_tariff_needs_value_and_a_boolean_auto_package(slow_api, params, field):
    sim = _sim(slow_api, "TD")
    assert slow_api.error("sim/tariff", {"items": [sim["id"]], "params": params}, status=422).startswith(field)


@pytest.mark.parametrize("auto,limit_type", [(True, "p_unlim"), (False, "p_lim")])
def test_tariff_shows_the_package_in_mb_in_the_limit(slow_api, auto, limit_type):
    sim = _sim(slow_api, "TD")
    slow_api.ok("sim/tariff", {"items": [sim["id"]], "params": {"value": 30720, "auto_package": auto}})
    slow_api.drain()
    after = slow_api.sim(sim["id"])
    assert (after["limit"]["type"], after["limit"]["value"]) == (limit_type, 30)
    assert after["tariff"]["package_auto"] is auto


def test_tariff_all_world_switches_to_td_mega_and_back(slow_api):
    sim = slow_api.sim_where(lambda s: s["profile"] == "TD" and s["block"] == "n"
                             and s["tariff"]["name"] != "TD_Mega")
    slow_api.ok("sim/tariff", {"items": [sim["id"]], "params": {"value": 15360, "auto_package": True,
                                                                "all_world": True}})
    slow_api.drain()
    assert slow_api.sim(sim["id"])["tariff"]["name"] == "TD_Mega"
    slow_api.ok("sim/tariff", {"items": [sim["id"]], "params": {"value": 15360, "auto_package": True,
                                                                "all_world": False}})
    slow_api.drain()
    assert slow_api.sim(sim["id"])["tariff"]["name"] != "TD_Mega"


def test_tariff_change_lock_in_the_future_rejects_the_request_naming_sim_and_date(slow_api):
    sim = _sim(slow_api, "TD")
    lock = 1893456000  # 2030-01-01
    slow_api.change_sim(sim["iccid"], tariff={"change_lock": lock})
    message = slow_api.error("sim/tariff", {"items": [sim["id"]], "params": {"value": 15360, "auto_package": True}},
                             status=422, lang="en")
    assert sim["iccid"] in message and "2030-01-01" in message
    assert slow_api.state()["queue"] == []


def test_tariff_change_lock_in_the_past_does_not_block(slow_api):
    sim = _sim(slow_api, "TD")
    slow_api.change_sim(sim["iccid"], tariff={"change_lock": 1000})
    slow_api.ok("sim/tariff", {"items": [sim["id"]], "params": {"value": 20480, "auto_package": True}})
    assert slow_api.drain() == 1
    after = slow_api.sim(sim["id"])
    assert (after["limit"]["type"], after["limit"]["value"]) == ("p_unlim", 20)


def test_the_emulator_never_sets_change_lock_by_itself(slow_api):
    sim = _sim(slow_api, "TD")
    slow_api.ok("sim/tariff", {"items": [sim["id"]], "params": {"value": 15360, "auto_package": True}})
    slow_api.drain()
    assert slow_api.sim(sim["id"])["tariff"]["change_lock"] is None


# -- sim/edit -------------------------------------------------------------------------------

def test_sim_edit_renames_at_once_and_answers_id_and_name(slow_api):
    payload = slow_api.ok("sim/edit", {"id": 1003, "name": "Pump station 7"})
    assert payload["result"]["item"] == {"id": 1003, "name": "Pump station 7"}
    assert slow_api.sim(1003)["name"] == "Pump station 7" and slow_api.state()["queue"] == []


@pytest.mark.parametrize("body,field", [({"name": "x"}, "id"), ({"id": 1003}, "name"),
                                        ({"id": "1003", "name": "x"}, "id"), ({"id": 1003, "name": 7}, "name")])
def test_sim_edit_needs_an_integer_id_and_a_string_name(slow_api, body, field):
    assert slow_api.error("sim/edit", body, status=422).startswith(field)


def test_sim_edit_of_an_unknown_sim_is_404(slow_api):
    assert "424242" in slow_api.error("sim/edit", {"id": 424242, "name": "x"}, status=404)


# -- sim/group (API.md decision 4) ----------------------------------------------------------

def test_sim_group_replaces_the_sims_groups_with_exactly_the_given_ones(slow_api):
    sim = slow_api.sim_where(lambda s: s["groups"])
    others = [g["id"] for g in slow_api.state()["groups"] if g["id"] not in {x["id"] for x in sim["groups"]}]
    slow_api.ok("sim/group", {"items": [sim["id"]], "group": others[:1]})
    assert slow_api.sim(sim["id"])["groups"] == sim["groups"]
    slow_api.drain()
    assert [g["id"] for g in slow_api.sim(sim["id"])["groups"]] == others[:1]


def test_sim_group_with_no_groups_takes_the_sim_out_of_all(slow_api):
    sim = slow_api.sim_where(lambda s: s["groups"])
    slow_api.ok("sim/group", {"items": [sim["id"]]})
    slow_api.drain()
    assert slow_api.sim(sim["id"])["groups"] == []


def test_sim_group_new_group_creates_groups_and_reuses_existing_names(slow_api):
    sim = slow_api.sims()[0]
    groups_before = slow_api.state()["groups"]
    existing = groups_before[0]
    slow_api.ok("sim/group", {"items": [sim["id"]], "group": [existing["id"]],
                              "new_group": ["Pumps", existing["name"]]})
    slow_api.drain()
    groups_after = slow_api.state()["groups"]
    assert len(groups_after) == len(groups_before) + 1
    pumps = next(g for g in groups_after if g["name"] == "Pumps")
    assert slow_api.sim(sim["id"])["groups"] == [{"id": existing["id"], "name": existing["name"]},
                                                 {"id": pumps["id"], "name": "Pumps"}]


def test_sim_group_with_an_unknown_group_id_is_404(slow_api):
    message = slow_api.error("sim/group", {"items": [1001], "group": [201, 999]}, status=404, lang="en")
    assert message.startswith("group") and "999" in message


@pytest.mark.parametrize("body,field", [({"group": ["Meters"]}, "group[0]"), ({"new_group": [5]}, "new_group[0]"),
                                        ({"new_group": "Pumps"}, "new_group"), ({"new_group": [""]}, "new_group[0]")])
def test_sim_group_checks_the_types_of_group_and_new_group(slow_api, body, field):
    assert slow_api.error("sim/group", {"items": [1001], **body}, status=422).startswith(field)
