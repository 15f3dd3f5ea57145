"""What stops a SIM is a value made where the planner finds it: its code tells a hold from a
refusal, and its wording, with the SIM named or left out, is the one users have always read."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.client.models import BlockCode
from pulumi_novaconnect.sim.blockers import Blocker, BlockerCode
from pulumi_novaconnect.sim.outcome import held_reason
from pulumi_novaconnect.sim.plan import plan
from tests.unit.test_sim_plan import ICCID, sim, spec, td_sim

_BLOCKS = [
    (BlockCode.PACKAGE, BlockerCode.PACKAGE_RAN_OUT, True),
    (BlockCode.FINANCIAL, BlockerCode.UNPAID_BILL, True),
    (BlockCode.OPERATOR, BlockerCode.OPERATOR_BLOCK, True),
    (BlockCode.MSU, BlockerCode.MSU_BLOCK, False),
]


@pytest.mark.parametrize(("block", "code", "held"), _BLOCKS)
def test_a_platform_block_is_a_blocker_of_its_own_code(block, code, held):
    found = plan(sim(block=block.value), spec(blocked=False)).found["blocked"]
    assert (found.code, found.iccid, found.field, found.held) == (code, ICCID, "blocked", held)
    assert found.what_to_do == "it cannot be unblocked through the API"


def test_a_block_is_worded_with_its_sim_named_or_for_a_list_that_names_it():
    found = plan(sim(block="f"), spec(blocked=False)).found["blocked"]
    assert found.text() == (f"SIM {ICCID} is blocked 'f' (financial): only paying the bill lifts it; "
                            "it cannot be unblocked through the API")
    assert found.text(named=False) == ("the SIM is blocked 'f' (financial): only paying the bill lifts it; "
                                       "it cannot be unblocked through the API")


def test_an_unknown_block_code_is_a_refusal_that_names_the_code():
    found = plan(sim(block="z"), spec(blocked=False)).found["blocked"]
    assert found.code is BlockerCode.OTHER_BLOCK and not found.held
    assert found.text().startswith(f"SIM {ICCID} is blocked 'z' by the platform;")


def test_a_tariff_lock_is_held_and_worded_without_a_subject_in_a_list():
    locked = td_sim(tariff={"id": 9, "name": "TD_Standard", "change_lock": True, "package_auto": True})
    current = plan(locked, spec(tariff={"package_mb": 30, "auto_package": True}))
    found = current.found["tariff"]
    assert found.code is BlockerCode.TARIFF_LOCKED and found.held
    assert current.holds == {"tariff": f"SIM {ICCID}: tariff changes are locked by the platform"}
    assert held_reason(current) == "tariff: tariff changes are locked by the platform"


def test_a_field_the_profile_lacks_says_which_field_to_set_instead():
    current = plan(td_sim(), spec(limit={"type": "month1", "value_mb": 500}))
    found = current.found["limit"]
    assert found.code is BlockerCode.PROFILE_LACKS_FIELD and not found.held
    assert found.what_to_do == "set `tariff` for a TD SIM"
    assert current.refused == {"limit": f"SIM {ICCID} has profile TD: limits (sim/limit) apply to TC SIMs only; "
                                         "set `tariff` for a TD SIM"}


def test_the_worded_views_of_a_plan_follow_its_blockers():
    current = plan(sim(block="m"), spec(blocked=False))
    assert current.blockers == {"blocked": current.found["blocked"].text()}
    assert current.held == set() and current.holds == {} and not current.converged
    assert current.unreachable() == f"blocked: {current.found['blocked'].text()}"


def test_a_blocker_is_a_frozen_value():
    one = Blocker(BlockerCode.MSU_BLOCK, ICCID, "blocked", "is blocked 'm'")
    assert one == Blocker(BlockerCode.MSU_BLOCK, ICCID, "blocked", "is blocked 'm'")
    with pytest.raises(AttributeError):
        one.detail = "other"  # type: ignore[misc]
