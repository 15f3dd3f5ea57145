"""The one request path: every call to the platform goes through :meth:`Transport.request`.

One attempt per call here; retrying is :mod:`.retry`'s business. The token is held in a
:class:`_Secret` whose repr is masked, is sent only in the ``Authorization`` header (never
in a URL, so it cannot reach a log line or an exception that quotes the URL), and any text
that leaves this module in an exception is scrubbed of it all the same.

A 404 is "no such object" only when it comes from the API. An endpoint without its
``/api`` (``https://api.novaconnect.kz``) reaches the web server, whose 404 means "no such
page": read as :class:`NotFoundError`, it would advise ``pulumi refresh`` and let a delete
pass as "already gone" while the object stays. So a 404 is reported as a wrong endpoint,
naming the URL it should look like, when the endpoint's path does not end in ``/api`` or
the answer is not the API's JSON (an object with a numeric ``code``).
"""
from __future__ import annotations

import email.utils
import http.client
import json
import logging
import socket
import time
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3

from .errors import ENDPOINT_SETTING, NotFoundError, NovaConnectError, ProtocolError, TransportError, error_for

__all__ = ["Transport", "DEFAULT_ENDPOINT", "LANGUAGES"]

log = logging.getLogger("pulumi_novaconnect.client")

DEFAULT_ENDPOINT = "https://api.novaconnect.kz/api"
LANGUAGES = ("ru", "en")
_MASK = "***"


class _Secret:
    """A string that does not show itself in repr, str or vars() dumps."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def scrub(self, text: str) -> str:
        return text.replace(self._value, _MASK) if self._value else text

    def __repr__(self) -> str:
        return "<secret>"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        # Pickling a client would otherwise write the token into Pulumi state.
        raise TypeError("the NovaConnect token is not picklable")


class Transport:
    """One ``requests.Session``, the endpoint, the token and the language.

    A session passed in stays the caller's: it is used but never closed here, and the
    token is put on each request, never into the session's shared headers.
    """

    def __init__(
        self,
        endpoint: str,
        token: str,
        *,
        lang: str = "en",
        timeout: float = 30.0,
        session: requests.Session | None = None,
    ) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {LANGUAGES}, not {lang!r}")
        if not token:
            raise ValueError("a NovaConnect API token is required")
        self.endpoint = endpoint.rstrip("/")
        self.lang = lang
        self.timeout = timeout
        self._token = _Secret(token)
        self._owns_session = session is None
        self._session = session if session is not None else requests.Session()

    def __repr__(self) -> str:
        return f"Transport(endpoint={self.endpoint!r}, lang={self.lang!r})"

    def close(self) -> None:
        if self._owns_session:
            self._session.close()

    # -- the one request path ------------------------------------------------------------

    def request(
        self,
        http_method: str,
        path: str,
        *,
        method: str,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
        timeout: float | None = None,
        attempt: int = 1,
    ) -> requests.Response:
        """Send one HTTP request; return the response whatever its status.

        ``method`` is the API method name used in logs and errors (``sim/list``,
        ``bill/download``). Network failures and timeouts become :class:`TransportError`.
        """
        url = f"{self.endpoint}/{path}"
        query = {"lang": self.lang, **(params or {})}
        headers = {
            "Authorization": f"Bearer {self._token.reveal()}",
            "Accept": "application/json" if http_method == "POST" else "*/*",
        }
        started = time.monotonic()
        try:
            response = self._session.request(
                http_method,
                url,
                params=query,
                json=json_body,
                headers=headers,
                timeout=self.timeout if timeout is None else timeout,
            )
        except requests.RequestException as exc:
            elapsed = time.monotonic() - started
            log.debug("%s %s failed after %.1f ms (attempt %d): %s", http_method, method, elapsed * 1000, attempt,
                      type(exc).__name__)
            # `from None`: the requests exception holds the prepared request (headers and
            # all), and its text is urllib3's; neither travels on.
            raise self._transport_error(method, exc, elapsed) from None
        elapsed = (time.monotonic() - started) * 1000
        log.debug("%s %s -> HTTP %d in %.1f ms (attempt %d)", http_method, method, response.status_code, elapsed,
                  attempt)
        return response

    def _transport_error(self, method: str, exc: requests.RequestException, elapsed: float) -> TransportError:
        """What went wrong, in one sentence naming the endpoint and the setting it comes from."""
        where = f"NovaConnect at {self.endpoint}, the endpoint set by novaconnect:endpoint or NOVACONNECT_ENDPOINT"
        if isinstance(exc, requests.ConnectTimeout):
            text = f"connecting to {where}, timed out: no connection after {elapsed:.1f} s"
        elif isinstance(exc, requests.Timeout):
            text = f"the call to {where}, timed out: connected, but no answer after {elapsed:.1f} s"
        else:
            text = f"connection failed to {where}: {_connection_failure(exc)}"
        error = TransportError(method, self._token.scrub(text))
        if isinstance(exc, requests.Timeout) and not isinstance(exc, requests.ConnectTimeout):
            error.fix = (
                "The platform was reached but was slow to answer: run again later, and if it keeps "
                "happening check that this endpoint is the NovaConnect API's base URL"
            )
        return error

    # -- decoding ------------------------------------------------------------------------

    def decode_json(self, method: str, response: requests.Response) -> dict[str, Any]:
        """The JSON body of a successful call, or the error it stands for (decision 1)."""
        try:
            return self._decode_json(method, response)
        except NovaConnectError as error:
            raise self._scrubbed(self._explained(error, response)) from None

    def _decode_json(self, method: str, response: requests.Response) -> dict[str, Any]:
        status = response.status_code
        try:
            body: Any = json.loads(response.content) if response.content else None
        except ValueError:
            body = None
            text = response.content.decode("utf-8", "replace")
            if not 200 <= status < 300:
                raise error_for(method, http_status=status, body=text, retry_after=_retry_after(response)) from None
            raise ProtocolError(method, "the answer is not JSON", http_status=status, body=text[:2000]) from None
        if not isinstance(body, dict):
            if not 200 <= status < 300:
                raise error_for(method, http_status=status, body=body, retry_after=_retry_after(response))
            raise ProtocolError(method, "the answer is not a JSON object", http_status=status, body=body)
        code = body.get("code")
        if not 200 <= status < 300 or code != 200:
            if 200 <= status < 300 and code is None:
                raise ProtocolError(method, "the answer has no `code`", http_status=status, body=body)
            raise error_for(method, http_status=status, body=body, retry_after=_retry_after(response))
        return body

    def decode_file(self, method: str, response: requests.Response) -> bytes:
        """The bytes of a downloaded file; a JSON answer instead of a file is an error."""
        status = response.status_code
        content_type = response.headers.get("Content-Type", "")
        if "json" in content_type or response.content[:1] == b"{" or not 200 <= status < 300:
            body = self.decode_json(method, response)  # raises for every error answer
            raise ProtocolError(method, "expected a file, the answer is JSON", http_status=status, body=body)
        return response.content

    def _explained(self, error: NovaConnectError, response: requests.Response) -> NovaConnectError:
        """A 404 that is the web server's, not the API's, as the wrong endpoint it stands for."""
        if not isinstance(error, NotFoundError):
            return error
        body = error.body
        from_the_api = isinstance(body, dict) and isinstance(body.get("code"), int)
        if from_the_api and _ends_in_api(self.endpoint):
            return error
        url = response.url.split("?", 1)[0] if response.url else f"{self.endpoint}/{error.method}"
        wrong = NovaConnectError(
            error.method,
            f"nothing answers at {url}: the endpoint {self.endpoint} looks wrong",
            http_status=error.http_status, code=error.code, body=body,
        )
        wrong.fix = (f"Set {ENDPOINT_SETTING} to the NovaConnect API's base URL, which ends in /api, "
                     f"like {_api_base(self.endpoint)}")
        return wrong

    def _scrubbed(self, error: NovaConnectError) -> NovaConnectError:
        # A server that echoes the Authorization header back must not leak it through us.
        error.message = self._token.scrub(error.message)
        error.body = _scrub_deep(error.body, self._token)
        return error


def _ends_in_api(endpoint: str) -> bool:
    return urlsplit(endpoint).path.rstrip("/").endswith("/api")


def _api_base(endpoint: str) -> str:
    """What ``endpoint`` should probably be: cut after its ``/api`` segment, else with ``/api`` added."""
    parts = urlsplit(endpoint)
    if not parts.scheme or not parts.netloc:
        return DEFAULT_ENDPOINT
    segments = parts.path.rstrip("/").split("/")
    path = "/".join(segments[: segments.index("api") + 1]) if "api" in segments else parts.path.rstrip("/") + "/api"
    return f"{parts.scheme}://{parts.netloc}{path}"


def _connection_failure(exc: requests.RequestException) -> str:
    """A connection failure in plain words, from the exception chain (not its text)."""
    if isinstance(exc, requests.exceptions.SSLError):
        return "the TLS handshake failed (is the scheme right, https for the platform?)"
    seen: set[int] = set()
    stack: list[BaseException] = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, urllib3.exceptions.NameResolutionError) or isinstance(current, socket.gaierror):
            return "the host name does not resolve (DNS)"
        if isinstance(current, ConnectionRefusedError):
            return "connection refused (nothing listens at that address and port)"
        if isinstance(current, (ConnectionResetError, http.client.RemoteDisconnected)):
            return "the connection was dropped before an answer arrived"
        # requests and urllib3 wrap the cause in args and `reason`, Python in __cause__/__context__.
        stack.extend(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))
        for attr in ("reason", "__cause__", "__context__"):
            nested = getattr(current, attr, None)
            if isinstance(nested, BaseException):
                stack.append(nested)
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "the connection was dropped before the whole answer arrived"
    return f"the connection could not be made ({type(exc).__name__})"


def _scrub_deep(value: Any, secret: _Secret) -> Any:
    if isinstance(value, str):
        return secret.scrub(value)
    if isinstance(value, dict):
        return {k: _scrub_deep(v, secret) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_deep(v, secret) for v in value]
    return value


def _retry_after(response: requests.Response) -> float | None:
    """``Retry-After`` in seconds: either delta-seconds or an HTTP date (RFC 9110)."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
