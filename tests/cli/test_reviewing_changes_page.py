"""docs/reviewing-changes.md, built from one real review through the Pulumi CLI: a fleet change
that blocks a SIM in use and lowers a limit below last month's use, as `pulumi preview --diff`
prints it (the digest and its impact lines), as `novaconnect-digest` posts it to a pull
request, as the stack's guardrail stops it, and as the policy pack stops it.

The SIMs are chosen from the emulator's reports so that every impact line is there whatever
the day; their ICCIDs, the day and the megabytes are then written as placeholders, so the
page only changes when what the package prints does. NOVACONNECT_UPDATE_GOLDEN=1 rewrites it.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import requests

from pulumi_novaconnect.policy_pack import main as write_pack
from pulumi_novaconnect.testing import ADMIN_TOKEN, EmulatorControl
from pulumi_novaconnect.testing.cli import CLIResult, PulumiCLI

from .conftest import write_project
from .test_golden_previews import golden_text

PAGE = Path(__file__).resolve().parents[2] / "docs" / "reviewing-changes.md"
UPDATE = os.environ.get("NOVACONNECT_UPDATE_GOLDEN") == "1"
PROJECT = "reviewed"
MB = 1_048_576
PROGRAM = '''\
import json
import pulumi
import pulumi_novaconnect as nc

config = pulumi.Config()
sims = json.loads(config.require("sims"))        # ICCID -> name
change = config.get_bool("change") or False
iccids = list(sims)
fleet = {iccid: {"name": name} for iccid, name in sims.items()}
for iccid in iccids[2:4]:
    fleet[iccid]["limit"] = {"type": "month1", "value_mb": 500}
if change:
    for iccid in iccids[0:2]:                    # out of service
        fleet[iccid]["blocked"] = True
    for iccid in iccids[2:4]:                    # a cheaper plan
        fleet[iccid]["limit"] = {"type": "month1", "value_mb": 1}
    for iccid in iccids[4:6]:
        fleet[iccid]["name"] = sims[iccid] + "-east"
nc.SimFleet("meters", sims=fleet)
'''


def report(emulator_url: str, method: str, start: dt.date, end: dt.date, sim_ids: list[int]) -> list[dict]:
    body = {"filter": {"start": start.strftime("%d-%m-%Y"), "end": end.strftime("%d-%m-%Y")},
            "select": [f"s_{i}" for i in sim_ids], "page": 0, "size": 1000}
    answer = requests.post(f"{emulator_url}/{method}", json=body, timeout=30,
                           headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).json()
    return answer["result"]["items"]


def chosen_sims(emu: EmulatorControl, url: str) -> list[dict]:
    """Six TC SIMs: one in use yesterday and one not (to block), two that used over 1 MB
    last month (to limit to 1 MB), two to rename."""
    today = dt.datetime.now(dt.timezone.utc).date()
    last = today.replace(day=1) - dt.timedelta(days=1)
    yesterday = today - dt.timedelta(days=1)
    pool = emu.pick_many("TC", 20)
    ids = [s["id"] for s in pool]
    active = {row["iccid"] for row in report(url, "report/sessions", yesterday, yesterday, ids)}
    used: dict[str, int] = {}
    for row in report(url, "report/day", last.replace(day=1), last, ids):
        used[row["iccid"]] = used.get(row["iccid"], 0) + int(row["value"])
    pool.sort(key=lambda s: s["iccid"])  # each pair in the digest's order, whatever the day's picks
    busy = [s for s in pool if s["iccid"] in active]
    idle = [s for s in pool if s["iccid"] not in active and busy and s["iccid"] > busy[0]["iccid"]]
    assert busy and idle, "the emulator's reports have no SIM in use yesterday (or none after it) for the page"
    first = [busy[0], idle[0]]
    heavy = [s for s in pool if used.get(s["iccid"], 0) > 2 * MB and s not in first]
    # The impact line lists the heavier first, the digest the lower ICCID first: a pair where both agree.
    pairs = [(a, b) for n, a in enumerate(heavy) for b in heavy[n + 1:] if used[a["iccid"]] > used[b["iccid"]]]
    assert pairs, "the emulator's reports have no two SIMs that used over 2 MB last month for the page"
    limited = list(pairs[0])
    rest = [s for s in pool if s not in first + limited][:2]
    return first + limited + rest


def masked(text: str, iccids: list[str], names: dict[str, str]) -> str:
    """The run's ICCIDs as stable placeholders, and the day, month and megabytes of the impact
    lines, which move with the date."""
    for n, iccid in enumerate(iccids, start=1):
        text = text.replace(iccid, f"899770000000000000{n:02d}")
    for live, shown in names.items():
        text = text.replace(live, shown)
    text = re.sub(r"\b\d{4}-\d{2}-\d{2}\b", "<yesterday>", text)
    text = re.sub(r"\b(January|February|March|April|May|June|July|August|September|October|November|December) "
                  r"\d{4}\b", "<last month>", text)
    return re.sub(r"\([\d,.]+ MB, new limit", "(<used> MB, new limit", text)


def diagnostics_in_order(text: str) -> str:
    """The CLI's Diagnostics with the stack's block last: the engine writes the blocks in the
    order the messages arrived, which varies from run to run."""
    lines = text.splitlines(keepends=True)
    try:
        start = lines.index("Diagnostics:\n")
    except ValueError:
        return text
    end = next((n for n in range(start + 1, len(lines)) if lines[n].strip() and not lines[n].startswith(" ")),
               len(lines))
    blocks: list[list[str]] = []
    for line in lines[start + 1:end]:
        if line.startswith("  ") and not line.startswith("   ") or not blocks:
            blocks.append([])
        blocks[-1].append(line)
    blocks.sort(key=lambda block: block[0].lstrip().startswith("pulumi:pulumi:Stack"))
    body = "\n".join("".join(block).strip("\n") + "\n" for block in blocks)
    return "".join(lines[:start + 1]) + body + ("\n" if end < len(lines) else "") + "".join(lines[end:])


def shown(result: CLIResult, iccids: list[str], names: dict[str, str], replace: dict[str, str]) -> str:
    text = diagnostics_in_order(golden_text(result, replace, impact=True))
    # The CLI names the pack by its folder, shortened with "..." when the path is long.
    return masked(re.sub(r"\(local: [^)\n]*\)", "(local: <pack>)", text), iccids, names)


PAGE_TEXT = """\
# Reviewing changes

<!-- Generated by the CLI tier (tests/cli/test_reviewing_changes_page.py) from real runs against
     the emulator; NOVACONNECT_UPDATE_GOLDEN=1 rewrites it, and the suite fails when it differs.
     ICCIDs, the day, the month and the megabytes of impact lines are placeholders. -->

A change to a fleet of SIMs reaches devices in the field, so it is reviewed before `pulumi up`:
in the preview, in the pull request, and against limits the stack (and the organisation) set.
This page shows each, for one change: a 6-SIM fleet in which the program blocks two SIMs,
lowers the monthly limit of two others from 500 MB to 1 MB, and renames two.

```python
{program}```

## In the preview: the digest and its impact on working devices

Every SIM resource's preview carries a digest of what it does to its SIMs: counts per kind,
every high-risk change (blocks, unblocks, tariff changes, releases) by ICCID and name, the
others sampled, and drift marked as drift. Under the headline come the **impact lines**, read
from the platform's own reports in one sweep each: the SIMs whose new monthly limit is below
what they used last month (the limit will cut them off), and the SIMs to be blocked that had
data sessions yesterday. `novaconnect:impactLines false` leaves those reads out.

`pulumi preview --diff`:

```
{preview}```

## In the pull request: `novaconnect-digest`

With `novaconnect:reviewDir` (or `NOVACONNECT_REVIEW_DIR`) set, each preview also writes its
reviews as JSON (schema `novaconnect-review/1`). `novaconnect-digest DIR` turns them into one
Markdown comment, at most 60,000 characters whatever the fleet (rows are cut, never the table
of counts); the `ci` example posts it with `gh pr comment`. For the change above:

{digest}

## Guardrails: a limit on the blast radius of one `pulumi up`

Stack config sets how much one `pulumi up` may do, summed over the stack's SIM resources:
`novaconnect:maxChanges` (SIMs changed, default 1,000), `novaconnect:maxBlocks` (SIMs
blocked, default 100) and `novaconnect:maxReleases` (SIMs let go of by a delete, default
100); SIMs in `novaconnect:criticalSims` are never blocked, let go of, or given another limit
or tariff. A change over a limit stops at preview, before any call. With
`novaconnect:maxBlocks 1`, `pulumi preview` ends:

```
{guardrail}```

The message says how to let this one run through (`NOVACONNECT_MAX_BLOCKS=2 pulumi up`,
the environment variable wins over the stack config for that run) or to raise the limit.

## The organisation's policy pack

`novaconnect-policy-pack DIR` writes the same rules as a Pulumi policy pack (it needs the
`policy` extra: `pip install 'pulumi-novaconnect[policy]'`), for an organisation to enforce
whatever a stack's own config says: `pulumi preview --policy-pack DIR --policy-pack-config
limits.json`, or published with `pulumi policy publish`. Its config, under the policy
`novaconnect-guardrails`, takes `maxChanges`, `maxBlocks`, `maxReleases` and `criticalSims`.
With `{{"novaconnect-guardrails": {{"maxBlocks": 1}}}}` and the stack's own `maxBlocks` at 50:

```
{pack}```

The pack knows the package's resources by the summary of its review that each SIM resource
carries in its inputs: `review`, JSON of schema `novaconnect-radius/1` (the counts the limits
take, and the changes a critical SIM refuses). A policy pack sees a resource's inputs, never
the provider's diff, and none of the internal `__` ones, so the summary is an input of its
own; it is a secret only so that a preview prints it as one `review: [secret]` line, whatever
the fleet's size. Built from the previous inputs, that summary
counts a fleet's SIMs let go with `on_delete=restore`, and a policy's members that left, as
left as they are; the stack's own guardrails, which see the previous outputs, count them.
"""


def test_reviewing_changes_page_is_built_from_a_real_review(novaconnect_cli, novaconnect_control,
                                                           novaconnect_emulator, tmp_path):
    emu: EmulatorControl = novaconnect_control
    chosen = chosen_sims(emu, novaconnect_emulator.url)
    iccids = [s["iccid"] for s in chosen]
    names = {s["iccid"]: f"meter-{n}" for n, s in enumerate(chosen, start=1)}
    folder = write_project(tmp_path / "program", PROJECT, PROGRAM)
    reviews = tmp_path / "reviews"
    cli: PulumiCLI = novaconnect_cli(folder, {f"{PROJECT}:sims": json.dumps(names)})
    cli.up()
    cli.set_config({f"{PROJECT}:change": "true", "novaconnect:reviewDir": str(reviews)})
    emu.clear_requests()
    replace = {str(reviews): "<reviews>", str(tmp_path): "<tmp>"}

    preview = cli.preview(diff=True)
    text = preview.text
    assert "SimFleet 'meters' covers 6 SIMs and changes 6: 2 renames, 2 blocks, 2 limit changes" in text
    assert re.search(rf"impact: 1 of the SIMs to be blocked had data sessions on \S+.*{iccids[0]}", text)
    assert re.search(rf"impact: 2 SIMs used more in .* than their new monthly limit.*{iccids[2]}.*{iccids[3]}"
                     rf"|impact: 2 SIMs used more in .* than their new monthly limit.*{iccids[3]}.*{iccids[2]}", text)
    assert iccids[1] not in next(line for line in text.splitlines() if "data sessions" in line)
    assert emu.sim_writes() == {}

    digest = subprocess.run([sys.executable, "-m", "pulumi_novaconnect.digest", str(reviews)],
                            capture_output=True, text=True, timeout=60, check=True).stdout
    assert "| block |" in digest and iccids[0] in digest

    cli.set_config({"novaconnect:maxBlocks": "1"})
    stopped = cli.preview(check=False)
    assert stopped.returncode != 0
    assert "this `pulumi up` would block 2 SIMs, over novaconnect:maxBlocks = 1" in stopped.text

    pack = tmp_path / "pack"
    assert write_pack([str(pack)]) == 0
    limits = tmp_path / "limits.json"
    limits.write_text(json.dumps({"novaconnect-guardrails": {"maxBlocks": 1}}))
    cli.set_config({"novaconnect:maxBlocks": "50"})
    held = cli.preview("--policy-pack", str(pack), "--policy-pack-config", str(limits), check=False)
    assert held.returncode != 0 and "novaconnect-guardrails.maxBlocks = 1" in held.text
    assert emu.sim_writes() == {}

    page = PAGE_TEXT.format(
        program=PROGRAM,
        preview=shown(preview, iccids, names, replace),
        digest=masked(digest.strip(), iccids, names),
        guardrail=shown(stopped, iccids, names, replace),
        pack=shown(held, iccids, names, {**replace, str(pack): "<pack>", str(limits): "limits.json"}),
    )
    if UPDATE:
        PAGE.write_text(page, encoding="utf-8")
        return
    assert PAGE.exists() and PAGE.read_text(encoding="utf-8") == page, (
        "docs/reviewing-changes.md is not what a real review prints now: run this test with "
        "NOVACONNECT_UPDATE_GOLDEN=1 and read the change")
