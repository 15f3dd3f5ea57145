"""Data-source arguments of the wrong type are refused in the program, before any call: the
error names the function, the argument and the expected type (the platform would answer a
bare 422, or silently read `blocked="yes"` as some filter)."""
from __future__ import annotations

import datetime as dt

import pytest

import pulumi_novaconnect as nc


@pytest.mark.parametrize("call, words", [
    (lambda: nc.get_sims(blocked="yes"), "get_sims: `blocked` must be true or false (a bool), not the text 'yes'"),
    (lambda: nc.get_sims(msu_block=1), "get_sims: `msu_block` must be true or false (a bool), not the number 1"),
    (lambda: nc.get_sims(query=8997), "get_sims: `query` must be text (a str), not the number 8997"),
    (lambda: nc.get_sims(group=3), "get_sims: `group` must be text (a str), not the number 3"),
    (lambda: nc.get_sim(id="1001"), "get_sim: `id` must be a whole number (an int), not the text '1001'"),
    (lambda: nc.get_sim(id=True), "get_sim: `id` must be a whole number (an int), not the boolean True"),
    (lambda: nc.get_sim(iccid=8997103118000000001), "get_sim: `iccid` must be text (a str), not the number"),
    (lambda: nc.get_groups(name_contains=5), "get_groups: `name_contains` must be text (a str)"),
    (lambda: nc.get_users(active="no"), "get_users: `active` must be true or false (a bool), not the text 'no'"),
    (lambda: nc.get_users(role=1), "get_users: `role` must be text (a str)"),
    (lambda: nc.get_bills(unpaid="true"), "get_bills: `unpaid` must be true or false (a bool)"),
    (lambda: nc.get_bills(start="2026-01-01"), "get_bills: `start` must be a datetime.date"),
    (lambda: nc.get_usage(iccids="8997103118000000001"), "get_usage: `iccids` must be a list of ICCIDs"),
    (lambda: nc.get_usage(iccids=[8997103118000000001]), "get_usage: each of `iccids` must be an ICCID as text"),
    (lambda: nc.get_sessions(group=7), "get_sessions: `group` must be text (a str)"),
])
def test_a_data_source_argument_of_the_wrong_type_is_refused_before_any_call(program_config, call, words):
    with pytest.raises(TypeError) as err:
        call()
    assert words in str(err.value)
    assert program_config.requests() == []  # nothing reached the platform


def test_arguments_of_the_right_type_still_reach_the_platform(program_config):
    sims = nc.get_sims(blocked=False, profile="TC")
    assert sims.sims and all(s.profile == "TC" for s in sims.sims)
    assert nc.get_sim(id=sims.sims[0].id).iccid == sims.sims[0].iccid
    assert nc.get_bills(unpaid=True, start=dt.date(2020, 1, 1)) is not None
    assert program_config.requests()
