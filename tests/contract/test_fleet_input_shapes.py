"""Every shape of SimFleet input a program can get wrong stops at preview as a CheckFailure.

Each one names the SIM (or `defaults`), the field, the rule and the value given, comes back
from Check through the real provider host (never an exception from deep inside), and leaves
the platform untouched.
"""
from __future__ import annotations

import pytest


def fleet(sims, **extra) -> dict:
    return {"sims": sims, "on_delete": "retain", "__name": "SimFleet 'meters'", **extra}


@pytest.fixture()
def checked(deploy, platform):
    """Check a fleet's inputs; assert nothing was written on the way."""
    platform.clear_requests()

    def check(inputs: dict) -> list[tuple[str, str]]:
        failures = deploy.resource("SimFleet", "meters").check(inputs).failures
        assert platform.sim_writes() == {}
        return failures

    return check


def test_an_entry_whose_iccid_names_another_sim_fails_naming_both(checked, platform):
    a, b = platform.pick_many("TC", 2)
    [(prop, reason)] = checked(fleet({a["iccid"]: {"iccid": b["iccid"], "name": "pump-1"}}))
    assert prop == "sims"
    assert reason.startswith(f'sims["{a["iccid"]}"].iccid: names SIM \'{b["iccid"]}\', not the SIM of its key')
    # The same ICCID as the key is harmless, spaces and all.
    assert checked(fleet({a["iccid"]: {"iccid": f" {a['iccid']} ", "name": "pump-1"}})) == []


def test_one_iccid_twice_once_spaces_are_stripped_fails_naming_both_keys(checked, platform):
    a = platform.pick("TC")
    [(prop, reason)] = checked(fleet({a["iccid"]: {"name": "one"}, f"{a['iccid']} ": {"name": "two"}}))
    assert prop == "sims"
    assert f'sims["{a["iccid"]}"]: this ICCID is declared 2 times once spaces are stripped' in reason
    assert f"'{a['iccid']} '" in reason and f"'{a['iccid']}'," in reason.replace("')", "',")
    assert reason.endswith("declare each SIM once")


def test_an_entry_that_is_text_fails_naming_the_sim_and_the_value(checked, platform):
    a, b = platform.pick_many("TC", 2)
    [(prop, reason)] = checked(fleet({a["iccid"]: "pump-1", b["iccid"]: {"name": "pump-2"}}))
    assert prop == "sims"
    assert reason == (f'sims["{a["iccid"]}"]: a SIM\'s settings must be an object of name, groups, blocked, '
                      "limit, tariff, got the text 'pump-1'")


def test_sims_given_as_a_list_fails_and_says_how_to_make_the_map(checked, platform):
    a = platform.pick("TC")
    [(prop, reason)] = checked(fleet([{"iccid": a["iccid"], "name": "pump-1"}]))
    assert prop == "sims"
    assert reason.startswith("sims must be a map of ICCID to that SIM's settings")
    assert "got a list of 1 item" in reason and 'sims={entry["iccid"]: entry for entry in entries}' in reason


def test_an_unknown_key_in_defaults_fails_once_on_defaults(checked, platform):
    sims = {s["iccid"]: {} for s in platform.pick_many("TC", 3)}
    failures = checked(fleet(sims, defaults={"nmae": "pump", "limit": {"type": "off"}}))
    assert failures == [("defaults", "defaults.nmae: not a setting a fleet's defaults take "
                                     "(name, groups, blocked, limit, tariff); remove it or correct its name")]


def test_an_unknown_key_or_a_resource_setting_in_an_entry_fails_naming_the_key(checked, platform):
    a, b = platform.pick_many("TC", 2)
    failures = checked(fleet({a["iccid"]: {"nmae": "pump-1"}, b["iccid"]: {"on_delete": "block"}}))
    reasons = sorted(reason for _, reason in failures)
    assert reasons == sorted([
        f'sims["{a["iccid"]}"].nmae: not a setting of a SIM (name, groups, blocked, limit, tariff); '
        "remove it or correct its name",
        f'sims["{b["iccid"]}"].on_delete: not a setting of a SIM (name, groups, blocked, limit, tariff); '
        "remove it or correct its name",
    ])


def test_defaults_that_are_not_an_object_fail_naming_what_was_given(checked, platform):
    a = platform.pick("TC")
    assert checked(fleet({a["iccid"]: {}}, defaults=["Meters"])) == [
        ("defaults", "defaults must be an object of name, groups, blocked, limit, tariff, got a list of 1 item")]


def test_a_well_formed_fleet_still_passes(checked, platform):
    a, b = platform.pick_many("TC", 2)
    assert checked(fleet({a["iccid"]: {"name": "pump-1"}, b["iccid"]: None}, defaults={"groups": ["Meters"]})) == []
