"""Clients against the live emulator, and a handle on its control surface."""
from __future__ import annotations

from typing import Any

import pytest

from pulumi_novaconnect.client import NovaConnectClient, RetryPolicy
from pulumi_novaconnect.testing import ADMIN_TOKEN, USER_TOKEN, EmulatorControl

# Fast, deterministic retries: tests read attempt counts off the emulator's request log.
FAST_RETRY = RetryPolicy(max_attempts=4, max_elapsed=10.0, backoff_base=0.01, backoff_max=0.05, jitter=False)


@pytest.fixture()
def control(novaconnect_control) -> EmulatorControl:
    """The emulator's `/_emulator` surface: state, request log, faults, queue."""
    return novaconnect_control


@pytest.fixture()
def make_client(emulator):
    """Build clients against the emulator; all closed after the test."""
    made: list[NovaConnectClient] = []

    def make(token: str = ADMIN_TOKEN, **kw: Any) -> NovaConnectClient:
        kw.setdefault("retry", FAST_RETRY)
        kw.setdefault("timeout", 5.0)
        client = NovaConnectClient(endpoint=emulator.url, token=token, **kw)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture()
def admin(make_client) -> NovaConnectClient:
    return make_client()


@pytest.fixture()
def reader(make_client) -> NovaConnectClient:
    return make_client(USER_TOKEN)


def _sim_where(client: NovaConnectClient, predicate) -> Any:
    for sim in client.iter_sims():
        if predicate(sim):
            return sim
    raise AssertionError("the seeded fleet has no SIM matching the test's precondition")


def _sim_by_id(client: NovaConnectClient, sim_id: int) -> Any:
    return next(s for s in client.iter_sims() if s.id == sim_id)


@pytest.fixture()
def sim_where():
    """``sim_where(client, predicate)``: the first SIM of the fleet matching a test's precondition."""
    return _sim_where


@pytest.fixture()
def sim_by_id():
    """``sim_by_id(client, id)``: the SIM as sim/list shows it now."""
    return _sim_by_id
