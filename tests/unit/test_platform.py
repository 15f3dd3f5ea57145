"""The SIM engine's platform: a clock of its own, and a client whose retries wait on it."""
from __future__ import annotations

import time

import pytest

from pulumi_novaconnect.provider.config import ProviderSettings
from pulumi_novaconnect.sim.platform import ManualClock, Platform
from pulumi_novaconnect.testing import ADMIN_TOKEN


def test_a_manual_clock_moves_only_a_little_per_reading_and_as_far_as_each_sleep():
    clock = ManualClock(start=10.0)
    first, second = clock.monotonic(), clock.monotonic()
    assert 10.0 < first < second < 10.001  # later each time, as a write and the read after it must be
    clock.sleep(2.5)
    clock.advance(1.0)
    assert clock.monotonic() == pytest.approx(13.5, abs=0.001)
    assert clock.slept == [2.5]


def test_a_built_platforms_client_waits_out_its_retries_on_the_platforms_clock(emulator, novaconnect_control):
    clock = ManualClock()
    settings = ProviderSettings.from_lookup({"novaconnect:endpoint": emulator.url,
                                             "novaconnect:token": ADMIN_TOKEN}.get)
    platform = Platform.build(settings, clock=clock)
    novaconnect_control.fault(method="group/list", status=503, times=2)
    began = time.monotonic()
    try:
        assert platform.groups.get().items is not None
    finally:
        platform.client.close()
    assert len(clock.slept) == 2 and all(pause > 0 for pause in clock.slept)  # two backoffs, not taken
    assert time.monotonic() - began < 1
    assert novaconnect_control.count("group/list") == 3


def test_a_built_platform_finds_sims_and_groups_and_who_the_token_belongs_to(emulator, novaconnect_control):
    settings = ProviderSettings.from_lookup({"novaconnect:endpoint": emulator.url,
                                             "novaconnect:token": ADMIN_TOKEN}.get)
    platform = Platform.build(settings)
    try:
        sim = novaconnect_control.sims()[0]
        assert platform.find_sim(sim["iccid"]).id == sim["id"]
        group = novaconnect_control.state()["groups"][0]
        assert platform.group_id(group["name"]) == group["id"]
        assert platform.owner().role == "admin" and platform.owner() is platform.owner()  # one user/get
        assert novaconnect_control.count("user/get") == 1
    finally:
        platform.client.close()
