"""Helpers for the emulator's own tests: plain `requests` over real HTTP, no client code."""
from __future__ import annotations

import time
from typing import Any, Iterator

import pytest
import requests

from pulumi_novaconnect.emulator import Emulator

ADMIN = "admin-token"
USER = "user-token"


class Api:
    """Calls `POST <url>/<method>` and the `/_emulator` control surface."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.url = emulator.url
        self.control = emulator.control_url
        self.http = requests.Session()

    def call(self, method: str, body: Any = None, *, token: str | None = ADMIN, lang: str | None = None,
             data: bytes | str | None = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        params = {"lang": lang} if lang else None
        if data is not None:
            headers["Content-Type"] = "application/json"
            return self.http.post(f"{self.url}/{method}", data=data, headers=headers, params=params, timeout=10)
        return self.http.post(f"{self.url}/{method}", json={} if body is None else body, headers=headers,
                              params=params, timeout=10)

    def ok(self, method: str, body: Any = None, **kw: Any) -> dict:
        response = self.call(method, body, **kw)
        assert response.status_code == 200, response.text
        payload = response.json()
        assert payload["code"] == 200, payload
        return payload

    def error(self, method: str, body: Any = None, *, status: int, **kw: Any) -> str:
        """Asserts an error answer with this status (HTTP and body code); returns its message."""
        response = self.call(method, body, **kw)
        payload = response.json()
        assert (response.status_code, payload["code"]) == (status, status), response.text
        assert set(payload) == {"code", "message"} and payload["message"]
        return payload["message"]

    # -- control surface -----------------------------------------------------------------

    def state(self) -> dict:
        response = self.http.get(f"{self.control}/state", timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def sims(self) -> list[dict]:
        return self.state()["sims"]

    def sim(self, sim_id: int) -> dict:
        return next(s for s in self.sims() if s["id"] == sim_id)

    def sim_where(self, predicate) -> dict:
        for sim in self.sims():
            if predicate(sim):
                return sim
        raise AssertionError("the seeded fleet has no SIM matching the precondition")

    def drain(self) -> int:
        response = self.http.post(f"{self.control}/queue/drain", timeout=10)
        assert response.status_code == 200, response.text
        return response.json()["applied"]

    def patch_sim(self, iccid: str, **changes: Any) -> dict:
        response = self.http.post(f"{self.control}/sims/{iccid}", json=changes, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def fault(self, method: str, **spec: Any) -> None:
        response = self.http.post(f"{self.control}/faults", json={"method": method, **spec}, timeout=10)
        assert response.status_code == 200, response.text

    def requests(self, method: str | None = None) -> list[dict]:
        log = self.http.get(f"{self.control}/requests", timeout=10).json()
        return [r for r in log if method is None or r["method"] == method]

    def wait_for(self, predicate, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            assert time.monotonic() < deadline, "condition not reached in time"
            time.sleep(0.02)


@pytest.fixture()
def api(emulator) -> Iterator[Api]:
    client = Api(emulator)
    yield client
    client.http.close()


@pytest.fixture(scope="module")
def slow_emulator() -> Iterator[Emulator]:
    """A second emulator whose queue never runs by itself within a test: every change
    is applied by an explicit drain, so "not yet visible" can be asserted without races."""
    emu = Emulator(sims=50, seed=1, admin_token=ADMIN, user_token=USER, queue_delay=600)
    emu.start()
    yield emu
    emu.stop()


@pytest.fixture()
def slow_api(slow_emulator) -> Iterator[Api]:
    slow_emulator.reset()
    client = Api(slow_emulator)
    yield client
    client.http.close()
