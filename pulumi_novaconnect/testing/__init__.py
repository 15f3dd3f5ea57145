"""Test your Pulumi programs of NovaConnect resources offline, against the local emulator.

- :class:`ProgramRunner` runs a program through preview, up, refresh and destroy the way
  the Pulumi engine does, driving the SDK's real provider host, with state in a JSON file.
- :class:`PulumiCLI` is its twin on the real Pulumi CLI: the same program, stack config and
  emulator, run with ``pulumi preview``/``up``/``refresh``/``destroy`` hermetically (a file
  backend and ``PULUMI_HOME`` in a temporary folder, passphrase secrets, no downloads).
- :class:`ProviderHost` drives that provider host (``python -m pulumi.dynamic``) over gRPC,
  one call at a time, for tests of a single resource's Check/Diff/Create/Read/Update/Delete.
- :class:`EmulatorControl` reads and changes a running emulator through its control surface:
  state, drift, faults, the request log, the queue drain.
- ``ADMIN_TOKEN`` and ``USER_TOKEN`` are the emulator's default tokens (an administrator and a
  read-only user).
- The pytest plugin (:mod:`pulumi_novaconnect.testing.pytest_plugin`, loaded automatically once
  the package is installed) gives tests ``novaconnect_emulator``, ``novaconnect_control``,
  ``novaconnect_config``, ``novaconnect_program`` and ``novaconnect_cli``.

The tokens are read from the emulator's own defaults, so they are written down once; they
are looked up on first use, so importing this module does not import the emulator (and its
web framework) until a test needs it.
"""
from __future__ import annotations

import inspect
from typing import Any

from .cli import CLIFailed, CLIResult, PulumiCLI
from .control import SIM_WRITES, EmulatorControl
from .program_runner import CheckFailed, ProgramRunner, RunResult, Step, StepFailed
from .provider_host import ProviderError, ProviderHost, secret

__all__ = [
    "ADMIN_TOKEN",
    "USER_TOKEN",
    "CLIFailed",
    "CLIResult",
    "CheckFailed",
    "EmulatorControl",
    "ProgramRunner",
    "ProviderError",
    "ProviderHost",
    "PulumiCLI",
    "RunResult",
    "SIM_WRITES",
    "Step",
    "StepFailed",
    "emulator_defaults",
    "secret",
]

_TOKENS = {"ADMIN_TOKEN": "admin_token", "USER_TOKEN": "user_token"}


def emulator_defaults() -> dict[str, Any]:
    """The keyword defaults of ``Emulator(...)``: sims, seed, admin_token, user_token, queue_delay..."""
    from ..emulator import Emulator

    return {name: p.default for name, p in inspect.signature(Emulator).parameters.items()
            if p.default is not inspect.Parameter.empty}


def __getattr__(name: str) -> Any:
    # PEP 562: ADMIN_TOKEN / USER_TOKEN resolve lazily (see the module docstring).
    if name in _TOKENS:
        value = emulator_defaults()[_TOKENS[name]]
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
