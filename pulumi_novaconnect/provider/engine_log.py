"""Diagnostics attached to a resource, through the engine's own log service.

The engine starts every provider plugin with the address of its ``Engine`` gRPC service as
the first argument (``pulumi-resource-pulumi-python 127.0.0.1:PORT``), and the dynamic
provider host passes it through to ``python -m pulumi.dynamic``. The host itself never uses
it, but a ``LogRequest`` sent there with a resource's URN is shown as that resource's
diagnostic: on its row and under its name in "Diagnostics" for ``pulumi preview``, and in
``pulumi preview --json``. Text a provider writes to stderr, by contrast, is shown under the
stack, named by nothing. So a preview's digest goes here; when there is no engine (the
provider host driven by tests, the program runner), it goes to stderr, naming the resource
in its first words either way.
"""
from __future__ import annotations

import re
import sys
import threading
from typing import Any, Optional

from . import progress

_ADDRESS = re.compile(r"^[\w.\-\[\]:]+:\d+$")
_lock = threading.Lock()
_stub: Any = None
_tried = False


def engine_address(argv: Optional[list[str]] = None) -> Optional[str]:
    """The engine's address, when this process is the dynamic provider host the engine started."""
    argv = sys.argv if argv is None else argv
    if not argv or not argv[0].replace("\\", "/").endswith("pulumi/dynamic/__main__.py"):
        return None
    return next((arg for arg in argv[1:] if _ADDRESS.match(arg)), None)


def _engine() -> Any:
    global _stub, _tried
    with _lock:
        if not _tried:
            _tried = True
            address = engine_address()
            if address:
                import grpc
                from pulumi.runtime.proto import engine_pb2_grpc

                _stub = engine_pb2_grpc.EngineStub(grpc.insecure_channel(address))
        return _stub


def info(message: str, urn: Optional[str] = None) -> None:
    """Show ``message`` as a diagnostic of the resource ``urn`` (of the run, without one)."""
    stub = _engine()
    if stub is not None:
        from pulumi.runtime.proto import engine_pb2

        try:
            stub.Log(engine_pb2.LogRequest(severity=engine_pb2.INFO, message=message, urn=urn or ""), timeout=30)
            return
        except Exception:  # noqa: BLE001 - the engine gone or refusing: the text still reaches the user
            pass
    for line in message.splitlines():
        progress.emit(line)
