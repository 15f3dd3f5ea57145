"""Faults of the platform's queue and of the processes: a task that fails or never runs, the
provider host killed mid-wait, the platform restarted mid-wait, a SIM changed out of band
while an apply waits for it. Only SIM resources wait on the queue, so these rows are theirs."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pulumi_novaconnect.testing import EmulatorControl

from .matrix import FAILED, FINISHED, run_row, wait_until

SIM_KINDS = ("SimConfig", "SimFleet", "GroupPolicy")
# Rows that end in a timeout on purpose: long enough that every SIM the fault does not hold
# has converged by then on a loaded machine (the report must name exactly the held ones).
QUICK_TIMEOUT = {"novaconnect:convergeTimeout": "2"}


@pytest.mark.parametrize("kind", SIM_KINDS)
def test_a_queue_task_that_fails_is_reported_per_sim_and_the_next_up_sends_it_again(emu, runner_for, kind):
    run_row(emu, runner_for, "queue task fails", "up", kind,
            lambda method: emu.fault(method, queue="fail"), expect=FAILED, config=QUICK_TIMEOUT)


def test_a_restore_task_that_fails_on_destroy_is_reported_and_the_next_destroy_restores(emu, runner_for):
    run_row(emu, runner_for, "queue task fails", "destroy", "SimFleet",
            lambda method: emu.fault(method, queue="fail"), expect=FAILED, config=QUICK_TIMEOUT)


@pytest.mark.parametrize("kind", SIM_KINDS)
def test_a_queue_task_that_never_completes_times_out_naming_the_sims(emu, runner_for, kind):
    run_row(emu, runner_for, "queue task never completes", "up", kind,
            lambda method: emu.fault(method, queue="never"), expect=FAILED, config=QUICK_TIMEOUT)


def _after_the_write(emu: EmulatorControl, method: str = "sim/limit") -> None:
    wait_until(lambda: emu.count(method) > 0)


@pytest.mark.parametrize("kind", SIM_KINDS)
def test_the_provider_host_killed_between_a_write_and_its_confirmation_then_a_new_up(
        emu, runner_for, novaconnect_emulator, kind):
    def slow_queue(_method) -> None:  # after the setup's up: the update's task waits in the queue
        novaconnect_emulator.backend.queue_delay = 30
        emu.clear_requests()

    def kill(runner, subject) -> None:
        _after_the_write(emu)
        runner.host.kill()

    text = run_row(emu, runner_for, "provider host killed (SIGKILL) while waiting", "up", kind, slow_queue,
                   update_to=350, during=kill, expect=FAILED,
                   note="(none from the provider: the engine reports that the plugin's connection was lost)")
    assert "Traceback" not in text


@pytest.mark.novaconnect(queue_delay=30)
@pytest.mark.parametrize("kind", SIM_KINDS)
def test_an_out_of_band_change_to_the_same_sim_while_an_apply_waits(emu, runner_for, kind):
    def drift(runner, subject) -> None:
        _after_the_write(emu)
        for iccid in subject.iccids[:2]:
            emu.change_sim(iccid, limit={"type": "month1", "value": 77})
        emu.drain()  # the queued change runs after the drift, as the platform's queue would

    run_row(emu, runner_for, "out-of-band change to the same SIM during the wait", "up", kind, during=drift,
            expect=FINISHED)


# The emulator's command, started only once its parent says so on stdin: a restart then
# waits for the new process's imports before the old one stops, so the platform is down for
# the restart itself (a second or less), not for an interpreter's start on a loaded machine.
_STARTS_ON_CUE = ("import sys; from pulumi_novaconnect.emulator.__main__ import main; "
                  "sys.stdin.readline(); sys.exit(main(sys.argv[1:]))")


class EmulatorProcess:
    """The emulator as a CLI process with a state file, restartable on the same port."""

    def __init__(self, state_file, port: int = 0) -> None:
        self.state_file, self.port = state_file, port
        self.process = None
        self.url = ""

    def _spawn(self) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-c", _STARTS_ON_CUE, "--port", str(self.port), "--sims", "50",
             "--queue-delay", "1", "--state", str(self.state_file)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})

    def start(self) -> "EmulatorProcess":
        return self._go(self._spawn())

    def restart(self) -> None:
        """Stop and start again on the same port with the same state file; the new process
        has done its imports before the old one stops."""
        ready = self._spawn()
        self.stop()
        self._go(ready)

    def _go(self, process: subprocess.Popen) -> "EmulatorProcess":
        self.process = process
        process.stdin.write("go\n")
        process.stdin.flush()
        self.url = process.stdout.readline().strip()
        assert self.url.startswith("http://127.0.0.1:"), self.url
        self.port = int(self.url.rsplit(":", 1)[1].split("/")[0])
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process.stdout.close()
            self.process.stdin.close()
            self.process = None


@pytest.mark.parametrize("kind", ("SimConfig", "SimFleet"))
def test_the_platform_restarted_with_its_state_file_while_an_apply_waits(runner_for, tmp_path, kind):
    platform = EmulatorProcess(tmp_path / "platform.json").start()
    try:
        control = EmulatorControl(platform.url)

        def restart(runner, subject) -> None:
            _after_the_write(control)
            platform.restart()

        run_row(control, runner_for, "platform restarted with --state during the wait", "up", kind,
                config={"novaconnect:endpoint": platform.url, "novaconnect:convergeTimeout": "15"},
                during=restart, expect=FINISHED)
        control.close()
    finally:
        platform.stop()
