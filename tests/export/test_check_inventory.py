"""--check reads the inventory the project's program reads, and tells bad input from drift."""
from __future__ import annotations

import shutil

import pytest

from pulumi_novaconnect.export.__main__ import main
from tests.export.conftest import error_line


@pytest.fixture()
def yaml_project(env, tmp_path):
    """A project exported as YAML, with a stale inventory.csv from an earlier export beside it."""
    assert main(["--out", str(tmp_path / "earlier")]) == 0
    out = tmp_path / "account"
    assert main(["--out", str(out), "--format", "yaml"]) == 0
    shutil.copy(tmp_path / "earlier" / "inventory.csv", out / "inventory.csv")
    return out


def test_check_reads_the_yaml_inventory_the_program_names_not_a_stale_csv_beside_it(
        yaml_project, novaconnect_control, capsys):
    sim = novaconnect_control.sim_where(lambda s: s["name"] and s["block"] == "n")
    # The stale CSV says one name; the account and the YAML the program reads agree on another.
    stale = yaml_project / "inventory.csv"
    text = stale.read_text()
    stale.write_text(text.replace(f"{sim['iccid']},{sim['name']},", f"{sim['iccid']},old-name,"))
    assert stale.read_text() != text
    capsys.readouterr()
    assert main(["--check", str(yaml_project)]) == 0
    assert "no drift: all 50 SIMs" in capsys.readouterr().out

    novaconnect_control.change_sim(sim["iccid"], name="by-hand")
    assert main(["--check", str(yaml_project)]) == 2
    assert f'SIM {sim["iccid"]}\n  name: "by-hand" => "{sim["name"]}"' in capsys.readouterr().out


def test_two_inventories_and_no_program_to_say_which_is_an_error_naming_both(yaml_project, capsys):
    (yaml_project / "__main__.py").unlink()
    capsys.readouterr()
    assert main(["--check", str(yaml_project)]) == 1
    line = error_line(capsys.readouterr().err)
    assert "holds both inventory.csv and inventory.yaml" in line and "--check " in line


def test_a_program_that_computes_its_inventory_file_is_asked_to_name_it(yaml_project, capsys):
    program = yaml_project / "__main__.py"
    program.write_text(program.read_text().replace("nc.read_inventory(HERE / 'inventory.yaml')",
                                                   "nc.read_inventory(HERE / pulumi.Config().require('inventory'))"))
    capsys.readouterr()
    assert main(["--check", str(yaml_project)]) == 1
    line = error_line(capsys.readouterr().err)
    assert "read_inventory's file is computed" in line and f"--check {yaml_project / 'inventory.csv'}" in line
    assert main(["--check", str(yaml_project / "inventory.yaml")]) == 0  # the file named: checked


def test_a_malformed_iccid_is_an_input_error_not_drift(env, tmp_path, capsys):
    assert main(["--out", str(tmp_path)]) == 0
    inventory = tmp_path / "inventory.csv"
    with inventory.open("a", encoding="utf-8") as handle:
        handle.write("12345,short,,,,,,\n8.99783E+19,mangled,,,,,,\n")
    capsys.readouterr()
    assert main(["--check", str(tmp_path)]) == 1
    line = error_line(capsys.readouterr().err)
    assert "2 of 52 SIMs are not declared as the fleet requires" in line
    assert "line 52: iccid: an ICCID is 19 or 20 digits, got '12345'" in line
    assert "line 53: iccid: an ICCID is 19 or 20 digits, got '8.99783E+19'" in line
    assert "format that column as text" in line
    assert "drift" not in capsys.readouterr().out


def test_many_bad_entries_are_counted_with_the_first_few_and_the_lines_of_the_rest(env, tmp_path, capsys):
    assert main(["--out", str(tmp_path)]) == 0
    with (tmp_path / "inventory.csv").open("a", encoding="utf-8") as handle:
        handle.writelines(f"{n:05d},bad-{n},,,,,,\n" for n in range(400))
    capsys.readouterr()
    assert main(["--check", str(tmp_path)]) == 1
    line = error_line(capsys.readouterr().err)
    assert "400 of 450 SIMs are not declared" in line and "got '00000'" in line and "got '00002'" in line
    assert "got '00003'" not in line and "and 397 more, on lines 55 to 451" in line
