"""Inputs of the wrong type are refused at preview, in both directions, naming the field and
the expected type: a number given as text, text given as a number, a boolean as a number.
Whole numbers sent as doubles (how the engine sends every number) stay accepted."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "field, value, path, words",
    [
        ("limit", {"type": "month1", "value_mb": "500"}, "limit.value_mb", "expected a whole number, got the text '500'"),
        ("limit", {"type": "month1", "value_mb": True}, "limit.value_mb", "expected a whole number, got the boolean"),
        ("limit", {"type": "month1", "value_mb": 500.5}, "limit.value_mb", "expected a whole number, got the number 500.5"),
        ("name", 42, "name", "expected text, got a number"),
        ("groups", ["Meters", 7], "groups.1", "expected text, got a number"),
        ("blocked", "yes", "blocked", "valid boolean"),
    ],
)
def test_a_tc_sim_config_input_of_the_wrong_type_fails_check_naming_field_and_type(deploy, platform, field, value,
                                                                                    path, words):
    sim = platform.pick("TC")
    result = deploy.resource("SimConfig", "typed").check({"iccid": sim["iccid"], field: value, "on_delete": "retain"})
    assert [prop for prop, _ in result.failures] == [field]
    assert result.failures[0][1].startswith(f"{path}: ") and words in result.failures[0][1], result.failures
    assert platform.sim(sim["iccid"]) == sim  # nothing applied


def test_a_package_size_given_as_text_fails_check(deploy, platform):
    sim = platform.pick("TD")
    result = deploy.resource("SimConfig", "typed").check(
        {"iccid": sim["iccid"], "tariff": {"package_mb": "20", "auto_package": True}, "on_delete": "retain"})
    assert result.failures == [("tariff", "tariff.package_mb: expected a whole number, got the text '20': "
                                          "write it without quotes")]


def test_an_iccid_given_as_a_number_fails_check(deploy):
    result = deploy.resource("SimConfig", "typed").check({"iccid": 8997103118000000001, "on_delete": "retain"})
    assert [prop for prop, _ in result.failures] == ["iccid"]
    assert "expected text, got a number" in result.failures[0][1]


def test_whole_numbers_arriving_as_doubles_are_applied(deploy, platform):
    sim = platform.pick("TC")
    res = deploy.resource("SimConfig", "doubles")
    res.create({"iccid": sim["iccid"], "limit": {"type": "month1", "value_mb": 300.0}, "on_delete": "retain"})
    assert platform.sim(sim["iccid"])["limit"]["value"] == 300


def test_a_fleet_entry_with_a_quoted_number_fails_check_naming_the_sim(deploy, platform):
    good, bad = platform.pick_many("TC", 2)
    result = deploy.resource("SimFleet", "typed").check({
        "sims": {good["iccid"]: {"limit": {"type": "month1", "value_mb": 100}},
                 bad["iccid"]: {"limit": {"type": "month1", "value_mb": "500"}}},
        "on_delete": "retain",
    })
    assert [prop for prop, _ in result.failures] == ["sims"]
    reason = result.failures[0][1]
    assert bad["iccid"] in reason and "limit.value_mb" in reason and "expected a whole number" in reason
    assert good["iccid"] not in reason


def test_fleet_defaults_with_a_name_as_a_number_fail_check(deploy, platform):
    sim = platform.pick("TC")
    result = deploy.resource("SimFleet", "typed").check(
        {"sims": {sim["iccid"]: {}}, "defaults": {"name": 12}, "on_delete": "retain"})
    # Once, on the defaults themselves, however many SIMs they are merged into.
    assert result.failures == [("defaults", "defaults.name: expected text, got a number: put it in quotes")]


def test_a_group_name_given_as_a_number_fails_check(deploy, platform):
    result = deploy.resource("Group", "typed").check({"name": 2026})
    assert result.failures == [("name", "name: expected text, got a number: put it in quotes")]
    assert platform.group("2026") is None


@pytest.mark.parametrize("field, value, words", [
    ("phone", 77010000000, "phone: expected text, got a number"),
    ("active", "true", "active: Input should be a valid boolean"),
    ("password", 123456, "password: expected text, got a number"),
])
def test_a_user_input_of_the_wrong_type_fails_check(deploy, field, value, words):
    inputs = {"first_name": "Typed", "last_name": "Input", "email": "typed@example.kz", "phone": "+77010000001",
              field: value}
    result = deploy.resource("User", "typed").check(inputs)
    assert [prop for prop, _ in result.failures] == [field]
    assert words in result.failures[0][1]
    assert str(value) not in result.failures[0][1]  # a password is never repeated in a message


def test_a_group_policy_limit_given_as_text_fails_check(deploy, platform):
    sim = platform.pick("TC")
    platform.change_sim(sim["iccid"], groups=["Strict"])
    result = deploy.resource("GroupPolicy", "typed").check(
        {"group": "Strict", "on_delete": "retain", "__name": "GroupPolicy 'typed'", "deviations": {},
         "limit": {"type": "month1", "value_mb": "500"}})
    assert [prop for prop, _ in result.failures] == ["limit"], result.failures
    assert "value_mb: expected a whole number, got the text '500'" in result.failures[0][1]


def test_a_yaml_inventory_with_a_quoted_number_is_refused_at_check(deploy, platform, tmp_path):
    from pulumi_novaconnect import read_inventory

    sim = platform.pick("TC")
    path = tmp_path / "inventory.yaml"
    path.write_text(f'"{sim["iccid"]}":\n  limit: {{type: month1, value_mb: "500"}}\n', encoding="utf-8")
    sims = read_inventory(path)  # YAML keeps the quotes' meaning: text
    result = deploy.resource("SimFleet", "typed").check({"sims": sims, "on_delete": "retain"})
    assert [prop for prop, _ in result.failures] == ["sims"]
    assert sim["iccid"] in result.failures[0][1] and "expected a whole number, got the text '500'" in result.failures[0][1]
