"""The client's core: configuration, the call helpers every API area uses, the answer shapes.

The API areas (:mod:`.sims`, :mod:`.groups`, ...) are mixins over :class:`ClientCore`;
:class:`~pulumi_novaconnect.client.NovaConnectClient` combines them.
"""
from __future__ import annotations

from typing import Any, Callable, Optional, TypeVar

import pydantic
import requests

from .errors import ProtocolError
from .models import Page, QueueTicket
from .retry import Attempt, RetryMode, RetryPolicy, reconciling
from .transport import DEFAULT_ENDPOINT, Transport

__all__ = ["ClientCore"]

M = TypeVar("M", bound=pydantic.BaseModel)
T = TypeVar("T")

# The smallest timeout an attempt gets when the retry budget is nearly spent.
_MIN_ATTEMPT_TIMEOUT = 0.05


def _first_problem(exc: pydantic.ValidationError) -> str:
    """pydantic's report in one short line: the first field and what is wrong with it.

    The full report lists every field of every item (kilobytes for a page of SIMs) over
    several lines, and it travels as the error's text up to the CLI, whose headline is the
    last line; gRPC also refuses error texts past 16 KB."""
    problems = exc.errors(include_url=False)
    first = problems[0]
    where = ".".join(str(part) for part in first["loc"]) or "the answer"
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"`{where}`: {first['msg']}{more}"


class ClientCore:
    """Configuration and the one call path shared by every API area.

    Args:
        endpoint: API base, e.g. ``https://api.novaconnect.kz/api``.
        token: an access token from the web UI (profile → access tokens). Held privately:
            it appears in no repr, log line or error text.
        lang: ``"en"`` or ``"ru"``; the language of the platform's messages.
        timeout: seconds for one HTTP attempt (cut to what is left of ``retry.max_elapsed``).
        retry: the retry policy; ``RetryPolicy(max_attempts=1)`` disables retries.
        session: a ``requests.Session`` to use (not closed by :meth:`close`).
        transport: a ready :class:`~.transport.Transport` to send every request through
            (tests pass one bound to a fake server); the connection arguments above are
            then ignored, and :meth:`close` closes it.
    """

    def __init__(
        self,
        endpoint: str = DEFAULT_ENDPOINT,
        token: str | None = None,
        lang: str = "en",
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        session: requests.Session | None = None,
        transport: Transport | None = None,
    ) -> None:
        if transport is None:
            if not token:
                raise ValueError("a NovaConnect API token is required (token=...)")
            transport = Transport(endpoint, token, lang=lang, timeout=timeout, session=session)
        self._transport = transport
        self.retry = retry if retry is not None else RetryPolicy()

    @property
    def endpoint(self) -> str:
        return self._transport.endpoint

    @property
    def lang(self) -> str:
        return self._transport.lang

    @property
    def timeout(self) -> float:
        return self._transport.timeout

    def __repr__(self) -> str:
        return f"{type(self).__name__}(endpoint={self.endpoint!r}, lang={self.lang!r})"

    def close(self) -> None:
        """Close the HTTP session (unless it was passed in)."""
        self._transport.close()

    def __enter__(self) -> "ClientCore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- calling -------------------------------------------------------------------------

    def _attempt(self, method: str, body: dict[str, Any]) -> Callable[[Attempt], dict[str, Any]]:
        """One POST of ``method`` as a retryable attempt."""

        def attempt(info: Attempt) -> dict[str, Any]:
            timeout = min(self.timeout, max(info.remaining, _MIN_ATTEMPT_TIMEOUT))
            response = self._transport.request(
                "POST", method, method=method, json_body=body, timeout=timeout, attempt=info.number
            )
            return self._transport.decode_json(method, response)

        return attempt

    def _call(self, method: str, body: dict[str, Any], *, mode: RetryMode = RetryMode.SAFE,
              parse: Optional[Callable[[dict[str, Any]], Any]] = None) -> Any:
        """POST ``method`` under the retry policy; the JSON body of the successful answer, or
        what ``parse`` makes of it. Parsing runs inside the attempt: an answer garbled on its
        way (a field missing, a wrong type) is retried like one that never arrived."""
        send = self._attempt(method, body)
        attempt = send if parse is None else (lambda info: parse(send(info)))
        return self.retry.run(attempt, method=method, mode=mode)

    def _create(self, method: str, body: dict[str, Any], model: type[M], find: Callable[[], Optional[M]]) -> M:
        """POST a create: retried, but never blindly (see :func:`.retry.reconciling`)."""

        def send(info: Attempt) -> M:
            return self._item(method, self._attempt(method, body)(info), model)

        return self.retry.run(reconciling(send, find), method=method, mode=RetryMode.SAFE)

    def _download(self, path: str, params: dict[str, Any], *, method: str) -> bytes:
        """GET a file under the retry policy (a read: always safe to repeat)."""

        def attempt(info: Attempt) -> bytes:
            timeout = min(self.timeout, max(info.remaining, _MIN_ATTEMPT_TIMEOUT))
            response = self._transport.request(
                "GET", path, method=method, params=params, timeout=timeout, attempt=info.number
            )
            return self._transport.decode_file(method, response)

        return self.retry.run(attempt, method=method, mode=RetryMode.SAFE)

    # -- answer shapes -------------------------------------------------------------------

    @staticmethod
    def _parse(method: str, model: type[M], data: Any, where: str) -> M:
        try:
            return model.model_validate(data)
        except pydantic.ValidationError as exc:
            raise ProtocolError(method, f"unexpected shape of {where}: {_first_problem(exc)}", http_status=200,
                                code=200, body=data) from None

    @staticmethod
    def _result(method: str, body: dict[str, Any], key: str) -> Any:
        result = body.get("result")
        if not isinstance(result, dict) or key not in result:
            raise ProtocolError(method, f"the answer has no `result.{key}`", http_status=200, code=200, body=body)
        return result[key]

    def _item(self, method: str, body: dict[str, Any], model: type[M]) -> M:
        """``result.item`` as ``model``."""
        return self._parse(method, model, self._result(method, body, "item"), "result.item")

    def _items(self, method: str, body: dict[str, Any], model: type[M]) -> list[M]:
        """``result.items`` (the report shape) as a list of ``model``."""
        items = self._result(method, body, "items")
        if not isinstance(items, list):
            raise ProtocolError(method, "`result.items` is not a list", http_status=200, code=200, body=body)
        return [self._parse(method, model, row, "a row of result.items") for row in items]

    def _page(self, method: str, body: dict[str, Any], model: type[M]) -> Page[M]:
        """The list shape: ``count``, ``all_count``, ``items`` at the top level."""
        data = {k: v for k, v in body.items() if k not in ("code", "message")}
        return self._parse(method, Page[model], data, "the list answer")  # type: ignore[valid-type]

    def _queue(self, method: str, body: dict[str, Any]) -> QueueTicket:
        """The queue shape: ``result.item.queue_id``."""
        item = self._result(method, body, "item")
        data = {**item, "message": body.get("message")} if isinstance(item, dict) else item
        return self._parse(method, QueueTicket, data, "result.item")
