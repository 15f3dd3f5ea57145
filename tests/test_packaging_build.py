"""A release's files: `python -m build` makes an sdist and a wheel that `twine check` accepts,
with the version the package reports, classifiers, project URLs and both console scripts."""
from __future__ import annotations

import email
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import pulumi_novaconnect

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """sdist and wheel built from a copy of the sources (the build leaves nothing in the checkout)."""
    source = tmp_path_factory.mktemp("source")
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, tracked.decode().split("\0")):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(source)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def test_build_makes_one_sdist_and_one_wheel_of_the_packages_version(dist):
    version = pulumi_novaconnect.__version__
    assert sorted(p.name for p in dist.iterdir()) == [
        f"pulumi_novaconnect-{version}-py3-none-any.whl", f"pulumi_novaconnect-{version}.tar.gz"]


def test_twine_check_accepts_both(dist):
    done = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("PASSED") == 2


def test_the_wheel_metadata_has_classifiers_urls_and_the_console_scripts(dist):
    [wheel] = dist.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        meta = email.message_from_bytes(archive.read(next(n for n in archive.namelist() if n.endswith("/METADATA"))))
        scripts = archive.read(next(n for n in archive.namelist() if n.endswith("/entry_points.txt"))).decode()
        names = archive.namelist()
    assert meta["Version"] == pulumi_novaconnect.__version__
    assert "Programming Language :: Python :: 3 :: Only" in meta.get_all("Classifier")
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert {"Homepage", "Source", "Changelog"} <= set(urls)
    assert meta["Description-Content-Type"].startswith("text/markdown")
    assert "novaconnect-export = pulumi_novaconnect.export.__main__:main" in scripts
    assert "novaconnect-emulator = pulumi_novaconnect.emulator.__main__:main" in scripts
    assert "novaconnect-digest = pulumi_novaconnect.digest:main" in scripts
    assert "pulumi_novaconnect/py.typed" in names and "pulumi_novaconnect/export/__main__.py" in names
    assert not [n for n in names if n.startswith(("tests/", "examples/", "bench/"))]


def test_the_sdist_builds_the_same_package(dist):
    [sdist] = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    assert {"README.md", "pyproject.toml", "pulumi_novaconnect/__init__.py", "pulumi_novaconnect/usage.py",
            "pulumi_novaconnect/export/__main__.py", "CHANGELOG.md", "schema.json"} <= names


def test_the_changelog_has_an_entry_for_the_packages_version():
    assert f"## [{pulumi_novaconnect.__version__}]" in (ROOT / "CHANGELOG.md").read_text()


def test_the_installed_metadata_reports_the_same_version():
    from importlib.metadata import version

    assert version("pulumi-novaconnect") == pulumi_novaconnect.__version__
