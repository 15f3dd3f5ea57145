"""The rules a SimConfig's inputs are checked against before anything is called."""
from __future__ import annotations

import pytest
from pulumi.output import Unknown

from pulumi_novaconnect.sim.spec import SimSpec
from pulumi_novaconnect.provider.checks import validate

FIELDS = ("iccid", "name", "groups", "blocked", "limit", "tariff", "on_delete")
ICCID = "8997012345678901234"


def failures(**news):
    checked = validate(SimSpec, {"iccid": ICCID, **news}, FIELDS)
    return {(f.property, f.reason) for f in checked.failures}


def reasons(**news) -> str:
    return " | ".join(reason for _, reason in failures(**news))


def test_valid_inputs_have_no_failures_and_are_normalised():
    checked = validate(
        SimSpec,
        {"iccid": ICCID, "groups": ["b", "a", "a"], "limit": {"type": "month1", "value_mb": 500.0}},
        FIELDS,
    )
    assert checked.failures == []
    assert checked.inputs["groups"] == ["a", "b"]
    assert checked.inputs["limit"] == {"type": "month1", "value_mb": 500}
    assert isinstance(checked.inputs["limit"]["value_mb"], int)


@pytest.mark.parametrize("iccid", ["123", "8997x12345678901234", "899701234567890123456"])
def test_iccid_must_be_19_or_20_digits(iccid):
    checked = validate(SimSpec, {"iccid": iccid}, FIELDS)
    assert [f.property for f in checked.failures] == ["iccid"]
    assert "19 or 20 digits" in checked.failures[0].reason


@pytest.mark.parametrize("size", [10, 17, 105, 0])
def test_package_must_be_15_to_100_mb_in_steps_of_5(size):
    assert "steps of 5" in reasons(tariff={"package_mb": size, "auto_package": True})


def test_fractional_megabytes_are_rejected():
    assert "tariff.package_mb" in reasons(tariff={"package_mb": 20.5, "auto_package": True})


def test_limit_type_must_be_off_or_month1():
    assert "limit.type" in reasons(limit={"type": "weekly", "value_mb": 5})


def test_month1_needs_a_value():
    assert "needs value_mb" in reasons(limit={"type": "month1"})


def test_limit_and_tariff_together_contradict():
    assert "contradict" in reasons(limit={"type": "off"}, tariff={"package_mb": 20, "auto_package": True})


def test_blocked_must_be_a_real_boolean():
    assert ("blocked", "blocked: Input should be a valid boolean") in failures(blocked="no")


def test_on_delete_is_one_of_three():
    assert "on_delete" in reasons(on_delete="destroy")


def test_unknown_values_are_tolerated_and_kept():
    unknown = Unknown()
    checked = validate(SimSpec, {"iccid": unknown, "limit": {"type": "month1", "value_mb": unknown}}, FIELDS)
    assert checked.failures == []
    assert checked.spec is None
    assert checked.unknown == {"iccid", "limit"}
    assert checked.inputs["iccid"] is unknown


def test_known_fields_are_still_checked_beside_unknown_ones():
    checked = validate(SimSpec, {"iccid": Unknown(), "tariff": {"package_mb": 12, "auto_package": True}}, FIELDS)
    assert [f.property for f in checked.failures] == ["tariff"]
