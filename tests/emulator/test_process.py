"""The emulator as a process: the CLI, the state file across restarts, start/stop."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
import requests

from pulumi_novaconnect.emulator import Emulator
from pulumi_novaconnect.emulator.__main__ import parse_args

HEADERS = {"Authorization": "Bearer admin-token"}


def test_cli_prints_the_api_url_on_the_first_line_and_serves_until_terminated(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "pulumi_novaconnect.emulator", "--port", "0", "--sims", "12", "--seed", "5",
         "--user-token", "reader", "--queue-delay", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/api")
        payload = requests.post(f"{url}/sim/list", json={}, headers={"Authorization": "Bearer reader"},
                                timeout=5).json()
        assert payload["all_count"] == 12
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0


def test_cli_flags_have_the_documented_defaults():
    args = parse_args([])
    assert (args.host, args.port, args.sims, args.seed, args.admin_token, args.user_token, args.queue_delay,
            args.state_file) == ("127.0.0.1", 8765, 50, 1, "admin-token", "user-token", 0.5, None)


def test_the_state_file_survives_a_restart(tmp_path):
    state = tmp_path / "state.json"
    with Emulator(sims=10, seed=3, state_file=str(state), queue_delay=600) as emu:
        requests.post(f"{emu.url}/sim/edit", json={"id": 1002, "name": "kept"}, headers=HEADERS, timeout=5)
        requests.post(f"{emu.url}/group/create", json={"name": "Kept group"}, headers=HEADERS, timeout=5)
        free = next(s for s in emu.backend.snapshot()["sims"] if s["block"] == "n")["id"]
        requests.post(f"{emu.url}/sim/block", json={"items": [free]}, headers=HEADERS, timeout=5)
        before = requests.get(f"{emu.control_url}/state", timeout=5).json()
    assert json.loads(state.read_text())["seed"] == 3
    with Emulator(sims=50, seed=1, state_file=str(state), queue_delay=600) as emu:
        after = requests.get(f"{emu.control_url}/state", timeout=5).json()
        assert after["sims"] == before["sims"] and after["groups"] == before["groups"]
        assert [t["queue_id"] for t in after["queue"]] == [t["queue_id"] for t in before["queue"]]
        requests.post(f"{emu.control_url}/queue/drain", timeout=5)  # the pending block still runs
        sims = requests.post(f"{emu.url}/sim/list", json={}, headers=HEADERS, timeout=5).json()["items"]
        assert next(s for s in sims if s["id"] == free)["block"] == "u"


def test_the_state_file_is_written_atomically_after_every_change(tmp_path):
    state = tmp_path / "nested" / "state.json"
    with Emulator(sims=5, state_file=str(state)) as emu:
        assert state.exists()  # written at start
        requests.post(f"{emu.url}/sim/edit", json={"id": 1001, "name": "now"}, headers=HEADERS, timeout=5)
        saved = json.loads(state.read_text())
        assert next(s for s in saved["sims"] if s["id"] == 1001)["name"] == "now"
    assert [p.name for p in state.parent.iterdir()] == ["state.json"]  # no temporary files left


def test_reset_rewrites_the_state_file(tmp_path):
    state = tmp_path / "state.json"
    with Emulator(sims=5, state_file=str(state)) as emu:
        requests.post(f"{emu.url}/sim/edit", json={"id": 1001, "name": "gone"}, headers=HEADERS, timeout=5)
        emu.reset()
    assert all(s["name"] != "gone" for s in json.loads(state.read_text())["sims"])


def test_an_emulator_stops_cleanly_and_frees_its_port():
    emu = Emulator(sims=3).start()
    url = emu.url
    assert requests.post(f"{url}/company/get", json={}, headers=HEADERS, timeout=5).status_code == 200
    emu.stop()
    assert emu.runner._thread is None
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post(f"{url}/company/get", json={}, headers=HEADERS, timeout=2)


def test_an_emulator_is_a_context_manager_on_a_free_port():
    with Emulator(sims=1, port=0) as first, Emulator(sims=1, port=0) as second:
        assert first.url != second.url
