"""examples/ci's workflow, run as GitHub Actions would run it, against the emulator.

A copy of the repository's tracked files stands in for `actions/checkout`; a virtualenv made
for the test stands in for `actions/setup-python` (it sees the test's installed packages,
all but this one, through a ``.pth`` file, so `pip install` needs nothing from the network);
a wheel built from that copy, served from a folder as a package index would serve it
(``PIP_FIND_LINKS`` with ``PIP_NO_INDEX``), stands in for PyPI, since the program's
`requirements.txt` names the package as a user's would; every `run:` step runs in order
with its `working-directory` and the workflow's `env:`; each `pulumi/actions` step becomes
the program runner with the same command and options, in that virtualenv, from `work-dir`. Secrets and variables are
filled in the way the README tells a user to set them, the real platform's URL replaced
by the emulator's through the variable the workflow reads.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ADMIN_TOKEN
from tests.e2e.conftest import EXAMPLES

ROOT = EXAMPLES.parent
WORKFLOW = EXAMPLES / "ci" / ".github" / "workflows" / "pulumi.yml"
PILOTS = {"8997255591747756194": 200, "8997134549860155211": 100}
RESOURCES = {"pilot"} | {f"pilot-{i[-6:]}" for i in PILOTS}

pytestmark = pytest.mark.slow

# What `pulumi/actions` does with its inputs, through the program runner: refresh first when
# asked (`--refresh`), then the command; prints the steps as JSON for the test to read.
ACTION = textwrap.dedent(
    """
    import json, os, sys
    import yaml
    from pulumi_novaconnect.testing.program_runner import ProgramRunner

    inputs, state = json.loads(sys.argv[1]), sys.argv[2]
    project = yaml.safe_load(open("Pulumi.yaml"))
    config = {k: v for k, v in (project.get("config") or {}).items() if not isinstance(v, dict)}
    runner = ProgramRunner(".", project=project["name"], stack=inputs["stack-name"], config=config, state_path=state)
    if inputs.get("refresh"):
        runner.refresh()
    result = runner.preview() if inputs["command"] == "preview" else runner.up()
    print(json.dumps({"steps": [[s.kind, s.name] for s in result.changes], "text": result.text}))
    """
)


def tracked_copy(dest: Path) -> Path:
    """What `actions/checkout` gives the job: the repository's tracked files."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source = ROOT / name
        if source.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)
    return dest


def setup_python(dest: Path) -> Path:
    """A fresh virtualenv whose `bin` goes first on PATH, seeing the test's installed packages
    except pulumi-novaconnect itself (which the job must install from what it is given)."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(dest)], check=True)
    venv_python = dest / "bin" / "python"
    purelib = subprocess.run(
        [str(venv_python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    # The test's site-packages after the venv's own, so what the job installs wins; pip comes
    # from there too (`python -m pip`), as setup-python's interpreter brings its own. It is
    # seen through links that leave this package out: pip would otherwise find the test's
    # (editable) copy already installed and keep it.
    shared = dest / "preinstalled"
    shared.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not entry.name.lower().replace("-", "_").startswith(("pulumi_novaconnect", "__editable__")):
            (shared / entry.name).symlink_to(entry)
    Path(purelib, "_test_site.pth").write_text(f"{shared}\n")
    bin_dir = dest / "bin"
    (bin_dir / "pip").write_text(f'#!/bin/sh\nexec "{venv_python}" -m pip "$@"\n')
    (bin_dir / "pip").chmod(0o755)
    return bin_dir


def expand(value: Any, context: dict[str, dict[str, str]]) -> Any:
    """`${{ secrets.X }}`, `${{ vars.X || 'default' }}`: the expressions this workflow uses."""
    if not isinstance(value, str):
        return value

    def one(match: re.Match) -> str:
        for alternative in match.group(1).split("||"):
            alternative = alternative.strip()
            if alternative.startswith("'"):
                return alternative.strip("'")
            area, _, name = alternative.partition(".")
            found = context.get(area, {}).get(name, "")
            if found:
                return found
        return ""

    return re.sub(r"\$\{\{(.*?)\}\}", one, value)


def build_wheel(repo: Path, dest: Path) -> Path:
    """The wheel of the checked-out package, in a folder pip reads as its only index."""
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dest), str(repo)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(list(dest.glob("pulumi_novaconnect-*.whl"))) == 1
    return dest


class Job:
    def __init__(self, workflow: dict, name: str, repo: Path, python_bin: Path, context: dict, state: Path,
                 wheels: Path):
        self.spec, self.repo, self.state, self.context = workflow["jobs"][name], repo, state, context
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("NOVACONNECT_", "PULUMI_", "PIP_"))},
            **{k: expand(v, context) for k, v in workflow.get("env", {}).items()},
            "PATH": f"{python_bin}{os.pathsep}{os.environ['PATH']}",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            # The package index: the built wheel and nothing else (pip.conf's indexes are
            # not consulted either), as a private index serving one release would be.
            "PIP_FIND_LINKS": str(wheels),
            "PIP_NO_INDEX": "1",
            "PIP_CONFIG_FILE": os.devnull,
            "RUNNER_TEMP": context["runner"]["temp"],
            "GITHUB_REPOSITORY": context["github"]["repository"],
        }
        self.env.pop("PYTHONPATH", None)
        self.env.pop("VIRTUAL_ENV", None)
        self.outputs: list[dict] = []

    def run(self) -> "Job":
        for step in self.spec["steps"]:
            uses = str(step.get("uses", ""))
            env = {**self.env, **{k: expand(v, self.context) for k, v in (step.get("env") or {}).items()}}
            if "run" in step:
                cwd = self.repo / step.get("working-directory", ".")
                done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=cwd, env=env,
                                      capture_output=True, text=True, timeout=300)
                assert done.returncode == 0, f"`{step['run']}` failed:\n{done.stdout}\n{done.stderr}"
            elif uses.startswith("pulumi/actions"):
                self.outputs.append(self.pulumi(step["with"], env))
            else:
                assert uses.startswith(("actions/checkout", "actions/setup-python")), f"unexpected step {step}"
        return self

    def pulumi(self, inputs: dict, env: dict[str, str]) -> dict:
        done = subprocess.run(
            ["python", "-c", ACTION, json.dumps(inputs), str(self.state)],
            cwd=self.repo / inputs["work-dir"], env=env, capture_output=True, text=True, timeout=300,
        )
        assert done.returncode == 0, f"pulumi {inputs['command']} failed:\n{done.stdout}\n{done.stderr}"
        return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture()
def ci(tmp_path, emulator):
    """Run a job of the workflow for an event; state persists across jobs like a backend's."""
    workflow = yaml.safe_load(WORKFLOW.read_text())
    repo = tracked_copy(tmp_path / "repo")
    python_bin = setup_python(tmp_path / "python")
    wheels = build_wheel(repo, tmp_path / "wheels")
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    # The GitHub CLI that hosted runners carry, standing in: it records each comment it posts.
    gh = python_bin / "gh"
    gh.write_text('#!/bin/sh\n[ "$1 $2" = "pr comment" ] || exit 9\n'
                  f'"{python_bin / "python"}" -c \'import json, sys; args = sys.argv[1:]; '
                  'body = open(args[args.index("--body-file") + 1]).read(); '
                  'print(json.dumps({"args": args, "body": body}))\' "$@" >> "$RUNNER_TEMP/comments.jsonl"\n')
    gh.chmod(0o755)
    context = {
        "secrets": {"NOVACONNECT_TOKEN": ADMIN_TOKEN, "PULUMI_ACCESS_TOKEN": "unused-by-the-runner",
                    "GITHUB_TOKEN": "unused-by-the-stand-in"},
        "vars": {"NOVACONNECT_ENDPOINT": emulator.url},
        "runner": {"temp": str(runner_temp)},
        "github": {"repository": "acme/fleet", "event.pull_request.number": "7"},
    }

    def run(event: str) -> Job:
        [name] = [n for n, job in workflow["jobs"].items() if f"'{event}'" in job["if"]]
        return Job(workflow, name, repo, python_bin, context, tmp_path / "prod.state.json", wheels).run()

    run.workflow = workflow
    run.repo = repo
    run.runner_temp = runner_temp
    run.python = tmp_path / "python"
    return run


def test_the_workflow_reads_the_endpoint_from_a_variable_defaulting_to_the_real_platform():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert expand(workflow["env"]["NOVACONNECT_ENDPOINT"], {}) == "https://api.novaconnect.kz/api"
    project = yaml.safe_load((EXAMPLES / "ci" / "Pulumi.yaml").read_text())
    assert not any(key.startswith("novaconnect:") for key in project.get("config") or {})


def test_pull_request_previews_then_main_applies_with_settings_from_the_environment_alone(ci, emulator, tmp_path):
    import requests

    def state() -> dict:
        return requests.get(f"{emulator.control_url}/state", timeout=10).json()

    def held(snapshot: dict) -> tuple:
        return snapshot["sims"], snapshot["groups"], snapshot["users"]

    before = state()
    preview = ci("pull_request")
    [result] = preview.outputs
    assert {tuple(s) for s in result["steps"]} == {("create", name) for name in RESOURCES}
    # The digest of what the change does to SIMs went to the pull request as a comment.
    [comment] = [json.loads(line) for line in (ci.runner_temp / "comments.jsonl").read_text().splitlines()]
    assert comment["args"][:5] == ["pr", "comment", "7", "--repo", "acme/fleet"]
    assert comment["body"].startswith("### NovaConnect: what this change does to SIMs")
    for iccid in PILOTS:
        assert f"| SimConfig 'pilot-{iccid[-6:]}' | 1 |" in comment["body"]
    after = state()
    assert held(after) == held(before)  # a preview changes nothing...
    assert {"sim/list", "group/list"} <= {r["method"] for r in after["requests"]}  # ...but read the emulator

    up = ci("push")
    assert {tuple(s) for s in up.outputs[0]["steps"]} == {("create", name) for name in RESOURCES}
    sims = {s["iccid"]: s for s in state()["sims"]}
    for iccid, limit in PILOTS.items():
        assert [g["name"] for g in sims[iccid]["groups"]] == ["Pilot"] and sims[iccid]["limit"]["value"] == limit

    again = ci("pull_request")
    assert again.outputs[0]["steps"] == []  # the next pull request sees nothing to do
    # The job ran the package its pip step installed (the wheel, into the job's Python), not
    # the test's own copy and not the checkout's source folder.
    where = subprocess.run(["python", "-c", "import pulumi_novaconnect as p; print(p.__file__)"], env=again.env, cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(ci.python) and "site-packages" in Path(where).parts
    installer = next(Path(where).parents[1].glob("pulumi_novaconnect-*.dist-info")) / "direct_url.json"
    assert not installer.exists() or "editable" not in installer.read_text()
