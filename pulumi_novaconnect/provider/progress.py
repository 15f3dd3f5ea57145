"""Progress lines while a convergence wait runs, so a long `pulumi up` does not look hung.

Progress goes to the provider process's stderr. The engine reads it line by line and shows
each line on the stack's row (``pulumi:pulumi:Stack ... creating (6s) novaconnect: waiting
for SIM ...``) and under the stack in "Diagnostics", not on the SIM's row: so every line
names the SIMs it is about. (A preview's digest, by contrast, is sent to the engine's log
service with its resource's URN: engine_log.py. A wait runs deep in the SIM core, which
knows the SIMs but not which resource waits.) A line goes out only once the wait has run a
few seconds, and then at most every few seconds.
"""
from __future__ import annotations

import sys
import threading
import time
from typing import Callable, Mapping, TextIO

QUIET_FOR = 5.0  # seconds of waiting before the first line
EVERY = 5.0  # seconds between lines

_lock = threading.Lock()


def emit(line: str, stream: TextIO | None = None) -> None:
    """Write one progress line (whole, so the lines of concurrent waits never interleave)."""
    with _lock:
        out = stream or sys.stderr
        out.write(f"novaconnect: {line}\n")
        out.flush()


class Reporter:
    """Says how many SIMs a wait still waits for, which fields, and for how long."""

    def __init__(
        self,
        total: int,
        timeout: float,
        started: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sink: Callable[[str], None] = emit,
    ) -> None:
        self.total, self.timeout, self.started = total, timeout, started
        self._clock, self._sink = clock, sink
        self._last = started + QUIET_FOR - EVERY

    def waiting(self, pending: Mapping[str, object], plans: Mapping[str, object]) -> None:
        now = self._clock()
        if now - self._last < EVERY:
            return
        self._last = now
        fields: dict[str, None] = {}
        for iccid in pending:
            for name in getattr(plans.get(iccid), "fields", ()):
                fields[name] = None
        what = f" ({', '.join(fields)})" if fields else ""
        which = f"SIM {next(iter(pending))}" if self.total == 1 else f"{len(pending):,} of {self.total:,} SIMs"
        self._sink(
            f"waiting for {which}{what} to show the declared state, "
            f"{now - self.started:.0f} s of {self.timeout:.0f} s"
        )
