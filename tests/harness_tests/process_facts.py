"""A dynamic provider that answers with facts about the process serving it, to compare a
forked provider host with one started as ``python -u -m pulumi.dynamic``. Importable, so dill
pickles it by reference and the host imports this module, as it imports the package's."""
from __future__ import annotations

import os
import stat
import sys
from typing import Any

from pulumi.dynamic import CreateResult, ResourceProvider

TYPE = "pulumi-python:dynamic/facts:Process"
CREATES = 0  # per process: a host that shares nothing with another starts at 0


def _kind(fd: int) -> str:
    mode = os.fstat(fd).st_mode
    return "fifo" if stat.S_ISFIFO(mode) else "char" if stat.S_ISCHR(mode) else "other"


class FactsProvider(ResourceProvider):
    def create(self, props: dict[str, Any]) -> CreateResult:
        global CREATES
        CREATES += 1
        import pulumi_novaconnect.provider.errors_display as errors_display

        main = sys.modules["__main__"]
        facts = {
            "pid": os.getpid(),
            "creates": CREATES,
            "cwd": os.getcwd(),
            "argv": sys.argv,
            "path0": sys.path[0],
            "path": sys.path,
            "marker": os.environ.get("FACTS_MARKER"),
            "project": os.environ.get("PULUMI_PROJECT"),
            "main": getattr(main.__spec__, "name", None),
            "main_file": getattr(main, "__file__", None),
            "errors_display_installed": errors_display.installed(),
            "fds": [_kind(0), _kind(1), _kind(2)],
            "stdout_write_through": sys.stdout.write_through,
            "sigint": repr(__import__("signal").getsignal(__import__("signal").SIGINT)),
            "sigpipe": int(__import__("signal").getsignal(__import__("signal").SIGPIPE)),
            "sigchld": int(__import__("signal").getsignal(__import__("signal").SIGCHLD)),
        }
        print("facts to stdout", flush=True)
        print("facts to stderr", file=sys.stderr, flush=True)
        return CreateResult(f"process-{CREATES}", {"facts": facts})
