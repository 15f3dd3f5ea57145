"""A resource with a `connection` works on that account, the stack's config on its own.

Two emulators stand for two NovaConnect accounts: the provider host is configured for the
first (the stack's `novaconnect:*`), and resources that name the second through
`connection` must read and change only the second, in every engine call, including read
and delete, which get nothing but the recorded outputs.
"""
from __future__ import annotations

from typing import Any, Iterator

import pytest

from pulumi_novaconnect.emulator import Emulator
from pulumi_novaconnect.testing import ADMIN_TOKEN, EmulatorControl
from pulumi_novaconnect.testing.provider_host import ProviderError



@pytest.fixture()
def second() -> Iterator[tuple[Emulator, EmulatorControl]]:
    with Emulator(sims=20, seed=2, queue_delay=0.05) as emulator, EmulatorControl(emulator) as control:
        yield emulator, control


def connection(emulator: Emulator, token: str = ADMIN_TOKEN) -> dict[str, Any]:
    return {"endpoint": emulator.url, "token": token}


def test_a_sim_config_on_another_account_changes_that_account_only(deploy, platform, second):
    other, other_control = second
    sim = other_control.pick("TC")
    platform.clear_requests()
    config = deploy.resource("SimConfig", "pump-b")
    inputs = {"iccid": sim["iccid"], "name": "pump-b", "on_delete": "restore", "__name": "SimConfig 'pump-b'",
              "__connection": connection(other)}
    outs = config.create(inputs)
    assert other_control.sim(sim["iccid"])["name"] == "pump-b"
    assert outs["__connection"] == connection(other)  # read and delete find the account in state
    other_control.change_sim(sim["iccid"], name="moved")
    config.host = deploy.fresh_host()  # the next `pulumi refresh`: a new process, nothing cached
    new_id, _, read_inputs = config.read()
    assert new_id and read_inputs["name"] == "moved" and read_inputs["__connection"] == connection(other)
    config.delete()  # on_delete=restore: the name it had, on the second account
    assert other_control.sim(sim["iccid"])["name"] == sim["name"]
    assert platform.sim_writes() == {}  # the stack's account was never written to


def test_a_group_and_a_fleet_on_another_account_and_one_on_the_stacks(deploy, platform, second):
    other, other_control = second
    deploy.resource("Group", "b").create({"name": "On B", "adopt": False, "__connection": connection(other)})
    deploy.resource("Group", "a").create({"name": "On A", "adopt": False})
    assert other_control.group("On B") and not platform.group("On B")
    assert platform.group("On A") and not other_control.group("On A")
    sims = [s["iccid"] for s in other_control.pick_many("TC", 2)]
    fleet = deploy.resource("SimFleet", "b")
    fleet.create({"sims": {iccid: {"limit": {"type": "month1", "value_mb": 42}} for iccid in sims},
                  "on_delete": "retain", "__name": "SimFleet 'b'", "__connection": connection(other)})
    assert all(other_control.sim(i)["limit"]["value"] == 42 for i in sims)


def test_a_new_token_for_the_same_account_is_an_update_that_writes_nothing(deploy, platform, second):
    other, other_control = second
    group = deploy.resource("Group", "b")
    group.create({"name": "On B", "adopt": False, "__connection": connection(other)})
    assert group.diff({"name": "On B", "adopt": False, "__connection": connection(other)}).changes is False
    rotated = connection(other, token="user-token")  # another token of the same account
    assert group.diff({"name": "On B", "adopt": False, "__connection": rotated}).changes is True


def test_a_malformed_connection_fails_naming_the_resource_and_the_field_never_the_token(deploy, second):
    other, _ = second
    config = deploy.resource("SimConfig", "pump-b")
    bad = {"endpoint": "api.novaconnect.kz", "token": "secret value\n"}
    with pytest.raises(ProviderError) as raised:
        config.check({"iccid": "8997000000000000001", "__name": "SimConfig 'pump-b'", "__connection": bad})
    message = raised.value.message
    assert message.startswith("SimConfig 'pump-b': connection.endpoint must be an http:// or https:// URL")
    assert "connection.token must be an API token without spaces" in message
    assert "secret value" not in message


def test_a_get_with_a_connection_reads_the_object_from_that_account(deploy, platform, second):
    other, other_control = second
    sim = other_control.change_sim(other_control.pick("TC")["iccid"], name="pump-b", groups=["Only On B"])
    group = other_control.group("Only On B")
    platform.clear_requests()
    for kind, id_, expected in (("SimConfig", sim["iccid"], {"name": "pump-b", "groups": ["Only On B"]}),
                                ("Group", str(group["id"]), {"name": "Only On B"})):
        managed = deploy.resource(kind, f"b-{kind.lower()}")
        # As the engine reads a `get`: nothing recorded yet, the program's properties as the inputs.
        props = {**managed.props({}), "__connection": connection(other)}
        new_id, outs, _ = managed.host.read(managed.urn, id_, {}, props)
        assert new_id == id_ and {key: outs[key] for key in expected} == expected
        assert outs["__connection"] == connection(other)  # the next refresh reads the same account
    assert platform.requests() == []  # the stack's account was not read


def test_a_get_with_a_malformed_connection_fails_naming_the_type_and_the_field(deploy, second):
    managed = deploy.resource("Group", "b-group")
    props = {**managed.props({}), "__connection": {"endpoint": "https://api.novaconnect.kz/api", "token": ""}}
    with pytest.raises(ProviderError) as raised:
        managed.host.read(managed.urn, "1", {}, props)
    assert raised.value.message == "Group: connection.token is empty: give the account's token"
