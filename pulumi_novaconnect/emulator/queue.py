"""The asynchronous side of the queued SIM methods: a worker thread that runs each task
`queue_delay` seconds after it was queued, and the queue webhooks.

Tasks run strictly in the order they were queued; with one fixed delay that also keeps
every SIM's tasks in order (a later block never lands before an earlier unblock). The
worker waits in `backend.wait_for_due_tasks`, so a new task, a reset or `stop()` wakes it
at once. Webhooks are posted outside the lock: a receiver that calls back into the
emulator must not deadlock it.
"""
from __future__ import annotations

import threading

import requests

WEBHOOK_TIMEOUT = 2.0  # seconds; delivery is best-effort, one attempt


class QueueRunner:
    def __init__(self, backend) -> None:
        self.backend = backend
        self._stop = False
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop = False
        self._thread = threading.Thread(target=self._loop, name="novaconnect-queue", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop = True
        self.backend.wake_queue_worker()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def _loop(self) -> None:
        while (due := self.backend.wait_for_due_tasks(lambda: self._stop)) is not None:
            self._run(due)

    def _run(self, tasks) -> int:
        """Run tasks in order, each webhook delivered right after its task; returns how
        many this call ran (another thread may have run some of them first)."""
        ran = 0
        for task in tasks:
            done, delivery = self.backend.run_task(task)
            ran += done
            if delivery is not None:
                self.deliver(delivery)
        return ran

    def drain(self) -> int:
        """Run every pending task now (not the ones a "never" fault holds), in queue
        order; webhooks are delivered before this returns. Returns how many ran."""
        ran = 0
        while tasks := self.backend.pending_tasks():
            ran += self._run(tasks)
        return ran

    def deliver(self, delivery: dict) -> None:
        record = {"queue_id": delivery["queue_id"], "url": delivery["url"], "body": delivery["body"],
                  "at": self.backend.now(), "http_status": None, "error": None}
        try:
            response = requests.post(delivery["url"], json=delivery["body"], timeout=WEBHOOK_TIMEOUT)
            record["http_status"] = response.status_code
        except requests.RequestException as exc:
            record["error"] = f"{type(exc).__name__}: {exc}"
        self.backend.record_webhook(record)
