"""Scripted failures, armed through `POST /_emulator/faults`.

Two kinds, one endpoint:
- HTTP faults (`status`, `http_status`, `retry_after`, `delay`, `drop`) replace or delay
  the answer to the next `times` calls of one API method. `http_status` lets the body
  `code` and the HTTP status differ, which is how API.md decision 1's "errors may arrive
  with HTTP 200" is exercised.
- Body faults (`body: "not_json" | "empty" | "missing_fields" | "wrong_types"`) let the
  call do its work, then garble the answer's body (HTTP 200, as a proxy or a half-deployed
  platform would): the caller cannot tell whether its write happened, which is the case a
  client must survive without a wrong change.
- Token faults (`revoke_token: true`) revoke the calling token as the call arrives (an
  administrator rotating tokens mid-run): that call and every later one with the token is
  a 401 until a new token is issued through `POST /_emulator/tokens`.
- Queue faults (`queue: "fail" | "never"`) mark the next matching queued task: "fail"
  runs it with queue_status `error` and no effect, "never" leaves it pending for good.
"""
from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass

from .errors import ValidationError
from .request_fields import Fields


BODY_MODES = ("not_json", "empty", "missing_fields", "wrong_types")


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
    body: str | None = None  # "not_json" | "empty" | "missing_fields" | "wrong_types"
    revoke_token: bool = False
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
    body_mode = fields.str("body", one_of=BODY_MODES)
    revoke = fields.bool("revoke_token", default=False)
    if (queue is None and status is None and body_mode is None and not revoke and not delay
            and not fields.bool("drop", default=False)):
        raise ValidationError("required", field="status")
    return Fault(
        method=method, times=times, status=status,
        http_status=fields.int("http_status", min=100), message=fields.str("message"),
        retry_after=None if retry_after is None else str(retry_after), delay=float(delay),
        drop=fields.bool("drop", default=False), body=body_mode, revoke_token=revoke,
        queue=queue, iccid=fields.str("iccid"),
    )


def _wrong_type(value: object) -> object:
    """Each scalar as another JSON type: a number or boolean becomes a string, a string a
    one-element list; the shape (which keys, how many items) is kept."""
    if isinstance(value, dict):
        return {k: _wrong_type(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_wrong_type(v) for v in value]
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return str(value).lower()
    if isinstance(value, str):
        return [value]
    return value


def garble(mode: str, answer: dict) -> tuple[str, str]:
    """(text, content type) of an answer garbled by a body fault."""
    envelope = {"code": answer.get("code"), "message": answer.get("message")}
    if mode == "not_json":
        return "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"
    if mode == "empty":
        return "", "application/json"
    if mode == "missing_fields":  # the envelope without any payload
        return json.dumps(envelope), "application/json; charset=utf-8"
    payload = {k: _wrong_type(v) for k, v in answer.items() if k not in envelope}
    return json.dumps({**envelope, **payload}, ensure_ascii=False), "application/json; charset=utf-8"


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
