"""Every configuration key from each of its sources (stack config, environment, default),
seen through the real provider host's Configure and a real call against the emulator; and
every malformed value refused at configure, before any call, naming the key."""
from __future__ import annotations

import re
import socketserver
import threading
import time
from typing import Any, Optional

import pytest

from pulumi_novaconnect.provider.config import ENVIRONMENT
from pulumi_novaconnect.testing.provider_host import ProviderError, secret
from tests.conftest import ADMIN_TOKEN

from .conftest import Managed

SOURCES = ("config", "environment", "default")
CYRILLIC = re.compile("[а-яА-Я]")


def provided(key: str, value: str, source: str) -> tuple[dict[str, Any], dict[str, str]]:
    """(stack config, environment) that give ``key`` the ``value`` through ``source``."""
    if source == "config":
        return {f"novaconnect:{key}": secret(value) if key == "token" else value}, {}
    if source == "environment":
        return {}, {ENVIRONMENT[key]: value}
    return {}, {}


@pytest.fixture()
def host_with(start_host, emulator):
    """A configured host: endpoint and admin token in the stack config unless a test says otherwise."""

    def make(config: Optional[dict[str, Any]] = None, env: Optional[dict[str, str]] = None, *, base: bool = True):
        full = {"novaconnect:endpoint": emulator.url, "novaconnect:token": secret(ADMIN_TOKEN)} if base else {}
        full.update(config or {})
        host = start_host(env=env)
        host.configure(full)
        return host

    return make


def create_group(host, name: str = "Configured") -> dict[str, Any]:
    return Managed(host, "Group", "g").create({"name": name, "adopt": False})


def group_exists(platform, name: str = "Configured") -> bool:
    return any(g["name"] == name for g in platform.state()["groups"])


def tc_sims(platform, count: int) -> list[dict]:
    return [s for s in platform.state()["sims"] if s["profile"] == "TC" and s["block"] == "n"][:count]


def set_limit(host, iccid: str, mb: int) -> dict[str, Any]:
    return Managed(host, "SimConfig", "pump").create(
        {"iccid": iccid, "limit": {"type": "month1", "value_mb": mb}, "on_delete": "retain"}
    )


# -- endpoint -------------------------------------------------------------------------------


class _ConnectRecorder(socketserver.ThreadingTCPServer):
    """An HTTPS proxy on 127.0.0.1 that records where each CONNECT goes and refuses it, so a
    request to the default endpoint is seen without reaching the real platform."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        self.targets: list[str] = []
        recorder = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                line = self.rfile.readline().decode("latin-1")
                while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                recorder.targets.append(line.split(" ")[1] if " " in line else line)
                self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture()
def proxy():
    server = _ConnectRecorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("source", ["config", "environment"])
def test_endpoint_from_each_source_is_where_calls_go(host_with, emulator, platform, source):
    config, env = provided("endpoint", emulator.url, source)
    host = host_with({**config, "novaconnect:token": secret(ADMIN_TOKEN)}, env, base=False)
    create_group(host)
    assert group_exists(platform)


def test_endpoint_defaults_to_the_real_platform(host_with, proxy):
    host = host_with(
        {"novaconnect:token": secret(ADMIN_TOKEN)}, {"HTTPS_PROXY": proxy.url, "https_proxy": proxy.url}, base=False
    )
    with pytest.raises(ProviderError):
        create_group(host)
    assert proxy.targets and set(proxy.targets) == {"api.novaconnect.kz:443"}


def test_stack_config_wins_over_the_environment(host_with, emulator, platform):
    host = host_with(
        {"novaconnect:endpoint": emulator.url, "novaconnect:pollInterval": "0.05"},
        {"NOVACONNECT_ENDPOINT": "http://127.0.0.1:9/api", "NOVACONNECT_POLL_INTERVAL": "often"},
    )
    create_group(host)
    assert group_exists(platform)


def test_an_endpoint_without_api_is_named_as_wrong_with_the_url_it_should_be(host_with, emulator, platform):
    site = emulator.url.removesuffix("/api")
    host = host_with({"novaconnect:endpoint": site})
    started = time.monotonic()
    with pytest.raises(ProviderError) as err:
        create_group(host)
    last = err.value.message.strip().splitlines()[-1]
    assert f"the endpoint {site} looks wrong" in last and f"like {site}/api" in last, last
    assert "novaconnect:endpoint" in last and "pulumi refresh" not in err.value.message
    assert time.monotonic() - started < 3  # not retried: nothing was done
    assert not group_exists(platform)


def test_a_delete_through_an_endpoint_without_api_fails_instead_of_passing_as_already_gone(
        host_with, emulator, platform):
    group = Managed(host_with(), "Group", "g")
    group.create({"name": "Configured", "adopt": False})
    group.host = host_with({"novaconnect:endpoint": emulator.url.removesuffix("/api")})
    with pytest.raises(ProviderError) as err:
        group.delete()
    assert "looks wrong" in err.value.message
    assert group_exists(platform)  # a 404 from the wrong address does not mean the group is gone


# -- keys nobody reads ----------------------------------------------------------------------


def warnings_of(host) -> list[str]:
    host.stop()
    return [line for line in host.stderr_text.splitlines() if line.startswith("warning: ")]


def test_a_misspelt_key_is_a_warning_naming_the_closest_known_key(host_with, emulator, platform):
    host = host_with({"novaconnect:endpiont": "http://127.0.0.1:9/api", "novaconnect:poll_interval": "0.05",
                      "novaconect:token": "x", "novaconnect:colour": "blue", "contract:unrelated": "v"})
    create_group(host)  # still works: a warning, not an error
    Managed(host, "User", "u").check({"first_name": "A", "last_name": "B", "email": "a@b.kz", "phone": "1"})
    assert warnings_of(host) == [  # once each, though two provider types were configured
        "warning: novaconect:token is ignored: pulumi-novaconnect reads the namespace novaconnect, "
        "did you mean novaconnect:token?",
        "warning: novaconnect:colour is not a setting of pulumi-novaconnect, so it is ignored: the settings are "
        "endpoint, token, lang, convergeTimeout, pollInterval, maxBatch, requestTimeout, maxChanges, maxBlocks, "
        "maxReleases, criticalSims, reviewDir, impactLines",
        "warning: novaconnect:endpiont is not a setting of pulumi-novaconnect, so it is ignored: "
        "did you mean novaconnect:endpoint?",
        "warning: novaconnect:poll_interval is not a setting of pulumi-novaconnect, so it is ignored: "
        "did you mean novaconnect:pollInterval?",
    ]


def test_known_keys_and_other_namespaces_warn_of_nothing(host_with):
    host = host_with({"novaconnect:pollInterval": "0.05", "contract:endpoint": "mine", "aws:region": "eu-west-1"})
    create_group(host)
    assert warnings_of(host) == []


# -- token ----------------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["config", "environment"])
def test_token_from_each_source_authenticates(host_with, emulator, platform, source):
    config, env = provided("token", ADMIN_TOKEN, source)
    host = host_with({"novaconnect:endpoint": emulator.url, **config}, env, base=False)
    create_group(host)
    assert group_exists(platform)


def test_no_token_anywhere_is_an_error_naming_the_key_and_the_variable(host_with, emulator, platform):
    host = host_with({"novaconnect:endpoint": emulator.url}, base=False)
    with pytest.raises(ProviderError) as err:
        create_group(host)
    assert "novaconnect:token" in err.value.message and "NOVACONNECT_TOKEN" in err.value.message
    assert not group_exists(platform)


# -- lang -----------------------------------------------------------------------------------


@pytest.mark.parametrize("source", SOURCES)
def test_lang_from_each_source_is_the_language_of_the_platform_messages(host_with, emulator, platform, source):
    config, env = provided("lang", "ru", source)
    host = host_with(config, env)
    # The platform refuses group/create (a fault with no text of its own): its message is the
    # text whose language the setting chooses.
    platform.fault("group/create", status=422, times=1)
    group = Managed(host, "Group", "g")
    with pytest.raises(ProviderError) as err:
        host.create(group.urn, group.props({"name": "Configured", "adopt": False}))
    russian = bool(CYRILLIC.search(err.value.message))
    assert russian is (source != "default"), err.value.message


# -- convergeTimeout ------------------------------------------------------------------------


@pytest.mark.parametrize("source", ["config", "environment"])
def test_converge_timeout_from_each_source_bounds_the_wait(host_with, platform, source):
    config, env = provided("convergeTimeout", "1", source)
    host = host_with(config, env)
    [sim] = tc_sims(platform, 1)
    platform.fault(method="sim/limit", queue="never")
    started = time.monotonic()
    with pytest.raises(ProviderError) as err:
        set_limit(host, sim["iccid"], 77)
    assert time.monotonic() - started < 15
    assert "after 1 s (novaconnect:convergeTimeout)" in err.value.message


def test_converge_timeout_defaults_to_300_seconds(host_with, platform):
    host = host_with()
    [sim] = tc_sims(platform, 1)
    platform.fault(method="sim/limit", queue="never")
    call = threading.Thread(target=lambda: pytest.raises(ProviderError, set_limit, host, sim["iccid"], 77), daemon=True)
    call.start()
    deadline = time.monotonic() + 30
    while "s of 300 s" not in host.stderr_text and time.monotonic() < deadline:
        time.sleep(0.2)
    host.stop()  # the wait would last five minutes
    assert re.search(rf"waiting for SIM {sim['iccid']} \(limit\) .*, \d+ s of 300 s", host.stderr_text), host.stderr_text


# -- pollInterval ---------------------------------------------------------------------------


def looks_during_a_one_second_wait(host, platform) -> int:
    """sim/list calls made by a create whose queued change never shows (1 s convergeTimeout)."""
    [sim] = tc_sims(platform, 1)
    platform.fault(method="sim/limit", queue="never")
    platform.clear_requests()
    with pytest.raises(ProviderError):
        set_limit(host, sim["iccid"], 66)
    return platform.count("sim/list")


@pytest.mark.parametrize("source", ["config", "environment"])
def test_poll_interval_from_each_source_spaces_the_looks(host_with, platform, source):
    config, env = provided("pollInterval", "1", source)  # as long as the whole wait
    host = host_with({"novaconnect:convergeTimeout": "1", **config}, env)
    assert looks_during_a_one_second_wait(host, platform) <= 4


def test_poll_interval_defaults_to_a_tenth_of_the_timeout_at_most_a_second(host_with, platform):
    host = host_with({"novaconnect:convergeTimeout": "1"})  # 0.1 s between looks
    assert looks_during_a_one_second_wait(host, platform) >= 6


# -- maxBatch -------------------------------------------------------------------------------


@pytest.mark.parametrize("source", SOURCES)
def test_max_batch_from_each_source_splits_fleet_calls(host_with, platform, source):
    config, env = provided("maxBatch", "4", source)
    host = host_with({"novaconnect:convergeTimeout": "10", "novaconnect:pollInterval": "0.05", **config}, env)
    sims = tc_sims(platform, 10)
    platform.clear_requests()
    Managed(host, "SimFleet", "meters").create(
        {"sims": {s["iccid"]: {"limit": {"type": "month1", "value_mb": 64}} for s in sims},
         "on_delete": "retain", "__name": "SimFleet 'meters'"}
    )
    sizes = sorted(len(call["body"]["items"]) for call in platform.requests("sim/limit"))
    assert sizes == ([10] if source == "default" else [2, 4, 4])
    assert all(platform.sim(s["iccid"])["limit"]["value"] == 64 for s in sims)


# -- malformed values -----------------------------------------------------------------------


def first_call_error(host_with, config=None, env=None) -> ProviderError:
    host = host_with(config, env)
    with pytest.raises(ProviderError) as err:
        create_group(host)
    return err.value


def test_a_word_for_the_poll_interval_is_refused_naming_key_form_and_value(host_with, platform):
    err = first_call_error(host_with, {"novaconnect:pollInterval": "often"})
    assert 'novaconnect:pollInterval must be a number of seconds greater than 0, got "often"' in err.message
    assert "NOVACONNECT_POLL_INTERVAL" in err.message and "ValueError" not in str(err)
    assert not group_exists(platform)


@pytest.mark.parametrize("key,value", [("pollInterval", "-1"), ("convergeTimeout", "0"), ("maxBatch", "2.5"),
                                       ("maxBatch", "0"), ("lang", "de"), ("convergeTimeout", "nan"),
                                       ("requestTimeout", "-5")])
def test_out_of_range_values_are_refused_from_config_and_environment(host_with, platform, key, value):
    for config, env in (provided(key, value, "config"), provided(key, value, "environment")):
        err = first_call_error(host_with, config, env)
        assert f"novaconnect:{key} must be" in err.message and f'got "{value}"' in err.message
        assert ENVIRONMENT[key] in err.message
    assert not group_exists(platform)


@pytest.mark.parametrize("endpoint", ["not a url", "ftp://api.novaconnect.kz/api", "https:///api", "127.0.0.1:8765/api"])
def test_a_malformed_endpoint_fails_at_once_without_retries(host_with, endpoint):
    host = host_with({"novaconnect:endpoint": endpoint})
    started = time.monotonic()
    with pytest.raises(ProviderError) as err:
        create_group(host)
    assert time.monotonic() - started < 3  # five retried attempts would take several seconds
    assert f'novaconnect:endpoint must be an http:// or https:// URL with a host' in err.value.message
    # An expected error reaches the engine as its one-line message, not as a traceback.
    assert f'got "{endpoint}"' in err.value.message and "Traceback" not in str(err.value)


def test_every_problem_is_reported_at_once_from_the_environment(host_with):
    err = first_call_error(host_with, env={"NOVACONNECT_MAX_BATCH": "many", "NOVACONNECT_LANG": "kz"})
    assert 'novaconnect:maxBatch must be a whole number of SIMs, at least 1, got "many" (from the environment ' \
           "variable NOVACONNECT_MAX_BATCH)" in err.message
    assert 'novaconnect:lang must be "en" or "ru", got "kz"' in err.message


def test_a_token_with_a_line_break_is_refused_without_showing_it(host_with):
    err = first_call_error(host_with, {"novaconnect:token": secret("pasted-token\n")})
    assert "novaconnect:token must be an API token without spaces or line breaks" in err.message
    assert "pasted-token" not in str(err)


# -- data sources: the same settings, read in the program's process -------------------------


@pytest.fixture()
def program_config(monkeypatch):
    from pulumi.runtime import config as runtime_config

    for key in ENVIRONMENT.values():
        monkeypatch.delenv(key, raising=False)

    def set_config(values: dict[str, str]) -> None:
        runtime_config.set_all_config(values, secret_keys=["novaconnect:token"])

    yield set_config
    runtime_config.set_all_config({})


def test_data_sources_refuse_the_same_values_with_the_same_text(program_config, emulator):
    import pulumi_novaconnect as nc
    from pulumi_novaconnect.errors import ConfigurationError

    program_config({"novaconnect:endpoint": emulator.url, "novaconnect:token": ADMIN_TOKEN,
                    "novaconnect:pollInterval": "often"})
    with pytest.raises(ConfigurationError, match='novaconnect:pollInterval must be a number of seconds greater than 0, '
                                                 'got "often"'):
        nc.get_sims()


def test_data_sources_warn_of_a_misspelt_key_in_the_programs_process(program_config, emulator, monkeypatch):
    import pulumi

    import pulumi_novaconnect as nc
    from pulumi_novaconnect.provider import config as settings_module

    # What reaches the engine's warning channel (pulumi.log.warn), once per process.
    warned: list[str] = []
    monkeypatch.setattr(pulumi.log, "warn", lambda message, *args, **kwargs: warned.append(message))
    monkeypatch.setattr(settings_module, "_warned", set())
    program_config({"novaconnect:endpoint": emulator.url, "novaconnect:token": ADMIN_TOKEN,
                    "novaconnect:requestTimout": "5"})
    nc.get_groups()
    nc.get_groups()
    assert warned == ["novaconnect:requestTimout is not a setting of pulumi-novaconnect, so it is ignored: "
                      "did you mean novaconnect:requestTimeout?"]


def test_data_sources_read_endpoint_and_token_from_the_environment_alone(program_config, emulator, monkeypatch):
    import pulumi_novaconnect as nc

    program_config({})
    monkeypatch.setenv("NOVACONNECT_ENDPOINT", emulator.url)
    monkeypatch.setenv("NOVACONNECT_TOKEN", ADMIN_TOKEN)
    assert len(nc.get_sims().sims) == 50
