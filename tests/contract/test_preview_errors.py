"""What preview catches through the real provider host, and what every refusal says to do.

Existing groups and user emails, a token whose role may only read (when, and only when, the
preview plans changes), a refused token and an endpoint where nothing listens: each fails at
preview, naming the object or setting and the fix.
"""
from __future__ import annotations

import socket

import pytest

from pulumi_novaconnect.testing.provider_host import ProviderError, secret
from pulumi_novaconnect.client import NovaConnectClient
from tests.conftest import ADMIN_TOKEN, USER_TOKEN
from tests.contract.conftest import Deployment, Managed, provider_config

USER = {"first_name": "Aigerim", "last_name": "Sadykova", "phone": "+77010000000", "role": "user"}


@pytest.fixture()
def read_only(emulator, start_host) -> Deployment:
    """A deployment configured with the emulator's user token (role `user`: read only)."""
    host = start_host()
    config = provider_config(emulator, **{"novaconnect:token": secret(USER_TOKEN)})
    host.configure(config)
    return Deployment(host, config)


def token_owner(platform) -> dict:
    return next(u for u in platform.state()["users"] if u["role"] == "user" and u["email"].startswith("daniyar"))


def as_seen_by(deployment: Deployment, res: Managed) -> Managed:
    """The same resource (state and all) handled by another deployment's host."""
    return Managed(deployment.host, res.kind, res.name, res.id, dict(res.inputs), dict(res.outputs))


# -- existing objects --------------------------------------------------------------------------


def test_an_existing_group_name_fails_preview_with_its_id_and_the_fix(deploy, platform):
    existing = platform.state()["groups"][0]
    result = deploy.resource("Group", "g").check({"name": existing["name"], "adopt": False})
    [(prop, reason)] = result.failures
    assert prop == "name"
    assert f"group {existing['name']!r} already exists on NovaConnect (id {existing['id']})" in reason
    assert "adopt=True" in reason


def test_an_existing_group_name_passes_preview_with_adopt_and_a_new_name_passes_without(deploy, platform):
    existing = platform.state()["groups"][0]
    assert deploy.resource("Group", "g").check({"name": existing["name"], "adopt": True}).failures == []
    assert deploy.resource("Group", "h").check({"name": "A brand new group", "adopt": False}).failures == []


def test_renaming_a_group_to_an_existing_name_fails_preview(deploy, platform):
    res = deploy.resource("Group", "g")
    res.create({"name": "Ours", "adopt": False})
    taken = next(g for g in platform.state()["groups"] if g["name"] != "Ours")
    [(prop, reason)] = res.check({"name": taken["name"], "adopt": False}).failures
    assert prop == "name" and str(taken["id"]) in reason
    assert res.check({"name": "Ours", "adopt": False}).failures == []  # its own name is not a conflict


def test_a_group_removed_by_hand_since_the_list_was_read_is_not_reported(deploy, platform, emulator):
    existing = platform.state()["groups"][0]
    res = deploy.resource("Group", "g")
    assert res.check({"name": existing["name"], "adopt": False}).failures  # the shared list is now read
    # Removed in the web UI meanwhile (here: over the API with the emulator's admin token).
    with NovaConnectClient(endpoint=emulator.url, token=ADMIN_TOKEN) as by_hand:
        by_hand.group_remove(existing["id"])
    assert res.check({"name": existing["name"], "adopt": False}).failures == []


def test_an_existing_user_email_fails_preview_whatever_its_case(deploy, platform):
    existing = token_owner(platform)
    result = deploy.resource("User", "u").check({**USER, "email": existing["email"].upper()})
    [(prop, reason)] = result.failures
    assert prop == "email"
    assert f"user {existing['email']} already exists on NovaConnect (id {existing['id']})" in reason
    assert "adopt=True" in reason
    assert deploy.resource("User", "u").check({**USER, "email": existing["email"], "adopt": True}).failures == []


# -- a token that may only read ------------------------------------------------------------------


def assert_read_only_refusal(err: ProviderError, platform, planned: str) -> None:
    message = err.message
    assert "this preview plans changes" in message and planned in message
    assert token_owner(platform)["email"] in message and "role 'user' may only read" in message
    assert "administrator's API token" in message and "novaconnect:token" in message


def test_a_read_only_token_fails_the_preview_of_a_sim_change(read_only, platform):
    sim = platform.pick("TC")
    with pytest.raises(ProviderError) as err:
        read_only.resource("SimConfig", "s").check({"iccid": sim["iccid"], "name": "renamed", "on_delete": "retain"})
    assert_read_only_refusal(err.value, platform, f"SIM {sim['iccid']}: name:")
    assert platform.requests("sim/edit") == []


def test_a_read_only_token_may_preview_adopting_a_sim_that_needs_no_call(read_only, platform):
    sim = platform.pick("TC")
    result = read_only.resource("SimConfig", "s").check({"iccid": sim["iccid"], "name": sim["name"], "on_delete": "retain"})
    assert result.failures == []


def test_a_read_only_token_may_preview_a_stack_without_changes_but_not_one_with(deploy, read_only, platform):
    sim = platform.pick("TC")
    res = deploy.resource("SimConfig", "s")
    res.create({"iccid": sim["iccid"], "name": "pump-1", "on_delete": "retain"})
    seen = as_seen_by(read_only, res)
    assert seen.diff({"iccid": sim["iccid"], "name": "pump-1", "on_delete": "retain"}).changes is False
    with pytest.raises(ProviderError) as err:
        seen.diff({"iccid": sim["iccid"], "name": "pump-2", "on_delete": "retain"})
    assert_read_only_refusal(err.value, platform, f"SIM {sim['iccid']}: name: 'pump-1' => 'pump-2'")


def test_a_read_only_token_fails_the_preview_of_drift_it_would_have_to_undo(deploy, read_only, platform):
    sim = platform.pick("TC")
    res = deploy.resource("SimConfig", "s")
    res.create({"iccid": sim["iccid"], "name": "pump-1", "on_delete": "retain"})
    platform.change_sim(sim["iccid"], name="by-hand")
    with pytest.raises(ProviderError) as err:
        as_seen_by(read_only, res).diff({"iccid": sim["iccid"], "name": "pump-1", "on_delete": "retain"})
    assert_read_only_refusal(err.value, platform, "'by-hand' => 'pump-1'")


def test_a_read_only_token_fails_the_preview_of_a_fleet_change_and_passes_a_no_op(deploy, read_only, platform):
    tc = [s for s in platform.state()["sims"] if s["profile"] == "TC" and s["block"] == "n"][:3]
    sims = {s["iccid"]: {"name": s["name"]} for s in tc}
    res = deploy.resource("SimFleet", "f")
    res.create({"sims": sims, "on_delete": "retain"})
    seen = as_seen_by(read_only, res)
    assert seen.diff({"sims": sims, "on_delete": "retain"}).changes is False
    with pytest.raises(ProviderError) as err:
        seen.diff({"sims": sims, "defaults": {"blocked": True}, "on_delete": "retain"})
    assert_read_only_refusal(err.value, platform, "3 SIMs to change")
    with pytest.raises(ProviderError) as err:
        read_only.resource("SimFleet", "g").check({"sims": {tc[0]["iccid"]: {"name": "x-1"}}, "on_delete": "retain"})
    assert_read_only_refusal(err.value, platform, "1 SIMs to change")


def test_a_read_only_token_fails_the_preview_of_a_new_group_or_user_and_passes_unchanged_ones(deploy, read_only, platform):
    group = deploy.resource("Group", "g")
    group.create({"name": "Kept", "adopt": False})  # before the read-only process reads the group list
    with pytest.raises(ProviderError) as err:
        read_only.resource("Group", "g2").check({"name": "Brand new", "adopt": False})
    assert_read_only_refusal(err.value, platform, "create group 'Brand new'")
    with pytest.raises(ProviderError) as err:
        read_only.resource("User", "u").check({**USER, "email": "new.person@example.kz"})
    assert_read_only_refusal(err.value, platform, "create user new.person@example.kz")

    seen = as_seen_by(read_only, group)
    assert seen.diff({"name": "Kept", "adopt": False}).changes is False
    with pytest.raises(ProviderError) as err:
        seen.diff({"name": "Renamed", "adopt": False})
    assert_read_only_refusal(err.value, platform, "group 'Renamed'")


def test_the_role_is_looked_up_once_per_process(read_only, platform):
    platform.clear_requests()
    for name in ("one", "two", "three"):
        with pytest.raises(ProviderError):
            read_only.resource("Group", name).check({"name": f"New {name}", "adopt": False})
    assert len(platform.requests("user/get")) == 1


def test_the_platforms_own_refusal_at_up_names_the_role_needed_and_does_not_suggest_re_running(read_only, platform):
    sim = platform.pick("TC")
    res = read_only.resource("SimConfig", "s")
    with pytest.raises(ProviderError) as err:
        # Past check: a token whose role changed between preview and up.
        res.host.create(res.urn, res.props({"iccid": sim["iccid"], "name": "nope", "on_delete": "retain"}))
    message = err.value.message
    assert sim["iccid"] in message and "HTTP 403" in message
    assert "administrator's token" in message and "novaconnect:token" in message
    assert "again" not in message


# -- a refused token, an endpoint where nothing listens ---------------------------------------------


def test_a_refused_token_names_its_config_key_and_environment_variable(emulator, start_host, platform):
    host = start_host()
    host.configure(provider_config(emulator, **{"novaconnect:token": secret("not-a-token")}))
    with pytest.raises(ProviderError) as err:
        Deployment(host).resource("Group", "g").check({"name": "Anything", "adopt": False})
    message = err.value.message
    assert "HTTP 401" in message and "novaconnect:token" in message and "NOVACONNECT_TOKEN" in message
    assert "not-a-token" not in message


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_endpoint_where_nothing_listens_is_named_with_its_setting_in_our_words(emulator, start_host):
    endpoint = f"http://127.0.0.1:{free_port()}/api"
    host = start_host()
    host.configure(provider_config(emulator, **{"novaconnect:endpoint": endpoint}))
    with pytest.raises(ProviderError) as err:
        Deployment(host).resource("Group", "g").check({"name": "Anything", "adopt": False})
    message = err.value.message
    last = message.strip().splitlines()[-1]
    assert f"connection failed to NovaConnect at {endpoint}, the endpoint set by novaconnect:endpoint " \
           "or NOVACONNECT_ENDPOINT: connection refused" in last
    for library_text in ("HTTPConnectionPool", "urllib3", "Max retries", "NewConnectionError"):
        assert library_text not in message
