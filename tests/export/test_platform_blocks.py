"""A block the platform holds is exported unmanaged: the program adopts it with no write
call, and does not turn it into a user block once the platform lifts its own."""
from __future__ import annotations

import pytest
import yaml

from pulumi_novaconnect import read_inventory
from pulumi_novaconnect.export.__main__ import main
from pulumi_novaconnect.testing import ADMIN_TOKEN, ProgramRunner, secret

# Every method a program may call to read the account; any other changes it.
READS = {"sim/list", "group/list", "user/list", "user/get", "company/get", "bill/list"}


@pytest.fixture()
def held(env, novaconnect_control):
    """SIMs held blocked by the platform (package ran out, operator), next to the seeded m/f ones."""
    package = novaconnect_control.pick("TD")
    operator = novaconnect_control.pick("TC")
    novaconnect_control.change_sim(package["iccid"], block="p")
    novaconnect_control.change_sim(operator["iccid"], block="g")
    return {"p": package["iccid"], "g": operator["iccid"]}


def test_platform_held_blocks_are_left_unmanaged_and_the_users_own_are_declared(held, novaconnect_control, tmp_path):
    assert main(["--out", str(tmp_path)]) == 0
    inventory = read_inventory(tmp_path / "inventory.csv")
    for sim in novaconnect_control.sims():
        declared = inventory[sim["iccid"]]
        if sim["block"] in ("n", "u"):
            assert declared["blocked"] is (sim["block"] == "u"), sim["iccid"]
        else:
            assert "blocked" not in declared, (sim["iccid"], sim["block"])
    assert {s["block"] for s in novaconnect_control.sims()} >= {"m", "p", "f", "g", "u", "n"}


def test_the_program_adopts_held_sims_with_no_write_and_leaves_them_when_the_platform_lifts_its_block(
        held, novaconnect_control, tmp_path, capsys):
    out = tmp_path / "account"
    assert main(["--out", str(out), "--format", "yaml"]) == 0
    runner = ProgramRunner(
        str(out), project=yaml.safe_load((out / "Pulumi.yaml").read_text())["name"], stack="adopt",
        config={"novaconnect:endpoint": novaconnect_control.api_url, "novaconnect:token": secret(ADMIN_TOKEN),
                "novaconnect:convergeTimeout": "20", "novaconnect:pollInterval": "0.05"},
        state_path=tmp_path / "state.json",
    )
    novaconnect_control.clear_requests()
    runner.up()
    assert set(novaconnect_control.methods()) <= READS

    # The bill is paid, the operator lifts its block: the SIMs were never the team's to block.
    novaconnect_control.change_sim(held["g"], block="n")
    novaconnect_control.change_sim(held["p"], block="n")
    assert runner.preview().changes == []
    runner.up()
    assert set(novaconnect_control.methods()) <= READS
    assert novaconnect_control.sim(held["g"])["block"] == "n" and novaconnect_control.sim(held["p"])["block"] == "n"
    capsys.readouterr()
    assert main(["--check", str(out)]) == 0
