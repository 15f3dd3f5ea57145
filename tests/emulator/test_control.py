"""The `/_emulator` control surface and the Python handle (reset, backend seeding)."""
from __future__ import annotations

import time

import pytest
from pulumi_novaconnect.testing import USER_TOKEN

STATE_KEYS = {"sims", "groups", "users", "company", "queue", "requests", "webhooks"}


def test_state_lists_every_part_of_the_platform(api):
    state = api.state()
    assert STATE_KEYS <= set(state)
    assert state["sims"] == api.ok("sim/list", {"size": 1000})["items"]  # exactly as sim/list renders
    assert all(set(g) == {"id", "name", "added"} for g in state["groups"])
    assert all(set(u) == {"id", "first_name", "last_name", "phone", "email", "active", "role"}
               for u in state["users"])
    assert state["company"]["id"] == api.ok("company/get")["result"]["item"]["id"]


def test_state_lists_pending_tasks_with_their_due_time(slow_api):
    slow_api.ok("sim/sms", {"items": [slow_api.sim_where(lambda s: s["profile"] == "TD")["id"]],
                            "params": {"text": "hi"}})
    [task] = slow_api.state()["queue"]
    assert {"queue_id", "method", "sim_ids", "params", "due"} <= set(task)
    assert task["method"] == "sim/sms" and task["params"] == {"text": "hi"} and task["due"] > time.time()


def test_the_request_log_records_method_status_code_role_and_body(api):
    api.ok("sim/list", {"size": 3})
    api.error("sim/block", {"items": [1001]}, token=USER_TOKEN, status=403)
    api.error("sim/list", token="nope", status=401)
    log = api.requests()
    assert [(r["method"], r["http_status"], r["code"], r["role"]) for r in log] == [
        ("sim/list", 200, 200, "admin"), ("sim/block", 403, 403, "user"), ("sim/list", 401, 401, None)]
    assert log[0]["body"] == {"size": 3} and [r["seq"] for r in log] == [1, 2, 3]
    assert api.state()["requests"] == log


def test_the_request_log_can_be_cleared(api):
    api.ok("sim/list")
    assert api.http.delete(f"{api.control}/requests").status_code == 200
    assert api.requests() == []


def test_reset_restores_the_seeded_fleet_and_clears_everything(slow_api):
    before = slow_api.state()
    slow_api.ok("sim/edit", {"id": 1001, "name": "changed"})
    slow_api.ok("sim/block", {"items": [1002]})
    slow_api.fault("sim/list", status=500)
    response = slow_api.http.post(f"{slow_api.control}/reset")
    assert response.status_code == 200
    after = slow_api.state()
    assert after["sims"] == before["sims"] and after["queue"] == [] and after["requests"] == []
    slow_api.ok("sim/list")  # the fault went too


def test_reset_takes_a_fleet_size_and_a_seed(api):
    assert api.http.post(f"{api.control}/reset", json={"sims": 7, "seed": 3}).json()["sims"] == 7
    seven = api.sims()
    assert len(seven) == 7
    api.http.post(f"{api.control}/reset", json={"sims": 7, "seed": 3})
    assert api.sims() == seven
    api.http.post(f"{api.control}/reset", json={"sims": 7, "seed": 4})
    assert [s["iccid"] for s in api.sims()] != [s["iccid"] for s in seven]


def test_python_reset_without_arguments_goes_back_to_the_constructor_values(api, emulator):
    emulator.reset(sims=5)
    assert len(api.sims()) == 5
    emulator.reset()
    assert len(api.sims()) == 50


def test_a_sim_can_be_changed_out_of_band(api):
    sim = api.sim_where(lambda s: s["profile"] == "TD" and s["block"] == "n")
    changed = api.change_sim(sim["iccid"], name="drifted", block="g", comment="operator block", balance=3.5,
                            groups=["Meters", "Brand new"], limit={"used": 12.5},
                            tariff={"change_lock": 1893456000})
    assert changed == api.sim(sim["id"])
    assert (changed["name"], changed["block"], changed["comment"]) == ("drifted", "g", "operator block")
    assert [g["name"] for g in changed["groups"]] == ["Meters", "Brand new"]
    assert changed["limit"] == {**sim["limit"], "used": 12.5}
    assert changed["tariff"] == {**sim["tariff"], "change_lock": 1893456000}
    assert changed["balance"] == 0  # TD SIMs always render balance 0
    assert "Brand new" in {g["name"] for g in api.state()["groups"]}


def test_a_sim_profile_can_be_changed_out_of_band(api):
    sim = api.sim_where(lambda s: s["profile"] == "TD")
    assert api.change_sim(sim["iccid"], profile="TC", balance=4.0)["balance"] == 4.0


def test_changing_an_unknown_iccid_is_404(api):
    response = api.http.post(f"{api.control}/sims/0000", json={"name": "x"})
    assert response.status_code == 404 and "0000" in response.json()["message"]


@pytest.mark.parametrize("changes", [{"block": "x"}, {"profile": "TX"}, {"limit": "off"},
                                     {"tariff": {"nope": 1}}, {"groups": "Meters"}])
def test_out_of_band_changes_are_checked(api, changes):
    response = api.http.post(f"{api.control}/sims/{api.sims()[0]['iccid']}", json=changes)
    assert response.status_code == 422


def test_a_sim_can_be_created_through_the_control_surface(api):
    response = api.http.post(f"{api.control}/sims", json={"iccid": "8997000000000000001", "profile": "TD",
                                                          "name": "new", "groups": ["Pumps"]})
    assert response.status_code == 201
    sim = response.json()
    assert sim in api.ok("sim/list", {"size": 100})["items"]
    assert (sim["iccid"], sim["profile"], sim["name"]) == ("8997000000000000001", "TD", "new")
    assert sim["limit"]["type"] in ("p_lim", "p_unlim") and [g["name"] for g in sim["groups"]] == ["Pumps"]


def test_creating_a_sim_with_a_taken_iccid_is_refused(api):
    response = api.http.post(f"{api.control}/sims", json={"iccid": api.sims()[0]["iccid"]})
    assert response.status_code == 422


def test_the_backend_seeds_sims_groups_and_users_programmatically(api, emulator):
    group = emulator.backend.add_group("Solar")
    sim = emulator.backend.add_sim(iccid="89970000000000000028", profile="TC", name=None, block="u",
                                   groups=["Solar"], limit={"type": "month1", "value": 64})
    user = emulator.backend.add_user(first_name="Test", email="t@example.kz", role="user", token="extra-token")
    rendered = api.sim(sim.id)
    assert (rendered["iccid"], rendered["block"], rendered["limit"]["value"]) == ("89970000000000000028", "u", 64)
    assert rendered["groups"] == [{"id": group.id, "name": "Solar"}]
    assert api.ok("user/get", token="extra-token")["result"]["item"]["id"] == user.id


def test_drain_applies_pending_tasks_now(slow_api):
    slow_api.ok("sim/block", {"items": [slow_api.sim_where(lambda s: s["block"] == "n")["id"]]})
    response = slow_api.http.post(f"{slow_api.control}/queue/drain")
    assert response.json() == {"applied": 1} and slow_api.state()["queue"] == []


def test_the_clock_can_be_moved(api):
    now = api.http.get(f"{api.control}/clock").json()["now"]
    moved = api.http.post(f"{api.control}/clock", json={"advance": 86400}).json()["now"]
    assert moved - now >= 86400
    sim = api.sim_where(lambda s: s["profile"] == "TD" and s["block"] == "n")
    api.change_sim(sim["iccid"], tariff={"change_lock": now + 3600})
    api.ok("sim/tariff", {"items": [sim["id"]], "params": {"value": 15360, "auto_package": True}})


def test_control_surface_rejects_a_body_that_is_not_an_object(api):
    assert api.http.post(f"{api.control}/reset", data="[1]").status_code == 400
