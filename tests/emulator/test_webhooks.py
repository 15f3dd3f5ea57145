"""Queue webhooks: POSTed to callbackUrl when a task is done, recorded in the state."""
from __future__ import annotations

import http.server
import json
import queue
import socket
import threading

import pytest


@pytest.fixture()
def receiver():
    """A tiny HTTP endpoint on 127.0.0.1 collecting the JSON bodies POSTed to it."""
    bodies: queue.Queue = queue.Queue()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's naming)
            length = int(self.headers["Content-Length"])
            bodies.put((self.headers.get("Content-Type"), json.loads(self.rfile.read(length))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook", bodies
    server.shutdown()
    server.server_close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_webhook_is_posted_when_a_queue_task_completes(slow_api, receiver):
    url, bodies = receiver
    sim = slow_api.sim_where(lambda s: s["block"] == "n")
    queue_id = slow_api.ok("sim/block", {"items": [sim["id"]], "callbackUrl": url})["result"]["item"]["queue_id"]
    assert bodies.empty()
    slow_api.drain()
    content_type, body = bodies.get(timeout=5)
    assert content_type == "application/json"
    assert set(body) == {"qid", "added", "queue", "handler", "items", "user", "status"}
    assert body["qid"] == queue_id and body["handler"] == url and isinstance(body["added"], int)
    assert body["queue"] == "block"
    assert body["user"] == {"id": 11, "first_name": "Aigerim", "last_name": "Sadykova", "company_id": 77}
    assert body["status"] == {"count": 1, "process": 1, "percentage": 100}
    [item] = body["items"]
    assert item["id"] == sim["id"] and item["block"] == "u" and item["queue_status"] == "done"
    assert "groups" not in item  # vendor: absent in webhook notifications


def test_webhook_is_posted_by_the_worker_without_a_drain(api, receiver):
    url, bodies = receiver
    sim = api.sim_where(lambda s: s["block"] == "n")
    api.ok("sim/block", {"items": [sim["id"]], "callbackUrl": url})
    _, body = bodies.get(timeout=5)
    assert body["items"][0]["queue_status"] == "done"


def test_webhook_marks_items_the_task_could_not_change_as_error(slow_api, receiver):
    url, bodies = receiver
    free, msu = (slow_api.sim_where(lambda s, b=b: s["block"] == b) for b in ("n", "m"))
    slow_api.ok("sim/unblock", {"items": [free["id"], msu["id"]], "callbackUrl": url})
    slow_api.drain()
    _, body = bodies.get(timeout=5)
    assert {i["id"]: i["queue_status"] for i in body["items"]} == {free["id"]: "done", msu["id"]: "error"}
    assert body["status"]["count"] == 2


def test_webhook_deliveries_are_recorded_in_the_state(slow_api, receiver):
    url, bodies = receiver
    slow_api.ok("sim/disconnect", {"items": [1001], "callbackUrl": url})
    slow_api.drain()
    bodies.get(timeout=5)
    [delivery] = slow_api.state()["webhooks"]
    assert delivery["url"] == url and delivery["http_status"] == 204 and delivery["error"] is None
    assert delivery["body"]["queue"] == "disconnect"


def test_an_unreachable_webhook_is_recorded_as_failed_and_the_task_still_applies(slow_api):
    url = f"http://127.0.0.1:{_free_port()}/nobody-listens"
    sim = slow_api.sim_where(lambda s: s["block"] == "n")
    slow_api.ok("sim/block", {"items": [sim["id"]], "callbackUrl": url})
    slow_api.drain()
    [delivery] = slow_api.state()["webhooks"]
    assert delivery["http_status"] is None and delivery["error"]
    assert slow_api.sim(sim["id"])["block"] == "u"


def test_no_webhook_without_a_callback_url(slow_api):
    slow_api.ok("sim/block", {"items": [1001]})
    slow_api.drain()
    assert slow_api.state()["webhooks"] == []
