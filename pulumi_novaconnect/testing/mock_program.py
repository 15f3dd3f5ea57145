"""Run a Pulumi program in-process under a mock resource monitor and record what it declares.

Used by :mod:`pulumi_novaconnect.testing.program_runner`; usable alone to inspect a program's registrations.

Each run is isolated: it happens inside a copy of the caller's ``contextvars`` context with
fresh SDK settings (``reset_options``), its own config (``set_all_config``), its own event loop
and a new monitor; nothing leaks into the caller or the next run. ``pulumi.runtime.set_mocks``
is not used because it registers (and finishes) the root stack at once, so ``pulumi.export``
calls made afterwards would be lost; the program runs in ``run_in_stack`` like the language host.

The monitor answers each registration through an ``answer(declared) -> (id, outputs, unknown)``
callback; ``unknown=True`` makes the SDK resolve the outputs it got no value for as unknown,
even outside a preview (``RegisterResourceResponse.unknown``).
"""
from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import os
import runpy
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Union

from google.protobuf import empty_pb2
from pulumi.runtime import config as _config, rpc, settings
from pulumi.runtime.mocks import MockEngine, MockMonitor, Mocks, MockSettings
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.stack import register_stack_transformation, run_in_stack
from pulumi.runtime.sync_await import _sync_await

from .provider_host import is_secret, strip_secrets

Program = Union[Callable[[], None], str, os.PathLike]
Answer = Callable[["Declared"], tuple[str, dict, bool]]


@dataclass
class Declared:
    """One resource the program registered (as seen by the mock monitor)."""

    urn: str
    type: str
    name: str
    custom: bool
    inputs: dict[str, Any]  # secrets wrapped, unknowns as pulumi.output.Unknown
    dependencies: list[str] = field(default_factory=list)
    parent: str = ""
    delete_before_replace: bool = False
    additional_secret_outputs: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)  # recorded only: protect, ignore_changes...

    @property
    def secret_keys(self) -> set[str]:
        return {k for k, v in self.inputs.items() if has_secret(v)}


def has_secret(v: Any) -> bool:
    if is_secret(v):
        return True
    if isinstance(v, dict):
        return any(has_secret(x) for x in v.values())
    if isinstance(v, list):
        return any(has_secret(x) for x in v)
    return False


def toposort(items: list, urn_of: Callable, deps_of: Callable) -> list:
    """Stable topological order: dependencies first, otherwise keep the given order."""
    urns = {urn_of(i) for i in items}
    done: set[str] = set()
    out: list = []
    pending = list(items)
    while pending:
        for i, item in enumerate(pending):
            if all(d in done or d not in urns for d in deps_of(item)):
                break
        else:
            i, item = 0, pending[0]  # a cycle: keep the given order
        out.append(pending.pop(i))
        done.add(urn_of(item))
    return out


class _NoMocks(Mocks):
    def call(self, args):
        return {}, None

    def new_resource(self, args):  # only reached by Resource.get (ReadResource)
        return args.resource_id or "", dict(args.inputs)


@contextlib.contextmanager
def _thread_loop():
    """An event loop for a registration answered on one of the SDK's executor threads,
    closed when the answer is built.

    The SDK's own helper (``sync_await._ensure_event_loop``) leaves a new loop set on each
    worker thread and never closes it. Such a loop is freed by the cyclic garbage collector,
    which may finalise its self-pipe socket first (the fd becomes -1); the loop's
    ``__del__`` then calls ``close()``, whose ``_remove_reader(ssock.fileno())`` makes
    ``selectors`` raise ``ValueError: Invalid file descriptor: -1``, printed as "Exception
    ignored in BaseEventLoop.__del__" when the process exits. A thread that has a loop
    keeps it (the main thread has the program's own loop during a run).
    """
    if threading.current_thread() is threading.main_thread():
        yield
        return
    try:
        asyncio.get_event_loop_policy().get_event_loop()  # off the main thread: never creates one
    except RuntimeError:
        pass
    else:
        yield
        return
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        yield
    finally:
        asyncio.set_event_loop(None)
        loop.close()


class RecordingMonitor(MockMonitor):
    """A MockMonitor that records full registrations (options, dependencies) and the exports."""

    def __init__(self, answer: Answer):
        super().__init__(_NoMocks())
        self._answer = answer
        self._lock = threading.Lock()
        self.declared: list[Declared] = []
        self.exports: dict[str, Any] = {}
        self.construction_order: list[tuple[str, str]] = []  # (type, name), in program order

    def note_construction(self, args):
        """A legacy stack transformation: runs synchronously in each resource's constructor."""
        self.construction_order.append((args.type_, args.name))
        return None

    def RegisterResource(self, request):
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == "pulumi:pulumi:Stack":
            return resource_pb2.RegisterResourceResponse(urn=urn)
        with _thread_loop():
            return self._register(urn, request)

    def _register(self, urn, request):
        decl = Declared(
            urn=urn, type=request.type, name=request.name, custom=request.custom,
            inputs=rpc.deserialize_properties(request.object, keep_unknowns=True),
            dependencies=list(dict.fromkeys(request.dependencies)), parent=request.parent,
            delete_before_replace=request.deleteBeforeReplace,
            additional_secret_outputs=list(request.additionalSecretOutputs),
            options={
                "protect": request.protect, "ignore_changes": list(request.ignoreChanges),
                "replace_on_changes": list(request.replaceOnChanges), "retain_on_delete": request.retainOnDelete,
                "import_id": request.importId, "provider": request.provider,
            },
        )
        with self._lock:
            self.declared.append(decl)
        id_, state, unknown = self._answer(decl) if decl.custom else ("", {}, False)
        obj = _sync_await(rpc.serialize_properties(state, {}))
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, id_, state)
        return resource_pb2.RegisterResourceResponse(urn=urn, id=id_, object=obj, unknown=unknown)

    def RegisterResourceOutputs(self, request):
        if "::pulumi:pulumi:Stack::" in request.urn:
            self.exports = rpc.deserialize_properties(request.outputs, keep_unknowns=True)
        return empty_pb2.Empty()

    def ordered(self) -> list[Declared]:
        """Custom resources, dependencies first, otherwise in the order the program built them
        (RegisterResource calls race in executor threads, so arrival order is not reliable)."""
        built = {key: i for i, key in reversed(list(enumerate(self.construction_order)))}
        custom = sorted((d for d in self.declared if d.custom), key=lambda d: built.get((d.type, d.name), len(built)))
        return toposort(custom, lambda d: d.urn, lambda d: d.dependencies)


def run_program(
    program: Program,
    answer: Answer,
    *,
    preview: bool,
    project: str,
    stack: str,
    config: Optional[dict[str, Any]] = None,
    env: Optional[dict[str, str]] = None,
    cwd: Optional[str] = None,
) -> RecordingMonitor:
    """Run ``program`` (a callable, or a directory holding ``__main__.py``) once; see module doc."""
    monitor = RecordingMonitor(answer)
    contextvars.copy_context().run(_run_isolated, program, monitor, preview, project, stack, config or {}, env or {}, cwd)
    return monitor


def _run_isolated(program, monitor, preview, project, stack, config, env, cwd) -> None:
    settings.reset_options(project=project, stack=stack, preview=preview, organization="organization")
    plain = {k: strip_secrets(v) for k, v in config.items()}
    _config.set_all_config(
        {k: v if isinstance(v, str) else json.dumps(v) for k, v in plain.items()},
        [k for k, v in config.items() if is_secret(v)],
    )
    settings.configure(MockSettings(
        monitor=monitor, monitor_features=set(monitor.GetDeploymentInfo(None).supportedFeatures),
        engine=MockEngine(None), project=project, stack=stack, dry_run=preview,
        organization="organization", callbacks=None,
    ))
    if callable(program):
        func, workdir = program, cwd
    else:
        func, workdir = (lambda: runpy.run_path(str(program), run_name="__main__")), cwd or str(program)

    def main():
        register_stack_transformation(monitor.note_construction)
        return func()

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        with _process_env(env, workdir):
            loop.run_until_complete(run_in_stack(main))
    finally:
        loop.run_until_complete(loop.shutdown_default_executor())
        asyncio.set_event_loop(None)
        loop.close()


@contextlib.contextmanager
def _process_env(env: dict[str, str], workdir: Optional[str]):
    """os.environ and cwd for the program's duration (process-wide: one program at a time)."""
    saved_env, saved_cwd = {k: os.environ.get(k) for k in env}, os.getcwd()
    os.environ.update(env)
    if workdir:
        os.chdir(workdir)
    try:
        yield
    finally:
        os.chdir(saved_cwd)
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
