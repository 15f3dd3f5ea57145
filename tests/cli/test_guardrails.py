"""The guardrails on one `pulumi up`, through the real CLI: a change over a limit stops at
preview before any call, the same change goes through with the limit raised for that run,
and a critical SIM is refused whatever the limits say; the review JSON lands for CI."""
from __future__ import annotations

import json
from pathlib import Path

from pulumi_novaconnect.testing import EmulatorControl
from pulumi_novaconnect.testing.cli import PulumiCLI

from .conftest import write_project

PROJECT = "guardrails"
PROGRAM = '''\
import json
import pulumi
import pulumi_novaconnect as nc

config = pulumi.Config()
nc.SimFleet("field", sims={iccid: {"blocked": True} for iccid in json.loads(config.require("block"))})
'''


def project(folder: Path) -> Path:
    return write_project(folder, PROJECT, PROGRAM)


def writes(emu: EmulatorControl) -> dict[str, int]:
    return emu.sim_writes()


def test_blocks_over_the_limit_stop_at_preview_and_go_through_raised_for_one_run(novaconnect_cli, novaconnect_control,
                                                                                 tmp_path):
    emu = novaconnect_control
    working = [s["iccid"] for s in emu.pick_many("TC", 3)]
    reviews = tmp_path / "reviews"
    cli: PulumiCLI = novaconnect_cli(project(tmp_path / "program"), {
        f"{PROJECT}:block": json.dumps(working), "novaconnect:maxBlocks": "2",
        "novaconnect:reviewDir": str(reviews)})
    emu.clear_requests()

    refused = cli.up(check=False)
    assert refused.returncode != 0 and "Traceback" not in refused.text
    assert ("SimFleet 'field': this `pulumi up` would block 3 SIMs, over novaconnect:maxBlocks = 2; nothing was "
            "changed") in refused.text
    assert "`NOVACONNECT_MAX_BLOCKS=3 pulumi up`" in refused.text
    assert writes(emu) == {} and all(emu.sim(i)["block"] == "n" for i in working)

    cli.up(env={"NOVACONNECT_MAX_BLOCKS": "3"})
    assert writes(emu) == {"sim/block": 1} and all(emu.sim(i)["block"] == "u" for i in working)
    (review,) = [json.loads(path.read_text()) for path in reviews.glob("*.json")]
    assert review["schema"] == "novaconnect-review/1" and review["resource"] == "SimFleet 'field'"
    assert review["counts"] == {"block": 3} and sorted(c["iccid"] for c in review["high_risk"]) == sorted(working)


def test_a_critical_sim_is_never_blocked_whatever_the_limits(novaconnect_cli, novaconnect_control, tmp_path):
    emu = novaconnect_control
    working = [s["iccid"] for s in emu.pick_many("TC", 2)]
    cli: PulumiCLI = novaconnect_cli(project(tmp_path / "program"), {
        f"{PROJECT}:block": json.dumps(working), "novaconnect:criticalSims": json.dumps([working[1]])})
    emu.clear_requests()

    refused = cli.preview(check=False, env={"NOVACONNECT_MAX_BLOCKS": "1000"})
    assert refused.returncode != 0
    assert f"SIM {working[1]}" in refused.text and "is critical (novaconnect:criticalSims)" in refused.text
    assert writes(emu) == {}
