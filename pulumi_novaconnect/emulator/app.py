"""The one place the HTTP side is put together, so that the server and any test wanting
a WSGI app get the same routes in the same order; each route lives in `http/`."""
from __future__ import annotations

import functools

from flask import Flask

from .http import api_calls, bill_download, control, framework_errors
from .http.helpers import attach
from .http.latency import delay_api_answers


def create_app(backend, runner, *, latency_ms: float = 0) -> Flask:
    """`latency_ms` delays every answer under `/api/` (never the control surface), so a
    benchmark can price calls the way a distant platform does."""
    app = Flask("pulumi_novaconnect.emulator")
    attach(app, backend, runner)
    if latency_ms > 0:
        app.before_request(functools.partial(delay_api_answers, latency_ms / 1000))
    for routes in (api_calls, bill_download, framework_errors, control):
        app.register_blueprint(routes.blueprint)
    return app
