"""The control surface under `/_emulator/`: no token, English messages, for tests.

Other engineers' tests depend on these exact paths and bodies; docs/emulator.md lists
them with examples.
"""
from __future__ import annotations

import json

from flask import Blueprint, Response, request

from .errors import ApiError, BadRequest
from .faults import parse_fault
from . import notifications
from .request_fields import Fields


def _json(body: object, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    content_type="application/json; charset=utf-8")


def _body() -> dict:
    raw = request.get_data()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise BadRequest("bad_body") from None
    if not isinstance(body, dict):
        raise BadRequest("bad_body")
    return body


def create_control_blueprint(backend, runner) -> Blueprint:
    bp = Blueprint("emulator_control", __name__, url_prefix="/_emulator")

    @bp.errorhandler(ApiError)
    def api_error(err: ApiError) -> Response:
        return _json(err.body("en"), err.status)

    @bp.post("/reset")
    def reset() -> Response:
        fields = Fields(_body())
        fleet = backend.reset(sims=fields.int("sims", min=0), seed=fields.int("seed"))
        return _json({"ok": True, **fleet})

    @bp.get("/state")
    def state() -> Response:
        return _json(backend.snapshot())

    @bp.get("/requests")
    def requests_log() -> Response:
        return _json(backend.request_log())

    @bp.delete("/requests")
    def clear_requests() -> Response:
        backend.clear_requests()
        return _json({"ok": True})

    @bp.post("/sims/<iccid>")
    def patch_sim(iccid: str) -> Response:
        return _json(backend.patch_sim(iccid, _body()))

    @bp.post("/sims")
    def create_sim() -> Response:
        return _json(backend.create_sim(_body()), 201)

    @bp.get("/faults")
    def list_faults() -> Response:
        return _json(backend.faults.list())

    @bp.post("/faults")
    def add_fault() -> Response:
        fault = parse_fault(_body())
        backend.faults.add(fault)
        return _json({"ok": True, "faults": backend.faults.list()})

    @bp.delete("/faults")
    def clear_faults() -> Response:
        backend.faults.clear()
        return _json({"ok": True})

    @bp.post("/tokens")
    def issue_token() -> Response:
        # A new access token for a user, as the web UI issues one after a revocation.
        fields = Fields(_body())
        user = backend.issue_token(fields.int("user_id", required=True),
                                   fields.str("token", required=True, not_empty=True))
        return _json({"user_id": user.id, "token": user.token})

    @bp.post("/queue/drain")
    def drain() -> Response:
        return _json({"applied": runner.drain()})

    @bp.get("/clock")
    def clock() -> Response:
        return _json({"now": backend.now()})

    @bp.post("/clock")
    def set_clock() -> Response:
        body = _body()
        for key in ("now", "advance"):
            value = body.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise BadRequest("bad_body")
        return _json({"now": backend.set_clock(now=body.get("now"), advance=body.get("advance"))})

    @bp.post("/notifications/url")
    def notification_url() -> Response:
        return _json(notifications.configure(backend, Fields(_body()).url("url")))

    @bp.post("/notifications")
    def raise_notification() -> Response:
        return _json(notifications.raise_notification(backend, _body()))

    @bp.get("/notifications")
    def notification_log() -> Response:
        return _json(notifications.deliveries(backend))

    @bp.post("/notifications/paid")
    def bill_paid() -> Response:
        return _json(notifications.paid(backend))

    return bp
