"""Starting and stopping the emulator, the provider host and the program runner the way
`scripts/quickstart.py` does leaves nothing for the garbage collector to trip on at exit.

The first `make quickstart` once printed `ValueError: Invalid file descriptor: -1` from
`selectors`: an asyncio event loop left open on an SDK worker thread was freed by the cyclic
collector after its self-pipe socket, and its `__del__` -> `close()` looked the closed
socket's fd (-1) up in its selector. Whether that ordering happens is up to the collector,
so the child process below also turns every unclosed loop or file into a ResourceWarning
and records thread exceptions and "Exception ignored" errors: any of them fails the test.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent(
    """
    import gc, sys, tempfile, threading, warnings
    from pathlib import Path

    problems = []
    threading.excepthook = lambda args: problems.append(f"thread {args.thread.name}: {args.exc_type.__name__}: {args.exc_value}")
    sys.unraisablehook = lambda u: problems.append(f"unraisable in {u.object!r}: {u.exc_type.__name__}: {u.exc_value}")
    warnings.simplefilter("always", ResourceWarning)
    shown = warnings.showwarning
    def record(message, category, *args, **kwargs):
        if issubclass(category, ResourceWarning):
            problems.append(f"ResourceWarning: {message}")
        shown(message, category, *args, **kwargs)
    warnings.showwarning = record

    import yaml
    from pulumi_novaconnect.emulator import Emulator
    from pulumi_novaconnect.testing.program_runner import ProgramRunner
    from pulumi_novaconnect.testing.provider_host import ProviderHost, secret

    example = Path(sys.argv[1])
    project = yaml.safe_load((example / "Pulumi.yaml").read_text())["name"]
    for _ in range(int(sys.argv[2])):  # the quickstart: emulator, preview, up, stop
        with Emulator(port=0, sims=50, seed=1, queue_delay=0.05) as emu, tempfile.TemporaryDirectory() as tmp:
            runner = ProgramRunner(str(example), project=project, stack="quickstart",
                                   config={"novaconnect:endpoint": emu.url, "novaconnect:token": secret("admin-token")},
                                   state_path=Path(tmp) / "state.json")
            runner.preview()
            runner.up()
    for _ in range(int(sys.argv[3])):  # bare starts and stops, quick ones included
        Emulator(sims=3).start().stop()
        with ProviderHost():
            pass
    del runner
    gc.collect()
    gc.collect()
    print("PROBLEMS:" + repr(problems))
    """
)


def test_quickstart_style_starts_and_stops_print_no_error_and_leak_no_loop_or_pipe(tmp_path):
    script = tmp_path / "cycle.py"
    script.write_text(CHILD)
    done = subprocess.run(
        [sys.executable, str(script), str(ROOT / "examples" / "quickstart"), "3", "8"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "always::ResourceWarning"},
    )
    assert done.returncode == 0, done.stderr
    assert "PROBLEMS:[]" in done.stdout, done.stdout + done.stderr
    for words in ("Invalid file descriptor", "Exception ignored", "Traceback", "unclosed"):
        assert words not in done.stderr, done.stderr
