"""One row of the fault matrix, run the same way for every fault: set up, fault, check, recover.

The tests pick the rows (which fault, in which phase, for which resource kind) and say how
to arm the fault; this module runs a row and records what happened for the table.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable, Optional

from pulumi_novaconnect.testing import EmulatorControl
from pulumi_novaconnect.testing.program_runner import CheckFailed, StepFailed
from pulumi_novaconnect.testing.provider_host import ProviderError

from .conftest import (EMAIL, GROUP_NAME, Subject, assert_one_sentence_naming, assert_only_declared,
                       declared_picture, failure_text, make_subject, platform_picture, record)

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
        assert picture["groups"].count(GROUP_NAME) == 1
    if subject.kind == "User":
        assert picture["users"].count(EMAIL) == 1
    assert runner.preview().changes == []


def run_phase(runner, phase: str) -> str:
    """Run one phase; the failure's headline, or "" when it finished."""
    try:
        getattr(runner, phase)()
    except (StepFailed, CheckFailed) as exc:
        return failure_text(exc)
    return ""


def run_row(emu: EmulatorControl, runner_for, fault: str, phase: str, kind: str,
            arm: Optional[Callable[[str], None]] = None, *, expect: Optional[str] = None,
            config: Optional[dict[str, Any]] = None, phase_config: Optional[dict[str, Any]] = None,
            recovery_config: Optional[dict[str, Any]] = None,
            before_recovery: Optional[Callable[[], None]] = None,
            update_to: Optional[int] = None,
            during: Optional[Callable[[Any, Subject], None]] = None, note: Optional[str] = None) -> str:
    """Run one row; returns the failure's headline ("" when the faulted run finished).

    ``arm(method)`` arms the fault for the API method the phase calls for this kind.
    ``phase_config`` is config for the faulted run only (a read-only token, say), and
    ``recovery_config`` for the runs after it (a new token, issued by ``before_recovery``). ``update_to`` changes the
    declared limit before an ``up``, so that the up is an update that waits on the queue.
    ``during(runner, subject)`` runs in this thread while the phase runs in another (kill
    the host, restart the platform). ``expect`` pins the outcome where the matrix promises one.
    ``note`` is recorded instead of the failure text where that text is not the provider's
    (a killed host has none: the engine reports the lost connection in its own words).
    """
    subject = make_subject(kind, emu)
    original = platform_picture(emu)
    base = dict(config or {})
    runner = runner_for(subject.program, base)
    if phase != "up" or update_to is not None:
        runner.up()
    if update_to is not None:
        subject.settings["limit_mb"] = update_to
    before = platform_picture(emu)
    if arm is not None:
        arm(subject.methods[phase])
    faulted = runner_for(subject.program, {**base, **(phase_config or {})}) if phase_config else runner
    if during is None:
        text = run_phase(faulted, phase)
    else:
        text = run_alongside(faulted, phase, lambda: during(faulted, subject))
    if arm is not None:
        assert not emu.faults(), f"the fault was never hit: {emu.faults()}"
    outcome = FAILED if text else FINISHED
    if expect is not None:
        assert outcome == expect, text
    if text and during is None:
        assert_one_sentence_naming(text, subject.names)
    emu.drain()
    if before_recovery is not None:
        before_recovery()
    assert_only_declared(before, platform_picture(emu), declared_picture(subject, phase == "destroy", original))
    after = runner_for(subject.program, {**base, **(recovery_config or {})}) if recovery_config else runner
    recover(after, subject, emu, phase, original)
    record(fault, phase, kind, outcome, note if note is not None and text else text)
    return text


def run_alongside(runner, phase: str, during: Callable[[], None]) -> str:
    """Run the phase in a thread while ``during`` acts on it; the phase's failure text."""
    result: dict[str, str] = {}

    def phase_thread() -> None:
        try:
            result["text"] = run_phase(runner, phase)
        except ProviderError as exc:  # the host itself went away
            result["text"] = exc.message

    thread = threading.Thread(target=phase_thread, daemon=True)
    thread.start()
    try:
        during()
    finally:
        thread.join(timeout=60)
    assert not thread.is_alive(), "the run did not end"
    return result["text"]


def wait_until(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.02)
