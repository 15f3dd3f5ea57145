"""The platform's state and rules, with no knowledge of HTTP (moto's models.py split).

`Backend` is assembled from one mixin per API area (sims.py, accounts.py, groups.py,
reports.py); this module keeps what they share: the lock, the state, authentication,
the clock, persistence, the request log, programmatic seeding for tests and the
out-of-band changes of the control surface.

Every public method takes the one re-entrant lock, so the HTTP threads and the queue
worker see whole changes only; `@mutating` methods also write the state file.
"""
from __future__ import annotations

import os
import random
import threading
import time
from typing import Any, Callable

from .accounts import AccountsMixin
from .errors import NotFound, Unauthorized, ValidationError
from .faults import FaultRegistry
from .groups import GroupsMixin
from .locking import locked, mutating
from .models import BLOCKS, PROFILES, Limit, Sim, Tariff, User
from .reports import ReportsMixin
from .seed import (SIM_ID_START, USER_ID_START, build_state, default_limit, default_tariff, new_identity,
                   taken_identities)
from .sims import SimsMixin
from .state import State


class Backend(SimsMixin, AccountsMixin, GroupsMixin, ReportsMixin):
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
        self._rng = random.Random(seed)
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
        self._rng = random.Random(seed)
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

    # -- access ------------------------------------------------------------------------

    @locked
    def authenticate(self, token: str | None) -> User:
        """The user owning the token; a deactivated or removed user's token stops working."""
        if token:
            for user in self.state.users.values():
                if user.token == token and user.active:
                    return user
        raise Unauthorized("token")

    @mutating
    def revoke_token(self, token: str) -> None:
        """The token stops working (its user stays); a revoked token is not given back."""
        for user in self.state.users.values():
            if user.token == token:
                user.token = None

    @mutating
    def issue_token(self, user_id: int, token: str) -> User:
        """Give a user a new token, replacing any it had (404 for an unknown user)."""
        user = self.state.users.get(user_id)
        if user is None:
            raise NotFound("unknown_user", field="user_id", id=user_id)
        user.token = token
        return user

    @locked
    def role_of(self, token: str | None) -> str | None:
        try:
            return self.authenticate(token).role
        except Unauthorized:
            return None

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

    # -- programmatic seeding (tests) --------------------------------------------------

    @mutating
    def add_group(self, name: str) -> Any:
        """The group named `name`, created if missing."""
        return self.ensure_group(name)

    @mutating
    def add_user(self, *, first_name: str = "Test", last_name: str = "User", email: str | None = None,
                 phone: str = "77000000000", role: str = "user", active: bool = True,
                 password: str = "password", token: str | None = None) -> User:
        uid = self.state.new_id("user", USER_ID_START)
        user = User(id=uid, first_name=first_name, last_name=last_name, phone=phone,
                    email=email or f"user{uid}@example.kz", role=role, active=active,
                    password=password, token=token)
        self.state.users[uid] = user
        return user

    @mutating
    def add_sim(self, *, iccid: str | None = None, profile: str = "TC", name: str | None = None,
                block: str = "n", groups: list[str] | None = None, limit: dict | None = None,
                tariff: dict | None = None, **fields: Any) -> Sim:
        """A new SIM; anything not given gets a plausible default for its profile.
        Extra keyword arguments: number, external_number, balance, currency, msu_value, comment."""
        if profile not in PROFILES:
            raise ValidationError("one_of", field="profile", values=", ".join(PROFILES))
        if iccid is not None and not (isinstance(iccid, str) and iccid.isdigit()):
            raise ValidationError("str", field="iccid")
        if iccid is not None and self.state.sim_by_iccid(iccid):
            raise ValidationError("duplicate_iccid", field="iccid", iccid=iccid)
        gen_iccid, number, external = new_identity(taken_identities(self.state), self._rng)
        sim = Sim(id=0, iccid=iccid or gen_iccid, number=number, external_number=external,
                  profile=profile, limit=default_limit(profile), tariff=default_tariff(profile),
                  msu_value=0 if profile == "TC" else None)
        # Checked before the SIM joins the fleet, so a bad value leaves no half-made SIM.
        self._change_sim(sim, {"name": name, "block": block, "groups": groups or [], "limit": limit or {},
                               "tariff": tariff or {}, **fields})
        sim.id = self.state.new_id("sim", SIM_ID_START)
        self.state.sims[sim.id] = sim
        return sim

    # -- control surface: out-of-band changes (drift, platform blocks) -------------------

    @mutating
    def patch_sim(self, iccid: str, changes: dict) -> dict:
        sim = self.state.sim_by_iccid(iccid)
        if sim is None:
            raise NotFound("unknown_iccid", iccid=iccid)
        self._change_sim(sim, changes)
        return sim.render(self.state.groups)

    @mutating
    def create_sim(self, body: dict) -> dict:
        known = {"iccid", "profile", "name", "block", "groups", "limit", "tariff", "number",
                 "external_number", "balance", "currency", "msu_value", "comment"}
        sim = self.add_sim(**{k: v for k, v in body.items() if k in known})
        return sim.render(self.state.groups)

    def _change_sim(self, sim: Sim, changes: dict) -> None:
        """Apply a control-surface change. Values are checked, combinations are not: tests
        may need states the platform would never produce (e.g. `p` on a TC SIM)."""
        for key in ("name", "comment", "number", "external_number", "currency"):
            if key in changes:
                value = changes[key]
                if value is not None and not isinstance(value, str):
                    raise ValidationError("str", field=key)
                setattr(sim, key, value)
        if "profile" in changes:
            if changes["profile"] not in PROFILES:
                raise ValidationError("one_of", field="profile", values=", ".join(PROFILES))
            sim.profile = changes["profile"]
        if "block" in changes:
            if changes["block"] not in BLOCKS:
                raise ValidationError("one_of", field="block", values=", ".join(BLOCKS))
            sim.block = changes["block"]
        for key in ("balance", "msu_value"):
            if key in changes:
                value = changes[key]
                if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                    raise ValidationError("number", field=key)
                setattr(sim, key, value if value is not None else (0.0 if key == "balance" else None))
        if "groups" in changes:
            names = changes["groups"] or []
            if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
                raise ValidationError("list", field="groups")
            sim.group_ids = sorted({self.ensure_group(n).id for n in names})
        if "limit" in changes:
            sim.limit = Limit(**_merge(sim.limit, changes["limit"], "limit"))
        if "tariff" in changes:
            sim.tariff = Tariff(**_merge(sim.tariff, changes["tariff"], "tariff"))


def _merge(current: Any, partial: Any, field: str) -> dict:
    if not isinstance(partial, dict):
        raise ValidationError("object", field=field)
    merged = dict(vars(current))
    unknown = set(partial) - set(merged)
    if unknown:
        raise ValidationError("one_of", field=f"{field}.{sorted(unknown)[0]}", values=", ".join(merged))
    merged.update(partial)
    return merged


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
