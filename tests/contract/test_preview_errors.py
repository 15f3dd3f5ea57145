"""What preview catches through the real provider host, and what every refusal says to do.

Existing groups and user emails, a refused token and an endpoint where nothing listens: each
fails at preview, naming the object or setting and the fix. A token whose role may only read
previews (it only reads) and stops `pulumi up` before its first write, naming the role needed.
"""
from __future__ import annotations

import socket
import time

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
# A preview only reads, so a plain user's token previews any change (and is told once that
# `pulumi up` will need an administrator's token); an up or a destroy stops before its first
# write, naming the role that is needed.

READS = ("sim/list", "group/list", "user/list", "user/get", "company/get", "report/day", "report/sessions")


def stderr_of(host, words: str, timeout: float = 5.0) -> str:
    """The host's stderr once it holds ``words`` (its reader thread may lag a little)."""
    deadline = time.monotonic() + timeout
    while words not in host.stderr_text and time.monotonic() < deadline:
        time.sleep(0.02)
    return host.stderr_text


def assert_refused_before_writing(err: ProviderError, platform, planned: str) -> None:
    message = err.message
    assert "nothing was changed" in message and planned in message
    assert token_owner(platform)["email"] in message and "role 'user' may only read" in message
    assert "the administrator role ('admin')" in message and "novaconnect:token" in message
    assert "again" not in message
    sent = [r for r in platform.requests() if r["method"] not in READS]
    assert sent == [], sent  # refused by us before the call, not by the platform after it


def test_a_read_only_token_previews_a_sim_change_and_up_stops_before_the_first_write(read_only, platform):
    sim = platform.pick("TC")
    res = read_only.resource("SimConfig", "s")
    platform.clear_requests()
    inputs = {"iccid": sim["iccid"], "name": "renamed", "on_delete": "retain"}
    assert res.check(inputs).failures == []
    note = stderr_of(read_only.host, "may only read")
    assert f"the API token belongs to {token_owner(platform)['email']}, whose role 'user' may only read" in note
    assert "this preview works, but `pulumi up` of its changes" in note and "role ('admin')" in note
    with pytest.raises(ProviderError) as err:
        res.create(inputs)
    assert_refused_before_writing(err.value, platform, f"change 1 SIM ({sim['iccid']})")
    assert platform.sim(sim["iccid"])["name"] == sim["name"]


def test_a_read_only_token_previews_changes_drift_and_fleets_without_failing(deploy, read_only, platform):
    tc = platform.pick_many("TC", 3)
    single = deploy.resource("SimConfig", "s")
    single.create({"iccid": tc[0]["iccid"], "name": "pump-1", "on_delete": "retain"})
    sims = {s["iccid"]: {"name": s["name"]} for s in tc[1:]}
    fleet = deploy.resource("SimFleet", "f")
    fleet.create({"sims": sims, "on_delete": "retain"})
    platform.change_sim(tc[0]["iccid"], name="by-hand")
    platform.clear_requests()

    seen = as_seen_by(read_only, single)
    assert seen.diff({"iccid": tc[0]["iccid"], "name": "pump-1", "on_delete": "retain"}).changes is True  # drift
    assert seen.diff({"iccid": tc[0]["iccid"], "name": "pump-2", "on_delete": "retain"}).changes is True
    seen_fleet = as_seen_by(read_only, fleet)
    assert seen_fleet.diff({"sims": sims, "on_delete": "retain"}).changes is False
    assert seen_fleet.diff({"sims": sims, "defaults": {"blocked": True}, "on_delete": "retain"}).changes is True
    assert read_only.resource("SimFleet", "g").check({"sims": {tc[0]["iccid"]: {"name": "x-1"}}, "on_delete": "retain"}).failures == []
    assert [r for r in platform.requests() if r["method"] not in READS] == []
    # Said once per process, not once per resource.
    assert stderr_of(read_only.host, "may only read").count("may only read") == 1

    with pytest.raises(ProviderError) as err:
        seen_fleet.update({"sims": sims, "defaults": {"blocked": True}, "on_delete": "retain"})
    assert_refused_before_writing(err.value, platform, "change 2 SIMs")


def test_a_read_only_token_previews_a_new_group_or_user_and_up_stops_before_creating_them(deploy, read_only, platform):
    group = deploy.resource("Group", "g")
    group.create({"name": "Kept", "adopt": False})  # before the read-only process reads the group list
    platform.clear_requests()
    new_group = read_only.resource("Group", "g2")
    assert new_group.check({"name": "Brand new", "adopt": False}).failures == []
    new_user = read_only.resource("User", "u")
    assert new_user.check({**USER, "email": "new.person@example.kz"}).failures == []
    seen = as_seen_by(read_only, group)
    assert seen.diff({"name": "Kept", "adopt": False}).changes is False
    assert seen.diff({"name": "Renamed", "adopt": False}).changes is True

    with pytest.raises(ProviderError) as err:
        new_group.create({"name": "Brand new", "adopt": False})
    assert_refused_before_writing(err.value, platform, "create group 'Brand new'")
    with pytest.raises(ProviderError) as err:
        new_user.create({**USER, "email": "new.person@example.kz"})
    assert_refused_before_writing(err.value, platform, "create user new.person@example.kz")
    with pytest.raises(ProviderError) as err:
        seen.update({"name": "Renamed", "adopt": False})
    assert_refused_before_writing(err.value, platform, "rename group 'Kept' to 'Renamed'")
    with pytest.raises(ProviderError) as err:
        seen.delete()
    assert_refused_before_writing(err.value, platform, "remove group 'Kept'")
    assert platform.group("Kept") is not None and platform.group("Brand new") is None


def test_an_admin_token_previews_without_a_note(deploy, platform):
    sim = platform.pick("TC")
    assert deploy.resource("SimConfig", "s").check({"iccid": sim["iccid"], "name": "renamed", "on_delete": "retain"}).failures == []
    assert deploy.resource("Group", "g").check({"name": "Brand new", "adopt": False}).failures == []
    deploy.host.stop()  # its stderr is then complete
    assert "may only read" not in deploy.host.stderr_text


def test_the_role_is_looked_up_once_per_process(read_only, platform):
    platform.clear_requests()
    for name in ("one", "two", "three"):
        assert read_only.resource("Group", name).check({"name": f"New {name}", "adopt": False}).failures == []
    assert len(platform.requests("user/get")) == 1


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
