"""How many calls SIM resources cost, counted from the emulator's request log: these counts
are deterministic (unlike timings), so the benchmark's call targets are held here too.

- one apply of changes of several kinds through a SimFleet: one queue call per kind (and
  one `sim/edit` per rename), split only by `novaconnect:maxBatch`;
- a platform that caps `items` (`--max-items`): a fleet whose maxBatch is at or below the
  cap converges in ceil(n / maxBatch) calls per kind;
- preview and refresh, of one fleet or of many SimConfigs: one sweep of `sim/list`,
  ceil(fleet / 1000) pages, however many SIMs or resources are asked about.
"""
from __future__ import annotations

import concurrent.futures
import math
from typing import Any, Iterator

import pytest
import requests

from pulumi_novaconnect.emulator import Emulator
from pulumi_novaconnect.resources.sim_config import SimConfigProvider
from pulumi_novaconnect.resources.sim_fleet import SimFleetProvider
from pulumi_novaconnect.testing import SIM_WRITES, EmulatorControl
from pulumi_novaconnect.testing.provider_host import ProviderError, ProviderHost, make_urn, provider_property, secret

FLEET = "pulumi-python:dynamic/novaconnect:SimFleet"
CONFIG = "pulumi-python:dynamic/novaconnect:SimConfig"
PAGE = 1000  # the platform's page cap, so one sweep is ceil(fleet / PAGE) sim/list calls
BIG_FLEET = 2500


@pytest.fixture(scope="module")
def big() -> Iterator[Emulator]:
    """A fleet of three sim/list pages, so "one sweep" is a count that can be told apart
    from one page and from two sweeps."""
    with Emulator(sims=BIG_FLEET, seed=3, queue_delay=0.05) as emu:
        yield emu


@pytest.fixture(scope="module")
def capped() -> Iterator[Emulator]:
    with Emulator(sims=50, seed=1, queue_delay=0.05, max_items=4) as emu:
        yield emu


def config(emu: Emulator, **extra: str) -> dict[str, Any]:
    return {
        "novaconnect:endpoint": emu.url,
        "novaconnect:token": secret("admin-token"),
        "novaconnect:convergeTimeout": "20",
        "novaconnect:pollInterval": "0.05",
        **extra,
    }


def host_for(start_host, emu: Emulator, **extra: str) -> ProviderHost:
    host = start_host()
    host.configure(config(emu, **extra))
    return host


def live_sims(emu: Emulator) -> list[dict]:
    return requests.get(f"{emu.control_url}/state", timeout=30).json()["sims"]


def fleet_props(sims: dict[str, dict]) -> dict[str, Any]:
    return {**provider_property(SimFleetProvider()), "sims": sims, "on_delete": "retain", "__name": "SimFleet 'fleet'"}


def create_fleet(host: ProviderHost, sims: dict[str, dict]) -> tuple[str, dict, dict]:
    urn = make_urn("dev", "counts", FLEET, "fleet")
    checked = host.check(urn, {}, fleet_props(sims))
    assert checked.failures == [], checked.failures
    fleet_id, outs = host.create(urn, checked.inputs)
    return fleet_id, checked.inputs, outs


def test_a_fleet_apply_of_three_kinds_of_change_makes_one_queue_call_per_kind_plus_one_edit_per_rename(
        big, start_host):
    big.reset()
    active = [s for s in live_sims(big) if s["block"] == "n"]
    tc = [s for s in active if s["profile"] == "TC"][:100]
    td = [s for s in active if s["profile"] == "TD"][:100]
    declared = {s["iccid"]: {"blocked": False} for s in tc + td}
    host = host_for(start_host, big)
    fleet_id, inputs, outs = create_fleet(host, declared)

    changed = {iccid: dict(entry) for iccid, entry in declared.items()}
    for sim in td[:30]:
        changed[sim["iccid"]]["blocked"] = True
    for sim in tc[:30]:
        changed[sim["iccid"]]["limit"] = {"type": "month1", "value_mb": 321}
    for sim in tc[30:60] + td[30:60]:
        changed[sim["iccid"]]["groups"] = ["Counted"]
    for n, sim in enumerate(tc[60:65]):
        changed[sim["iccid"]]["name"] = f"counted-{n}"
    urn = make_urn("dev", "counts", FLEET, "fleet")
    news = host.check(urn, inputs, fleet_props(changed)).inputs
    EmulatorControl(big).clear_requests()
    host.update(urn, fleet_id, outs, news, old_inputs=inputs)

    assert EmulatorControl(big).sim_writes() == {"sim/block": 1, "sim/limit": 1, "sim/group": 1, "sim/edit": 5}
    # The queued calls go out first, so the queue's delay runs while the renames are sent.
    methods = [m for m in EmulatorControl(big).methods() if m in SIM_WRITES]
    assert methods[:3] == ["sim/block", "sim/group", "sim/limit"] and set(methods[3:]) == {"sim/edit"}
    live = {s["iccid"]: s for s in live_sims(big)}
    assert all(live[s["iccid"]]["block"] == "u" for s in td[:30])
    assert all(live[s["iccid"]]["limit"]["value"] == 321 for s in tc[:30])
    assert all([g["name"] for g in live[s["iccid"]]["groups"]] == ["Counted"] for s in tc[30:60] + td[30:60])
    assert [live[s["iccid"]]["name"] for s in tc[60:65]] == [f"counted-{n}" for n in range(5)]


def test_preview_and_refresh_of_a_fleet_cost_one_sweep_of_sim_list(big, start_host):
    big.reset()
    sims = [s for s in live_sims(big) if s["block"] == "n"][:1200]
    declared = {s["iccid"]: {"blocked": False} for s in sims}
    fleet_id, inputs, outs = create_fleet(host_for(start_host, big), declared)
    urn = make_urn("dev", "counts", FLEET, "fleet")

    preview = host_for(start_host, big)  # the next `pulumi preview` starts a new host
    EmulatorControl(big).clear_requests()
    assert preview.check(urn, inputs, fleet_props(declared)).failures == []
    assert preview.diff(urn, fleet_id, outs, inputs, old_inputs=inputs).changes is False
    assert EmulatorControl(big).count("sim/list") == math.ceil(BIG_FLEET / PAGE)

    refresh = host_for(start_host, big)
    EmulatorControl(big).clear_requests()
    new_id, _outs, _inputs = refresh.read(urn, fleet_id, outs, inputs)
    assert new_id == fleet_id
    assert EmulatorControl(big).count("sim/list") == math.ceil(BIG_FLEET / PAGE)


def test_preview_and_refresh_of_many_sim_configs_cost_one_sweep_of_sim_list(big, start_host):
    big.reset()
    sims = [s for s in live_sims(big) if s["block"] == "n"][:60]
    provider = provider_property(SimConfigProvider())
    resources = []
    for s in sims:
        inputs = {"iccid": s["iccid"], "name": s["name"] or "x", "on_delete": "retain"}
        resources.append((make_urn("dev", "counts", CONFIG, s["iccid"]), s["iccid"],
                          {**provider, **inputs, "sim_id": s["id"]}, {**provider, **inputs}))

    preview = host_for(start_host, big)
    EmulatorControl(big).clear_requests()
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:  # four at a time, as the engine calls
        list(pool.map(lambda r: preview.diff(r[0], r[1], r[2], r[3], old_inputs=r[3]), resources))
    assert EmulatorControl(big).count("sim/list") == math.ceil(BIG_FLEET / PAGE)

    refresh = host_for(start_host, big)
    EmulatorControl(big).clear_requests()
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda r: refresh.read(r[0], r[1], r[2], r[3]), resources))
    assert EmulatorControl(big).count("sim/list") == math.ceil(BIG_FLEET / PAGE)


@pytest.mark.parametrize("max_batch, sizes", [("4", [2, 4, 4]), ("3", [1, 3, 3, 3])])
def test_a_fleet_converges_against_a_platform_capping_items_when_max_batch_is_at_or_below_the_cap(
        capped, start_host, max_batch, sizes):
    capped.reset()
    tc = [s for s in live_sims(capped) if s["profile"] == "TC" and s["block"] == "n"][:10]
    assert len(tc) == 10, "the seeded fleet has too few active TC SIMs"
    host = host_for(start_host, capped, **{"novaconnect:maxBatch": max_batch})
    EmulatorControl(capped).clear_requests()
    create_fleet(host, {s["iccid"]: {"limit": {"type": "month1", "value_mb": 77}} for s in tc})

    calls = EmulatorControl(capped).requests("sim/limit")
    assert sorted(len(c["body"]["items"]) for c in calls) == sizes
    assert len(calls) == math.ceil(len(tc) / int(max_batch))
    assert all(c["http_status"] == 200 for c in calls)
    live = {s["iccid"]: s for s in live_sims(capped)}
    assert all(live[s["iccid"]]["limit"]["value"] == 77 for s in tc)


def test_a_max_batch_above_the_platforms_cap_fails_every_sim_of_the_refused_call_naming_the_rule(
        capped, start_host):
    capped.reset()
    tc = [s for s in live_sims(capped) if s["profile"] == "TC" and s["block"] == "n"][:6]
    host = host_for(start_host, capped)  # default maxBatch (1,000) is above the cap of 4
    with pytest.raises(ProviderError) as failed:
        create_fleet(host, {s["iccid"]: {"limit": {"type": "month1", "value_mb": 78}} for s in tc})
    assert all(s["iccid"] in failed.value.details for s in tc)
    assert "at most 4 SIMs per call" in failed.value.details
    assert all(s["limit"]["value"] != 78 for s in live_sims(capped) if s["iccid"] in {t["iccid"] for t in tc})
