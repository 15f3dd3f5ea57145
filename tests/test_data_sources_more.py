"""get_groups / get_users / get_company, and get_sim by ICCID whatever the platform's search does."""
from __future__ import annotations

from decimal import Decimal

import pulumi
import pytest
import requests

import pulumi_novaconnect as nc
from pulumi_novaconnect.client import NovaConnectClient


@pytest.fixture()
def state(emulator):
    return requests.get(f"{emulator.control_url}/state", timeout=10).json()


def test_get_groups_lists_every_group_and_filters_by_substring(program_config, state):
    assert sorted(nc.get_groups().names) == sorted(g["name"] for g in state["groups"])
    some = state["groups"][0]["name"]
    part = some[1:4]
    assert sorted(nc.get_groups(name_contains=part).names) == sorted(
        g["name"] for g in state["groups"] if part.casefold() in g["name"].casefold())
    first = next(g for g in nc.get_groups().groups if g.name == some)
    assert first.id == state["groups"][0]["id"]


def test_get_users_lists_the_company_and_filters_by_role(program_config, state):
    result = nc.get_users()
    assert sorted(result.emails) == sorted(u["email"] for u in state["users"])
    admins = nc.get_users(role="admin").users
    assert admins and all(u.role == "admin" for u in admins)
    assert {u.email for u in admins} == {u["email"] for u in state["users"] if u["role"] == "admin"}


def test_get_company_gives_balance_and_billing_type(program_config, state):
    company = nc.get_company()
    assert (company.id, company.name) == (state["company"]["id"], state["company"]["name"])
    # The wire's "-79 976.25 ₸" is the Decimal -79976.25 in KZT: money a program can compare and add.
    written = state["company"]["balance"]
    assert isinstance(company.balance, Decimal)
    assert company.balance == Decimal(written.replace("₸", "").replace(" ", "").replace("\u00a0", ""))
    assert company.billing_type == state["company"]["billing_type"]
    assert company.prepaid is (state["company"]["billing_type"] == 1)


def test_get_sim_finds_an_iccid_the_search_does_not_match(program_config, state, monkeypatch):
    # A platform whose universal search does not cover ICCIDs (decision 10 is an assumption).
    real = NovaConnectClient.iter_sims

    def search_without_iccids(self, *args, query=None, **kwargs):
        return iter(()) if query else real(self, *args, **kwargs)

    monkeypatch.setattr(NovaConnectClient, "iter_sims", search_without_iccids)
    target = state["sims"][3]
    assert nc.get_sim(iccid=target["iccid"]).id == target["id"]


def test_get_sim_keeps_only_the_exact_iccid_when_the_search_matches_more(program_config, emulator):
    # Listed first, the longer ICCID contains the shorter one: a substring search finds both.
    for iccid in ("89970000000000001234", "8997000000000000123"):
        requests.post(f"{emulator.control_url}/sims", json={"iccid": iccid, "profile": "TC"}, timeout=10).raise_for_status()
    assert nc.get_sim(iccid="8997000000000000123").iccid == "8997000000000000123"
    assert nc.get_sim(iccid="89970000000000001234").iccid == "89970000000000001234"


def test_output_twins_resolve_inside_a_program(program_mocks, program_config, state):

    @pulumi.runtime.test
    def program():
        groups = nc.get_groups_output(name_contains=pulumi.Output.from_input(None))
        users = nc.get_users_output(active=pulumi.Output.from_input(True))
        company = nc.get_company_output()

        def verify(args):
            g, u, c = args
            assert sorted(g.names) == sorted(x["name"] for x in state["groups"])
            assert sorted(u.emails) == sorted(x["email"] for x in state["users"] if x["active"])
            assert c.name == state["company"]["name"]

        return pulumi.Output.all(groups, users, company).apply(verify)

    program()
