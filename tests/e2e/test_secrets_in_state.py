"""What lands in the state file: no token anywhere, the password only as a secret."""
from __future__ import annotations

import json

import pulumi_novaconnect as nc
from tests.e2e.conftest import stack_config
from pulumi_novaconnect.testing.program_runner import ProgramRunner
from pulumi_novaconnect.testing.provider_host import is_secret
from pulumi_novaconnect.testing import ADMIN_TOKEN


def program():
    nc.User("ops", first_name="Aigerim", last_name="Sadykova", email="ops@example.kz",
            phone="+77010000000", password="correct-horse-battery")


def test_state_holds_no_token_and_the_password_only_as_a_secret(emulator, tmp_path):
    runner = ProgramRunner(program, project="secrets", stack="e2e", config=stack_config("quickstart", emulator),
                           state_path=tmp_path / "state.json")
    runner.up()
    text = (tmp_path / "state.json").read_text()
    assert ADMIN_TOKEN not in text
    [user] = json.loads(text)["resources"]
    assert is_secret(user["outputs"]["password"]) and is_secret(user["inputs"]["password"])
    assert not is_secret(user["outputs"]["__provider"]) and len(user["outputs"]["__provider"]) < 400
    assert ADMIN_TOKEN not in runner.last_host_stderr and "correct-horse-battery" not in runner.last_host_stderr
    assert runner.preview().changes == []
