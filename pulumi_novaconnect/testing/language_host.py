"""A Python language host for the Pulumi CLI, for machines that cannot build Pulumi's own.

The Pulumi CLI runs a Python program through a *language host*, the plugin
``pulumi-language-python``: the CLI starts it with the engine's address as its last argument,
reads the gRPC port it prints, and calls ``Run``; the host then starts the SDK's exec shim
(``pulumi-language-python-exec``) with the monitor and engine addresses and the stack's
configuration in ``PULUMI_CONFIG``, and reports how the program ended.

Pulumi publishes that host as a Go module of its own (nested in the ``pulumi/pulumi``
repository, without tags); where a Go module proxy serves the CLI but not that module, this
module stands in for it. It serves the ``LanguageRuntime`` protocol with the stubs the
``pulumi`` PyPI SDK ships and runs the program exactly as the Go host does: the same shim, the
same arguments, the same environment, exit code 32 meaning "an error was already shown". The
CLI and its engine stay Pulumi's own. What a dynamic provider needs (its plugin,
``pulumi-resource-pulumi-python``) is started by the engine, not by this host.

It also runs a Python *policy pack* (``pulumi preview --policy-pack DIR``): the CLI asks the
language host to ``RunPlugin`` the pack's folder, and this host runs ``python DIR ENGINE`` as the
Go host does (the pack's ``PulumiPolicy.yaml`` may name its ``virtualenv``), streaming the
pack's output back, the port it serves on first.

Not implemented, as they play no part in running a program: dependency installation (the
project's ``virtualenv`` must exist) and code generation. ``pulumi install`` therefore reports
that it installs nothing.

Run it as ``python -m pulumi_novaconnect.testing.language_host ENGINE_ADDRESS``; ``make pulumi``
puts a launcher of that name beside the ``pulumi`` it builds.
"""
from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from concurrent import futures
from importlib import metadata
from pathlib import Path
from typing import Any, Optional

import grpc
from google.protobuf import empty_pb2, json_format
from pulumi.runtime.proto import language_pb2, language_pb2_grpc, plugin_pb2

__all__ = ["PythonLanguageHost", "main", "python_for"]

BAIL_EXIT_CODE = 32
"""The exec shim exits with 32 after it has shown the user an error (``pulumi.log.error``);
the engine then stops without adding a message of its own."""

EXEC_SHIM = "pulumi-language-python-exec"


def python_for(root: str, options: dict[str, Any]) -> str:
    """The interpreter that runs the program: the project's ``virtualenv`` option (relative to
    the project's root) when set, else ``PULUMI_PYTHON_CMD``, else ``python3`` on PATH, as the
    Go host chooses it."""
    venv = options.get("virtualenv")
    if venv:
        path = Path(venv) if os.path.isabs(venv) else Path(root) / venv
        python = path / "bin" / "python"
        if not python.exists():
            raise FileNotFoundError(
                f"The 'virtualenv' option in Pulumi.yaml is set to {str(path)!r}, but it is not a virtual "
                f"environment (no {python}). Create it with `python3 -m venv {path}` and install the "
                "project's requirements into it."
            )
        return str(python)
    return os.environ.get("PULUMI_PYTHON_CMD") or shutil.which("python3") or sys.executable


def _exec_shim() -> str:
    """The SDK's exec shim, found beside this host's launcher or on PATH, as the Go host finds it."""
    beside = Path(sys.argv[0]).resolve().parent / EXEC_SHIM
    if beside.exists():
        return str(beside)
    found = shutil.which(EXEC_SHIM)
    if not found:
        raise FileNotFoundError(f"could not find `{EXEC_SHIM}` on the PATH")
    return found


class PythonLanguageHost(language_pb2_grpc.LanguageRuntimeServicer):
    def __init__(self, engine_address: str = "", tracing: str = ""):
        self.engine_address = engine_address
        self.tracing = tracing

    # -- the calls the engine makes to run a program ----------------------------------------
    def Handshake(self, request, context):
        self.engine_address = request.engine_address or self.engine_address
        return language_pb2.LanguageHandshakeResponse()

    def GetPluginInfo(self, request, context):
        return plugin_pb2.PluginInfo(version=metadata.version("pulumi"))

    def GetRequiredPlugins(self, request, context):
        return language_pb2.GetRequiredPluginsResponse()

    def GetRequiredPackages(self, request, context):
        # A program of dynamic resources needs no provider package: the engine starts the
        # dynamic provider's plugin (pulumi-resource-pulumi-python) on its own.
        return language_pb2.GetRequiredPackagesResponse()

    def Run(self, request, context):
        info = request.info
        options = json_format.MessageToDict(info.options) if info.HasField("options") else {}
        root = info.root_directory or request.pwd
        try:
            python = python_for(root, options)
            shim = _exec_shim()
        except FileNotFoundError as exc:
            return language_pb2.RunResponse(error=str(exc))
        args = [python, "-u", shim, *self._arguments(request)]
        env = dict(os.environ)
        env["PULUMI_CONFIG"] = json.dumps(dict(request.config))
        env["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(list(request.configSecretKeys))
        # The program's output goes where this host's goes: the engine reads both streams.
        completed = subprocess.run(args, cwd=request.pwd or None, env=env, stdin=subprocess.DEVNULL)
        if completed.returncode == 0:
            return language_pb2.RunResponse()
        if completed.returncode == BAIL_EXIT_CODE:
            return language_pb2.RunResponse(bail=True)
        return language_pb2.RunResponse(error=f"Program exited with non-zero exit code: {completed.returncode}")

    def _arguments(self, request) -> list[str]:
        args: list[str] = []

        def put(flag: str, value: Optional[str]) -> None:
            if value:
                args.extend([f"--{flag}", value])

        put("monitor", request.monitor_address)
        put("engine", self.engine_address)
        put("project", request.project)
        put("stack", request.stack)
        put("pwd", request.pwd)
        put("dry_run", "true" if request.dryRun else "false")
        put("parallel", str(request.parallel))
        put("tracing", self.tracing)
        put("organization", request.organization)
        put("root_directory", request.info.root_directory)
        args.append(request.info.entry_point or request.program or ".")
        return args + list(request.args)

    # -- a plugin written in Python: a policy pack -----------------------------------------
    def RunPlugin(self, request, context):
        """Run the plugin in ``info.program_directory`` (its ``__main__.py``) with the engine's
        arguments, as the Go host does, and stream its output: the CLI reads the port the
        plugin serves on from the first line of its standard output. The plugin lives as
        long as the stream: the CLI cancels it when the deployment ends."""
        info = request.info
        options = json_format.MessageToDict(info.options) if info.HasField("options") else {}
        directory = info.program_directory or info.root_directory or request.program
        try:
            python = python_for(info.root_directory or directory, options)
        except FileNotFoundError as exc:
            yield language_pb2.RunPluginResponse(stderr=f"{exc}\n".encode())
            yield language_pb2.RunPluginResponse(exitcode=1)
            return
        env = dict(os.environ)
        env.update(item.split("=", 1) for item in request.env if "=" in item)
        process = subprocess.Popen([python, "-u", directory, *request.args], cwd=request.pwd or None, env=env,
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        context.add_callback(process.kill)
        lines: "queue.Queue[tuple[str, Optional[bytes]]]" = queue.Queue()

        def pump(name: str, stream: Any) -> None:
            for line in iter(stream.readline, b""):
                lines.put((name, line))
            lines.put((name, None))

        for name, stream in (("stdout", process.stdout), ("stderr", process.stderr)):
            threading.Thread(target=pump, args=(name, stream), daemon=True).start()
        open_streams = 2
        while open_streams:
            name, line = lines.get()
            if line is None:
                open_streams -= 1
            else:
                yield language_pb2.RunPluginResponse(**{name: line})
        yield language_pb2.RunPluginResponse(exitcode=process.wait())

    # -- the calls around it ----------------------------------------------------------------
    def About(self, request, context):
        options = json_format.MessageToDict(request.info.options) if request.info.HasField("options") else {}
        try:
            python = python_for(request.info.root_directory or os.getcwd(), options)
        except FileNotFoundError:
            python = sys.executable
        version = subprocess.run([python, "--version"], capture_output=True, text=True).stdout.split()[-1:]
        return language_pb2.AboutResponse(executable=python, version=version[0] if version else "")

    def GetProgramDependencies(self, request, context):
        return language_pb2.GetProgramDependenciesResponse()

    def RuntimeOptionsPrompts(self, request, context):
        return language_pb2.RuntimeOptionsResponse()

    def InstallDependencies(self, request, context):
        return iter(())

    def Cancel(self, request, context):
        return empty_pb2.Empty()


def main(argv: Optional[list[str]] = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    # The CLI passes Go-style flags (-root=..., -tracing=...) before the engine's address.
    flags = dict(a.lstrip("-").split("=", 1) for a in argv if a.startswith("-") and "=" in a)
    positional = [a for a in argv if not a.startswith("-")]
    host = PythonLanguageHost(positional[-1] if positional else "", flags.get("tracing", ""))
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4),
                         options=[("grpc.max_receive_message_length", 400 * 1024 * 1024)])
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(host, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    try:
        server.wait_for_termination()
    except KeyboardInterrupt:
        # The CLI interrupts its plugins when a deployment ends: that is a normal stop.
        server.stop(grace=None)


if __name__ == "__main__":
    main()
