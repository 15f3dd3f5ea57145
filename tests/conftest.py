"""Fixtures shared by every test: a live emulator over real HTTP.

They build on the package's own pytest plugin (`pulumi_novaconnect.testing.pytest_plugin`),
so our suite exercises the fixtures users get: one emulator per session, reset before each
test. The names here are the suite's short ones for the same things.
"""
from __future__ import annotations

import asyncio
import os

import pulumi
import pytest
from pulumi.runtime import config as runtime_config

from pulumi_novaconnect.testing import ADMIN_TOKEN, USER_TOKEN  # noqa: F401  (re-exported for tests)

# pytester runs users' test files against the plugin (tests/testing). pytest accepts
# `pytest_plugins` only in the top-level conftest, hence here.
pytest_plugins = ["pytester"]


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config):
    """``-n auto`` (pyproject.toml) starts two workers per core: a test spends most of its time
    waiting on other processes (the provider host, the Pulumi CLI, the emulator's queue, the
    client's backoff between retries), so one worker per core would leave the cores idle for
    much of the run. ``PYTEST_XDIST_AUTO_NUM_WORKERS`` still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return 2 * (os.cpu_count() or 1)


@pytest.hookimpl(optionalhook=True, tryfirst=True)
def pytest_xdist_make_scheduler(config, log):
    """Under ``-n``, the default ``--dist load`` becomes work stealing: xdist's load scheduler
    hands each worker batches of tests that stay its own, so a worker whose batch held the
    heavy rows of the fault matrix ran for most of a minute after the others had stopped.
    Each worker starts on an equal, consecutive share of the tests (see
    pytest_collection_modifyitems); one that runs out takes half of the longest queue left.
    Any other ``--dist`` is honoured."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import WorkStealingScheduling

    return WorkStealingScheduling(config, log)


def pytest_collection_modifyitems(config, items):
    """The longest tests (marked ``slow``) go first, so that they are not the last to finish
    while the other workers are idle. Under ``-n`` (work stealing, above) each worker first
    gets an equal share of consecutive tests, so the slow ones are dealt out, a file at a
    time (a file's module fixture, such as the release build, is then made once), to the
    head of every worker's share; in one process they simply come first. Every other test
    keeps its place relative to the rest."""
    slow = [item for item in items if item.get_closest_marker("slow") is not None]
    rest = [item for item in items if item.get_closest_marker("slow") is None]
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    # The shares work stealing starts from: of the n tests left, the next worker gets n // (workers left).
    shares, left = [], len(items)
    for taken in range(workers):
        shares.append(left // (workers - taken))
        left -= shares[-1]
    files: dict[str, list] = {}
    for item in slow:
        files.setdefault(str(item.fspath), []).append(item)
    heads: list[list] = [[] for _ in range(workers)]
    for n, tests in enumerate(files.values()):
        heads[n % workers] += tests
    if workers < 2 or any(len(head) > share for head, share in zip(heads, shares)):
        items[:] = slow + rest
        return
    ordered, others = [], iter(rest)
    for head, share in zip(heads, shares):
        ordered += head + [next(others) for _ in range(share - len(head))]
    items[:] = ordered + list(others)


@pytest.fixture(scope="session")
def emulator_server(novaconnect_emulator_server):
    """One emulator process-wide, serving on a free port in a thread (50 SIMs, seed 1,
    50 ms queue delay)."""
    return novaconnect_emulator_server


@pytest.fixture()
def emulator(novaconnect_emulator):
    """The shared emulator, reset to its seeded fleet before each test."""
    return novaconnect_emulator


@pytest.fixture()
def program_config(emulator, monkeypatch, novaconnect_control):
    """The configuration a program's own process sees (where data sources run): the
    emulator and its read-only token, nothing from the environment. Yields the emulator's
    control surface with its request log cleared."""
    for key in ("NOVACONNECT_ENDPOINT", "NOVACONNECT_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    runtime_config.set_all_config(
        {"novaconnect:endpoint": emulator.url, "novaconnect:token": USER_TOKEN}, secret_keys=["novaconnect:token"]
    )
    novaconnect_control.clear_requests()
    yield novaconnect_control
    runtime_config.set_all_config({})


class _EchoMocks(pulumi.runtime.Mocks):
    """Resources answer with their inputs; no invoke is made by our data sources."""

    def new_resource(self, args):
        return args.name + "-id", args.inputs

    def call(self, args):
        return {}


@pytest.fixture()
def program_mocks():
    """Run ``@pulumi.runtime.test`` programs in this process, as data-source tests need."""
    # The SDK runs programs on the current event loop; earlier tests may have closed theirs.
    asyncio.set_event_loop(asyncio.new_event_loop())
    pulumi.runtime.set_mocks(_EchoMocks(), preview=False)
