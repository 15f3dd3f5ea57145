"""One error hierarchy for every NovaConnect call.

The vendor documents no error format (API.md decision 1), so the client treats as an error
any non-2xx HTTP status, any body whose ``code`` is not 200 (even under HTTP 200) and any
body that is not JSON. When the body carries a ``code``, that code picks the class: the
platform is known to answer errors with HTTP 200, and the body is then the only truth.

Every error names the API method it came from, the HTTP status, the body code, the
platform's message and the raw body, and ends with what to do about it (the class's
``fix``), so that the last line a Pulumi user sees is actionable on its own::

    sim/limit: HTTP 422, code 422: params.type: must be off or month1. Change the value ...

The fixes name the provider's configuration keys (``novaconnect:token``,
``novaconnect:endpoint``) next to the client's own arguments: the client knows nothing of
Pulumi, but nearly every reader of these texts configured it through Pulumi.
"""
from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "NovaConnectError",
    "AuthenticationError",
    "PermissionDeniedError",
    "AccountRestrictedError",
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
        subject: the object the call was about, named first in the text when set.
        fix: what the reader can do about it, one sentence (the class's, unless a raise
            site knows better).
    """

    fix: ClassVar[str] = (
        "NovaConnect refused the call for the reason given; if it names a value your program declares, change that value"
    )

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
        # What the call was about (``SIM 8997...``, ``group 'Meters'``), set by a caller that
        # knows; the API method alone is shared by every object of its kind.
        self.subject: str | None = None

    def __str__(self) -> str:
        parts = []
        if self.http_status is not None:
            parts.append(f"HTTP {self.http_status}")
        if self.code is not None:
            parts.append(f"code {self.code}")
        head = f"{self.method}: {', '.join(parts)}: " if parts else f"{self.method}: "
        tail = f" (after {self.attempts} attempts)" if self.attempts > 1 else ""
        fix = f". {self.fix}" if self.fix else ""
        about = f"{self.subject}: " if self.subject else ""
        return f"{about}{head}{self.message.rstrip('. ')}{tail}{fix}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(method={self.method!r}, http_status={self.http_status!r}, "
            f"code={self.code!r}, message={self.message!r})"
        )


TOKEN_SETTING = "novaconnect:token (or the NOVACONNECT_TOKEN environment variable; token= for the client)"
ENDPOINT_SETTING = "novaconnect:endpoint (or the NOVACONNECT_ENDPOINT environment variable; endpoint= for the client)"


class AuthenticationError(NovaConnectError):
    """401: the token is unknown or revoked. Create a token in the web UI (profile → access tokens)."""

    fix: ClassVar[str] = (
        f"NovaConnect does not accept the API token: set a valid one in {TOKEN_SETTING}, "
        "e.g. `pulumi config set --secret novaconnect:token <token>`; tokens are made in the web UI "
        "under My profile → Access tokens"
    )


class PermissionDeniedError(NovaConnectError):
    """403: the token's role may not call this method (a plain User may only read)."""

    fix: ClassVar[str] = (
        "The API token's role may not make this call (a user's token may only read): "
        f"changes need an administrator's token, set in {TOKEN_SETTING}"
    )


class AccountRestrictedError(NovaConnectError):
    """402: the platform restricted the account's API for an unpaid bill.

    NovaConnect restricts the web UI and the API when a bill is still unpaid on the sixth
    working day (notification ``unpaid_bill_6``); the vendor does not say how the API
    answers then, and 402 Payment Required is what we assume. Every call fails the same
    way until the bill is paid, so it is never retried.
    """

    fix: ClassVar[str] = (
        "Nothing was read or changed: pay the unpaid bill (the web UI lists it under bills); "
        "once NovaConnect has the payment, run the command again"
    )


class NotFoundError(NovaConnectError):
    """404: the id named in the request does not exist (or is not this company's)."""

    fix: ClassVar[str] = (
        "The object is not, or no longer, on this NovaConnect account: run `pulumi refresh` "
        "to bring the stack's state in line with the platform, or correct the id you gave"
    )


class ValidationError(NovaConnectError):
    """400 / 422: the platform rejected a parameter; ``message`` names the field and the rule."""

    fix: ClassVar[str] = "Change the value the platform names to one its rule allows, in your program or inventory"


class RateLimitError(NovaConnectError):
    """429: too many calls. ``retry_after`` is the server's ``Retry-After`` in seconds, if sent."""

    fix: ClassVar[str] = (
        "NovaConnect kept refusing calls as too frequent for longer than the retry budget: "
        "wait a few minutes (other tools using this account count too) and run again"
    )

    def __init__(self, method: str, message: str, *, retry_after: float | None = None, **kw: Any) -> None:
        super().__init__(method, message, **kw)
        self.retry_after = retry_after


class ServerError(NovaConnectError):
    """5xx: the platform failed. Whether a write took effect is unknown."""

    fix: ClassVar[str] = (
        "NovaConnect failed to handle the call, so whether a change took effect is unknown: run `pulumi up` again "
        "once the platform is back; it compares with the live state, so nothing is done twice"
    )


class ProtocolError(NovaConnectError):
    """The answer was not JSON, or its shape is not what the API documents."""

    fix: ClassVar[str] = (
        f"The answer is not what the NovaConnect API sends: check that {ENDPOINT_SETTING} "
        "is the API's base URL, like https://api.novaconnect.kz/api"
    )


class TransportError(NovaConnectError):
    """No answer: connection refused or dropped, or the request timed out.

    Like a 5xx, the outcome of a write that hit this is unknown. The message is ours (the
    endpoint and what went wrong in plain words), never the HTTP library's text.
    """

    fix: ClassVar[str] = (
        "Check that this address is the NovaConnect API's base URL (like https://api.novaconnect.kz/api) "
        "and that this machine can reach it"
    )


def _class_for(status: int) -> type[NovaConnectError]:
    if status in (400, 422):
        return ValidationError
    if status == 401:
        return AuthenticationError
    if status == 402:
        return AccountRestrictedError
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
