"""Texts a user reads say what is true: dates as dates, only managed fields as pending, and
no pointer into files of this repository (a pip-installed package has none of them)."""
from __future__ import annotations

import ast
from pathlib import Path

import pulumi_novaconnect
from pulumi_novaconnect.sim.plan import SetTariff, plan
from tests.unit.test_sim_plan import ICCID, spec, td_sim

PACKAGE = Path(pulumi_novaconnect.__file__).parent


def test_a_tariff_change_lock_ends_on_an_iso_8601_utc_date():
    locked = td_sim(tariff={"id": 9, "name": "TD_Standard", "change_lock": 4102444800, "package_auto": True})
    reason = plan(locked, spec(tariff={"package_mb": 30, "auto_package": True})).blockers["tariff"]
    assert reason.endswith("locked by the platform until 2100-01-01T00:00:00Z")
    assert "4102444800" not in reason


def test_a_lock_without_an_end_says_no_date():
    locked = td_sim(tariff={"id": 9, "name": "TD_Standard", "change_lock": True, "package_auto": True})
    reason = plan(locked, spec(tariff={"package_mb": 30, "auto_package": True})).blockers["tariff"]
    assert reason == f"SIM {ICCID}: tariff changes are locked by the platform"


def test_a_pending_tariff_does_not_name_all_world_when_it_is_not_managed():
    [action] = plan(td_sim(), spec(tariff={"package_mb": 30, "auto_package": True})).actions
    assert isinstance(action, SetTariff)
    assert action.describe() == (
        "tariff: {'package_mb': 20, 'auto_package': True} => {'package_mb': 30, 'auto_package': True}"
    )


def test_a_pending_tariff_names_all_world_when_it_is_declared():
    [action] = plan(td_sim(), spec(tariff={"package_mb": 20, "auto_package": True, "all_world": True})).actions
    assert "'all_world': False} => {" in action.describe() and action.describe().endswith("'all_world': True}")


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def test_no_text_of_the_package_points_into_files_of_this_repository():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "emulator" in path.relative_to(PACKAGE).parts:
            continue  # the emulator's texts are the platform's, not ours
        tree = ast.parse(path.read_text())
        docstrings = _docstring_nodes(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                if any(marker in node.value for marker in (".md", "docs/", "ARCHITECTURE", "README")):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value[:80]!r}")
    assert offenders == []
