"""novaconnect-export against the shared emulator: formats, filters, drift checks, progress."""
from __future__ import annotations

import io

from pulumi_novaconnect import read_inventory
from pulumi_novaconnect.client import NovaConnectClient
from pulumi_novaconnect.export.__main__ import main
from pulumi_novaconnect.export.account import Filters, read_sims
from pulumi_novaconnect.testing import ADMIN_TOKEN, USER_TOKEN


def live_settings(sim: dict) -> dict:
    """What the emulator holds for a SIM, in read_inventory's shape, read from its control surface."""
    # Only the user's own block is declared; one the platform holds (m, p, f, g) is unmanaged.
    out = {"blocked": sim["block"] == "u"} if sim["block"] in ("n", "u") else {}
    if sim["name"]:
        out["name"] = sim["name"]
    if sim["groups"]:
        out["groups"] = sorted(g["name"] for g in sim["groups"])
    if sim["profile"] == "TC":
        limit = sim["limit"]
        out["limit"] = {"type": "off"} if limit["type"] == "off" else {"type": "month1", "value_mb": limit["value"]}
    else:
        out["tariff"] = {"package_mb": sim["limit"]["value"], "auto_package": sim["tariff"]["package_auto"],
                         "all_world": sim["tariff"]["name"] == "TD_Mega"}
    return out


def test_the_csv_inventory_holds_every_sim_as_the_platform_does(env, novaconnect_control, tmp_path):
    assert main(["--out", str(tmp_path)]) == 0
    inventory = read_inventory(tmp_path / "inventory.csv")
    sims = novaconnect_control.sims()
    assert list(inventory) == [s["iccid"] for s in sorted(sims, key=lambda s: s["id"])]
    for sim in sims:
        declared = inventory[sim["iccid"]]
        declared["groups"] = sorted(declared.get("groups", []))
        expected = live_settings(sim)
        expected.setdefault("groups", [])
        assert declared == expected, sim["iccid"]


def test_the_yaml_inventory_reads_back_as_the_csv_one(env, tmp_path):
    assert main(["--out", str(tmp_path / "csv")]) == 0
    assert main(["--out", str(tmp_path / "yaml"), "--format", "yaml"]) == 0
    assert read_inventory(tmp_path / "yaml" / "inventory.yaml") == read_inventory(tmp_path / "csv" / "inventory.csv")
    assert "inventory.yaml" in (tmp_path / "yaml" / "__main__.py").read_text()


def test_group_profile_and_query_filters_narrow_the_fleet_but_every_group_is_declared(env, novaconnect_control, tmp_path):
    sims = novaconnect_control.sims()
    assert main(["--out", str(tmp_path / "g"), "--group", "Meters", "--profile", "TD"]) == 0
    chosen = read_inventory(tmp_path / "g" / "inventory.csv")
    expected = {s["iccid"] for s in sims if s["profile"] == "TD" and "Meters" in novaconnect_control.group_names(s)}
    assert set(chosen) == expected and expected
    program = (tmp_path / "g" / "__main__.py").read_text()
    for group in novaconnect_control.groups():
        assert f"name={group['name']!r}, adopt=True" in program

    named = next(s for s in sims if s["name"])
    assert main(["--out", str(tmp_path / "q"), "--query", named["iccid"]]) == 0
    assert list(read_inventory(tmp_path / "q" / "inventory.csv")) == [named["iccid"]]


def test_an_export_that_matches_no_sim_declares_no_fleet(env, tmp_path):
    assert main(["--out", str(tmp_path), "--query", "no-such-sim-anywhere"]) == 0
    program = (tmp_path / "__main__.py").read_text()
    assert "nc.SimFleet(" not in program and "No SIM matched" in program
    compile(program, "__main__.py", "exec")


def test_check_exits_0_without_drift_and_2_naming_sim_field_live_and_declared(env, novaconnect_control, tmp_path, capsys):
    assert main(["--out", str(tmp_path)]) == 0
    capsys.readouterr()
    assert main(["--check", str(tmp_path)]) == 0
    assert "no drift" in capsys.readouterr().out

    sim = next(s for s in novaconnect_control.sims() if s["name"] and s["profile"] == "TC" and s["block"] == "n")
    novaconnect_control.change_sim(sim["iccid"], name="by-hand")
    assert main(["--check", str(tmp_path / "inventory.csv")]) == 2
    out = capsys.readouterr().out
    assert f"SIM {sim['iccid']}\n  name: \"by-hand\" => \"{sim['name']}\"" in out
    assert "1 of 50 SIMs differ from the inventory" in out


def test_check_reports_a_limit_changed_by_hand_as_a_nested_difference(env, novaconnect_control, tmp_path, capsys):
    assert main(["--out", str(tmp_path)]) == 0
    sim = next(s for s in novaconnect_control.sims() if s["profile"] == "TC" and s["limit"]["type"] == "off" and s["block"] == "n")
    novaconnect_control.change_sim(sim["iccid"], limit={"type": "month1", "value": 75})
    capsys.readouterr()
    assert main(["--check", str(tmp_path)]) == 2
    assert f'limit: {{"type": "month1", "value_mb": 75}} => {{"type": "off"}}' in capsys.readouterr().out


def test_check_exits_1_when_there_is_no_inventory_or_no_token(env, tmp_path, capsys, monkeypatch):
    assert main(["--check", str(tmp_path)]) == 1
    assert "no inventory.csv or inventory.yaml in this folder" in capsys.readouterr().err
    monkeypatch.delenv("NOVACONNECT_TOKEN")
    assert main(["--check", str(tmp_path)]) == 1
    assert "NOVACONNECT_TOKEN" in capsys.readouterr().err


def test_a_read_only_token_is_enough_to_export(env, monkeypatch, tmp_path):
    monkeypatch.setenv("NOVACONNECT_TOKEN", USER_TOKEN)
    assert main(["--out", str(tmp_path)]) == 0
    assert len(read_inventory(tmp_path / "inventory.csv")) == 50


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_shows_on_a_terminal_and_stays_off_in_a_pipe(emulator):
    with NovaConnectClient(endpoint=emulator.url, token=ADMIN_TOKEN) as api:
        terminal, pipe = Terminal(), io.StringIO()
        assert len(read_sims(api, Filters(), stream=terminal)) == 50
        assert len(read_sims(api, Filters(), stream=pipe)) == 50
    assert "Reading SIMs" in terminal.getvalue() and "/50 " in terminal.getvalue()  # the total, from all_count
    assert pipe.getvalue() == ""


def test_python_dash_m_runs_the_export_and_a_pipe_gets_no_progress_bar(env, tmp_path):
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "pulumi_novaconnect.export", "--out", str(tmp_path), "--format", "yaml"],
                          capture_output=True, text=True, timeout=120, env=os.environ)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "" and "(50 SIMs)" in done.stdout
    assert len(read_inventory(tmp_path / "inventory.yaml")) == 50
