"""The emulator's whole mutable world, and its JSON form for `--state FILE`.

Everything a restart must keep lives in `State`; the request log and faults do not
(they describe one test run, not the platform).
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from typing import Any

from .models import Bill, Company, Group, Sim, Task, User


TEMP_PREFIX = ".emulator-state-"


def _fsync_directory(directory: str) -> None:
    """Make a rename in `directory` durable. Windows cannot open a folder for fsync;
    there the rename is as durable as NTFS makes it."""
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


@dataclass
class State:
    seed: int
    sims: dict[int, Sim] = field(default_factory=dict)
    groups: dict[int, Group] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    company: Company | None = None
    bills: dict[int, Bill] = field(default_factory=dict)
    queue: list[Task] = field(default_factory=list)  # pending, in the order they were queued
    applied: list[dict] = field(default_factory=list)  # finished tasks and their per-SIM result
    webhooks: list[dict] = field(default_factory=list)  # queue webhook deliveries
    next_ids: dict[str, int] = field(default_factory=dict)
    clock_offset: float = 0.0

    def new_id(self, kind: str, start: int) -> int:
        value = self.next_ids.get(kind, start)
        self.next_ids[kind] = value + 1
        return value

    def sim_by_iccid(self, iccid: str) -> Sim | None:
        return next((s for s in self.sims.values() if s.iccid == iccid), None)

    def group_by_name(self, name: str) -> Group | None:
        return next((g for g in self.groups.values() if g.name == name), None)

    # -- persistence -----------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        return {
            "seed": self.seed,
            "sims": [asdict(s) for s in self.sims.values()],
            "groups": [asdict(g) for g in self.groups.values()],
            "users": [asdict(u) for u in self.users.values()],
            "company": asdict(self.company) if self.company else None,
            "bills": [asdict(b) for b in self.bills.values()],
            "queue": [asdict(t) for t in self.queue],
            "applied": self.applied,
            "webhooks": self.webhooks,
            "next_ids": self.next_ids,
            "clock_offset": self.clock_offset,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "State":
        sims = [Sim.from_dict(s) for s in data["sims"]]
        groups = [Group(**g) for g in data["groups"]]
        users = [User(**u) for u in data["users"]]
        bills = [Bill(**b) for b in data["bills"]]
        return cls(
            seed=data["seed"],
            sims={s.id: s for s in sims},
            groups={g.id: g for g in groups},
            users={u.id: u for u in users},
            company=Company(**data["company"]) if data.get("company") else None,
            bills={b.id: b for b in bills},
            queue=[Task(**t) for t in data.get("queue", [])],
            applied=list(data.get("applied", [])),
            webhooks=list(data.get("webhooks", [])),
            next_ids={k: int(v) for k, v in data.get("next_ids", {}).items()},
            clock_offset=float(data.get("clock_offset", 0.0)),
        )

    def save(self, path: str) -> None:
        """Durable and atomic: the JSON goes to a temporary file beside the target, is
        fsync'ed, then renamed over the target (`os.replace`, atomic on POSIX and Windows),
        and the folder is fsync'ed so the rename itself survives a power cut. A kill -9 at
        any moment leaves either the previous complete file or the new complete one, never
        a half-written one: CI steps keep a fleet across runs with `--state FILE`."""
        directory = os.path.dirname(os.path.abspath(path))
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self.to_json(), fh, ensure_ascii=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        _fsync_directory(directory)

    @classmethod
    def load(cls, path: str) -> "State":
        with open(path, encoding="utf-8") as fh:
            return cls.from_json(json.load(fh))
