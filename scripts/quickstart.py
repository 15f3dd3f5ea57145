"""The README's main job: start the emulator, apply examples/quickstart to it, show the result.

With the Pulumi CLI on PATH or beside this Python (`make pulumi` builds it into .venv/bin) it
runs `pulumi preview` and `pulumi up` for real, hermetically (local file backend and
PULUMI_HOME in a temporary folder, passphrase secrets, nothing downloaded); without it, the repository's program runner drives the SDK's
provider host the way the engine does. Either way it says which one ran, then prints the
emulator's state for what the program manages, read from the emulator's control surface.

    python scripts/quickstart.py [--keep-running] [--port 8765]

It imports the package installed in the running Python, not the files beside it, so the
same script checks a built wheel: run it with the Python of a virtualenv the wheel was
installed into (CI does, from a folder outside the checkout). It prints which copy of the
package it runs and which one the provider host imports.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import requests
import yaml

import pulumi_novaconnect
from pulumi_novaconnect.testing.cli import find_pulumi
from pulumi_novaconnect.emulator import Emulator

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "quickstart"

TOKEN = "admin-token"


def run_with_cli(pulumi: str, url: str, workdir: Path) -> None:
    """`pulumi preview` and `pulumi up` on a copy of the example, hermetically: a file backend
    and PULUMI_HOME in the temporary folder, passphrase secrets, nothing downloaded."""
    from pulumi_novaconnect.testing import PulumiCLI
    from pulumi_novaconnect.testing.provider_host import secret

    cli = PulumiCLI(EXAMPLE, workdir=workdir, stack="quickstart", pulumi=pulumi,
                    config={"novaconnect:endpoint": url, "novaconnect:token": secret(TOKEN)})
    print(f"pulumi {cli.run('version', stack=False).stdout.strip()}")
    print(cli.preview().stdout)
    print(cli.up(skip_preview=True).stdout)


def run_with_runner(url: str, workdir: Path) -> None:
    from pulumi_novaconnect.testing.program_runner import ProgramRunner
    from pulumi_novaconnect.testing.provider_host import secret

    project = yaml.safe_load((EXAMPLE / "Pulumi.yaml").read_text())
    runner = ProgramRunner(
        str(EXAMPLE),
        project=project["name"],
        stack="quickstart",
        config={"novaconnect:endpoint": url, "novaconnect:token": secret(TOKEN)},
        state_path=workdir / "state.json",
    )
    print("Previewing update (quickstart):")
    print(_indent(runner.preview().text))
    print("Updating (quickstart):")
    result = runner.up()
    print(_indent(result.text))
    print(f"Resources: {len(result.changes)} changed")
    if result.outputs:
        print("Outputs:")
        print(_indent(json.dumps(_whole(result.outputs), indent=2, default=str)))


def show_state(emu: Emulator) -> None:
    state = requests.get(f"{emu.control_url}/state", timeout=10).json()
    group = next((g for g in state["groups"] if g["name"] == "Quickstart"), None)
    print("\nConverged state on the emulator (GET /_emulator/state):")
    print(f"  group    {group['name']!r} (id {group['id']})" if group else "  group    Quickstart: missing")
    for user in state["users"]:
        if user["email"] == "ops@example.kz":
            print(f"  user     {user['email']} role={user['role']} active={user['active']}")
    for sim in state["sims"]:
        if any(g["name"] == "Quickstart" for g in sim["groups"]):
            limit = sim["limit"] or {}
            print(
                f"  sim      {sim['iccid']} {sim['profile']} name={sim['name']!r} block={sim['block']} "
                f"limit={limit.get('type')}/{limit.get('value')} MB groups={[g['name'] for g in sim['groups']]}"
            )


def _whole(value):
    """Numbers cross the wire as doubles (5 -> 5.0); show whole ones as the CLI does."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _whole(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole(v) for v in value]
    return value


def _indent(text: str) -> str:
    return "\n".join("    " + line for line in text.splitlines()) or "    (no changes)"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Start the emulator and apply examples/quickstart to it.")
    parser.add_argument("--port", type=int, default=0, help="emulator port (default: a free one)")
    parser.add_argument("--keep-running", action="store_true", help="keep serving the emulator afterwards")
    args = parser.parse_args(argv)

    from pulumi_novaconnect.testing import provider_host

    print(f"pulumi_novaconnect {pulumi_novaconnect.__version__} from {Path(pulumi_novaconnect.__file__).parent}")
    # The host process finds the pickled provider classes on this path (its PYTHONPATH).
    print(f"provider host imports pulumi_novaconnect from {provider_host.REPO_ROOT}")
    with Emulator(port=args.port, sims=50, seed=1, queue_delay=0.2) as emu:
        print(f"NovaConnect emulator at {emu.url} (50 SIMs, seed 1; admin token {TOKEN!r})")
        with tempfile.TemporaryDirectory(prefix="novaconnect-quickstart-") as tmp:
            pulumi = find_pulumi()
            if pulumi:
                print(f"Applying examples/quickstart with the Pulumi CLI at {pulumi} (local file backend)\n")
                run_with_cli(pulumi, emu.url, Path(tmp))
            else:
                print(
                    "The Pulumi CLI is not installed: applying examples/quickstart with the package's program "
                    "runner, which drives the Pulumi SDK's provider host as the engine would. `make pulumi` "
                    "builds the pinned CLI into .venv/bin (it needs Go); then this runs `pulumi up` for real.\n"
                )
                run_with_runner(emu.url, Path(tmp))
        show_state(emu)
        if args.keep_running:
            print(f"\nServing {emu.url}; Ctrl-C to stop.")
            try:
                import threading

                threading.Event().wait()
            except KeyboardInterrupt:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
