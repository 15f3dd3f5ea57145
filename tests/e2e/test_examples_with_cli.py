"""The same scenarios through the real Pulumi CLI (Automation API, local file backend).

Skipped, with the reason, where the `pulumi` CLI is not on PATH.
"""
from __future__ import annotations

import shutil
import sys

import pytest

from tests.conftest import ADMIN_TOKEN
from tests.e2e.conftest import EXAMPLES, project_of

pytestmark = pytest.mark.skipif(
    shutil.which("pulumi") is None,
    reason="the Pulumi CLI is not on PATH (it cannot be installed on this machine); the program runner covers these scenarios",
)


@pytest.fixture()
def stack(emulator, tmp_path):
    from pulumi import automation as auto

    stacks = []

    def make(example: str):
        opts = auto.LocalWorkspaceOptions(
            work_dir=str(EXAMPLES / example),
            env_vars={
                "PULUMI_BACKEND_URL": f"file://{tmp_path}",
                "PULUMI_CONFIG_PASSPHRASE": "",
                "PULUMI_PYTHON_CMD": sys.executable,
                "PULUMI_SKIP_UPDATE_CHECK": "true",
            },
        )
        s = auto.create_or_select_stack(stack_name=f"cli-{example}", work_dir=str(EXAMPLES / example), opts=opts)
        s.set_config("novaconnect:endpoint", auto.ConfigValue(emulator.url))
        s.set_config("novaconnect:token", auto.ConfigValue(ADMIN_TOKEN, secret=True))
        s.set_config("novaconnect:convergeTimeout", auto.ConfigValue("20"))
        s.set_config("novaconnect:pollInterval", auto.ConfigValue("0.05"))
        stacks.append(s)
        return s

    yield make
    for s in stacks:
        s.workspace.remove_stack(s.name, force=True)


@pytest.mark.parametrize("example", ["quickstart", "fleet", "ci"])
def test_cli_preview_up_refresh_destroy(stack, emulator, example):
    import requests

    s = stack(example)
    first = s.preview()
    assert first.change_summary.get("create", 0) > 0 and set(first.change_summary) <= {"create"}
    s.up()
    again = s.preview()
    assert set(again.change_summary) <= {"same"}, again.change_summary
    state = requests.get(f"{emulator.control_url}/state", timeout=10).json()
    assert state["sims"]
    s.refresh()
    s.destroy()
    assert project_of(example)["name"].startswith("novaconnect-")
