"""Fixtures for the harness's own tests: a toy provider whose "cloud" is a JSON file."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:  # the toy must be importable as tests.harness_tests.toy (dill pickles by reference)
    sys.path.insert(0, str(REPO_ROOT))

from pulumi_novaconnect.testing.program_runner import ProgramRunner  # noqa: E402
from pulumi_novaconnect.testing.provider_host import ProviderHost  # noqa: E402
from tests.harness_tests.toy import ToyStore  # noqa: E402


@pytest.fixture()
def store(tmp_path) -> ToyStore:
    return ToyStore(tmp_path / "toy-cloud.json")


@pytest.fixture()
def host(store):
    with ProviderHost() as h:
        h.configure({"toy:path": str(store.path)})
        yield h


@pytest.fixture()
def make_runner(tmp_path, store):
    def make(program, **kwargs) -> ProgramRunner:
        config = {"toy:path": str(store.path), **kwargs.pop("config", {})}
        return ProgramRunner(program, config=config, state_path=tmp_path / "state.json", **kwargs)

    return make
