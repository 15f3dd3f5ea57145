"""sim/list: paging with the server's 1000 cap, filters, sort, and the Sim type's shape."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.emulator.models import SORTABLE_FIELDS

from .conftest import USER

SIM_KEYS = {"id", "iccid", "number", "external_number", "name", "balance", "currency", "msu_value",
            "profile", "block", "comment", "groups", "limit", "tariff"}


def _all(api, **filters):
    return api.ok("sim/list", {"size": 1000, "filter": filters})["items"]


def test_sim_list_defaults_to_the_first_page_of_20(api):
    payload = api.ok("sim/list")
    assert payload["count"] == 20 == len(payload["items"]) and payload["all_count"] == 50
    assert [s["id"] for s in payload["items"]] == list(range(1001, 1021))


def test_sim_list_pages_start_at_zero_and_follow_each_other(api):
    first = api.ok("sim/list", {"page": 0, "size": 15})["items"]
    second = api.ok("sim/list", {"page": 1, "size": 15})["items"]
    assert [s["id"] for s in first + second] == list(range(1001, 1031))


def test_sim_list_last_page_is_short_and_past_the_end_is_empty(api):
    assert api.ok("sim/list", {"page": 2, "size": 20})["count"] == 10
    payload = api.ok("sim/list", {"page": 9, "size": 20})
    assert payload["items"] == [] and payload["count"] == 0 and payload["all_count"] == 50


def test_sim_list_caps_the_page_size_at_1000(api, emulator):
    emulator.reset(sims=1500)
    first = api.ok("sim/list", {"size": 5000})
    assert first["count"] == 1000 and first["all_count"] == 1500
    # The offset is page x the *effective* size.
    second = api.ok("sim/list", {"page": 1, "size": 5000})
    assert second["count"] == 500 and second["items"][0]["id"] == first["items"][-1]["id"] + 1


@pytest.mark.parametrize("body", [{"page": "0"}, {"size": "10"}, {"size": 1.5}, {"page": True}])
def test_sim_list_page_and_size_must_be_integers(api, body):
    assert api.error("sim/list", body, status=422, lang="en").endswith("must be an integer")


@pytest.mark.parametrize("body,field", [({"page": -1}, "page"), ({"size": 0}, "size")])
def test_sim_list_rejects_a_negative_page_or_a_zero_size(api, body, field):
    assert api.error("sim/list", body, status=422, lang="en").startswith(field)


@pytest.mark.parametrize("profile", ["TC", "TD"])
def test_sim_list_filters_by_profile(api, profile):
    sims = _all(api, profile=profile)
    assert sims and all(s["profile"] == profile for s in sims)


def test_sim_list_rejects_an_unknown_profile(api):
    assert "filter.profile" in api.error("sim/list", {"filter": {"profile": "TX"}}, status=422)


def test_msu_block_true_lists_only_msu_blocked_sims(api):
    sims = _all(api, msu_block=True)
    assert sims and all(s["block"] == "m" for s in sims)


def test_msu_block_false_leaves_out_msu_blocked_sims(api):
    sims = _all(api, msu_block=False)
    assert len(sims) == 50 - len(_all(api, msu_block=True)) and all(s["block"] != "m" for s in sims)


def test_blocked_false_lists_only_block_n(api):
    sims = _all(api, blocked=False)
    assert sims and all(s["block"] == "n" for s in sims)


def test_blocked_true_lists_every_other_block(api):
    sims = _all(api, blocked=True)
    assert {s["block"] for s in sims} == {"u", "m", "p", "f", "g"}
    assert len(sims) + len(_all(api, blocked=False)) == 50


def test_filters_must_have_their_documented_types(api):
    assert "filter.blocked" in api.error("sim/list", {"filter": {"blocked": "yes"}}, status=422)
    assert "filter" in api.error("sim/list", {"filter": ["TC"]}, status=422)


@pytest.mark.parametrize("field", ["iccid", "number", "external_number"])
def test_query_finds_a_sim_by_part_of_its_identifiers(api, field):
    target = api.sims()[7]
    found = _all(api, query=target[field][-7:])
    assert target["id"] in {s["id"] for s in found}


def test_query_matches_the_name_case_insensitively(api):
    target = api.sim_where(lambda s: s["name"])
    found = _all(api, query=target["name"].upper())
    assert target["id"] in {s["id"] for s in found}
    assert all(target["name"] in (s["name"] or "") for s in found)


def test_query_without_a_match_lists_nothing(api):
    payload = api.ok("sim/list", {"filter": {"query": "no-such-sim-anywhere"}})
    assert payload["items"] == [] and payload["all_count"] == 0


def test_all_count_counts_the_filtered_items(api):
    payload = api.ok("sim/list", {"size": 1, "filter": {"profile": "TC"}})
    assert payload["count"] == 1 and payload["all_count"] == len(_all(api, profile="TC"))


@pytest.mark.parametrize("field", SORTABLE_FIELDS)
@pytest.mark.parametrize("direction", ["ASC", "DESC"])
def test_sim_list_sorts_by_any_top_level_scalar_field(api, field, direction):
    values = [s[field] for s in api.ok("sim/list", {"size": 50, "sort": {field: direction}})["items"]]
    assert len(values) == 50
    key = [(v is not None, v if v is not None else 0) for v in values]
    assert key == sorted(key, reverse=direction == "DESC")


def test_sim_list_sorts_by_several_keys_in_order(api):
    items = api.ok("sim/list", {"size": 50, "sort": {"profile": "ASC", "id": "DESC"}})["items"]
    assert len(items) == 50 and {s["profile"] for s in items} == {"TC", "TD"}
    assert [(s["profile"], -s["id"]) for s in items] == sorted((s["profile"], -s["id"]) for s in items)


def test_sim_list_rejects_an_unknown_sort_field_naming_it(api):
    assert "no_such_field" in api.error("sim/list", {"sort": {"no_such_field": "ASC"}}, status=422)


@pytest.mark.parametrize("field", ["groups", "limit", "tariff"])
def test_sim_list_cannot_sort_by_a_nested_field(api, field):
    api.error("sim/list", {"sort": {field: "ASC"}}, status=422)


@pytest.mark.parametrize("direction", ["UP", "asc", 1])
def test_sim_list_rejects_an_unknown_sort_direction(api, direction):
    assert "ASC" in api.error("sim/list", {"sort": {"id": direction}}, status=422)


def test_a_sim_renders_exactly_the_documented_fields(api):
    sims = api.ok("sim/list", {"size": 50})["items"]
    assert len(sims) == 50 and any(sim["groups"] for sim in sims)
    for sim in sims:
        assert set(sim) == SIM_KEYS
        assert set(sim["limit"]) == {"type", "value", "used", "updated", "created"}
        assert set(sim["tariff"]) == {"id", "name", "change_lock", "package_auto"}
        assert all(set(g) == {"id", "name"} for g in sim["groups"])  # no `added` inside a Sim


def test_td_sims_have_zero_balance_and_no_msu_value(api):
    sims = _all(api, profile="TD")
    assert sims
    for sim in sims:
        assert sim["balance"] == 0 and sim["msu_value"] is None


def test_tc_sims_have_a_balance_and_an_msu_value(api):
    sims = _all(api, profile="TC")
    assert sims and all(isinstance(s["msu_value"], int) for s in sims) and any(s["balance"] > 0 for s in sims)


def test_tc_limits_are_off_or_month1(api):
    types = {s["limit"]["type"] for s in _all(api, profile="TC")}
    assert types and types <= {"off", "month1"}


def test_td_limits_are_packages_and_package_auto_follows_p_unlim(api):
    sims = _all(api, profile="TD")
    assert sims
    for sim in sims:
        assert sim["limit"]["type"] in ("p_lim", "p_unlim")
        assert sim["tariff"]["package_auto"] is (sim["limit"]["type"] == "p_unlim")


def test_sim_list_answers_the_user_token_the_same_fleet(api):
    items = api.ok("sim/list")["items"]
    assert len(items) == 20 and api.ok("sim/list", token=USER)["items"] == items
