"""Our expected errors reach ``pulumi`` as their message; a bug keeps its full traceback.

Why this is needed: the SDK's dynamic provider host (``pulumi/dynamic/__main__.py``, the
process the engine starts for every Python dynamic resource) wraps each call in
``_abort_with_traceback``, which answers *any* exception with ``traceback.format_exc()`` as
the gRPC error text. The engine prints that text as the resource's error, so a user whose
SIM hit a platform rule saw a dozen lines of our stack frames, and the resource's row in
the progress display showed only the first of them: ``error: Traceback (most recent call
last):``. Nothing a provider returns can change that text, and the host registers its
handlers with the gRPC server before our package is imported, so the handlers themselves
cannot be replaced.

What this does: when the package is imported inside that host, the name ``traceback`` in the
host's module is bound to a stand-in whose ``format_exc()`` answers, for an exception of the
package's error tree (:class:`~pulumi_novaconnect.errors.ResourceError` and
:class:`~pulumi_novaconnect.client.errors.NovaConnectError`, each of which already names the
object, the rule and what to do), that message alone on one line, and for anything else
exactly what the SDK would have printed. Every other use of ``traceback`` in the host, and
every other process (the program, tests, the emulator), is untouched.

Safe if the SDK changes: the stand-in is installed only when the running ``__main__`` is the
SDK's ``pulumi.dynamic.__main__``, it still has ``_abort_with_traceback``, that wrapper still
calls ``traceback.format_exc`` and its ``traceback`` is the standard module. Should any of
that change, nothing is installed and errors read as the SDK formats them (a traceback whose
last line is the message); a failure while shortening falls back to the SDK's text too.
"""
from __future__ import annotations

import sys
import traceback
import types
from typing import Any

from ..client.errors import NovaConnectError
from ..errors import ResourceError

__all__ = ["EXPECTED", "install", "installed", "one_line"]

EXPECTED: tuple[type[BaseException], ...] = (ResourceError, NovaConnectError)
"""The package's own errors: each message is a complete sentence ending with what to do."""

HOST_MODULE = "pulumi.dynamic.__main__"


def one_line(error: BaseException) -> str:
    """An expected error as the CLI should show it: its message, on one line."""
    text = " ".join(part.strip() for part in str(error).splitlines() if part.strip())
    return text or type(error).__name__


class _HostTraceback(types.ModuleType):
    """The ``traceback`` module as the dynamic host sees it: the same in every respect but
    ``format_exc()`` of one of our expected errors, which is the message alone."""

    def __init__(self, real: types.ModuleType) -> None:
        super().__init__(real.__name__, real.__doc__)
        self._real = real

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def format_exc(self, *args: Any, **kwargs: Any) -> str:
        error = sys.exc_info()[1]
        if isinstance(error, EXPECTED):
            try:
                return one_line(error)
            except Exception:  # noqa: BLE001 - a message that cannot be made: the SDK's text
                pass
        return self._real.format_exc(*args, **kwargs)


def _host() -> Any:
    main = sys.modules.get("__main__")
    spec = getattr(main, "__spec__", None)
    return main if spec is not None and spec.name == HOST_MODULE else None


def installed() -> bool:
    """Whether this process is the SDK's dynamic host with the stand-in in place."""
    host = _host()
    return host is not None and isinstance(getattr(host, "traceback", None), _HostTraceback)


def install() -> bool:
    """Install the stand-in in the SDK's dynamic host (see the module's text); answers whether
    it is in place. Anywhere else, or if the host is not built as this expects, does nothing."""
    host = _host()
    if host is None:
        return False
    if isinstance(getattr(host, "traceback", None), _HostTraceback):
        return True
    wrapper = getattr(host, "_abort_with_traceback", None)
    code = getattr(wrapper, "__code__", None)
    # The wrapper's inner function looks up `traceback.format_exc` at call time: check that it
    # still does, so a host that formats errors another way keeps its own behaviour.
    names: set[str] = set()
    for const in getattr(code, "co_consts", ()):
        if isinstance(const, types.CodeType):
            names.update(const.co_names)
    if not callable(wrapper) or not {"traceback", "format_exc"} <= names or host.traceback is not traceback:
        return False
    host.traceback = _HostTraceback(traceback)
    return True


install()
