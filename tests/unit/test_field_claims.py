"""Claims on whole SIMs and on single fields, and the repackage rule of the plan."""
from __future__ import annotations

from pulumi_novaconnect.client.models import Sim
from pulumi_novaconnect.provider.registry import Claims
from pulumi_novaconnect.sim.plan import Repackage, plan
from pulumi_novaconnect.sim.spec import SimSpec

ICCID = "8997012345678901234"
LIMIT = {"type": "month1", "value_mb": 500}


def test_shared_field_claims_agree_on_equal_values_only():
    claims = Claims()
    assert claims.claim("GroupPolicy 'a'", {(ICCID, "limit"): LIMIT}, shared=True) == {}
    assert claims.claim("GroupPolicy 'b'", {(ICCID, "limit"): dict(LIMIT)}, shared=True) == {}
    assert claims.claim("GroupPolicy 'c'", {(ICCID, "limit"): {"type": "off"}}, shared=True) == {
        (ICCID, "limit"): "GroupPolicy 'a'"}


def test_an_exclusive_claim_conflicts_with_a_shared_one_on_the_same_field_only():
    claims = Claims()
    claims.claim("GroupPolicy 'a'", {(ICCID, "limit"): LIMIT}, shared=True)
    assert claims.claim("SimConfig 'x'", [ICCID, (ICCID, "name")]) == {}
    assert claims.claim("SimConfig 'x'", [ICCID, (ICCID, "limit")]) == {(ICCID, "limit"): "GroupPolicy 'a'"}


def test_a_new_claim_replaces_the_owners_earlier_one():
    claims = Claims()
    claims.claim("GroupPolicy 'a'", {(ICCID, "limit"): LIMIT}, shared=True)
    claims.claim("GroupPolicy 'a'", {}, shared=True)  # the SIM left the group
    assert claims.claim("SimConfig 'x'", [ICCID, (ICCID, "limit")]) == {}


def _sim(profile: str, block: str) -> Sim:
    return Sim.model_validate({"id": 7, "iccid": ICCID, "number": "7701", "profile": profile, "block": block,
                               "limit": {"type": "p_unlim", "value": 20}, "groups": []})


def test_blocked_p_is_a_blocker_unless_renewal_is_allowed():
    stuck = plan(_sim("TD", "p"), SimSpec(iccid=ICCID, blocked=False))
    assert stuck.actions == [] and "renew_expired_package=True" in stuck.blockers["blocked"]
    renewed = plan(_sim("TD", "p"), SimSpec(iccid=ICCID, blocked=False, renew_expired_package=True))
    assert [type(a) for a in renewed.actions] == [Repackage] and not renewed.blockers
    # sim/repackage is TD only, and no other block is lifted by a package.
    assert plan(_sim("TC", "p"), SimSpec(iccid=ICCID, blocked=False, renew_expired_package=True)).blockers
    assert plan(_sim("TD", "f"), SimSpec(iccid=ICCID, blocked=False, renew_expired_package=True)).blockers
