"""A wait that has been reporting progress ends cleanly on the round its last SIM converges.

Seen at 100,000 SIMs: the read after the queue ran took longer than the progress interval,
so the round that emptied the wait also came due for a progress line, about no SIM at all.
"""
from __future__ import annotations

import pytest
import requests

from pulumi_novaconnect.provider import progress, registry
from pulumi_novaconnect.provider.config import ProviderSettings
from pulumi_novaconnect.sim.converge import converge
from pulumi_novaconnect.sim.spec import SimSpec
from tests.conftest import ADMIN_TOKEN


@pytest.fixture()
def configured(emulator):
    registry.configure(ProviderSettings.from_lookup({
        "novaconnect:endpoint": emulator.url,
        "novaconnect:token": ADMIN_TOKEN,
        "novaconnect:convergeTimeout": "5",
        "novaconnect:pollInterval": "0.05",
    }.get))
    yield
    registry.configure(ProviderSettings.from_lookup({"novaconnect:token": "unused"}.get))


def test_a_wait_reporting_every_round_returns_the_converged_sim_without_a_line_about_no_sim(
        configured, emulator, monkeypatch, capsys):
    # Every round is due for a progress line, as when one read outlasts the interval.
    monkeypatch.setattr(progress, "QUIET_FOR", 0.0)
    monkeypatch.setattr(progress, "EVERY", 0.0)
    sims = requests.get(f"{emulator.control_url}/state", timeout=10).json()["sims"]
    target = next(s for s in sims if s["profile"] == "TC" and s["block"] == "n")
    registry.sims().invalidate()
    sim = registry.sim(target["iccid"])

    final = converge(sim, SimSpec(iccid=target["iccid"], limit={"type": "month1", "value_mb": 91}))

    assert final.limit.value == 91
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("novaconnect: waiting")]
    # The queue may have run before the first look, so there may be no line; any line names the SIM.
    assert all(f"SIM {target['iccid']}" in line for line in lines)
