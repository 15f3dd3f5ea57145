"""Printing the figures beside their floors, and judging them against the targets.

The targets are the SimFleet issue's. Those stated for 10,000 SIMs are judged at that size
only (they assume its 1,000 changes and ten pages); the ones that hold per SIM or per call
(state bytes, queue calls per kind) are judged at every size; RSS growth compares the
largest size with 10,000.
"""
from __future__ import annotations

import math
from typing import Optional

WRITE_CALLS_MAX = 3  # one queue call per kind of change (block, limit, group)...
MAX_BATCH = 1000  # ...each split at novaconnect:maxBatch (default 1,000 SIMs per call)
SIM_LIST_MAX_10K = 12
FLEET_BYTES_PER_SIM = 300
CONFIG_BYTES = 2048
RSS_MB_10K = 300
SPEEDUP_MIN = 30
SWEEPS_ALLOWED = 3


def _mb(value: Optional[float]) -> str:
    return "n/a" if value is None else f"{value:.0f} MB"


def print_size(r: dict) -> None:
    floor = r["sweep_floor"]
    print(f"   one full sweep: {floor} sim/list calls, {r['sweep_seconds']:.2f} s")
    rows = [("SimFleet", r["fleet"])]
    if "configs" in r:
        rows.append((f"{r['configs']['resources']:,} SimConfigs", r["configs"]))
    for name, figures in rows:
        for step in ("preview", "refresh"):
            f = figures[step]
            print(f"   {step:7} {name:18} sim/list {f['sim_list']:3} (floor {floor})  "
                  f"{f['seconds']:7.2f} s  host peak RSS {_mb(f['peak_rss_mb'])}")
    for which, f in r["fleet"].get("preview_edit", {}).items():
        calls = ", ".join(f"{m} {n}" for m, n in f["calls"].items())
        print(f"   preview SimFleet edit, impact lines {which[7:]:3}: {calls}  {f['seconds']:7.2f} s  "
              f"host peak RSS {_mb(f['peak_rss_mb'])}")
    a = r["apply"]
    fleet = a["fleet"]
    queued = {m: n for m, n in fleet["writes"].items() if m != "sim/edit"}
    print(f"   apply   SimFleet, {a['changes']:,} changes + {a['renames']} renames: writes {fleet['writes']} "
          f"(floor {len(queued)} queue calls + {a['renames']} sim/edit), {fleet['seconds']:.2f} s "
          f"(floor {r['queue_delay']:g} s queue delay; target <= delay + 3 sweeps = "
          f"{r['queue_delay'] + SWEEPS_ALLOWED * r['sweep_seconds']:.2f} s)")
    if "configs" in a:
        c = a["configs"]
        print(f"   apply   {c['resources']} SimConfigs of the same changes: {c['seconds']:.2f} s, "
              f"writes {sum(c['writes'].values())}; scaled to {a['changes']:,}: {c['scaled_seconds']:.0f} s, "
              f"{a['speedup']:.0f}x the fleet")
    print(f"   state   SimFleet {r['fleet']['state_bytes_per_sim']:.0f} B per SIM "
          f"({r['fleet']['state_bytes']:,} B in all)", end="")
    if "configs" in r:
        print(f", SimConfig {r['configs']['state_bytes_mean']:.0f} B mean / {r['configs']['state_bytes_max']} B max",
              end="")
    print(f", __provider {r['provider_bytes']:,} B of it")
    print(f"   ({r['run_seconds']:.0f} s for this size)", flush=True)


def check_targets(results: list[dict]) -> list[tuple[str, bool]]:
    checks: list[tuple[str, bool]] = []
    by_size = {r["sims"]: r for r in results}
    for r in results:
        n = f"{r['sims']:,}"
        fleet_apply = r["apply"]["fleet"]
        queued = sum(v for m, v in fleet_apply["writes"].items() if m != "sim/edit")
        edits = fleet_apply["writes"].get("sim/edit", 0)
        # Three kinds, each ceil(its SIMs / maxBatch) calls: 3 at 1,000 changes, 12 at 10,000.
        allowed = WRITE_CALLS_MAX * math.ceil(math.ceil(r["apply"]["changes"] / 3) / MAX_BATCH)
        checks.append((f"{n}: SimFleet apply makes {queued} queue write calls (<= {allowed}) and "
                       f"{edits} sim/edit (= {r['apply']['renames']} renames)",
                       queued <= allowed and edits == r["apply"]["renames"]))
        per_sim = r["fleet"]["state_bytes_per_sim"]
        checks.append((f"{n}: SimFleet state {per_sim:.0f} B per SIM (<= {FLEET_BYTES_PER_SIM})",
                       per_sim <= FLEET_BYTES_PER_SIM))
        edit = r["fleet"].get("preview_edit")
        if edit:
            on, off = edit["impact_on"], edit["impact_off"]
            reports = off["calls"]["report/day"] + off["calls"]["report/sessions"]
            checks.append((f"{n}: preview of the edit with impact lines off reads no report ({reports} calls) and "
                           f"with them on no more sim/list ({on['calls']['sim/list']} = {off['calls']['sim/list']}); "
                           "neither writes", reports == 0 and on["calls"]["sim/list"] == off["calls"]["sim/list"]
                           and not on["writes"] and not off["writes"]))
        if "configs" in r:
            size = r["configs"]["state_bytes_max"]
            checks.append((f"{n}: SimConfig state {size} B at most (<= {CONFIG_BYTES})", size <= CONFIG_BYTES))
        if r["sims"] != 10_000:
            continue
        allowed = r["queue_delay"] + SWEEPS_ALLOWED * r["sweep_seconds"]
        checks.append((f"{n}: SimFleet apply {fleet_apply['seconds']:.2f} s (<= queue delay + 3 sweeps = "
                       f"{allowed:.2f} s)", fleet_apply["seconds"] <= allowed))
        if "speedup" in r["apply"]:
            checks.append((f"{n}: SimFleet apply {r['apply']['speedup']:.0f}x faster than SimConfigs "
                           f"(>= {SPEEDUP_MIN}x)", r["apply"]["speedup"] >= SPEEDUP_MIN))
        for name, figures in (("SimFleet", r["fleet"]), ("SimConfigs", r.get("configs"))):
            if figures is None:
                continue
            for step in ("preview", "refresh"):
                f = figures[step]
                checks.append((f"{n}: {step} of {name} costs {f['sim_list']} sim/list calls (<= {SIM_LIST_MAX_10K})",
                               f["sim_list"] <= SIM_LIST_MAX_10K))
                rss = f["peak_rss_mb"]
                if rss is not None:
                    checks.append((f"{n}: {step} of {name}: host peak RSS {rss:.0f} MB (<= {RSS_MB_10K} MB)",
                                   rss <= RSS_MB_10K))
    if 10_000 in by_size and 100_000 in by_size:
        small, big = by_size[10_000], by_size[100_000]
        for name in ("fleet", "configs"):
            if name not in small or name not in big:
                continue
            for step in ("preview", "refresh"):
                a, b = small[name][step]["peak_rss_mb"], big[name][step]["peak_rss_mb"]
                if a and b:
                    checks.append((f"100,000: {step} of {'SimFleet' if name == 'fleet' else 'SimConfigs'}: host peak "
                                   f"RSS {b:.0f} MB, {b / a:.1f}x that at 10,000 (<= 10x: no worse than linear)",
                                   b <= 10 * a))
    return checks
