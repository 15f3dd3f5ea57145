"""The review a preview writes (novaconnect:reviewDir) and `novaconnect-digest`, which turns
the folder into one Markdown comment for a pull request, bounded whatever the fleet size."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import Deployment, provider_config


def digest(folder: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pulumi_novaconnect.digest", str(folder), *args],
                          capture_output=True, text=True, timeout=60)


def previewed_fleet(emulator, start_host, platform, folder: Path) -> tuple[list[str], list[str]]:
    """A fleet previewed (check of a create) that blocks 5 TC SIMs and gives 15 others a limit."""
    host = start_host()
    config = provider_config(emulator, **{"novaconnect:reviewDir": str(folder)})
    host.configure(config)
    sims = [s["iccid"] for s in platform.pick_many("TC", 20)]
    blocked, limited = sims[:5], sims[5:]
    entries = {**{i: {"blocked": True} for i in blocked},
               **{i: {"limit": {"type": "month1", "value_mb": 321}} for i in limited}}
    Deployment(host, config).resource("SimFleet", "meters").checked(
        {"sims": entries, "on_delete": "retain", "__name": "SimFleet 'meters'"})
    return blocked, limited


def test_a_preview_writes_its_review_and_the_digest_lists_every_high_risk_change(emulator, start_host, platform,
                                                                                 tmp_path):
    blocked, limited = previewed_fleet(emulator, start_host, platform, tmp_path / "reviews")
    (path,) = (tmp_path / "reviews").glob("*.json")
    review = json.loads(path.read_text())
    assert (review["schema"], review["operation"], review["sims"], review["changed"]) == (
        "novaconnect-review/1", "create", 20, 20)
    assert review["counts"] == {"block": 5, "limit": 15}
    assert sorted(c["iccid"] for c in review["high_risk"]) == sorted(blocked)
    assert platform.sim_writes() == {}  # a preview

    run = digest(tmp_path / "reviews")
    assert run.returncode == 0, run.stderr
    assert "| SimFleet 'meters' | 20 | 20 | 5 block, 15 limit | 5 | 0 |" in run.stdout
    assert all(f"| block | {iccid} |" in run.stdout for iccid in blocked)
    assert [f"- {line}" in run.stdout for line in review["impact"]] == [True] * len(review["impact"])
    assert sum(f"| limit | {iccid} |" in run.stdout for iccid in limited) == 15


def test_the_digest_stays_within_its_limit_by_cutting_rows_not_the_table(emulator, start_host, platform, tmp_path):
    previewed_fleet(emulator, start_host, platform, tmp_path / "reviews")
    run = digest(tmp_path / "reviews", "--max-chars", "1500")
    assert run.returncode == 0, run.stderr
    assert len(run.stdout) <= 1500
    assert "| SimFleet 'meters' | 20 | 20 | 5 block, 15 limit | 5 | 0 |" in run.stdout
    whole = digest(tmp_path / "reviews").stdout
    assert len(whole) > 1500 and "Other changes (15):" in whole  # the cut was needed, and rows went


def test_a_folder_without_reviews_or_with_another_file_is_one_line_and_exit_1(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    run = digest(empty)
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr.strip() == (f"novaconnect-digest: no review in {empty}: run `pulumi preview` with "
                                  "novaconnect:reviewDir (or NOVACONNECT_REVIEW_DIR) set to this folder first")
    (empty / "other.json").write_text('{"schema": "something/2"}')
    run = digest(empty)
    assert run.returncode == 1 and "other.json is not a review of schema novaconnect-review/1" in run.stderr
    assert digest(empty, "--max-chars", "10").returncode == 64
