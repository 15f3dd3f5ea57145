"""Every example, and a program written by ``novaconnect-export``, through the real Pulumi CLI.

Each test is one stack's whole life against the emulator: ``pulumi preview``, ``pulumi up``,
``pulumi preview --expect-no-changes``, a change made behind the program's back (as in the
web UI), ``pulumi preview --refresh --diff`` naming the drifted field with its live and
declared values, ``pulumi up`` repairing it, ``pulumi refresh`` and ``pulumi destroy``. What
is asserted is what a person would check: the CLI's text and the platform as its control
surface shows it (never the package's own client), plus the emulator's request log, which
shows that previews and refreshes only read and that an adoption writes nothing.

One more test lets the platform fail in the middle of an ``up``: the run fails naming the
SIMs and what to do, and the next ``up`` does only what was left and converges.

The helpers here (request log, CLI text, scenario set-ups) are shared with
``test_runner_equals_cli.py``, which runs the same scenarios through both runners.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import pytest
import requests
import yaml

from pulumi_novaconnect import read_inventory
from pulumi_novaconnect.testing import ADMIN_TOKEN, CLIFailed, EmulatorControl, PulumiCLI

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# examples/quickstart's default SIMs (the seeded fleet, --seed 1).
QUICKSTART_TC = "89977070499962283034"
QUICKSTART_TD = "89978344978690736627"

FLEET_ROWS = list(csv.DictReader((EXAMPLES / "fleet" / "inventory.csv").open(encoding="utf-8")))
FLEET_GROUPS = sorted({g for row in FLEET_ROWS for g in row["groups"].split(";") if g})

CI_PILOTS = {"8997255591747756194": 200, "8997134549860155211": 100}  # examples/ci's PILOT_SIMS

POLICY_GROUP = "Policy CLI"
USAGE_GROUP = "Meters"
MB = 1024 * 1024

# Everything a program may call to read the account; any other method changes it.
READ_METHODS = {"sim/list", "group/list", "user/list", "user/get", "company/get", "bill/list", "bill/download"}


# -- the platform's request log -------------------------------------------------------------------

def is_write(method: str) -> bool:
    return method not in READ_METHODS and not method.startswith("report/")


def writes(emu: EmulatorControl) -> list[dict[str, Any]]:
    """The calls since the last clear that could change the account, oldest first."""
    return [r for r in emu.requests() if is_write(r["method"])]


def write_methods(emu: EmulatorControl) -> list[str]:
    return [r["method"] for r in writes(emu)]


# -- reading the CLI's text ---------------------------------------------------------------------

_STEP = re.compile(
    r"^\s*(?:[+~-]|\+-|-\+|--|\+\+)?\s+pulumi-python:dynamic/\S+:(?P<type>\w+) (?P<name>\S+) "
    r"(?P<op>create|update|delete|replace|refresh)\b(?: \[diff: (?P<diff>[^\]]*)\])?", re.M)


def planned(text: str) -> dict[str, str]:
    """Resource name -> the step a plain ``pulumi preview`` lists for it (create, update, ...)."""
    return {m["name"]: m["op"] for m in _STEP.finditer(text)}


@dataclass
class Section:
    """One resource's block of ``pulumi preview --diff``: its step and its changed fields."""

    op: str
    text: str = ""
    fields: dict[str, str] = field(default_factory=dict)  # top-level changed field -> its line(s)


_HEADER = re.compile(r"^(?P<indent>\s*)[~+\- ]*\s*pulumi-python:dynamic/\S+: \((?P<op>[\w-]+)\)\s*$")
_URN = re.compile(r"^(?P<indent>\s*)\[urn=urn:pulumi:[^\]]*::(?P<name>[^:\]]+)\]\s*$")


def diff_sections(text: str) -> dict[tuple[str, str], Section]:
    """(resource name, step) -> Section, from ``pulumi preview --diff`` text.

    A top-level property line is marked (``~``, ``+``, ``-``) two columns left of the
    ``[urn=...]`` line of its resource; deeper lines (map entries, list items) belong to the
    field above them and are kept in its text."""
    sections: dict[tuple[str, str], Section] = {}
    current: Optional[Section] = None
    op, indent, last = "", 0, ""
    for line in text.splitlines():
        header = _HEADER.match(line)
        if header:
            op, current = header["op"], None
            continue
        urn = _URN.match(line)
        if urn and op:
            current = sections.setdefault((urn["name"], op), Section(op))
            indent = len(urn["indent"])
            continue
        if current is None:
            continue
        if line.strip() and len(line) - len(line.lstrip()) < indent - 2:
            current = None  # the next resource, the outputs or the summary
            continue
        current.text += line + "\n"
        top = re.match(r"^ {%d}(?P<mark>[~+-]) (?P<field>\w+)\s*:" % (indent - 2), line)
        if top:
            last = top["field"]
            current.fields[last] = line.strip()
        elif last in current.fields and len(line) - len(line.lstrip()) > indent:
            current.fields[last] += "\n" + line.strip()
        else:
            last = ""
    return sections


DIGEST_LINE = re.compile(r"^\s+(\w+)\s+(\d{19,20}) (\S+): (.*) => (.*?)( \(drift: changed on the platform\))?$")


def digest_of(text: str, owner: str) -> dict[str, str]:
    """The changes a SIM resource's digest lists (``owner`` is its name as messages give it,
    ``SimFleet 'fleet'``), by ICCID: ``kind before => after``, `` (drift)`` when marked so."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{owner} covers "))
    found: dict[str, str] = {}
    for line in lines[start + 1:]:
        if not line.startswith(" ") or not line.strip():
            break
        change = DIGEST_LINE.match(line)
        if change:
            kind, iccid, _name, before, after, drift = change.groups()
            found[iccid] = f"{kind} {before} => {after}" + (" (drift)" if drift else "")
    return found


def refreshed_fleet_digest(cli: PulumiCLI, emu: EmulatorControl, owner: str) -> dict[str, str]:
    """`pulumi preview --refresh --diff` of a stack with one fleet: a read-only preview whose
    only change is the fleet; what its digest lists. The engine prints no SIM itself (they
    travel under an input it does not display), and the refresh step names the count."""
    emu.clear_requests()
    preview = cli.preview(refresh=True, diff=True)
    assert_readonly(emu, "pulumi preview --refresh")
    shown = diff_sections(preview.stdout)
    assert set(shown[owner.split("'")[1], "update"].fields) == set()
    assert re.search(r"\+ drifted_sims\s*: 1\b", preview.stdout), preview.stdout
    return digest_of(preview.text, owner)


def summary_count(text: str, what: str) -> int:
    """``Resources: ... N unchanged`` (or created, to create, ...) as a number; 0 when absent."""
    found = re.search(rf"^\s*[+~-]?\s*(\d+) {re.escape(what)}\s*$", text, re.M)
    return int(found.group(1)) if found else 0


def assert_readonly(emu: EmulatorControl, what: str) -> None:
    sent = write_methods(emu)
    assert sent == [], f"{what} changed the platform: {sent}"


# -- the platform, as its control surface shows it ----------------------------------------------

def limit_of(sim: dict[str, Any]) -> tuple[str, Any]:
    limit = sim["limit"] or {}
    return limit.get("type"), None if limit.get("type") == "off" else limit.get("value")


def policy_members(emu: EmulatorControl, count: int) -> list[str]:
    """TC SIMs put into POLICY_GROUP with no limit, as an operator would in the web UI."""
    sims = emu.pick_many("TC", count)
    for sim in sims:
        emu.change_sim(sim["iccid"], groups=[POLICY_GROUP], limit={"type": "off", "value": None})
    return [s["iccid"] for s in sims]


def usage_by_sim(emulator: Any, emu: EmulatorControl, group: str, since: dt.date) -> dict[str, int]:
    """Bytes per SIM of a group from ``since`` through yesterday, summed from report/day over raw
    HTTP (what examples/usage-guard reads through the package)."""
    group_id = emu.group(group)["id"]
    yesterday = dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1)
    body = {"filter": {"start": since.strftime("%d-%m-%Y"), "end": yesterday.strftime("%d-%m-%Y")},
            "select": [f"g_{group_id}"], "page": 0, "size": 1000}
    answer = requests.post(f"{emulator.url}/report/day", json=body, timeout=10,
                           headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).json()
    totals: dict[str, int] = {}
    for row in answer["result"]["items"]:
        totals[row["iccid"]] = totals.get(row["iccid"], 0) + int(row["value"])
    return totals


def usage_guard_config(emulator: Any, emu: EmulatorControl) -> tuple[dict[str, Any], list[str]]:
    """Config for examples/usage-guard with a threshold in the middle of the group's usage, and
    the ICCIDs over it (some SIMs are over, some are not)."""
    since = dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=10)
    usage = usage_by_sim(emulator, emu, USAGE_GROUP, since)
    ordered = sorted(usage.values())
    threshold_mb = ordered[len(ordered) // 2] // MB
    over = sorted(i for i, b in usage.items() if b > threshold_mb * MB)
    assert over and len(over) < len(usage)
    return {"group": USAGE_GROUP, "thresholdMb": str(threshold_mb), "since": since.isoformat()}, over


def export_account(emulator: Any, out: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run ``novaconnect-export --out`` against the emulator (its token from the environment,
    as the tool takes it); answers the project folder it wrote."""
    from pulumi_novaconnect.export.__main__ import main

    with monkeypatch.context() as patch:
        patch.setenv("NOVACONNECT_ENDPOINT", emulator.url)
        patch.setenv("NOVACONNECT_TOKEN", ADMIN_TOKEN)
        assert main(["--out", str(out)]) == 0
    return out


def project_name(folder: Path) -> str:
    return yaml.safe_load((folder / "Pulumi.yaml").read_text())["name"]


# -- the examples ----------------------------------------------------------------------------------

def test_quickstart(example_cli, novaconnect_control):
    emu = novaconnect_control
    before_tc, before_td = emu.sim(QUICKSTART_TC), emu.sim(QUICKSTART_TD)
    cli = example_cli("quickstart")

    emu.clear_requests()
    preview = cli.preview()
    assert planned(preview.stdout) == {"quickstart": "create", "viewer": "create", "pump-7": "create",
                                       "tracker-1": "create"}
    assert summary_count(preview.stdout, "to create") == 5  # with the stack
    assert_readonly(emu, "pulumi preview")

    cli.up()
    pump, tracker = emu.sim(QUICKSTART_TC), emu.sim(QUICKSTART_TD)
    assert (pump["name"], emu.group_names(pump), pump["block"], limit_of(pump)) == (
        "pump-7", ["Quickstart"], "n", ("month1", 500))
    assert (tracker["name"], emu.group_names(tracker), tracker["limit"]["value"], tracker["tariff"]["package_auto"]) == (
        "tracker-1", ["Quickstart"], 20, True)
    assert emu.user("ops@example.kz")["role"] == "user"
    assert cli.outputs()["pump"]["number"] == pump["number"]
    cli.preview(expect_no_changes=True)

    emu.change_sim(QUICKSTART_TC, name="renamed-in-web-ui", block="u")
    emu.change_sim(QUICKSTART_TD, groups=["Quickstart", "Trackers"])
    emu.clear_requests()
    shown = diff_sections(cli.preview(refresh=True, diff=True).stdout)
    assert_readonly(emu, "pulumi preview --refresh")
    assert set(shown["pump-7", "refresh"].fields) >= {"name", "blocked"}
    assert set(shown["pump-7", "update"].fields) == {"name", "blocked"}
    assert '"renamed-in-web-ui" => "pump-7"' in shown["pump-7", "update"].fields["name"]
    assert "true => false" in shown["pump-7", "update"].fields["blocked"]
    assert set(shown["tracker-1", "update"].fields) == {"groups"}
    assert '- [1]: "Trackers"' in shown["tracker-1", "update"].fields["groups"]
    assert ("quickstart", "update") not in shown and ("viewer", "update") not in shown

    cli.up(skip_preview=True)
    pump, tracker = emu.sim(QUICKSTART_TC), emu.sim(QUICKSTART_TD)
    assert (pump["name"], pump["block"], emu.group_names(tracker)) == ("pump-7", "n", ["Quickstart"])

    emu.clear_requests()
    assert summary_count(cli.refresh().stdout, "unchanged") == 5
    assert_readonly(emu, "pulumi refresh")

    cli.destroy()
    pump, tracker = emu.sim(QUICKSTART_TC), emu.sim(QUICKSTART_TD)
    # pump-7 is restored as it was found; tracker-1 is blocked; the group and user are gone.
    assert (pump["name"], emu.group_names(pump), limit_of(pump)) == (
        before_tc["name"], emu.group_names(before_tc), limit_of(before_tc))
    assert tracker["block"] == "u" and before_td["block"] == "n"
    assert emu.group("Quickstart") is None and emu.user("ops@example.kz") is None
    assert cli.resources() == []


def test_fleet(example_cli, novaconnect_control):
    emu = novaconnect_control
    inventory = read_inventory(EXAMPLES / "fleet" / "inventory.csv")
    cli = example_cli("fleet", onDelete="block")
    group_resources = {f"group-{g.lower().replace(' ', '-')}" for g in FLEET_GROUPS}

    emu.clear_requests()
    preview = cli.preview()
    assert planned(preview.stdout) == {**{name: "create" for name in group_resources}, "fleet": "create"}
    assert_readonly(emu, "pulumi preview")

    cli.up()
    for row in FLEET_ROWS:
        sim = emu.sim(row["iccid"])
        assert (sim["name"], emu.group_names(sim)) == (row["name"], sorted(row["groups"].split(";"))), row
        if row["limit_mb"]:
            assert limit_of(sim) == (("off", None) if row["limit_mb"] == "off" else ("month1", int(row["limit_mb"])))
        else:
            assert (sim["limit"]["value"], sim["tariff"]["package_auto"]) == (
                int(row["package_mb"]), row["auto_package"] == "true")
    outputs = cli.outputs()
    assert outputs["managed_count"] == len(FLEET_ROWS)
    assert outputs["unmanaged_iccids"] == sorted({s["iccid"] for s in emu.sims()} - set(inventory))
    cli.preview(expect_no_changes=True)

    drifted = FLEET_ROWS[1]
    emu.change_sim(drifted["iccid"], limit={"type": "month1", "value": 5})
    assert refreshed_fleet_digest(cli, emu, "SimFleet 'fleet'") == {
        drifted["iccid"]: "limit month1 5 MB => month1 300 MB (drift)"}

    emu.clear_requests()
    cli.up(skip_preview=True)
    assert write_methods(emu) == ["sim/limit"]  # one call puts the one drifted limit back
    assert limit_of(emu.sim(drifted["iccid"])) == ("month1", int(drifted["limit_mb"]))

    emu.clear_requests()
    assert summary_count(cli.refresh().stdout, "unchanged") == len(group_resources) + 2
    assert_readonly(emu, "pulumi refresh")

    cli.destroy()
    for row in FLEET_ROWS:  # on_delete=block: blocked, settings left as declared
        sim = emu.sim(row["iccid"])
        assert (sim["block"], sim["name"]) == ("u", row["name"]), row
    assert all(emu.group(g) is None for g in FLEET_GROUPS)


def test_group_policy(example_cli, novaconnect_control):
    emu = novaconnect_control
    members = policy_members(emu, 3)
    cli = example_cli("group-policy", group=POLICY_GROUP, limitMb=300, onDelete="restore")

    emu.clear_requests()
    assert planned(cli.preview().stdout) == {"group-limit": "create"}
    assert_readonly(emu, "pulumi preview")

    cli.up()
    assert all(limit_of(emu.sim(i)) == ("month1", 300) for i in members)
    assert sorted(cli.outputs()["members"]) == sorted(members)
    cli.preview(expect_no_changes=True)

    # Behind the program's back: one member's limit is changed, and a SIM joins the group.
    newcomer = emu.pick("TC", exclude=members)["iccid"]
    emu.change_sim(members[0], limit={"type": "month1", "value": 50})
    emu.change_sim(newcomer, groups=[POLICY_GROUP], limit={"type": "off", "value": None})
    emu.clear_requests()
    shown = diff_sections(cli.preview(refresh=True, diff=True).stdout)
    assert_readonly(emu, "pulumi preview --refresh")
    policy = shown["group-limit", "update"]
    assert set(policy.fields) == {"deviations"}
    assert members[0] in policy.fields["deviations"] and newcomer in policy.fields["deviations"]
    assert not any(i in policy.fields["deviations"] for i in members[1:])

    cli.up(skip_preview=True)
    assert all(limit_of(emu.sim(i)) == ("month1", 300) for i in [*members, newcomer])
    assert sorted(cli.outputs()["members"]) == sorted([*members, newcomer])

    emu.clear_requests()
    assert summary_count(cli.refresh().stdout, "unchanged") == 2
    assert_readonly(emu, "pulumi refresh")

    cli.destroy()  # on_delete=restore: the limits they had when the policy took them
    assert all(limit_of(emu.sim(i)) == ("off", None) for i in [*members, newcomer])


def test_usage_guard(example_cli, novaconnect_control, novaconnect_emulator):
    emu = novaconnect_control
    config, over = usage_guard_config(novaconnect_emulator, emu)
    before = {s["iccid"]: s["block"] for s in emu.sims()}
    cli = example_cli("usage-guard", **config)

    emu.clear_requests()
    assert planned(cli.preview().stdout) == {"usage-guard": "create"}
    assert_readonly(emu, "pulumi preview")

    cli.up()
    assert cli.outputs()["blocked_iccids"] == over
    assert {i: emu.sim(i)["block"] != "n" for i in over} == {i: True for i in over}
    assert {s["iccid"]: s["block"] for s in emu.sims() if s["iccid"] not in over} == {
        i: b for i, b in before.items() if i not in over}
    cli.preview(expect_no_changes=True)

    lifted = next(i for i in over if before[i] == "n")  # one the guard blocked itself
    emu.change_sim(lifted, block="n")  # someone unblocks a SIM the guard blocked
    emu.clear_requests()
    assert refreshed_fleet_digest(cli, emu, "SimFleet 'usage-guard'") == {lifted: "block unblocked => blocked (drift)"}

    cli.up(skip_preview=True)
    assert emu.sim(lifted)["block"] != "n"

    emu.clear_requests()
    assert summary_count(cli.refresh().stdout, "unchanged") == 2
    assert_readonly(emu, "pulumi refresh")

    cli.destroy()  # on_delete=restore: every block state as it was before the guard
    assert {s["iccid"]: s["block"] for s in emu.sims()} == before


def test_ci(example_cli, novaconnect_control):
    emu = novaconnect_control
    resources = {"pilot"} | {f"pilot-{i[-6:]}" for i in CI_PILOTS}
    cli = example_cli("ci")

    emu.clear_requests()
    assert planned(cli.preview().stdout) == {name: "create" for name in resources}
    assert_readonly(emu, "pulumi preview")

    cli.up()
    for iccid, limit in CI_PILOTS.items():
        sim = emu.sim(iccid)
        assert (emu.group_names(sim), limit_of(sim), sim["block"]) == (["Pilot"], ("month1", limit), "n")
    assert cli.outputs()["pilot_group_id"] == emu.group("Pilot")["id"]
    cli.preview(expect_no_changes=True)

    blocked = "8997134549860155211"
    emu.change_sim(blocked, block="u")
    emu.clear_requests()
    shown = diff_sections(cli.preview(refresh=True, diff=True).stdout)
    assert_readonly(emu, "pulumi preview --refresh")
    step = f"pilot-{blocked[-6:]}"
    assert set(shown[step, "update"].fields) == {"blocked"}
    assert "true => false" in shown[step, "update"].fields["blocked"]
    assert [name for name, op in shown if op == "update"] == [step]

    cli.up(skip_preview=True)
    assert emu.sim(blocked)["block"] == "n"

    emu.clear_requests()
    assert summary_count(cli.refresh().stdout, "unchanged") == len(resources) + 1
    assert_readonly(emu, "pulumi refresh")

    cli.destroy()  # on_delete defaults to retain: the limits stay, the group goes
    assert emu.group("Pilot") is None
    assert all(limit_of(emu.sim(i)) == ("month1", limit) for i, limit in CI_PILOTS.items())


def test_exported_account(novaconnect_cli, novaconnect_control, novaconnect_emulator, tmp_path, monkeypatch):
    emu = novaconnect_control
    project = export_account(novaconnect_emulator, tmp_path / "account", monkeypatch)
    account = emu.state()
    cli = novaconnect_cli(project)

    emu.clear_requests()
    preview = cli.preview()
    steps = planned(preview.stdout)
    assert set(steps.values()) == {"create"}
    assert len(steps) == len(account["groups"]) + len(account["users"]) + 1  # one SimFleet
    assert_readonly(emu, "pulumi preview")

    emu.clear_requests()
    cli.up()
    assert_readonly(emu, "the exported program's first pulumi up")  # adoption, not change
    assert cli.outputs()["sim_count"] == len(account["sims"])
    assert emu.state()["sims"] == account["sims"]
    cli.preview(expect_no_changes=True)

    target = next(s for s in account["sims"] if s["profile"] == "TC" and s["name"] and limit_of(s)[0] == "month1")
    emu.change_sim(target["iccid"], name="moved-in-web-ui")
    assert refreshed_fleet_digest(cli, emu, "SimFleet 'fleet'") == {
        target["iccid"]: f'rename "moved-in-web-ui" => "{target["name"]}" (drift)'}

    emu.clear_requests()
    cli.up(skip_preview=True)
    assert write_methods(emu) == ["sim/edit"]
    assert emu.sim(target["iccid"])["name"] == target["name"]

    emu.clear_requests()
    assert summary_count(cli.refresh().stdout, "unchanged") == len(steps) + 1
    assert_readonly(emu, "pulumi refresh")

    emu.clear_requests()
    cli.destroy()  # groups and users are retained, the fleet's SIMs retained as they are
    assert_readonly(emu, "pulumi destroy of the exported program")
    after = emu.state()
    assert (after["sims"], after["groups"], after["users"]) == (account["sims"], account["groups"], account["users"])


# -- a failing run -----------------------------------------------------------------------------

def test_a_platform_outage_mid_up_fails_readably_and_the_next_up_converges(example_cli, novaconnect_control):
    """The platform answers every attempt of sim/limit with 503 during the first up: the
    groups and the other SIM changes go out, the run fails naming each SIM and what to do,
    and the next up sends only what was left (those SIMs' limits and names) and converges."""
    emu = novaconnect_control
    cli = example_cli("fleet")
    limited = [r["iccid"] for r in FLEET_ROWS if r["limit_mb"] not in ("", "off")]
    emu.fault("sim/limit", status=503, times=None)  # every call until cleared

    emu.clear_requests()
    with pytest.raises(CLIFailed) as failed:
        cli.up(skip_preview=True)
    text = failed.value.output
    assert "Traceback" not in text  # the provider's own sentences, not a Python stack
    # One line per SIM, then the count and what the next run does.
    assert f"{len(limited)} of {len(FLEET_ROWS)} SIMs did not reach the declared state" in text
    for iccid in limited:
        assert re.search(rf"SIM {iccid} was not changed as declared: sim/limit for `limit` failed: "
                         rf"sim/limit: HTTP 503.*run `pulumi up` again", text), iccid
    assert "the next `pulumi up` does only what is left" in text
    # Everything but the limits went out: groups, memberships, names, packages.
    sent = write_methods(emu)
    assert {"group/create", "sim/group", "sim/edit", "sim/tariff"} <= set(sent)
    assert all(emu.group(g) is not None for g in FLEET_GROUPS)
    for row in FLEET_ROWS:
        sim = emu.sim(row["iccid"])
        assert emu.group_names(sim) == sorted(row["groups"].split(";")), row
        # A SIM whose queued change failed is not renamed (renames go after the queued calls).
        assert (sim["name"] == row["name"]) is (row["iccid"] not in limited), row
    assert cli.resources() and all(r["type"].endswith(":Group") for r in cli.resources())  # no fleet in state

    emu.clear_faults()
    emu.clear_requests()
    cli.up(skip_preview=True)
    ids = {emu.sim(i)["id"]: i for i in limited}
    resent = writes(emu)
    # Only what was left: the limits and the names of the SIMs that failed, nothing twice.
    assert sorted({r["method"] for r in resent}) == ["sim/edit", "sim/limit"], resent
    assert sorted(i for r in resent if r["method"] == "sim/limit" for i in r["body"]["items"]) == sorted(ids)
    assert sorted(r["body"]["id"] for r in resent if r["method"] == "sim/edit") == sorted(ids)
    for row in FLEET_ROWS:
        sim = emu.sim(row["iccid"])
        assert sim["name"] == row["name"]
        if row["iccid"] in limited:
            assert limit_of(sim) == ("month1", int(row["limit_mb"]))
    cli.preview(expect_no_changes=True)
