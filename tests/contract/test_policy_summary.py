"""What a policy pack sees of a SIM resource: check's inputs carry the summary of its review
(the same counts the stack's guardrails take), for a create and for an update, and the
pack's rule (policy_pack.Guardrails) holds the stack's total to the organisation's limits."""
from __future__ import annotations

import json

from pulumi.runtime import rpc

from pulumi_novaconnect.policy_pack import Guardrails
from pulumi_novaconnect.sim.guardrails import REVIEW_KEY

from .conftest import Deployment, provider_config

URN = "urn:pulumi:dev::contract::pulumi-python:dynamic/novaconnect:SimFleet::"


def summary(inputs: dict) -> dict:
    # A secret, so that a preview prints one `review: [secret]` line however big the change.
    assert rpc.is_rpc_secret(inputs[REVIEW_KEY])
    found = json.loads(rpc.unwrap_rpc_secret(inputs[REVIEW_KEY]))
    assert found["schema"] == "novaconnect-radius/1"
    return found


def as_a_pack_sees(inputs: dict) -> dict:
    """A resource's inputs as the policy SDK hands them to a pack: secrets as plain values."""
    return {key: rpc.unwrap_rpc_secret(value) for key, value in inputs.items()}


def test_check_carries_the_counts_of_a_create_and_of_an_update(emulator, start_host, platform):
    host = start_host()
    config = provider_config(emulator, **{"novaconnect:maxBlocks": "1000"})
    host.configure(config)
    sims = [s["iccid"] for s in platform.pick_many("TC", 6)]
    fleet = Deployment(host, config).resource("SimFleet", "meters")
    entries = {**{i: {"blocked": True} for i in sims[:4]}, **{i: {"name": f"m-{i[-4:]}"} for i in sims[4:]}}
    props = {"sims": entries, "on_delete": "block", "__name": "SimFleet 'meters'"}

    created = summary(fleet.checked(props))
    assert (created["operation"], created["changes"], created["blocks"], created["releases"]) == ("create", 6, 4, 0)
    assert {kind: sorted(iccids) for kind, iccids in created["critical"].items()} == {"block": sorted(sims[:4])}
    fleet.create(props)
    assert platform.sim_writes() != {}

    # Two SIMs leave the fleet (on_delete=block blocks them), one more is renamed.
    platform.clear_requests()
    kept = {i: e for i, e in entries.items() if i not in sims[2:4]}
    kept[sims[5]] = {"name": "renamed"}
    updated = summary(fleet.checked({**props, "sims": kept}))
    assert (updated["operation"], updated["changes"], updated["blocks"], updated["releases"]) == ("update", 3, 0, 2)
    assert {kind: sorted(iccids) for kind, iccids in updated["critical"].items()} == {"release": sorted(sims[2:4])}
    assert platform.sim_writes() == {}  # check only reads


def test_the_pack_rule_sums_the_stack_and_names_the_limit_and_the_count(emulator, start_host, platform):
    host = start_host()
    config = provider_config(emulator, **{"novaconnect:maxBlocks": "1000"})
    host.configure(config)
    sims = [s["iccid"] for s in platform.pick_many("TC", 5)]
    deployment = Deployment(host, config)
    first = as_a_pack_sees(deployment.resource("SimFleet", "a").checked(
        {"sims": {i: {"blocked": True} for i in sims[:3]}, "__name": "SimFleet 'a'"}))
    second = as_a_pack_sees(deployment.resource("SimFleet", "b").checked(
        {"sims": {i: {"blocked": True} for i in sims[3:]}, "__name": "SimFleet 'b'"}))

    rule = Guardrails()
    assert rule.violations(URN + "a", first, {"maxBlocks": 4}) == []
    (message,) = rule.violations(URN + "b", second, {"maxBlocks": 4})
    assert message.startswith("SimFleet 'b': this `pulumi up` would block 5 SIMs (2 of them by this resource), "
                              "over the policy pack's novaconnect-guardrails.maxBlocks = 4; nothing was changed")
    assert "to at least 5" in message
    # Seen again (the update after its preview), a resource counts once.
    assert rule.violations(URN + "a", first, {"maxBlocks": 5}) == []

    (critical,) = Guardrails().violations(URN + "a", first, {"criticalSims": [sims[1]]})
    assert critical == (f"SimFleet 'a': SIM {sims[1]} is critical (novaconnect-guardrails.criticalSims), so this "
                        "stack may not block it; nothing was changed. Take it out of "
                        "novaconnect-guardrails.criticalSims first if the change is meant")


def test_the_pack_leaves_alone_what_is_not_a_novaconnect_review():
    rule = Guardrails()
    assert rule.violations(URN + "x", {"blocked": True, "count": 5000}, {"maxBlocks": 0}) == []
    assert rule.violations(URN + "x", {REVIEW_KEY: "not json"}, {"maxBlocks": 0}) == []
    assert rule.violations(URN + "x", {REVIEW_KEY: json.dumps({"schema": "other/1", "blocks": 9})},
                           {"maxBlocks": 0}) == []
