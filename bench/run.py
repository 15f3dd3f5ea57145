"""Benchmarks of the fleet-sized paths, printed as figures against their targets.

Run with `make bench` (or `python bench/run.py [--sims 10000] [--resources 1000]`). These
machines are shared and noisy, so nothing here is a unit test: the figures are printed,
compared with the targets below, and the exit code says whether every target was met.

What is measured:
1. sweep: one shared `sim/list` snapshot of the whole fleet (paged at 1000), through the
   client, against the emulator over loopback HTTP: wall time and peak Python memory.
2. plan: the planning rules for every SIM of the fleet (pure CPU).
3. preview: `Diff` of N SimConfigs through the SDK's real provider host, 4 calls at a
   time as the engine makes them: wall time, and how many `sim/list` requests it cost
   (one sweep is ceil(fleet / 1000) requests, however many resources there are).
4. converge: `Create` of N/5 SimConfigs that each need a change, 4 at a time, with the
   emulator's queue delay: wall time and `sim/list` requests (waiters share sweeps).
"""
from __future__ import annotations

import argparse
import concurrent.futures
import math
import sys
import time
import tracemalloc
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pulumi_novaconnect.client import NovaConnectClient  # noqa: E402
from pulumi_novaconnect.emulator import Emulator  # noqa: E402
from pulumi_novaconnect.resources.sim_config import SimConfigProvider  # noqa: E402
from pulumi_novaconnect.sim.plan import plan  # noqa: E402
from pulumi_novaconnect.sim.spec import SimSpec  # noqa: E402
from pulumi_novaconnect.provider.snapshot import Snapshot  # noqa: E402
from pulumi_novaconnect.testing.provider_host import ProviderHost, make_urn, provider_property, secret  # noqa: E402

TARGETS = {
    "sweep_seconds_per_10k": 10.0,
    "sweep_peak_mb_per_10k": 150.0,
    "plan_us_per_sim": 200.0,
    "preview_seconds_per_1k": 30.0,
    "converge_seconds_per_200": 60.0,
}
TYPE = "pulumi-python:dynamic/novaconnect:SimConfig"


def sim_list_requests(emu: Emulator) -> int:
    log = requests.get(f"{emu.control_url}/requests", timeout=30).json()
    log = log["requests"] if isinstance(log, dict) else log
    return sum(1 for r in log if r["method"] == "sim/list")


def clear_requests(emu: Emulator) -> None:
    requests.delete(f"{emu.control_url}/requests", timeout=30).raise_for_status()


def bench_sweep(emu: Emulator, sims: int) -> dict:
    client = NovaConnectClient(endpoint=emu.url, token="admin-token")
    snapshot = Snapshot(client.iter_sims, lambda s: (("iccid", s.iccid),), ttl=60)
    tracemalloc.start()
    started = time.perf_counter()
    view = snapshot.get()
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(view.items) == sims, (len(view.items), sims)
    scale = 10_000 / sims
    return {
        "sims": sims,
        "seconds": seconds,
        "peak_mb": peak / 2**20,
        "sweep_seconds_per_10k": seconds * scale,
        "sweep_peak_mb_per_10k": peak / 2**20 * scale,
        "view": view,
    }


def bench_plan(view) -> dict:
    specs = [
        SimSpec(iccid=s.iccid, name=f"n-{s.id}", groups=("A",), blocked=False,
                limit={"type": "month1", "value_mb": 100} if s.profile == "TC" else None,
                tariff={"package_mb": 20, "auto_package": True} if s.profile == "TD" else None)
        for s in view.items
    ]
    started = time.perf_counter()
    for sim, spec in zip(view.items, specs):
        plan(sim, spec)
    seconds = time.perf_counter() - started
    return {"plans": len(specs), "seconds": seconds, "plan_us_per_sim": seconds / len(specs) * 1e6}


def _config(emu: Emulator) -> dict:
    return {
        "novaconnect:endpoint": emu.url,
        "novaconnect:token": secret("admin-token"),
        "novaconnect:convergeTimeout": "120",
        "novaconnect:pollInterval": "0.25",
    }


def bench_preview(emu: Emulator, view, resources: int) -> dict:
    provider = provider_property(SimConfigProvider())
    items = [s for s in view.items if s.block == "n"][:resources]
    olds = []
    for s in items:
        inputs = {"iccid": s.iccid, "name": s.name or "x", "on_delete": "retain"}
        outputs = {**inputs, "sim_id": s.id, "groups": None}
        olds.append((s.iccid, outputs, {**provider, **inputs}))
    clear_requests(emu)
    with ProviderHost() as host:
        host.configure(_config(emu))
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            diffs = list(pool.map(lambda o: host.diff(make_urn("bench", "bench", TYPE, o[0]), o[0], o[1], o[2]), olds))
        seconds = time.perf_counter() - started
    changes = sum(1 for d in diffs if d.changes)
    return {
        "resources": len(olds),
        "seconds": seconds,
        "changes": changes,
        "sim_list_requests": sim_list_requests(emu),
        "preview_seconds_per_1k": seconds * 1000 / len(olds),
    }


def bench_converge(emu: Emulator, view, resources: int) -> dict:
    provider = provider_property(SimConfigProvider())
    items = [s for s in view.items if s.block == "n" and s.profile == "TC"][:resources]
    clear_requests(emu)
    with ProviderHost() as host:
        host.configure(_config(emu))
        started = time.perf_counter()

        def create(s):
            props = {**provider, "iccid": s.iccid, "name": f"bench-{s.id}", "limit": {"type": "month1", "value_mb": 123}, "on_delete": "retain"}
            return host.create(make_urn("bench", "bench", TYPE, s.iccid), props)

        with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
            results = list(pool.map(create, items))
        seconds = time.perf_counter() - started
    assert all(outs["limit"]["value_mb"] == 123 for _, outs in results)
    return {
        "resources": len(items),
        "seconds": seconds,
        "sim_list_requests": sim_list_requests(emu),
        "converge_seconds_per_200": seconds * 200 / len(items),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sims", type=int, default=10_000)
    parser.add_argument("--resources", type=int, default=1_000)
    parser.add_argument("--queue-delay", type=float, default=0.5)
    args = parser.parse_args(argv)

    with Emulator(sims=args.sims, seed=7, queue_delay=args.queue_delay) as emu:
        sweep = bench_sweep(emu, args.sims)
        view = sweep.pop("view")
        planned = bench_plan(view)
        preview = bench_preview(emu, view, args.resources)
        converge = bench_converge(emu, view, max(1, args.resources // 5))

    pages = math.ceil(args.sims / 1000)
    rows = [
        ("sweep", f"{sweep['sims']} SIMs in {sweep['seconds']:.2f}s, peak {sweep['peak_mb']:.1f} MB",
         [("sweep_seconds_per_10k", sweep), ("sweep_peak_mb_per_10k", sweep)]),
        ("plan", f"{planned['plans']} plans in {planned['seconds']:.3f}s", [("plan_us_per_sim", planned)]),
        ("preview", f"{preview['resources']} diffs in {preview['seconds']:.2f}s, {preview['changes']} with changes, "
                    f"{preview['sim_list_requests']} sim/list requests (one sweep = {pages})",
         [("preview_seconds_per_1k", preview)]),
        ("converge", f"{converge['resources']} creates in {converge['seconds']:.2f}s, "
                     f"{converge['sim_list_requests']} sim/list requests",
         [("converge_seconds_per_200", converge)]),
    ]
    ok = True
    for name, figures, checks in rows:
        print(f"{name:9} {figures}")
        for key, source in checks:
            met = source[key] <= TARGETS[key]
            ok &= met
            print(f"{'':9}   {key} = {source[key]:.2f} (target <= {TARGETS[key]:g}) {'ok' if met else 'MISSED'}")
    one_sweep = preview["sim_list_requests"] == pages
    ok &= one_sweep
    print(f"{'':9}   preview cost one sweep: {'ok' if one_sweep else 'MISSED'}")
    print("all targets met" if ok else "some targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
