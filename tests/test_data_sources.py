"""get_sims / get_sim run in the program's process against the emulator."""
from __future__ import annotations

from decimal import Decimal

import pulumi
import pytest

import pulumi_novaconnect as nc
from pulumi_novaconnect.errors import NotFoundOnPlatform


def live(platform_state, **where):
    return [s for s in platform_state["sims"] if all(s[k] == v for k, v in where.items())]


@pytest.fixture()
def state(emulator):
    import requests

    return requests.get(f"{emulator.control_url}/state", timeout=10).json()


def test_get_sims_without_filters_lists_the_whole_fleet(program_config, state):
    result = nc.get_sims()
    assert sorted(result.iccids) == sorted(s["iccid"] for s in state["sims"])


def test_get_sims_filters_by_profile_and_block(program_config, state):
    assert sorted(nc.get_sims(profile="TD").iccids) == sorted(s["iccid"] for s in live(state, profile="TD"))
    blocked = nc.get_sims(blocked=True)
    assert blocked.sims and all(s.blocked for s in blocked.sims)
    assert sorted(blocked.iccids) == sorted(s["iccid"] for s in state["sims"] if s["block"] != "n")
    msu = nc.get_sims(msu_block=True)
    assert sorted(msu.iccids) == sorted(s["iccid"] for s in live(state, block="m"))


def test_get_sims_filters_by_group_name(program_config, state):
    group = next(g["name"] for g in state["groups"] if any(g["name"] in [x["name"] for x in s["groups"]] for s in state["sims"]))
    expected = sorted(s["iccid"] for s in state["sims"] if group in [g["name"] for g in s["groups"]])
    result = nc.get_sims(group=group)
    assert sorted(result.iccids) == expected and all(group in s.groups for s in result.sims)


def test_get_sims_query_searches_the_iccid(program_config, state):
    target = state["sims"][3]
    assert target["iccid"] in nc.get_sims(query=target["iccid"][-8:]).iccids


def test_get_sim_by_iccid_and_by_id(program_config, state):
    target = state["sims"][5]
    by_iccid = nc.get_sim(iccid=target["iccid"])
    assert by_iccid.id == target["id"] and by_iccid.profile == target["profile"] and by_iccid.block == target["block"]
    assert nc.get_sim(id=target["id"]).iccid == target["iccid"]


def test_a_sims_balance_is_a_decimal_of_the_amount_the_platform_sent(program_config, state):
    target = next(s for s in state["sims"] if s["profile"] == "TC" and s["balance"])
    sim = nc.get_sim(iccid=target["iccid"])
    assert isinstance(sim.balance, Decimal) and sim.balance == Decimal(repr(target["balance"]))


def test_get_sim_of_an_unknown_iccid_says_so(program_config):
    with pytest.raises(NotFoundOnPlatform, match="8997000000000000009"):
        nc.get_sim(iccid="8997000000000000009")


def test_get_sim_needs_exactly_one_key(program_config):
    with pytest.raises(ValueError, match="exactly one"):
        nc.get_sim()


def test_output_twins_resolve_inside_a_program(program_mocks, program_config, state):

    @pulumi.runtime.test
    def program():
        profile = pulumi.Output.from_input("TC")
        sims = nc.get_sims_output(profile=profile)
        one = nc.get_sim_output(iccid=pulumi.Output.from_input(state["sims"][0]["iccid"]))

        def verify(args):
            result, sim = args
            assert sorted(result.iccids) == sorted(s["iccid"] for s in live(state, profile="TC"))
            assert sim.iccid == state["sims"][0]["iccid"]

        return pulumi.Output.all(sims, one).apply(verify)

    program()
