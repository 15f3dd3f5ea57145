"""Drive the Python SDK's dynamic provider host (``python -u -m pulumi.dynamic``) over gRPC.

This is what the Pulumi engine does with every dynamic resource: one host process per
deployment, ``Configure`` first, then ``Check`` / ``Diff`` / ``Create`` / ``Read`` / ``Update`` /
``Delete``. Where it can, the process is forked from a server that has already done the
host's imports (:mod:`~pulumi_novaconnect.testing.host_forkserver`: a tenth of the start-up
cost, the same process otherwise); ``NOVACONNECT_HOST_FORKSERVER=0`` starts every host as
``python -u -m pulumi.dynamic``. Property bags are serialised with
:func:`pulumi.runtime.rpc.serialize_properties` (on a fresh event loop per call, as the host
itself does) and read back with ``deserialize_properties(..., keep_unknowns=True)``.

Conventions (all checked against pulumi 3.272):

- Secrets: the host answers ``Configure`` with ``acceptSecrets=False``, so the engine strips
  secret wrappers from every CRUD request; :class:`ProviderHost` does the same
  (:func:`strip_secrets`). ``Configure`` itself gets the config with its secret wrappers, as the
  engine sends it (the host unwraps top-level secrets there). Wrap a value with :func:`secret`.
- Unknowns (values a preview does not know yet): pass :data:`UNKNOWN` (or any
  ``pulumi.output.Unknown``); responses give them back as ``pulumi.output.Unknown`` objects
  (:func:`is_unknown`).
- Numbers come back as floats (5 -> 5.0): protobuf ``Struct`` has only doubles.
- A gRPC error becomes :class:`ProviderError`; its text is the provider's one-line message
  for the package's own errors, and the host's traceback (whose last line is the message)
  for anything else (see :mod:`pulumi_novaconnect.provider.errors_display`).
- Every method may be called from several threads at once (the host serves 4 at a time).
"""
from __future__ import annotations

import asyncio
import json
import os
import queue
import subprocess
import sys
import threading
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

import grpc
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.output import Unknown
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from . import host_forkserver

try:  # the options the engine's own channels use; private to the SDK, so with a fallback
    from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
except ImportError:  # pragma: no cover - an SDK that moved it
    _GRPC_CHANNEL_OPTIONS = [("grpc.max_receive_message_length", 400 * 1024 * 1024)]

REPO_ROOT = Path(__file__).resolve().parents[2]
PROVIDER_KEY = "__provider"
UNKNOWN = Unknown()
"""Send this where the engine would send an unknown (preview, value not computed yet)."""

_DIFF_CHANGES = {
    provider_pb2.DiffResponse.DIFF_UNKNOWN: None,
    provider_pb2.DiffResponse.DIFF_NONE: False,
    provider_pb2.DiffResponse.DIFF_SOME: True,
}


def make_urn(stack: str, project: str, type_token: str, name: str) -> str:
    """The URN the engine gives a top-level resource (no parent)."""
    return f"urn:pulumi:{stack}::{project}::{type_token}::{name}"


def secret(value: Any) -> dict:
    """Wrap ``value`` the way secrets travel on the wire (and in the runner's state file)."""
    return rpc.wrap_rpc_secret(value)


def is_secret(value: Any) -> bool:
    return rpc.is_rpc_secret(value)


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown) or value == rpc.UNKNOWN


def contains_unknowns(value: Any) -> bool:
    if is_unknown(value):
        return True
    if isinstance(value, dict):
        return any(contains_unknowns(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(contains_unknowns(v) for v in value)
    return False


def strip_secrets(value: Any) -> Any:
    """Remove secret wrappers at any depth (what the engine does for ``acceptSecrets=False``)."""
    if rpc.is_rpc_secret(value):
        return strip_secrets(value["value"])
    if isinstance(value, dict):
        return {k: strip_secrets(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [strip_secrets(v) for v in value]
    return value


def provider_property(provider: Any) -> dict[str, str]:
    """``{"__provider": <dill pickle>}`` exactly as ``pulumi.dynamic.Resource`` builds it."""
    return {PROVIDER_KEY: serialize_provider(provider)}


def serialize(props: dict[str, Any], *, keep_secrets: bool = False) -> Any:
    """Python dict -> ``google.protobuf.Struct``, on a fresh event loop (thread-safe)."""
    payload = props if keep_secrets else strip_secrets(props)
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(rpc.serialize_properties(payload, {}))
    finally:
        loop.close()


def deserialize(struct: Any) -> dict[str, Any]:
    return rpc.deserialize_properties(struct, keep_unknowns=True)


def _kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


class ProviderError(Exception):
    """A call to the provider host failed. ``str()`` ends with the provider's own message."""

    def __init__(self, method: str, code: grpc.StatusCode, details: str):
        self.method = method
        self.code = code
        self.details = details or ""
        lines = [line for line in self.details.strip().splitlines() if line.strip()]
        self.message = lines[-1].strip() if lines else ""
        super().__init__(f"{method} failed, gRPC status {code.name}:\n{self.details.rstrip()}")


@dataclass
class CheckResponse:
    inputs: dict[str, Any]
    failures: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class DiffResponse:
    changes: Optional[bool]  # None: the provider answered DIFF_UNKNOWN
    replaces: list[str] = field(default_factory=list)
    delete_before_replace: bool = False


class ProviderHost:
    """One ``python -u -m pulumi.dynamic`` process (forked from host_forkserver where it can
    be) and a gRPC stub to it. A context manager."""

    def __init__(
        self,
        *,
        env: Optional[dict[str, str]] = None,
        cwd: Optional[str] = None,
        python: str = sys.executable,
        start_timeout: float = 30.0,
        call_timeout: float = 120.0,
    ):
        self.env = dict(env or {})
        self.cwd = cwd
        self.python = python
        self.start_timeout = start_timeout
        self.call_timeout = call_timeout
        self.port: Optional[int] = None
        self.process: Optional[Union[subprocess.Popen, host_forkserver.ForkedProcess]] = None
        self.stub: Optional[provider_pb2_grpc.ResourceProviderStub] = None
        self._channel: Optional[grpc.Channel] = None
        self._stdout: list[str] = []
        self._stderr: list[str] = []
        self._readers: list[threading.Thread] = []
        self._finalizer: Optional[weakref.finalize] = None

    # -- process ----------------------------------------------------------------------------
    def _child_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(self.env)
        paths = [str(REPO_ROOT)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
        env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
        env.setdefault("PYTHONUNBUFFERED", "1")
        return env

    def start(self) -> "ProviderHost":
        if self.process is not None:
            return self
        env, cwd = self._child_env(), self.cwd or str(REPO_ROOT)
        # Forked from a process that has done the imports where it can be (host_forkserver),
        # else started as the engine starts it; either way a process of its own.
        try:
            self.process = host_forkserver.spawn(self.python, env, cwd, server_cwd=str(REPO_ROOT))
        except (OSError, RuntimeError, ValueError):
            self.process = None
        if self.process is None:
            self.process = subprocess.Popen(
                [self.python, "-u", "-m", "pulumi.dynamic"],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=cwd,
                env=env,
                text=True,
            )
        first_line: "queue.Queue[Optional[str]]" = queue.Queue()

        def pump(stream, sink: list[str], announce: bool) -> None:
            for n, line in enumerate(stream):
                if announce and n == 0:
                    first_line.put(line)
                    continue
                sink.append(line)
            if announce:
                first_line.put(None)  # EOF before (or after) the port line

        for stream, sink, announce in ((self.process.stdout, self._stdout, True), (self.process.stderr, self._stderr, False)):
            t = threading.Thread(target=pump, args=(stream, sink, announce), daemon=True)
            t.start()
            self._readers.append(t)
        try:
            line = first_line.get(timeout=self.start_timeout)
        except queue.Empty:
            line = None
        if not line or not line.strip().isdigit():
            self.stop()
            raise RuntimeError(f"provider host did not announce a port (got {line!r}); stderr:\n{self.stderr_text}")
        self.port = int(line.strip())
        # The engine's channel options (messages of up to 400 MB): a plain channel stops at
        # 4 MB, which the inputs of a fleet of 100,000 SIMs pass.
        self._channel = grpc.insecure_channel(f"127.0.0.1:{self.port}", options=_GRPC_CHANNEL_OPTIONS)
        try:
            grpc.channel_ready_future(self._channel).result(timeout=self.start_timeout)
        except grpc.FutureTimeoutError:
            self.stop()
            raise RuntimeError(f"provider host on port {self.port} never became ready; stderr:\n{self.stderr_text}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self._channel)
        # A host its owner forgot to stop must not outlive the test process as an orphan.
        self._finalizer = weakref.finalize(self, _kill, self.process)
        return self

    def stop(self) -> None:
        if self._finalizer is not None:
            self._finalizer.detach()
            self._finalizer = None
        proc, self.process = self.process, None
        if proc is not None:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            for t in self._readers:
                t.join(timeout=5)
            drained = not any(t.is_alive() for t in self._readers)
            self._readers = []
            # Once the readers saw EOF, close our ends of the pipes rather than leave them to
            # the garbage collector (a ResourceWarning, an fd held until then). A reader still
            # blocked on a pipe (a grandchild holding it open) keeps its stream: closing a file
            # under a reading thread makes that thread fail.
            if drained:
                for stream in (proc.stdout, proc.stderr):
                    if stream is not None:
                        stream.close()
        if self._channel is not None:  # after the process: closing a live channel takes ~0.2 s
            self._channel.close()
            self._channel = None
        self.stub = None

    def kill(self) -> None:
        """SIGKILL the host process, as the OOM killer or a cancelled CI job would: no
        cleanup runs, calls in flight fail with UNAVAILABLE. :meth:`stop` still tidies up."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()

    @property
    def stderr_text(self) -> str:
        """Everything the host wrote to stderr (complete once :meth:`stop` returned)."""
        return "".join(self._stderr)

    @property
    def stdout_text(self) -> str:
        """Everything the host wrote to stdout after the port line (e.g. the provider's prints)."""
        return "".join(self._stdout)

    def __enter__(self) -> "ProviderHost":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- calls ------------------------------------------------------------------------------
    def _call(self, method: str, request: Any) -> Any:
        if self.stub is None:
            raise RuntimeError("ProviderHost is not started")
        try:
            return getattr(self.stub, method)(request, timeout=self.call_timeout)
        except grpc.RpcError as exc:
            raise ProviderError(method, exc.code(), exc.details()) from None

    def configure(self, config: dict[str, Any]) -> None:
        """The whole stack config, namespaced keys; secret-wrapped values stay wrapped."""
        variables = {
            k: (v if isinstance(v, str) else json.dumps(v))
            for k, v in ((k, strip_secrets(v)) for k, v in config.items())
        }
        self._call(
            "Configure",
            provider_pb2.ConfigureRequest(
                variables=variables,
                args=serialize(config, keep_secrets=True),
                acceptSecrets=True,
                acceptResources=True,
                sends_old_inputs=True,
                sends_old_inputs_to_delete=True,
            ),
        )

    def check(self, urn: str, olds: dict, news: dict) -> CheckResponse:
        resp = self._call(
            "Check", provider_pb2.CheckRequest(urn=urn, olds=serialize(olds), news=serialize(news), **_name_type(urn))
        )
        return CheckResponse(deserialize(resp.inputs), [(f.property, f.reason) for f in resp.failures])

    def diff(self, urn: str, id: str, olds: dict, news: dict, old_inputs: Optional[dict] = None) -> DiffResponse:
        """``olds`` are the old OUTPUTS (what the engine sends); ``old_inputs`` is informational."""
        resp = self._call(
            "Diff",
            provider_pb2.DiffRequest(
                id=id, urn=urn, olds=serialize(olds), news=serialize(news),
                old_inputs=serialize(old_inputs or {}), **_name_type(urn),
            ),
        )
        return DiffResponse(_DIFF_CHANGES[resp.changes], list(resp.replaces), bool(resp.deleteBeforeReplace))

    def create(self, urn: str, props: dict) -> tuple[str, dict]:
        resp = self._call(
            "Create", provider_pb2.CreateRequest(urn=urn, properties=serialize(props), **_name_type(urn))
        )
        return resp.id, deserialize(resp.properties)

    def read(self, urn: str, id: str, props: dict, inputs: Optional[dict] = None) -> tuple[str, dict, Optional[dict]]:
        """Refresh: ``props`` = old outputs, ``inputs`` = old inputs. An empty id means "gone"."""
        resp = self._call(
            "Read",
            provider_pb2.ReadRequest(
                id=id, urn=urn, properties=serialize(props), inputs=serialize(inputs or {}), **_name_type(urn)
            ),
        )
        new_inputs = deserialize(resp.inputs) if resp.HasField("inputs") else None
        return resp.id, deserialize(resp.properties), new_inputs

    def update(self, urn: str, id: str, olds: dict, news: dict, old_inputs: Optional[dict] = None) -> dict:
        resp = self._call(
            "Update",
            provider_pb2.UpdateRequest(
                id=id, urn=urn, olds=serialize(olds), news=serialize(news),
                old_inputs=serialize(old_inputs or {}), **_name_type(urn),
            ),
        )
        return deserialize(resp.properties)

    def delete(self, urn: str, id: str, props: dict, old_inputs: Optional[dict] = None) -> None:
        self._call(
            "Delete",
            provider_pb2.DeleteRequest(
                id=id, urn=urn, properties=serialize(props), old_inputs=serialize(old_inputs or {}), **_name_type(urn)
            ),
        )


def _name_type(urn: str) -> dict[str, str]:
    parts = urn.split("::")
    if len(parts) < 4:
        return {}
    return {"type": parts[2].split("$")[-1], "name": parts[3]}
