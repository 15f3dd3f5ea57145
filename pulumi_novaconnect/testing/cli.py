"""Run a Pulumi program through the real Pulumi CLI, hermetically: the twin of ProgramRunner.

:class:`PulumiCLI` gives a project folder a stack of its own in a temporary folder and runs
``pulumi preview``, ``up``, ``refresh``, ``destroy`` and ``stack export`` on it with:

- a ``file://`` backend and a ``PULUMI_HOME`` inside that folder, so no state, plugin, credential
  or cache of the machine is read or written, and everything goes when the folder does;
- the passphrase secrets provider (``PULUMI_CONFIG_PASSPHRASE``), so secrets in config and state
  are encrypted as in real use, with no service to reach;
- no update check and no plugin downloads (``PULUMI_SKIP_UPDATE_CHECK``,
  ``PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION``), so nothing outside the machine is contacted;
- the project copied into the folder with its ``runtime.options.virtualenv`` pointed at an
  existing virtualenv (by default the one running the tests), so the language host installs
  nothing and the dynamic provider imports the same ``pulumi_novaconnect``.

Use it in CI the same way as :class:`~pulumi_novaconnect.testing.ProgramRunner`::

    cli = PulumiCLI("infra/", workdir=tmp_path, config={
        "novaconnect:endpoint": emulator.url, "novaconnect:token": secret(ADMIN_TOKEN)})
    print(cli.preview(diff=True).text)
    cli.up()
    cli.preview(expect_no_changes=True)

A config value wrapped with :func:`~pulumi_novaconnect.testing.secret` is set with
``--secret``. Each command returns a :class:`CLIResult`; a command that exits non-zero raises
:class:`CLIFailed` with its whole output, unless ``check=False``.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional, Union

import yaml

from .provider_host import is_secret, strip_secrets

__all__ = ["CLIFailed", "CLIResult", "PulumiCLI", "find_pulumi", "normalise", "hermetic_env"]

PASSPHRASE = "novaconnect-tests"
"""The passphrase of every stack a :class:`PulumiCLI` makes (a test secret, not a real one)."""


def find_pulumi() -> Optional[str]:
    """The ``pulumi`` to run: the one on PATH, else the one beside this Python (``make pulumi``
    installs it into the virtualenv's ``bin``)."""
    found = shutil.which("pulumi")
    if found:
        return found
    beside = Path(sys.executable).parent / "pulumi"
    return str(beside) if beside.exists() else None


def hermetic_env(home: Union[str, os.PathLike], pulumi: str, *, passphrase: str = PASSPHRASE,
                 base: Optional[Mapping[str, str]] = None) -> dict[str, str]:
    """The environment of a CLI run that touches nothing outside ``home``: a ``file://`` backend
    and ``PULUMI_HOME`` under it, a passphrase for secrets, no update check, no plugin
    downloads, no Pulumi Cloud token; the CLI's folder first on PATH, so its launchers
    (``pulumi-language-python``, ``pulumi-resource-pulumi-python``) are the ones found."""
    home = Path(home)
    (home / "backend").mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in (base if base is not None else os.environ).items()
           if not k.startswith("PULUMI_")}
    env.update({
        "PULUMI_HOME": str(home / "pulumi-home"),
        "PULUMI_BACKEND_URL": f"file://{home / 'backend'}",
        "PULUMI_CONFIG_PASSPHRASE": passphrase,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PULUMI_SKIP_CONFIRMATIONS": "true",
        "PULUMI_PYTHON_CMD": sys.executable,
        "NO_COLOR": "1",
        "PATH": os.pathsep.join([str(Path(pulumi).parent), env.get("PATH", "")]),
    })
    return env


class CLIFailed(Exception):
    def __init__(self, args: list[str], returncode: int, output: str):
        self.args_, self.returncode, self.output = args, returncode, output
        super().__init__(f"`pulumi {' '.join(args)}` exited with {returncode}:\n{output}")


@dataclass
class CLIResult:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str

    @property
    def text(self) -> str:
        """What a person at the terminal saw: stdout, then stderr."""
        return self.stdout + (("\n" + self.stderr) if self.stderr.strip() else "")

    def json(self) -> Any:
        return json.loads(self.stdout)


_NOISE = [
    (re.compile(r"\(\d+(\.\d+)?m?s\)"), "(Ns)"),                       # step durations
    (re.compile(r"^Duration: .*$", re.M), "Duration: N"),
    (re.compile(r"^(@ (previewing|updating|refreshing|destroying) update)\.+$", re.M), r"\1"),
    (re.compile(r"^View (in browser|Live|Stack|Update).*\n?", re.M), ""),
    (re.compile(r"^.*\bpermalink\b.*\n?", re.M | re.I), ""),
]


def normalise(text: str, *, replace: Optional[Mapping[str, str]] = None) -> str:
    """CLI output without what changes from run to run: durations, progress dots, links, and
    the strings in ``replace`` (temporary paths, ports) swapped for stable names."""
    for old, new in (replace or {}).items():
        text = text.replace(old, new)
    for pattern, new in _NOISE:
        text = pattern.sub(new, text)
    lines = [line.rstrip() for line in text.splitlines()]
    # The CLI redraws progress lines; keep one of each run of identical lines.
    out = [line for i, line in enumerate(lines) if i == 0 or line != lines[i - 1]]
    return "\n".join(out).strip("\n") + "\n"


class PulumiCLI:
    def __init__(
        self,
        project: Union[str, os.PathLike],
        *,
        workdir: Union[str, os.PathLike],
        stack: str = "dev",
        config: Optional[Mapping[str, Any]] = None,
        env: Optional[Mapping[str, str]] = None,
        virtualenv: Optional[str] = None,
        pulumi: Optional[str] = None,
        timeout: float = 900,
    ):
        self.pulumi = pulumi or find_pulumi()
        if not self.pulumi:
            raise FileNotFoundError("the Pulumi CLI is not on PATH (build it with `make pulumi`, or install Pulumi)")
        self.workdir = Path(workdir)
        self.stack = stack
        self.timeout = timeout
        self.project_dir = self.workdir / "project"
        if not self.project_dir.exists():
            shutil.copytree(project, self.project_dir, ignore=shutil.ignore_patterns(
                "Pulumi.*.yaml", "venv", ".venv", "__pycache__"))
            self._point_virtualenv(virtualenv or sys.prefix)
        self.env = hermetic_env(self.workdir, self.pulumi)
        self.env.update(env or {})
        self.project_name = yaml.safe_load((self.project_dir / "Pulumi.yaml").read_text())["name"]
        self._initialised = (self.workdir / "backend" / ".pulumi" / "stacks" / self.project_name
                             / f"{stack}.json").exists()
        if config:
            self.set_config(config)

    def _point_virtualenv(self, virtualenv: str) -> None:
        path = self.project_dir / "Pulumi.yaml"
        project = yaml.safe_load(path.read_text())
        runtime = project.get("runtime")
        if not isinstance(runtime, dict):
            runtime = {"name": runtime or "python"}
        runtime.setdefault("options", {})["virtualenv"] = virtualenv
        runtime["options"].pop("toolchain", None)
        project["runtime"] = runtime
        path.write_text(yaml.safe_dump(project, sort_keys=False))

    # -- running ----------------------------------------------------------------------------
    def run(self, *args: str, check: bool = True, stack: bool = True,
            env: Optional[Mapping[str, str]] = None) -> CLIResult:
        if stack and not self._initialised:
            self._init()
        full = [*args, "--non-interactive", "--color", "never"]
        if stack:
            full += ["--stack", self.stack]
        proc = subprocess.run([self.pulumi, *full], cwd=self.project_dir, env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=self.timeout, stdin=subprocess.DEVNULL)
        result = CLIResult(full, proc.returncode, proc.stdout, proc.stderr)
        if check and proc.returncode != 0:
            raise CLIFailed(full, proc.returncode, result.text)
        return result

    def _init(self) -> None:
        self._initialised = True
        self.run("stack", "init", self.stack, stack=False)

    def set_config(self, config: Mapping[str, Any]) -> None:
        """Set stack config; values wrapped with ``secret()`` become secrets; non-string values
        are set as JSON (``--path`` is not needed for top-level keys)."""
        args = ["config", "set-all"]
        for key, value in config.items():
            flag = "--secret" if is_secret(value) else "--plaintext"
            value = strip_secrets(value)
            text = value if isinstance(value, str) else json.dumps(value)
            args += [flag, f"{key}={text}"]
        self.run(*args)

    # -- the operations ---------------------------------------------------------------------
    def preview(self, *extra: str, diff: bool = False, refresh: bool = False, expect_no_changes: bool = False,
                check: bool = True, env: Optional[Mapping[str, str]] = None) -> CLIResult:
        args = ["preview", *extra]
        args += ["--diff"] if diff else []
        args += ["--refresh"] if refresh else []
        args += ["--expect-no-changes"] if expect_no_changes else []
        return self.run(*args, check=check, env=env)

    def preview_json(self, *extra: str, refresh: bool = False) -> dict[str, Any]:
        return self.preview("--json", *extra, refresh=refresh).json()

    def up(self, *extra: str, refresh: bool = False, skip_preview: bool = False, check: bool = True,
           env: Optional[Mapping[str, str]] = None) -> CLIResult:
        args = ["up", "--yes", *extra]
        args += ["--skip-preview"] if skip_preview else []
        args += ["--refresh"] if refresh else []
        return self.run(*args, check=check, env=env)

    def refresh(self, *extra: str, check: bool = True) -> CLIResult:
        return self.run("refresh", "--yes", "--skip-preview", *extra, check=check)

    def destroy(self, *extra: str, check: bool = True) -> CLIResult:
        return self.run("destroy", "--yes", "--skip-preview", *extra, check=check)

    # -- the stack --------------------------------------------------------------------------
    def export(self, *, show_secrets: bool = False) -> dict[str, Any]:
        """``pulumi stack export``: the checkpoint, secrets encrypted unless ``show_secrets``."""
        return self.run("stack", "export", *(["--show-secrets"] if show_secrets else [])).json()

    def outputs(self) -> dict[str, Any]:
        """The stack's outputs, secrets shown."""
        return self.run("stack", "output", "--json", "--show-secrets").json()

    def resources(self, *, show_secrets: bool = True) -> list[dict[str, Any]]:
        """The custom resources of the stack's state (no stack, no provider resources)."""
        deployment = self.export(show_secrets=show_secrets)["deployment"]
        return [r for r in deployment.get("resources", [])
                if r.get("custom") and not r["type"].startswith("pulumi:providers:")]

    @property
    def state_file(self) -> Path:
        """The checkpoint the ``file://`` backend keeps for this stack."""
        return self.workdir / "backend" / ".pulumi" / "stacks" / self.project_name / f"{self.stack}.json"
