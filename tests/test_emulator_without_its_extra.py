"""Without the `emulator` extra (Flask), starting the emulator says which extra to install,
on one line, instead of a `ModuleNotFoundError` traceback. The missing extra is simulated in
a subprocess by an import blocker on its path (a `sitecustomize` module), not by
uninstalling Flask."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ADVICE = "pip install 'pulumi-novaconnect[emulator]'"

BLOCKER = '''
import importlib.abc
import sys


class _WithoutTheEmulatorExtra(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("flask", "werkzeug"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _WithoutTheEmulatorExtra())
'''


@pytest.fixture()
def without_flask(tmp_path) -> dict[str, str]:
    """An environment whose Python cannot import Flask or Werkzeug."""
    (tmp_path / "sitecustomize.py").write_text(BLOCKER)
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=60, cwd=ROOT)


def test_the_blocker_really_hides_flask(without_flask):
    done = run([sys.executable, "-c", "import flask"], without_flask)
    assert done.returncode != 0 and "No module named 'flask'" in done.stderr


def test_python_m_emulator_says_which_extra_to_install(without_flask):
    done = run([sys.executable, "-m", "pulumi_novaconnect.emulator", "--port", "0"], without_flask)
    assert done.returncode == 1 and done.stdout == ""
    [line] = done.stderr.splitlines()
    assert ADVICE in line and "emulator" in line
    assert "Traceback" not in done.stderr and len(line) < 200


def test_the_console_script_says_the_same(without_flask):
    script = Path(sys.executable).with_name("novaconnect-emulator")
    if not script.exists():
        pytest.skip("the package's console scripts are not installed next to this Python")
    done = run([sys.executable, str(script), "--port", "0"], without_flask)
    assert done.returncode == 1
    assert [line for line in done.stderr.splitlines() if line] == [
        f"novaconnect-emulator: the NovaConnect emulator needs the package's `emulator` extra (Flask), "
        f"which is not installed: {ADVICE}"]


def test_importing_the_emulator_class_raises_the_same_advice(without_flask):
    code = ("from pulumi_novaconnect.emulator import Emulator\n")
    done = run([sys.executable, "-c", code], without_flask)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == (
        "ModuleNotFoundError: the NovaConnect emulator needs the package's `emulator` extra (Flask), "
        f"which is not installed: {ADVICE}")


def test_the_resources_import_without_the_extra(without_flask):
    done = run([sys.executable, "-c", "import pulumi_novaconnect, pulumi_novaconnect.emulator; print('ok')"],
               without_flask)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
