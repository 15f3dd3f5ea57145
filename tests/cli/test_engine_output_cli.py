"""What the real Pulumi CLI shows of preview failures, warnings and refusals.

The engine prints a check failure as ``property <name> value {<whole value>} has a
problem: <reason>``, and a provider's stderr lines as diagnostics of the run. These tests run
`pulumi` itself (skipped where it is not installed) to see that a huge fleet's failure stays
short, that a read-only token previews and stops `up` before any write, that a SIM the
platform holds ends the run with a warning instead of a failure, and that destroy leaves an
adopted group.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pulumi_novaconnect.testing import USER_TOKEN, secret

pytestmark = pytest.mark.cli

PROGRAM = '''
import pulumi
import pulumi_novaconnect as nc

config = pulumi.Config("engine")
case = config.require("case")
sims = config.get_object("sims") or {f"8990{n:016d}": {"name": "x"} for n in range(config.get_int("ghosts") or 0)}
if case == "fleet":
    nc.SimFleet("meters", sims=sims, defaults=config.get_object("defaults"))
elif case == "group":
    nc.Group("meters", name=config.require("group"), adopt=True)
'''

READS = {"sim/list", "group/list", "user/list", "user/get", "company/get"}


@pytest.fixture()
def project(tmp_path) -> Path:
    folder = tmp_path / "engine"
    folder.mkdir()
    (folder / "Pulumi.yaml").write_text("name: engine\nruntime: python\n")
    (folder / "__main__.py").write_text(PROGRAM)
    return folder


def writes(control) -> list[str]:
    return [r["method"] for r in control.requests() if r["method"] not in READS]


def test_a_fleet_of_5000_unknown_iccids_fails_preview_in_a_few_lines(novaconnect_cli, novaconnect_control, project):
    cli = novaconnect_cli(project, {"engine:case": "fleet", "engine:ghosts": "5000"})
    result = cli.preview(check=False)
    assert result.returncode != 0
    text = result.text
    assert len(text) < 10_000, len(text)  # the map alone is ~200 kB, and was printed with every failure
    assert "property sims value" not in text
    assert "resource 'meters' has a problem: sims: 5,000 SIMs (89900000000000000000, " in text
    assert "and 4,980 more (all 5,000 are listed in " in text
    assert writes(novaconnect_control) == []


def test_a_read_only_token_previews_a_change_and_up_stops_before_any_write(novaconnect_cli, novaconnect_control, project):
    sim = novaconnect_control.pick("TC")
    cli = novaconnect_cli(project, {"engine:case": "fleet", "engine:sims": json.dumps({sim["iccid"]: {"name": "pump-1"}})})
    cli.up()
    cli.set_config({"engine:sims": json.dumps({sim["iccid"]: {"name": "pump-2"}}),
                    "novaconnect:token": secret(USER_TOKEN)})
    novaconnect_control.clear_requests()
    preview = cli.preview()
    assert "~ " in preview.text and "update" in preview.text
    assert "novaconnect: warning: the API token belongs to" in preview.text
    assert "this preview works, but `pulumi up` of its changes" in preview.text
    up = cli.up(check=False)
    assert up.returncode != 0
    assert "nothing was changed: to change 1 SIM" in up.text and "the administrator role ('admin')" in up.text
    assert writes(novaconnect_control) == []
    assert novaconnect_control.sim(sim["iccid"])["name"] == "pump-1"


def test_a_sim_the_platform_holds_ends_up_with_a_warning_and_the_next_preview_is_empty(
        novaconnect_cli, novaconnect_control, project):
    tc = novaconnect_control.pick_many("TC", 3)
    novaconnect_control.change_sim(tc[0]["iccid"], block="g")
    sims = {s["iccid"]: {"limit": {"type": "month1", "value_mb": 66}} for s in tc}
    cli = novaconnect_cli(project, {"engine:case": "fleet", "engine:sims": json.dumps(sims),
                                    "engine:defaults": json.dumps({"blocked": False})})
    up = cli.up()  # succeeds: one held SIM does not fail the fleet
    assert "novaconnect: warning: SimFleet 'meters': 1 of 3 SIMs is held by the platform" in up.text
    assert f"SIM {tc[0]['iccid']}: blocked: the SIM is blocked 'g'" in up.text
    assert all(novaconnect_control.sim(s["iccid"])["limit"]["value"] == 66 for s in tc)
    cli.preview(expect_no_changes=True)
    # The resource's name travels as an internal input, which the engine never shows.
    cli.set_config({"engine:sims": json.dumps({**sims, tc[1]["iccid"]: {"name": "renamed"}})})
    assert "__name" not in cli.preview(diff=True).text


def test_destroy_leaves_an_adopted_group_and_says_so(novaconnect_cli, novaconnect_control, project):
    existing = novaconnect_control.groups()[0]["name"]
    cli = novaconnect_cli(project, {"engine:case": "group", "engine:group": existing})
    cli.up()
    novaconnect_control.clear_requests()
    destroyed = cli.destroy()
    assert writes(novaconnect_control) == []
    assert novaconnect_control.group(existing) is not None
    assert f"group {existing!r} was taken over with adopt=True, not created by this stack, so it is left on" in destroyed.text
