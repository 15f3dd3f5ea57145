"""Data sources with `connection` read that account, in the program's process, against two
emulators over HTTP: the stack's config points at the first, `connection` at the second.

A malformed connection is refused before any call, as a resource's is, naming the function
and the field and never the token; the `_output` twins resolve a secret token with the other
inputs and give a result that is not secret (it holds no token)."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Iterator

import pulumi
import pytest

import pulumi_novaconnect as nc
from pulumi_novaconnect.emulator import Emulator
from pulumi_novaconnect.errors import ConfigurationError, NotFoundOnPlatform
from pulumi_novaconnect.testing import EmulatorControl

SECOND_TOKEN = "nc-second-account-7c2f91"
WEEK_AGO = dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=7)


@pytest.fixture()
def second() -> Iterator[tuple[Emulator, EmulatorControl]]:
    """Another account: its own emulator, its administrator holding ``SECOND_TOKEN``."""
    with Emulator(sims=20, seed=2, queue_delay=0.05) as emulator, EmulatorControl(emulator) as control:
        admin = next(user for user in control.users() if user["role"] == "admin")
        control.issue_token(admin["id"], SECOND_TOKEN)
        control.clear_requests()
        yield emulator, control


def connection(emulator: Emulator, token: Any = SECOND_TOKEN) -> nc.ConnectionArgs:
    return nc.ConnectionArgs(endpoint=emulator.url, token=token)


def test_get_sims_with_a_connection_lists_that_accounts_sims_and_asks_nothing_of_the_stacks(program_config,
                                                                                         second):
    other, other_control = second
    theirs = sorted(s["iccid"] for s in other_control.sims())
    assert not set(theirs) & {s["iccid"] for s in program_config.sims()}

    assert sorted(nc.get_sims(connection=connection(other)).iccids) == theirs
    tc = sorted(s["iccid"] for s in other_control.sims() if s["profile"] == "TC")
    assert sorted(nc.get_sims(profile="TC", connection=connection(other)).iccids) == tc
    assert program_config.requests() == []  # the stack's account was not asked
    assert other_control.count("sim/list") >= 2
    # A plain dict is a connection too, as it is for a resource.
    plain = {"endpoint": other.url, "token": SECOND_TOKEN}
    assert sorted(nc.get_sims(connection=plain).iccids) == theirs


def test_get_sims_of_a_group_on_the_other_account_only(program_config, second):
    other, other_control = second
    sim = other_control.change_sim(other_control.pick("TC")["iccid"], groups=["Only On B"])
    assert nc.get_sims(group="Only On B", connection=connection(other)).iccids == [sim["iccid"]]
    with pytest.raises(NotFoundOnPlatform, match="no group named 'Only On B'"):
        nc.get_sims(group="Only On B")  # the stack's account has no such group


def test_get_sim_with_a_connection_finds_a_sim_the_stacks_account_does_not_have(program_config, second):
    other, other_control = second
    target = other_control.sims()[4]
    by_iccid = nc.get_sim(iccid=target["iccid"], connection=connection(other))
    assert (by_iccid.id, by_iccid.number, by_iccid.profile) == (target["id"], target["number"], target["profile"])
    assert nc.get_sim(id=target["id"], connection=connection(other)).iccid == target["iccid"]
    with pytest.raises(NotFoundOnPlatform, match=target["iccid"]):
        nc.get_sim(iccid=target["iccid"])


def test_get_groups_and_get_bills_with_a_connection_read_the_other_account(program_config, second):
    other, other_control = second
    other_control.change_sim(other_control.pick("TC")["iccid"], groups=["Only On B"])
    groups = nc.get_groups(connection=connection(other))
    assert sorted(groups.names) == sorted(g["name"] for g in other_control.groups())
    assert "Only On B" in groups.names and "Only On B" not in nc.get_groups().names
    assert nc.get_groups(name_contains="only on", connection=connection(other)).names == ["Only On B"]
    bills = other_control.state()["bills"]
    assert sorted(b.id for b in nc.get_bills(connection=connection(other)).bills) == sorted(b["id"] for b in bills)


def test_get_usage_with_a_connection_reports_the_other_accounts_sims(program_config, second):
    other, other_control = second
    theirs = {s["iccid"] for s in other_control.sims()}
    usage = nc.get_usage(start=WEEK_AGO, connection=connection(other))
    assert usage.sims and {s.iccid for s in usage.sims} <= theirs
    sim = other_control.sims()[0]["iccid"]
    assert [s.iccid for s in nc.get_usage(start=WEEK_AGO, iccids=[sim], connection=connection(other)).sims] == [sim]
    sessions = nc.get_sessions(start=WEEK_AGO, iccids=[sim], connection=connection(other))
    assert {s.iccid for s in sessions.sessions} <= {sim}
    assert program_config.count("report/day") == 0 and program_config.count("report/sessions") == 0


def test_an_output_twin_with_a_secret_token_reads_the_other_account_and_its_result_is_not_secret(
        program_mocks, program_config, second, caplog, capsys):
    other, other_control = second
    theirs = sorted(s["iccid"] for s in other_control.sims())
    target = other_control.sims()[2]
    caplog.set_level(logging.DEBUG)

    @pulumi.runtime.test
    def program():
        account = connection(other, token=pulumi.Output.secret(SECOND_TOKEN))
        sims = nc.get_sims_output(connection=account)
        one = nc.get_sim_output(iccid=pulumi.Output.from_input(target["iccid"]), connection=account)
        groups = nc.get_groups_output(connection=account)
        company = nc.get_company_output(connection=account)
        outputs = (sims, one, groups, company)

        def verify(values):
            (found, sim, group_list, _company), secret = values[:4], values[4:]
            assert sorted(found.iccids) == theirs and sim.id == target["id"]
            assert sorted(group_list.names) == sorted(g["name"] for g in other_control.groups())
            assert secret == [False] * 4, "a result holds no token: the token's secrecy must not reach it"
            assert SECOND_TOKEN not in repr((found, sim, group_list, _company))

        secrecy = [pulumi.Output.from_input(o.is_secret()) for o in outputs]
        return pulumi.Output.all(*outputs, *secrecy).apply(verify)

    program()
    captured = capsys.readouterr()
    assert SECOND_TOKEN not in captured.out + captured.err + caplog.text
    assert program_config.requests() == []


def test_an_output_twin_stays_secret_when_another_input_is(program_mocks, program_config, second):
    other, other_control = second
    other_control.change_sim(other_control.pick("TC")["iccid"], groups=["Only On B"])

    @pulumi.runtime.test
    def program():
        sims = nc.get_sims_output(group=pulumi.Output.secret("Only On B"),
                                  connection=connection(other, token=pulumi.Output.secret(SECOND_TOKEN)))
        return pulumi.Output.all(sims, pulumi.Output.from_input(sims.is_secret())).apply(
            lambda values: _assert(len(values[0].iccids) == 1 and values[1] is True))

    program()


def _assert(condition: bool) -> None:
    assert condition


BAD_ENDPOINT = {"endpoint": "api.novaconnect.kz", "token": SECOND_TOKEN}
BAD_TOKEN = {"endpoint": "https://api.novaconnect.kz/api", "token": f"{SECOND_TOKEN} \n"}
BLANK_TOKEN = {"endpoint": "https://api.novaconnect.kz/api", "token": ""}
CALLS = {
    "get_sims": lambda c: nc.get_sims(connection=c),
    "get_sim": lambda c: nc.get_sim(iccid="8997000000000000001", connection=c),
    "get_groups": lambda c: nc.get_groups(connection=c),
    "get_users": lambda c: nc.get_users(connection=c),
    "get_company": lambda c: nc.get_company(connection=c),
    "get_usage": lambda c: nc.get_usage(connection=c),
    "get_sessions": lambda c: nc.get_sessions(connection=c),
    "get_bills": lambda c: nc.get_bills(connection=c),
}


@pytest.mark.parametrize("function", CALLS)
@pytest.mark.parametrize("bad, words", [
    (BAD_ENDPOINT, ['connection.endpoint must be an http:// or https:// URL with a host', 'got "api.novaconnect.kz"']),
    (BAD_TOKEN, ["connection.token must be an API token without spaces or line breaks",
                 "a value that is not shown (it is secret)"]),
    (BLANK_TOKEN, ["connection.token is empty"]),
    ({"endpoint": "https://api.novaconnect.kz/api"}, ["connection.token is required"]),
], ids=["endpoint-not-a-url", "token-with-a-newline", "blank-token", "no-token"])
def test_a_malformed_connection_is_one_line_naming_the_function_and_the_field_never_the_token(
        program_config, function, bad, words):
    with pytest.raises(ConfigurationError) as raised:
        CALLS[function](bad)
    message = str(raised.value)
    assert message.startswith(f"{function}: connection."), message
    assert all(w in message for w in words), message
    assert "\n" not in message and SECOND_TOKEN not in message
    assert isinstance(raised.value, pulumi.RunError)  # `pulumi up` shows the message alone, no traceback
    assert program_config.requests() == []


def test_a_connection_of_the_wrong_kind_names_its_type_not_its_value(program_config):
    with pytest.raises(TypeError) as raised:
        nc.get_groups(connection=SECOND_TOKEN)  # type: ignore[arg-type]
    assert str(raised.value) == ("get_groups: `connection` must be a ConnectionArgs (an endpoint and a token), "
                                 "not a str")


def test_an_output_in_a_plain_data_sources_connection_points_to_its_output_twin(program_mocks, program_config):

    @pulumi.runtime.test
    def program():
        with pytest.raises(TypeError) as raised:
            nc.get_sims(connection=connection_to("https://b.example", pulumi.Output.secret(SECOND_TOKEN)))
        assert str(raised.value) == ("get_sims: `connection` holds an Output (connection.token): get_sims takes "
                                     "plain values; get_sims_output resolves Outputs first")
        return pulumi.Output.from_input(None)

    program()


def connection_to(endpoint: str, token: Any) -> nc.ConnectionArgs:
    return nc.ConnectionArgs(endpoint=endpoint, token=token)


def test_an_output_twin_with_a_malformed_connection_fails_with_the_same_error(program_mocks, program_config):

    @pulumi.runtime.test
    def program():
        return nc.get_users_output(role="admin", connection=connection_to(
            pulumi.Output.from_input("api.novaconnect.kz"), pulumi.Output.secret(SECOND_TOKEN)))

    with pytest.raises(ConfigurationError) as raised:
        program()
    assert str(raised.value).startswith('get_users: connection.endpoint must be an http:// or https:// URL')
    assert SECOND_TOKEN not in str(raised.value)
