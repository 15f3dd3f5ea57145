"""What the export's tests share: the command pointed at the shared emulator."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.testing import ADMIN_TOKEN


@pytest.fixture()
def env(emulator, monkeypatch):
    """``NOVACONNECT_ENDPOINT`` and an administrator's ``NOVACONNECT_TOKEN`` for the emulator."""
    monkeypatch.setenv("NOVACONNECT_ENDPOINT", emulator.url)
    monkeypatch.setenv("NOVACONNECT_TOKEN", ADMIN_TOKEN)
    return emulator


def error_line(err: str) -> str:
    """The one line the command printed on stderr, after checking it is one bounded line."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("novaconnect-export: ") and "Traceback" not in err
    assert len(lines[0]) <= 620, lines[0]
    return lines[0]
