"""The control surface under `/_emulator/`: no token and English messages, because its
callers are tests and their helpers, not the platform's clients. Other engineers' tests
depend on these exact paths and bodies; docs/emulator.md lists them with examples.
"""
from __future__ import annotations

import json

from flask import Blueprint, Response, request

from .. import notifications
from ..errors import ApiError, BadRequest
from ..faults import parse_fault
from ..request_fields import Fields
from .helpers import current_backend, current_runner, json_response

blueprint = Blueprint("emulator_control", __name__, url_prefix="/_emulator")


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


@blueprint.errorhandler(ApiError)
def api_error(err: ApiError) -> Response:
    return json_response(err.body("en"), err.status)


@blueprint.post("/reset")
def reset() -> Response:
    fields = Fields(_body())
    fleet = current_backend().reset(sims=fields.int("sims", min=0), seed=fields.int("seed"))
    return json_response({"ok": True, **fleet})


@blueprint.get("/state")
def state() -> Response:
    return json_response(current_backend().snapshot())


@blueprint.get("/requests")
def requests_log() -> Response:
    return json_response(current_backend().request_log())


@blueprint.delete("/requests")
def clear_requests() -> Response:
    current_backend().clear_requests()
    return json_response({"ok": True})


@blueprint.post("/sims/<iccid>")
def patch_sim(iccid: str) -> Response:
    return json_response(current_backend().patch_sim(iccid, _body()))


@blueprint.post("/sims")
def create_sim() -> Response:
    return json_response(current_backend().create_sim(_body()), 201)


@blueprint.get("/faults")
def list_faults() -> Response:
    return json_response(current_backend().faults.list())


@blueprint.post("/faults")
def add_fault() -> Response:
    fault = parse_fault(_body())
    faults = current_backend().faults
    faults.add(fault)
    return json_response({"ok": True, "faults": faults.list()})


@blueprint.delete("/faults")
def clear_faults() -> Response:
    current_backend().faults.clear()
    return json_response({"ok": True})


@blueprint.post("/tokens")
def issue_token() -> Response:
    # A new access token for a user, as the web UI issues one after a revocation.
    fields = Fields(_body())
    user = current_backend().issue_token(fields.int("user_id", required=True),
                                         fields.str("token", required=True, not_empty=True))
    return json_response({"user_id": user.id, "token": user.token})


@blueprint.post("/queue/drain")
def drain() -> Response:
    return json_response({"applied": current_runner().drain()})


@blueprint.get("/clock")
def clock() -> Response:
    return json_response({"now": current_backend().now()})


@blueprint.post("/clock")
def set_clock() -> Response:
    body = _body()
    for key in ("now", "advance"):
        value = body.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            raise BadRequest("bad_body")
    return json_response({"now": current_backend().set_clock(now=body.get("now"), advance=body.get("advance"))})


@blueprint.post("/notifications/url")
def notification_url() -> Response:
    return json_response(notifications.configure(current_backend(), Fields(_body()).url("url")))


@blueprint.post("/notifications")
def raise_notification() -> Response:
    return json_response(notifications.raise_notification(current_backend(), _body()))


@blueprint.get("/notifications")
def notification_log() -> Response:
    return json_response(notifications.deliveries(current_backend()))


@blueprint.post("/notifications/paid")
def bill_paid() -> Response:
    return json_response(notifications.paid(current_backend()))
