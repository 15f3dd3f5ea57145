"""SIM rules: sim/list, sim/edit and the queued operations. A queued call is checked in
full when it arrives and changes nothing until its task runs, as on the platform, so the
two halves live side by side here."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from .errors import NotFound, ValidationError, sim_label
from .groups import ensure_group
from .locking import locked, mutating
from .models import Limit, Sim, Task
from .seed import TD_TARIFFS


@dataclass(frozen=True)
class QueueMethod:
    runs_as: str  # what the platform actually executes
    queue: str  # the webhook's `queue` code
    profile: str | None  # the only profile the method works for, if any


QUEUE_METHODS = {
    "sim/block": QueueMethod("sim/block", "block", None),
    "sim/unblock": QueueMethod("sim/unblock", "unblock", None),
    # Vendor: "Метод перенаправляется на sim/disconnect" — the operators' PoD is unreliable.
    "sim/reconnect": QueueMethod("sim/disconnect", "disconnect", None),
    "sim/disconnect": QueueMethod("sim/disconnect", "disconnect", None),
    # Vendor: ping "works correctly for TD only" — a warning that it may not work on TC, not
    # a refusal; the platform queues it for any SIM.
    "sim/ping": QueueMethod("sim/ping", "ping", None),
    "sim/sms": QueueMethod("sim/sms", "sms", "TD"),
    "sim/limit": QueueMethod("sim/limit", "limit", "TC"),  # API.md decision 9
    "sim/tariff": QueueMethod("sim/tariff", "tariff", "TD"),  # API.md decision 9
    "sim/repackage": QueueMethod("sim/repackage", "repackage", "TD"),
    "sim/group": QueueMethod("sim/group", "group", None),
}


def _sort_key(field: str):
    """Sort on the values as rendered (a TD SIM's balance is 0, its msu_value null).
    NULLs sort first ascending (and so last descending), as MySQL does."""

    def key(sim: Sim) -> tuple:
        value = getattr(sim, field)
        if sim.profile != "TC" and field in ("balance", "msu_value"):
            value = 0.0 if field == "balance" else None
        return (value is not None, value if value is not None else 0)

    return key


def format_date(ts: int) -> str:
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


# -- sim/list ------------------------------------------------------------------------------
@locked
def list_sims(backend, *, page: int, size: int, profile: str | None = None,
              msu_block: bool | None = None, blocked: bool | None = None,
              query: str | None = None, sort: list[tuple[str, bool]] = ()) -> tuple[list[dict], int]:
    """One page of SIMs and how many match. `sort` is [(field, descending)], first key
    most significant; the base order is by id."""
    sims = sorted(backend.state.sims.values(), key=lambda s: s.id)
    if profile is not None:
        sims = [s for s in sims if s.profile == profile]
    if msu_block is not None:
        sims = [s for s in sims if (s.block == "m") == msu_block]
    if blocked is not None:
        # Vendor: false -> block n only; true -> block u, p, m, g or f.
        sims = [s for s in sims if (s.block != "n") == blocked]
    if query:
        # API.md decision 10: the "universal search field" syntax page is missing;
        # a case-insensitive substring of ICCID, number, external number or name.
        needle = query.casefold()
        sims = [s for s in sims if any(needle in (v or "").casefold()
                                       for v in (s.iccid, s.number, s.external_number, s.name))]
    for field, descending in reversed(list(sort)):
        sims.sort(key=_sort_key(field), reverse=descending)
    return [s.render(backend.state.groups) for s in sims[page * size:(page + 1) * size]], len(sims)


# -- sim/edit (synchronous) ----------------------------------------------------------------
@mutating
def edit_sim(backend, sim_id: int, name: str) -> dict:
    sim = _sims_by_id(backend, [sim_id], field="id")[0]
    sim.name = name
    return {"id": sim.id, "name": sim.name}


# -- queued methods: checks at enqueue time ------------------------------------------------
def _sims_by_id(backend, ids: list[int], *, field: str = "items") -> list[Sim]:
    missing = [i for i in ids if i not in backend.state.sims]
    if missing:
        raise NotFound("unknown_sims", field=field, ids=", ".join(map(str, missing)))
    return [backend.state.sims[i] for i in ids]


@mutating
def enqueue(backend, user, method: str, sim_ids: list[int], params: dict[str, Any],
            callback_url: str | None) -> str:
    """Check every listed SIM now (the whole request fails on one bad SIM), queue the
    task, answer its id; the change shows in sim/list only once the task has run."""
    spec = QUEUE_METHODS[method]
    sims = _sims_by_id(backend, sim_ids)
    if spec.profile:
        wrong = [s for s in sims if s.profile != spec.profile]
        if wrong:
            raise ValidationError("profile_only", field="items", method=method, profile=spec.profile,
                                  sims=", ".join(sim_label(s) for s in wrong))
    if method == "sim/tariff":
        _check_change_lock(backend, sims)
    if method == "sim/group":
        missing = [g for g in params.get("group", []) if g not in backend.state.groups]
        if missing:
            raise NotFound("unknown_groups", field="group", ids=", ".join(map(str, missing)))
    fault = backend.faults.take_queue((method, spec.runs_as), {s.id: s.iccid for s in sims})
    number = backend.state.new_id("queue", 1)
    task = Task(queue_id=f"q-{number}", method=spec.runs_as, sim_ids=list(sim_ids), params=params,
                callback_url=callback_url, user_id=user.id, added=backend.now(),
                due=time.time() + backend.queue_delay,
                fault=fault[0] if fault else None, fault_sim_ids=fault[1] if fault else None)
    backend.state.queue.append(task)
    backend.wake_queue_worker()
    return task.queue_id


def _check_change_lock(backend, sims: list[Sim]) -> None:
    # API.md decision 6: change_lock may be a timestamp or a bool; the emulator never
    # sets it by itself, only the control surface does.
    now = backend.now()
    locked_sims = []
    for sim in sims:
        lock = sim.tariff.change_lock
        if lock is True:
            locked_sims.append(f"{sim_label(sim)} ?")
        elif isinstance(lock, (int, float)) and not isinstance(lock, bool) and lock > now:
            locked_sims.append(f"{sim_label(sim)} {format_date(int(lock))} ({int(lock)})")
    if locked_sims:
        raise ValidationError("change_lock", field="items", sims=", ".join(locked_sims))


# -- queued methods: effects when the task runs --------------------------------------------
@locked
def pending_tasks(backend, *, due_before: float | None = None) -> list[Task]:
    """Pending tasks in queue order, without the ones a "never" fault holds."""
    return [t for t in backend.state.queue if t.fault != "never"
            and (due_before is None or t.due <= due_before)]


@mutating
def run_task(backend, task: Task) -> tuple[bool, dict | None]:
    """Apply one task to its SIMs: (whether it ran here, the webhook to deliver).
    Tasks run in queue order, so for any one SIM a later task never lands before an
    earlier one."""
    if not any(t is task for t in backend.state.queue):
        return False, None  # already run by another thread (worker vs drain) or reset away
    backend.state.queue = [t for t in backend.state.queue if t is not task]
    results: list[tuple[Sim, str]] = []
    group_ids: list[int] | None = None
    for sim_id in task.sim_ids:
        sim = backend.state.sims.get(sim_id)
        if sim is None:
            continue
        failed = task.fault == "fail" and (task.fault_sim_ids is None or sim_id in task.fault_sim_ids)
        if not failed and task.method == "sim/group" and group_ids is None:
            group_ids = _task_groups(backend, task.params)
        ok = not failed and _apply(backend, task, sim, group_ids)
        results.append((sim, "done" if ok else "error"))
    backend.state.applied.append({
        "queue_id": task.queue_id, "method": task.method, "params": task.params, "finished": backend.now(),
        "items": [{"id": s.id, "iccid": s.iccid, "queue_status": st} for s, st in results],
    })
    if not task.callback_url:
        return True, None
    return True, {"url": task.callback_url, "queue_id": task.queue_id,
                  "body": _webhook_body(backend, task, results)}


def _task_groups(backend, params: dict) -> list[int]:
    """API.md decision 4: the SIM's groups become exactly group ∪ new_group; names in
    new_group are created now, an existing name is reused (vendor, sim/group)."""
    ids = [g for g in params.get("group", []) if g in backend.state.groups]
    ids += [ensure_group(backend, name).id for name in params.get("new_group", [])]
    return sorted(set(ids))


def _apply(backend, task: Task, sim: Sim, group_ids: list[int] | None) -> bool:
    """One SIM's part of a task; False means queue_status "error" and no change."""
    method, params = task.method, task.params
    # API.md decision 8: only `u` is the user's to set and clear; `p` is cleared by
    # sim/repackage; m (irreversible), f and g belong to the platform.
    if method == "sim/block":
        if sim.block == "n":
            sim.block = "u"
        return sim.block == "u"
    if method == "sim/unblock":
        if sim.block == "u":
            sim.block = "n"
        return sim.block == "n"
    if method == "sim/repackage":
        if sim.block == "p":
            sim.block = "n"
        return True
    if method == "sim/limit":
        sim.limit = Limit(type=params["type"], value=params["value"], used=sim.limit.used,
                          updated=sim.limit.updated, created=backend.now())
        return True
    if method == "sim/tariff":
        # API.md decision 9: the package shows in `limit`, in MB, p_unlim iff auto-renewal.
        auto = params["auto_package"]
        sim.limit = Limit(type="p_unlim" if auto else "p_lim", value=params["value"] // 1024,
                          used=sim.limit.used, updated=sim.limit.updated, created=backend.now())
        sim.tariff.package_auto = auto
        if params.get("all_world") is not None:
            sim.tariff.id, sim.tariff.name = TD_TARIFFS["mega" if params["all_world"] else "light"]
        return True
    if method == "sim/group":
        sim.group_ids = list(group_ids or [])
        return True
    return True  # disconnect, ping, sms: nothing in the SIM's state changes


def _webhook_body(backend, task: Task, results: list[tuple[Sim, str]]) -> dict:
    """The vendor's queue webhook; its SIMs carry queue_status and no groups."""
    user = backend.state.users.get(task.user_id)
    items = []
    for sim, status in results:
        item = sim.render(backend.state.groups, with_groups=False)
        item["queue_status"] = status
        items.append(item)
    return {
        "qid": task.queue_id,
        "added": task.added,
        "queue": QUEUE_METHODS[task.method].queue,
        "handler": task.callback_url,
        "items": items,
        "user": {
            "id": task.user_id,
            "first_name": user.first_name if user else None,
            "last_name": user.last_name if user else None,
            "company_id": backend.state.company.id if backend.state.company else None,
        },
        "status": {"count": len(results), "process": len(results), "percentage": 100},
    }


@mutating
def record_webhook(backend, delivery: dict) -> None:
    backend.state.webhooks.append(delivery)
