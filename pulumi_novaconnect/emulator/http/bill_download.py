"""`GET /api/bill/download/<id>`: the one API route that answers a file, not JSON, so its
token, faults and errors each need their own turn (vendor: the token comes in the
Authorization header or as ?token=, for a plain link in a browser)."""
from __future__ import annotations

from flask import Blueprint, Response, request

from ..errors import ApiError, NotFound
from ..faults import Fault
from ..files import PDF_MIME, XLSX_MIME, bill_pdf, transcript_xlsx
from .armed_faults import apply_fault, garbled_response
from .helpers import bearer_token, current_backend, json_response, request_language

METHOD = "bill/download"  # the name faults and the request log know it by

blueprint = Blueprint("emulator_bill_download", __name__)


@blueprint.get("/api/bill/download/<bill_id>")
def bill_download(bill_id: str) -> Response:
    backend = current_backend()
    lang = request_language()
    token = bearer_token() or request.args.get("token")
    role = backend.role_of(token)
    mode = request.args.get("mode")
    logged = {"id": bill_id, "mode": mode}
    response = apply_fault(backend, METHOD, lang, role, logged, token)
    if isinstance(response, Fault):  # a file has no JSON body to garble: answer a bad one
        return garbled_response(backend, response, {"code": 200, "message": "ok"}, METHOD, role, logged)
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
        backend.log_request(METHOD, err.status, err.status, role, logged)
        return json_response(err.body(lang), err.status)
    backend.log_request(METHOD, 200, None, role, logged)
    name = f"{bill.bid}{'-transcript' if mode == 'transcript' else ''}.{ext}"
    return Response(data, status=200, content_type=mime,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
