"""The `--state FILE` of an emulator killed with SIGKILL while it rewrites the file under load:
whatever the moment, the file left behind loads, and holds every change the emulator had
acknowledged before it died (the write is fsync'ed before the answer goes out)."""
from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time

import requests

from pulumi_novaconnect.emulator.state import State

HEADERS = {"Authorization": "Bearer admin-token"}
KILLS = 12


def _start(state_file: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "pulumi_novaconnect.emulator", "--port", "0", "--sims", "1500", "--seed", "4",
         "--queue-delay", "0", "--state", state_file],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    return proc, proc.stdout.readline().strip()


def _hammer(url: str, acknowledged: list[int], stop: threading.Event, start: int) -> None:
    """Rename SIM 1001 to edit-<n>, n rising; remember every n the emulator answered 200 to."""
    session = requests.Session()
    n = start
    while not stop.is_set():
        n += 1
        try:
            answer = session.post(f"{url}/sim/edit", json={"id": 1001, "name": f"edit-{n}"}, headers=HEADERS,
                                  timeout=5)
        except requests.RequestException:
            return  # the process is gone
        if answer.status_code == 200 and answer.json().get("code") == 200:
            acknowledged.append(n)


def test_a_state_file_killed_mid_write_always_loads_with_every_acknowledged_change(tmp_path):
    state_file = str(tmp_path / "state.json")
    rng = random.Random(20261130)
    start = 0
    writes = 0
    for _ in range(KILLS):
        proc, url = _start(state_file)
        acknowledged: list[int] = []
        stop = threading.Event()
        writer = threading.Thread(target=_hammer, args=(url, acknowledged, stop, start))
        writer.start()
        # Kill only once the emulator is writing: on a loaded machine its start alone can
        # outlast the random pause, and a kill before the first write proves nothing.
        deadline = time.monotonic() + 30
        while not acknowledged and time.monotonic() < deadline:
            time.sleep(0.01)
        assert acknowledged, "the emulator acknowledged no edit within 30 s of starting"
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        stop.set()
        writer.join(timeout=10)
        proc.stdout.close()

        state = State.load(state_file)  # never half-written
        assert len(state.sims) == 1500
        name = state.sims[1001].name
        writes += len(acknowledged)
        if acknowledged:
            # The last acknowledged edit is on disk, or the next one, applied and saved
            # just before the kill swallowed its answer.
            last = acknowledged[-1]
            assert name in (f"edit-{last}", f"edit-{last + 1}"), (name, last)
        start = max([start, *acknowledged]) + 10
    assert writes > KILLS  # the kills did land while the file was being rewritten
