"""examples/ci: the program a pipeline applies, and the workflow that applies it."""
from __future__ import annotations

import yaml

from tests.e2e.conftest import EXAMPLES

PILOTS = {"8997255591747756194": 200, "8997134549860155211": 100}
RESOURCES = {"pilot"} | {f"pilot-{i[-6:]}" for i in PILOTS}


def test_preview_lists_the_creates_then_up_converges_and_nothing_is_left(make_runner, emu):
    runner = make_runner("ci")
    preview = runner.preview()
    assert {s.name for s in preview.changes} == RESOURCES and {s.kind for s in preview.changes} == {"create"}
    runner.up()
    for iccid, limit in PILOTS.items():
        sim = emu.sim(iccid)
        assert emu.group_names(sim) == ["Pilot"] and sim["limit"]["value"] == limit and sim["block"] == "n"
    assert runner.preview().changes == []


def test_a_config_edit_previews_and_applies_only_that_sim(make_runner, emu):
    make_runner("ci").up()
    edited = make_runner("ci", pilotSims={**PILOTS, "8997255591747756194": 250})
    assert edited.preview().text == "~ update pilot-756194 [diff: limit]"
    edited.up()
    assert emu.sim("8997255591747756194")["limit"]["value"] == 250


def test_drift_is_shown_by_refresh_and_repaired(make_runner, emu):
    runner = make_runner("ci")
    runner.up()
    emu.change_sim("8997134549860155211", block="u")
    assert "blocked" in runner.refresh().step("pilot-155211").diff  # with the live block code beside it
    runner.up()
    assert emu.sim("8997134549860155211")["block"] == "n"


def test_destroy_retains_the_sims_and_removes_the_group(make_runner, emu):
    runner = make_runner("ci")
    runner.up()
    runner.destroy()
    assert emu.group("Pilot") is None
    for iccid, limit in PILOTS.items():
        assert emu.sim(iccid)["limit"]["value"] == limit  # on_delete defaults to retain


def test_workflow_previews_pull_requests_and_applies_main_with_the_token_from_secrets():
    workflow = yaml.safe_load((EXAMPLES / "ci" / ".github" / "workflows" / "pulumi.yml").read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    assert workflow["env"]["NOVACONNECT_TOKEN"] == "${{ secrets.NOVACONNECT_TOKEN }}"
    steps = {name: job["steps"] for name, job in workflow["jobs"].items()}
    preview = next(s for s in steps["preview"] if str(s.get("uses", "")).startswith("pulumi/actions"))
    assert preview["with"]["command"] == "preview"
    assert preview["with"]["refresh"] is True and preview["with"]["diff"] is True
    assert preview["with"]["comment-on-pr"] is True
    assert "pull_request" in workflow["jobs"]["preview"]["if"]
    up = next(s for s in steps["up"] if str(s.get("uses", "")).startswith("pulumi/actions"))
    assert up["with"]["command"] == "up"
    assert "refs/heads/main" in workflow["jobs"]["up"]["if"]
    assert "token" not in yaml.safe_dump(workflow["jobs"]).lower().replace("github-token", "").replace(
        "secrets.github_token", "").replace("gh_token", "")
