"""pytest fixtures to test Pulumi programs of NovaConnect resources against the local emulator.

Installed with the package and loaded by pytest through the ``pytest11`` entry point, so a
user's test file needs no import and no conftest to get:

- ``novaconnect_emulator``: an emulator serving on a free loopback port, started once per
  test session and reset to its seeded fleet before every test (under ``pytest -n``, each
  pytest-xdist worker is a session of its own, with its own emulator on its own port);
- ``novaconnect_control``: an :class:`~pulumi_novaconnect.testing.EmulatorControl` on it;
- ``novaconnect_config``: the Pulumi configuration that points a program at it;
- ``novaconnect_program``: ``novaconnect_program(program, **config)`` gives a
  :class:`~pulumi_novaconnect.testing.ProgramRunner` bound to it, with its own state file
  (``preview()``, ``up()``, ``refresh()``, ``destroy()``, ``load_state()``, ``resource(name)``);
- ``novaconnect_cli``: ``novaconnect_cli(project_folder, **config)`` gives its twin, a
  :class:`~pulumi_novaconnect.testing.PulumiCLI` that runs the real ``pulumi`` on a copy of
  the project, hermetically (file backend, passphrase secrets, nothing downloaded). Where no
  ``pulumi`` is found the test is skipped with the reason; under ``CI=true`` it fails instead,
  so a CI job cannot pass without the CLI it was meant to run.

Every name starts with ``novaconnect_`` so it cannot clash with a project's own fixtures.
The fleet is chosen per session by overriding ``novaconnect_emulator_options`` and per test
with ``@pytest.mark.novaconnect(sims=..., seed=..., queue_delay=...)``.

Nothing heavy is imported at module level: pytest loads this plugin in every session of a
project that has the package installed, and the emulator (with its web framework) is only
imported once a test asks for it.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Iterator, Optional

import pytest

MARKER = "novaconnect"

DEFAULT_OPTIONS = {"sims": 50, "seed": 1, "queue_delay": 0.05}
"""A 50-SIM fleet, and queued SIM changes applied after 50 ms instead of the platform's
seconds, so a test's `up` waits briefly."""

FAST_CONVERGENCE = {"novaconnect:convergeTimeout": "20", "novaconnect:pollInterval": "0.05"}
"""Against the emulator's short queue delay a wait needs seconds, not the default five minutes."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(sims=None, seed=None, queue_delay=None): the emulator fleet (size, seed) and the "
        "delay of its queued SIM changes for this test (novaconnect_* fixtures)",
    )


@pytest.fixture(scope="session")
def novaconnect_emulator_options() -> dict[str, Any]:
    """Keyword arguments of the session's ``Emulator``: override this fixture in a conftest
    to change the fleet for every test (``sims``, ``seed``, ``queue_delay``, tokens)."""
    return dict(DEFAULT_OPTIONS)


@pytest.fixture(scope="session")
def novaconnect_emulator_server(novaconnect_emulator_options: dict[str, Any]) -> Iterator[Any]:
    """The session's emulator, serving on a free port of 127.0.0.1 in a thread. Not reset:
    tests use ``novaconnect_emulator``."""
    from ..emulator import Emulator  # lazily: see the module docstring

    emulator = Emulator(host="127.0.0.1", port=0, **novaconnect_emulator_options).start()
    yield emulator
    emulator.stop()


@pytest.fixture()
def novaconnect_emulator(request: pytest.FixtureRequest, novaconnect_emulator_server: Any) -> Iterator[Any]:
    """The session's emulator, reset to its seeded fleet (or the fleet of the test's
    ``novaconnect`` marker) before the test: no test sees another's changes."""
    marker = request.node.get_closest_marker(MARKER)
    options = dict(marker.kwargs) if marker else {}
    unknown = set(options) - {"sims", "seed", "queue_delay"}
    if unknown:
        raise pytest.UsageError(f"@pytest.mark.{MARKER} takes sims, seed and queue_delay, not {sorted(unknown)}")
    backend = novaconnect_emulator_server.backend
    kept_delay = backend.queue_delay
    if options.get("queue_delay") is not None:
        backend.queue_delay = options["queue_delay"]  # read when a task is queued
    novaconnect_emulator_server.reset(sims=options.get("sims"), seed=options.get("seed"))
    try:
        yield novaconnect_emulator_server
    finally:
        backend.queue_delay = kept_delay


@pytest.fixture()
def novaconnect_control(novaconnect_emulator: Any) -> Iterator[Any]:
    """An ``EmulatorControl`` on the test's emulator: state, drift, faults, request log, drain."""
    from .control import EmulatorControl

    with EmulatorControl(novaconnect_emulator) as control:
        yield control


@pytest.fixture()
def novaconnect_config(novaconnect_emulator: Any) -> dict[str, Any]:
    """Pulumi configuration for a program against the test's emulator: its endpoint, the
    administrator's token (as a secret) and waits sized for the emulator's queue delay."""
    from . import ADMIN_TOKEN
    from .provider_host import secret

    return {
        "novaconnect:endpoint": novaconnect_emulator.url,
        "novaconnect:token": secret(ADMIN_TOKEN),
        **FAST_CONVERGENCE,
    }


def _pulumi_project(program: Any) -> tuple[Optional[str], dict[str, Any]]:
    """(name, config defaults) of the Pulumi project a program path belongs to: the folder
    given, or the folder of a ``__main__.py``, when it holds ``Pulumi.yaml`` (or ``.yml``);
    ``(None, {})`` for a function or a folder without one.

    Defaults are read as Pulumi reads the project's ``config:`` block: a plain value, or an
    entry's ``default`` (``{type: integer, default: 500}``) or ``value``; a key without a
    namespace is in the project's (``limitMb`` -> ``<name>:limitMb``). Values are handed on
    as text, the form stack config has (``500`` -> ``"500"``, ``true`` -> ``"true"``)."""
    import json
    from pathlib import Path

    if callable(program):
        return None, {}
    folder = Path(program)
    if folder.is_file():
        folder = folder.parent
    found = [folder / name for name in ("Pulumi.yaml", "Pulumi.yml") if (folder / name).is_file()]
    if not found:
        return None, {}
    import yaml

    project = yaml.safe_load(found[0].read_text(encoding="utf-8")) or {}
    name = project.get("name")
    name = str(name) if name else None
    defaults: dict[str, Any] = {}
    for key, entry in (project.get("config") or {}).items():
        if isinstance(entry, dict):
            if "default" in entry:
                value = entry["default"]
            elif "value" in entry:
                value = entry["value"]
            else:
                continue  # declared, no default: unset unless the test sets it
        else:
            value = entry
        if value is None:
            continue
        full = key if ":" in key or not name else f"{name}:{key}"
        defaults[full] = value if isinstance(value, str) else json.dumps(value)
    return name, defaults


@pytest.fixture()
def novaconnect_program(novaconnect_config: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
                        ) -> Callable[..., Any]:
    """``novaconnect_program(program, config=None, project=None, stack="dev", env=None)``:
    a ``ProgramRunner`` for a program (a function, a ``__main__.py`` path or a project
    folder) against the test's emulator. For a project folder, the project's name and the
    ``config:`` defaults of its ``Pulumi.yaml`` apply, as ``pulumi`` would apply them; a
    function's project is ``"test"``. ``novaconnect_config`` then points the program at the
    emulator, and ``config`` adds or overrides keys (full keys, e.g. ``"myproject:size"``);
    ``project=`` overrides the name. Runners made in one test for the same project and stack
    share a state file, as two ``pulumi`` runs share a stack."""
    from .program_runner import ProgramRunner

    state_dir = tmp_path_factory.mktemp("novaconnect-state")

    def make(program: Any, config: Optional[dict[str, Any]] = None, *, project: Optional[str] = None,
             stack: str = "dev", env: Optional[dict[str, str]] = None) -> ProgramRunner:
        declared, defaults = _pulumi_project(program)
        name = project or declared or "test"
        if project and declared and project != declared:
            # The defaults' project namespace follows the name the runner uses.
            defaults = {(f"{project}:{k.split(':', 1)[1]}" if k.startswith(f"{declared}:") else k): v
                        for k, v in defaults.items()}
        return ProgramRunner(program, project=name, stack=stack, env=env,
                             config={**defaults, **novaconnect_config, **(config or {})},
                             state_path=state_dir / f"{name}.{stack}.state.json")

    return make


def cli_missing_reason() -> str:
    """Why the CLI tier cannot run here ("" when it can)."""
    from .cli import find_pulumi

    if find_pulumi():
        return ""
    return ("the Pulumi CLI is not installed: `make pulumi` builds the pinned version (it needs Go), "
            "or install Pulumi and put `pulumi` on PATH")


@pytest.fixture()
def novaconnect_cli(novaconnect_config: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
                    ) -> Callable[..., Any]:
    """``novaconnect_cli(project_folder, config=None, stack="dev", env=None)``: a ``PulumiCLI``
    on a copy of the project, configured for the test's emulator like ``novaconnect_program``.
    Each call makes a new stack in a folder of its own; call ``.destroy()`` yourself if the
    test needs the platform cleaned."""
    from .cli import PulumiCLI

    reason = cli_missing_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)

    def make(project: Any, config: Optional[dict[str, Any]] = None, *, stack: str = "dev",
             env: Optional[dict[str, str]] = None) -> PulumiCLI:
        return PulumiCLI(project, workdir=tmp_path_factory.mktemp("novaconnect-cli"), stack=stack, env=env,
                         config={**novaconnect_config, **(config or {})})

    return make
