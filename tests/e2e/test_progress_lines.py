"""A long convergence wait says what it waits for, in the run's output, a line every few seconds.

The engine shows each line a provider writes to stderr as a diagnostic of the run; the
program runner keeps the same lines as ``last_diagnostics``.
"""
from __future__ import annotations

import re
import time

import pytest

import pulumi_novaconnect as nc

QUEUE_DELAY = 12.0


def _fleet_of(iccids: list[str]):
    def program() -> None:
        nc.SimFleet("meters", sims={i: {"limit": {"type": "month1", "value_mb": 321}} for i in iccids})
    return program


@pytest.mark.novaconnect(queue_delay=QUEUE_DELAY)
def test_a_wait_longer_than_a_few_seconds_reports_progress_at_most_every_few_seconds(
        novaconnect_program, novaconnect_control):
    iccids = [s["iccid"] for s in novaconnect_control.state()["sims"]
              if s["profile"] == "TC" and s["block"] == "n"][:3]
    runner = novaconnect_program(_fleet_of(iccids), {"novaconnect:pollInterval": "0.5", "novaconnect:convergeTimeout": "30"})
    started = time.monotonic()
    runner.up()
    elapsed = time.monotonic() - started
    assert all(novaconnect_control.sim(i)["limit"]["value"] == 321 for i in iccids)
    lines = [line for line in runner.last_diagnostics if "waiting for" in line]
    pattern = re.compile(r"^novaconnect: waiting for (\d) of 3 SIMs \(limit\) to show the declared state, (\d+) s of 30 s$")
    assert lines, runner.last_diagnostics
    seconds = []
    for line in lines:
        match = pattern.match(line)
        assert match, line
        assert match.group(1) == "3"  # the queue applies a task's SIMs together
        seconds.append(int(match.group(2)))
    assert seconds[0] >= 5  # quiet for the first seconds of a wait
    assert all(later - earlier >= 4 for earlier, later in zip(seconds, seconds[1:]))  # at most one line every ~5 s
    assert len(lines) <= elapsed / 5 + 1


def test_a_short_wait_prints_nothing(novaconnect_program, novaconnect_control):
    iccid = next(s["iccid"] for s in novaconnect_control.state()["sims"] if s["profile"] == "TC" and s["block"] == "n")
    runner = novaconnect_program(_fleet_of([iccid]))
    runner.up()
    assert novaconnect_control.sim(iccid)["limit"]["value"] == 321
    assert not [line for line in runner.last_diagnostics if "waiting for" in line]
