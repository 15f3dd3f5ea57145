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


def pytest_collection_modifyitems(config, items):
    """The longest tests (marked ``slow``) go first: started while every worker is busy, they
    do not leave one worker finishing the last of them after the others are done. The sort
    is stable, so every other test keeps its place relative to the rest."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


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
