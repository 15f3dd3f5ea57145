"""An inventory saved from a spreadsheet (`;` between cells, a title-case header, a BOM) is
checked like the one the export wrote."""
from __future__ import annotations

import csv

from pulumi_novaconnect import read_inventory
from pulumi_novaconnect.export.__main__ import main
from tests.export.conftest import error_line


def as_spreadsheet_saves_it(source, target, delimiter=";"):
    rows = list(csv.reader(source.open(encoding="utf-8")))
    rows[0] = [name.replace("_", " ").title() for name in rows[0]]  # "Limit Mb", "Auto Package"
    with target.open("w", newline="", encoding="utf-8-sig") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows + [[""] * len(rows[0])] * 2)


def test_check_reads_a_semicolon_inventory_with_a_title_case_header(env, novaconnect_control, tmp_path, capsys):
    assert main(["--out", str(tmp_path / "account")]) == 0
    sheet = tmp_path / "sheet.csv"
    as_spreadsheet_saves_it(tmp_path / "account" / "inventory.csv", sheet)
    assert "Iccid;Name;Groups;Blocked;Limit Mb" in sheet.read_text(encoding="utf-8-sig")
    assert read_inventory(sheet) == read_inventory(tmp_path / "account" / "inventory.csv")
    capsys.readouterr()
    assert main(["--check", str(sheet)]) == 0
    assert "no drift: all 50 SIMs" in capsys.readouterr().out

    sim = novaconnect_control.sim_where(lambda s: s["name"] and s["block"] == "n")
    novaconnect_control.change_sim(sim["iccid"], name="by-hand")
    assert main(["--check", str(sheet)]) == 2
    assert f'SIM {sim["iccid"]}\n  name: "by-hand"' in capsys.readouterr().out


def test_an_inventory_in_another_shape_is_refused_saying_what_was_expected(env, tmp_path, capsys):
    assert main(["--out", str(tmp_path / "account")]) == 0
    sheet = tmp_path / "sheet.csv"
    as_spreadsheet_saves_it(tmp_path / "account" / "inventory.csv", sheet, delimiter="|")
    capsys.readouterr()
    assert main(["--check", str(sheet)]) == 1
    line = error_line(capsys.readouterr().err)
    assert "names no `iccid` column" in line and "separated by `,` or `;`" in line
    assert "iccid, name, groups, blocked, limit_mb, package_mb, auto_package, all_world" in line
