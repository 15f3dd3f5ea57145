"""One row of the fault matrix, run the same way for every fault: set up, fault, check, recover.

The tests pick the rows (which fault, in which phase, for which resource kind) and say how
to arm the fault; this module runs a row and records what happened for the table.
"""
from __future__ import annotations

from typing import Callable, Optional

from pulumi_novaconnect.testing import EmulatorControl
from pulumi_novaconnect.testing.program_runner import CheckFailed, StepFailed

from .conftest import (Subject, assert_one_sentence_naming, assert_only_declared, declared_picture, failure_text,
                       make_subject, platform_picture, record)

FINISHED = "finished"
FAILED = "failed, next run converged"


def recover(runner, subject: Subject, emu: EmulatorControl, phase: str, original: dict) -> None:
    """The next run converges and its following preview is empty; after a destroy, the next
    destroy leaves an empty stack and the SIMs as they were before the stack."""
    emu.clear_faults()
    if phase == "destroy":
        runner.destroy()
        assert runner.load_state()["resources"] == []
        after = platform_picture(emu)
        for iccid in subject.iccids:
            assert after["sims"][iccid] == original["sims"][iccid], (iccid, after["sims"][iccid], original["sims"][iccid])
        assert set(after["groups"]) - set(original["groups"]) == set()
        assert set(after["users"]) == set(original["users"])
        return
    runner.up()
    assert subject.sims_declared(emu)
    picture = platform_picture(emu)
    if subject.kind == "Group":
        assert picture["groups"].count("Reliability") == 1
    if subject.kind == "User":
        assert picture["users"].count("reliability@example.kz") == 1
    assert runner.preview().changes == []


def run_row(emu: EmulatorControl, runner_for, fault: str, phase: str, kind: str,
            arm: Callable[[str], None], *, expect: Optional[str] = None,
            config: Optional[dict] = None, during: Optional[Callable] = None) -> str:
    """Run one row; returns the failure text ("" when the faulted run finished).

    ``arm(method)`` arms the fault for the API method the phase calls for this kind;
    ``expect`` (FINISHED or FAILED) pins the outcome where the matrix promises one."""
    subject = make_subject(kind, emu)
    original = platform_picture(emu)
    runner = runner_for(subject.program, config)
    if phase != "up":
        runner.up()
    before = platform_picture(emu)
    arm(subject.methods[phase])
    text = ""
    try:
        getattr(runner, phase)()
    except (StepFailed, CheckFailed) as exc:
        text = failure_text(exc)
    assert emu.faults() == [] or during is not None, f"the fault was never hit: {emu.faults()}"
    outcome = FAILED if text else FINISHED
    if expect is not None:
        assert outcome == expect, text
    if text:
        assert_one_sentence_naming(text, subject.names)
    emu.drain()
    assert_only_declared(before, platform_picture(emu), declared_picture(subject, phase == "destroy", original))
    recover(runner, subject, emu, phase, original)
    record(fault, phase, kind, outcome, text)
    return text
