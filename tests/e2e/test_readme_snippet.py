"""The README's "Writing programs" snippet, run as written against the emulator.

A reader's first program is that snippet: it must preview and apply cleanly on the
emulator's seeded account, and without ``adopt=True`` the existing group must be refused
at preview (naming it and the fix), not at the first create of `pulumi up`.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from pulumi_novaconnect.testing.program_runner import CheckFailed, ProgramRunner
from tests.e2e.conftest import stack_config

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_snippet() -> str:
    text = README.read_text()
    section = text[text.index("## Writing programs"):]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the Writing programs section has no python block"
    return match.group(1)


def runner_for(source: str, emulator, tmp_path: Path) -> ProgramRunner:
    program = tmp_path / "program"
    program.mkdir()
    (program / "__main__.py").write_text(source)
    (program / "Pulumi.yaml").write_text("name: readme\nruntime: python\n")
    config = stack_config("quickstart", emulator)
    return ProgramRunner(str(program), project="readme", stack="dev", config=config,
                         state_path=tmp_path / "state.json")


def test_the_readme_snippet_previews_and_applies_as_written(emulator, emu, tmp_path):
    meters = emu.group("Meters")
    assert meters is not None  # the seeded account has it: the snippet adopts it
    runner = runner_for(readme_snippet(), emulator, tmp_path)
    preview = runner.preview()
    assert sorted(step.kind for step in preview.changes) == ["create"] * 4
    runner.up()
    assert emu.group("Meters")["id"] == meters["id"]
    assert emu.user("ops@example.kz") is not None
    assert emu.sim("89977070499962283034")["name"] == "pump-7"
    assert "Meters" in emu.group_names(emu.sim("89977070499962283034"))
    assert runner.preview().changes == []


def test_without_adopt_the_existing_group_is_refused_at_preview(emulator, emu, tmp_path):
    source = readme_snippet().replace('name="Meters", adopt=True', 'name="Meters"')
    assert "adopt=True" not in source.split("nc.Group(")[1].split("\n")[0]
    runner = runner_for(source, emulator, tmp_path)
    with pytest.raises(CheckFailed) as err:
        runner.preview()
    [(name, prop, reason)] = err.value.failures
    meters = emu.group("Meters")
    assert (name, prop) == ("meters", "name")
    assert f"'Meters' already exists on NovaConnect (id {meters['id']})" in reason and "adopt=True" in reason
