"""What a reviewer sees: the real `pulumi preview --diff` and `pulumi preview` of representative
changes, normalised and committed under tests/cli/golden/, and docs/previews.md built from them.

Each golden is regenerated through the real CLI and compared with the committed text;
``NOVACONNECT_UPDATE_GOLDEN=1`` rewrites the files (and the page) instead. The page's table of
sizes is rendered from the golden files, and a test compares it with the committed page, so the
figures cannot go stale.

Making the engine's output deterministic:

- ``--parallel 1`` does *not* do it: with eight SimConfigs changed at once, the blocks came out
  in a different order from run to run with ``--parallel 1`` as without it, because the order is
  the order in which the Python program's registrations reach the engine (the SDK registers each
  resource from its own asyncio task). So each program here declares exactly one resource; the
  engine then prints the stack's block first with ``--diff`` and the stack's row last without it,
  every time.
- The CLI prints a ticker (``@ previewing update....``) on a timer, between rows or glued to the
  front of one; it is taken out (:func:`golden_text`). Without ``--diff`` it draws a resource's
  row again at each change of its status, and the stack's and the resource's rows interleave
  differently from run to run: each resource keeps its last row (:func:`last_rows`).
  Durations, the emulator's port, temporary paths and the random part of the ids of fleets and
  policies are taken out too. What remains is what the engine rendered of our diffs.

The 10,000-SIM cases share one emulator and one stack (create previews, `up`, edit previews):
every CLI command on a 10,000-entry map costs the engine tens of seconds of CPU (see
docs/previews.md), so they are as few as the cases allow, and the two previews of each step run
side by side. A golden over ``MAX_CHARS`` is committed in a bounded form: its head, its tail
and the size and line count of the whole.
"""
from __future__ import annotations

import concurrent.futures
import difflib
import itertools
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import pytest

from pulumi_novaconnect.errors import lists_dir
from pulumi_novaconnect.testing import ADMIN_TOKEN, EmulatorControl, PulumiCLI, secret
from pulumi_novaconnect.testing.cli import CLIResult, normalise
from pulumi_novaconnect.testing.pytest_plugin import FAST_CONVERGENCE, cli_missing_reason

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
PAGE = HERE.parents[1] / "docs" / "previews.md"
UPDATE = os.environ.get("NOVACONNECT_UPDATE_GOLDEN") == "1"

MAX_CHARS = 2_000_000
"""A golden longer than this is committed bounded: its first and last ``KEPT_LINES`` lines."""
KEPT_LINES = 200
BOUNDED = re.compile(r"^\[bounded golden: the full text is ([\d,]+) characters in ([\d,]+) lines;")

FLEET_SIZE = 10_000
FLEET_EDITED = 1_000
NEW_LIMIT = {"type": "month1", "value_mb": 321}
BIG_FLEET = 100_000
POLICY_JOINED = 5_000  # TC SIMs put into the policy's group, beside those already in it
DIGEST_MAX = 20_000  # what a whole preview with a digest may print, with or without --diff


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    change: str
    group: str  # the fixture that produces it
    refresh: bool = False


CASES = [
    Case("simconfig-rename", "SimConfig rename", "`name`: `pump-7` to `pump-7-east`", "sim_previews"),
    Case("simconfig-limit", "SimConfig limit change", "`limit.value_mb`: 500 to 750", "sim_previews"),
    Case("simconfig-block", "SimConfig block", "`blocked`: false to true", "sim_previews"),
    Case("simconfig-drift", "SimConfig drift, `--refresh`",
         "name and limit changed in the web UI after `up`; program unchanged", "sim_previews", refresh=True),
    Case("grouppolicy-limit", "GroupPolicy limit change", "`limit.value_mb`: 500 to 600 for the TC SIMs of Meters",
         "policy_previews"),
    Case("simfleet-create-10000", "SimFleet create, 10,000 SIMs", "a new fleet declaring each SIM's name as it is",
         "fleet_previews"),
    Case("simfleet-edit-1000-of-10000", "SimFleet edit, 1,000 of 10,000 SIMs",
         "a monthly limit of 321 MB added to 1,000 TC SIMs", "fleet_previews"),
    Case("simfleet-create-100000", "SimFleet create, 100,000 SIMs", "a new fleet declaring each SIM's name as it is",
         "big_fleet_previews"),
    Case("grouppolicy-limit-5000", "GroupPolicy limit change, 5,000+ members",
         "`limit.value_mb`: 500 to 600 for the TC SIMs of Meters, 5,000 of them put there", "big_policy_previews"),
]
FORMS = {"diff": "pulumi preview --diff", "plain": "pulumi preview"}


def golden_path(case: str, form: str) -> Path:
    return GOLDEN / (f"{case}.diff.txt" if form == "diff" else f"{case}.txt")


def command(case: Case, form: str) -> str:
    return FORMS[form] + (" --refresh" if case.refresh else "")


# -- normalising ------------------------------------------------------------------------------

TICKER = re.compile(r"@ (previewing|updating|refreshing|destroying) update\.*")
# A row of `pulumi preview` without --diff: ` ~  <type> <name> <status>`.
PROGRESS_ROW = re.compile(r"^ [ ~+-]  [\w-]+:\S+ ")
RANDOM_IDS = [(re.compile(r"\b(fleet|policy)-[0-9a-f]{12}\b"), r"\1-<id>")]
# The impact lines read the platform's reports of last month and of yesterday, which move
# with the date: whether a line is there at all depends on the day (tests/contract/test_impact.py
# holds them), so the goldens leave them out.
IMPACT = re.compile(r"^\s*impact( unknown)?: ")
LISTS_DIR = str(lists_dir())


def golden_text(result: CLIResult, replace: dict[str, str], *, impact: bool = False) -> str:
    """The CLI's output without what changes from run to run (see the module's text); the
    impact lines kept with ``impact``, for a caller that masks what moves in them."""
    text = normalise(result.text, replace={LISTS_DIR: "<lists>", **replace})
    for pattern, new in RANDOM_IDS:
        text = pattern.sub(new, text)
    lines: list[str] = []
    for line in text.splitlines():
        if IMPACT.match(line) and not impact:
            continue
        if TICKER.search(line):
            line = TICKER.sub("", line)
            if not line.strip():
                continue
        if re.fullmatch(r"\.+", line.strip()):  # the ticker's dots, continued on a line of their own
            continue
        if not line.strip() and lines and not lines[-1].strip():
            continue  # a blank line the ticker split in two
        lines.append(line.rstrip())
    return "\n".join(last_rows(lines)).strip("\n") + "\n"


def last_rows(lines: list[str]) -> list[str]:
    """Each run of progress rows as the last row of each resource, in the order they were last
    drawn. Without --diff the CLI draws a resource's row again at each change of its status,
    and two resources' rows interleave in an order of their own from run to run; the last
    row of each is what the preview ends on."""
    out: list[str] = []
    run: dict[str, str] = {}
    for line in [*lines, ""]:
        found = PROGRESS_ROW.match(line)
        if found:
            key = " ".join(line[4:].split()[:2])  # the type and the name
            run.pop(key, None)
            run[key] = line
            continue
        out.extend(run.values())
        run = {}
        out.append(line)
    return out[:-1]


def bounded(text: str) -> str:
    """``text`` as committed: whole up to ``MAX_CHARS``, else its head and tail and its size."""
    if len(text) <= MAX_CHARS:
        return text
    lines = text.splitlines()
    head, tail = lines[:KEPT_LINES], lines[-KEPT_LINES:]
    return "\n".join([
        f"[bounded golden: the full text is {len(text):,} characters in {len(lines):,} lines; "
        f"its first and last {KEPT_LINES} lines follow]",
        *head,
        f"[... {len(lines) - 2 * KEPT_LINES:,} lines left out ...]",
        *tail,
    ]) + "\n"


def size_of(committed: str) -> tuple[int, int, bool]:
    """(characters, lines, bounded) of the full text a committed golden stands for."""
    match = BOUNDED.match(committed)
    if match:
        return int(match[1].replace(",", "")), int(match[2].replace(",", "")), True
    return len(committed), len(committed.splitlines()), False


def check_golden(case: str, form: str, text: str) -> None:
    path = golden_path(case, form)
    expected = bounded(text)
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(expected, encoding="utf-8")
        return
    assert path.exists(), f"no golden {path.name}: run with NOVACONNECT_UPDATE_GOLDEN=1 to write it"
    committed = path.read_text(encoding="utf-8")
    if committed != expected:
        shown = list(itertools.islice(difflib.unified_diff(
            committed.splitlines(), expected.splitlines(), "committed", "now", lineterm="", n=2), 80))
        pytest.fail(f"{path.name} differs from what the CLI prints now (NOVACONNECT_UPDATE_GOLDEN=1 rewrites it):\n"
                    + "\n".join(shown), pytrace=False)


# -- the programs -----------------------------------------------------------------------------

SIM_PROGRAM = '''\
import pulumi
import pulumi_novaconnect as nc

config = pulumi.Config()
nc.SimConfig(
    "pump-7",
    iccid=config.require("iccid"),
    name=config.get("name") or "pump-7",
    groups=["Meters"],
    blocked=config.get_bool("blocked") or False,
    limit=nc.SimLimitArgs(type="month1", value_mb=config.get_int("limitMb") or 500),
)
'''

POLICY_PROGRAM = '''\
import pulumi
import pulumi_novaconnect as nc

config = pulumi.Config()
nc.GroupPolicy(
    "meters-limit",
    group="Meters",
    profile="TC",
    limit=nc.SimLimitArgs(type="month1", value_mb=config.get_int("limitMb") or 500),
)
'''

FLEET_PROGRAM = '''\
import json
from pathlib import Path

import pulumi_novaconnect as nc

# fleet.json: ICCID -> settings, as an inventory would give them
nc.SimFleet("fleet", sims=json.loads((Path(__file__).parent / "fleet.json").read_text()))
'''


def project(folder: Path, name: str, program: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
    (folder / "__main__.py").write_text(program)
    return folder


@pytest.fixture(scope="module")
def cli_available() -> None:
    reason = cli_missing_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)


def make_cli(tmp_path_factory: pytest.TempPathFactory, folder: Path, emulator: Any, config: dict[str, Any],
             env: Optional[dict[str, str]] = None) -> PulumiCLI:
    return PulumiCLI(folder, workdir=tmp_path_factory.mktemp("golden-cli"), env=env, config={
        "novaconnect:endpoint": emulator.url, "novaconnect:token": secret(ADMIN_TOKEN), **FAST_CONVERGENCE, **config})


def replacements(emulator: Any, cli: PulumiCLI) -> dict[str, str]:
    return {emulator.url: "http://127.0.0.1:<port>/api", str(cli.workdir): "<workdir>"}


def previews(cli: PulumiCLI, replace: dict[str, str], *, refresh: bool = False) -> dict[str, str]:
    """Both forms of one preview, run side by side (a preview writes no state)."""
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        runs = {form: pool.submit(cli.preview, diff=form == "diff", refresh=refresh) for form in FORMS}
        return {form: golden_text(run.result(), replace) for form, run in runs.items()}


def emulator_of(sims: int) -> Any:
    """An emulator of its own (not the session's, which every other test resets), seed 1."""
    from pulumi_novaconnect.emulator import Emulator

    return Emulator(sims=sims, seed=1, queue_delay=0.05)


@pytest.fixture(scope="module")
def sim_previews(cli_available, tmp_path_factory) -> Iterator[dict[tuple[str, str], str]]:
    """One SimConfig on one stack: three edits of the program, then drift made in the 'web UI'."""
    with emulator_of(50) as emulator, EmulatorControl(emulator) as control:
        iccid = control.pick("TC")["iccid"]
        folder = project(tmp_path_factory.mktemp("golden-sim"), "golden-sim", SIM_PROGRAM)
        cli = make_cli(tmp_path_factory, folder, emulator, {"golden-sim:iccid": iccid})
        replace = replacements(emulator, cli)
        cli.up(skip_preview=True)
        texts: dict[tuple[str, str], str] = {}
        for case, key, value, back in [("simconfig-rename", "name", "pump-7-east", "pump-7"),
                                       ("simconfig-limit", "limitMb", "750", "500"),
                                       ("simconfig-block", "blocked", "true", "false")]:
            cli.set_config({f"golden-sim:{key}": value})
            for form, text in previews(cli, replace).items():
                texts[case, form] = text
            cli.set_config({f"golden-sim:{key}": back})
        control.change_sim(iccid, name="pump-7 (UI)", limit={"type": "month1", "value": 77})
        for form, text in previews(cli, replace, refresh=True).items():
            texts["simconfig-drift", form] = text
        yield texts


@pytest.fixture(scope="module")
def policy_previews(cli_available, tmp_path_factory) -> Iterator[dict[tuple[str, str], str]]:
    with emulator_of(50) as emulator:
        folder = project(tmp_path_factory.mktemp("golden-policy"), "golden-policy", POLICY_PROGRAM)
        cli = make_cli(tmp_path_factory, folder, emulator, {})
        cli.up(skip_preview=True)
        cli.set_config({"golden-policy:limitMb": "600"})
        yield {("grouppolicy-limit", form): text for form, text in previews(cli, replacements(emulator, cli)).items()}


@pytest.fixture(scope="module")
def fleet_previews(cli_available, tmp_path_factory) -> Iterator[dict[tuple[str, str], str]]:
    """One 10,000-SIM emulator and one stack: the create previews, `up`, the edit previews."""
    with emulator_of(FLEET_SIZE) as emulator, EmulatorControl(emulator, timeout=120) as control:
        sims = control.sims()
        entries = {s["iccid"]: ({"name": s["name"]} if s.get("name") else {}) for s in sims}
        folder = project(tmp_path_factory.mktemp("golden-fleet"), "golden-fleet", FLEET_PROGRAM)
        (folder / "fleet.json").write_text(json.dumps(entries))
        cli = make_cli(tmp_path_factory, folder, emulator, {"novaconnect:convergeTimeout": "120"})
        replace = replacements(emulator, cli)
        texts = {("simfleet-create-10000", form): text for form, text in previews(cli, replace).items()}
        cli.up(skip_preview=True)
        for sim in control.pick_many("TC", FLEET_EDITED):
            entries[sim["iccid"]] = {**entries[sim["iccid"]], "limit": NEW_LIMIT}
        (cli.project_dir / "fleet.json").write_text(json.dumps(entries))
        texts.update({("simfleet-edit-1000-of-10000", form): text for form, text in previews(cli, replace).items()})
        yield texts


@pytest.fixture(scope="module")
def big_fleet_previews(cli_available, tmp_path_factory) -> Iterator[dict[tuple[str, str], str]]:
    """A new fleet of 100,000 SIMs, previewed (nothing is applied: the create is the case)."""
    with emulator_of(BIG_FLEET) as emulator, EmulatorControl(emulator, timeout=120) as control:
        entries = {s["iccid"]: ({"name": s["name"]} if s.get("name") else {}) for s in control.sims()}
        folder = project(tmp_path_factory.mktemp("golden-big-fleet"), "golden-fleet", FLEET_PROGRAM)
        (folder / "fleet.json").write_text(json.dumps(entries))
        cli = make_cli(tmp_path_factory, folder, emulator, {"novaconnect:convergeTimeout": "300"})
        yield {("simfleet-create-100000", form): text
               for form, text in previews(cli, replacements(emulator, cli)).items()}


@pytest.fixture(scope="module")
def big_policy_previews(cli_available, tmp_path_factory) -> Iterator[dict[tuple[str, str], str]]:
    """5,000 TC SIMs put into Meters with a 500 MB limit (two queued calls, as the web UI's bulk
    edit would), the policy adopted as it is, then its limit raised to 600 MB: a change over
    the stack's default maxChanges, which the stack raises."""
    from pulumi_novaconnect.client import NovaConnectClient

    with emulator_of(14_000) as emulator, EmulatorControl(emulator, timeout=120) as control:
        joined = control.pick_many("TC", POLICY_JOINED)
        with NovaConnectClient(endpoint=emulator.url, token=ADMIN_TOKEN) as api:
            ids = [s["id"] for s in joined]
            api.sim_group(ids, group_ids=[control.group("Meters")["id"]])
            api.sim_limit(ids, value_mb=500, type="month1")
        control.drain()
        folder = project(tmp_path_factory.mktemp("golden-big-policy"), "golden-policy", POLICY_PROGRAM)
        cli = make_cli(tmp_path_factory, folder, emulator, {"novaconnect:maxChanges": "20000"})
        cli.up(skip_preview=True)
        cli.set_config({"golden-policy:limitMb": "600"})
        yield {("grouppolicy-limit-5000", form): text
               for form, text in previews(cli, replacements(emulator, cli)).items()}


# -- the goldens ------------------------------------------------------------------------------

@pytest.mark.timeout(900)
@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_preview_matches_its_golden(case: Case, form: str, request: pytest.FixtureRequest) -> None:
    texts = request.getfixturevalue(case.group)
    check_golden(case.name, form, texts[case.name, form])


# What the goldens show about how the engine renders our diffs; docs/previews.md states them.

def test_a_changed_field_is_marked_and_every_other_input_is_printed_with_it(sim_previews) -> None:
    text = sim_previews["simconfig-limit", "diff"]
    assert "~ pulumi-python:dynamic/novaconnect:SimConfig: (update)" in text
    assert re.search(r"~ value_mb: 500 => 750", text)
    for unchanged in ("blocked              : false", 'iccid                : "', 'name                 : "pump-7"'):
        assert unchanged in text
    assert "[diff: ~limit]" in sim_previews["simconfig-limit", "plain"]


def test_drift_under_refresh_shows_the_live_value_against_the_declared_one(sim_previews) -> None:
    text = sim_previews["simconfig-drift", "diff"]
    assert "(refresh)" in text and "(update)" in text
    assert '~ name                 : "pump-7 (UI)" => "pump-7"' in text
    assert "~ value_mb: 77 => 500" in text


def test_a_group_policy_change_reads_as_its_input_and_a_digest_naming_each_member(policy_previews) -> None:
    text = policy_previews["grouppolicy-limit", "diff"]
    assert "~ value_mb: 500 => 600" in text
    assert "GroupPolicy 'meters-limit' covers 5 SIMs and changes 5: 5 limit changes" in text
    members = re.findall(r"^ +limit +(\d{19,20}) \S+: month1 500 MB => month1 600 MB$", text, re.M)
    assert len(members) == len(set(members)) == 5
    assert "changes 5: 5 limit changes" in policy_previews["grouppolicy-limit", "plain"]


def test_a_fleet_edit_reads_as_a_bounded_digest_with_every_change_in_a_file(fleet_previews) -> None:
    edit = fleet_previews["simfleet-edit-1000-of-10000", "diff"]
    create = fleet_previews["simfleet-create-10000", "diff"]
    # The SIMs travel under an input the engine does not print: no `[n]: {` block per SIM.
    assert not re.search(r"^ +(?:[~+-] )?\[\d+\]: \{$", edit + create, re.M)
    assert len(edit) < 5_000 and len(create) < 5_000
    assert f"covers {FLEET_SIZE:,} SIMs and changes {FLEET_EDITED:,}: {FLEET_EDITED:,} limit changes" in edit
    assert f"and {FLEET_EDITED - 10:,} more (every one is listed in" in edit
    assert f"adopts {FLEET_SIZE:,} SIMs as they are: no SIM changes" in create
    listed = re.search(r"every one is listed in (\S+)\)", edit)[1].replace("<lists>", str(lists_dir()))
    lines = Path(listed).read_text(encoding="utf-8").splitlines()
    assert len(lines) == FLEET_EDITED and all(line.endswith("=> month1 321 MB") for line in lines)
    assert "changes 1,000: 1,000 limit changes" in fleet_previews["simfleet-edit-1000-of-10000", "plain"]


def test_a_100000_sim_create_and_a_5000_member_policy_change_fit_a_pull_request(big_fleet_previews,
                                                                                 big_policy_previews) -> None:
    for (case, form), text in {**big_fleet_previews, **big_policy_previews}.items():
        assert len(text) < DIGEST_MAX, f"{case} {form}: {len(text):,} characters"
    assert f"adopts {BIG_FLEET:,} SIMs as they are: no SIM changes" in big_fleet_previews["simfleet-create-100000", "diff"]
    policy = big_policy_previews["grouppolicy-limit-5000", "diff"]
    changed = int(re.search(r"GroupPolicy 'meters-limit' covers [\d,]+ SIMs and changes ([\d,]+): ", policy)[1]
                  .replace(",", ""))
    assert changed >= POLICY_JOINED and f"{changed:,} limit changes" in policy
    assert f"and {changed - 10:,} more (every one is listed in" in policy


# -- the page ---------------------------------------------------------------------------------

PAGE_HEAD = """\
# What `pulumi preview` shows

<!-- Generated by the CLI tier's golden previews (NOVACONNECT_UPDATE_GOLDEN=1 rewrites this page
     together with the goldens); the suite fails when it differs from what the goldens say. -->

A pull request that changes a NovaConnect program is reviewed from `pulumi preview --diff`.
This page shows what the Pulumi CLI (v3.277.0) prints for the package's resources, taken
from real runs against the emulator: a representative change of each kind, each as
`pulumi preview --diff` and as `pulumi preview`. Times, ports, temporary paths and the
random part of fleet and policy ids are taken out, as is the CLI's `@ previewing update...`
ticker; without `--diff`, where the CLI draws a resource's row again at each change of its
status, each resource keeps its last row.

## A limit change, as a reviewer sees it

The program changes one SIM's monthly limit from 500 to 750 MB
(`nc.SimConfig("pump-7", ..., limit=nc.SimLimitArgs(type="month1", value_mb=750))`):

```
{quote_diff}```

Without `--diff` the same preview is one row per resource, naming the changed inputs:

```
{quote_plain}```

## Sizes

What each preview prints, in characters and lines after normalising. A text over
{max_chars:,} characters is kept only in part (its first and last {kept} lines) and
marked *kept in part*; the figures are those of the whole text.

| change | what changed | command | characters | lines |
|---|---|---|---:|---:|
{rows}

## How the engine renders our diffs

"""

PAGE_FACTS = """\
- **Every input of a changed resource is printed**, changed or not. A dynamic provider can
  only answer "changes: yes or no" (it has no detailed diff to give), so with `--diff` the
  engine prints the resource's old inputs against its new ones: the changed leaf is marked
  (`~ value_mb: 500 => 750`) and every other input (`blocked`, `groups`, `iccid`, `name`,
  `on_delete`, ...) is listed beside it. Without `--diff` the row names the changed
  top-level inputs only: `[diff: ~limit]`.
- **A fleet is summed up, not printed.** A `SimFleet`'s SIMs travel to the engine under an
  input it never displays (`__sims`, one short JSON string per SIM, sorted by ICCID), so
  neither a new 10,000-SIM fleet nor an edit of 1,000 of its SIMs prints a block per SIM.
  What a reviewer reads instead is the package's digest, attached to the resource: with
  `--diff` after the engine's summary, without it on the resource's row and under it in
  Diagnostics: `SimFleet 'fleet' covers 10,000 SIMs and changes 1,000: 1,000 limit
  changes`, then each change as one line (`limit  <ICCID> <name>: month1 200 MB => month1
  321 MB`), blocks, unblocks, tariff changes and releases first and all of them, the
  others up to ten, and a file that lists every one. `NOVACONNECT_REVIEW_DIR` (or
  `novaconnect:reviewDir`) also writes the digest as JSON for a CI job to post.
- **Drift shows under `--refresh`, in two blocks.** After a SIM is renamed and its limit
  changed in the web UI, `pulumi preview --refresh --diff` prints a `(refresh)` block
  (`--outputs:--`, the recorded values against the live ones) and then the `(update)` block
  that will undo the drift: `name: "pump-7 (UI)" => "pump-7"`, `value_mb: 77 => 500`.
- **The impact on working devices** comes under the headline, from the platform's own
  reports (one sweep of each): the SIMs whose new monthly limit is below what they used in
  the last full month, which the limit will cut off, and the SIMs to be blocked that had
  data sessions on the newest day the reports hold (yesterday; nothing is said of today).
  The goldens below leave these lines out: the reports move with the date, and with them
  whether a line is there at all.
- **A group policy's diff is its own inputs and a digest of its members**: a new limit for
  every TC SIM of a group reads as one `~ value_mb` line, then the digest names each member
  SIM that `pulumi up` will change, with its old and new value.
- **The order of resources is not fixed** when several change at once: it is the order in
  which the program's registrations reach the engine, which varies from run to run, with
  `--parallel 1` too. Compare previews resource by resource, not line by line.
- **Large maps are slow to preview, so a fleet is a list.** Pulumi v3.277.0 spends tens of
  seconds of CPU on each step of a resource with a 10,000-entry map, with or without
  `--diff`: every step event filters the resource's properties for display, and that filter
  copies the whole map once per entry. The same 10,000 SIMs as a list of strings cost the
  engine about a second, so `SimFleet` sends them as one; programs still write and read a
  map (`fleet.sims`).

## Errors and progress in the same output

- **A refusal of the platform, or a malformed setting, is one line** under the resource in
  the CLI's Diagnostics, and the resource's row shows the same sentence
  (`SimConfig pump-7 **creating failed** error: SIM 8997... was not changed as declared: ...`).
  An error that is not one of the package's own (a bug) keeps its Python traceback, for
  the bug report.
- **An input refused at preview** is the engine's sentence around ours, and the engine
  shows the value as Go prints a map: `property limit value {map[type:{month1}
  value_mb:{-5}]} has a problem: limit.value_mb: Input should be greater than or equal to 0`.
- **Progress while the platform's queue works** (`novaconnect: waiting for SIM 8997...
  (name, limit) to show the declared state, 5 s of 60 s`) appears on the *stack's*
  row and under the stack in Diagnostics, not under the resource that waits: it is written
  to the provider's standard error, which the engine attributes to the stack. The digest of
  a change is sent to the engine as a message about its resource instead.
"""


def render_page() -> str:
    rows = []
    for case in CASES:
        for form in FORMS:
            chars, lines, was_bounded = size_of(golden_path(case.name, form).read_text(encoding="utf-8"))
            note = " (kept in part)" if was_bounded else ""
            rows.append(f"| {case.title} | {case.change} | `{command(case, form)}` | {chars:,}{note} | {lines:,} |")
    quote = {form: golden_path("simconfig-limit", form).read_text(encoding="utf-8") for form in FORMS}
    return PAGE_HEAD.format(quote_diff=quote["diff"], quote_plain=quote["plain"], max_chars=MAX_CHARS,
                            kept=KEPT_LINES, rows="\n".join(rows)) + PAGE_FACTS


def test_previews_page_is_built_from_the_goldens() -> None:
    """Runs last: under NOVACONNECT_UPDATE_GOLDEN=1 it writes the page from the goldens just written."""
    expected_files = {golden_path(case.name, form).name for case in CASES for form in FORMS}
    present = {path.name for path in GOLDEN.glob("*.txt")}
    assert present == expected_files, f"goldens missing: {sorted(expected_files - present)}, " \
                                      f"left over: {sorted(present - expected_files)}"
    page = render_page()
    if UPDATE:
        PAGE.write_text(page, encoding="utf-8")
        return
    assert PAGE.exists() and PAGE.read_text(encoding="utf-8") == page, (
        "docs/previews.md is not what the goldens say: run the CLI tier with NOVACONNECT_UPDATE_GOLDEN=1")
