"""The benchmark through the real Pulumi CLI, beside the runner, in one run.

`python bench/cli.py` measures 1,000 and 10,000 SimConfigs and a 10,000-SIM SimFleet;
`--full` adds a 100,000-SIM SimFleet; `--json PATH` writes the figures. The exit code is 0
only when every target is met. Needs the pinned CLI (`make pulumi`) on PATH or beside this
Python.

One emulator process (`novaconnect-emulator --latency-ms 20 --queue-delay 2`, seed 7) serves
both paths; it is reset to the seeded fleet before each path sets up, so both see the same
SIMs. Every SIM is declared as it already is (its name, where it has one), so the first `up`
adopts the SIMs without a write call. A small program (written to a temporary folder) reads
its SIM map from the JSON file named in config and declares one SimFleet, or one SimConfig
per SIM.

- The CLI path: `pulumi up --skip-preview` (the first, adopting up; for a fleet also the edit),
  `pulumi preview` (nothing to change), `pulumi refresh --skip-preview`, each on a stack of a
  `file://` backend (PulumiCLI), with the engine settings named on each row.
- The runner path, on the same platform: for a fleet, ProgramRunner (the program in-process,
  one fresh provider host per operation, steps one at a time); for SimConfigs, the provider
  host driven four calls at a time (bench/scenarios.py): ProgramRunner rewrites its whole
  state file after every step, as the engine does, and at 10,000 resources that alone would
  take an hour.
- The edit: 1,000 changes (block, limit, group, round-robin) and 100 renames through the
  fleet, as bench/run.py applies at 10,000 SIMs, at every fleet size.

Figures per operation: wall time; platform calls from the emulator's request log (`sim/list`
and the SIM writes by method); the peak RSS (`VmHWM`) of the `pulumi` process, of the
provider host (`python -m pulumi.dynamic`) and of the program, read from /proc every 50 ms
over the CLI's process tree (a process is seen until it exits; its high-water mark does not
fall, so only growth in its last 50 ms can be missed); their CPU seconds; the checkpoint's
size. Timings are wall-clock on a shared 2-core machine; call counts are exact.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Optional

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.append(str(HERE.parent))  # the package as installed (or on PYTHONPATH) first, this checkout last

import pulumi_novaconnect  # noqa: E402

from pulumi_novaconnect.provider.keyed import KEYED, encode  # noqa: E402
from pulumi_novaconnect.testing import EmulatorControl  # noqa: E402
from pulumi_novaconnect.testing.cli import PulumiCLI, find_pulumi  # noqa: E402
from pulumi_novaconnect.testing.program_runner import ProgramRunner  # noqa: E402
from pulumi_novaconnect.testing.provider_host import secret  # noqa: E402

import scenarios  # noqa: E402
from harness import TOKEN, UNLIMITED, Platform, peak_rss_mb, sweep_floor  # noqa: E402

PROJECT = "novaconnect-bench"
SEED = 7
EDIT_CHANGES, EDIT_RENAMES = 1_000, 100
EDIT_RATIO_MAX = 1.5  # the CLI's fleet edit against the runner's, at 10,000 SIMs
PREVIEW_SECONDS_MAX, PREVIEW_MB_MAX = 60.0, 2048.0  # a 100,000-SIM fleet preview: CLI + provider host
SKIP_CHECKPOINTS = {"PULUMI_SKIP_CHECKPOINTS": "true"}
PARALLEL_DIFF = {"PULUMI_PARALLEL_DIFF": "true"}

PROGRAM = '''\
"""The benchmark's program: its SIM map comes from the JSON file named in config."""
import json
from pathlib import Path

import pulumi

import pulumi_novaconnect as nc

config = pulumi.Config()
declared = json.loads(Path(config.require("simsFile")).read_text())
if config.require("kind") == "fleet":
    nc.SimFleet("fleet", sims=declared, on_delete="retain")
else:
    for iccid, entry in declared.items():
        nc.SimConfig(iccid, iccid=iccid, on_delete="retain", **entry)
'''


# -- the platform ------------------------------------------------------------------------------

class EmulatorProcess:
    """`python -m pulumi_novaconnect.emulator` in a process of its own, so neither path shares
    an interpreter with it; `url` and `control_url` as an in-process Emulator has them."""

    def __init__(self, sims: int, latency_ms: float, queue_delay: float, log: Path) -> None:
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pulumi_novaconnect.emulator", "--port", "0", "--sims", str(sims),
             "--seed", str(SEED), "--latency-ms", str(latency_ms), "--queue-delay", str(queue_delay)],
            stdout=subprocess.PIPE, stderr=self.log, stdin=subprocess.DEVNULL, text=True)
        self.url = self.process.stdout.readline().strip()
        if not self.url.startswith("http"):
            raise RuntimeError(f"the emulator did not start (see {log})")
        self.control_url = self.url[: -len("/api")] + "/_emulator"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


def calls(platform: Platform) -> dict[str, Any]:
    methods = platform.methods()
    return {"sim_list": methods.count("sim/list"), "writes": platform.sim_writes(), "total": len(methods)}


# -- what a process tree costs -------------------------------------------------------------------

def _role(cmdline: list[str]) -> str:
    text = " ".join(cmdline)
    if cmdline and Path(cmdline[0]).name == "pulumi":
        return "cli"
    if "pulumi.dynamic" in text:
        return "provider"
    if "pulumi-language-python-exec" in text:
        return "program"
    if "language_host" in text:
        return "language"
    return "other"  # the launchers' shells


class TreeWatch:
    """Polls /proc for a process and its descendants: each one's peak RSS (`VmHWM`) and CPU
    time, by role, and the largest sum of their current RSS."""

    ROLES = ("cli", "provider", "program", "language")

    def __init__(self, root: int, interval: float = 0.05) -> None:
        self.root, self.interval = root, interval
        self.procs: dict[int, dict[str, Any]] = {}
        self.together_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="tree-watch")
        self._ticks = os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> "TreeWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()

    def _tree(self) -> list[int]:
        found, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            found.append(pid)
            with contextlib.suppress(OSError):
                for task in os.listdir(f"/proc/{pid}/task"):
                    with contextlib.suppress(OSError):
                        todo += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        return found

    def _sample(self) -> None:
        together = 0.0
        for pid in self._tree():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                entry = self.procs.setdefault(pid, {"role": "other", "hwm": 0.0, "cpu": 0.0})
                if entry["role"] == "other":  # a launcher's shell may exec into the real process
                    entry["role"] = _role(Path(f"/proc/{pid}/cmdline").read_text().split("\0"))
            except OSError:
                continue  # gone since the listing
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            hwm = int(fields.get("VmHWM", "0 kB").split()[0]) / 1024
            rss = int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
            entry["hwm"] = max(entry["hwm"], hwm)
            entry["cpu"] = (int(stat[11]) + int(stat[12])) / self._ticks  # utime + stime
            together += rss
        self.together_mb = max(self.together_mb, together)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def figures(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for role in self.ROLES:
            mine = [p for p in self.procs.values() if p["role"] == role]
            out[f"{role}_mb"] = max((p["hwm"] for p in mine), default=None)
            out[f"{role}_cpu_s"] = sum(p["cpu"] for p in mine) if mine else None
        out["tree_mb"] = self.together_mb  # the most the whole tree held at one moment
        return out


# -- the CLI path ----------------------------------------------------------------------------------

class Stack:
    """A PulumiCLI stack whose commands are timed, watched and counted."""

    def __init__(self, name: str, root: Path, project: Path, platform: Platform, config: dict[str, Any],
                 sims_file: Optional[Path], timeout: float) -> None:
        self.name, self.platform, self.sims_file, self.timeout = name, platform, sims_file, timeout
        self.logs = root / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.cli = PulumiCLI(project, workdir=root / name, stack="bench", timeout=timeout, config=config)
        self.count = 0

    def run(self, label: str, *args: str, env: Optional[dict[str, str]] = None,
            deadline: Optional[float] = None) -> dict[str, Any]:
        """One command: wall time, calls, memory and CPU by process, state size; a command
        that outlives `deadline` (or the timeout) is stopped and reported as such."""
        self.count += 1
        log = self.logs / f"{self.name}-{self.count:02d}-{args[0]}.txt"
        full = [*args, "--non-interactive", "--color", "never", "--stack", self.cli.stack]
        limit = min(deadline or self.timeout, self.timeout)
        self.platform.clear_requests()
        with log.open("w") as out:
            started = time.perf_counter()
            proc = subprocess.Popen([self.cli.pulumi, *full], cwd=self.cli.project_dir,
                                    env={**self.cli.env, **(env or {})}, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
            with TreeWatch(proc.pid) as watch:
                try:
                    returncode, stopped = proc.wait(timeout=limit), False
                except subprocess.TimeoutExpired:
                    os.kill(proc.pid, signal.SIGKILL)
                    returncode, stopped = proc.wait(), True
            seconds = time.perf_counter() - started
        # The CLI starts its plugins in process groups of their own, and a language host or
        # provider host whose engine was killed does not always exit: stop whatever is left
        # of the session this command was started in (its own processes only).
        time.sleep(5 if stopped else 0.5)  # what the engine stops on its way out is gone by then
        left = end_session(proc.pid)
        if stopped:  # the file backend keeps the stopped command's lock
            self.cli.run("cancel", "--yes", check=False)
        text = log.read_text(errors="replace")
        if returncode and not stopped:
            raise RuntimeError(f"`pulumi {' '.join(full)}` exited with {returncode}:\n{text[-4000:]}")
        figures = {"label": label, "path": "cli", "command": "pulumi " + " ".join(args),
                   "settings": " ".join([*(f"{k}={v}" for k, v in (env or {}).items()),
                                         *(a for a in args[1:] if a not in ("--yes", "--skip-preview"))]),
                   "seconds": seconds, "stopped_at_deadline": stopped, **calls(self.platform), **watch.figures(),
                   "output_bytes": len(text.encode()), "log": log.name, "left_running": left}
        figures["together_mb"] = sum(figures[k] or 0 for k in ("cli_mb", "provider_mb"))
        figures["state_bytes"] = self.cli.state_file.stat().st_size if self.cli.state_file.exists() else None
        figures["steps_done"] = len(re.findall(r"\b(created|updated|refreshed)\b \(", text))
        return figures

    def up(self, label: str, *extra: str, **kw: Any) -> dict[str, Any]:
        return self.run(label, "up", "--yes", "--skip-preview", *extra, **kw)

    def preview(self, label: str, *extra: str, **kw: Any) -> dict[str, Any]:
        return self.run(label, "preview", *extra, **kw)

    def refresh(self, label: str, *extra: str, **kw: Any) -> dict[str, Any]:
        return self.run(label, "refresh", "--yes", "--skip-preview", *extra, **kw)


def end_session(sid: int) -> list[str]:
    """SIGKILL every process of session `sid`; answers the command lines of those found."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == sid and fields[0] != "Z":
                found.append((entry / "cmdline").read_text().replace("\0", " ").strip()[:120])
                os.kill(int(entry.name), signal.SIGKILL)
    return found


# -- the runner path ---------------------------------------------------------------------------------

class MeasuredRunner(ProgramRunner):
    """ProgramRunner that keeps the peak RSS of each operation's provider host."""

    host_mb: Optional[float] = None

    @contextlib.contextmanager
    def _host(self):
        with super()._host() as get:
            try:
                yield get
            finally:
                if self.host is not None and self.host.process is not None:
                    self.host_mb = peak_rss_mb(self.host.process.pid)


def run_runner(label: str, runner: MeasuredRunner, op: str, platform: Platform) -> dict[str, Any]:
    platform.clear_requests()
    runner.host_mb = None
    started = time.perf_counter()
    getattr(runner, op)()
    seconds = time.perf_counter() - started
    return {"label": label, "path": "runner", "command": f"ProgramRunner.{op}()", "settings": "",
            "seconds": seconds, **calls(platform), "provider_mb": runner.host_mb,
            "state_bytes": runner.state_path.stat().st_size}


def lanes(label: str, platform: Platform, fn: Any, *args: Any) -> tuple[Any, dict[str, Any]]:
    """A host-driven scenario of bench/scenarios.py, four calls at a time."""
    platform.clear_requests()
    started = time.perf_counter()
    result = fn(*args)
    seconds = time.perf_counter() - started
    figures = {"label": label, "path": "runner", "command": f"scenarios.{fn.__name__}", "settings": "4 lanes",
               "seconds": seconds, **calls(platform)}
    if isinstance(result, dict):  # preview_* and refresh_* measure themselves
        figures.update(seconds=result["seconds"], provider_mb=result.get("peak_rss_mb"))
    return result, figures


# -- the scenarios -------------------------------------------------------------------------------------

def declared_map(sims: list[dict]) -> dict[str, dict]:
    return {s["iccid"]: scenarios.declared(s) for s in sims}


def edited_map(sims: list[dict]) -> tuple[dict[str, dict], int, int]:
    changes, renames = scenarios.pick_changes(sims, EDIT_CHANGES, EDIT_RENAMES)
    entries = declared_map(sims)
    for iccid, field, value in changes + renames:
        entries[iccid] = {**entries[iccid], field: value}
    return entries, len(changes), len(renames)


SHAPES_PROGRAM = '''\
"""No platform at all: one plain dynamic resource holding N entries as a map or as a list,
to show what the engine itself costs for each shape."""
import pulumi
from pulumi.dynamic import CreateResult, DiffResult, Resource, ResourceProvider


class EchoProvider(ResourceProvider):
    def create(self, props):
        return CreateResult("echo", props)

    def diff(self, _id, _olds, _news):
        return DiffResult(changes=False)


class Echo(Resource, module="bench", name="Echo"):
    def __init__(self, name, sims):
        super().__init__(EchoProvider(), name, {"sims": sims})


config = pulumi.Config()
entries = {f"8997{n:016d}": {"name": f"sim-{n}"} for n in range(config.require_int("entries"))}
value = entries if config.require("shape") == "map" else [{"iccid": k, **v} for k, v in entries.items()]
Echo("echo", value)
'''


class Bench:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args, self.work = args, work
        self.project, self.shapes_project = work / "project", work / "shapes-project"
        for folder, program in ((self.project, PROGRAM), (self.shapes_project, SHAPES_PROGRAM)):
            folder.mkdir()
            (folder / "Pulumi.yaml").write_text(f"name: {PROJECT}\nruntime: python\n")
            (folder / "__main__.py").write_text(program)
        self.emulator = EmulatorProcess(1_000, args.latency_ms, args.queue_delay, work / "emulator.log")
        self.platform = Platform(self.emulator)
        self.provider_config = {
            "novaconnect:endpoint": self.emulator.url,
            "novaconnect:token": secret(TOKEN),
            "novaconnect:convergeTimeout": str(int(args.timeout)),
            "novaconnect:pollInterval": "0.25",  # as bench/harness.py configures its hosts
            # The benchmark measures the engine, not the guardrails: its edits (a tenth of the
            # fleet, blocks included) are far over the stack defaults on purpose.
            **UNLIMITED,
        }

    def close(self) -> None:
        self.platform.close()
        self.emulator.stop()

    def reset(self, sims: int) -> list[dict]:
        self.platform.reset(sims=sims, seed=SEED)
        return self.platform.sims()

    def _config(self, kind: str, sims_file: Path) -> dict[str, Any]:
        return {**self.provider_config, f"{PROJECT}:kind": kind, f"{PROJECT}:simsFile": str(sims_file)}

    def _sims_file(self, name: str, entries: dict[str, dict]) -> Path:
        path = self.work / f"{name}.json"
        path.write_text(json.dumps(entries))
        return path

    def stack(self, name: str, kind: str, entries: dict[str, dict]) -> Stack:
        sims_file = self._sims_file(name, entries)
        return Stack(name, self.work, self.project, self.platform, self._config(kind, sims_file), sims_file,
                     self.args.timeout)

    def runner(self, name: str, kind: str, entries: dict[str, dict]) -> MeasuredRunner:
        sims_file = self._sims_file(name, entries)
        return MeasuredRunner(self.project, project=PROJECT, stack="bench", state_path=self.work / f"{name}.state.json",
                              config=self._config(kind, sims_file))

    @staticmethod
    def _adder(rows: list[dict], n: int, kind: str):
        def add(row: dict) -> None:
            rows.append({"sims": n, "kind": kind, **row})
            print_row(rows[-1])
        return add

    # -- SimConfigs ----------------------------------------------------------------------------------
    def configs(self, n: int, rows: list[dict]) -> None:
        add = self._adder(rows, n, "configs")
        sims = self.reset(n)
        entries = declared_map(sims)
        up = f"up: adopt {n:,}"

        (state, _seconds), row = lanes(up, self.platform, scenarios.setup_configs, self.emulator, sims)
        add(row)
        add(lanes("preview", self.platform, scenarios.preview_configs, self.platform, state)[1])
        add(lanes("refresh", self.platform, scenarios.refresh_configs, self.platform, state)[1])

        fast = self.stack(f"configs-{n}", "configs", entries)
        add(fast.up(up, env=SKIP_CHECKPOINTS))
        add(fast.preview("preview"))
        add(fast.preview("preview", env=PARALLEL_DIFF))
        add(fast.refresh("refresh"))
        add(fast.refresh("refresh", "--parallel", "16"))
        if n <= 1_000 or self.args.full:
            add(fast.refresh("refresh", "--parallel", "2"))
        if n <= 1_000:
            add(self.stack(f"configs-{n}-p16", "configs", entries).up(up, "--parallel", "16", env=SKIP_CHECKPOINTS))
        # Checkpoints on: each create rewrites the whole state file, a cost that grows with the
        # square of the count; past 1,000 resources it runs against a deadline and reports how
        # far it got. A fresh stack: the first up is the one with N steps.
        deadline = None if n <= 1_000 else self.args.checkpoint_deadline
        add(self.stack(f"configs-{n}-checkpoints", "configs", entries).up(up, deadline=deadline))

    # -- one SimFleet ---------------------------------------------------------------------------------
    def fleet(self, n: int, rows: list[dict]) -> None:
        add = self._adder(rows, n, "fleet")
        sims = self.reset(n)
        entries = declared_map(sims)
        edit, changes, renames = edited_map(sims)
        up, edit_label = f"up: adopt {n:,}", f"up: edit {changes:,} + {renames} renames"

        runner = self.runner(f"fleet-{n}-runner", "fleet", entries)
        add(run_runner(up, runner, "up", self.platform))
        add(run_runner("preview", runner, "preview", self.platform))
        add(run_runner("refresh", runner, "refresh", self.platform))
        Path(runner.config[f"{PROJECT}:simsFile"]).write_text(json.dumps(edit))
        add(run_runner(edit_label, runner, "up", self.platform))

        self.reset(n)
        stack = self.stack(f"fleet-{n}", "fleet", entries)
        # Past 10,000 SIMs every command runs against a deadline; the fleet's state is then
        # imported (`pulumi stack import`) rather than made by an up that would not finish.
        deadline = None if n <= 10_000 else self.args.deadline
        if deadline:
            import_fleet(stack, entries)
        else:
            add(stack.up(up))
        add(stack.preview("preview", deadline=deadline))
        add(stack.refresh("refresh", deadline=deadline))
        stack.sims_file.write_text(json.dumps(edit))
        if self.args.full and not deadline:
            add(stack.preview("preview --diff: the edit", "--diff"))
        before = stack.cli.state_file.read_bytes()
        add(stack.up(edit_label, deadline=deadline))
        if self.args.full and not deadline:
            # The same edit with checkpoints off: the platform and the checkpoint as before it.
            self.reset(n)
            stack.cli.state_file.write_bytes(before)
            add(stack.up(edit_label, env=SKIP_CHECKPOINTS))

    # -- the engine alone: a map of N entries against a list of N ---------------------------------------
    def shapes(self, n: int, rows: list[dict]) -> None:
        add = self._adder(rows, n, "shapes")
        for shape in ("map", "list"):
            config = {f"{PROJECT}:entries": str(n), f"{PROJECT}:shape": shape}
            stack = Stack(f"shapes-{shape}-{n}", self.work, self.shapes_project, self.platform, config, None,
                          self.args.timeout)
            add(stack.preview(f"preview: create, a {shape}", deadline=self.args.deadline))


def import_fleet(stack: Stack, entries: dict[str, dict]) -> None:
    """Give a stack the fleet of `entries` in state without an up: up a fleet of ten of them,
    export the checkpoint, put every entry into the fleet's inputs and outputs in the form the
    provider stores them (a list sorted by ICCID) and import it."""
    stack.sims_file.write_text(json.dumps(dict(list(entries.items())[:10])))
    stack.cli.up(skip_preview=True)
    deployment = stack.cli.export()
    for resource in deployment["deployment"]["resources"]:
        if resource["type"].endswith(":SimFleet"):
            assert resource["outputs"].get(KEYED), "the provider no longer stores a fleet as a keyed list"
            resource["inputs"]["sims"] = resource["outputs"]["sims"] = encode(entries)
            resource["outputs"]["sim_count"] = len(entries)
    exported = stack.logs / f"{stack.name}-import.json"
    exported.write_text(json.dumps(deployment))
    stack.cli.run("stack", "import", "--file", str(exported))
    stack.sims_file.write_text(json.dumps(entries))


# -- printing and judging ---------------------------------------------------------------------------------

def _mb(value: Optional[float]) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _writes(writes: dict[str, int]) -> str:
    return ",".join(f"{m.split('/')[1]} {n}" for m, n in writes.items()) or "-"


HEADER = (f"   {'operation':38} {'path':6} {'settings':30} {'wall s':>7} {'sim/list':>8} {'writes':30} "
          f"{'CLI MB':>7} {'CLI cpu':>7} {'host MB':>7} {'prog MB':>7} {'state MB':>8}")


def print_row(r: dict) -> None:
    settings = r["settings"].replace("PULUMI_", "").replace("=true", "") or ("defaults" if r["path"] == "cli" else "")
    label = r["label"]
    wall = f"{r['seconds']:7.1f}"
    if r.get("stopped_at_deadline"):
        wall = f">{r['seconds']:.0f}".rjust(7)
        done = f", {r['steps_done']:,} done" if r["steps_done"] else ""
        label += f" (stopped{done})"
    state = "-" if r.get("state_bytes") is None else f"{r['state_bytes'] / 1e6:.1f}"
    cpu = "-" if r.get("cli_cpu_s") is None else f"{r['cli_cpu_s']:.1f}"
    print(f"   {label:38} {r['path']:6} {settings[:30]:30} {wall} {r['sim_list']:8} {_writes(r['writes']):30} "
          f"{_mb(r.get('cli_mb')):>7} {cpu:>7} {_mb(r.get('provider_mb')):>7} {_mb(r.get('program_mb')):>7} {state:>8}",
          flush=True)


def _find(rows: list[dict], sims: int, kind: str, path: str, label: str, settings: str = "") -> Optional[dict]:
    return next((r for r in rows if (r["sims"], r["kind"], r["path"], r["label"]) == (sims, kind, path, label)
                 and (path == "runner" or r["settings"] == settings)), None)


def _seconds(r: dict) -> str:
    return f"{r['seconds']:.1f} s" + (" (stopped at the deadline, unfinished)" if r.get("stopped_at_deadline") else "")


def check_targets(rows: list[dict]) -> list[tuple[str, bool]]:
    checks: list[tuple[str, bool]] = []
    label = f"up: edit {EDIT_CHANGES:,} + {EDIT_RENAMES} renames"
    cli, runner = _find(rows, 10_000, "fleet", "cli", label), _find(rows, 10_000, "fleet", "runner", label)
    if cli and runner:
        ratio = cli["seconds"] / runner["seconds"]
        checks.append((f"10,000-SIM fleet edit: CLI {_seconds(cli)}, {ratio:.1f}x the runner's "
                       f"{runner['seconds']:.1f} s (<= {EDIT_RATIO_MAX}x)", ratio <= EDIT_RATIO_MAX))
        # Writes must match exactly; the reads may differ by the pages polled while the queue
        # runs (timing), but not by a whole sweep (the snapshot read again).
        sweep = sweep_floor(10_000)
        same = cli["writes"] == runner["writes"] and cli["sim_list"] < runner["sim_list"] + sweep
        checks.append((f"10,000-SIM fleet edit: CLI calls {_writes(cli['writes'])}, sim/list {cli['sim_list']}; "
                       f"runner {_writes(runner['writes'])}, sim/list {runner['sim_list']} (the same writes, "
                       f"sim/list within one sweep)", same))
    preview = _find(rows, 100_000, "fleet", "cli", "preview")
    if preview:
        finished = not preview["stopped_at_deadline"]
        checks.append((f"100,000-SIM fleet preview: {_seconds(preview)} (<= {PREVIEW_SECONDS_MAX:.0f} s)",
                       finished and preview["seconds"] <= PREVIEW_SECONDS_MAX))
        checks.append((f"100,000-SIM fleet preview: CLI {_mb(preview['cli_mb'])} MB + provider host "
                       f"{_mb(preview['provider_mb'])} MB = {preview['together_mb']:,.0f} MB"
                       f"{'' if finished else ' when stopped'} (<= {PREVIEW_MB_MAX:,.0f} MB)",
                       finished and preview["together_mb"] <= PREVIEW_MB_MAX))
    return checks


def write_json(path: Optional[str], doc: dict[str, Any]) -> None:
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(doc, indent=1) + "\n")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--full", action="store_true",
                        help="also measure a 100,000-SIM SimFleet, the engine alone at 20,000 entries, and the "
                             "10,000-SIM fleet's edit preview and edit without checkpoints")
    parser.add_argument("--configs", type=int, nargs="*", default=[1_000, 10_000],
                        help="SimConfig counts to measure (default: 1000 10000)")
    parser.add_argument("--fleets", type=int, nargs="*", default=None,
                        help="SimFleet sizes to measure (default: 10000, with --full also 100000)")
    parser.add_argument("--shapes", type=int, nargs="*", default=None,
                        help="entry counts of the engine-alone comparison, a map against a list "
                             "(default: 2500 5000 10000, with --full also 20000)")
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--queue-delay", type=float, default=2.0)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds any one command may take")
    parser.add_argument("--checkpoint-deadline", type=float, default=150.0,
                        help="seconds the checkpointing up of more than 1,000 SimConfigs may run before it is stopped")
    parser.add_argument("--deadline", type=float, default=300.0,
                        help="seconds a command on a fleet past 10,000 SIMs (and the engine-alone preview) may run")
    parser.add_argument("--json", dest="json_path", default=None, help="write the figures as JSON to PATH")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (stacks, logs)")
    args = parser.parse_args(argv)
    fleets = args.fleets if args.fleets is not None else [10_000] + ([100_000] if args.full else [])
    shapes = args.shapes if args.shapes is not None else [2_500, 5_000, 10_000] + ([20_000] if args.full else [])
    if not find_pulumi():
        print("the Pulumi CLI is not on PATH: `make pulumi` builds the pinned one into .venv/bin", file=sys.stderr)
        return 2

    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="novaconnect-bench-cli-"))
    if args.json_path:
        args.json_path = str(Path(args.json_path).resolve())
    # Every process runs from the temporary folder: `python -m` puts its working folder first
    # on sys.path, and a checkout's package must not shadow the one under test.
    os.chdir(work)
    rows: list[dict] = []
    version = subprocess.run([find_pulumi(), "version"], capture_output=True, text=True).stdout.strip()
    doc: dict[str, Any] = {"argv": sys.argv[1:], "pulumi": version,
                           "package": str(Path(pulumi_novaconnect.__file__).parent),
                           "latency_ms": args.latency_ms, "queue_delay": args.queue_delay, "cores": os.cpu_count(),
                           "load_at_start": os.getloadavg(), "rows": rows}
    bench = Bench(args, work)
    try:
        plan = ([("configs", n) for n in sorted(args.configs)] + [("fleet", n) for n in sorted(fleets)]
                + [("shapes", n) for n in sorted(shapes)])
        for kind, n in plan:
            if kind == "shapes":
                print(f"-- the engine alone: one plain dynamic resource holding {n:,} entries, as a map and as a list",
                      flush=True)
            else:
                what = f"{n:,} SimConfigs" if kind == "configs" else f"a {n:,}-SIM SimFleet"
                print(f"-- {what} (one sweep: {sweep_floor(n)} sim/list calls; latency {args.latency_ms:g} ms per "
                      f"call, queue delay {args.queue_delay:g} s)", flush=True)
            print(HEADER)
            getattr(bench, kind)(n, rows)
            write_json(args.json_path, {**doc, "targets": [], "ok": None})  # keep what is done
    finally:
        bench.close()
        if args.keep:
            print(f"(stacks and logs kept in {work})")
        else:
            shutil.rmtree(work, ignore_errors=True)

    checks = check_targets(rows)
    print()
    for line, met in checks:
        print(f"{'PASS' if met else 'FAIL'}  {line}")
    ok = all(met for _line, met in checks)
    doc.update(targets=[{"target": line, "met": met} for line, met in checks], ok=ok,
               run_seconds=time.perf_counter() - started)
    print(f"({doc['run_seconds']:.0f} s in all; {version}; load average {doc['load_at_start'][0]:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end, on {os.cpu_count()} cores)")
    write_json(args.json_path, doc)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
