"""EmulatorControl against a live emulator: in-process and as a command-line process."""
from __future__ import annotations

import signal
import subprocess
import sys

import pytest
import requests

from pulumi_novaconnect.testing import ADMIN_TOKEN, USER_TOKEN, EmulatorControl
from pulumi_novaconnect.testing.control import control_url_of


def api(control: EmulatorControl, method: str, body: dict, token: str = ADMIN_TOKEN) -> dict:
    return requests.post(f"{control.api_url}/{method}", json=body, timeout=10,
                         headers={"Authorization": f"Bearer {token}"}).json()


@pytest.mark.parametrize("suffix", ["", "/", "/api", "/api/", "/_emulator", "/_emulator/"])
def test_any_url_of_the_emulator_leads_to_its_control_surface(suffix):
    assert control_url_of(f"http://127.0.0.1:8765{suffix}") == "http://127.0.0.1:8765/_emulator"


def test_something_that_is_not_an_emulator_url_is_refused():
    with pytest.raises(TypeError, match="expected an Emulator"):
        control_url_of("127.0.0.1:8765")


def test_the_tokens_are_the_emulators_administrator_and_read_only_user(control):
    assert api(control, "user/get", {}, ADMIN_TOKEN)["result"]["item"]["role"] == "admin"
    assert api(control, "user/get", {}, USER_TOKEN)["result"]["item"]["role"] == "user"


def test_a_sim_is_found_by_iccid_or_by_platform_id_and_an_unknown_one_is_a_lookup_error(control):
    first = control.sims()[0]
    assert control.sim(first["iccid"]) == first == control.sim(first["id"])
    with pytest.raises(LookupError, match="iccid '0000'"):
        control.sim("0000")


def test_pick_many_says_how_many_it_found_when_the_fleet_is_too_small(control):
    assert len(control.pick_many("TD", 3)) == 3
    with pytest.raises(LookupError, match="not 500"):
        control.pick_many("TD", 500)


def test_drift_shows_in_the_platforms_own_answer(control):
    sim = control.pick("TC")
    changed = control.change_sim(sim["iccid"], name="by-hand", groups=["Spare"])
    assert changed["name"] == "by-hand" and control.group_names(changed) == ["Spare"]
    listed = api(control, "sim/list", {"filter": {"query": sim["iccid"]}})["items"]
    assert [(s["iccid"], s["name"]) for s in listed] == [(sim["iccid"], "by-hand")]
    assert control.group("Spare") is not None and control.group("Nowhere") is None


def test_the_request_log_counts_calls_by_method_and_clears(control):
    api(control, "sim/list", {})
    api(control, "sim/list", {})
    api(control, "company/get", {})
    assert control.methods() == ["sim/list", "sim/list", "company/get"]
    assert (control.count("sim/list"), control.count("company/get"), control.count("sim/block")) == (2, 1, 0)
    control.clear_requests()
    assert control.requests() == []


def test_an_armed_fault_answers_the_next_call_and_clearing_disarms_it(control):
    control.fault("company/get", status=503, times=None)
    assert [f["method"] for f in control.faults()] == ["company/get"]
    assert api(control, "company/get", {})["code"] == 503
    control.clear_faults()
    assert api(control, "company/get", {})["code"] == 200


@pytest.mark.novaconnect(queue_delay=600)  # the queue would not run by itself within the test
def test_drain_applies_queued_changes_and_says_how_many_ran(control):
    sim = control.pick("TC")
    api(control, "sim/block", {"items": [sim["id"]]})
    assert control.sim(sim["iccid"])["block"] == "n"
    assert control.drain() == 1
    assert control.sim(sim["iccid"])["block"] == "u"


def test_reset_brings_back_another_fleet_and_the_clock_moves(control):
    assert control.reset(sims=7, seed=2)["sims"] == 7
    assert len(control.sims()) == 7
    now = control.now()
    assert control.advance_clock(3600) >= now + 3600


def test_a_refused_control_call_raises_with_the_emulators_answer(control):
    with pytest.raises(requests.HTTPError, match="answered 404"):
        control.change_sim("0000", name="x")
    with pytest.raises(requests.HTTPError, match="answered 422"):
        control.fault("sim/list", status="teapot")


def test_a_marker_queue_delay_lasts_for_its_test_only(emulator):
    assert emulator.backend.queue_delay == 0.05


def test_wait_for_gives_up_after_its_timeout(control):
    with pytest.raises(AssertionError, match="within 0.1 s"):
        control.wait_for(lambda: False, timeout=0.1)


def test_it_drives_an_emulator_started_from_the_command_line(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "pulumi_novaconnect.emulator", "--port", "0", "--sims", "9", "--queue-delay", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
    )
    try:
        with EmulatorControl(proc.stdout.readline().strip()) as control:
            assert len(control.sims()) == 9
            api(control, "sim/list", {})
            assert control.count("sim/list") == 1
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
