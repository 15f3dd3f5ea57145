"""End-to-end: whole example programs through preview, up, refresh and destroy."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_novaconnect.testing import ADMIN_TOKEN, EmulatorControl, ProgramRunner
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


@pytest.fixture()
def emu(novaconnect_control) -> EmulatorControl:
    """The emulator as a test sees it: through its control surface, never our client."""
    return novaconnect_control
