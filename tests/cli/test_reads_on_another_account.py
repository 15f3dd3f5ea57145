"""``Resource.get(..., connection=...)`` and the data sources' ``connection`` read another
account, through the real Pulumi CLI: two emulators stand for two accounts, the stack's
``novaconnect:*`` config points at the first, the program's ``connection`` (its token a
secret from config) at the second. The engine's read of a ``get`` and the data sources in
the program reach the second only, and its token is in no output, no log line and not in
plain text in the state."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

import pytest

from pulumi_novaconnect.emulator import Emulator
from pulumi_novaconnect.testing import EmulatorControl
from pulumi_novaconnect.testing.provider_host import secret

PROJECT = "reads-on-b"
SECOND_TOKEN = "nc-second-account-e41b09"

PROGRAM = '''\
import pulumi
import pulumi_novaconnect as nc

config = pulumi.Config()
second = nc.ConnectionArgs(endpoint=config.require("secondEndpoint"), token=config.require_secret("secondToken"))
group = nc.Group.get("b-group", config.require("groupId"), connection=second)
sim = nc.SimConfig.get("b-sim", config.require("iccid"), connection=second)
user = nc.User.get("b-user", config.require("userId"), connection=second)
pulumi.export("group_name", group.name)
pulumi.export("sim_name", sim.name)
pulumi.export("sim_groups", sim.groups)
pulumi.export("user_email", user.email)
pulumi.export("listed", nc.get_sims_output(group=group.name, connection=second).apply(lambda r: r.iccids))
pulumi.export("one_number", nc.get_sim_output(iccid=config.require("iccid"), connection=second).number)
pulumi.export("groups", nc.get_groups_output(name_contains="only on", connection=second).apply(lambda r: r.names))
'''

BAD_PROGRAM = '''\
import pulumi
import pulumi_novaconnect as nc

config = pulumi.Config()
bad = nc.ConnectionArgs(endpoint="api.novaconnect.kz", token=config.require_secret("secondToken"))
pulumi.export("listed", nc.get_sims_output(connection=bad).apply(lambda r: r.iccids))
'''

WRITES = ("group/create", "group/edit", "group/remove", "user/create", "user/edit", "user/password", "user/remove")


@pytest.fixture()
def second() -> Iterator[tuple[Emulator, EmulatorControl]]:
    """Another account: its own emulator, its administrator holding ``SECOND_TOKEN``."""
    with Emulator(sims=20, seed=2, queue_delay=0.05) as emulator, EmulatorControl(emulator) as control:
        admin = next(user for user in control.users() if user["role"] == "admin")
        control.issue_token(admin["id"], SECOND_TOKEN)
        yield emulator, control


def project(folder: Path, program: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Pulumi.yaml").write_text(f"name: {PROJECT}\nruntime: python\n")
    (folder / "__main__.py").write_text(program)
    return folder


def test_gets_and_data_sources_with_a_connection_read_the_other_account_and_keep_its_token_secret(
        novaconnect_cli, novaconnect_control, second, tmp_path):
    other, other_control = second
    sim = other_control.change_sim(other_control.pick("TC")["iccid"], name="pump-b", groups=["Only On B"])
    group = other_control.group("Only On B")
    user = other_control.users()[-1]
    assert all(s["iccid"] != sim["iccid"] for s in novaconnect_control.sims())
    assert novaconnect_control.group("Only On B") is None
    cli = novaconnect_cli(project(tmp_path / "program", PROGRAM), {
        f"{PROJECT}:secondEndpoint": other.url, f"{PROJECT}:secondToken": secret(SECOND_TOKEN),
        f"{PROJECT}:groupId": str(group["id"]), f"{PROJECT}:iccid": sim["iccid"],
        f"{PROJECT}:userId": str(user["id"])})
    novaconnect_control.clear_requests()
    other_control.clear_requests()

    runs = [cli.up()]

    expected = {"group_name": "Only On B", "sim_name": "pump-b", "sim_groups": ["Only On B"],
                "user_email": user["email"], "listed": [sim["iccid"]], "one_number": sim["number"],
                "groups": ["Only On B"]}
    assert cli.outputs() == expected
    # Not secret: a read's outputs and a data source's result hold no token.
    runs.append(cli.run("stack", "output", "--json"))
    assert runs[-1].json() == expected
    assert "sim/list" in other_control.methods() and "group/list" in other_control.methods()
    assert novaconnect_control.requests() == []  # the stack's account was not read
    state = cli.state_file.read_text()
    runs.append(cli.run("stack", "export"))
    assert '"__connection"' in state  # the read's account is recorded, its token encrypted
    runs.append(cli.refresh())  # the next read finds the account in state
    runs.append(cli.destroy())
    assert novaconnect_control.requests() == []
    assert not other_control.sim_writes() and not set(other_control.methods()) & set(WRITES)
    assert other_control.group("Only On B") and other_control.user(user["email"])

    for run in runs:
        assert SECOND_TOKEN not in run.stdout and SECOND_TOKEN not in run.stderr, f"pulumi {' '.join(run.args)}"
    assert SECOND_TOKEN not in state


def test_a_data_source_with_a_malformed_connection_fails_naming_the_function_and_the_field(
        novaconnect_cli, novaconnect_control, tmp_path):
    cli = novaconnect_cli(project(tmp_path / "program", BAD_PROGRAM),
                          {f"{PROJECT}:secondToken": secret(SECOND_TOKEN)})
    novaconnect_control.clear_requests()

    result = cli.up(check=False)

    assert result.returncode != 0
    assert ('error: get_sims: connection.endpoint must be an http:// or https:// URL with a host, '
            'such as https://api.novaconnect.kz/api, got "api.novaconnect.kz"') in result.text
    assert "Traceback" not in result.text and not re.search(r'^\s*File ".*", line \d+', result.text, re.M), result.text
    assert SECOND_TOKEN not in result.text
    assert novaconnect_control.requests() == []
