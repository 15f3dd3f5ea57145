"""However many SIMs a problem touches, what preview and up say stays a few lines long.

100,000 unknown ICCIDs once made a 9.7 MB check answer, and the engine prints the whole
`sims` map again with every failure. Now every message gives the count, the first few ICCIDs
and the file that lists them all; a failure about a map too large to print in a line names
no property, so the engine prints only the reason.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from pulumi_novaconnect.testing.provider_host import ProviderError

from .test_group_policy_contract import LIMIT, join, policy_inputs

GHOSTS = 100_000


def ghosts(count: int, start: int = 0) -> list[str]:
    return [f"8990{n:016d}" for n in range(start, start + count)]


def listed_file(text: str) -> Path:
    [path] = re.findall(r"listed in (\S+?\.txt)", text)
    return Path(path)


def test_100000_unknown_iccids_fail_check_in_one_short_failure_naming_the_file_with_all(deploy, platform):
    iccids = ghosts(GHOSTS)
    platform.clear_requests()
    result = deploy.resource("SimFleet", "meters").check(
        {"sims": {i: {"name": "x"} for i in iccids}, "on_delete": "retain", "__name": "SimFleet 'meters'"})
    [(prop, reason)] = result.failures
    assert prop == ""  # the engine would print the 100,000-entry map with a named property
    assert len(reason) < 2_000, len(reason)
    assert reason.startswith(f"sims: 100,000 SIMs ({iccids[0]}, {iccids[1]}, ")
    assert f"and {GHOSTS - 20:,} more (all {GHOSTS:,} are listed in " in reason
    assert "no SIM with this ICCID on this NovaConnect account" in reason
    assert listed_file(reason).read_text().split() == iccids
    assert platform.sim_writes() == {}


def test_many_distinct_problems_are_capped_with_the_rest_in_a_file(deploy, platform):
    sims = {f"bad-{n:05d}": {"name": "x"} for n in range(500)}  # 500 different values: 500 different rules
    result = deploy.resource("SimFleet", "meters").check({"sims": sims, "on_delete": "retain"})
    assert len(result.failures) == 11
    assert sum(len(reason) for _, reason in result.failures) < 3_000
    last = result.failures[-1][1]
    assert last.startswith("and 490 more kinds of problem in sims, on 490 SIMs: every one is listed in ")
    lines = listed_file(last).read_text().splitlines()
    assert len(lines) == 490 and lines[0] == "SIM bad-00010: iccid: an ICCID is 19 or 20 digits, got 'bad-00010'"


def test_a_small_fleet_keeps_naming_its_property(deploy, platform):
    [(prop, reason)] = deploy.resource("SimFleet", "meters").check(
        {"sims": {ghosts(1)[0]: {"name": "x"}}, "on_delete": "retain"}).failures
    assert prop == "sims" and reason.startswith(f'sims["{ghosts(1)[0]}"]: no SIM with this ICCID')


def test_two_fleets_sharing_thousands_of_sims_make_one_short_failure(deploy, platform, emulator):
    emulator.reset(sims=3000, seed=3)
    iccids = [s["iccid"] for s in platform.sims()]
    first = deploy.resource("SimFleet", "a")
    assert first.check({"sims": {i: {} for i in iccids}, "on_delete": "retain", "__name": "SimFleet 'a'"}).failures == []
    failures = deploy.resource("SimFleet", "b").check(
        {"sims": {i: {} for i in iccids}, "on_delete": "retain", "__name": "SimFleet 'b'"}).failures
    [(prop, reason)] = failures
    assert prop == "" and len(reason) < 2_000
    assert reason.startswith(f"3,000 SIMs ({', '.join(sorted(iccids)[:20])} and 2,980 more (all 3,000 are listed in ")
    assert "are declared by both SimFleet 'a' and SimFleet 'b'" in reason


def test_a_failed_up_on_many_sims_lists_the_first_twenty_and_writes_every_one_to_a_file(deploy, platform):
    tc = [s for s in platform.sims() if s["profile"] == "TC" and s["block"] == "n"]
    assert len(tc) > 20
    platform.fault(method="sim/limit", status=422, message="refused for the test", times=None)
    with pytest.raises(ProviderError) as caught:
        deploy.resource("SimFleet", "meters").create(
            {"sims": {s["iccid"]: {"limit": {"type": "month1", "value_mb": 42}} for s in tc}, "on_delete": "retain"})
    text = str(caught.value)
    assert f"... and {len(tc) - 20:,} more SIMs (every one is listed in " in text
    assert f"{len(tc)} of {len(tc)} SIMs did not reach the declared state" in text
    assert "the first 20 are listed above" in text
    lines = listed_file(text).read_text().splitlines()
    assert sorted(line.split()[1] for line in lines) == sorted(s["iccid"] for s in tc)
    assert all("sim/limit for `limit` failed" in line for line in lines)


def test_many_malformed_excluded_iccids_are_one_short_failure(deploy, platform):
    join(platform, platform.pick_many("TC", 1))
    exclude = [f"x{n}" for n in range(5_000)]
    [(prop, reason)] = deploy.resource("GroupPolicy", "meters").check(policy_inputs(limit=LIMIT, exclude=exclude)).failures
    assert prop == "" and len(reason) < 1_000
    assert reason.startswith("exclude: an ICCID is 19 or 20 digits, got 'x0', 'x1'") and "and 4,980 more" in reason
