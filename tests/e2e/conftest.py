"""End-to-end: whole example programs through preview, up, refresh and destroy."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

from tests.conftest import ADMIN_TOKEN
from pulumi_novaconnect.testing.program_runner import ProgramRunner
from pulumi_novaconnect.testing.provider_host import secret

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def project_of(example: str) -> dict[str, Any]:
    return yaml.safe_load((EXAMPLES / example / "Pulumi.yaml").read_text())


def stack_config(example: str, emulator, **extra: Any) -> dict[str, Any]:
    """Pulumi.yaml's config defaults, overridden as `pulumi config set` would for the emulator."""
    config = {k: v for k, v in (project_of(example).get("config") or {}).items() if not isinstance(v, dict)}
    config.update(
        {
            "novaconnect:endpoint": emulator.url,
            "novaconnect:token": secret(ADMIN_TOKEN),
            "novaconnect:convergeTimeout": "20",
            "novaconnect:pollInterval": "0.05",
        }
    )
    config.update(extra)
    return config


@pytest.fixture()
def make_runner(emulator, tmp_path):
    """A runner for an example with a state file of its own; config may change between runs."""

    def make(example: str, **config: Any) -> ProgramRunner:
        project = project_of(example)
        full = stack_config(example, emulator, **{f"{project['name']}:{k}": v for k, v in config.items()})
        return ProgramRunner(
            str(EXAMPLES / example),
            project=project["name"],
            stack="e2e",
            config=full,
            state_path=tmp_path / f"{example}.state.json",
        )

    return make


class Emu:
    """The emulator as a test sees it: through its control surface, never our client."""

    def __init__(self, emulator):
        self.base = emulator.control_url

    def state(self) -> dict[str, Any]:
        return requests.get(f"{self.base}/state", timeout=10).json()

    def sim(self, iccid: str) -> dict[str, Any]:
        return next(s for s in self.state()["sims"] if s["iccid"] == iccid)

    def groups(self, sim: dict[str, Any]) -> list[str]:
        return sorted(g["name"] for g in sim["groups"])

    def group(self, name: str):
        return next((g for g in self.state()["groups"] if g["name"] == name), None)

    def user(self, email: str):
        return next((u for u in self.state()["users"] if u["email"] == email), None)

    def requests(self) -> list[dict[str, Any]]:
        body = requests.get(f"{self.base}/requests", timeout=10).json()
        return body["requests"] if isinstance(body, dict) else body

    def change_sim(self, iccid: str, **fields) -> None:
        requests.post(f"{self.base}/sims/{iccid}", json=fields, timeout=10).raise_for_status()


@pytest.fixture()
def emu(emulator) -> Emu:
    return Emu(emulator)


def pulumi_cli_missing() -> str:
    return "" if shutil.which("pulumi") else "the Pulumi CLI is not on PATH (it cannot be installed on this machine)"
