"""The provider host driver, against the toy provider in a real `python -m pulumi.dynamic`."""
from __future__ import annotations

import threading
import time

import pytest

from pulumi_novaconnect.testing.provider_host import (
    PROVIDER_KEY,
    UNKNOWN,
    ProviderError,
    ProviderHost,
    is_unknown,
    make_urn,
    provider_property,
    secret,
)
from tests.harness_tests.toy import ITEM_TYPE, ToyProvider

PROVIDER = provider_property(ToyProvider())


def urn(name: str) -> str:
    return make_urn("dev", "test", ITEM_TYPE, name)


def props(**values):
    return {**PROVIDER, **values}


def test_make_urn_has_the_engine_layout():
    assert make_urn("dev", "proj", "pulumi-python:dynamic/toy:Item", "a") == (
        "urn:pulumi:dev::proj::pulumi-python:dynamic/toy:Item::a"
    )


def test_configured_host_serves_create_read_diff_update_delete(host, store):
    checked = host.check(urn("a"), {}, props(name="a", size=5))
    assert checked.failures == []
    assert checked.inputs[PROVIDER_KEY] == PROVIDER[PROVIDER_KEY]

    item_id, outs = host.create(urn("a"), checked.inputs)
    assert item_id == "item-1"
    assert outs["size"] == 5.0 and outs["serial"] == 1.0  # numbers come back as floats
    assert store.items()[item_id]["name"] == "a"

    read_id, read_outs, read_inputs = host.read(urn("a"), item_id, outs, inputs=checked.inputs)
    assert read_id == item_id and read_outs["serial"] == 1.0
    assert read_inputs == {PROVIDER_KEY: PROVIDER[PROVIDER_KEY], "name": "a", "size": 5.0}

    assert host.diff(urn("a"), item_id, outs, props(name="a", size=5)).changes is False
    diff = host.diff(urn("a"), item_id, outs, props(name="a", size=6))
    assert (diff.changes, diff.replaces) == (True, [])
    assert host.diff(urn("a"), item_id, outs, props(name="a", size=5, kind="big")).replaces == ["kind"]

    new_outs = host.update(urn("a"), item_id, outs, props(name="a", size=6))
    assert new_outs["size"] == 6.0 and store.items()[item_id]["size"] == 6

    host.delete(urn("a"), item_id, new_outs)
    assert store.items() == {}
    gone_id, _, gone_inputs = host.read(urn("a"), item_id, new_outs)
    assert gone_id == "" and gone_inputs is None


def test_check_failures_come_back_as_property_and_reason(host):
    assert host.check(urn("a"), {}, props(name="a", size=-1)).failures == [("size", "size must be >= 0")]


def test_unknown_inputs_survive_check_and_count_as_changes_in_diff(host):
    checked = host.check(urn("a"), {}, props(name="a", size=UNKNOWN))
    assert checked.failures == []
    assert is_unknown(checked.inputs["size"])

    item_id, outs = host.create(urn("a"), props(name="a", size=1))
    diff = host.diff(urn("a"), item_id, outs, checked.inputs)
    assert diff.changes is True


def test_secret_values_reach_the_provider_unwrapped(store):
    with ProviderHost() as h:
        h.configure({"toy:path": secret(str(store.path))})  # Configure unwraps secrets itself
        _, outs = h.create(urn("a"), props(name=secret("a"), size=1))  # CRUD calls get stripped values
    assert outs["name"] == "a"
    assert store.by_name("a")["size"] == 1


def test_four_concurrent_calls_run_in_parallel(host, store):
    results, errors = [], []

    def create(n: int) -> None:
        try:
            results.append(host.create(urn(f"i{n}"), props(name=f"i{n}", delay=0.6)))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(n,)) for n in range(4)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started

    assert errors == []
    assert sorted(i for i, _ in results) == ["item-1", "item-2", "item-3", "item-4"]
    assert len(store.items()) == 4
    assert elapsed < 1.8, f"4 calls of 0.6 s took {elapsed:.2f} s: they did not overlap"


def test_provider_exception_surfaces_its_message_and_grpc_status(host, store):
    store.fail("doomed")
    with pytest.raises(ProviderError) as caught:
        host.create(urn("doomed"), props(name="doomed"))
    err = caught.value
    assert err.method == "Create"
    assert err.code.name == "UNKNOWN"
    assert err.message == "RuntimeError: toy: injected failure: cannot create item 'doomed'"
    assert "Traceback" in str(err) and "UNKNOWN" in str(err)
    assert str(err).splitlines()[-1] == err.message


def test_host_stderr_is_kept_for_log_assertions(store):
    with ProviderHost() as h:
        h.configure({"toy:path": str(store.path), "toy:token": secret("tok-s3cr3t")})
        h.create(urn("a"), props(name="a"))
    assert "toy: configured with ['toy:path', 'toy:token']" in h.stderr_text
    assert "tok-s3cr3t" not in h.stderr_text
    assert h.process is None


def test_host_that_exits_before_announcing_a_port_raises_with_its_stderr():
    with pytest.raises(RuntimeError, match="did not announce a port"):
        ProviderHost(env={"PYTHONPATH": "/nonexistent"}, python="/bin/false").start()


def test_a_killed_host_fails_the_next_call_as_unavailable_and_stop_still_tidies_up(store):
    host = ProviderHost().start()
    host.configure({"toy:path": str(store.path)})
    pid = host.process.pid
    host.kill()
    host.process.wait(timeout=10)
    assert host.process.returncode == -9  # SIGKILL: nothing of the provider ran on the way out
    with pytest.raises(ProviderError) as err:
        host.check(urn("a"), {}, props(value="x"))
    assert err.value.code.name == "UNAVAILABLE"
    host.stop()
    assert host.process is None and pid
