"""What every benchmark scenario needs: an emulator priced like a distant platform, the SDK's
real provider host configured as the engine configures it, the emulator's request log as
the call counter, and the host's peak memory read from outside the process.

Call counts come from the emulator's log, not from our client, so a call the client makes
without meaning to is counted too. Peak RSS is the kernel's high-water mark (`VmHWM` in
/proc/<pid>/status, Linux): psutil is not a dependency, and the mark survives the moment of
the peak, which sampling would miss.
"""
from __future__ import annotations

import concurrent.futures
import json
import math
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Optional


from pulumi_novaconnect.client import NovaConnectClient
from pulumi_novaconnect.emulator import Emulator
from pulumi_novaconnect.testing import EmulatorControl
from pulumi_novaconnect.testing.provider_host import ProviderHost, make_urn, provider_property, secret

PAGE = 1000  # the platform's sim/list page cap: one sweep of N SIMs is ceil(N / PAGE) calls
LANES = 4  # the engine calls a dynamic provider host at most four at a time
TOKEN = "admin-token"
UNLIMITED = {"novaconnect:maxChanges": "10000000", "novaconnect:maxBlocks": "10000000",
             "novaconnect:maxReleases": "10000000"}
FLEET = "pulumi-python:dynamic/novaconnect:SimFleet"
CONFIG = "pulumi-python:dynamic/novaconnect:SimConfig"


def sweep_floor(sims: int) -> int:
    return math.ceil(sims / PAGE)


def peak_rss_mb(pid: int) -> Optional[float]:
    """The process's peak resident set size so far, in MiB; None where /proc is missing."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # the kernel reports kB
    except OSError:
        return None
    return None


def state_bytes(outputs: dict[str, Any]) -> int:
    """What the engine keeps of a resource: its outputs (which carry `__provider`), as JSON."""
    return len(json.dumps(outputs, separators=(",", ":")).encode())


class Platform(EmulatorControl):
    """The emulator, its control surface (a 100,000-SIM state takes a while) and one sweep."""

    def __init__(self, emulator: Emulator) -> None:
        super().__init__(emulator, timeout=300)
        self.emulator = emulator

    def sweep_seconds(self) -> float:
        """One full sweep of sim/list through the client, as the engine's snapshot makes it."""
        client = NovaConnectClient(endpoint=self.emulator.url, token=TOKEN)
        started = time.perf_counter()
        for _ in client.iter_sims():
            pass
        return time.perf_counter() - started


class Host:
    """One provider host process configured for the emulator, as one `pulumi` run starts it."""

    def __init__(self, emulator: Emulator, *, timeout: float = 600, config: Optional[dict] = None) -> None:
        self.host = ProviderHost(call_timeout=timeout).start()
        self.host.configure({
            **(config or {}),
            "novaconnect:endpoint": emulator.url,
            "novaconnect:token": secret(TOKEN),
            "novaconnect:convergeTimeout": str(int(timeout)),
            "novaconnect:pollInterval": "0.25",
            # The benchmark measures the engine, not the guardrails: its edits (a tenth of the
            # fleet, blocks included) are far over the stack defaults on purpose.
            **UNLIMITED,
        })

    @property
    def peak_rss_mb(self) -> Optional[float]:
        return peak_rss_mb(self.host.process.pid)

    def stop(self) -> None:
        self.host.stop()

    def __enter__(self) -> "Host":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def in_lanes(fn: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
    with concurrent.futures.ThreadPoolExecutor(max_workers=LANES) as pool:
        return list(pool.map(fn, items))


def fleet_urn() -> str:
    return make_urn("bench", "bench", FLEET, "fleet")


def config_urn(iccid: str) -> str:
    return make_urn("bench", "bench", CONFIG, iccid)


def with_provider(provider: Any, props: dict[str, Any]) -> dict[str, Any]:
    return {**provider_property(provider), **props}


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started
