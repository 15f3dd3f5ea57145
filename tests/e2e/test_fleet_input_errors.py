"""A program that hands SimFleet the wrong shapes gets preview failures, not a crash.

Through the program runner (the SDK's own serialisation in the program's process, then the
provider host): `sims=` as a list once died in the SDK with an AssertionError, and a text
entry with a ValueError from inside the provider.
"""
from __future__ import annotations

import pytest

import pulumi_novaconnect as nc
from pulumi_novaconnect.testing import CheckFailed


def run_preview(novaconnect_program, novaconnect_control, **fleet):
    def program() -> None:
        nc.SimFleet("meters", **fleet)

    novaconnect_control.clear_requests()
    with pytest.raises(CheckFailed) as caught:
        novaconnect_program(program).preview()
    assert novaconnect_control.sim_writes() == {}
    return caught.value.failures


def test_sims_given_as_a_list_is_a_preview_failure(novaconnect_program, novaconnect_control):
    sim = novaconnect_control.pick("TC")
    [(name, prop, reason)] = run_preview(novaconnect_program, novaconnect_control,
                                         sims=[{"iccid": sim["iccid"], "name": "pump-1"}])
    assert (name, prop) == ("meters", "sims")
    assert reason.startswith("sims must be a map of ICCID to that SIM's settings") and "a list of 1 item" in reason


def test_an_entry_given_as_text_is_a_preview_failure(novaconnect_program, novaconnect_control):
    sim = novaconnect_control.pick("TC")
    [(name, prop, reason)] = run_preview(novaconnect_program, novaconnect_control, sims={sim["iccid"]: "pump-1"})
    assert (name, prop) == ("meters", "sims")
    assert reason.startswith(f'sims["{sim["iccid"]}"]: a SIM\'s settings must be an object') and "'pump-1'" in reason


def test_defaults_given_as_a_list_is_a_preview_failure(novaconnect_program, novaconnect_control):
    sim = novaconnect_control.pick("TC")
    [(_, prop, reason)] = run_preview(novaconnect_program, novaconnect_control,
                                      sims={sim["iccid"]: {}}, defaults=["Meters"])
    assert prop == "defaults" and "got a list of 1 item" in reason
