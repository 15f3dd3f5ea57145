"""The platform's HTTP misbehaviour, in every phase, for every resource kind.

Each fault runs in all four phases; the resource kind rotates with the fault, so that every
kind meets every phase and every fault meets four kinds (the full cross product would take
five times as long and exercise the same client path). Bursts that the retry policy absorbs
must leave the run finished; a garbled answer may fail the run, but never with a wrong
change, and the next run must finish the job.
"""
from __future__ import annotations

import pytest

from .conftest import KINDS, PHASES
from .matrix import FINISHED, run_row

FAULTS = {
    "5xx burst (503 twice)": ({"status": 503, "times": 2}, FINISHED),
    "429 with Retry-After (twice)": ({"status": 429, "retry_after": 0.2, "times": 2}, FINISHED),
    "429 without Retry-After (twice)": ({"status": 429, "times": 2}, FINISHED),
    "answer slower than the client timeout": ({"delay": 1.5}, FINISHED),
    "dropped connection": ({"drop": True}, FINISHED),
    "HTTP 200 with an error code (500)": ({"status": 500, "http_status": 200, "times": 2}, FINISHED),
    "body not JSON": ({"body": "not_json"}, None),
    "empty body": ({"body": "empty"}, None),
    "body missing fields": ({"body": "missing_fields"}, None),
    "body with wrong types": ({"body": "wrong_types"}, None),
}

ROWS = [(fault, phase, KINDS[(f + p) % len(KINDS)])
        for f, fault in enumerate(FAULTS) for p, phase in enumerate(PHASES)]


@pytest.mark.parametrize("fault,phase,kind", ROWS, ids=[f"{f}|{p}|{k}" for f, p, k in ROWS])
def test_an_http_fault_leaves_no_undeclared_state_and_the_next_run_converges(emu, runner_for, fault, phase, kind):
    spec, expect = FAULTS[fault]
    run_row(emu, runner_for, fault, phase, kind, lambda method: emu.fault(method, **spec), expect=expect)
