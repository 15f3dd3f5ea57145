"""Fixtures shared by every test: a live emulator over real HTTP."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.emulator import Emulator

ADMIN_TOKEN = "admin-token"
USER_TOKEN = "user-token"


@pytest.fixture(scope="session")
def emulator_server():
    """One emulator process-wide, serving on a free port in a thread."""
    emu = Emulator(sims=50, seed=1, admin_token=ADMIN_TOKEN, user_token=USER_TOKEN, queue_delay=0.05)
    emu.start()
    yield emu
    emu.stop()


@pytest.fixture()
def emulator(emulator_server):
    """The shared emulator, reset to its seeded fleet before each test."""
    emulator_server.reset()
    yield emulator_server
