"""Benchmarks of SIM resources at fleet scale, printed beside their floors and targets.

`make bench` runs 1,000 and 10,000 SIMs; `python bench/run.py --sims 1000 10000 100000` adds
the largest, `--json PATH` writes the figures. The emulator answers every API call after
`--latency-ms` (20) and runs queued changes `--queue-delay` (2 s) after they arrive, so
call counts cost what they would against a distant platform. The exit code is 0 only when
every target is met. Timings are wall-clock on a shared machine; call counts are exact.

Measured at each size N, all through the SDK's real provider host (bench/scenarios.py):
1. preview and refresh of N SimConfigs (four calls at a time, as the engine makes them) and
   of one N-SIM SimFleet: `sim/list` calls (floor: one sweep, ceil(N / 1000)), wall time,
   the host's peak RSS; and the preview of the edit of item 2 through the SimFleet (its
   digest), with the impact lines on and off: time and calls, at most one sweep of each
   report with them on, none off;
2. one apply of N/10 changes (block, limit, group, round-robin) plus N/100 renames through
   one SimFleet: write calls by method and wall time; and the first `--sample` of the same
   changes through SimConfigs, scaled to all of them, in the same run;
3. state bytes per SIM in the SimFleet and per SimConfig, and the pickled `__provider`;
4. the same at every size asked for, to show how cost grows.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from pulumi_novaconnect.emulator import Emulator  # noqa: E402

import scenarios  # noqa: E402
from harness import Platform, state_bytes, sweep_floor  # noqa: E402
from report import check_targets, print_size  # noqa: E402


def measure(sims: int, args: argparse.Namespace) -> dict:
    started = time.perf_counter()
    changes_n, renames_n = sims // 10, sims // 100
    with Emulator(sims=sims, seed=7, queue_delay=args.queue_delay, latency_ms=args.latency_ms) as emu:
        platform = Platform(emu)
        fleet = platform.sims()
        by_iccid = {s["iccid"]: s for s in fleet}
        changes, renames = scenarios.pick_changes(fleet, changes_n, renames_n)
        sweep = min(platform.sweep_seconds() for _ in range(3))
        result: dict = {"sims": sims, "sweep_floor": sweep_floor(sims), "sweep_seconds": sweep,
                        "queue_delay": args.queue_delay, "latency_ms": args.latency_ms}

        inputs, outs, seconds = scenarios.setup_fleet(emu, fleet)
        stored = {k: v for k, v in outs.items() if k != "id"}
        result["fleet"] = {
            "setup_seconds": seconds,
            "preview": scenarios.preview_fleet(platform, inputs, outs),
            "refresh": scenarios.refresh_fleet(platform, inputs, outs),
            "state_bytes": state_bytes(stored),
            "state_bytes_per_sim": state_bytes(stored) / sims,
        }
        result["fleet"]["preview_edit"] = {
            ("impact_on" if impact else "impact_off"): scenarios.preview_edit(platform, inputs, outs, by_iccid,
                                                                              changes + renames, impact=impact)
            for impact in (True, False)}
        result["provider_bytes"] = len(stored["__provider"])
        result["apply"] = {"changes": len(changes), "renames": len(renames),
                           "fleet": scenarios.apply_fleet(platform, inputs, outs, by_iccid, changes + renames)}

        if not args.no_configs:
            emu.reset()  # the seeded fleet again: the SimConfigs apply the very same changes
            configs = fleet[: args.max_configs] if args.max_configs else fleet
            state, seconds = scenarios.setup_configs(emu, configs)
            sizes = [state_bytes(outs) for _inputs, outs in state.values()]
            result["configs"] = {
                "resources": len(state),
                "setup_seconds": seconds,
                "preview": scenarios.preview_configs(platform, state),
                "refresh": scenarios.refresh_configs(platform, state),
                "state_bytes_mean": sum(sizes) / len(sizes),
                "state_bytes_max": max(sizes),
            }
            sample = [c for c in changes if c[0] in state][: args.sample]
            if sample:
                applied = scenarios.apply_configs(platform, state, by_iccid, sample)
                applied["scaled_seconds"] = applied["seconds"] * len(changes) / len(sample)
                result["apply"]["configs"] = applied
                result["apply"]["speedup"] = applied["scaled_seconds"] / result["apply"]["fleet"]["seconds"]
    result["run_seconds"] = time.perf_counter() - started
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sims", type=int, nargs="+", default=[1_000, 10_000],
                        help="fleet sizes to measure (default: 1000 10000; add 100000 for the growth figure)")
    parser.add_argument("--full", action="store_true", help="also measure 100,000 SIMs")
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--queue-delay", type=float, default=2.0)
    parser.add_argument("--sample", type=int, default=200,
                        help="how many of the apply's changes go through SimConfigs (scaled to all)")
    parser.add_argument("--max-configs", type=int, default=None,
                        help="declare at most this many SimConfigs (default: one per SIM)")
    parser.add_argument("--no-configs", action="store_true", help="measure the SimFleet only (quick)")
    parser.add_argument("--json", dest="json_path", default=None, help="write the figures as JSON to PATH")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sims) | ({100_000} if args.full else set()))

    results = []
    for sims in sizes:
        print(f"-- {sims:,} SIMs (latency {args.latency_ms:g} ms per call, queue delay {args.queue_delay:g} s)",
              flush=True)
        results.append(measure(sims, args))
        print_size(results[-1])
        write_json(args.json_path, results, check_targets(results))  # a later size may fail: keep this one
    checks = check_targets(results)
    print()
    for line, met in checks:
        print(f"{'ok    ' if met else 'MISSED'} {line}")
    ok = all(met for _line, met in checks)
    print("all targets met" if ok else "some targets missed")
    write_json(args.json_path, results, checks)
    return 0 if ok else 1


def write_json(path: str | None, results: list[dict], checks: list[tuple[str, bool]]) -> None:
    if not path:
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    ok = all(met for _line, met in checks)
    Path(path).write_text(json.dumps(
        {"sizes": results, "targets": [{"target": line, "met": met} for line, met in checks], "ok": ok},
        indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
