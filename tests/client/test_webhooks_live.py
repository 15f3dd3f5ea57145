"""Queue webhooks as the emulator POSTs them, parsed with the client's webhook models."""
from __future__ import annotations

import http.server
import queue
import threading

import pytest

from pulumi_novaconnect.client.models import BLOCK_NONE, QueueWebhook, parse_webhook


@pytest.fixture()
def receiver():
    """A local HTTP endpoint collecting the bodies POSTed to it."""
    bodies: queue.Queue[bytes] = queue.Queue()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            bodies.put(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hook", bodies
    server.shutdown()


def test_queue_webhook_of_a_block_parses_and_names_the_ticket(admin, control, receiver, sim_where):
    url, bodies = receiver
    sim = sim_where(admin, lambda s: s.block == BLOCK_NONE)
    ticket = admin.sim_block([sim.id], callback_url=url)
    control.drain()
    hook = parse_webhook(bodies.get(timeout=5))
    assert isinstance(hook, QueueWebhook)
    assert hook.qid == ticket.queue_id and hook.handler == url
    assert [(s.id, s.block, s.queue_status) for s in hook.items] == [(sim.id, "u", "done")]
    assert hook.items[0].groups == []  # absent in webhooks
    assert hook.user.id == admin.user_get().id and hook.status.percentage == 100


def test_queue_webhook_reports_a_failed_item(admin, control, receiver, sim_where):
    url, bodies = receiver
    sim = sim_where(admin, lambda s: s.block == BLOCK_NONE)
    control.fault("sim/block", queue="fail")
    admin.sim_block([sim.id], callback_url=url)
    control.drain()
    hook = parse_webhook(bodies.get(timeout=5))
    assert hook.items[0].queue_status == "error" and hook.items[0].block == BLOCK_NONE
