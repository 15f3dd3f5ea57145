"""A filter value the account does not have is an error naming what it has, not an empty export."""
from __future__ import annotations

from pulumi_novaconnect.client import NovaConnectClient
from pulumi_novaconnect.export.__main__ import main
from pulumi_novaconnect.testing import ADMIN_TOKEN
from tests.export.conftest import error_line


def test_an_unknown_group_is_an_error_naming_the_groups_there_are(env, novaconnect_control, tmp_path, capsys):
    names = sorted((g["name"] for g in novaconnect_control.groups()), key=str.casefold)
    novaconnect_control.clear_requests()
    assert main(["--out", str(tmp_path / "out"), "--group", names[0].swapcase()]) == 1
    line = error_line(capsys.readouterr().err)
    assert f"--group {names[0].swapcase()!r}: no group of that name" in line
    assert f"did you mean {names[0]!r}?" in line and f"it has {len(names)}: {names[0]!r}" in line
    assert not (tmp_path / "out").exists()
    assert novaconnect_control.count("sim/list") == 0  # refused before the long sweep


def test_the_list_of_groups_in_the_error_is_bounded(env, novaconnect_control, tmp_path, capsys):
    with NovaConnectClient(endpoint=env.url, token=ADMIN_TOKEN) as api:
        for n in range(40):
            api.group_create(f"Site {n:02d} " + "x" * 60)
    total = len(novaconnect_control.groups())
    assert main(["--out", str(tmp_path / "out"), "--group", "Nowhere"]) == 1
    line = error_line(capsys.readouterr().err)
    assert f"it has {total}: " in line and f"and {total - 5} more; give one of them exactly" in line
    assert "did you mean" not in line


def test_a_known_group_without_sims_in_the_filter_is_an_empty_fleet_not_an_error(env, tmp_path):
    with NovaConnectClient(endpoint=env.url, token=ADMIN_TOKEN) as api:
        api.group_create("Spare")
    assert main(["--out", str(tmp_path), "--group", "Spare"]) == 0
    assert "No SIM matched (group='Spare')" in (tmp_path / "__main__.py").read_text()
