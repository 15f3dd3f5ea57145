"""`novaconnect-policy-pack DIR`: writes a pack the Pulumi CLI can run in this environment,
and never replaces a user's files without --force."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

import pulumi_novaconnect


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pulumi_novaconnect.policy_pack", *args],
                          capture_output=True, text=True, timeout=60)


def test_the_pack_names_this_environment_and_this_release(tmp_path: Path):
    done = run(str(tmp_path / "pack"))
    assert done.returncode == 0, done.stderr
    policy = yaml.safe_load((tmp_path / "pack" / "PulumiPolicy.yaml").read_text())
    assert policy["name"] == "novaconnect" and policy["version"] == pulumi_novaconnect.__version__
    assert policy["runtime"] == {"name": "python", "options": {"virtualenv": sys.prefix}}
    assert (tmp_path / "pack" / "requirements.txt").read_text() == \
        f"pulumi-novaconnect[policy]=={pulumi_novaconnect.__version__}\n"
    main = (tmp_path / "pack" / "__main__.py").read_text()
    assert "from pulumi_novaconnect.policy_pack import serve" in main
    assert f"pulumi preview --policy-pack {tmp_path / 'pack'}" in done.stdout


def test_a_folder_with_the_packs_files_is_left_as_it_is_without_force(tmp_path: Path):
    folder = tmp_path / "pack"
    folder.mkdir()
    (folder / "__main__.py").write_text("# mine\n")
    refused = run(str(folder))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.strip() == (f"novaconnect-policy-pack: {folder} already has __main__.py; nothing was "
                                      "written. Pass --force to replace them, or choose another folder")
    assert (folder / "__main__.py").read_text() == "# mine\n" and not (folder / "PulumiPolicy.yaml").exists()

    assert run(str(folder), "--force").returncode == 0
    assert "serve()" in (folder / "__main__.py").read_text()
