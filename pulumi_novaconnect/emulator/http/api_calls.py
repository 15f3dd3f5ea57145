"""`POST /api/<method>`, every API method's one route. Its checks run in a fixed order
because a client tells failures apart by which comes first: an armed fault (the network
or a proxy in front of the platform), unknown method (404), token (401), body (400),
role (403), fields (422), then the backend's ids and state rules (404/422). Whatever
happened, the call is logged once, with the answer the client got.
"""
from __future__ import annotations

import traceback

from flask import Blueprint, Response

from ..errors import ApiError, BadRequest, Forbidden, NotFound
from ..faults import Fault
from ..i18n import translate
from ..request_fields import Fields
from ..responses import METHODS, Call
from .armed_faults import apply_fault, garbled_response
from .helpers import bearer_token, current_backend, json_response, read_body, request_language

blueprint = Blueprint("emulator_api_calls", __name__)


@blueprint.post("/api/<path:method>")
def api_call(method: str) -> Response:
    backend = current_backend()
    lang = request_language()
    token = bearer_token()
    role = backend.role_of(token)
    body, body_ok = read_body()
    response = apply_fault(backend, method, lang, role, body, token)
    garbling = response if isinstance(response, Fault) else None
    if response is not None and garbling is None:
        return response
    answer, status = _answer(backend, method, lang, token, body, body_ok)
    if garbling is not None:
        return garbled_response(backend, garbling, answer, method, role, body)
    backend.log_request(method, status, answer["code"], role, body)
    return json_response(answer, status)


def _answer(backend, method: str, lang: str, token: str | None, body: object, body_ok: bool
            ) -> tuple[dict, int]:
    """The method's answer in the platform's envelope, and its HTTP status."""
    try:
        endpoint = METHODS.get(method)
        if endpoint is None:
            raise NotFound("unknown_method", method=method)
        user = backend.authenticate(token)
        if not body_ok or not isinstance(body, dict):
            raise BadRequest("bad_body")
        if endpoint.admin_only and user.role != "admin":
            raise Forbidden("admin_only", method=method)
        payload = endpoint.handler(Call(backend, user, Fields(body), method))
        return {"code": 200, "message": translate(endpoint.message, lang), **payload}, 200
    except ApiError as err:
        return err.body(lang), err.status
    except Exception as err:  # a bug in the emulator: say so instead of a bare 500 page
        traceback.print_exc()
        return {"code": 500, "message": translate("internal", lang, error=repr(err))}, 500
