"""The retry policy's decisions and bounds, with sleep, jitter and clock pinned."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.client import RetryMode, RetryPolicy
from pulumi_novaconnect.client.errors import (
    AuthenticationError,
    NovaConnectError,
    RateLimitError,
    ServerError,
    TransportError,
    ValidationError,
)
from pulumi_novaconnect.client.retry import reconciling


class FakeClock:
    """A clock that only moves when the policy sleeps (or a test advances it)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def policy(clock: FakeClock, **kw) -> RetryPolicy:
    defaults = dict(max_attempts=5, max_elapsed=60.0, backoff_base=0.5, backoff_max=8.0, jitter=False)
    return RetryPolicy(**{**defaults, **kw}, sleep=clock.sleep, clock=clock)


def failing(*errors):
    calls = []

    def attempt(info):
        calls.append(info)
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return "ok"

    return attempt, calls


def test_backoff_is_capped_exponential_without_jitter():
    p = RetryPolicy(backoff_base=0.5, backoff_max=3.0, jitter=False)
    assert [p.backoff(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_jitter_stays_between_half_and_full_backoff():
    low = RetryPolicy(backoff_base=1.0, backoff_max=8.0, random=lambda: 0.0)
    high = RetryPolicy(backoff_base=1.0, backoff_max=8.0, random=lambda: 1.0)
    assert [low.backoff(n) for n in (1, 2, 5)] == [0.5, 1.0, 4.0]
    assert [high.backoff(n) for n in (1, 2, 5)] == [1.0, 2.0, 8.0]


@pytest.mark.parametrize(
    ("error", "mode", "expected"),
    [
        (RateLimitError("m", "slow down"), RetryMode.SAFE, True),
        (RateLimitError("m", "slow down"), RetryMode.RATE_LIMIT_ONLY, True),
        (RateLimitError("m", "slow down"), RetryMode.NEVER, False),
        (ServerError("m", "boom", http_status=503), RetryMode.SAFE, True),
        (ServerError("m", "boom", http_status=503), RetryMode.RATE_LIMIT_ONLY, False),
        (TransportError("m", "timed out"), RetryMode.SAFE, True),
        (TransportError("m", "timed out"), RetryMode.RATE_LIMIT_ONLY, False),
        (ValidationError("m", "bad", http_status=422), RetryMode.SAFE, False),
        (AuthenticationError("m", "who", http_status=401), RetryMode.SAFE, False),
        (NovaConnectError("m", "odd", http_status=409), RetryMode.SAFE, False),
        (KeyError("bug"), RetryMode.SAFE, False),
    ],
)
def test_which_failures_are_retried(error, mode, expected):
    assert RetryPolicy().should_retry(error, mode) is expected


def test_stops_after_max_attempts_and_reports_them():
    clock = FakeClock()
    attempt, calls = failing(*[ServerError("sim/list", "boom", http_status=503)] * 10)
    with pytest.raises(ServerError) as err:
        policy(clock, max_attempts=3).run(attempt, method="sim/list")
    assert len(calls) == 3 and err.value.attempts == 3
    assert clock.sleeps == [0.5, 1.0]
    assert "(after 3 attempts)" in str(err.value)


def test_never_sleeps_past_max_elapsed():
    clock = FakeClock()
    attempt, calls = failing(*[TransportError("sim/list", "timed out")] * 10)
    with pytest.raises(TransportError):
        policy(clock, max_attempts=10, max_elapsed=4.0).run(attempt, method="sim/list")
    # waits 0.5, 1, 2 -> 3.5 s; the next wait (4 s) would end past the 4 s budget.
    assert clock.sleeps == [0.5, 1.0, 2.0] and len(calls) == 4
    assert [c.number for c in calls] == [1, 2, 3, 4]
    assert calls[-1].remaining == pytest.approx(0.5)


def test_retry_after_is_honoured_over_backoff():
    clock = FakeClock()
    attempt, calls = failing(RateLimitError("sim/list", "slow", retry_after=2.5))
    assert policy(clock).run(attempt, method="sim/list") == "ok"
    assert clock.sleeps == [2.5]


def test_retry_after_beyond_the_budget_gives_up_at_once():
    clock = FakeClock()
    attempt, calls = failing(RateLimitError("sim/list", "slow", retry_after=120))
    with pytest.raises(RateLimitError):
        policy(clock, max_elapsed=60).run(attempt, method="sim/list")
    assert clock.sleeps == [] and len(calls) == 1


def test_rate_limit_only_mode_does_not_retry_a_server_error():
    clock = FakeClock()
    attempt, calls = failing(ServerError("user/password", "boom", http_status=500))
    with pytest.raises(ServerError):
        policy(clock).run(attempt, method="user/password", mode=RetryMode.RATE_LIMIT_ONLY)
    assert len(calls) == 1


def test_reconciling_looks_up_after_an_unknown_outcome_and_returns_the_found_object():
    clock = FakeClock()
    sent, looked = [], []

    def send(info):
        sent.append(info)
        raise TransportError("group/create", "connection failed")

    def find():
        looked.append(1)
        return "the-group"

    assert policy(clock).run(reconciling(send, find), method="group/create") == "the-group"
    assert len(sent) == 1 and len(looked) == 1


def test_reconciling_sends_again_when_the_lookup_finds_nothing():
    clock = FakeClock()
    outcomes = [ServerError("group/create", "boom", http_status=503), "created"]
    looked = []

    def send(info):
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert policy(clock).run(reconciling(send, lambda: looked.append(1)), method="group/create") == "created"
    assert looked == [1]


def test_reconciling_needs_no_lookup_after_a_rate_limit():
    clock = FakeClock()
    outcomes = [RateLimitError("group/create", "slow", retry_after=0.1), "created"]
    looked = []

    def send(info):
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert policy(clock).run(reconciling(send, lambda: looked.append(1)), method="group/create") == "created"
    assert looked == []


def test_invalid_policies_are_refused():
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError):
        RetryPolicy(max_elapsed=0)
