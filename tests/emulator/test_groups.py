"""group/list, group/create, group/edit, group/remove."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("body,field", [({"size": 10}, "page"), ({"page": 0}, "size")])
def test_group_list_requires_page_and_size(api, body, field):
    assert api.error("group/list", body, status=422, lang="en") == f"{field}: is required"


def test_group_list_answers_groups_with_their_creation_date(api):
    payload = api.ok("group/list", {"page": 0, "size": 100})
    assert payload["count"] == payload["all_count"] == len(payload["items"]) >= 3
    assert all(set(g) == {"id", "name", "added"} for g in payload["items"])


def test_group_list_pages(api):
    payload = api.ok("group/list", {"page": 1, "size": 2})
    assert payload["items"] == api.state()["groups"][2:4]


def test_group_list_filters_by_part_of_the_name_case_insensitively(api):
    items = api.ok("group/list", {"page": 0, "size": 10, "filter": {"name": "TER"}})["items"]
    assert [g["name"] for g in items] == ["Meters"]


def test_group_create_answers_the_new_group(api):
    group = api.ok("group/create", {"name": "Pumps"})["result"]["item"]
    assert group["name"] == "Pumps" and isinstance(group["id"], int) and isinstance(group["added"], int)
    assert group in api.state()["groups"]


def test_group_create_refuses_a_duplicate_name(api):
    assert "Meters" in api.error("group/create", {"name": "Meters"}, status=422)


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": 5}])
def test_group_create_needs_a_name(api, body):
    assert api.error("group/create", body, status=422).startswith("name")


def test_group_edit_renames_and_sims_show_the_new_name(api):
    sim = api.sim_where(lambda s: any(g["id"] == 201 for g in s["groups"]))
    assert api.ok("group/edit", {"id": 201, "name": "Water meters"})["result"]["item"]["name"] == "Water meters"
    assert {"id": 201, "name": "Water meters"} in api.sim(sim["id"])["groups"]


def test_group_edit_refuses_another_groups_name_but_allows_its_own(api):
    api.error("group/edit", {"id": 201, "name": "Trackers"}, status=422)
    api.ok("group/edit", {"id": 201, "name": "Meters"})


def test_group_edit_of_an_unknown_group_is_404(api):
    api.error("group/edit", {"id": 999, "name": "x"}, status=404)


def test_group_remove_removes_the_group_from_every_sim(api):
    assert any(any(g["id"] == 201 for g in s["groups"]) for s in api.sims())
    assert api.ok("group/remove", {"id": 201})["result"]["item"]["id"] == 201
    assert not any(any(g["id"] == 201 for g in s["groups"]) for s in api.sims())
    assert 201 not in {g["id"] for g in api.state()["groups"]}


def test_group_remove_of_an_unknown_group_is_404(api):
    api.error("group/remove", {"id": 999}, status=404)
