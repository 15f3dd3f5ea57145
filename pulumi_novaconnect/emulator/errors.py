"""Typed errors raised by the backend and the request parsing; each serialises itself.

API.md decision 1: the platform documents no error format, so the emulator answers the
shape the client is told to expect, `{"code": <status>, "message": "<text>"}`, with the
same HTTP status (a fault can make the HTTP status differ, see faults.py). Messages are
rendered late, in the caller's language, from an i18n key and its parameters.
"""
from __future__ import annotations

from .i18n import MESSAGES, translate


class ApiError(Exception):
    """An answer other than success. `status` is both the body `code` and the HTTP status."""

    status = 500

    def __init__(self, key: str, *, field: str | None = None, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.field = field
        self.params = params

    def message(self, lang: str) -> str:
        text = translate(self.key, lang, field=self.field, **self.params)
        # Validation texts name the field first: "params.text: at most 70 characters".
        if self.field and "{field}" not in MESSAGES[self.key][1]:
            return f"{self.field}: {text}"
        return text

    def body(self, lang: str) -> dict:
        return {"code": self.status, "message": self.message(lang)}

    def __str__(self) -> str:  # readable in tests and tracebacks
        return self.message("en")


class BadRequest(ApiError):
    """400: the body is not a JSON object."""

    status = 400


class Unauthorized(ApiError):
    """401: missing, unknown or deactivated token."""

    status = 401


class Forbidden(ApiError):
    """403: the role does not allow the call."""

    status = 403


class NotFound(ApiError):
    """404: unknown method or unknown ids (the message lists them)."""

    status = 404


class MethodNotAllowed(ApiError):
    """405: a GET where the platform takes POST."""

    status = 405


class ValidationError(ApiError):
    """422: a field breaks a documented rule; the message names the field and the rule."""

    status = 422


def sim_label(sim) -> str:
    """How errors name a SIM: its id (what the caller sent) and its ICCID (what people know)."""
    return f"{sim.id} (ICCID {sim.iccid})"
