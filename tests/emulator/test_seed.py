"""The seeded fleet: deterministic, and varied enough to exercise every rule."""
from __future__ import annotations

from collections import Counter

from pulumi_novaconnect.emulator.backend import Backend
from pulumi_novaconnect.emulator.seed import luhn_digit


def _snapshot(**kw):
    snap = Backend(**kw).snapshot()
    return {k: v for k, v in snap.items() if k not in ("now", "requests")}


def test_the_same_seed_and_size_give_the_same_fleet():
    assert _snapshot(sims=30, seed=9) == _snapshot(sims=30, seed=9)


def test_another_seed_gives_another_fleet():
    assert _snapshot(sims=30, seed=9)["sims"] != _snapshot(sims=30, seed=10)["sims"]


def test_iccids_are_19_or_20_digit_luhn_checked_and_unique(api):
    sims = api.sims()
    assert all(s["iccid"].isdigit() and 19 <= len(s["iccid"]) <= 20 and s["iccid"].startswith("8997")
               for s in sims)
    assert all(luhn_digit(s["iccid"][:-1]) == s["iccid"][-1] for s in sims)
    numbers = [v for s in sims for v in (s["iccid"], s["number"], s["external_number"])]
    assert len(numbers) == len(set(numbers))


def test_the_fleet_mixes_profiles_names_and_groups(api):
    sims = api.sims()
    assert Counter(s["profile"] for s in sims) == {"TC": 25, "TD": 25}
    named = sum(1 for s in sims if s["name"])
    assert 30 <= named < 50
    assert all(len(s["groups"]) <= 2 for s in sims) and any(len(s["groups"]) == 2 for s in sims)
    assert 3 <= len(api.state()["groups"]) <= 5


def test_the_fleet_has_every_kind_of_block_where_the_profile_allows_it(api):
    sims = api.sims()
    assert {s["block"] for s in sims} == {"n", "u", "m", "p", "f", "g"}
    assert all(s["profile"] == "TC" for s in sims if s["block"] == "m")
    assert all(s["profile"] == "TD" for s in sims if s["block"] == "p")


def test_the_seeded_users_are_the_token_owners_and_one_or_two_more(api):
    users = api.state()["users"]
    assert [(u["id"], u["role"]) for u in users[:2]] == [(11, "admin"), (12, "user")]
    assert 3 <= len(users) <= 4


def test_small_and_empty_fleets_seed(api, emulator):
    for count in (0, 1, 3):
        emulator.reset(sims=count)
        assert api.ok("sim/list")["all_count"] == count
