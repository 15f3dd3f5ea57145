"""`Emulator`: the backend, its queue worker and the Flask app served by werkzeug's
threaded server in a daemon thread — start/stop/url for tests, as moto's server does."""
from __future__ import annotations

import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from .app import create_app
from .backend import Backend
from .queue import QueueRunner


class _QuietHandler(WSGIRequestHandler):
    """No access log line per request: tests make thousands of calls."""

    def log_request(self, *args, **kwargs) -> None:
        pass


class Emulator:
    def __init__(self, host: str = "127.0.0.1", port: int = 0, sims: int = 50, seed: int = 1,
                 admin_token: str = "admin-token", user_token: str = "user-token",
                 queue_delay: float = 0.5, state_file: str | None = None, verbose: bool = False,
                 max_items: int | None = None, latency_ms: float = 0) -> None:
        self.host = host
        self.port = port
        self.verbose = verbose
        self.backend = Backend(sims=sims, seed=seed, admin_token=admin_token, user_token=user_token,
                               queue_delay=queue_delay, state_file=state_file, max_items=max_items)
        self.latency_ms = latency_ms
        self.runner = QueueRunner(self.backend)
        self.app = create_app(self.backend, self.runner, latency_ms=latency_ms)
        self._server = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        """Base URL of the API, without a trailing slash: `http://127.0.0.1:<port>/api`."""
        return f"{self.base_url}/api"

    @property
    def control_url(self) -> str:
        return f"{self.base_url}/_emulator"

    def start(self) -> "Emulator":
        if self._server is not None:
            return self
        handler = WSGIRequestHandler if self.verbose else _QuietHandler
        self._server = make_server(self.host, self.port, self.app, threaded=True, request_handler=handler)
        self.port = self._server.socket.getsockname()[1]
        # A short poll interval makes stop() quick (shutdown waits for the next poll).
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="novaconnect-emulator", daemon=True)
        self._thread.start()
        self.runner.start()
        return self

    def reset(self, sims: int | None = None, seed: int | None = None) -> None:
        """Back to the seeded fleet (as `POST /_emulator/reset`); faults, pending tasks,
        webhooks and the request log are cleared. `None` keeps the constructor's values."""
        self.backend.reset(sims=sims, seed=seed)

    def stop(self) -> None:
        self.runner.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "Emulator":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
