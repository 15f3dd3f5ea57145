"""What every route needs from the request and for its answer. The routes are module-level
blueprints shared by every app, so the backend they serve hangs off the app they run in
(Flask's `extensions`), not off a closure."""
from __future__ import annotations

import json

from flask import Flask, Response, current_app, request

from ..i18n import pick_language

EXTENSION = "novaconnect_emulator"


def attach(app: Flask, backend, runner) -> None:
    app.extensions[EXTENSION] = (backend, runner)


def current_backend():
    return current_app.extensions[EXTENSION][0]


def current_runner():
    return current_app.extensions[EXTENSION][1]


def json_response(body: object, status: int = 200, headers: dict | None = None) -> Response:
    text = json.dumps(body, ensure_ascii=False)
    return Response(text, status=status, headers=headers, content_type="application/json; charset=utf-8")


def request_language() -> str:
    return pick_language(request.args.get("lang"))


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def read_body() -> tuple[object, bool]:
    """(parsed body, ok). An empty body counts as `{}` (user/get documents `{}`)."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}, True
    try:
        return json.loads(raw), True
    except ValueError:
        return raw.decode("utf-8", "replace"), False
