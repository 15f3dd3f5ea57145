"""Fixtures shared by every test: a live emulator over real HTTP.

They build on the package's own pytest plugin (`pulumi_novaconnect.testing.pytest_plugin`),
so our suite exercises the fixtures users get: one emulator per session, reset before each
test. The names here are the suite's short ones for the same things.
"""
from __future__ import annotations

import pytest

from pulumi_novaconnect.testing import ADMIN_TOKEN, USER_TOKEN  # noqa: F401  (re-exported for tests)

# pytester runs users' test files against the plugin (tests/testing). pytest accepts
# `pytest_plugins` only in the top-level conftest, hence here.
pytest_plugins = ["pytester"]


@pytest.fixture(scope="session")
def emulator_server(novaconnect_emulator_server):
    """One emulator process-wide, serving on a free port in a thread (50 SIMs, seed 1,
    50 ms queue delay)."""
    return novaconnect_emulator_server


@pytest.fixture()
def emulator(novaconnect_emulator):
    """The shared emulator, reset to its seeded fleet before each test."""
    return novaconnect_emulator
