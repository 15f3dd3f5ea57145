"""What other code relies on in the emulator's inner layout: the names `Backend` answers to,
the lock each of them takes, and the routes `create_app` serves. Tests over HTTP would
not notice a backend method that lost its lock or a route that moved, until a race or a
caller outside the tests did."""
from __future__ import annotations

import threading

import pytest

from pulumi_novaconnect.emulator import locking
from pulumi_novaconnect.emulator.app import create_app
from pulumi_novaconnect.emulator.backend import Backend
from pulumi_novaconnect.emulator.queue import QueueRunner

LOCKED = {
    "authenticate", "bill_documents", "clear_requests", "get_bill", "get_company", "get_user", "list_bills",
    "list_groups", "list_sims", "list_users", "log_request", "pending_tasks", "render_sim", "report",
    "request_log", "role_of", "snapshot",
}
MUTATING = {
    "add_group", "add_sim", "add_user", "change_password", "create_group", "create_sim", "create_user",
    "edit_group", "edit_sim", "edit_user", "enqueue", "issue_token", "patch_sim", "record_webhook",
    "remove_group", "remove_user", "reset", "revoke_token", "run_task", "set_clock",
}
# Not decorated: persist and the queue worker's two take the lock themselves, now reads one
# number, and ensure_group runs under its callers' lock.
PLAIN = {"ensure_group", "now", "persist", "wait_for_due_tasks", "wake_queue_worker"}

ROUTES = {
    ("/_emulator/clock", "GET"), ("/_emulator/clock", "POST"),
    ("/_emulator/faults", "GET"), ("/_emulator/faults", "POST"), ("/_emulator/faults", "DELETE"),
    ("/_emulator/notifications", "POST"), ("/_emulator/notifications", "GET"),
    ("/_emulator/notifications/paid", "POST"), ("/_emulator/notifications/url", "POST"),
    ("/_emulator/queue/drain", "POST"),
    ("/_emulator/requests", "GET"), ("/_emulator/requests", "DELETE"),
    ("/_emulator/reset", "POST"), ("/_emulator/sims", "POST"), ("/_emulator/sims/<iccid>", "POST"),
    ("/_emulator/state", "GET"), ("/_emulator/tokens", "POST"),
    ("/api/<path:method>", "POST"), ("/api/bill/download/<bill_id>", "GET"),
    ("/static/<path:filename>", "GET"),
}


def discipline(method) -> str:
    """Which of locking.py's wrappers `method` is: their code objects are constants of
    the decorators, whatever name functools.wraps gave the wrapper."""
    code = getattr(method, "__code__", None)
    if code in locking.locked.__code__.co_consts:
        return "locked"
    if code in locking.mutating.__code__.co_consts:
        return "mutating"
    return "plain"


def test_backend_answers_to_every_name_with_its_lock_discipline():
    public = {name for name in dir(Backend) if not name.startswith("_") and callable(getattr(Backend, name))}
    assert public == LOCKED | MUTATING | PLAIN
    assert {name: discipline(getattr(Backend, name)) for name in public} == {
        **{name: "locked" for name in LOCKED}, **{name: "mutating" for name in MUTATING},
        **{name: "plain" for name in PLAIN}}


def test_a_locked_method_waits_for_the_lock_held_elsewhere():
    backend = Backend(sims=3)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with backend.lock:
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait(5)
    answered = threading.Event()
    reader = threading.Thread(target=lambda: (backend.list_sims(page=0, size=10), answered.set()))
    reader.start()
    assert not answered.wait(0.2)  # blocked behind the other thread's lock
    release.set()
    assert answered.wait(5)
    thread.join()
    reader.join()


def test_a_mutating_method_rewrites_the_state_file(tmp_path):
    path = tmp_path / "state.json"
    backend = Backend(sims=3, state_file=str(path))
    backend.create_group("Rewritten")
    assert "Rewritten" in path.read_text()


@pytest.mark.parametrize("latency_ms", [0, 5])
def test_create_app_serves_the_same_routes(latency_ms):
    backend = Backend(sims=1)
    app = create_app(backend, QueueRunner(backend), latency_ms=latency_ms)
    served = {(rule.rule, verb) for rule in app.url_map.iter_rules()
              for verb in rule.methods - {"HEAD", "OPTIONS"}}
    assert served == ROUTES
    assert len(app.before_request_funcs.get(None, [])) == (1 if latency_ms else 0)
