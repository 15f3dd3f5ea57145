"""Provider hosts forked from the fork server (host_forkserver) are what `python -u -m
pulumi.dynamic` would be: the same process as the SDK's host sees itself, its own folder,
environment and pipes, nothing carried from one host to the next, the same exit statuses;
and hosts the server cannot stand for are started the ordinary way."""
from __future__ import annotations

import os
import signal
import sys

import pytest

from pulumi_novaconnect.testing import host_forkserver
from pulumi_novaconnect.testing.provider_host import ProviderHost, make_urn, provider_property
from tests.harness_tests.process_facts import TYPE, FactsProvider

PROVIDER = provider_property(FactsProvider())


def facts(host: ProviderHost) -> dict:
    _, outs = host.create(make_urn("dev", "facts", TYPE, "p"), PROVIDER)
    return outs["facts"]


def run_host(tmp_path, *, forked: bool, monkeypatch) -> tuple[dict, dict, ProviderHost]:
    """Facts of two creates in one host and of one in the next host, and the first host."""
    if not forked:
        monkeypatch.setenv(host_forkserver.SWITCH, "0")
    first = ProviderHost(env={"FACTS_MARKER": "first", "PULUMI_PROJECT": "facts"}, cwd=str(tmp_path)).start()
    try:
        assert isinstance(first.process, host_forkserver.ForkedProcess) is forked
        one, two = facts(first), facts(first)
        assert (one["creates"], two["creates"]) == (1, 2)
    finally:
        first.stop()
    with ProviderHost(env={"FACTS_MARKER": "second"}) as second:
        after = facts(second)
    monkeypatch.delenv(host_forkserver.SWITCH, raising=False)
    return one, after, first


FORKED = pytest.mark.skipif(not host_forkserver.enabled(sys.executable),
                            reason=f"hosts are not forked here (Linux only; {host_forkserver.SWITCH}=0 turns it off)")


@FORKED
def test_a_forked_host_is_the_process_python_m_pulumi_dynamic_would_be(tmp_path, monkeypatch):
    forked, forked_next, forked_host = run_host(tmp_path, forked=True, monkeypatch=monkeypatch)
    started, started_next, started_host = run_host(tmp_path, forked=False, monkeypatch=monkeypatch)
    assert forked["pid"] != os.getpid() and forked["pid"] != forked_next["pid"]
    for one in (forked, started):
        assert one["cwd"] == one["path0"] == str(tmp_path)
        assert (one["marker"], one["project"]) == ("first", "facts")
        assert one["main"] == "pulumi.dynamic.__main__" and one["argv"] == [one["main_file"]]
        assert one["errors_display_installed"] is True  # the package imported under the SDK's main module
        assert one["fds"] == ["char", "fifo", "fifo"]  # stdin /dev/null, stdout and stderr pipes
    # The next host shares nothing with the first: its own environment, its counters from 0.
    for after in (forked_next, started_next):
        assert (after["creates"], after["marker"], after.get("project")) == (1, "second", None)
    assert {k: v for k, v in forked.items() if k != "pid"} == {k: v for k, v in started.items() if k != "pid"}
    # What the provider printed reaches the host's own pipes either way.
    for host in (forked_host, started_host):
        assert "facts to stdout" in host.stdout_text and "facts to stderr" in host.stderr_text


@FORKED
@pytest.mark.parametrize("forked", [True, False], ids=["forked", "started"])
def test_killed_and_stopped_hosts_end_with_the_statuses_of_a_started_one(forked, monkeypatch):
    if not forked:
        monkeypatch.setenv(host_forkserver.SWITCH, "0")
    killed = ProviderHost().start()
    assert isinstance(killed.process, host_forkserver.ForkedProcess) is forked
    process = killed.process
    killed.kill()
    assert process.wait(timeout=10) == -signal.SIGKILL
    killed.stop()
    stopped = ProviderHost().start()
    process = stopped.process
    assert process.poll() is None
    stopped.stop()
    assert process.returncode == -signal.SIGTERM


def test_a_host_of_other_start_up_variables_or_another_python_is_not_forked_from_this_server(tmp_path):
    with ProviderHost() as usual, ProviderHost(env={"PYTHONPATH": str(tmp_path)}) as other:
        # Forked from a server started with that PYTHONPATH (or started itself): the folder is
        # on its path, as on the path of `PYTHONPATH=... python -m pulumi.dynamic`.
        assert str(tmp_path) in facts(other)["path"]
        assert str(tmp_path) not in facts(usual)["path"]
    assert not host_forkserver.enabled(str(tmp_path / "python"))
