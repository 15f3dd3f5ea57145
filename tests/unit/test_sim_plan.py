"""Which calls a live SIM and a declared state need: the planning rules on their own."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.client.models import Sim
from pulumi_novaconnect.sim.plan import Rename, SetGroups, SetLimit, SetTariff, live_values, plan, restore_spec
from pulumi_novaconnect.sim.spec import SimSpec

ICCID = "8997012345678901234"


def sim(**overrides) -> Sim:
    data = {
        "id": 7,
        "iccid": ICCID,
        "number": "77010000007",
        "external_number": "77010000107",
        "name": "pump-7",
        "balance": 1.5,
        "currency": "EUR",
        "msu_value": 0,
        "profile": "TC",
        "block": "n",
        "comment": None,
        "groups": [{"id": 1, "name": "Meters"}],
        "limit": {"type": "month1", "value": 500, "used": 12.5, "updated": 1, "created": 1},
        "tariff": {"id": 3, "name": "TC_Basic", "change_lock": None, "package_auto": False},
    }
    data.update(overrides)
    return Sim.model_validate(data)


def td_sim(**overrides) -> Sim:
    base = {
        "profile": "TD",
        "balance": 0,
        "msu_value": None,
        "limit": {"type": "p_unlim", "value": 20, "used": 3.0, "updated": 1, "created": 1},
        "tariff": {"id": 9, "name": "TD_Standard", "change_lock": None, "package_auto": True},
    }
    base.update(overrides)
    return sim(**base)


def spec(**fields) -> SimSpec:
    return SimSpec.model_validate({"iccid": ICCID, **fields})


def methods(p) -> list[str]:
    return [a.method for a in p.actions]


def test_matching_sim_needs_no_call():
    p = plan(sim(), spec(name="pump-7", groups=["Meters"], blocked=False, limit={"type": "month1", "value_mb": 500}))
    assert p.converged and p.actions == [] and p.blockers == {}


def test_unmanaged_fields_are_left_alone():
    p = plan(sim(name="other", groups=[], block="u"), spec())
    assert p.converged


def test_rename_is_one_edit_call():
    p = plan(sim(), spec(name="pump-8"))
    assert methods(p) == ["sim/edit"]
    assert p.actions == [Rename("pump-7", "pump-8", name="pump-8")]


def test_group_set_is_compared_as_a_set():
    assert plan(sim(groups=[{"id": 1, "name": "A"}, {"id": 2, "name": "B"}]), spec(groups=["B", "A"])).converged
    p = plan(sim(), spec(groups=[]))
    assert p.actions == [SetGroups(["Meters"], [], group_ids=(), new_names=())]


def test_group_names_are_resolved_to_ids_and_unknown_ones_sent_by_name():
    known = {"Meters": 1, "Pumps": 4}
    p = plan(sim(groups=[]), spec(groups=["Pumps", "Almaty", "Meters"]), group_id=known.get)
    assert p.actions == [SetGroups([], ["Almaty", "Meters", "Pumps"], group_ids=(1, 4), new_names=("Almaty",))]


def test_the_same_change_on_two_sims_is_one_action_key():
    first = plan(sim(), spec(limit={"type": "month1", "value_mb": 750})).actions[0]
    other = plan(sim(id=8, iccid="8997012345678901235", limit={"type": "off", "value": 0}),
                 spec(iccid="8997012345678901235", limit={"type": "month1", "value_mb": 750})).actions[0]
    assert first == other and hash(first) == hash(other) and first.live != other.live


def test_block_is_queued_when_sim_is_active():
    assert methods(plan(sim(), spec(blocked=True))) == ["sim/block"]


@pytest.mark.parametrize("code", ["u", "m", "p", "f", "g"])
def test_any_block_satisfies_blocked_true(code):
    assert plan(sim(block=code), spec(blocked=True)).converged


def test_user_block_is_lifted_with_unblock():
    assert methods(plan(sim(block="u"), spec(blocked=False))) == ["sim/unblock"]


@pytest.mark.parametrize(
    "code, words", [("m", "irreversible"), ("f", "financial"), ("g", "operator"), ("p", "package")]
)
def test_platform_blocks_make_unblocked_unreachable(code, words):
    p = plan(sim(block=code), spec(blocked=False, name="renamed"))
    assert "blocked" in p.blockers
    assert ICCID in p.blockers["blocked"] and words in p.blockers["blocked"]


def test_month1_limit_change_calls_sim_limit_in_mb():
    p = plan(sim(), spec(limit={"type": "month1", "value_mb": 750}))
    assert methods(p) == ["sim/limit"]
    assert p.actions == [SetLimit(p.actions[0].live, p.actions[0].desired, type="month1", value_mb=750)]


def test_off_limit_ignores_the_stale_value():
    assert plan(sim(limit={"type": "off", "value": 500}), spec(limit={"type": "off"})).converged
    p = plan(sim(), spec(limit={"type": "off"}))
    assert (p.actions[0].type, p.actions[0].value_mb) == ("off", 0)


def test_limit_on_td_sim_is_a_profile_conflict():
    p = plan(td_sim(), spec(limit={"type": "month1", "value_mb": 100}))
    assert "limit" in p.blockers and "TC SIMs only" in p.blockers["limit"]
    assert p.actions == []


def test_tariff_on_tc_sim_is_a_profile_conflict():
    p = plan(sim(), spec(tariff={"package_mb": 20, "auto_package": True}))
    assert "tariff" in p.blockers and "TD SIMs only" in p.blockers["tariff"]


def test_tariff_is_read_back_from_limit_and_package_auto():
    assert plan(td_sim(), spec(tariff={"package_mb": 20, "auto_package": True})).converged
    p = plan(td_sim(), spec(tariff={"package_mb": 25, "auto_package": False}))
    assert methods(p) == ["sim/tariff"]
    action = p.actions[0]
    assert isinstance(action, SetTariff)
    assert (action.package_kb, action.auto_package, action.all_world) == (25600, False, None)


def test_all_world_is_the_td_mega_tariff():
    assert not plan(td_sim(), spec(tariff={"package_mb": 20, "auto_package": True, "all_world": True})).converged
    mega = td_sim(tariff={"id": 10, "name": "TD_Mega", "change_lock": None, "package_auto": True})
    assert plan(mega, spec(tariff={"package_mb": 20, "auto_package": True, "all_world": True})).converged


def test_locked_tariff_is_a_blocker_only_when_a_change_is_needed():
    locked = td_sim(tariff={"id": 9, "name": "TD_Standard", "change_lock": 4102444800, "package_auto": True})
    assert plan(locked, spec(tariff={"package_mb": 20, "auto_package": True})).converged
    p = plan(locked, spec(tariff={"package_mb": 30, "auto_package": True}))
    assert "tariff" in p.blockers and "locked" in p.blockers["tariff"]
    assert plan(
        td_sim(tariff={"id": 9, "name": "TD_Standard", "change_lock": 1000, "package_auto": True}),
        spec(tariff={"package_mb": 30, "auto_package": True}),
    ).actions


def test_block_runs_first_and_unblock_runs_last():
    p = plan(sim(block="u", name="x"), spec(blocked=False, name="y", limit={"type": "month1", "value_mb": 1}, groups=[]))
    assert methods(p) == ["sim/edit", "sim/group", "sim/limit", "sim/unblock"]
    p = plan(sim(name="x"), spec(blocked=True, name="y"))
    assert methods(p) == ["sim/block", "sim/edit"]


def test_live_values_use_the_input_shapes():
    assert live_values(sim()) == {
        "name": "pump-7",
        "groups": ["Meters"],
        "blocked": False,
        "limit": {"type": "month1", "value_mb": 500},
    }
    assert live_values(td_sim())["tariff"] == {"package_mb": 20, "auto_package": True, "all_world": False}


def test_restore_puts_back_only_managed_fields_and_never_a_null_name():
    prior = {**live_values(sim(name=None, groups=[])), "block": "n"}
    restored = restore_spec(ICCID, prior, ["name", "groups", "limit"])
    assert restored.name is None
    assert restored.groups == ()
    assert restored.limit.type == "month1" and restored.limit.value_mb == 500
    assert restored.blocked is None


def test_restore_does_not_claim_a_platform_block_as_the_users():
    prior = {**live_values(sim(block="m")), "block": "m"}
    assert restore_spec(ICCID, prior, ["blocked"]).blocked is None
