"""One shared, thread-safe picture of a platform list (``sim/list``, ``group/list``, ...).

The engine runs up to four provider calls at once in one process (the dynamic host's
thread pool), and a deployment can hold thousands of SimConfigs. Looking each SIM up on
its own would cost one request per resource; instead every resource reads the same
snapshot, and one paginated sweep refreshes it for all of them:

* a sweep older than ``ttl`` is stale and the next reader sweeps again;
* after we write to an entity we mark its key dirty, and a reader of that key waits for a
  sweep that *started* after the write (a sweep started earlier may predate it);
* readers waiting for a queue task ask for a sweep newer than the one they last saw;
  concurrent readers share one sweep (only one runs at a time), so N waiters cost one
  sweep per poll interval, not N.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Callable, Generic, Hashable, Iterable, Optional, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class SnapshotView(Generic[T]):
    """The result of one sweep: the items, indexed, and when the sweep started."""

    items: tuple[T, ...]
    index: dict[Hashable, T]
    taken_at: float
    sweep: int

    def get(self, key: Hashable) -> Optional[T]:
        return self.index.get(key)


class Snapshot(Generic[T]):
    """A lazily refreshed list shared by every reader in the process."""

    def __init__(
        self,
        load: Callable[[], Iterable[T]],
        keys: Callable[[T], Iterable[Hashable]],
        *,
        ttl: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load = load
        self._keys = keys
        self._ttl = ttl
        self._clock = clock
        self._cond = threading.Condition()
        self._view: Optional[SnapshotView[T]] = None
        self._sweeping = False
        self._sweeps = 0
        self._dirty: dict[Hashable, float] = {}
        self._floor = float("-inf")

    @property
    def sweeps(self) -> int:
        """How many sweeps this snapshot has made (for tests and benchmarks)."""
        return self._sweeps

    def mark_dirty(self, *keys: Hashable) -> None:
        """Record that we just wrote to these entities: their next read needs a new sweep."""
        now = self._clock()
        with self._cond:
            for key in keys:
                self._dirty[key] = now

    def invalidate(self) -> None:
        """Make the next read of anything sweep again (after a create or remove)."""
        with self._cond:
            self._floor = self._clock()

    def get(self, *keys: Hashable, newer_than: Optional[float] = None) -> SnapshotView[T]:
        """A view fresh enough for ``keys``: not stale, and not older than their last write.

        ``newer_than`` asks for a sweep started strictly after that moment (pollers pass the
        ``taken_at`` of the view they last saw).
        """
        while True:
            with self._cond:
                required = max(self._clock() - self._ttl, self._floor)
                for key in keys:
                    required = max(required, self._dirty.get(key, required))
                while True:
                    view = self._view
                    if view is not None and view.taken_at >= required and (
                        newer_than is None or view.taken_at > newer_than
                    ):
                        return view
                    if not self._sweeping:
                        self._sweeping = True
                        break
                    self._cond.wait()
            self._sweep()

    def _sweep(self) -> None:
        started = self._clock()
        try:
            items = tuple(self._load())
        except BaseException:
            with self._cond:
                self._sweeping = False
                self._cond.notify_all()
            raise
        index: dict[Hashable, T] = {}
        for item in items:
            for key in self._keys(item):
                index[key] = item
        with self._cond:
            self._sweeps += 1
            self._view = SnapshotView(items=items, index=index, taken_at=started, sweep=self._sweeps)
            self._sweeping = False
            self._cond.notify_all()
