"""The NovaConnect policy pack through the real CLI: an organisation's limits hold a stack
whose own guardrails would let the change through, under `pulumi preview --policy-pack`
and `pulumi up --policy-pack`, with 0 writes; the same change passes with the pack's limit
raised; a SIM the pack marks critical is refused; resources that are not ours are left alone."""
from __future__ import annotations

import json
from pathlib import Path

from pulumi_novaconnect.policy_pack import main as write_pack
from pulumi_novaconnect.testing import EmulatorControl
from pulumi_novaconnect.testing.cli import PulumiCLI

from .conftest import write_project

PROJECT = "packed"
PROGRAM = '''\
import json
import pulumi
import pulumi_novaconnect as nc
from pulumi.dynamic import CreateResult, Resource, ResourceProvider


class OtherProvider(ResourceProvider):
    def create(self, props):
        return CreateResult("other-1", props)


class Other(Resource):
    def __init__(self, name, props):
        super().__init__(OtherProvider(), name, props)


config = pulumi.Config()
# Another dynamic resource, with inputs of its own: the pack leaves it be.
Other("other", {"blocked": True, "count": 5000})
nc.SimFleet("field", sims={iccid: {"blocked": True} for iccid in json.loads(config.require("block"))})
'''


def project(folder: Path) -> Path:
    return write_project(folder, PROJECT, PROGRAM)


def pack(folder: Path, **config) -> tuple[Path, Path]:
    assert write_pack([str(folder / "pack")]) == 0
    limits = folder / "limits.json"
    limits.write_text(json.dumps({"novaconnect-guardrails": config}))
    return folder / "pack", limits


def test_the_pack_holds_a_stack_to_the_organisations_limit_whatever_its_own_config(novaconnect_cli,
                                                                                 novaconnect_control, tmp_path):
    emu: EmulatorControl = novaconnect_control
    working = [s["iccid"] for s in emu.pick_many("TC", 3)]
    folder, limits = pack(tmp_path, maxBlocks=2)
    # The stack's own limit is well above the change: only the pack stops it.
    cli: PulumiCLI = novaconnect_cli(project(tmp_path / "program"), {
        f"{PROJECT}:block": json.dumps(working), "novaconnect:maxBlocks": "50"})
    emu.clear_requests()

    refused = cli.preview("--policy-pack", str(folder), "--policy-pack-config", str(limits), check=False)
    assert refused.returncode != 0 and "Traceback" not in refused.text
    assert "novaconnect-guardrails" in refused.text and "mandatory" in refused.text
    assert ("SimFleet 'field': this `pulumi up` would block 3 SIMs, over the policy pack's "
            "novaconnect-guardrails.maxBlocks = 2; nothing was changed") in refused.text
    assert "other" not in {line.split()[-1] for line in refused.text.splitlines() if "mandatory" in line}

    up = cli.up("--policy-pack", str(folder), "--policy-pack-config", str(limits), check=False)
    assert up.returncode != 0 and "novaconnect-guardrails.maxBlocks = 2" in up.text
    assert emu.sim_writes() == {} and all(emu.sim(i)["block"] == "n" for i in working)

    # The organisation raises its limit for this run: the same change applies.
    limits.write_text(json.dumps({"novaconnect-guardrails": {"maxBlocks": 3}}))
    cli.up("--policy-pack", str(folder), "--policy-pack-config", str(limits))
    assert emu.sim_writes() == {"sim/block": 1} and all(emu.sim(i)["block"] == "u" for i in working)

    # Applied, nothing is left to change: the pack passes the next preview at its first limit.
    limits.write_text(json.dumps({"novaconnect-guardrails": {"maxBlocks": 2}}))
    cli.preview("--policy-pack", str(folder), "--policy-pack-config", str(limits))


def test_the_pack_refuses_a_change_to_a_sim_it_marks_critical(novaconnect_cli, novaconnect_control, tmp_path):
    emu: EmulatorControl = novaconnect_control
    working = [s["iccid"] for s in emu.pick_many("TC", 2)]
    folder, limits = pack(tmp_path, criticalSims=[working[1]])
    cli: PulumiCLI = novaconnect_cli(project(tmp_path / "program"), {f"{PROJECT}:block": json.dumps(working)})
    emu.clear_requests()

    refused = cli.preview("--policy-pack", str(folder), "--policy-pack-config", str(limits), check=False)
    assert refused.returncode != 0
    assert f"SIM {working[1]}" in refused.text and "is critical (novaconnect-guardrails.criticalSims)" in refused.text
    assert emu.sim_writes() == {}
