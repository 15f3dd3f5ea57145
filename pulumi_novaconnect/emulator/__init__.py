"""A local emulator of the NovaConnect IoT SIM platform (see docs/emulator.md).

    from pulumi_novaconnect.emulator import Emulator
    with Emulator(sims=50, seed=1) as emu:
        requests.post(f"{emu.url}/sim/list", json={}, headers={"Authorization": "Bearer admin-token"})

Its web framework is the package's ``emulator`` extra, not a dependency of the resources.
``Emulator`` is therefore imported on first use (PEP 562), so that ``python -m
pulumi_novaconnect.emulator`` reaches its own ``main`` and can say which extra to install
instead of failing inside this package's import; a program importing ``Emulator`` without
the extra gets the same advice as its ``ModuleNotFoundError``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .server import Emulator

__all__ = ["Emulator", "MISSING_EXTRA", "missing_extra"]

MISSING_EXTRA = (
    "the NovaConnect emulator needs the package's `emulator` extra (Flask), which is not installed: "
    "pip install 'pulumi-novaconnect[emulator]'"
)

# What the extra brings (Flask, Werkzeug and Flask's own dependencies).
_EXTRA_MODULES = frozenset({"flask", "werkzeug", "jinja2", "itsdangerous", "click", "blinker", "markupsafe"})


def missing_extra(error: ImportError) -> bool:
    """Whether ``error`` is a module of the ``emulator`` extra missing (not a bug of ours)."""
    return isinstance(error, ModuleNotFoundError) and (error.name or "").split(".")[0] in _EXTRA_MODULES


def __getattr__(name: str) -> Any:
    if name == "Emulator":
        try:
            from .server import Emulator
        except ModuleNotFoundError as error:
            if missing_extra(error):
                raise ModuleNotFoundError(MISSING_EXTRA, name=error.name) from None
            raise
        return Emulator
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
