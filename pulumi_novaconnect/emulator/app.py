"""The Flask app: the HTTP side only. Routing, the token, the language, the JSON body,
armed faults, the request log and the answer envelope; the rules are the backend's.

Order of checks for `POST /api/<method>`: an armed fault first (it stands for the
network or a proxy in front of the platform), then unknown method (404), token (401),
body (400), role (403), fields (422), ids and state rules (404/422).
"""
from __future__ import annotations

import json
import socket
import time
import traceback

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from .control import create_control_blueprint
from .errors import ApiError, BadRequest, Forbidden, NotFound
from .faults import Fault, garble
from .files import PDF_MIME, XLSX_MIME, bill_pdf, transcript_xlsx
from .i18n import pick_language, translate
from .responses import METHODS, Call
from .request_fields import Fields

DOWNLOAD_METHOD = "bill/download"


def json_response(body: dict, status: int = 200, headers: dict | None = None) -> Response:
    text = json.dumps(body, ensure_ascii=False)
    return Response(text, status=status, headers=headers, content_type="application/json; charset=utf-8")


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


def create_app(backend, runner, *, latency_ms: float = 0) -> Flask:
    """`latency_ms` delays every answer under `/api/` (never the control surface), so a
    benchmark can price calls the way a distant platform does; loopback answers in
    microseconds, which would make a thousand small calls look as cheap as one."""
    app = Flask("pulumi_novaconnect.emulator")

    if latency_ms > 0:
        @app.before_request
        def network_latency() -> None:
            if request.path.startswith("/api/"):
                time.sleep(latency_ms / 1000)

    def apply_fault(method: str, lang: str, role: str | None, body: object, token: str | None = None
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

    @app.post("/api/<path:method>")
    def api_call(method: str) -> Response:
        lang = pick_language(request.args.get("lang"))
        token = bearer_token()
        role = backend.role_of(token)
        body, body_ok = read_body()
        response = apply_fault(method, lang, role, body, token)
        garbling = response if isinstance(response, Fault) else None
        if response is not None and garbling is None:
            return response
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
            answer, status = {"code": 200, "message": translate(endpoint.message, lang), **payload}, 200
        except ApiError as err:
            answer, status = err.body(lang), err.status
        except Exception as err:  # a bug in the emulator: say so instead of a bare 500 page
            traceback.print_exc()
            answer, status = {"code": 500, "message": translate("internal", lang, error=repr(err))}, 500
        if garbling is not None:
            text, content_type = garble(garbling.body, answer)
            backend.log_request(method, 200, answer["code"], role, body, fault="body")
            return Response(text, status=200, content_type=content_type)
        backend.log_request(method, status, answer["code"], role, body)
        return json_response(answer, status)

    @app.get("/api/bill/download/<bill_id>")
    def bill_download(bill_id: str) -> Response:
        # Vendor: the token comes in the Authorization header or as ?token=.
        lang = pick_language(request.args.get("lang"))
        token = bearer_token() or request.args.get("token")
        role = backend.role_of(token)
        mode = request.args.get("mode")
        logged = {"id": bill_id, "mode": mode}
        response = apply_fault(DOWNLOAD_METHOD, lang, role, logged, token)
        if isinstance(response, Fault):  # a file has no JSON body to garble: answer a bad one
            text, content_type = garble(response.body, {"code": 200, "message": "ok"})
            backend.log_request(DOWNLOAD_METHOD, 200, 200, role, logged, fault="body")
            return Response(text, status=200, content_type=content_type)
        if response is not None:
            return response
        try:
            backend.authenticate(token)
            if not bill_id.isdigit():
                raise NotFound("unknown_bill", id=bill_id)
            bill, company, sims = backend.bill_documents(int(bill_id))
            if mode == "transcript":
                data, mime, ext = transcript_xlsx(bill, sims), XLSX_MIME, "xlsx"
            else:
                data, mime, ext = bill_pdf(bill, company), PDF_MIME, "pdf"
        except ApiError as err:
            backend.log_request(DOWNLOAD_METHOD, err.status, err.status, role, logged)
            return json_response(err.body(lang), err.status)
        backend.log_request(DOWNLOAD_METHOD, 200, None, role, logged)
        name = f"{bill.bid}{'-transcript' if mode == 'transcript' else ''}.{ext}"
        return Response(data, status=200, content_type=mime,
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> Response:
        # Anything Flask rejects before a view runs (a GET on a POST method, an unknown
        # path) still answers in the platform's error shape (API.md decision 1).
        if err.code == 405:
            message = translate("http_method", pick_language(request.args.get("lang")),
                                verb=request.method, path=request.path)
        else:
            message = err.description or err.name
        return json_response({"code": err.code, "message": message}, err.code or 500)

    app.register_blueprint(create_control_blueprint(backend, runner))
    return app
