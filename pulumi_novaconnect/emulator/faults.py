"""Scripted failures, armed through `POST /_emulator/faults`.

Two kinds, one endpoint:
- HTTP faults (`status`, `http_status`, `retry_after`, `delay`, `drop`) replace or delay
  the answer to the next `times` calls of one API method. `http_status` lets the body
  `code` and the HTTP status differ, which is how API.md decision 1's "errors may arrive
  with HTTP 200" is exercised.
- Queue faults (`queue: "fail" | "never"`) mark the next matching queued task: "fail"
  runs it with queue_status `error` and no effect, "never" leaves it pending for good.
"""
from __future__ import annotations

import threading
from dataclasses import asdict, dataclass

from .errors import ValidationError
from .request_fields import Fields


@dataclass
class Fault:
    method: str  # API method name, or "*" for any
    times: int | None = 1  # None: every call from now on
    status: int | None = None
    http_status: int | None = None
    message: str | None = None
    retry_after: str | None = None
    delay: float = 0.0
    drop: bool = False
    queue: str | None = None  # "fail" | "never"
    iccid: str | None = None  # queue faults only: just this SIM of the task

    def matches(self, *methods: str) -> bool:
        return self.method == "*" or self.method in methods


def parse_fault(body: dict) -> Fault:
    fields = Fields(body)
    method = fields.str("method", required=True, not_empty=True)
    queue = fields.str("queue", one_of=("fail", "never"))
    times = body.get("times", 1)
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 1):
        raise ValidationError("min", field="times", n=1)
    delay = body.get("delay") or 0
    if isinstance(delay, bool) or not isinstance(delay, (int, float)) or delay < 0:
        raise ValidationError("number", field="delay")
    retry_after = body.get("retry_after")
    status = fields.int("status", min=100)
    if queue is None and status is None and not delay and not fields.bool("drop", default=False):
        raise ValidationError("required", field="status")
    return Fault(
        method=method, times=times, status=status,
        http_status=fields.int("http_status", min=100), message=fields.str("message"),
        retry_after=None if retry_after is None else str(retry_after), delay=float(delay),
        drop=fields.bool("drop", default=False), queue=queue, iccid=fields.str("iccid"),
    )


class FaultRegistry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def list(self) -> list[dict]:
        with self._lock:
            return [asdict(f) for f in self._faults]

    def _consume(self, fault: Fault) -> None:
        if fault.times is not None:
            fault.times -= 1
            if fault.times <= 0:
                self._faults.remove(fault)

    def take_http(self, method: str) -> Fault | None:
        """The HTTP fault for this call, if one is armed (first armed, first used)."""
        with self._lock:
            for fault in self._faults:
                if fault.queue is None and fault.matches(method):
                    self._consume(fault)
                    return fault
        return None

    def take_queue(self, methods: tuple[str, ...], iccids: dict[int, str]) -> tuple[str, list[int] | None] | None:
        """For a task about to be queued: (mode, SIM ids it covers or None for all).

        `methods` are the called and the effective method (sim/reconnect runs as
        sim/disconnect), so a fault armed for either matches. A "never" fault holds the
        whole task; a "fail" fault with an `iccid` fails only that SIM's item.
        """
        with self._lock:
            for fault in self._faults:
                if fault.queue is None or not fault.matches(*methods):
                    continue
                if fault.iccid is None:
                    self._consume(fault)
                    return fault.queue, None
                hit = [sid for sid, iccid in iccids.items() if iccid == fault.iccid]
                if hit:
                    self._consume(fault)
                    return fault.queue, hit
        return None
