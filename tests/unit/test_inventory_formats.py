"""read_inventory: one set of column rules for CSV and YAML, and a message saying what was
expected whenever a file does not follow them."""
from __future__ import annotations

import pytest

from pulumi_novaconnect import InventoryError, read_inventory
from pulumi_novaconnect.inventory import inventory_rows

A, B = "8997000000000000001", "89970000000000000022"
EXPECTED = {A: {"name": "meter-1", "groups": ["North", "Pilot"], "blocked": False, "limit": {"type": "month1", "value_mb": 300}},
            B: {"tariff": {"package_mb": 30, "auto_package": True}}}


def write(tmp_path, name: str, data, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


@pytest.mark.parametrize("text, encoding", [
    ("iccid,name,groups,blocked,limit_mb,package_mb,auto_package\n"
     f'{A},meter-1,"North;Pilot",false,300,,\n{B},,,,,30,true\n', "utf-8"),
    ("ICCID;Name;Groups;Blocked;Limit MB;Package MB;Auto-Package\n"
     f'{A};meter-1;"North;Pilot";FALSE;300;;\n{B};;;;;30;TRUE\n;;;;;;\n', "utf-8-sig"),
    ("Iccid\tName\tGroups\tBlocked\tLimit_MB\tPackage_MB\tAuto_Package\n"
     f"{A}\tmeter-1\tNorth;Pilot\tno\t300\t\t\n{B}\t\t\t\t\t30\tyes\n", "utf-16"),
], ids=["comma", "spreadsheet-semicolon-bom", "tab-utf16"])
def test_a_csv_reads_the_same_whatever_the_delimiter_case_and_encoding(tmp_path, text, encoding):
    assert read_inventory(write(tmp_path, "inv.csv", text, encoding)) == EXPECTED


def test_a_yaml_inventory_takes_names_in_any_case_and_ignores_notes_like_a_csv(tmp_path):
    path = write(tmp_path, "inv.yaml", f"""\
'{A}':
  Name: meter-1
  GROUPS: [North, Pilot]
  Blocked: false
  limit: {{type: month1, value_mb: 300}}
  site: north yard
'{B}':
  tariff: {{package_mb: 30, auto_package: true}}
  name: null
""")
    assert read_inventory(path) == EXPECTED
    listed = write(tmp_path, "list.yaml", f"- ICCID: '{B}'\n  tariff: {{package_mb: 30, auto_package: true}}\n")
    assert read_inventory(listed) == {B: EXPECTED[B]}


def test_rows_know_their_lines(tmp_path):
    csv_rows = inventory_rows(write(tmp_path, "i.csv", f'iccid,name\n{A},"two\nlines"\n{B},x\n'))
    assert [(r.iccid, r.line) for r in csv_rows] == [(A, 2), (B, 4)]
    yaml_rows = inventory_rows(write(tmp_path, "i.yaml", f"# fleet\n'{A}':\n  name: a\n\n'{B}': {{}}\n"))
    assert [(r.iccid, r.line) for r in yaml_rows] == [(A, 2), (B, 5)]


@pytest.mark.parametrize("name, data, said", [
    ("i.csv", "iccid|name\n1|a\n", "the first row reads 'iccid|name', which names no `iccid` column; its first row must "
     "name the columns (iccid, name, groups, blocked, limit_mb, package_mb, auto_package, all_world; `iccid` "
     "required), separated by `,` or `;`"),
    ("i.csv", "", "is empty; its first row must name the columns"),
    ("i.csv", b"iccid,name\n1,Z\xfcrich\n", "is not UTF-8 text (line 2 holds the byte 0xfc); save it as UTF-8"),
    ("i.csv", f"iccid,group\n{A},North\n", "line 1: the column `group` is not one the inventory reads; rename it to `groups`"),
    ("i.csv", f"iccid,limit\n{A},300\n", "rename it to `limit_mb` (a number of MB, or `off`)"),
    ("i.csv", f"iccid,Name,name\n{A},a,b\n", "the column `name` is named twice"),
    ("i.csv", f"iccid;name;groups\n{A};a;North;Pilot\n", "line 2: 4 cells, but the header names 3 columns; a cell "
     "holding `;` (such as groups separated by `;`) must be in double quotes"),
    ("i.csv", f"iccid,name\n{A},a\n{A},b\n", f"line 3: SIM {A} is listed twice (first on line 2)"),
    ("i.yaml", f"'{A}': {{name: a}}\n{A}: {{name: b}}\n", f"line 2: SIM {A} is listed twice"),
    ("i.yaml", f"'{A}': {{Name: a, name: b}}\n", "line 1: `name` is given twice"),
    ("i.yaml", f"'{A}': just-a-name\n", f"line 1: the settings of SIM {A} must be a mapping of name, groups, blocked, "
     "limit, tariff, not str 'just-a-name'"),
    ("i.yaml", f"'{A}': {{limit_mb: 300}}\n", "`limit_mb` is not a setting the inventory reads; write it as "
     "`limit: {type: month1, value_mb: N}`"),
    ("i.yaml", f"'{A}': {{group: [North]}}\n", "write it as `groups`"),
    ("i.yaml", f"'{A}': {{name: [a\n", "line 2: not valid YAML"),
    ("i.yaml", "- name: a\n", "line 1: SIM 1 of the list needs an `iccid`"),
    ("i.yaml", "just text\n", "holds str 'just text'; it must map each ICCID to its settings"),
    ("i.txt", "x", "an inventory is a .csv or .yaml file, not .txt"),
], ids=lambda v: v if isinstance(v, str) and len(v) < 8 else None)
def test_a_file_off_the_rules_is_refused_saying_what_was_expected(tmp_path, name, data, said):
    path = write(tmp_path, name, data)
    with pytest.raises(InventoryError) as raised:
        read_inventory(path)
    message = str(raised.value)
    assert said in message and message.startswith(str(path)) and "\n" not in message


def test_a_missing_file_is_an_inventory_error_not_an_os_traceback(tmp_path):
    with pytest.raises(InventoryError, match="no such file; check the path"):
        read_inventory(tmp_path / "nowhere.csv")


def test_notes_columns_are_still_ignored(tmp_path):
    path = write(tmp_path, "i.csv", f"iccid,site,Comment,name\n{A},North,ok,a\n")
    assert read_inventory(path) == {A: {"name": "a"}}
