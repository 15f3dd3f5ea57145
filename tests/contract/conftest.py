"""Contract tests: the SDK's real provider host, driven over gRPC, against the emulator."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Callable, Any, Optional

import pytest

from pulumi_novaconnect.resources.group import GroupProvider
from pulumi_novaconnect.resources.group_policy import GroupPolicyProvider
from pulumi_novaconnect.resources.sim_config import SimConfigProvider
from pulumi_novaconnect.resources.sim_fleet import SimFleetProvider
from pulumi_novaconnect.resources.user import UserProvider
from pulumi_novaconnect.testing import ADMIN_TOKEN, EmulatorControl
from pulumi_novaconnect.testing.provider_host import ProviderHost, make_urn, provider_property, secret

TYPES = {
    "SimConfig": ("pulumi-python:dynamic/novaconnect:SimConfig", SimConfigProvider),
    "SimFleet": ("pulumi-python:dynamic/novaconnect:SimFleet", SimFleetProvider),
    "Group": ("pulumi-python:dynamic/novaconnect:Group", GroupProvider),
    "User": ("pulumi-python:dynamic/novaconnect:User", UserProvider),
    "GroupPolicy": ("pulumi-python:dynamic/novaconnect:GroupPolicy", GroupPolicyProvider),
}


@dataclass
class Managed:
    """One resource as the engine would hold it between calls: id, inputs, outputs."""

    host: ProviderHost
    kind: str
    name: str
    id: Optional[str] = None
    inputs: dict[str, Any] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)

    @property
    def urn(self) -> str:
        return make_urn("dev", "contract", TYPES[self.kind][0], self.name)

    def props(self, inputs: dict[str, Any]) -> dict[str, Any]:
        return {**provider_property(TYPES[self.kind][1]()), **inputs}

    def check(self, inputs: dict[str, Any]):
        return self.host.check(self.urn, self.inputs, self.props(inputs))

    def checked(self, inputs: dict[str, Any]) -> dict[str, Any]:
        result = self.check(inputs)
        assert result.failures == [], result.failures
        return result.inputs

    def create(self, inputs: dict[str, Any]) -> dict[str, Any]:
        news = self.checked(inputs)
        self.id, self.outputs = self.host.create(self.urn, news)
        self.inputs = news
        return self.outputs

    def diff(self, inputs: dict[str, Any]):
        return self.host.diff(self.urn, self.id, self.outputs, self.checked(inputs), old_inputs=self.inputs)

    def update(self, inputs: dict[str, Any]) -> dict[str, Any]:
        news = self.checked(inputs)
        self.outputs = self.host.update(self.urn, self.id, self.outputs, news, old_inputs=self.inputs)
        self.inputs = news
        return self.outputs

    def read(self):
        new_id, outs, inputs = self.host.read(self.urn, self.id, self.outputs, self.inputs)
        if new_id:
            self.outputs = outs
            self.inputs = inputs if inputs is not None else self.inputs
        return new_id, outs, inputs

    def delete(self) -> None:
        self.host.delete(self.urn, self.id, self.outputs, old_inputs=self.inputs)


class Deployment:
    """One provider host process, configured like the engine configures it."""

    def __init__(self, host: ProviderHost, config: Optional[dict[str, Any]] = None,
                 start: Optional[Callable[[], ProviderHost]] = None):
        self.host = host
        self.config = config
        self._start = start or (lambda: ProviderHost().start())

    def fresh_host(self) -> ProviderHost:
        """Another host with the same configuration, as the next `pulumi` run would start
        (stopped at the end of the test, like the first)."""
        host = self._start()
        host.configure(self.config or {})
        return host

    def resource(self, kind: str, name: str) -> Managed:
        return Managed(self.host, kind, name)


def provider_config(emulator, **extra) -> dict[str, Any]:
    config = {
        "novaconnect:endpoint": emulator.url,
        "novaconnect:token": secret(ADMIN_TOKEN),
        "novaconnect:convergeTimeout": "10",
        "novaconnect:pollInterval": "0.05",
        "contract:unrelated": "value",
    }
    config.update(extra)
    return config


@pytest.fixture()
def start_host(monkeypatch):
    """Start provider hosts (stopped at the end of the test) with no NOVACONNECT_* in their
    environment unless the test passes it, so configuration can only come from Configure."""
    for key in [k for k in os.environ if k.startswith("NOVACONNECT_")]:
        monkeypatch.delenv(key)
    hosts: list[ProviderHost] = []

    def start(env: Optional[dict[str, str]] = None) -> ProviderHost:
        host = ProviderHost(env=env or {})
        hosts.append(host.start())
        return host

    yield start
    for host in hosts:
        host.stop()


@pytest.fixture()
def deploy(emulator, start_host) -> Deployment:
    host = start_host()
    config = provider_config(emulator)
    host.configure(config)
    return Deployment(host, config, start=start_host)


# For a test whose wait ends in a timeout on purpose (a queue task that fails or never runs):
# forty times the emulator's 50 ms queue delay, so every change that does go through shows
# well within it on a loaded machine, while the wait for the one that never shows is short.
QUICK_TIMEOUT = {"novaconnect:convergeTimeout": "2"}


@pytest.fixture()
def deploy_quick_timeout(emulator, start_host) -> Deployment:
    """``deploy`` with a two-second convergence timeout (``QUICK_TIMEOUT``)."""
    host = start_host()
    config = provider_config(emulator, **QUICK_TIMEOUT)
    host.configure(config)
    return Deployment(host, config, start=start_host)


@pytest.fixture()
def platform(novaconnect_control) -> EmulatorControl:
    """The emulator's control surface, read and changed over HTTP (not through our client)."""
    return novaconnect_control
