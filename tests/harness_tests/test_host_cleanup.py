"""A provider host its owner never stopped does not outlive the process that started it."""
from __future__ import annotations

import os
import subprocess
import sys
import time

SCRIPT = """
from pulumi_novaconnect.testing import ProviderHost
host = ProviderHost().start()
print(host.process.pid, flush=True)
# no stop(): the interpreter exits with the host still running
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for every purpose but its entry in the process table.
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(")")[-1].split()[0] != "Z"


def test_a_host_left_running_is_killed_when_the_interpreter_exits():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    pid = int(done.stdout.split()[0])
    deadline = time.monotonic() + 5
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid)
