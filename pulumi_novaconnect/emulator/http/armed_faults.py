"""An armed fault stands for the network or a proxy in front of the platform, so it acts
before the platform looks at the call, and it is logged as what the client saw."""
from __future__ import annotations

import socket
import time

from flask import Response, request

from ..faults import Fault, garble
from ..i18n import translate
from .helpers import json_response


def drop_connection() -> Response:
    """Close the socket without answering: the client sees a connection error. The body
    has been read already, so the peer gets a clean FIN rather than data into the void;
    werkzeug then fails to write the response and treats it as a dropped connection."""
    sock = request.environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    return Response(b"", status=500)


def apply_fault(backend, method: str, lang: str, role: str | None, body: object, token: str | None = None
                ) -> Response | Fault | None:
    """The answer an armed fault gives instead of the method's own, if any; a body fault
    is handed back, for the caller to garble the method's own answer with."""
    fault = backend.faults.take_http(method)
    if fault is None:
        return None
    if fault.revoke_token and token:
        backend.revoke_token(token)
    if fault.delay:
        time.sleep(fault.delay)
    if fault.drop:
        backend.log_request(method, None, None, role, body, fault="drop")
        return drop_connection()
    if fault.body is not None:
        return fault
    if fault.status is None:
        return None  # only a delay (or a revoked token): answer normally
    http_status = fault.http_status or fault.status
    answer = {"code": fault.status, "message": fault.message or translate("fault", lang, status=fault.status)}
    headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else None
    backend.log_request(method, http_status, fault.status, role, body, fault="status")
    return json_response(answer, http_status, headers)


def garbled_response(backend, fault: Fault, answer: dict, method: str, role: str | None, body: object
                     ) -> Response:
    """The call's own answer, garbled as a body fault says, with HTTP 200: the work is
    done, the caller just cannot read that it was."""
    text, content_type = garble(fault.body, answer)
    backend.log_request(method, 200, answer["code"], role, body, fault="body")
    return Response(text, status=200, content_type=content_type)
