"""The CLI tier: programs through the real Pulumi CLI (`make pulumi` builds the pinned one).

Every test here is marked ``cli``. Where no ``pulumi`` is found they skip with the reason,
except under ``CI=true``, where the ``novaconnect_cli`` fixture fails them instead.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_novaconnect.testing import PulumiCLI

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.cli)


def write_project(folder: Path, name: str, program: str) -> Path:
    """A Pulumi project of one Python program, written to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
    (folder / "__main__.py").write_text(program)
    return folder


def project_name(folder: Path) -> str:
    return yaml.safe_load((folder / "Pulumi.yaml").read_text())["name"]


@pytest.fixture()
def example_cli(novaconnect_cli):
    """``example_cli("fleet", limitMb=300)``: a PulumiCLI on a copy of ``examples/<name>`` against
    the test's emulator; keyword config is the project's own (``<project>:<key>``)."""

    def make(example: str, *, stack: str = "dev", env: dict[str, str] | None = None, **config: Any) -> PulumiCLI:
        folder = EXAMPLES / example
        name = project_name(folder)
        return novaconnect_cli(folder, {f"{name}:{k}": v for k, v in config.items()}, stack=stack, env=env)

    return make
