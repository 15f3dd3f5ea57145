"""Fixtures for the testing module's own tests."""
from __future__ import annotations

import pytest


@pytest.fixture()
def control(novaconnect_control):
    return novaconnect_control
