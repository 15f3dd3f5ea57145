"""sim/list and every sim/* method, against the emulator."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.client import errors
from pulumi_novaconnect.client.models import (
    BLOCK_MSU,
    BLOCK_NONE,
    BLOCK_PACKAGE,
    BLOCK_USER,
    LIMIT_MONTH1,
    LIMIT_OFF,
    LIMIT_PACKAGE,
    LIMIT_PACKAGE_AUTO,
    PROFILE_TC,
    PROFILE_TD,
    Page,
    QueueTicket,
    Sim,
    SimRename,
)


# -- sim/list -----------------------------------------------------------------------------

def test_sim_list_answers_a_page_of_typed_sims(admin, control):
    page = admin.sim_list(0, 10)
    assert isinstance(page, Page) and page.count == 10 == len(page.items) and page.all_count == 50
    assert all(isinstance(s, Sim) for s in page.items)
    rendered = {s["id"]: s for s in control.sims()}
    for sim in page.items:
        assert sim.iccid == rendered[sim.id]["iccid"] and sim.block == rendered[sim.id]["block"]


def test_sim_list_is_readable_with_the_read_only_token(reader):
    assert reader.sim_list(0, 5).all_count == 50


def test_sim_list_pages_do_not_overlap(admin):
    first, second = admin.sim_list(0, 20), admin.sim_list(1, 20)
    assert not {s.id for s in first.items} & {s.id for s in second.items}


def test_list_sims_walks_every_page_once(admin, control):
    control.clear_requests()
    sims = admin.list_sims(page_size=7)
    assert sorted(s.id for s in sims) == sorted(s["id"] for s in control.sims())
    assert len(control.requests("sim/list")) == 8  # ceil(50 / 7)


@pytest.mark.parametrize("profile", [PROFILE_TC, PROFILE_TD])
def test_sim_list_filters_by_profile(admin, profile):
    sims = admin.list_sims(profile=profile)
    assert sims and all(s.profile == profile for s in sims)


def test_sim_list_filters_blocked_and_unblocked(admin):
    blocked, free = admin.list_sims(blocked=True), admin.list_sims(blocked=False)
    assert blocked and all(s.block != BLOCK_NONE for s in blocked)
    assert free and all(s.block == BLOCK_NONE for s in free)
    assert len(blocked) + len(free) == 50


def test_sim_list_filters_msu_blocked(admin):
    sims = admin.list_sims(msu_block=True)
    assert sims and all(s.block == BLOCK_MSU for s in sims)


def test_sim_list_query_finds_a_sim_by_part_of_its_iccid(admin):
    target = admin.sim_list(0, 1).items[0]
    found = admin.list_sims(query=target.iccid[-8:])
    assert target.id in {s.id for s in found}


def test_sim_list_sorts_by_a_field(admin):
    ids = [s.id for s in admin.sim_list(0, 50, sort={"id": "desc"}).items]
    assert ids == sorted(ids, reverse=True)


def test_sim_list_rejects_an_unknown_sort_field(admin):
    with pytest.raises(errors.ValidationError) as err:
        admin.sim_list(sort={"no_such_field": "ASC"})
    assert err.value.http_status == 422 and "no_such_field" in err.value.message


def test_bad_sort_direction_is_refused_before_sending(admin, control):
    control.clear_requests()
    with pytest.raises(ValueError):
        admin.sim_list(sort={"id": "UP"})
    assert control.requests() == []


def test_iter_sims_crosses_the_1000_cap_without_skipping(emulator, admin, control):
    emulator.reset(sims=2500)
    control.clear_requests()
    sims = admin.list_sims(page_size=5000)
    assert len(sims) == 2500 == len({s.id for s in sims})
    sizes = [r["body"].get("size") for r in control.requests("sim/list")]
    assert sizes[0] == 5000 and all(size == 1000 for size in sizes[1:]) and len(sizes) == 3


def test_iter_sims_sees_all_with_the_default_page_size(emulator, admin, control):
    emulator.reset(sims=2500)
    control.clear_requests()
    assert len({s.id for s in admin.iter_sims()}) == 2500
    assert len(control.requests("sim/list")) == 3


# -- queued methods -----------------------------------------------------------------------

def test_sim_block_then_unblock_round_trips_the_user_block(admin, control, sim_where, sim_by_id):
    sim = sim_where(admin, lambda s: s.block == BLOCK_NONE)
    ticket = admin.sim_block([sim.id])
    assert isinstance(ticket, QueueTicket) and ticket.queue_id
    control.drain()
    assert sim_by_id(admin, sim.id).block == BLOCK_USER
    admin.sim_unblock(sim.id)
    control.drain()
    assert sim_by_id(admin, sim.id).block == BLOCK_NONE


def test_queued_change_applies_after_the_queue_delay_without_draining(admin, sim_where, sim_by_id):
    import time

    sim = sim_where(admin, lambda s: s.block == BLOCK_NONE)
    admin.sim_block([sim.id])
    deadline = time.monotonic() + 3
    while sim_by_id(admin, sim.id).block != BLOCK_USER:
        assert time.monotonic() < deadline, "sim/block never took effect"
        time.sleep(0.05)


def test_queued_methods_need_the_admin_role(reader, admin):
    sim = admin.sim_list(0, 1).items[0]
    for call in (reader.sim_block, reader.sim_unblock, reader.sim_disconnect, reader.sim_reconnect,
                 reader.sim_ping, reader.sim_repackage):
        with pytest.raises(errors.PermissionDeniedError) as err:
            call([sim.id])
        assert err.value.http_status == 403


def test_queued_method_with_an_unknown_sim_is_not_found(admin):
    with pytest.raises(errors.NotFoundError) as err:
        admin.sim_block([999_999])
    assert "999999" in err.value.message


@pytest.mark.parametrize("method", ["sim_disconnect", "sim_reconnect", "sim_ping"])
def test_network_methods_answer_a_queue_ticket(admin, control, method, sim_where):
    sim = sim_where(admin, lambda s: s.profile == PROFILE_TD and s.block == BLOCK_NONE)
    ticket = getattr(admin, method)([sim.id], callback_url="https://hooks.example.com/nc")
    assert ticket.queue_id
    sent = control.requests(method.replace("_", "/"))[-1]["body"]
    assert sent == {"items": [sim.id], "callbackUrl": "https://hooks.example.com/nc"}


def test_sim_repackage_clears_the_package_block_of_a_td_sim(admin, control, sim_where, sim_by_id):
    sim = sim_where(admin, lambda s: s.block == BLOCK_PACKAGE)
    admin.sim_repackage([sim.id])
    control.drain()
    assert sim_by_id(admin, sim.id).block == BLOCK_NONE


def test_sim_sms_goes_to_td_sims(admin, control, sim_where):
    sim = sim_where(admin, lambda s: s.profile == PROFILE_TD and s.block == BLOCK_NONE)
    assert admin.sim_sms([sim.id], "hello").queue_id
    assert control.requests("sim/sms")[-1]["body"]["params"] == {"text": "hello"}


def test_sim_sms_refuses_tc_sims(admin, sim_where):
    sim = sim_where(admin, lambda s: s.profile == PROFILE_TC)
    with pytest.raises(errors.ValidationError):
        admin.sim_sms([sim.id], "hello")


def test_sim_sms_refuses_more_than_70_characters(admin, sim_where):
    sim = sim_where(admin, lambda s: s.profile == PROFILE_TD)
    with pytest.raises(errors.ValidationError) as err:
        admin.sim_sms([sim.id], "x" * 71)
    assert "params.text" in err.value.message


def test_sim_limit_sets_a_monthly_limit_on_tc_sims(admin, control, sim_where, sim_by_id):
    sim = sim_where(admin, lambda s: s.profile == PROFILE_TC and s.block == BLOCK_NONE)
    admin.sim_limit([sim.id], value_mb=250, type=LIMIT_MONTH1)
    control.drain()
    limit = sim_by_id(admin, sim.id).limit
    assert (limit.type, limit.value) == (LIMIT_MONTH1, 250)
    admin.sim_limit([sim.id], value_mb=0, type=LIMIT_OFF)
    control.drain()
    assert sim_by_id(admin, sim.id).limit.type == LIMIT_OFF


def test_sim_limit_refuses_an_unknown_type_naming_the_field(admin, sim_where):
    sim = sim_where(admin, lambda s: s.profile == PROFILE_TC)
    with pytest.raises(errors.ValidationError) as err:
        admin.sim_limit([sim.id], value_mb=10, type="weekly")
    assert err.value.code == 422 and "params.type" in err.value.message
    assert str(err.value).startswith("sim/limit: HTTP 422, code 422: params.type")


def test_sim_limit_refuses_td_sims(admin, sim_where):
    sim = sim_where(admin, lambda s: s.profile == PROFILE_TD)
    with pytest.raises(errors.ValidationError) as err:
        admin.sim_limit([sim.id], value_mb=10, type=LIMIT_MONTH1)
    assert sim.iccid in err.value.message or str(sim.id) in err.value.message


@pytest.mark.parametrize(("auto", "limit_type"), [(True, LIMIT_PACKAGE_AUTO), (False, LIMIT_PACKAGE)])
def test_sim_tariff_sets_the_package_of_td_sims(admin, control, auto, limit_type, sim_where, sim_by_id):
    sim = sim_where(admin, lambda s: s.profile == PROFILE_TD and s.block == BLOCK_NONE
                    and not (s.tariff and s.tariff.is_change_locked()))
    admin.sim_tariff([sim.id], package_kb=20480, auto_package=auto)
    control.drain()
    after = sim_by_id(admin, sim.id)
    assert (after.limit.type, after.limit.value) == (limit_type, 20)  # decision 9: MB
    assert after.tariff.package_auto is auto


def test_sim_tariff_sends_all_world_only_when_given(admin, control, sim_where):
    sim = sim_where(admin, lambda s: s.profile == PROFILE_TD)
    admin.sim_tariff([sim.id], package_kb=15360, auto_package=True)
    admin.sim_tariff([sim.id], package_kb=15360, auto_package=True, all_world=True)
    bodies = [r["body"]["params"] for r in control.requests("sim/tariff")]
    assert bodies == [{"value": 15360, "auto_package": True},
                      {"value": 15360, "auto_package": True, "all_world": True}]


@pytest.mark.parametrize("package_kb", [10240, 15361, 107520])
def test_sim_tariff_refuses_a_package_off_the_5120_kb_grid(admin, package_kb, sim_where):
    sim = sim_where(admin, lambda s: s.profile == PROFILE_TD)
    with pytest.raises(errors.ValidationError) as err:
        admin.sim_tariff([sim.id], package_kb=package_kb, auto_package=False)
    assert "params.value" in err.value.message


def test_sim_group_replaces_the_group_set(admin, control, sim_where, sim_by_id):
    groups = admin.list_groups()
    sim = sim_where(admin, lambda s: len(s.groups) >= 1)
    other = next(g for g in groups if g.id not in sim.group_ids)
    admin.sim_group([sim.id], group_ids=[other.id], new_groups=["Fresh group"])
    control.drain()
    after = sim_by_id(admin, sim.id)
    fresh = admin.find_group("Fresh group")
    assert fresh is not None
    assert after.group_ids == {other.id, fresh.id}  # decision 4: replaced, not added


def test_sim_group_with_nothing_empties_the_group_set(admin, control, sim_where, sim_by_id):
    sim = sim_where(admin, lambda s: len(s.groups) >= 1)
    admin.sim_group([sim.id])
    assert control.requests("sim/group")[-1]["body"] == {"items": [sim.id], "group": [], "new_group": []}
    control.drain()
    assert sim_by_id(admin, sim.id).groups == []


def test_sim_group_reuses_an_existing_group_name(admin, control, sim_where, sim_by_id):
    existing = admin.list_groups()[0]
    sim = sim_where(admin, lambda s: existing.id not in s.group_ids)
    before = len(admin.list_groups())
    admin.sim_group([sim.id], new_groups=[existing.name])
    control.drain()
    assert len(admin.list_groups()) == before
    assert sim_by_id(admin, sim.id).group_ids == {existing.id}


def test_sim_group_with_an_unknown_group_is_not_found(admin):
    sim = admin.sim_list(0, 1).items[0]
    with pytest.raises(errors.NotFoundError):
        admin.sim_group([sim.id], group_ids=[987_654])


def test_callback_url_must_be_a_url(admin):
    sim = admin.sim_list(0, 1).items[0]
    with pytest.raises(errors.ValidationError) as err:
        admin.sim_block([sim.id], callback_url="not a url")
    assert "callbackUrl" in err.value.message


# -- sim/edit -----------------------------------------------------------------------------

def test_sim_edit_renames_synchronously(admin, sim_by_id):
    sim = admin.sim_list(0, 1).items[0]
    renamed = admin.sim_edit(sim.id, "pump-station-7")
    assert isinstance(renamed, SimRename) and (renamed.id, renamed.name) == (sim.id, "pump-station-7")
    assert sim_by_id(admin, sim.id).name == "pump-station-7"


def test_sim_edit_needs_the_admin_role(reader, admin):
    sim = admin.sim_list(0, 1).items[0]
    with pytest.raises(errors.PermissionDeniedError):
        reader.sim_edit(sim.id, "nope")


def test_sim_edit_of_an_unknown_sim_is_not_found(admin):
    with pytest.raises(errors.NotFoundError):
        admin.sim_edit(424242, "ghost")
