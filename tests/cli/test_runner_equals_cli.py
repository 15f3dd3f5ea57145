"""One truth, two runners: the in-process ProgramRunner and the real Pulumi CLI leave the same
platform behind.

Each example (and a program written by ``novaconnect-export``) is run twice against the same
freshly reset emulator with the same config: once through ``novaconnect_program`` and once
through ``pulumi``. Both go through the same life: ``up``, a change made behind the program's
back, ``refresh``, ``up`` (the repair), ``destroy``; one more scenario starts with an ``up`` that
fails (the platform answers 503) and must fail the same way, leaving the same state and
reporting the same message. After each phase the two must agree on:

- the platform writes, read from the emulator's request log: method, body and answer code of
  every SIM, group and user write. Legitimate differences are normalised away: group and user
  ids become names and e-mail addresses (the CLI creates resources in parallel, so ids are
  handed out in another order), the SIM ids of one bulk call are sorted, and calls are
  compared as a multiset, because the engine runs independent resources at once. The order
  of the calls that touch any one SIM must still be the same;
- the state: every resource's inputs and outputs by name, secrets unwrapped, group and user
  ids as names, creation times left out; ``null`` entries left out too (the engine keeps the
  provider's nulls in its checkpoint, the runner's state does not, and the provider never
  sees the difference: the SDK drops nulls before ``read``, ``diff``, ``update`` and ``delete``);
- the stack outputs, and finally the whole platform (every SIM, group and user).
"""
from __future__ import annotations

import copy
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

import pytest

from pulumi_novaconnect.testing import EmulatorControl
from pulumi_novaconnect.testing.cli import CLIFailed, PulumiCLI
from pulumi_novaconnect.testing.program_runner import ProgramRunner, StepFailed

from .test_examples_cli import (CI_PILOTS, EXAMPLES, FLEET_ROWS, POLICY_GROUP, QUICKSTART_TC, QUICKSTART_TD,
                                export_account, is_write, policy_members, project_name, usage_guard_config)

PHASES = ("failed", "up", "refresh", "repair", "destroy")
SECRET_SIG = "4dabf18193072939515e22adb298388d"
TIMESTAMPS = {"added", "created"}  # when the platform made an object or a limit: differs between two runs


# -- the scenarios ---------------------------------------------------------------------------------

@dataclass
class Scenario:
    """``prepare(emu, emulator)`` sets the fleet up and answers the project config (short keys);
    ``drift(emu, config)`` changes the platform behind the program's back. Both must do the
    same thing every time they run on a freshly reset emulator."""

    folder: Optional[Path]  # the project; None: the one novaconnect-export writes
    prepare: Callable[[EmulatorControl, Any], dict[str, Any]]
    drift: Optional[Callable[[EmulatorControl, dict[str, Any]], None]]
    # Armed before the first up, which must then fail; cleared before the next one.
    fault: Optional[Callable[[EmulatorControl], None]] = None


def _quickstart_drift(emu: EmulatorControl, config: dict[str, Any]) -> None:
    emu.change_sim(QUICKSTART_TC, name="renamed-in-web-ui", block="u", limit={"type": "off", "value": None})
    emu.change_sim(QUICKSTART_TD, groups=["Quickstart", "Trackers"])


def _fleet_drift(emu: EmulatorControl, config: dict[str, Any]) -> None:
    emu.change_sim(FLEET_ROWS[1]["iccid"], limit={"type": "month1", "value": 5})
    emu.change_sim(FLEET_ROWS[4]["iccid"], name="renamed-in-web-ui", groups=[])


def _policy_prepare(emu: EmulatorControl, emulator: Any) -> dict[str, Any]:
    policy_members(emu, 3)
    return {"group": POLICY_GROUP, "limitMb": 300, "onDelete": "restore"}


def _policy_drift(emu: EmulatorControl, config: dict[str, Any]) -> None:
    members = [s["iccid"] for s in emu.sims() if POLICY_GROUP in emu.group_names(s)]
    emu.change_sim(members[0], limit={"type": "month1", "value": 50})
    emu.change_sim(members[1], groups=[])  # leaves the group: let go as on_delete says
    newcomer = emu.pick("TC", exclude=members)["iccid"]
    emu.change_sim(newcomer, groups=[POLICY_GROUP], limit={"type": "off", "value": None})


def _usage_prepare(emu: EmulatorControl, emulator: Any) -> dict[str, Any]:
    config, over = usage_guard_config(emulator, emu)
    was = {i: emu.sim(i)["block"] for i in over}
    # Not a config key of the program: which SIM the drift unblocks (one the guard blocks itself).
    return {**config, "_lift": next(i for i in over if was[i] == "n")}


def _usage_drift(emu: EmulatorControl, config: dict[str, Any]) -> None:
    emu.change_sim(config["_lift"], block="n")


def _ci_drift(emu: EmulatorControl, config: dict[str, Any]) -> None:
    first, second = CI_PILOTS
    emu.change_sim(first, block="u")
    emu.change_sim(second, limit={"type": "month1", "value": 999}, groups=["Pilot", "Other"])


def _export_drift(emu: EmulatorControl, config: dict[str, Any]) -> None:
    named = [s for s in emu.sims() if s["profile"] == "TC" and s["name"] and s["block"] == "n"]
    emu.change_sim(named[0]["iccid"], name="moved-in-web-ui")
    emu.change_sim(named[1]["iccid"], block="u", limit={"type": "month1", "value": 7})


SCENARIOS = {
    "quickstart": Scenario(EXAMPLES / "quickstart", lambda emu, emulator: {}, _quickstart_drift),
    "fleet": Scenario(EXAMPLES / "fleet", lambda emu, emulator: {"onDelete": "restore"}, _fleet_drift),
    "group-policy": Scenario(EXAMPLES / "group-policy", _policy_prepare, _policy_drift),
    "usage-guard": Scenario(EXAMPLES / "usage-guard", _usage_prepare, _usage_drift),
    "ci": Scenario(EXAMPLES / "ci", lambda emu, emulator: {}, _ci_drift),
    "export": Scenario(None, lambda emu, emulator: {}, _export_drift),
    # The platform fails every sim/limit call (503) during the first up: pump-7 fails, while
    # tracker-1, which does not depend on it, is converged in the same run.
    "quickstart-outage": Scenario(EXAMPLES / "quickstart", lambda emu, emulator: {}, None,
                                  lambda emu: emu.fault("sim/limit", status=503, times=None)),
}


# -- normalising what legitimately differs ---------------------------------------------------------

class Names:
    """Group and user ids of one run, as names: ids are handed out in creation order, which
    differs when the engine creates several resources at once."""

    def __init__(self) -> None:
        self.groups: dict[int, str] = {}
        self.users: dict[int, str] = {}

    def learn(self, emu: EmulatorControl) -> None:
        state = emu.state()
        self.groups.update({g["id"]: g["name"] for g in state["groups"]})
        self.users.update({u["id"]: u["email"] for u in state["users"]})

    def group(self, value: Any) -> Any:
        return f"group {self.groups.get(int(value), value)}" if _is_id(value) else value

    def user(self, value: Any) -> Any:
        return f"user {self.users.get(int(value), value)}" if _is_id(value) else value


def _is_id(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)) or (isinstance(value, str) and value.isdigit())


def write_log(requests: list[dict[str, Any]], names: Names) -> list[str]:
    """The writes of a phase, normalised, as sorted JSON lines (a multiset)."""
    lines = []
    for r in requests:
        if not is_write(r["method"]):
            continue
        body = copy.deepcopy(r["body"]) or {}
        if r["method"].startswith("group/") and "id" in body:
            body["id"] = names.group(body["id"])
        if r["method"].startswith("user/") and "id" in body:
            body["id"] = names.user(body["id"])
        if r["method"] == "sim/group":
            body["group"] = sorted(names.group(g) for g in body.get("group") or [])
        if isinstance(body.get("items"), list):
            body["items"] = sorted(body["items"])
        lines.append(json.dumps({"method": r["method"], "code": r["code"], "body": body}, sort_keys=True))
    return sorted(lines)


def per_sim_order(requests: list[dict[str, Any]]) -> dict[int, list[str]]:
    """For each SIM id, the write methods that touched it, in the order they arrived."""
    order: dict[int, list[str]] = {}
    for r in requests:
        if not is_write(r["method"]) or not r["method"].startswith("sim/"):
            continue
        body = r["body"] or {}
        for sim_id in body.get("items") or ([body["id"]] if "id" in body else []):
            order.setdefault(sim_id, []).append(r["method"])
    return order


def plain(value: Any, names: Names, key: str = "") -> Any:
    """A state value with secrets unwrapped, nulls dropped, ids as names, times left out."""
    if isinstance(value, dict) and SECRET_SIG in value:
        inner = json.loads(value["plaintext"]) if "plaintext" in value else value.get("value")
        return plain(inner, names, key)
    if isinstance(value, dict):
        return {k: plain(v, names, k) for k, v in sorted(value.items()) if v is not None and k not in TIMESTAMPS}
    if isinstance(value, list):
        return [plain(v, names) for v in value if v is not None]
    if key.endswith("group_id"):
        return names.group(value)
    if key.endswith("user_id"):
        return names.user(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def state_of(resources: list[dict[str, Any]], names: Names) -> dict[str, Any]:
    """name -> (type, id, inputs, outputs), normalised; from either runner's state."""
    out = {}
    for r in resources:
        kind = r["type"].rsplit(":", 1)[-1]
        rid = names.group(r["id"]) if kind == "Group" else names.user(r["id"]) if kind == "User" else r["id"]
        rid = re.sub(r"-[0-9a-f]{12}$", "-<random>", rid)  # a fleet's or policy's id is made up at create
        out[r["urn"].rsplit("::", 1)[-1]] = {"type": r["type"], "id": rid, "inputs": plain(r["inputs"], names),
                                             "outputs": plain(r["outputs"], names)}
    return out


def platform(emu: EmulatorControl) -> dict[str, Any]:
    """Every SIM, group and user, groups by name and users by e-mail (ids left out)."""
    state = emu.state()
    sims = {s["iccid"]: plain({**s, "groups": sorted(g["name"] for g in s["groups"])}, Names()) for s in state["sims"]}
    groups = sorted(g["name"] for g in state["groups"])
    users = sorted(({k: v for k, v in u.items() if k not in ("id", *TIMESTAMPS)} for u in state["users"]),
                   key=lambda u: u["email"])
    return {"sims": sims, "groups": groups, "users": users}


# -- the two runs ---------------------------------------------------------------------------------

@dataclass
class Record:
    """What one run left behind, phase by phase."""

    writes: dict[str, list[str]]
    order: dict[str, dict[int, list[str]]]
    states: dict[str, dict[str, Any]]
    outputs: dict[str, Any]
    platform: dict[str, Any]
    failure: Optional[Exception]


class Driver:
    """Runs the scenario's phases through one runner and records each phase."""

    def __init__(self, emu: EmulatorControl, scenario: Scenario):
        self.emu, self.scenario, self.names = emu, scenario, Names()
        self.writes: dict[str, list[str]] = {}
        self.order: dict[str, dict[int, list[str]]] = {}
        self.states: dict[str, dict[str, Any]] = {}
        self.outputs: dict[str, Any] = {}
        self.failure: Optional[Exception] = None

    def phase(self, name: str, run: Callable[[], Any], state: Callable[[], list[dict[str, Any]]]) -> Any:
        self.emu.clear_requests()
        try:
            return run()
        finally:  # a failed run is recorded too
            log = self.emu.requests()
            self.names.learn(self.emu)
            self.writes[name] = write_log(log, self.names)
            self.order[name] = per_sim_order(log)
            self.states[name] = state_of(state(), self.names)

    def record(self) -> Record:
        return Record(self.writes, self.order, self.states, self.outputs, platform(self.emu), self.failure)


def live(emu: EmulatorControl, scenario: Scenario, facts: dict[str, Any], driver: "Driver", *,
         up: Callable[[], Any], refresh: Callable[[], Any], destroy: Callable[[], Any],
         state: Callable[[], list[dict[str, Any]]], outputs: Callable[[Any], Any], failed: type) -> None:
    """The scenario's life through one runner: [a failing up,] up, [drift, refresh, up,] destroy."""
    if scenario.fault:
        scenario.fault(emu)
        with pytest.raises(failed) as caught:
            driver.phase("failed", up, state)
        driver.failure = caught.value
        emu.clear_faults()
    driver.outputs = outputs(driver.phase("up", up, state))
    if scenario.drift:
        scenario.drift(emu, facts)
        driver.phase("refresh", refresh, state)
        driver.outputs = outputs(driver.phase("repair", up, state))
    driver.phase("destroy", destroy, state)


def through_runner(emu: EmulatorControl, scenario: Scenario, runner: ProgramRunner, facts: dict[str, Any]) -> Record:
    driver = Driver(emu, scenario)
    live(emu, scenario, facts, driver, up=runner.up, refresh=runner.refresh, destroy=runner.destroy,
         state=lambda: runner.load_state()["resources"], outputs=lambda result: plain(result.outputs, driver.names),
         failed=StepFailed)
    return driver.record()


def through_cli(emu: EmulatorControl, scenario: Scenario, cli: PulumiCLI, facts: dict[str, Any]) -> Record:
    driver = Driver(emu, scenario)
    live(emu, scenario, facts, driver, up=lambda: cli.up(skip_preview=True), refresh=cli.refresh,
         destroy=cli.destroy, state=cli.resources, outputs=lambda result: plain(cli.outputs(), driver.names),
         failed=CLIFailed)
    return driver.record()


def differences(mine: Any, theirs: Any, path: str = "") -> list[str]:
    """Where two values differ, as ``path: runner value != CLI value`` lines."""
    if isinstance(mine, dict) and isinstance(theirs, dict):
        return [line for key in sorted(set(mine) | set(theirs), key=str)
                for line in differences(mine.get(key, "<absent>"), theirs.get(key, "<absent>"), f"{path}.{key}")]
    if isinstance(mine, list) and isinstance(theirs, list) and len(mine) == len(theirs):
        return [line for i, (a, b) in enumerate(zip(mine, theirs)) for line in differences(a, b, f"{path}[{i}]")]
    return [] if mine == theirs else [f"{path}: runner {mine!r} != CLI {theirs!r}"]


def assert_same(runner: Record, cli: Record) -> None:
    problems = []
    if runner.failure is not None:
        # What the runner reports is what the CLI shows (after ``error:``, or under a traceback).
        shown = [line.strip() for line in cli.failure.output.splitlines()]
        problems += [f"the CLI does not show the runner's failure line {line.strip()!r}"
                     for line in runner.failure.message.splitlines()
                     if line.strip() and not any(line.strip() in other for other in shown)]
    for phase in (p for p in PHASES if p in runner.writes or p in cli.writes):
        only_runner = Counter(runner.writes[phase]) - Counter(cli.writes[phase])
        only_cli = Counter(cli.writes[phase]) - Counter(runner.writes[phase])
        if only_runner or only_cli:
            problems.append(f"{phase}: writes only the runner made: {sorted(only_runner.elements())}; "
                            f"only the CLI made: {sorted(only_cli.elements())}")
        elif runner.order[phase] != cli.order[phase]:
            problems.append(f"{phase}: per-SIM order differs: runner {runner.order[phase]}, CLI {cli.order[phase]}")
        problems += [f"{phase}: state {line}" for line in differences(runner.states[phase], cli.states[phase])]
    problems += [f"stack outputs {line}" for line in differences(runner.outputs, cli.outputs)]
    problems += [f"platform at the end {line}" for line in differences(runner.platform, cli.platform)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_the_runner_and_the_cli_leave_the_same_platform(name, novaconnect_control, novaconnect_emulator,
                                                          novaconnect_program, novaconnect_cli, tmp_path, monkeypatch):
    emu = novaconnect_control
    scenario = SCENARIOS[name]
    folder = scenario.folder or export_account(novaconnect_emulator, tmp_path / "account", monkeypatch)
    project = project_name(folder)

    def prepared() -> dict[str, Any]:
        emu.reset()
        return scenario.prepare(emu, novaconnect_emulator)

    facts = prepared()
    config = {f"{project}:{k}": v for k, v in facts.items() if not k.startswith("_")}
    runner = novaconnect_program(str(folder), config, project=project)
    by_runner = through_runner(emu, scenario, runner, facts)

    assert prepared() == facts
    by_cli = through_cli(emu, scenario, novaconnect_cli(folder, config), facts)

    # The exported program adopts the account as it is; every example changes it.
    assert bool(by_runner.writes["up"]) is (scenario.folder is not None), by_runner.writes["up"]
    assert not scenario.drift or by_runner.writes["repair"], "the drift needed no repair: it proves little"
    assert not scenario.fault or by_runner.writes["failed"], "the failed up sent nothing: it proves little"
    assert_same(by_runner, by_cli)
