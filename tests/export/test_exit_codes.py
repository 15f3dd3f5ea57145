"""Distinct exit codes (0 clean, 1 error, 2 drift, 64 usage), and every error one line."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from pulumi_novaconnect.export.__main__ import main
from tests.export.conftest import error_line


@pytest.mark.parametrize("argv, said", [
    ([], "one of the arguments --out --check is required"),
    (["--check"], "expected one argument"),
    (["--out", "x", "--bogus"], "unrecognized arguments: --bogus"),
    (["--out", "x", "--profile", "TX"], "invalid choice: 'TX'"),
    (["--check", "x", "--group", "Meters"], "--group shape an export and do not go with --check"),
    (["--check", "x", "--force"], "--force shape an export"),
    (["--out", "x", "--group", " "], "--group needs a value"),
    (["--out", "x", "--project", "my project!"], "--project 'my project!' is not a name Pulumi accepts"),
], ids=["nothing", "no-folder", "unknown-option", "bad-profile", "group-with-check", "force-with-check", "blank",
        "bad-project-name"])
def test_a_wrong_command_line_exits_64_not_the_drift_code(env, capsys, argv, said):
    assert main(argv) == 64
    line = error_line(capsys.readouterr().err)
    assert said in line and line.endswith("see `novaconnect-export --help`")


def test_help_documents_the_exit_codes(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for code, meaning in (("0", "done"), ("1", "error"), ("2", "--check found drift"), ("64", "usage error")):
        assert f"\n  {code} " in out and meaning in out


def test_profile_and_format_are_read_in_any_case(env, tmp_path):
    assert main(["--out", str(tmp_path), "--profile", "td", "--format", "YAML"]) == 0
    assert (tmp_path / "inventory.yaml").is_file()


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pulumi_novaconnect.export", *args],
                          capture_output=True, text=True, timeout=120, env=os.environ)


def test_errors_from_files_and_the_network_are_one_line_and_exit_1(env, tmp_path, monkeypatch):
    """Through the real entry point: no traceback reaches the user, whatever failed."""
    cases = {
        "not-utf8.csv": b"iccid,name\n8997000000000000001,Z\xfcrich\n",
        "not-yaml.yaml": b"'8997000000000000001': {name: [unclosed\n",
        "scalar-settings.yaml": b"'8997000000000000001': just-a-name\n",
        "pipe.csv": b"iccid|name\n8997000000000000001|a\n",
    }
    said = {"not-utf8.csv": "is not UTF-8 text", "not-yaml.yaml": "not valid YAML",
            "scalar-settings.yaml": "must be a mapping of name, groups", "pipe.csv": "names no `iccid` column"}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        done = run("--check", str(tmp_path / name))
        assert done.returncode == 1, (name, done.stderr)
        assert said[name] in error_line(done.stderr), name

    monkeypatch.setenv("NOVACONNECT_ENDPOINT", "http://127.0.0.1:9/api")  # nothing listens on the discard port
    done = run("--out", str(tmp_path / "out"))
    assert done.returncode == 1 and "group/list: connection failed" in error_line(done.stderr)
    assert not (tmp_path / "out").exists()
