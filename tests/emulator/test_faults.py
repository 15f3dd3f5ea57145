"""Scripted failures: HTTP faults (status, decision 1's errors-with-200, Retry-After, delay,
drop) and queue faults (fail, never)."""
from __future__ import annotations

import time

import pytest
import requests
from pulumi_novaconnect.testing import ADMIN_TOKEN


def test_a_status_fault_answers_the_next_calls_then_lets_them_through(api):
    api.fault("sim/list", times=2, status=503)
    assert api.error("sim/list", status=503)
    assert api.error("sim/list", status=503)
    api.ok("sim/list")
    assert [r["http_status"] for r in api.requests("sim/list")] == [503, 503, 200]


def test_a_fault_only_hits_its_own_method(api):
    api.fault("company/get", status=500)
    api.ok("sim/list")
    api.error("company/get", status=500)


def test_a_wildcard_fault_hits_any_method(api):
    api.fault("*", status=502)
    api.error("group/list", {"page": 0, "size": 1}, status=502)
    api.ok("group/list", {"page": 0, "size": 1})


def test_a_fault_can_answer_an_error_with_http_200(api):
    api.fault("sim/list", status=500, http_status=200, message="Internal error")
    response = api.call("sim/list")
    assert response.status_code == 200 and response.json() == {"code": 500, "message": "Internal error"}


def test_a_rate_limit_fault_carries_retry_after(api):
    api.fault("sim/list", status=429, retry_after=2)
    response = api.call("sim/list")
    assert response.status_code == 429 and response.headers["Retry-After"] == "2"


def test_a_fault_message_defaults_to_a_text_in_the_callers_language(api):
    api.fault("sim/list", status=503, times=2)
    assert "503" in api.error("sim/list", status=503, lang="en")
    assert "ошибка" in api.error("sim/list", status=503)


def test_times_null_keeps_a_fault_armed_until_cleared(api):
    api.fault("sim/list", status=500, times=None)
    for _ in range(3):
        api.error("sim/list", status=500)
    assert api.http.delete(f"{api.control}/faults").status_code == 200
    api.ok("sim/list")


def test_a_delay_fault_slows_the_answer_then_answers_normally(api):
    api.fault("company/get", delay=0.3)
    started = time.monotonic()
    api.ok("company/get")
    assert time.monotonic() - started >= 0.3


def test_a_delay_makes_a_client_timeout(api):
    api.fault("company/get", delay=0.5)
    with pytest.raises(requests.exceptions.Timeout):
        api.http.post(f"{api.url}/company/get", json={}, headers={"Authorization": "Bearer admin-token"},
                      timeout=0.1)


def test_a_drop_fault_closes_the_connection_without_an_answer(api):
    api.fault("sim/list", drop=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post(f"{api.url}/sim/list", json={}, headers={"Authorization": "Bearer admin-token"}, timeout=5)
    api.ok("sim/list")
    assert [r["http_status"] for r in api.requests("sim/list")] == [None, 200]


def test_a_drop_fault_works_for_bill_downloads(api):
    api.fault("bill/download", drop=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{api.url}/bill/download/5001", params={"token": ADMIN_TOKEN}, timeout=5)


def test_a_status_fault_works_for_bill_downloads(api):
    api.fault("bill/download", status=503)
    response = requests.get(f"{api.url}/bill/download/5001", params={"token": ADMIN_TOKEN}, timeout=5)
    assert response.status_code == 503 and response.json()["code"] == 503


@pytest.mark.parametrize("body", [{}, {"method": "sim/list"}, {"method": "sim/list", "status": 500, "times": 0},
                                  {"method": "sim/block", "queue": "sometimes"}])
def test_a_fault_needs_a_method_and_something_to_do(api, body):
    assert api.http.post(f"{api.control}/faults", json=body).status_code == 422


def test_armed_faults_are_listed_and_cleared(api):
    api.fault("sim/list", status=500)
    assert [f["method"] for f in api.http.get(f"{api.control}/faults").json()] == ["sim/list"]
    api.http.delete(f"{api.control}/faults")
    assert api.http.get(f"{api.control}/faults").json() == []


def test_a_queue_fail_fault_makes_the_task_fail_without_effect(slow_api):
    sim = slow_api.sim_where(lambda s: s["block"] == "n")
    slow_api.fault("sim/block", queue="fail")
    slow_api.ok("sim/block", {"items": [sim["id"]]})
    slow_api.drain()
    assert slow_api.sim(sim["id"])["block"] == "n"
    assert slow_api.state()["applied"][0]["items"][0]["queue_status"] == "error"
    slow_api.ok("sim/block", {"items": [sim["id"]]})  # only the next task was hit
    slow_api.drain()
    assert slow_api.sim(sim["id"])["block"] == "u"


def test_a_queue_fail_fault_with_an_iccid_fails_only_that_sim(slow_api):
    first, second = [s for s in slow_api.sims() if s["block"] == "n"][:2]
    slow_api.fault("sim/block", queue="fail", iccid=second["iccid"])
    slow_api.ok("sim/block", {"items": [first["id"], second["id"]]})
    slow_api.drain()
    assert (slow_api.sim(first["id"])["block"], slow_api.sim(second["id"])["block"]) == ("u", "n")


def test_a_queue_fault_for_disconnect_also_hits_reconnect(slow_api):
    slow_api.fault("sim/disconnect", queue="fail")
    slow_api.ok("sim/reconnect", {"items": [1001]})
    slow_api.drain()
    assert slow_api.state()["applied"][0]["items"][0]["queue_status"] == "error"


def test_a_queue_never_fault_keeps_the_task_pending_for_good(api):
    sim = api.sim_where(lambda s: s["block"] == "n")
    api.fault("sim/block", queue="never")
    queue_id = api.ok("sim/block", {"items": [sim["id"]]})["result"]["item"]["queue_id"]
    time.sleep(0.2)  # several queue delays
    assert api.drain() == 0
    assert api.sim(sim["id"])["block"] == "n"
    assert [t["queue_id"] for t in api.state()["queue"]] == [queue_id]


def test_a_queue_fault_does_not_touch_the_http_answer(slow_api):
    slow_api.fault("sim/block", queue="fail")
    slow_api.ok("sim/block", {"items": [1001]})


def test_reset_clears_armed_faults(api, emulator):
    api.fault("sim/list", status=500, times=None)
    emulator.reset()
    api.ok("sim/list")


# -- body faults: the call does its work, the answer arrives garbled ---------------------------


def test_a_not_json_body_fault_answers_html_with_200_after_doing_the_work(api):
    api.fault("group/create", body="not_json")
    response = api.call("group/create", {"name": "Garbled"})
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    assert response.text.startswith("<html>")
    assert any(g["name"] == "Garbled" for g in api.ok("group/list", {"page": 0, "size": 100})["items"])
    assert api.requests("group/create")[-1]["fault"] == "body"


def test_an_empty_body_fault_answers_nothing_with_200(api):
    api.fault("sim/list", body="empty")
    response = api.call("sim/list")
    assert response.status_code == 200 and response.content == b""
    api.ok("sim/list")


def test_a_missing_fields_body_fault_keeps_only_code_and_message(api):
    api.fault("sim/list", body="missing_fields")
    response = api.call("sim/list")
    assert response.status_code == 200 and set(response.json()) == {"code", "message"}


def test_a_wrong_types_body_fault_turns_numbers_to_strings_and_strings_to_lists(api):
    api.fault("sim/list", body="wrong_types")
    payload = api.call("sim/list", {"size": 1}).json()
    assert payload["code"] == 200
    item = payload["items"][0]
    assert isinstance(payload["all_count"], str) and isinstance(item["id"], str)
    assert isinstance(item["iccid"], list) and item["iccid"][0].startswith("8997")


def test_an_unknown_body_fault_mode_is_refused(api):
    response = api.http.post(f"{api.control}/faults", json={"method": "sim/list", "body": "zip"}, timeout=5)
    assert response.status_code == 422


# -- token faults: revoked mid-run, then a new token issued -----------------------------------


def test_a_revoke_token_fault_makes_that_call_and_later_ones_401_until_a_new_token(api):
    api.fault("group/list", revoke_token=True)
    api.ok("company/get")
    api.error("group/list", {"page": 0, "size": 1}, status=401)
    api.error("company/get", status=401)
    response = api.http.post(f"{api.control}/tokens", json={"user_id": 11, "token": "rotated-token"}, timeout=5)
    assert response.json() == {"user_id": 11, "token": "rotated-token"}
    api.ok("company/get", token="rotated-token")
    api.error("company/get", status=401)


def test_issuing_a_token_for_an_unknown_user_is_a_404(api):
    response = api.http.post(f"{api.control}/tokens", json={"user_id": 999, "token": "x"}, timeout=5)
    assert response.status_code == 404
