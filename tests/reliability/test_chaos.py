"""A bounded chaos loop: random desired state, random faults, `up`, random drift, `refresh`,
`up` again without faults; after each clean `up` the emulator holds exactly what the program
declares and the next preview is empty.

One program declares four `Group`s, one `SimFleet` of 300 SIMs (half TC with a limit, half TD
with a package; names, groups and the user block on every SIM) and up to three `User`s.
Each round is one hypothesis example: a seed for the round's changes, the faults to arm
(5xx bursts, 429, dropped connections, errors inside HTTP 200, queue tasks that fail or never
complete) and how much to drift. Rounds build on each other (the stack and the platform
carry over), so the examples are generated only: shrinking would replay a round on a
different platform. The seed is fixed (`derandomize`), the rounds are counted and the
whole loop has a time cap, past which the remaining rounds are skipped.
"""
from __future__ import annotations

import random
import time
from typing import Any

import pulumi
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import pulumi_novaconnect as nc

ROUNDS = 12
TIME_CAP = 90.0  # seconds for the whole loop; past it the remaining rounds are skipped
MIN_ROUNDS = 3  # fewer than this within the cap is a failure, not a pass
pytestmark = pytest.mark.slow

FLEET_SIZE = 300
GROUPS = ("Chaos North", "Chaos South", "Chaos East", "Chaos West")
USER_SLOTS = 3
QUEUED = ("sim/edit", "sim/group", "sim/block", "sim/unblock", "sim/limit", "sim/tariff")
METHODS = QUEUED + ("sim/list", "group/list", "group/create", "user/list", "user/create", "user/edit", "*")

FAULT = st.one_of(
    st.fixed_dictionaries({"method": st.sampled_from(METHODS), "status": st.sampled_from([500, 502, 503]),
                           "times": st.integers(1, 3)}),
    st.fixed_dictionaries({"method": st.sampled_from(METHODS), "status": st.just(429),
                           "retry_after": st.sampled_from([None, 0]), "times": st.integers(1, 2)}),
    st.fixed_dictionaries({"method": st.sampled_from(METHODS), "drop": st.just(True), "times": st.just(1)}),
    st.fixed_dictionaries({"method": st.sampled_from(METHODS), "status": st.just(500), "http_status": st.just(200),
                           "times": st.just(1)}),
    st.fixed_dictionaries({"method": st.sampled_from(QUEUED), "queue": st.sampled_from(["fail", "never"]),
                           "times": st.integers(1, 2)}),
)
ROUND = st.fixed_dictionaries({
    "seed": st.integers(0, 2**32 - 1),
    "changed": st.integers(0, FLEET_SIZE // 4),
    "faults": st.lists(FAULT, max_size=3),
    "drift": st.integers(0, 12),
    "users": st.lists(st.booleans(), min_size=USER_SLOTS, max_size=USER_SLOTS),
})


def _settings(rng: random.Random, profile: str, n: int) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": f"chaos-{n}-{rng.randrange(1000)}",
        "groups": sorted(rng.sample(GROUPS, rng.randint(0, 2))),
        "blocked": rng.random() < 0.2,
    }
    if profile == "TC":
        entry["limit"] = ({"type": "off"} if rng.random() < 0.2
                          else {"type": "month1", "value_mb": rng.randrange(50, 2000, 50)})
    else:
        entry["tariff"] = {"package_mb": rng.randrange(15, 101, 5), "auto_package": rng.random() < 0.5}
    return entry


def _user(slot: int, rng: random.Random) -> dict[str, Any]:
    return {"first_name": rng.choice(["Aru", "Dana", "Erlan", "Timur"]), "last_name": f"Chaos{slot}",
            "email": f"chaos{slot}@example.kz", "phone": f"+7701000000{slot}",
            "role": rng.choice(["user", "admin"]), "active": rng.random() < 0.8}


def _mismatches(control, desired: dict[str, Any]) -> list[str]:
    """What the emulator holds that the program does not declare, one line per difference."""
    state = control.state()
    sims = {s["iccid"]: s for s in state["sims"]}
    wrong = []
    for iccid, want in desired["sims"].items():
        sim = sims[iccid]
        live = {
            "name": sim["name"],
            "groups": sorted(g["name"] for g in sim["groups"]),
            "block": sim["block"],
        }
        expected = {"name": want["name"], "groups": want["groups"], "block": "u" if want["blocked"] else "n"}
        if "limit" in want:
            live["limit"] = (sim["limit"]["type"], sim["limit"]["value"] if sim["limit"]["type"] == "month1" else None)
            expected["limit"] = (want["limit"]["type"], want["limit"].get("value_mb"))
        else:
            live["tariff"] = (sim["limit"]["value"], sim["tariff"]["package_auto"])
            expected["tariff"] = (want["tariff"]["package_mb"], want["tariff"]["auto_package"])
        if live != expected:
            wrong.append(f"SIM {iccid}: live {live}, declared {expected}")
    names = [g["name"] for g in state["groups"]]
    wrong += [f"group {name!r} appears {names.count(name)} times" for name in GROUPS if names.count(name) != 1]
    users = {u["email"]: u for u in state["users"]}
    for slot in range(USER_SLOTS):
        email = f"chaos{slot}@example.kz"
        want, live_user = desired["users"].get(slot), users.get(email)
        if want is None:
            if live_user is not None:
                wrong.append(f"user {email} exists but is not declared")
        elif live_user is None:
            wrong.append(f"user {email} is declared but missing")
        else:
            shown = {k: live_user[k] for k in ("first_name", "last_name", "role", "active")}
            if shown != {k: want[k] for k in shown}:
                wrong.append(f"user {email}: live {shown}, declared {want}")
    return wrong


def _drift(control, rng: random.Random, desired: dict[str, Any], count: int) -> None:
    """Out-of-band changes to managed SIMs, as someone in the platform's web console would."""
    for iccid in rng.sample(sorted(desired["sims"]), count):
        want = desired["sims"][iccid]
        change = rng.choice(["name", "groups", "block", "limit" if "limit" in want else "tariff"])
        if change == "name":
            control.change_sim(iccid, name=f"drifted-{rng.randrange(1000)}")
        elif change == "groups":
            control.change_sim(iccid, groups=sorted(rng.sample(GROUPS, rng.randint(0, 3))))
        elif change == "block":
            control.change_sim(iccid, block="n" if want["blocked"] else "u")
        elif change == "limit":
            control.change_sim(iccid, limit={"type": "month1", "value": rng.randrange(60, 900)})
        else:
            control.change_sim(iccid, tariff={"package_auto": not want["tariff"]["auto_package"]})


@pytest.mark.novaconnect(sims=400, seed=7, queue_delay=0.05)
def test_chaos_rounds_always_converge_to_exactly_the_declared_state(novaconnect_program, novaconnect_control):
    control = novaconnect_control
    free = [s for s in control.sims() if s["block"] == "n"]
    fleet = ([s for s in free if s["profile"] == "TC"][: FLEET_SIZE // 2]
             + [s for s in free if s["profile"] == "TD"][: FLEET_SIZE // 2])
    profiles = {s["iccid"]: s["profile"] for s in fleet}
    assert len(profiles) == FLEET_SIZE
    start = random.Random(2026)
    desired: dict[str, Any] = {
        "sims": {iccid: _settings(start, profile, n) for n, (iccid, profile) in enumerate(profiles.items())},
        "users": {},
    }

    def program() -> None:
        groups = [nc.Group(f"group-{n}", name=name) for n, name in enumerate(GROUPS)]
        nc.SimFleet("fleet", sims=desired["sims"], on_delete="retain",
                    opts=pulumi.ResourceOptions(depends_on=groups))
        for slot, user in sorted(desired["users"].items()):
            nc.User(f"user-{slot}", **user)

    runner = novaconnect_program(program, config={"novaconnect:convergeTimeout": "4"})
    # The faulted up, on the same stack: a queue task that never completes costs this run its
    # whole timeout, and two seconds is forty times the queue's delay, so the SIMs the faults
    # spare still converge within it; the clean runs keep the wider budget.
    faulted = novaconnect_program(program, config={"novaconnect:convergeTimeout": "2"})
    began = time.monotonic()
    log: list[str] = []

    @settings(max_examples=ROUNDS, derandomize=True, database=None, deadline=None,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    @given(ROUND)
    def chaos_round(plan: dict[str, Any]) -> None:
        if time.monotonic() - began > TIME_CAP:
            return
        rng = random.Random(plan["seed"])
        for n, iccid in enumerate(rng.sample(sorted(desired["sims"]), plan["changed"])):
            desired["sims"][iccid] = _settings(rng, profiles[iccid], n)
        desired["users"] = {slot: _user(slot, rng) for slot, keep in enumerate(plan["users"]) if keep}

        for fault in plan["faults"]:
            control.fault(**{k: v for k, v in fault.items() if v is not None})
        try:
            faulted.up()
            outcome = "up"
        except Exception as exc:  # a faulted run may fail; the next one must finish the job
            outcome = f"failed: {str(exc).strip().splitlines()[-1][:160]}"
        control.clear_faults()
        _drift(control, rng, desired, plan["drift"])
        runner.refresh()
        runner.up()
        wrong = _mismatches(control, desired)
        assert wrong == [], f"after a clean up ({len(wrong)} differences):\n" + "\n".join(wrong[:20])
        preview = runner.preview()
        assert preview.changes == [], preview.text
        log.append(f"{len(plan['faults'])} faults, {plan['changed']} changed, {plan['drift']} drifted: {outcome}")

    chaos_round()
    print("\n".join(log))
    assert len(log) >= MIN_ROUNDS, f"only {len(log)} rounds within {TIME_CAP} s"
