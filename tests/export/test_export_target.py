"""--out puts a project into its folder whole, and never over one already there unless asked."""
from __future__ import annotations

import errno
from pathlib import Path

import pytest

from pulumi_novaconnect import read_inventory
from pulumi_novaconnect.export.__main__ import main
from tests.export.conftest import error_line


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture()
def project(env, tmp_path):
    """An exported project in use: a stack's settings and a note beside the export's files."""
    out = tmp_path / "account"
    assert main(["--out", str(out), "--format", "yaml"]) == 0
    (out / "Pulumi.prod.yaml").write_text("config:\n  novaconnect:endpoint: http://example\n", encoding="utf-8")
    (out / "NOTES.md").write_text("our notes\n", encoding="utf-8")
    return out


def renamed_sim(control) -> dict:
    sim = control.pick("TC")
    control.change_sim(sim["iccid"], name="renamed-by-hand")
    return sim


def test_a_folder_that_holds_anything_is_refused_before_the_account_is_read(project, novaconnect_control, capsys):
    before = files(project)
    renamed_sim(novaconnect_control)
    novaconnect_control.clear_requests()
    capsys.readouterr()
    assert main(["--out", str(project)]) == 1
    line = error_line(capsys.readouterr().err)
    assert f"{project} is not empty" in line and "--force" in line and "'NOTES.md'" in line
    assert files(project) == before
    assert novaconnect_control.count("sim/list") == 0


def test_force_replaces_the_exports_own_files_and_keeps_stack_settings_and_notes(project, novaconnect_control):
    kept = {name: data for name, data in files(project).items() if name in ("Pulumi.prod.yaml", "NOTES.md")}
    sim = renamed_sim(novaconnect_control)
    assert main(["--out", str(project), "--force"]) == 0
    now = files(project)
    assert sorted(now) == ["NOTES.md", "Pulumi.prod.yaml", "Pulumi.yaml", "__main__.py", "inventory.csv",
                           "requirements.txt"]  # the old inventory.yaml is not left as a stale second one
    assert {name: now[name] for name in kept} == kept
    assert read_inventory(project / "inventory.csv")[sim["iccid"]]["name"] == "renamed-by-hand"
    assert "inventory.csv" in (project / "__main__.py").read_text()
    assert [p.name for p in project.parent.iterdir()] == ["account"]  # no staging or backup folder left


def failing_write(monkeypatch, name: str) -> None:
    """The disk fills up when the export writes ``name``, after the inventory is written."""
    real = Path.write_text

    def write_text(self, *args, **kwargs):
        if self.name == name:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", write_text)


@pytest.mark.parametrize("force", [False, True], ids=["new-folder", "force-over-a-project"])
def test_a_failure_while_writing_leaves_no_half_written_project(project, novaconnect_control, monkeypatch, capsys,
                                                                force):
    renamed_sim(novaconnect_control)
    target = project if force else project.parent / "fresh"
    before = files(project)
    failing_write(monkeypatch, "__main__.py")
    capsys.readouterr()
    assert main(["--out", str(target), "--format", "yaml"] + (["--force"] if force else [])) == 1
    assert "No space left on device" in error_line(capsys.readouterr().err)
    assert files(project) == before  # the old project, whole: old inventory and old program together
    assert sorted(p.name for p in project.parent.iterdir()) == ["account"]  # no new folder, nothing staged


def test_a_new_folder_and_an_empty_one_are_written_and_a_file_is_refused(env, tmp_path, capsys):
    assert main(["--out", str(tmp_path / "a" / "b")]) == 0
    (tmp_path / "empty").mkdir()
    assert main(["--out", str(tmp_path / "empty")]) == 0
    assert len(read_inventory(tmp_path / "empty" / "inventory.csv")) == 50
    (tmp_path / "file").write_text("x")
    capsys.readouterr()
    assert main(["--out", str(tmp_path / "file"), "--force"]) == 1
    assert "is a file, not a folder" in error_line(capsys.readouterr().err)
