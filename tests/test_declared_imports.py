"""Every third-party module the package, its tests, benchmarks and scripts import is declared.

A module that arrives only as a dependency of a dependency (typing_extensions through
pydantic, dill through pulumi) works until that dependency stops needing it; then a user's
install breaks with a ModuleNotFoundError. The package itself may import only what its
`dependencies` declare, the emulator also its `emulator` extra, the policy pack its `policy`
extra, and the pytest plugin pytest (pytest is what loads it); tests, benchmarks and scripts
may use the `test` extra too.
"""
from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions, requires
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"pulumi_novaconnect", "tests", "harness", "scenarios", "report", "__future__"}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def declared() -> dict[str, set[str]]:
    """Distribution names by extra ('' for the dependencies), from the installed metadata."""
    by_extra: dict[str, set[str]] = {}
    for requirement in requires("pulumi-novaconnect") or []:
        extra = re.search(r"""extra\s*==\s*["']([^"']+)["']""", requirement)
        by_extra.setdefault(extra.group(1) if extra else "", set()).add(_name(requirement))
    return by_extra


def imported(folder: Path) -> dict[str, set[Path]]:
    """Top-level third-party modules imported anywhere under `folder`, with the files."""
    found: dict[str, set[Path]] = {}
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in OURS:
                    found.setdefault(top, set()).add(path)
    return found


def allowed_for(path: Path, extras: dict[str, set[str]]) -> set[str]:
    relative = path.relative_to(ROOT).as_posix()
    allowed = set(extras.get("", set()))
    if relative.startswith("pulumi_novaconnect/emulator/"):
        allowed |= extras.get("emulator", set())
    elif relative == "pulumi_novaconnect/policy_pack.py":
        allowed |= extras.get("policy", set())
    elif relative == "pulumi_novaconnect/testing/pytest_plugin.py":
        allowed |= {"pytest"}
    elif not relative.startswith("pulumi_novaconnect/"):
        allowed |= extras.get("emulator", set()) | extras.get("test", set())
    return allowed


@pytest.mark.parametrize("folder", ["pulumi_novaconnect", "tests", "bench", "scripts", "examples"])
def test_every_third_party_import_is_declared_where_it_is_used(folder):
    extras, distributions = declared(), packages_distributions()
    undeclared = []
    for module, paths in sorted(imported(ROOT / folder).items()):
        names = {_name(d) for d in distributions.get(module, [])}
        assert names, f"{module} is imported ({sorted(p.name for p in paths)}) but no installed distribution provides it"
        for path in sorted(paths):
            if not names & allowed_for(path, extras):
                undeclared.append(f"{path.relative_to(ROOT)} imports {module} ({', '.join(sorted(names))})")
    assert not undeclared, "imported but not declared in pyproject.toml:\n" + "\n".join(undeclared)
