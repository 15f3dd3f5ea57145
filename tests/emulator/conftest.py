"""Helpers for the emulator's own tests: plain `requests` over real HTTP, no client code."""
from __future__ import annotations

from typing import Any, Iterator

import pytest
import requests

from pulumi_novaconnect.emulator import Emulator
from pulumi_novaconnect.testing import ADMIN_TOKEN as ADMIN, USER_TOKEN as USER, EmulatorControl

__all__ = ["ADMIN", "USER", "Api"]


class Api(EmulatorControl):
    """The control surface, plus raw `POST <url>/<method>` calls: the emulator's tests read
    the exact HTTP answer (status, body code, message), which no client would show them."""

    def __init__(self, emulator: Emulator) -> None:
        super().__init__(emulator)
        self.emulator = emulator
        self.url = emulator.url
        self.control = emulator.control_url

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


@pytest.fixture()
def api(emulator) -> Iterator[Api]:
    with Api(emulator) as client:
        yield client


@pytest.fixture(scope="module")
def slow_emulator() -> Iterator[Emulator]:
    """A second emulator whose queue never runs by itself within a test: every change
    is applied by an explicit drain, so "not yet visible" can be asserted without races."""
    emu = Emulator(sims=50, seed=1, queue_delay=600)
    emu.start()
    yield emu
    emu.stop()


@pytest.fixture()
def slow_api(slow_emulator) -> Iterator[Api]:
    slow_emulator.reset()
    with Api(slow_emulator) as client:
        yield client
