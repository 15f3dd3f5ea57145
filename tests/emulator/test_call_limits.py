"""`max_items` (`--max-items`) and `latency_ms` (`--latency-ms`): the two knobs that make
the emulator behave like a distant platform with a cap on bulk calls."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Iterator

import pytest
import requests

from pulumi_novaconnect.emulator import Emulator
from pulumi_novaconnect.emulator.__main__ import parse_args

HEADERS = {"Authorization": "Bearer admin-token"}
LIMIT = 5


@pytest.fixture(scope="module")
def capped() -> Iterator[Emulator]:
    """An emulator that takes at most LIMIT SIMs per queued call; its queue never runs by
    itself within a test, so the queue's length tells what was accepted."""
    with Emulator(sims=40, seed=1, queue_delay=600, max_items=LIMIT) as emu:
        yield emu


@pytest.fixture()
def cap(capped) -> Emulator:
    capped.reset()
    return capped


def call(emu: Emulator, method: str, body: dict, lang: str = "en") -> requests.Response:
    return requests.post(f"{emu.url}/{method}", json=body, headers=HEADERS, params={"lang": lang}, timeout=10)


def active_ids(emu: Emulator, count: int, profile: str = "TC") -> list[int]:
    sims = requests.get(f"{emu.control_url}/state", timeout=10).json()["sims"]
    ids = [s["id"] for s in sims if s["block"] == "n" and s["profile"] == profile]
    assert len(ids) >= count, "the seeded fleet is too small for this test"
    return ids[:count]


def queue_length(emu: Emulator) -> int:
    return len(requests.get(f"{emu.control_url}/state", timeout=10).json()["queue"])


@pytest.mark.parametrize("method, extra", [
    ("sim/block", {}),
    ("sim/unblock", {}),
    ("sim/limit", {"params": {"type": "month1", "value": 100}}),
    ("sim/group", {"new_group": ["Capped"]}),
])
def test_a_queued_call_with_more_items_than_max_items_is_a_422_naming_the_field_and_the_limit(cap, method, extra):
    response = call(cap, method, {"items": active_ids(cap, LIMIT + 1), **extra})
    body = response.json()
    assert (response.status_code, body["code"]) == (422, 422)
    assert body["message"] == f"items: at most {LIMIT} SIMs per call, got {LIMIT + 1}"
    assert queue_length(cap) == 0  # nothing of the rejected call was queued


def test_a_queued_call_with_exactly_max_items_is_queued(cap):
    response = call(cap, "sim/block", {"items": active_ids(cap, LIMIT)})
    assert response.status_code == 200, response.text
    assert queue_length(cap) == 1


def test_the_max_items_message_follows_the_language(cap):
    message = call(cap, "sim/block", {"items": active_ids(cap, LIMIT + 1)}, lang="ru").json()["message"]
    assert message.startswith("items: ") and f"не более {LIMIT}" in message and str(LIMIT + 1) in message


def test_repeated_ids_count_once_against_max_items(cap):
    # The platform's items are a set of SIMs: the emulator drops repeats before any rule.
    ids = active_ids(cap, LIMIT)
    assert call(cap, "sim/block", {"items": ids + ids[:2]}).status_code == 200


def test_without_max_items_a_call_may_carry_any_number_of_sims(emulator):
    ids = active_ids(emulator, 3 * LIMIT, profile="TD") + active_ids(emulator, 3 * LIMIT, profile="TC")
    assert call(emulator, "sim/block", {"items": ids}).status_code == 200


def test_latency_delays_every_api_answer_but_not_the_control_surface():
    latency_ms = 400
    with Emulator(sims=5, seed=1, queue_delay=600, latency_ms=latency_ms) as emu:
        started = time.perf_counter()
        assert requests.post(f"{emu.url}/sim/list", json={}, headers=HEADERS, timeout=10).status_code == 200
        api_seconds = time.perf_counter() - started
        started = time.perf_counter()
        assert requests.post(f"{emu.url}/no/such", json={}, headers=HEADERS, timeout=10).status_code == 404
        unknown_seconds = time.perf_counter() - started
        started = time.perf_counter()
        assert requests.get(f"{emu.control_url}/requests", timeout=10).status_code == 200
        control_seconds = time.perf_counter() - started
    assert api_seconds >= latency_ms / 1000
    assert unknown_seconds >= latency_ms / 1000  # an error is an answer too
    assert control_seconds < latency_ms / 1000


def test_cli_flags_for_the_limits_default_to_none_and_no_latency():
    args = parse_args([])
    assert (args.max_items, args.latency_ms) == (None, 0)
    args = parse_args(["--max-items", "7", "--latency-ms", "20"])
    assert (args.max_items, args.latency_ms) == (7, 20)


def test_cli_max_items_rejects_a_longer_call(tmp_path):
    proc = subprocess.Popen(
        [sys.executable, "-m", "pulumi_novaconnect.emulator", "--port", "0", "--sims", "12", "--max-items", "2",
         "--latency-ms", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    try:
        url = proc.stdout.readline().strip()
        sims = requests.post(f"{url}/sim/list", json={}, headers=HEADERS, timeout=5).json()["items"]
        ids = [s["id"] for s in sims if s["block"] == "n"][:3]
        answer = requests.post(f"{url}/sim/block?lang=en", json={"items": ids}, headers=HEADERS, timeout=5)
        assert answer.status_code == 422 and "at most 2 SIMs per call" in answer.json()["message"]
        assert requests.post(f"{url}/sim/block", json={"items": ids[:2]}, headers=HEADERS, timeout=5).status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
