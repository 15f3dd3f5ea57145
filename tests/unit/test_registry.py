"""The provider process's one shared place (provider/registry.py), against the emulator.

Each test starts from an empty registry (nothing configured, no client, no snapshot) and
leaves it so; the clients it builds talk to the emulator over real HTTP, and the emulator's
request log says how many sweeps really happened.
"""
from __future__ import annotations

import contextvars
import threading

import pytest
from pydantic import SecretStr

from pulumi.runtime import config as pulumi_config
from pulumi_novaconnect.errors import ConfigurationError
from pulumi_novaconnect.provider import registry
from pulumi_novaconnect.provider.config import ENV_ENDPOINT, ENV_LANG, ENV_TOKEN, Connection, ProviderSettings
from pulumi_novaconnect.testing import ADMIN_TOKEN, USER_TOKEN


@pytest.fixture(autouse=True)
def empty_registry(monkeypatch):
    for key in (ENV_ENDPOINT, ENV_TOKEN, ENV_LANG):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setattr(registry, "_base", None)
    monkeypatch.setattr(registry, "_accounts", {})
    monkeypatch.setattr(registry, "_program_clients", {})
    yield
    clients = [*(a.client for a in registry._accounts.values()), *registry._program_clients.values()]
    for client in clients:
        if client is not None:
            client.close()


@pytest.fixture()
def control(novaconnect_control):
    return novaconnect_control


def settings_for(emulator, token: str = ADMIN_TOKEN, **extra: str) -> ProviderSettings:
    config = {"novaconnect:endpoint": emulator.url, "novaconnect:token": token, **extra}
    return ProviderSettings.from_lookup(config.get)


def pooled_connections(client) -> int:
    """Connections the client's HTTP session keeps open (none once it is closed)."""
    session = client._transport._session
    return sum(len(adapter.poolmanager.pools) for adapter in session.adapters.values())


# -- settings and the client ------------------------------------------------------------------

def test_configured_settings_are_the_ones_every_caller_reads(emulator):
    configured = settings_for(emulator, **{"novaconnect:pollInterval": "0.25"})
    registry.configure(configured)
    assert registry.settings() is configured
    assert registry.settings().poll_interval == 0.25


def test_without_configure_the_settings_come_from_the_environment(emulator, monkeypatch):
    monkeypatch.setenv(ENV_ENDPOINT, emulator.url)
    monkeypatch.setenv(ENV_TOKEN, USER_TOKEN)
    assert registry.settings().endpoint == emulator.url
    assert registry.client().user_get().role == "user"


def test_the_client_is_built_on_first_use_and_shared_afterwards(emulator, control):
    registry.configure(settings_for(emulator))
    assert all(account.client is None for account in registry._accounts.values())
    first = registry.client()
    assert registry.client() is first
    assert first.company_get().id and control.count("company/get") == 1


def test_a_resources_connection_gets_its_own_account_and_the_stacks_stays(emulator):
    stack = settings_for(emulator, **{"novaconnect:pollInterval": "0.25"})
    registry.configure(stack)
    other = Connection(endpoint=emulator.url, token=SecretStr(USER_TOKEN), lang="ru")
    with registry.using(other):
        theirs = registry.settings()
        assert (theirs.token.get_secret_value(), theirs.lang, theirs.poll_interval) == (USER_TOKEN, "ru", 0.25)
        assert registry.client().user_get().role == "user" and registry.client() is registry.client()
        assert registry.platform().settings is theirs
    assert registry.settings() is stack and registry.client().user_get().role == "admin"
    assert registry.platform().client is not registry._accounts[other].client


def test_configuring_the_same_settings_again_keeps_the_client(emulator):
    registry.configure(settings_for(emulator))
    client = registry.client()
    registry.configure(settings_for(emulator))  # the host configures once per provider type
    assert registry.client() is client


def test_new_settings_give_a_new_client_and_close_the_old_one(emulator):
    registry.configure(settings_for(emulator))
    old = registry.client()
    old.company_get()
    assert pooled_connections(old) == 1
    registry.configure(settings_for(emulator, USER_TOKEN))
    new = registry.client()
    assert new is not old and pooled_connections(old) == 0
    assert new.user_get().role == "user"


def test_a_client_without_a_token_is_refused_saying_where_to_set_it(emulator):
    registry.configure(ProviderSettings.from_lookup({"novaconnect:endpoint": emulator.url}.get))
    with pytest.raises(ConfigurationError, match="novaconnect:token"):
        registry.client()


def test_the_programs_clients_are_one_per_distinct_configuration(emulator):
    def program_client_with(config: dict) -> object:
        def run():
            pulumi_config.set_all_config(config)
            return registry.program_client()
        return contextvars.copy_context().run(run)  # the SDK keeps config in a context variable

    admin = {"novaconnect:endpoint": emulator.url, "novaconnect:token": ADMIN_TOKEN}
    reader = {"novaconnect:endpoint": emulator.url, "novaconnect:token": USER_TOKEN}
    first = program_client_with(admin)
    assert program_client_with(dict(admin)) is first
    other = program_client_with(reader)
    assert other is not first
    assert (first.user_get().role, other.user_get().role) == ("admin", "user")


def test_the_programs_client_for_a_connection_takes_its_token_and_keeps_the_stacks_other_settings(emulator):
    def program_client_for(connection) -> object:
        def run():
            pulumi_config.set_all_config({"novaconnect:endpoint": "https://stack.example/api",
                                          "novaconnect:token": ADMIN_TOKEN, "novaconnect:requestTimeout": "7"})
            return registry.program_client(connection)
        return contextvars.copy_context().run(run)

    reader = Connection(endpoint=emulator.url, token=SecretStr(USER_TOKEN))
    client = program_client_for(reader)
    assert program_client_for(Connection(endpoint=emulator.url, token=SecretStr(USER_TOKEN))) is client
    assert client.user_get().role == "user"  # the connection's account, not the stack's endpoint
    stack, = [s for s, c in registry._program_clients.items() if c is client]
    assert (stack.endpoint, stack.request_timeout) == (emulator.url, 7.0)


# -- snapshots --------------------------------------------------------------------------------

def test_every_reader_shares_one_sweep_of_the_sims(emulator, control):
    registry.configure(settings_for(emulator))
    registry.client()
    assert registry.sims() is registry.sims()
    control.clear_requests()
    sim = control.sims()[7]
    assert registry.sim(sim["iccid"]).id == sim["id"]
    assert registry.lookup(registry.sims(), ("id", sim["id"])).iccid == sim["iccid"]
    assert registry.sim("0000000000000000000") is None
    assert control.count("sim/list") == 1  # 50 SIMs: one page, read once for all three lookups


def test_invalidating_a_snapshot_makes_the_next_read_sweep_again(emulator, control):
    registry.configure(settings_for(emulator))
    sim = control.sims()[0]
    registry.sim(sim["iccid"])
    control.change_sim(sim["iccid"], name="changed by hand")
    assert registry.sim(sim["iccid"]).name == sim["name"]  # still the shared view
    registry.sims().invalidate()
    assert registry.sim(sim["iccid"]).name == "changed by hand"


def test_new_settings_reset_the_snapshots(emulator, control):
    registry.configure(settings_for(emulator))
    before = registry.sims()
    before.get()
    registry.configure(settings_for(emulator, **{"novaconnect:pollInterval": "0.5"}))
    control.clear_requests()
    assert registry.sims() is not before
    registry.sims().get()
    assert control.count("sim/list") == 1


def test_groups_by_name_and_users_by_lower_cased_email(emulator, control):
    registry.configure(settings_for(emulator))
    group = control.groups()[0]
    user = control.users()[0]
    assert registry.lookup(registry.groups(), ("name", group["name"])).id == group["id"]
    assert registry.lookup(registry.users(), ("email", user["email"].lower())).id == user["id"]
    assert registry.lookup(registry.groups(), ("name", "No such group")) is None


# -- the SIM engine's platform ------------------------------------------------------------------

def test_the_platform_is_built_from_the_registrys_parts_once_per_configuration(emulator):
    from pulumi_novaconnect.sim.platform import SYSTEM_CLOCK

    registry.configure(settings_for(emulator))
    platform = registry.platform()
    assert registry.platform() is platform
    assert (platform.client, platform.sims, platform.groups, platform.settings) == (
        registry.client(), registry.sims(), registry.groups(), registry.settings())
    assert platform.queue_latency is registry.queue_latency and platform.clock is SYSTEM_CLOCK
    assert platform.owner().role == "admin"


def test_new_settings_give_a_new_platform_on_the_new_client(emulator):
    registry.configure(settings_for(emulator))
    first = registry.platform()
    registry.configure(settings_for(emulator, **{"novaconnect:pollInterval": "0.25"}))
    second = registry.platform()
    assert second is not first and second.client is registry.client() and second.client is not first.client
    assert second.settings.poll_interval == 0.25 and second.sims is registry.sims()


# -- concurrent first use (the provider host serves four calls at once) -----------------------

def run_at_once(count: int, work) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = work()
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    if errors:
        raise errors[0]
    return results


def test_concurrent_first_use_builds_one_client(emulator):
    registry.configure(settings_for(emulator))
    clients = run_at_once(8, registry.client)
    assert len({id(c) for c in clients}) == 1 and clients[0] is registry.client()


def test_concurrent_first_reads_share_one_sweep(emulator, control):
    registry.configure(settings_for(emulator))
    control.clear_requests()
    iccids = [s["iccid"] for s in control.sims()[:8]]
    found = run_at_once(8, lambda: [registry.sim(i).iccid for i in iccids])
    assert found == [iccids] * 8
    assert control.count("sim/list") == 1


def test_concurrent_settings_without_configure_agree(emulator, monkeypatch):
    monkeypatch.setenv(ENV_ENDPOINT, emulator.url)
    monkeypatch.setenv(ENV_TOKEN, ADMIN_TOKEN)
    seen = run_at_once(8, registry.settings)
    assert len({id(s) for s in seen}) == 1 and seen[0].endpoint == emulator.url


# -- queue latency and SIM claims -------------------------------------------------------------

def test_queue_latency_first_look_is_the_poll_interval_until_something_was_learnt():
    assert registry.QueueLatency().first_look(0.2) == 0.2


def test_queue_latency_first_look_waits_for_most_of_the_recent_median():
    latency = registry.QueueLatency(window=3)
    for seconds in (1.0, 2.0, 9.0):
        latency.record(seconds)
    assert latency.first_look(0.1) == pytest.approx(1.8)
    for seconds in (0.5, 0.5, 0.5):  # older waits fall out of the window
        latency.record(seconds)
    assert latency.first_look(0.1) == pytest.approx(0.45)
    assert latency.first_look(1.0) == 1.0  # never sooner than the poll interval


def test_queue_latency_learns_from_waits_recorded_on_many_threads():
    latency = registry.QueueLatency(window=1000)
    run_at_once(8, lambda: [latency.record(2.0) for _ in range(100)])
    assert latency.first_look(0.1) == pytest.approx(1.8)
    assert len(latency._seen) == 800


def test_a_sim_claimed_by_another_resource_is_reported_with_its_owner():
    claims = registry.Claims()
    assert claims.claim("fleet-a", ["8997001", "8997002"]) == {}
    assert claims.claim("pump", ["8997002", "8997003"]) == {"8997002": "fleet-a"}
    # fleet-a lets go of 8997002: its new claim replaces the old one
    assert claims.claim("fleet-a", ["8997001"]) == {}
    assert claims.claim("pump", ["8997002", "8997003"]) == {}


def test_concurrent_claims_of_one_sim_leave_exactly_one_owner():
    claims = registry.Claims()
    owners = [f"res-{i}" for i in range(8)]
    lock = threading.Lock()
    pending = list(owners)

    def claim() -> dict:
        with lock:
            owner = pending.pop()
        return claims.claim(owner, ["8997001"])

    results = run_at_once(8, claim)
    assert sum(1 for r in results if r == {}) == 1
    winners = {r["8997001"] for r in results if r}
    assert len(winners) == 1 and winners <= set(owners)
