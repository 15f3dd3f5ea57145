"""The fault matrix's shared parts: one small program per resource kind, the checks every
row makes, and the rows the run produced (``docs/reliability.md`` is compared with them).

Every row runs a whole program through the program runner, so through the SDK's real
provider host, against the emulator over loopback HTTP. A row arms a fault, runs one
phase, and then checks the three promises of the matrix:

1. nothing is left in a state nobody declared: every field of every SIM, and the set of
   groups and users, is either what it was before the phase or what the program declares
   (for destroy: what it was before the stack existed);
2. a failed run says in its last line which SIM or object, and why, with no traceback;
3. the next run (faults cleared) converges and the preview after it is empty (after a
   destroy: the next destroy empties the stack and gives every SIM back).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

import pytest

import pulumi_novaconnect as nc
from pulumi_novaconnect.testing import EmulatorControl, ProgramRunner
from pulumi_novaconnect.testing.program_runner import CheckFailed, StepFailed

from .doc_table import difference, documented, updating

KINDS = ("SimConfig", "SimFleet", "GroupPolicy", "Group", "User")
PHASES = ("preview", "up", "refresh", "destroy")
GROUP_NAME = "Reliability"
POLICY_GROUP = "Reliability policy"
EMAIL = "reliability@example.kz"
FLEET_SIZE = 10

# Short waits against the emulator's 50 ms queue: a row waits seconds, not minutes. A second
# for one HTTP attempt is far above what loopback needs, and lets "slower than the client
# timeout" be a 1.5 s answer. A row that converges does so well within a second; the
# convergence budget is wider so that a loaded machine never turns "finished" into a
# timeout (rows that wait for a timeout on purpose set their own).
FAST = {
    "novaconnect:convergeTimeout": "10",
    "novaconnect:pollInterval": "0.05",
    "novaconnect:requestTimeout": "1",
}


@dataclass
class Subject:
    """One resource kind's program in a row, and what the platform must show for it.

    ``settings["limit_mb"]`` is read each time the program runs: a row may change it between
    runs to make an ``up`` an update (with a wait) instead of a create."""

    kind: str
    program: Callable[[], None]
    names: tuple[str, ...]  # what an error about it must name (ICCIDs, a group name, an e-mail)
    methods: dict[str, str]  # phase -> the API method a fault hits in that phase
    iccids: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)
    sim_names: dict[str, str] = field(default_factory=dict)  # ICCID -> declared name, where one is

    @property
    def target(self) -> dict[str, dict[str, Any]]:
        """ICCID -> the declared fields, as :func:`sim_fields` shows them."""
        limit = {"limit": "month1", "value": self.settings.get("limit_mb")}
        return {i: {**({"name": self.sim_names[i]} if i in self.sim_names else {}), **limit} for i in self.iccids}

    def sims_declared(self, emu: EmulatorControl) -> bool:
        target = self.target
        return all(_fields(emu.sim(i), target[i]) == target[i] for i in self.iccids)


def sim_fields(sim: dict[str, Any]) -> dict[str, Any]:
    """The fields of a SIM the resources manage, as compared by the matrix."""
    limit = sim["limit"] or {}
    return {
        "name": sim["name"], "block": sim["block"], "groups": EmulatorControl.group_names(sim),
        # An "off" limit has no value: the platform keeps 0 or nothing, either means "none".
        "limit": limit.get("type"), "value": None if limit.get("type") == "off" else limit.get("value"),
    }


def _fields(sim: dict[str, Any], like: dict[str, Any]) -> dict[str, Any]:
    every = sim_fields(sim)
    return {k: every[k] for k in like}


def pick_named(emu: EmulatorControl, count: int) -> list[str]:
    """Unblocked TC SIMs that have a name: a SIM without one cannot get its empty name back
    on restore (``sim/edit`` requires a name), a documented limit the matrix does not retest."""
    found = [s["iccid"] for s in emu.sims() if s["profile"] == "TC" and s["block"] == "n" and s["name"]][:count]
    assert len(found) == count, f"the fleet has {len(found)} named, unblocked TC SIMs, not {count}"
    return found


def make_subject(kind: str, emu: EmulatorControl) -> Subject:
    """The kind's program on SIMs picked from the freshly reset fleet (TC SIMs, unblocked)."""
    settings: dict[str, Any] = {"limit_mb": {"SimConfig": 300, "SimFleet": 200, "GroupPolicy": 400}.get(kind)}

    def limit() -> dict[str, Any]:
        return {"type": "month1", "value_mb": settings["limit_mb"]}

    if kind == "Group":
        return Subject(kind, lambda: nc.Group("group", name=GROUP_NAME), (GROUP_NAME,),
                       {"preview": "group/list", "up": "group/create", "refresh": "group/list",
                        "destroy": "group/remove"})
    if kind == "User":
        def user() -> None:
            nc.User("user", first_name="Rel", last_name="Iability", email=EMAIL, phone="77010000099")
        return Subject(kind, user, (EMAIL,),
                       {"preview": "user/list", "up": "user/create", "refresh": "user/list",
                        "destroy": "user/remove"})
    if kind == "SimConfig":
        iccid = pick_named(emu, 1)[0]

        def sim_config() -> None:
            nc.SimConfig("sim", iccid=iccid, name="rel-sim", limit=limit(), on_delete="restore")
        return Subject(kind, sim_config, (iccid,), _sim_methods(), (iccid,), settings, {iccid: "rel-sim"})
    if kind == "SimFleet":
        iccids = tuple(pick_named(emu, FLEET_SIZE))
        names = {i: f"rel-fleet-{n}" for n, i in enumerate(iccids)}

        def sim_fleet() -> None:
            nc.SimFleet("fleet", sims={i: {"name": names[i]} for i in iccids}, defaults={"limit": limit()},
                        on_delete="restore")
        return Subject(kind, sim_fleet, iccids, _sim_methods(), iccids, settings, names)
    if kind == "GroupPolicy":
        members = tuple(pick_named(emu, 3))
        for iccid in members:
            emu.change_sim(iccid, groups=[POLICY_GROUP], limit={"type": "off", "value": None})

        def group_policy() -> None:
            nc.GroupPolicy("policy", group=POLICY_GROUP, limit=limit(), on_delete="restore")
        return Subject(kind, group_policy, members + (POLICY_GROUP,), _sim_methods(), members, settings)
    raise ValueError(kind)


def _sim_methods() -> dict[str, str]:
    return {"preview": "sim/list", "up": "sim/limit", "refresh": "sim/list", "destroy": "sim/limit"}


# -- the checks -------------------------------------------------------------------------------------


def platform_picture(emu: EmulatorControl) -> dict[str, Any]:
    state = emu.state()
    return {
        "sims": {s["iccid"]: sim_fields(s) for s in state["sims"]},
        "groups": sorted(g["name"] for g in state["groups"]),
        "users": sorted(u["email"] for u in state["users"]),
    }


def assert_only_declared(before: dict, after: dict, declared: dict) -> None:
    """Every SIM field, and the groups and users, are as before or as declared: no third state."""
    for iccid, now in after["sims"].items():
        was = before["sims"][iccid]
        want = {**was, **declared["sims"].get(iccid, {})}
        for key, value in now.items():
            assert value in (was[key], want[key]), f"SIM {iccid} {key}={value!r}: neither {was[key]!r} nor {want[key]!r}"
    for kind in ("groups", "users"):
        assert len(after[kind]) == len(set(after[kind])), f"duplicate {kind}: {after[kind]}"
        allowed = set(before[kind]) | set(declared[kind])
        assert set(after[kind]) <= allowed, f"{kind} nobody declared: {set(after[kind]) - allowed}"


def declared_picture(subject: Subject, released: bool, original: dict) -> dict[str, Any]:
    """What the program declares on the platform (``released``: what destroy gives back)."""
    if released:
        return {"sims": {i: original["sims"][i] for i in subject.iccids}, "groups": [], "users": []}
    return {
        "sims": subject.target,
        "groups": [GROUP_NAME] if subject.kind == "Group" else [],
        "users": [EMAIL] if subject.kind == "User" else [],
    }


def failure_text(exc: Exception) -> str:
    """The line the CLI would show as the error's headline: the provider's last line."""
    if isinstance(exc, CheckFailed):
        return "; ".join(reason for _, _, reason in exc.failures)
    assert isinstance(exc, StepFailed)
    return exc.message


def assert_one_sentence_naming(text: str, names: tuple[str, ...]) -> None:
    assert text and "\n" not in text and "Traceback" not in text, text
    assert any(name in text for name in names), f"names none of {names}: {text}"


# -- the rows ---------------------------------------------------------------------------------------

ROWS: dict[tuple[str, str, str], dict[str, str]] = {}


def normalise(text: str) -> str:
    """A message with what changes from run to run taken out: ports, durations, ids."""
    text = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:<port>", text)
    text = re.sub(r"\b\d+(\.\d+)? s\b", "<n> s", text)
    text = re.sub(r"\b(queue_id|task|id) \d+", r"\1 <n>", text)
    return text


def record(fault: str, phase: str, kind: str, outcome: str, message: str = "") -> None:
    """Keep the row for the table test, and fail the row now if docs/reliability.md shows it
    otherwise (unless the run rewrites the table)."""
    key = (fault, phase, kind)
    ROWS[key] = {"outcome": outcome, "message": normalise(message)}
    if not updating():
        differs = difference(key, ROWS[key], documented())
        assert not differs, differs


@pytest.fixture()
def emu(novaconnect_control) -> EmulatorControl:
    return novaconnect_control


@pytest.fixture()
def runner_for(novaconnect_program) -> Callable[..., ProgramRunner]:
    def make(program: Callable[[], None], config: Optional[dict[str, Any]] = None) -> ProgramRunner:
        return novaconnect_program(program, {**FAST, **(config or {})})
    return make


def pytest_collection_modifyitems(config, items):
    # The table test reads the rows the other tests of the run recorded: it runs last.
    last = [i for i in items if i.nodeid.endswith("test_the_documented_table_is_what_the_run_produced")]
    for item in last:
        items.remove(item)
        items.append(item)
