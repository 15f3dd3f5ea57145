"""The one retry policy of the client, built on tenacity.

What is retried depends on what a repeat would do (the :class:`RetryMode` of the call):

* ``SAFE`` — reads, queue methods, edits, removes: a repeat has the same effect as one
  call, so 429, 5xx, network failures/timeouts and garbled answers are all retried.
* ``RATE_LIMIT_ONLY`` — a 429 means "not processed", so it is always safe to repeat; after
  a 5xx or a dropped connection the outcome is unknown and a repeat is not harmless
  (``user/password`` would then fail on a stale ``old_password``; ``sim/sms`` would send a
  second SMS).
* ``NEVER`` — one attempt; used for calls made inside another retry loop.

Creates (``user/create``, ``group/create``) are never blindly repeated: :func:`reconciling`
wraps the attempt so that after an unknown outcome the next attempt first looks the object
up and returns it if the first call did create it.

Every retry is bounded by ``max_attempts`` and by ``max_elapsed`` seconds for the whole call
(a sleep that would end past that budget is not taken; each attempt's timeout is cut to the
budget left). Waits are capped exponential backoff with jitter, or the server's
``Retry-After`` for a 429.
"""
from __future__ import annotations

import enum
import logging
import random
import time
from dataclasses import dataclass, field
from typing import Callable, Optional, TypeVar

import tenacity

from .errors import NovaConnectError, ProtocolError, RateLimitError, ServerError, TransportError

__all__ = ["RetryMode", "RetryPolicy", "Attempt", "reconciling"]

log = logging.getLogger("pulumi_novaconnect.client")

T = TypeVar("T")


class RetryMode(enum.Enum):
    """What a repeat of the call would do; see the module docstring."""

    SAFE = "safe"
    RATE_LIMIT_ONLY = "rate_limit_only"
    NEVER = "never"


@dataclass(frozen=True)
class Attempt:
    """Handed to each attempt: its number (from 1) and the seconds left in the call's budget."""

    number: int
    remaining: float


def outcome_unknown(error: BaseException) -> bool:
    """Whether a write that failed this way may nevertheless have taken effect.

    A garbled answer (not JSON, a field missing or of the wrong type) says nothing about
    what the platform did: a proxy or a half-deployed release may have mangled a success."""
    return isinstance(error, (ServerError, TransportError, ProtocolError))


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long a call is retried.

    ``sleep``, ``random`` and ``clock`` are injectable so tests can pin the waits; with
    ``jitter=False`` the wait before attempt n+1 is ``min(backoff_max, backoff_base * 2**(n-1))``.
    """

    max_attempts: int = 5
    max_elapsed: float = 60.0
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    jitter: bool = True
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)
    random: Callable[[], float] = field(default=random.random, repr=False, compare=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.max_elapsed <= 0 or self.backoff_base < 0 or self.backoff_max < 0:
            raise ValueError("max_elapsed must be positive and the backoff values non-negative")

    # -- the decisions -------------------------------------------------------------------

    def should_retry(self, error: BaseException, mode: RetryMode) -> bool:
        """The one place deciding whether a failed attempt may be repeated."""
        if mode is RetryMode.NEVER or not isinstance(error, NovaConnectError):
            return False
        if isinstance(error, RateLimitError):
            return True  # 429: the platform did not process the call
        return mode is RetryMode.SAFE and outcome_unknown(error)

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after failed attempt ``attempt`` (1-based), before any Retry-After."""
        delay = min(self.backoff_max, self.backoff_base * (2 ** (attempt - 1)))
        if self.jitter:
            # "Equal jitter" as in stripe-python: somewhere in [delay/2, delay], so that
            # clients failing together do not retry together, yet never without a pause.
            delay *= 0.5 + 0.5 * self.random()
        return delay

    def wait_after(self, error: BaseException | None, attempt: int) -> float:
        """The wait before the next attempt: the server's Retry-After if it sent one."""
        if isinstance(error, RateLimitError) and error.retry_after is not None:
            return max(0.0, error.retry_after)
        return self.backoff(attempt)

    # -- the loop ------------------------------------------------------------------------

    def run(self, attempt: Callable[[Attempt], T], *, method: str, mode: RetryMode = RetryMode.SAFE) -> T:
        """Call ``attempt`` until it succeeds or the policy gives up; re-raise the last error."""
        start = self.clock()
        waits: dict[int, float] = {}

        def next_wait(state: tenacity.RetryCallState) -> float:
            # Memoised per attempt: tenacity versions differ in whether stop or wait runs
            # first, and a jittered wait must be the same number for both.
            n = state.attempt_number
            if n not in waits:
                error = state.outcome.exception() if state.outcome else None
                waits[n] = self.wait_after(error, n)
            return waits[n]

        def stop(state: tenacity.RetryCallState) -> bool:
            if state.attempt_number >= self.max_attempts:
                return True
            return (self.clock() - start) + next_wait(state) >= self.max_elapsed

        def before_sleep(state: tenacity.RetryCallState) -> None:
            error = state.outcome.exception() if state.outcome else None
            log.debug(
                "retrying %s after attempt %d (%s) in %.2fs",
                method, state.attempt_number, type(error).__name__, next_wait(state),
            )

        counter = {"n": 0}

        def one_attempt() -> T:
            counter["n"] += 1
            remaining = self.max_elapsed - (self.clock() - start)
            try:
                return attempt(Attempt(counter["n"], remaining))
            except NovaConnectError as error:
                error.attempts = counter["n"]
                raise

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(lambda e: self.should_retry(e, mode)),
            stop=stop,
            wait=next_wait,
            sleep=self.sleep,
            before_sleep=before_sleep,
            reraise=True,
        )
        return retrying(one_attempt)


def reconciling(
    send: Callable[[Attempt], T],
    find: Callable[[], Optional[T]],
) -> Callable[[Attempt], T]:
    """Wrap a create so it is never blindly repeated.

    After an attempt whose outcome is unknown (5xx, timeout, dropped connection), the next
    attempt first calls ``find`` (a single-attempt lookup by the object's natural key); if
    the object exists the first call created it and it is returned, else the create is sent
    again. A 429 needs no lookup: the platform did not process the call.
    """
    state = {"uncertain": False}

    def attempt(info: Attempt) -> T:
        if state["uncertain"]:
            found = find()
            if found is not None:
                log.debug("create found after an unknown outcome; not sent again")
                return found
        try:
            return send(info)
        except NovaConnectError as error:
            state["uncertain"] = state["uncertain"] or outcome_unknown(error)
            raise

    return attempt
