"""One error hierarchy for every NovaConnect call.

The vendor documents no error format (API.md decision 1), so the client treats as an error
any non-2xx HTTP status, any body whose ``code`` is not 200 (even under HTTP 200) and any
body that is not JSON. When the body carries a ``code``, that code picks the class: the
platform is known to answer errors with HTTP 200, and the body is then the only truth.

Every error names the API method it came from, the HTTP status, the body code, the
platform's message and the raw body, and reads like::

    sim/limit: HTTP 422, code 422: params.type: must be off or month1
"""
from __future__ import annotations

from typing import Any

__all__ = [
    "NovaConnectError",
    "AuthenticationError",
    "PermissionDeniedError",
    "NotFoundError",
    "ValidationError",
    "RateLimitError",
    "ServerError",
    "ProtocolError",
    "TransportError",
    "error_for",
]


class NovaConnectError(Exception):
    """Base class: the platform refused a call, or the call never got a usable answer.

    Attributes:
        method: the API method called, e.g. ``"sim/limit"`` or ``"bill/download"``.
        http_status: the HTTP status, or ``None`` when no answer arrived.
        code: the ``code`` field of the JSON body, or ``None`` when there was none.
        message: the platform's ``message`` (its language follows the client's ``lang``),
            or our own description for errors raised on this side.
        body: the parsed JSON body (a dict), the body text when it was not JSON, or ``None``.
        attempts: how many attempts the retry policy made before giving up.
    """

    def __init__(
        self,
        method: str,
        message: str,
        *,
        http_status: int | None = None,
        code: int | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.method = method
        self.message = message
        self.http_status = http_status
        self.code = code
        self.body = body
        self.attempts = 1

    def __str__(self) -> str:
        parts = []
        if self.http_status is not None:
            parts.append(f"HTTP {self.http_status}")
        if self.code is not None:
            parts.append(f"code {self.code}")
        head = f"{self.method}: {', '.join(parts)}: " if parts else f"{self.method}: "
        tail = f" (after {self.attempts} attempts)" if self.attempts > 1 else ""
        return f"{head}{self.message}{tail}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(method={self.method!r}, http_status={self.http_status!r}, "
            f"code={self.code!r}, message={self.message!r})"
        )


class AuthenticationError(NovaConnectError):
    """401: the token is unknown or revoked. Create a token in the web UI (profile → access tokens)."""


class PermissionDeniedError(NovaConnectError):
    """403: the token's role may not call this method (a plain User may only read)."""


class NotFoundError(NovaConnectError):
    """404: the id named in the request does not exist (or is not this company's)."""


class ValidationError(NovaConnectError):
    """400 / 422: the platform rejected a parameter; ``message`` names the field and the rule."""


class RateLimitError(NovaConnectError):
    """429: too many calls. ``retry_after`` is the server's ``Retry-After`` in seconds, if sent."""

    def __init__(self, method: str, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(method, message, **kw)
        self.retry_after = retry_after


class ServerError(NovaConnectError):
    """5xx: the platform failed. Whether a write took effect is unknown."""


class ProtocolError(NovaConnectError):
    """The answer was not JSON, or its shape is not what the API documents."""


class TransportError(NovaConnectError):
    """No answer: connection refused or dropped, or the request timed out.

    Like a 5xx, the outcome of a write that hit this is unknown.
    """


def _class_for(status: int) -> type[NovaConnectError]:
    if status in (400, 422):
        return ValidationError
    if status == 401:
        return AuthenticationError
    if status == 403:
        return PermissionDeniedError
    if status == 404:
        return NotFoundError
    if status == 429:
        return RateLimitError
    if status >= 500:
        return ServerError
    return NovaConnectError


def error_for(
    method: str,
    *,
    http_status: int,
    body: Any,
    retry_after: float | None = None,
) -> NovaConnectError:
    """Build the error for an answer judged a failure (decision 1).

    The body's ``code`` decides the class when it is an int other than 200 — it is what the
    platform meant, whatever HTTP said; otherwise the HTTP status does.
    """
    code: int | None = None
    message = ""
    if isinstance(body, dict):
        raw_code = body.get("code")
        if isinstance(raw_code, int) and not isinstance(raw_code, bool):
            code = raw_code
        raw_message = body.get("message")
        message = raw_message if isinstance(raw_message, str) else ("" if raw_message is None else str(raw_message))
        if retry_after is None:
            retry_after = _number(body.get("retry_after"))
    elif isinstance(body, str):
        message = body.strip()[:500]
    status_for_class = code if code is not None and code != 200 else http_status
    cls = _class_for(status_for_class)
    if not message:
        message = "no message"
    kw: dict[str, Any] = {"http_status": http_status, "code": code, "body": body}
    if cls is RateLimitError:
        return RateLimitError(method, message, retry_after=retry_after, **kw)
    return cls(method, message, **kw)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None
