"""The platform as the SIM engine sees it: one value handed to the engine, not globals.

A :class:`Platform` holds everything the engine reaches NovaConnect through: the API client,
the shared ``sim/list`` and ``group/list`` snapshots, the settings (batch size, timeout, poll
interval), what the queue has recently taken, who the token belongs to, and a :class:`Clock`.
The provider process builds one from its configuration (``registry.platform()``); anything
else (a benchmark, a test) builds its own with :meth:`Platform.build`, and a test hands it a
:class:`ManualClock` so that the engine's waits and timeouts take no real time.

The clock is the one source of time for everything the engine compares: its deadline, the
snapshot's freshness and the client's retry budget all read it, so a wait timed by one clock
is never measured against another.
"""
from __future__ import annotations

import statistics
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable, Optional, Protocol

from ..client import NovaConnectClient
from ..client.models import Group, Sim, User
from ..client.pagination import MAX_PAGE_SIZE
from ..client.retry import RetryPolicy
from ..errors import NotFoundOnPlatform
from ..provider.config import ProviderSettings
from ..provider.snapshot import Snapshot
from .plan import Plan, plan
from .spec import SimSpec

__all__ = ["Clock", "ManualClock", "Platform", "QueueLatency", "SYSTEM_CLOCK", "SystemClock", "group_snapshot",
           "sim_snapshot"]


class Clock(Protocol):
    """Where the engine reads the time and waits."""

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The process's monotonic clock and real sleeps."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


SYSTEM_CLOCK = SystemClock()


class ManualClock:
    """Time that passes only when someone sleeps: a sleep returns at once, the time moved on.

    Every reading is a little later than the one before (``tick``), as real time is: the
    snapshot tells a read made after a write from one made before it by comparing times, and
    two equal readings would make a write look already read. ``slept`` lists every sleep, so
    a test can tell how the engine spaced its looks.
    """

    def __init__(self, start: float = 1000.0, *, tick: float = 1e-6) -> None:
        self._now = start
        self._tick = tick
        self._lock = threading.Lock()
        self.slept: list[float] = []

    def monotonic(self) -> float:
        with self._lock:
            self._now += self._tick
            return self._now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self._now += max(0.0, seconds)

    def advance(self, seconds: float) -> None:
        """Move time on without a sleep (as a slow call would)."""
        with self._lock:
            self._now += seconds


class QueueLatency:
    """How long the platform's queue has recently taken, learnt from our own waits.

    A sweep that starts before the queue has run is wasted (on a 10,000-SIM fleet it is ten
    requests), so the first look after a write waits for most of the typical latency.
    """

    def __init__(self, window: int = 32) -> None:
        self._lock = threading.Lock()
        self._seen: deque[float] = deque(maxlen=window)

    def record(self, seconds: float) -> None:
        with self._lock:
            self._seen.append(seconds)

    def first_look(self, poll_interval: float) -> float:
        with self._lock:
            typical = statistics.median(self._seen) if self._seen else 0.0
        return max(poll_interval, 0.9 * typical)


# SIMs are swept in id order so that a SIM's position, and so its page, stays put: a wait for
# a few SIMs then re-reads only their pages (sort keys are Sim field names).
_BY_ID = {"id": "ASC"}


def sim_snapshot(api: NovaConnectClient, *, ttl: float, clock: Clock = SYSTEM_CLOCK) -> Snapshot[Sim]:
    """Every SIM of the account, by ``("iccid", ...)`` and ``("id", ...)``, read page by page."""
    return Snapshot(
        lambda: api.iter_sims(sort=_BY_ID),
        lambda sim: (("iccid", sim.iccid), ("id", sim.id)),
        ttl=ttl,
        clock=clock.monotonic,
        load_page=lambda page, size: api.sim_list(page, size, sort=_BY_ID).items,
        page_size=MAX_PAGE_SIZE,
    )


def group_snapshot(api: NovaConnectClient, *, ttl: float, clock: Clock = SYSTEM_CLOCK) -> Snapshot[Group]:
    """Every group, by ``("id", ...)`` and ``("name", ...)``."""
    return Snapshot(lambda: api.iter_groups(), lambda group: (("id", group.id), ("name", group.name)),
                    ttl=ttl, clock=clock.monotonic, page_size=MAX_PAGE_SIZE)


@dataclass(frozen=True)
class Platform:
    """What the SIM engine reaches NovaConnect through; see the module docstring."""

    client: NovaConnectClient
    sims: Snapshot[Sim]
    groups: Snapshot[Group]
    settings: ProviderSettings
    clock: Clock = SYSTEM_CLOCK
    queue_latency: QueueLatency = field(default_factory=QueueLatency)
    # The user the API token belongs to: its role decides, before the first write, whether
    # the changes can be made at all. A call, so that only a run that writes looks it up.
    token_owner: Optional[Callable[[], User]] = None

    @classmethod
    def build(cls, settings: ProviderSettings, *, clock: Clock = SYSTEM_CLOCK,
              client: Optional[NovaConnectClient] = None) -> "Platform":
        """A platform of its own from ``settings``: a new client (whose retries wait on
        ``clock`` too), new snapshots and nothing learnt about the queue yet."""
        if client is None:
            client = NovaConnectClient(endpoint=settings.endpoint, token=settings.require_token(), lang=settings.lang,
                                       timeout=settings.request_timeout,
                                       retry=RetryPolicy(sleep=clock.sleep, clock=clock.monotonic))
        return cls(client=client, sims=sim_snapshot(client, ttl=settings.snapshot_ttl, clock=clock),
                   groups=group_snapshot(client, ttl=settings.snapshot_ttl, clock=clock),
                   settings=settings, clock=clock, token_owner=_once(client.user_get))

    def owner(self) -> User:
        """The user the API token belongs to."""
        return (self.token_owner or self.client.user_get)()

    def sim(self, iccid: str) -> Optional[Sim]:
        """The live SIM with this ICCID from the shared sweep, or None."""
        key = ("iccid", iccid)
        return self.sims.get(key).get(key)

    def find_sim(self, iccid: str) -> Sim:
        sim = self.sim(iccid)
        if sim is None:
            raise NotFoundOnPlatform(f"SIM {iccid} is not on this NovaConnect account (sim/list does not list it)")
        return sim

    def group_id(self, name: str) -> Optional[int]:
        """The id of the group called ``name`` now, from the shared group list."""
        key = ("name", name)
        group = self.groups.get(key).get(key)
        return group.id if group is not None else None

    def plan_for(self, sim: Sim, spec: SimSpec) -> Plan:
        """The plan for one SIM, group names resolved through the shared group list."""
        return plan(sim, spec, group_id=self.group_id)


def _once(call: Callable[[], User]) -> Callable[[], User]:
    """``call``, made at most once (its answer kept); concurrent first callers share it."""
    lock = threading.Lock()
    kept: list[User] = []

    def once() -> User:
        with lock:
            if not kept:
                kept.append(call())
            return kept[0]

    return once
