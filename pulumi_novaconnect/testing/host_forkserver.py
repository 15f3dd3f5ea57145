"""Provider hosts forked from a process that has already imported what a host imports.

``python -u -m pulumi.dynamic`` spends most of its start-up importing: the SDK with gRPC and
protobuf, then (at its first call) this package, whose provider it unpickles, with pydantic
and requests. A test suite starts a host for every preview, up, refresh and destroy, so
those imports were most of its work. A fork server does them once per test process: the
SDK's main module is run as ``-m`` runs it (as ``__main__``, with its spec and file) up to
its last statement, the call ``main()`` that serves, and this package is imported under it,
as a host imports it (errors_display adapts that main module). Each host is then a fork of
the server that makes that call, in a process of its own with its own stdin, stdout,
stderr, working folder (``sys.path[0]``), environment and ``sys.argv`` as ``-m`` sets them;
it is killed and waited for like any other. The engine's rule still holds: one process per
deployment, nothing shared between two. The server never configures or calls a provider,
so each host starts from the state fresh imports leave. Should the SDK's main module not
end in that one call, hosts run the module themselves (``runpy``), and this package's own
modules are imported by each host rather than by the server.

:class:`~pulumi_novaconnect.testing.ProviderHost` forks its host this way when it would run
the Python that runs the tests, on Linux, in an existing folder; hosts whose ``PYTHON*``,
locale or ``LD_*`` variables differ (those decide how an interpreter starts and where its
imports come from) get a server of their own, up to :data:`MAX_SERVERS` per process.
Anything else, any failure to fork, and every host while ``NOVACONNECT_HOST_FORKSERVER=0``
is set, is started as ``python -u -m pulumi.dynamic``, the way the engine starts it.

This file is also the server's program (run with ``runpy.run_path``, so the server does not
import this package's test tools): only the standard library is imported at its top.
"""
from __future__ import annotations

import ast
import atexit
import importlib
import importlib.util
import io
import json
import os
import runpy
import select
import signal
import socket
import subprocess
import sys
import threading
import traceback
import types
from typing import Any, Optional

__all__ = ["ForkedProcess", "enabled", "spawn"]

SERVER_NAME = "__novaconnect_host_forkserver__"
PACKAGE = os.path.basename(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # pulumi_novaconnect
SWITCH = "NOVACONNECT_HOST_FORKSERVER"
# What a fork inherits from the server instead of reading it at its own start.
_STARTUP_VARIABLES = ("PYTHON", "LANG", "LC_", "LD_")
_BOOT = "import runpy, sys; runpy.run_path(sys.argv[1], run_name=%r)" % SERVER_NAME
_MESSAGE = 1 << 20


# -- the server (a process of its own) ---------------------------------------------------------


def _sdk_main_source() -> tuple[Any, Optional[ast.Module]]:
    """The spec and the parsed source of the SDK's ``pulumi.dynamic.__main__`` (None, None
    where they cannot be read: hosts then run and import it all themselves)."""
    try:
        spec = importlib.util.find_spec("pulumi.dynamic.__main__")
        with open(spec.origin, encoding="utf-8") as file:
            return spec, ast.parse(file.read(), spec.origin)
    except Exception:  # noqa: BLE001 - see above
        return None, None


def _sdk_main() -> Optional[types.ModuleType]:
    """The SDK's ``pulumi.dynamic.__main__`` as ``-m`` makes it (the module ``__main__``, its
    spec, file and package), run up to its last statement, the call ``main()`` that serves;
    each host makes that call. None if the module does not end in that call, or calls
    ``main`` anywhere else at its top level: then hosts run the whole module themselves."""
    spec, tree = _sdk_main_source()
    if tree is None:
        return None

    def calls_main(node: ast.AST) -> bool:
        return any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "main"
                   for n in ast.walk(node))

    *body, last = tree.body
    if not (isinstance(last, ast.Expr) and calls_main(last) and ast.unparse(last) == "main()"):
        return None
    if any(calls_main(node) for node in body if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                       ast.ClassDef))):
        return None
    module = types.ModuleType("__main__")
    module.__dict__.update(__file__=spec.origin, __cached__=spec.cached, __loader__=spec.loader,
                           __package__=spec.parent, __spec__=spec)
    tree.body = body
    before, sys.modules["__main__"] = sys.modules["__main__"], module
    try:
        exec(compile(tree, spec.origin, "exec"), module.__dict__)
    except Exception:  # noqa: BLE001 - the hosts run it themselves
        sys.modules["__main__"] = before
        return None
    return module


def _preload() -> Optional[types.ModuleType]:
    """Import what a host imports before it serves: what the SDK's main module imports, that
    module itself (not its last call), and this package, as a host imports it at its first
    call: under that main module, so that errors_display finds the host it adapts. Answers
    the main module, or None: then hosts run it themselves, and this package's modules are
    forgotten again (their third-party imports kept), so that each host imports them under
    its own main module."""
    names = ["pulumi.dynamic"]
    _, tree = _sdk_main_source()
    for node in ast.walk(tree) if tree is not None else ():
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a host meets the same error when it imports it
            pass
    main = _sdk_main()
    try:
        importlib.import_module(PACKAGE)
    except Exception:  # noqa: BLE001 - a host meets the same error when it imports it
        main = None
    if main is None:
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]
    return main


def _host(request: dict[str, Any], stdout: int, stderr: int, main: Optional[types.ModuleType]) -> None:
    """In the fork: become ``python -u -m pulumi.dynamic`` in the request's folder and
    environment, serving with the preloaded main module or running the module afresh;
    never returns."""
    code = 1
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the server's; every other one is Python's own
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(stdout, 1)
        os.dup2(stderr, 2)
        os.closerange(3, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 1024)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        sys.path[0] = os.getcwd()
        if main is not None:
            sys.argv[:] = [main.__file__]  # as -m sets it
            main.main()
        else:
            sys.argv[:] = ["-m"]  # runpy puts the module's path here, as -m does
            runpy.run_module("pulumi.dynamic", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if not isinstance(exc.code, int) and exc.code is not None:
            print(exc.code, file=sys.stderr)
    except BaseException:  # noqa: BLE001 - as the interpreter would: the traceback, status 1
        traceback.print_exc()
    finally:
        try:
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def serve(fd: int) -> None:
    """Preload, say "ready", then fork a host for each request until the client goes away;
    its hosts are killed then. Each exit status goes back through the host's status pipe."""
    server = socket.socket(fileno=fd)
    main = _preload()
    if threading.active_count() != 1:  # a fork would lose the other threads: refuse
        server.send(json.dumps({"error": f"{threading.active_count()} threads after the imports"}).encode())
        return
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    hosts: dict[int, int] = {}  # pid -> its status pipe's writing end

    def reap() -> None:
        while hosts:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            pipe = hosts.pop(pid, None)
            if pipe is not None:
                try:
                    os.write(pipe, str(os.waitstatus_to_exitcode(status)).encode())
                except OSError:
                    pass
                os.close(pipe)

    server.send(b'{"ready": true}')
    try:
        while True:
            ready, _, _ = select.select([server, wake_r], [], [])
            if wake_r in ready:
                os.read(wake_r, 4096)
                reap()
            if server not in ready:
                continue
            message, fds, _, _ = socket.recv_fds(server, _MESSAGE, 3)
            if not message:
                return
            if len(fds) != 3:
                for extra in fds:
                    os.close(extra)
                server.send(b'{"error": "a request carries three pipes"}')
                continue
            stdout, stderr, status = fds
            try:
                request = json.loads(message)
                pid = os.fork()
            except (OSError, ValueError) as exc:
                for pipe in fds:
                    os.close(pipe)
                server.send(json.dumps({"error": f"no host forked: {exc}"}).encode())
                continue
            if pid == 0:
                _host(request, stdout, stderr, main)
            os.close(stdout)
            os.close(stderr)
            hosts[pid] = status
            server.send(json.dumps({"pid": pid}).encode())
    finally:
        for pid in list(hosts):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        while hosts:
            try:
                pid, status = os.waitpid(-1, 0)
            except ChildProcessError:
                break
            pipe = hosts.pop(pid, None)
            if pipe is not None:
                os.close(pipe)


# -- the client (in the process that starts hosts) ---------------------------------------------


class ForkedProcess:
    """The part of :class:`subprocess.Popen` a provider host is driven with, for a host forked
    by the server: ``pid``, ``stdout``/``stderr`` (text), ``poll``, ``wait``, ``terminate``,
    ``kill``, ``returncode``. The exit status comes from the server through a pipe."""

    def __init__(self, args: list[str], pid: int, stdout: io.TextIOBase, stderr: io.TextIOBase, status: int):
        self.args, self.pid, self.stdout, self.stderr = args, pid, stdout, stderr
        self.stdin = None
        self.returncode: Optional[int] = None
        self._status = status
        self._lock = threading.Lock()

    def _collect(self, timeout: Optional[float]) -> bool:
        if self.returncode is None:
            try:
                ready, _, _ = select.select([self._status], [], [], timeout)
            except (OSError, ValueError):  # closed by another thread that read it
                ready = []
            if ready:
                with self._lock:
                    if self.returncode is None:
                        data = os.read(self._status, 64)
                        os.close(self._status)
                        # Nothing written: the server went first (it kills its hosts as it goes).
                        self.returncode = int(data) if data else -signal.SIGKILL
        return self.returncode is not None

    def __del__(self) -> None:
        if self.returncode is None:
            try:
                os.close(self._status)
            except OSError:
                pass

    def poll(self) -> Optional[int]:
        self._collect(0)
        return self.returncode

    def wait(self, timeout: Optional[float] = None) -> int:
        if not self._collect(timeout):
            raise subprocess.TimeoutExpired(self.args, timeout)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


def _startup_variables(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if k.startswith(_STARTUP_VARIABLES)}


class _Server:
    """One fork server process and the socket to it."""

    def __init__(self, python: str, env: dict[str, str], cwd: str, timeout: float):
        self.python, self.timeout, self.owner = python, timeout, os.getpid()
        self._lock = threading.Lock()
        self._stderr: list[str] = []
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        with theirs:
            self.process = subprocess.Popen(
                [python, "-u", "-c", _BOOT, __file__, str(theirs.fileno())], pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, env=env,
                text=True, errors="replace")
        self.socket = ours
        self._reader = threading.Thread(target=self._pump, daemon=True, name="host-forkserver-stderr")
        self._reader.start()
        try:
            answer = self._answer()
        except (OSError, ValueError) as exc:
            answer = {"error": str(exc)}
        if not answer.get("ready"):
            self.close()
            raise RuntimeError(f"host fork server did not start: {answer.get('error')}; stderr:\n{''.join(self._stderr)}")

    def _pump(self) -> None:
        for line in self.process.stderr:
            self._stderr = (self._stderr + [line])[-200:]

    def _answer(self) -> dict[str, Any]:
        self.socket.settimeout(self.timeout)
        message = self.socket.recv(_MESSAGE)
        if not message:
            raise OSError("the host fork server exited")
        return json.loads(message)

    def spawn(self, env: dict[str, str], cwd: str) -> ForkedProcess:
        """Fork a host; OSError or RuntimeError if that cannot be done (the caller starts it
        itself), after which this server is no longer used."""
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        status_r, status_w = os.pipe()
        try:
            with self._lock:
                socket.send_fds(self.socket, [json.dumps({"env": env, "cwd": cwd}).encode()], [out_w, err_w, status_w])
                answer = self._answer()
            if "pid" not in answer:
                raise RuntimeError(f"host fork server: {answer.get('error')}")
        except BaseException:
            for fd in (out_r, err_r, status_r):
                os.close(fd)
            raise
        finally:
            for fd in (out_w, err_w, status_w):
                os.close(fd)
        return ForkedProcess([self.python, "-u", "-m", "pulumi.dynamic"], answer["pid"],
                             open(out_r, encoding=None), open(err_r, encoding=None), status_r)

    def close(self) -> None:
        self.socket.close()  # the server kills its hosts and exits
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=5)
        if not self._reader.is_alive():
            self.process.stderr.close()


MAX_SERVERS = 4  # distinct start-up variables in one process; hosts beyond start the ordinary way
_servers: dict[tuple, Optional[_Server]] = {}
_retired: list[_Server] = []
_servers_lock = threading.Lock()
_registered = False


def enabled(python: str) -> bool:
    """Whether hosts of ``python`` may be forked here (see the module docstring)."""
    return (sys.platform.startswith("linux") and hasattr(socket, "send_fds")
            and os.path.abspath(python) == os.path.abspath(sys.executable)
            and os.environ.get(SWITCH, "1") != "0")


def spawn(python: str, env: dict[str, str], cwd: str, *, server_cwd: str,
          timeout: float = 60.0) -> Optional[ForkedProcess]:
    """A host forked from the server for ``python`` and these start-up variables (started on
    first use in ``server_cwd``, once per test process); None where hosts are not forked,
    and the caller starts the host itself. Raises OSError or RuntimeError if the server
    cannot fork this one (the caller then starts it itself too)."""
    global _registered
    if not enabled(python) or not os.path.isdir(cwd):
        return None
    # The pid too: a process forked from this one must not talk over its parent's socket.
    key = (os.getpid(), os.path.abspath(python), tuple(sorted(_startup_variables(env).items())))
    with _servers_lock:
        if key not in _servers:
            if len([k for k in _servers if k[0] == key[0]]) >= MAX_SERVERS:
                return None
            # The server's own environment: this process's, with the host's start-up variables.
            server_env = {**{k: v for k, v in os.environ.items() if not k.startswith(_STARTUP_VARIABLES)},
                          **_startup_variables(env)}
            try:
                _servers[key] = _Server(python, server_env, server_cwd, timeout)
            except (OSError, RuntimeError):
                _servers[key] = None  # this process starts such hosts the ordinary way
            if not _registered:
                atexit.register(shutdown)
                _registered = True
        server = _servers[key]
    if server is None:
        return None
    try:
        return server.spawn(env, cwd)
    except (OSError, RuntimeError, ValueError):
        # Not used again (its answers may be out of step now); its running hosts are left
        # alone until shutdown.
        with _servers_lock:
            if _servers.get(key) is server:
                _servers[key] = None
                _retired.append(server)
        raise


def shutdown() -> None:
    """Stop every fork server of this process (and the hosts still running under them)."""
    with _servers_lock:
        servers = [s for k, s in _servers.items() if s is not None and k[0] == os.getpid()]
        servers += [s for s in _retired if s.owner == os.getpid()]
        _servers.clear()
        _retired.clear()
    for server in servers:
        server.close()


if __name__ == SERVER_NAME:
    serve(int(sys.argv[2]))
