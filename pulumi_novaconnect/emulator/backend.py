"""The platform's state and what every API area shares, with no knowledge of HTTP (moto's
models.py split). The areas' rules are plain functions of their own modules that take the
backend first, so each one's dependencies are its imports, not a sibling class's methods.

Every public method takes the one re-entrant lock, so the HTTP threads and the queue
worker see whole changes only; `@mutating` methods also write the state file.
"""
from __future__ import annotations

import os
import random
import threading
import time
from typing import Any, Callable

from . import accounts, groups, out_of_band, reports, sims, tokens
from .faults import FaultRegistry
from .locking import locked, mutating
from .models import Sim
from .seed import build_state
from .state import State


class Backend:
    """The state, its lock, the clock, persistence and the request log; every API area's
    rules answer here too, under the names listed in `AREA_METHODS` below."""

    def __init__(self, *, sims: int = 50, seed: int = 1, admin_token: str = "admin-token",
                 user_token: str = "user-token", queue_delay: float = 0.5,
                 state_file: str | None = None, max_items: int | None = None) -> None:
        self.lock = threading.RLock()
        self.defaults = {"sims": sims, "seed": seed}
        self.admin_token = admin_token
        self.user_token = user_token
        self.queue_delay = queue_delay
        self.max_items = max_items  # longest `items` array a queued call may carry (None: no limit)
        self.state_file = state_file
        self.faults = FaultRegistry()
        self.requests: list[dict] = []
        self._request_seq = 0
        self._wakeup: threading.Condition = threading.Condition(self.lock)  # the queue worker waits on it
        self.rng = random.Random(seed)  # identities of SIMs added after the seeded fleet
        # Bumped by every change of state (locking.mutating); the last report built is kept
        # for the next pages of the same walk until then (reports.py).
        self.version = 0
        self.report_cache: tuple | None = None
        if state_file and os.path.exists(state_file):
            self.state = State.load(state_file)
        else:
            self.state = build_state(seed, sims, admin_token, user_token)
            self.persist()

    # -- lifecycle ---------------------------------------------------------------------

    @mutating
    def reset(self, sims: int | None = None, seed: int | None = None) -> dict:
        """Back to the seeded fleet; faults, pending tasks and the request log go too.
        `None` means the values the emulator was started with. Answers the new fleet's
        size and seed."""
        sims = self.defaults["sims"] if sims is None else sims
        seed = self.defaults["seed"] if seed is None else seed
        self.state = build_state(seed, sims, self.admin_token, self.user_token)
        self.rng = random.Random(seed)
        self.faults.clear()
        self.requests.clear()
        self._request_seq = 0
        self._wakeup.notify_all()
        return {"sims": len(self.state.sims), "seed": self.state.seed}

    # -- the queue worker's side (queue.py): it waits on the lock's condition ------------

    def wait_for_due_tasks(self, stopping: Callable[[], bool]) -> list | None:
        """Block until some pending tasks are due and return them, in queue order; None
        once `stopping()` is true. A new task, a reset or `wake_queue_worker()` ends the
        wait early, so nothing sleeps past the moment it has work."""
        with self.lock:
            while not stopping():
                due = self.pending_tasks(due_before=time.time())
                if due:
                    return due
                upcoming = self.pending_tasks()
                timeout = max(0.0, min(t.due for t in upcoming) - time.time()) if upcoming else None
                self._wakeup.wait(timeout)
            return None

    def wake_queue_worker(self) -> None:
        """Make a waiting `wait_for_due_tasks` look again (at its `stopping` too)."""
        with self.lock:
            self._wakeup.notify_all()

    def persist(self) -> None:
        if self.state_file:
            with self.lock:
                self.state.save(self.state_file)

    def now(self) -> int:
        return int(time.time() + self.state.clock_offset)

    @mutating
    def set_clock(self, *, now: float | None = None, advance: float | None = None) -> int:
        if now is not None:
            self.state.clock_offset = now - time.time()
        if advance is not None:
            self.state.clock_offset += advance
        return self.now()

    # -- request log (not persisted: it describes a test run, not the platform) ---------

    @locked
    def log_request(self, method: str, http_status: int | None, code: int | None,
                    role: str | None, body: Any, **extra: Any) -> None:
        self._request_seq += 1
        self.requests.append({"seq": self._request_seq, "method": method, "http_status": http_status,
                              "code": code, "role": role, "body": _redacted(body), **extra})

    @locked
    def request_log(self) -> list[dict]:
        return [dict(r) for r in self.requests]

    @locked
    def clear_requests(self) -> None:
        self.requests.clear()

    # -- views -------------------------------------------------------------------------

    @locked
    def render_sim(self, sim: Sim) -> dict:
        return sim.render(self.state.groups)

    @locked
    def snapshot(self) -> dict:
        st = self.state
        return {
            "sims": [s.render(st.groups) for s in sorted(st.sims.values(), key=lambda s: s.id)],
            "groups": [g.render() for g in sorted(st.groups.values(), key=lambda g: g.id)],
            "users": [u.render() for u in sorted(st.users.values(), key=lambda u: u.id)],
            "company": st.company.render() if st.company else None,
            "bills": [b.render() for b in sorted(st.bills.values(), key=lambda b: b.id)],
            "queue": [t.render() for t in st.queue],
            "applied": [dict(a) for a in st.applied],
            "requests": self.request_log(),
            "webhooks": [dict(w) for w in st.webhooks],
            "faults": self.faults.list(),
            "now": self.now(),
        }


# Fields a server keeps out of its logs: a user's password (user/create, user/edit) and the
# old and new ones of user/password. The log shows that one was sent, not what it was.
SECRET_FIELDS = frozenset({"password", "old_password", "new_password"})
REDACTED = "***"


def _redacted(body: Any) -> Any:
    if isinstance(body, dict):
        return {k: (REDACTED if k in SECRET_FIELDS and v is not None else _redacted(v)) for k, v in body.items()}
    if isinstance(body, list):
        return [_redacted(v) for v in body]
    return body


# The API areas' rules, under the names the HTTP handlers, the control surface, the queue
# worker and tests call them by. Each function keeps its own @locked or @mutating;
# `ensure_group` has neither, as its callers already hold the lock.
AREA_METHODS = {
    tokens: ("authenticate", "role_of", "revoke_token", "issue_token"),
    sims: ("list_sims", "edit_sim", "enqueue", "pending_tasks", "run_task", "record_webhook"),
    groups: ("ensure_group", "list_groups", "create_group", "edit_group", "remove_group"),
    accounts: ("get_user", "edit_user", "change_password", "list_users", "create_user", "remove_user",
               "get_company", "list_bills", "get_bill", "bill_documents"),
    reports: ("report",),
    out_of_band: ("add_group", "add_user", "add_sim", "patch_sim", "create_sim"),
}


def _expose_area_methods() -> None:
    for area, names in AREA_METHODS.items():
        for name in names:
            setattr(Backend, name, getattr(area, name))


_expose_area_methods()
