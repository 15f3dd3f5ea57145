"""What the Pulumi CLI prints for our resources: never the API token; our expected errors as
one readable line (a bug keeps its traceback); progress while the platform's queue works."""
from __future__ import annotations

import ast
import base64
import importlib.machinery
import json
import re
import sys
import traceback
import types
from pathlib import Path
from typing import Any

import pulumi.dynamic
import pytest

from pulumi_novaconnect.errors import OperationFailed
from pulumi_novaconnect.provider import errors_display
from pulumi_novaconnect.testing import EmulatorControl, secret

PROJECT = "cli-output"

SIM_PROGRAM = '''\
import pulumi
import pulumi_novaconnect as nc

config = pulumi.Config()
nc.SimConfig(
    "pump-7",
    iccid=config.require("iccid"),
    name=config.get("name") or "pump-7",
    limit=nc.SimLimitArgs(type="month1", value_mb=config.get_int("limitMb") or 500),
)
if config.get_bool("lookup"):  # a data source reads the token in the program's own process
    pulumi.export("meters", len(nc.get_sims(group="Meters").iccids))
'''

# A dynamic resource of the program's own, whose check raises what it is told: one of the
# package's errors, or a bug. It imports the package in the provider host, as every NovaConnect
# resource does.
PROBE_PROGRAM = '''\
import pulumi
from pulumi.dynamic import Resource, ResourceProvider


class ProbeProvider(ResourceProvider):
    def check(self, olds, news):
        import pulumi_novaconnect.provider.base  # noqa: F401
        from pulumi_novaconnect.errors import Unreachable

        if news["kind"] == "expected":
            raise Unreachable("SIM 89977070499962283034: limit cannot be set on a TD SIM; nothing was changed")
        return {}["limit"]  # a bug: KeyError


class Probe(Resource):
    def __init__(self, name, kind):
        super().__init__(ProbeProvider(), name, {"kind": kind})


Probe("probe", pulumi.Config().require("kind"))
'''


def project(folder: Path, program: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Pulumi.yaml").write_text(f"name: {PROJECT}\nruntime: python\n")
    (folder / "__main__.py").write_text(program)
    return folder


def diagnostics(text: str) -> dict[str, list[str]]:
    """The CLI's (last) Diagnostics section: each resource heading ("pulumi:pulumi:Stack
    (cli-output-dev)") with its lines, indentation taken off. `pulumi up` prints one for its
    preview and one for the update."""
    found: dict[str, list[str]] = {}
    if "\nDiagnostics:\n" not in text:
        return found
    body = text.rsplit("\nDiagnostics:\n", 1)[1]
    heading = None
    for line in body.splitlines():
        if re.match(r"^\S", line):  # "Resources:", the end of the section
            break
        if re.match(r"^  \S.*:$", line):
            heading = line.strip()[:-1]
            found[heading] = []
        elif heading and line.strip():
            found[heading].append(line.strip())
    return found


def resource_errors(text: str, name: str) -> list[str]:
    for heading, lines in diagnostics(text).items():
        if heading.endswith(f"({name})") and not heading.startswith("pulumi:pulumi:Stack"):
            return lines
    raise AssertionError(f"no diagnostics for {name} in:\n{text}")


def assert_no_traceback(text: str) -> None:
    assert "Traceback" not in text and not re.search(r'^\s*File ".*", line \d+', text, re.M), text


# -- (a) the token ----------------------------------------------------------------------------

TOKEN = "nc-7f3b9c1e5a2d4e8f-0b6a"
"""A fresh administrator's token issued for the test: a string nothing else would print."""


def provider_blobs(node: Any) -> list[bytes]:
    """Every pickled ``__provider`` of a state, decoded: a token kept on a provider instance
    would sit there in base64, which a plain-text search cannot see."""
    found: list[bytes] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "__provider" and isinstance(value, str):
                found.append(base64.b64decode(value))
            else:
                found.extend(provider_blobs(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(provider_blobs(item))
    return found


def test_the_api_token_appears_in_no_output_no_export_and_no_state_file(novaconnect_cli, novaconnect_control, tmp_path):
    admin = next(user for user in novaconnect_control.users() if user["role"] == "admin")
    novaconnect_control.issue_token(admin["id"], TOKEN)
    iccid = novaconnect_control.pick("TC")["iccid"]
    cli = novaconnect_cli(project(tmp_path / "program", SIM_PROGRAM), {
        "novaconnect:token": secret(TOKEN), f"{PROJECT}:iccid": iccid, f"{PROJECT}:lookup": "true"})

    runs = [cli.preview(diff=True), cli.up()]
    cli.set_config({f"{PROJECT}:limitMb": "600"})
    runs += [cli.preview(diff=True, refresh=True), cli.up(refresh=True), cli.refresh()]
    # A failed run prints the platform's refusal: the token is not in it either.
    novaconnect_control.fault("sim/limit", status=401, message="missing or invalid access token", times=None)
    cli.set_config({f"{PROJECT}:limitMb": "700"})
    failed = cli.up(skip_preview=True, check=False)
    assert failed.returncode != 0 and "401" in failed.text
    runs.append(failed)
    novaconnect_control.clear_faults()

    exported = cli.run("stack", "export")
    state = cli.state_file.read_text()
    revealed = cli.run("stack", "export", "--show-secrets").stdout
    runs.append(cli.destroy())

    for run in runs:
        assert TOKEN not in run.stdout and TOKEN not in run.stderr, f"pulumi {' '.join(run.args)} printed the token"
    assert TOKEN not in exported.stdout and TOKEN not in exported.stderr
    assert TOKEN not in state
    blobs = provider_blobs(json.loads(state))
    assert blobs and not any(TOKEN.encode() in blob for blob in blobs)
    # Not a vacuous search: the token is in the state, as a secret only the passphrase opens.
    assert TOKEN in revealed


# -- (b) errors -------------------------------------------------------------------------------

def test_a_platform_error_during_up_reads_as_one_line_without_a_traceback(novaconnect_cli, novaconnect_control, tmp_path):
    iccid = novaconnect_control.pick("TC")["iccid"]
    cli = novaconnect_cli(project(tmp_path / "program", SIM_PROGRAM), {f"{PROJECT}:iccid": iccid})
    novaconnect_control.fault("sim/limit", status=422, message="params.value: must be at most 100000", times=None)

    result = cli.up(check=False)

    assert result.returncode != 0
    assert_no_traceback(result.text)
    # One error line; beside it, the preview's digest of what the up was to change.
    (line,) = [line for line in resource_errors(result.text, "pump-7") if line.startswith("error: ")]
    assert iccid in line
    assert "sim/limit" in line and "must be at most 100000" in line
    # The resource's row shows the message too (it shows the first line of the error text,
    # which was "Traceback (most recent call last):" before).
    assert re.search(rf"SimConfig pump-7 \*\*creating failed\*\* error: .*{iccid}", result.stdout), result.stdout


def test_a_malformed_setting_fails_the_preview_in_one_line(novaconnect_cli, novaconnect_control, tmp_path):
    iccid = novaconnect_control.pick("TC")["iccid"]
    cli = novaconnect_cli(project(tmp_path / "program", SIM_PROGRAM), {
        f"{PROJECT}:iccid": iccid, "novaconnect:pollInterval": "often"})

    result = cli.preview(check=False)

    assert result.returncode != 0
    assert_no_traceback(result.text)
    (line,) = resource_errors(result.text, "pump-7")
    assert 'novaconnect:pollInterval must be a number of seconds greater than 0, got "often"' in line


def test_an_input_refused_at_preview_is_one_line_naming_the_field(novaconnect_cli, novaconnect_control, tmp_path):
    iccid = novaconnect_control.pick("TC")["iccid"]
    cli = novaconnect_cli(project(tmp_path / "program", SIM_PROGRAM), {f"{PROJECT}:iccid": iccid, f"{PROJECT}:limitMb": "-5"})

    result = cli.preview(check=False)

    assert result.returncode != 0
    assert_no_traceback(result.text)
    (line,) = resource_errors(result.text, "pump-7")
    # A check failure is the engine's own sentence around ours; it shows the value as Go prints a map.
    assert "property limit value {map[type:{month1} value_mb:{-5}]} has a problem: limit.value_mb:" in line


def test_our_error_is_its_message_and_a_bug_keeps_its_traceback(novaconnect_cli, tmp_path):
    expected = novaconnect_cli(project(tmp_path / "expected", PROBE_PROGRAM), {f"{PROJECT}:kind": "expected"})
    bug = novaconnect_cli(project(tmp_path / "bug", PROBE_PROGRAM), {f"{PROJECT}:kind": "bug"})

    ours, theirs = expected.preview(check=False), bug.preview(check=False)

    assert ours.returncode != 0 and theirs.returncode != 0
    assert_no_traceback(ours.text)
    assert resource_errors(ours.text, "probe") == [
        "error: SIM 89977070499962283034: limit cannot be set on a TD SIM; nothing was changed"]
    lines = resource_errors(theirs.text, "probe")
    assert lines[0] == "error: Traceback (most recent call last):" and lines[-1] == "KeyError: 'limit'"


# How the stand-in behaves in a host, and that it steps aside for a host built otherwise.

def sdk_wrapper_source() -> str:
    """``_abort_with_traceback`` as the installed SDK's dynamic host defines it (the host module
    itself cannot be imported: importing it starts its server)."""
    path = Path(pulumi.dynamic.__file__).with_name("__main__.py")
    tree = ast.parse(path.read_text())
    (function,) = [node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == "_abort_with_traceback"]
    return "import grpc\nimport traceback\n" + ast.unparse(function)


CHANGED_SDK = '''\
import sys
import traceback
def _abort_with_traceback(fn):
    def wrapper(self, request, context):
        try:
            return fn(self, request, context)
        except Exception:
            context.abort("UNKNOWN", "".join(traceback.format_exception(*sys.exc_info())))
    return wrapper
'''


class Context:
    def abort(self, code: Any, details: str) -> None:
        self.details = details


def fake_host(source: str) -> types.ModuleType:
    host = types.ModuleType("__main__")
    host.__spec__ = importlib.machinery.ModuleSpec("pulumi.dynamic.__main__", None)
    exec(compile(source, "<host>", "exec"), host.__dict__)  # noqa: S102 - the SDK's own code
    return host


def served(host: types.ModuleType, error: Exception) -> str:
    def call(_self: Any, _request: Any, _context: Any) -> None:
        raise error

    context = Context()
    host._abort_with_traceback(call)(None, None, context)
    return context.details


def test_in_the_sdks_host_our_errors_are_their_message_and_others_a_traceback(monkeypatch):
    assert errors_display.install() is False  # not in the provider host: nothing changes
    host = fake_host(sdk_wrapper_source())
    monkeypatch.setitem(sys.modules, "__main__", host)

    assert errors_display.install() is True and errors_display.installed()

    assert served(host, OperationFailed("SIM 8997 was not changed as declared:\nsim/limit failed")) == (
        "SIM 8997 was not changed as declared: sim/limit failed")
    bug = served(host, KeyError("limit"))
    assert bug.startswith("Traceback (most recent call last):") and bug.rstrip().endswith("KeyError: 'limit'")
    assert host.traceback.format_exception is traceback.format_exception  # the rest is the real module


def test_a_host_that_formats_errors_otherwise_keeps_its_own_behaviour(monkeypatch):
    host = fake_host(CHANGED_SDK)
    monkeypatch.setitem(sys.modules, "__main__", host)

    assert errors_display.install() is False
    assert host.traceback is traceback
    assert served(host, OperationFailed("SIM 8997 was not changed")).startswith("Traceback (most recent call last):")


# -- (c) progress -----------------------------------------------------------------------------

@pytest.mark.novaconnect(queue_delay=9)
def test_waiting_on_the_platforms_queue_prints_progress_during_up(novaconnect_cli, novaconnect_control, tmp_path):
    iccid = novaconnect_control.pick("TC")["iccid"]
    cli = novaconnect_cli(project(tmp_path / "program", SIM_PROGRAM), {
        f"{PROJECT}:iccid": iccid, "novaconnect:convergeTimeout": "60", "novaconnect:pollInterval": "0.5"})

    result = cli.up(skip_preview=True)

    lines = result.stdout.splitlines()
    waiting = re.compile(rf"novaconnect: waiting for SIM {iccid} \((?=[^)]*limit)[^)]*\) to show the declared state, "
                         r"\d+ s of 60 s")
    progress = [i for i, line in enumerate(lines) if waiting.search(line)]
    created = [i for i, line in enumerate(lines) if re.search(r"SimConfig pump-7 created", line)]
    assert progress and created and progress[0] < created[0], result.stdout
    # The engine shows a provider's stderr under the stack, not under the resource that waits:
    # the dynamic host gives a provider no way to say which resource a line is about.
    under = [heading for heading, found in diagnostics(result.stdout).items() if any(waiting.search(x) for x in found)]
    assert under == [f"pulumi:pulumi:Stack ({PROJECT}-dev)"], result.stdout
    assert any(re.search(rf"pulumi:pulumi:Stack {PROJECT}-dev .*novaconnect: waiting", lines[i]) for i in progress)


# -- (d) two accounts in one program ----------------------------------------------------------

TWO_ACCOUNTS = '''\
import pulumi
import pulumi_novaconnect as nc

config = pulumi.Config()
second = nc.ConnectionArgs(endpoint=config.require("secondEndpoint"), token=config.require_secret("secondToken"))
nc.SimConfig("on-stack", iccid=config.require("first"), name="on-stack")
nc.SimConfig("on-second", iccid=config.require("second"), name=config.get("secondName") or "on-second",
             on_delete="restore", connection=second)
nc.Group("second-group", name="Second", connection=second)
'''
SECOND_TOKEN = "nc-second-account-5d1e7a"


def test_one_program_manages_two_accounts_and_keeps_the_second_token_secret(novaconnect_cli, novaconnect_control,
                                                                            tmp_path):
    from pulumi_novaconnect.emulator import Emulator

    with Emulator(sims=20, seed=2, queue_delay=0.05) as other, EmulatorControl(other) as second:
        admin = next(user for user in second.users() if user["role"] == "admin")
        second.issue_token(admin["id"], SECOND_TOKEN)
        first_sim, second_sim = novaconnect_control.pick("TC"), second.pick("TC")
        cli = novaconnect_cli(project(tmp_path / "program", TWO_ACCOUNTS), {
            f"{PROJECT}:first": first_sim["iccid"], f"{PROJECT}:second": second_sim["iccid"],
            f"{PROJECT}:secondEndpoint": other.url, f"{PROJECT}:secondToken": secret(SECOND_TOKEN)})
        novaconnect_control.clear_requests()
        second.clear_requests()

        runs = [cli.up()]
        assert novaconnect_control.sim(first_sim["iccid"])["name"] == "on-stack"
        assert second.sim(second_sim["iccid"])["name"] == "on-second" and second.group("Second")
        assert novaconnect_control.sim_writes() == {"sim/edit": 1} and not novaconnect_control.group("Second")
        assert second.sim_writes() == {"sim/edit": 1}
        runs.append(cli.preview(expect_no_changes=True))

        second.change_sim(second_sim["iccid"], name="renamed-on-second")
        runs.append(cli.refresh())  # read, with nothing but the recorded outputs, reaches the second account
        assert cli.preview(diff=True).text.count('"renamed-on-second" => "on-second"') >= 1
        state = cli.state_file.read_text()
        exported = cli.run("stack", "export")
        runs.append(cli.destroy())  # restore: the second SIM gets its own name back, on its own account
        assert second.sim(second_sim["iccid"])["name"] == second_sim["name"] and not second.group("Second")

    for run in runs:
        assert SECOND_TOKEN not in run.stdout and SECOND_TOKEN not in run.stderr, f"pulumi {' '.join(run.args)}"
    assert SECOND_TOKEN not in state and SECOND_TOKEN not in exported.stdout
    assert '"__connection"' in state  # recorded (for read and delete), its token as a secret
