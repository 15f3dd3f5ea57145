"""Clients against the live emulator, and a handle on its control surface."""
from __future__ import annotations

from typing import Any, Iterator

import pytest
import requests

from pulumi_novaconnect.client import NovaConnectClient, RetryPolicy

ADMIN_TOKEN = "admin-token"
USER_TOKEN = "user-token"

# Fast, deterministic retries: tests read attempt counts off the emulator's request log.
FAST_RETRY = RetryPolicy(max_attempts=4, max_elapsed=10.0, backoff_base=0.01, backoff_max=0.05, jitter=False)


class Control:
    """The emulator's `/_emulator` surface: state, request log, faults, queue."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.http = requests.Session()

    def _ok(self, response: requests.Response) -> Any:
        assert response.status_code < 300, f"{response.request.method} {response.url}: {response.text}"
        return response.json() if response.content else None

    def state(self) -> dict:
        return self._ok(self.http.get(f"{self.url}/state", timeout=10))

    def requests(self, method: str | None = None) -> list[dict]:
        log = self.state()["requests"]
        return [r for r in log if method is None or r["method"] == method]

    def methods(self) -> list[str]:
        return [r["method"] for r in self.requests()]

    def clear_requests(self) -> None:
        self._ok(self.http.delete(f"{self.url}/requests", timeout=10))

    def fault(self, method: str, **spec: Any) -> None:
        self._ok(self.http.post(f"{self.url}/faults", json={"method": method, **spec}, timeout=10))

    def clear_faults(self) -> None:
        self._ok(self.http.delete(f"{self.url}/faults", timeout=10))

    def drain(self) -> None:
        self._ok(self.http.post(f"{self.url}/queue/drain", timeout=10))

    def set_sim(self, iccid: str, **changes: Any) -> None:
        self._ok(self.http.post(f"{self.url}/sims/{iccid}", json=changes, timeout=10))

    def add_sim(self, **fields: Any) -> dict:
        return self._ok(self.http.post(f"{self.url}/sims", json=fields, timeout=10))

    def sims(self) -> list[dict]:
        return self.state()["sims"]

    def groups(self) -> list[dict]:
        return self.state()["groups"]

    def users(self) -> list[dict]:
        return self.state()["users"]


@pytest.fixture()
def control(emulator) -> Iterator[Control]:
    ctl = Control(emulator.control_url)
    yield ctl
    ctl.http.close()


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
