"""What someone meets in the first hour, before any code runs: the licence the package
declares is in the checkout and in both release files, the README's links work on the
package index's page (where a relative link points nowhere), and an example project copied
to a real account does not point it at a local emulator."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SOURCE = PYPROJECT["project"]["urls"]["Source"]
LOOPBACK = re.compile(r"(127\.0\.0\.1|localhost|\[::1\])")


def test_the_license_file_is_the_apache_2_text_the_metadata_declares():
    assert PYPROJECT["project"]["license"] == "Apache-2.0"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    assert "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION" in text
    assert "END OF TERMS AND CONDITIONS" in text and len(text) > 11000  # the whole text, not a stub


def readme_links() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"\]\(([^)\s]+)\)", text) + re.findall(r"^\[[^\]]+\]:\s*(\S+)", text, flags=re.M)


def test_every_readme_link_is_absolute_and_files_point_into_the_source_repository():
    targets = readme_links()
    assert targets, "the README has links"
    relative = [t for t in targets if not re.match(r"https?://|mailto:|#", t)]
    assert relative == [], f"relative links break on the package index page: {relative}"
    into_the_repository = [t for t in targets if t.startswith(SOURCE)]
    assert into_the_repository and all(t.startswith(SOURCE + "/blob/main/") for t in into_the_repository)


def test_every_file_the_readme_links_to_exists():
    missing = [t for t in readme_links() if t.startswith(SOURCE + "/blob/main/")
               and not (ROOT / t.removeprefix(SOURCE + "/blob/main/").split("#")[0]).exists()]
    assert missing == []


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.iterdir() if (p / "Pulumi.yaml").exists()))
def test_an_example_project_pins_no_local_endpoint_only_its_dev_stack_does(example):
    project_text = (EXAMPLES / example / "Pulumi.yaml").read_text(encoding="utf-8")
    config = yaml.safe_load(project_text).get("config") or {}
    assert "novaconnect:endpoint" not in config
    assert not LOOPBACK.search("\n".join(line.split("#")[0] for line in project_text.splitlines()))
    dev = EXAMPLES / example / "Pulumi.dev.yaml"
    if dev.exists():
        text = dev.read_text(encoding="utf-8")
        assert text.lstrip().startswith("#"), "the stack file says why it points at the emulator"
        endpoint = (yaml.safe_load(text).get("config") or {}).get("novaconnect:endpoint")
        assert endpoint is None or LOOPBACK.search(endpoint)


@pytest.mark.slow
def test_the_wheel_and_the_sdist_carry_the_license(tmp_path):
    source = tmp_path / "source"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.decode()
    for name in filter(None, tracked.split("\0")):  # what a release is built from
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path / "dist"
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(source)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    [wheel], [sdist] = out.glob("*.whl"), out.glob("*.tar.gz")
    licence = (ROOT / "LICENSE").read_bytes()
    with zipfile.ZipFile(wheel) as archive:
        [inside] = [n for n in archive.namelist() if n.endswith(".dist-info/licenses/LICENSE")]
        assert archive.read(inside) == licence
        metadata = archive.read(next(n for n in archive.namelist() if n.endswith("/METADATA"))).decode()
    assert "License-Expression: Apache-2.0" in metadata and "License-File: LICENSE" in metadata
    with tarfile.open(sdist) as archive:
        [member] = [m for m in archive.getmembers() if m.name.count("/") == 1 and m.name.endswith("/LICENSE")]
        assert archive.extractfile(member).read() == licence
