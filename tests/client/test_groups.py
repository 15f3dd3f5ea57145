"""group/* methods, and group/create's refusal to be blindly retried."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.client import RetryPolicy, errors
from pulumi_novaconnect.client.models import Group, Page


def test_group_list_answers_a_page_of_groups(admin, control):
    page = admin.group_list()
    assert isinstance(page, Page) and page.all_count == len(control.groups()) == len(page.items)
    assert all(isinstance(g, Group) and g.added for g in page.items)
    sent = control.requests("group/list")[-1]["body"]
    assert sent == {"page": 0, "size": 100}  # both required by the vendor


def test_group_list_filters_by_name_substring(admin):
    name = admin.list_groups()[0].name
    found = admin.group_list(name=name[1:4].lower())
    assert name in {g.name for g in found.items}


def test_iter_groups_walks_small_pages(admin, control):
    for n in range(7):
        admin.group_create(f"bulk-{n}")
    total = len(control.groups())
    assert len({g.id for g in admin.iter_groups(page_size=2)}) == total


def test_group_create_edit_remove_round_trip(admin, control):
    created = admin.group_create("Water meters")
    assert isinstance(created, Group) and created.name == "Water meters"
    edited = admin.group_edit(created.id, "Heat meters")
    assert (edited.id, edited.name) == (created.id, "Heat meters")
    assert admin.find_group("Heat meters").id == created.id
    removed = admin.group_remove(created.id)
    assert removed.id == created.id
    assert created.id not in {g["id"] for g in control.groups()}
    assert admin.find_group("Heat meters") is None


def test_find_group_matches_the_exact_name_only(admin):
    admin.group_create("Pumps")
    admin.group_create("Pumps North")
    assert admin.find_group("Pumps").name == "Pumps"
    assert admin.find_group("Pump") is None


def test_group_writes_need_the_admin_role(reader, admin):
    group = admin.list_groups()[0]
    with pytest.raises(errors.PermissionDeniedError):
        reader.group_create("nope")
    with pytest.raises(errors.PermissionDeniedError):
        reader.group_edit(group.id, "nope")
    with pytest.raises(errors.PermissionDeniedError):
        reader.group_remove(group.id)
    assert reader.list_groups()  # reading is fine


def test_group_edit_of_an_unknown_group_is_not_found(admin):
    with pytest.raises(errors.NotFoundError):
        admin.group_edit(99_999, "ghost")


def test_group_create_with_an_empty_name_is_invalid(admin):
    with pytest.raises(errors.ValidationError) as err:
        admin.group_create("")
    assert "name" in err.value.message


# -- creates are never blindly retried ----------------------------------------------------

def _named(control, name):
    return [g for g in control.groups() if g["name"] == name]


@pytest.mark.parametrize("fault", [{"status": 503}, {"drop": True}])
def test_group_create_after_a_failed_answer_looks_up_before_sending_again(admin, control, fault):
    control.clear_requests()
    control.fault("group/create", times=1, **fault)
    group = admin.group_create("Boilers")
    assert len(_named(control, "Boilers")) == 1 and group.name == "Boilers"
    methods = [m for m in control.methods() if m.startswith("group/")]
    assert methods == ["group/create", "group/list", "group/create"]


def test_group_create_that_succeeded_unseen_is_found_not_repeated(make_client, control):
    # The emulator sleeps, then creates; the client has long given up on that answer and,
    # after its backoff, finds the group instead of creating a second one.
    client = make_client(timeout=0.3, retry=RetryPolicy(max_attempts=3, max_elapsed=10, backoff_base=1.0,
                                                        backoff_max=1.0, jitter=False))
    control.clear_requests()
    control.fault("group/create", times=1, delay=0.6)
    group = client.group_create("Chillers")
    assert [g["id"] for g in _named(control, "Chillers")] == [group.id]
    assert [m for m in control.methods() if m.startswith("group/")] == ["group/create", "group/list"]


def test_group_create_after_a_rate_limit_is_resent_without_lookup(admin, control):
    control.clear_requests()
    control.fault("group/create", times=1, status=429, retry_after=0)
    admin.group_create("Valves")
    assert len(_named(control, "Valves")) == 1
    assert [m for m in control.methods() if m.startswith("group/")] == ["group/create", "group/create"]


def test_group_create_gives_up_after_the_attempt_budget(admin, control):
    control.clear_requests()
    control.fault("group/create", times=10, status=500)
    with pytest.raises(errors.ServerError) as err:
        admin.group_create("Never")
    assert err.value.attempts == 4
    assert _named(control, "Never") == []
    assert control.methods().count("group/create") == 4


def test_group_create_with_a_taken_name_is_invalid(admin):
    taken = admin.list_groups()[0].name
    with pytest.raises(errors.ValidationError) as err:
        admin.group_create(taken)
    assert taken in err.value.message
