"""The measured scenarios, each through the SDK's real provider host as `pulumi` drives it.

- Every SIM of the fleet is declared as it already is (its name, where it has one), so
  setting up state makes no write call and preview finds nothing to change: what is
  measured is the cost of *looking*, which is what a preview or refresh of a large stack
  pays every time.
- Each preview, refresh and apply starts a fresh host, as each `pulumi` command does, so
  no scenario borrows another's warm snapshot.
- The apply changes SIMs of three kinds (block, limit, group) round-robin, plus renames;
  the SimConfig comparison takes the first `sample` of the same changes and is scaled.
"""
from __future__ import annotations

import math
from typing import Any, Optional

from pulumi_novaconnect.emulator import Emulator
from pulumi_novaconnect.resources.sim_config import SimConfigProvider
from pulumi_novaconnect.resources.sim_fleet import SimFleetProvider

from harness import Host, Platform, config_urn, fleet_urn, in_lanes, timed, with_provider

FLEET_NAME = "SimFleet 'fleet'"
NEW_LIMIT = {"type": "month1", "value_mb": 321}
NEW_GROUPS = ["Bench"]


def declared(sim: dict) -> dict[str, Any]:
    """A SIM's entry as it already is: its name when it has one, else nothing managed."""
    return {"name": sim["name"]} if sim.get("name") else {}


# -- SimConfigs ---------------------------------------------------------------------------

def config_inputs(sim: dict, extra: dict | None = None) -> dict[str, Any]:
    return with_provider(SimConfigProvider(), {"iccid": sim["iccid"], **declared(sim), **(extra or {}),
                                               "on_delete": "retain"})


def setup_configs(emu: Emulator, sims: list[dict]) -> tuple[dict[str, tuple[dict, dict]], float]:
    """State of one SimConfig per SIM (iccid -> (inputs, outputs)), created through a host."""
    def create(sim: dict) -> tuple[str, dict, dict]:
        urn = config_urn(sim["iccid"])
        checked = host.host.check(urn, {}, config_inputs(sim))
        assert checked.failures == [], checked.failures
        _id, outs = host.host.create(urn, checked.inputs)
        return sim["iccid"], checked.inputs, outs

    with Host(emu) as host:
        created, seconds = timed(lambda: in_lanes(create, sims))
    return {iccid: (inputs, outs) for iccid, inputs, outs in created}, seconds


def preview_configs(platform: Platform, state: dict[str, tuple[dict, dict]]) -> dict[str, Any]:
    def preview(item: tuple[str, tuple[dict, dict]]) -> bool:
        iccid, (inputs, outs) = item
        urn = config_urn(iccid)
        news = host.host.check(urn, inputs, inputs)
        assert news.failures == [], news.failures
        return host.host.diff(urn, iccid, outs, news.inputs, old_inputs=inputs).changes

    with Host(platform.emulator) as host:
        platform.clear_requests()
        changes, seconds = timed(lambda: in_lanes(preview, state.items()))
        figures = {"seconds": seconds, "peak_rss_mb": host.peak_rss_mb}
    figures.update(sim_list=platform.count("sim/list"), with_changes=sum(map(bool, changes)))
    return figures


def refresh_configs(platform: Platform, state: dict[str, tuple[dict, dict]]) -> dict[str, Any]:
    def refresh(item: tuple[str, tuple[dict, dict]]) -> str:
        iccid, (inputs, outs) = item
        return host.host.read(config_urn(iccid), iccid, outs, inputs)[0]

    with Host(platform.emulator) as host:
        platform.clear_requests()
        ids, seconds = timed(lambda: in_lanes(refresh, state.items()))
        figures = {"seconds": seconds, "peak_rss_mb": host.peak_rss_mb}
    assert all(ids), "a SimConfig's SIM went missing during refresh"
    figures["sim_list"] = platform.count("sim/list")
    return figures


def apply_configs(platform: Platform, state: dict[str, tuple[dict, dict]], sims: dict[str, dict],
                  changes: list[tuple[str, str, Any]]) -> dict[str, Any]:
    """`changes` through one SimConfig each, four at a time: update only, as for the fleet."""
    def update(change: tuple[str, str, Any]) -> dict:
        iccid, field, value = change
        inputs, outs = state[iccid]
        urn = config_urn(iccid)
        news = host.host.check(urn, inputs, config_inputs(sims[iccid], {field: value}))
        assert news.failures == [], news.failures
        return host.host.update(urn, iccid, outs, news.inputs, old_inputs=inputs)

    with Host(platform.emulator) as host:
        platform.clear_requests()
        _, seconds = timed(lambda: in_lanes(update, changes))
    return {"resources": len(changes), "seconds": seconds, "writes": platform.sim_writes()}


# -- one SimFleet ---------------------------------------------------------------------------

def fleet_props(entries: dict[str, dict]) -> dict[str, Any]:
    return with_provider(SimFleetProvider(), {"sims": entries, "on_delete": "retain", "__name": FLEET_NAME})


def setup_fleet(emu: Emulator, sims: list[dict]) -> tuple[dict, dict, float]:
    """(inputs, outputs, seconds) of one fleet declaring every SIM as it is; the fleet's id
    is kept in the outputs under `id` for the later calls."""
    with Host(emu) as host:
        def create() -> tuple[dict, dict]:
            checked = host.host.check(fleet_urn(), {}, fleet_props({s["iccid"]: declared(s) for s in sims}))
            assert checked.failures == [], checked.failures[:5]
            fleet_id, outs = host.host.create(fleet_urn(), checked.inputs)
            return checked.inputs, {**outs, "id": fleet_id}

        (inputs, outs), seconds = timed(create)
    return inputs, outs, seconds


def _state(outs: dict) -> tuple[str, dict]:
    return outs["id"], {k: v for k, v in outs.items() if k != "id"}


def _preview(platform: Platform, inputs: dict, outs: dict, props: dict, config: Optional[dict] = None
             ) -> tuple[bool, dict[str, Any]]:
    """One preview of the fleet as the engine makes it (check, then diff): whether it changes,
    its time and the host's peak memory."""
    with Host(platform.emulator, config=config) as host:
        platform.clear_requests()

        def preview() -> bool:
            news = host.host.check(fleet_urn(), inputs, props)
            assert news.failures == [], news.failures[:5]
            return host.host.diff(fleet_urn(), *_state(outs), news.inputs, old_inputs=inputs).changes

        changes, seconds = timed(preview)
        return bool(changes), {"seconds": seconds, "peak_rss_mb": host.peak_rss_mb}


def preview_fleet(platform: Platform, inputs: dict, outs: dict) -> dict[str, Any]:
    changes, figures = _preview(platform, inputs, outs, inputs)
    figures["with_changes"] = int(changes)
    figures["sim_list"] = platform.count("sim/list")
    return figures


def preview_edit(platform: Platform, inputs: dict, outs: dict, sims: dict[str, dict],
                 changes: list[tuple[str, str, Any]], *, impact: bool) -> dict[str, Any]:
    """The preview of one edit of the fleet (check, then diff with its digest), with the
    digest's impact lines on or off (`novaconnect:impactLines`): time, and the calls it
    makes, the report sweeps of the impact lines among them."""
    entries = {iccid: declared(sim) for iccid, sim in sims.items()}
    for iccid, field, value in changes:
        entries[iccid] = {**entries[iccid], field: value}
    changed, figures = _preview(platform, inputs, outs, fleet_props(entries),
                                {"novaconnect:impactLines": "true" if impact else "false"})
    assert changed, "the edit previewed no change"
    figures["calls"] = {method: platform.count(method) for method in ("sim/list", "report/day", "report/sessions")}
    figures["writes"] = platform.sim_writes()
    return figures


def refresh_fleet(platform: Platform, inputs: dict, outs: dict) -> dict[str, Any]:
    with Host(platform.emulator) as host:
        platform.clear_requests()
        (new_id, _outs, _inputs), seconds = timed(lambda: host.host.read(fleet_urn(), *_state(outs), inputs))
        figures = {"seconds": seconds, "peak_rss_mb": host.peak_rss_mb}
    assert new_id, "the fleet's SIMs went missing during refresh"
    figures["sim_list"] = platform.count("sim/list")
    return figures


def apply_fleet(platform: Platform, inputs: dict, outs: dict, sims: dict[str, dict],
                changes: list[tuple[str, str, Any]]) -> dict[str, Any]:
    """One update of the fleet carrying every change: check as the engine does, then time
    the update alone (the part that calls the platform and waits for the queue)."""
    entries = {iccid: declared(sim) for iccid, sim in sims.items()}
    for iccid, field, value in changes:
        entries[iccid] = {**entries[iccid], field: value}
    with Host(platform.emulator) as host:
        news = host.host.check(fleet_urn(), inputs, fleet_props(entries))
        assert news.failures == [], news.failures[:5]
        platform.clear_requests()
        _, seconds = timed(lambda: host.host.update(fleet_urn(), *_state(outs), news.inputs,
                                                                 old_inputs=inputs))
        figures = {"seconds": seconds, "peak_rss_mb": host.peak_rss_mb}
    figures.update(writes=platform.sim_writes(), sim_list=platform.count("sim/list"))
    return figures


# -- the changes ------------------------------------------------------------------------------

def pick_changes(sims: list[dict], count: int, renames: int) -> tuple[list[tuple[str, str, Any]], list[tuple[str, str, Any]]]:
    """`count` changes of three kinds, round-robin (so any prefix keeps the mix), on distinct
    active SIMs (a block or a group on any profile, a limit on TC only, as the platform
    allows), and `renames` renames of further SIMs."""
    active = [s for s in sims if s["block"] == "n"]
    tc = [s for s in active if s["profile"] == "TC"]
    td = [s for s in active if s["profile"] == "TD"]
    per_kind = math.ceil(count / 3)
    limits = tc[:per_kind]
    blocks = td[:per_kind]
    rest = tc[per_kind:] + td[per_kind:]
    groups, renamed = rest[:per_kind], rest[per_kind:per_kind + renames]
    if len(limits) < per_kind or len(blocks) < per_kind or len(renamed) < renames:
        raise SystemExit(f"the fleet has too few active SIMs for {count} changes and {renames} renames")
    kinds = [[(s["iccid"], "blocked", True) for s in blocks],
             [(s["iccid"], "limit", NEW_LIMIT) for s in limits],
             [(s["iccid"], "groups", NEW_GROUPS) for s in groups]]
    changes = [kind[n] for n in range(per_kind) for kind in kinds][:count]
    return changes, [(s["iccid"], "name", f"bench-{n}") for n, s in enumerate(renamed)]
