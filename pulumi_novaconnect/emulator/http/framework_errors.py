"""Anything Flask rejects before a view runs (a GET on a POST method, an unknown path)
still answers in the platform's error shape (API.md decision 1), so a client meets one
error format whatever went wrong."""
from __future__ import annotations

from flask import Blueprint, Response, request
from werkzeug.exceptions import HTTPException

from ..i18n import translate
from .helpers import json_response, request_language

blueprint = Blueprint("emulator_framework_errors", __name__)


@blueprint.app_errorhandler(HTTPException)
def http_error(err: HTTPException) -> Response:
    if err.code == 405:
        message = translate("http_method", request_language(), verb=request.method, path=request.path)
    else:
        message = err.description or err.name
    return json_response({"code": err.code, "message": message}, err.code or 500)
