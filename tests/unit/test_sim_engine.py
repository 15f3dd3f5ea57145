"""The SIM engine parses each SIM's declaration once per engine call and plans each SIM once,
however many steps (refusals, drift, holds, the bulk run) then look at it."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.provider import registry
from pulumi_novaconnect.provider.config import ProviderSettings
from pulumi_novaconnect.resources.sim_fleet import SimFleetProvider
from pulumi_novaconnect.sim import platform as platform_module
from pulumi_novaconnect.sim.spec import SimSpec
from pulumi_novaconnect.testing import ADMIN_TOKEN

COUNT = 6


@pytest.fixture()
def configured(emulator):
    registry.configure(ProviderSettings.from_lookup({"novaconnect:endpoint": emulator.url,
                                                     "novaconnect:token": ADMIN_TOKEN,
                                                     "novaconnect:convergeTimeout": "5",
                                                     "novaconnect:pollInterval": "0.05"}.get))
    yield
    registry.configure(ProviderSettings.from_lookup({"novaconnect:token": "unused"}.get))


@pytest.fixture()
def counted(monkeypatch):
    """How many declarations were parsed and how many plans were made."""
    counts = {"parsed": 0, "planned": 0}
    parse, plan = SimSpec.model_validate, platform_module.plan

    def parsing(*args, **kwargs):
        counts["parsed"] += 1
        return parse(*args, **kwargs)

    def planning(*args, **kwargs):
        counts["planned"] += 1
        return plan(*args, **kwargs)

    monkeypatch.setattr(SimSpec, "model_validate", parsing)
    monkeypatch.setattr(platform_module, "plan", planning)
    return counts


def test_a_fleet_diff_parses_and_plans_each_sim_once(configured, novaconnect_control, counted):
    iccids = [sim["iccid"] for sim in novaconnect_control.pick_many("TC", COUNT)]
    props = {"sims": {iccid: {"blocked": False} for iccid in iccids}, "on_delete": "retain",
             "renew_expired_package": False, "held": {}}
    result = SimFleetProvider().diff("fleet-1", props, props)
    assert result.changes is False
    # Once for the recorded declaration, once for the program's; one plan per SIM against the live one.
    assert counted == {"parsed": 2 * COUNT, "planned": COUNT}


def test_a_fleet_update_parses_each_sim_once_per_declaration(configured, novaconnect_control, counted):
    iccids = [sim["iccid"] for sim in novaconnect_control.pick_many("TC", COUNT)]
    olds = {"sims": {iccid: {"limit": {"type": "off"}} for iccid in iccids}, "on_delete": "retain",
            "renew_expired_package": False, "held": {}}
    news = {**olds, "sims": {iccid: {"limit": {"type": "month1", "value_mb": 300}} for iccid in iccids}}
    outputs = SimFleetProvider().update("fleet-1", olds, news).outs
    assert outputs["sim_count"] == COUNT
    assert counted["parsed"] == 2 * COUNT
