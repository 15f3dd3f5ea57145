"""One shared, thread-safe picture of a platform list (``sim/list``, ``group/list``, ...).

The engine runs up to four provider calls at once in one process (the dynamic host's
thread pool), and a deployment can hold thousands of SimConfigs. Looking each SIM up on
its own would cost one request per resource; instead every resource reads the same
snapshot, and one paginated sweep refreshes it for all of them:

* a sweep that ended more than ``ttl`` ago is stale and the next reader sweeps again (it
  counts from the end: a sweep of 100,000 SIMs takes tens of seconds, and counting from
  its start would make the preview that waited for it sweep a second time);
* after we write to an entity we mark its key dirty, and a reader of that key waits for a
  read that *started* after the write (a read started earlier may predate it);
* readers waiting for a queue task ask for a read newer than the one they last saw;
  concurrent readers share one refresh (only one runs at a time).

When the list can be read page by page in a stable order (``load_page``), a reader whose
keys alone are out of date gets only the pages that hold them, and every reader waiting at
that moment shares those pages: on a 10,000-SIM fleet, waiting for a few SIMs costs one
page each round instead of ten. Positions come from the last full sweep; a page that no
longer holds what it held (SIMs added or removed) falls back to a full sweep.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Generic, Hashable, Iterable, Optional, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class SnapshotView(Generic[T]):
    """The list as last read: items in order, indexed, and when each part was read."""

    items: tuple[T, ...]
    index: dict[Hashable, T]
    taken_at: float  # start of the last full sweep: what writes and pollers compare with
    done_at: float = float("inf")  # its end: what the time-to-live counts from
    position: dict[Hashable, int] = field(default_factory=dict)
    fresh: dict[Hashable, float] = field(default_factory=dict)  # keys re-read by page since

    def get(self, key: Hashable) -> Optional[T]:
        return self.index.get(key)

    def fresh_at(self, key: Hashable) -> float:
        """When the entity under ``key`` was last read (start of that request)."""
        return self.fresh.get(key, self.taken_at)


class Snapshot(Generic[T]):
    """A lazily refreshed list shared by every reader in the process."""

    def __init__(
        self,
        load: Callable[[], Iterable[T]],
        keys: Callable[[T], Iterable[Hashable]],
        *,
        ttl: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
        load_page: Optional[Callable[[int, int], Iterable[T]]] = None,
        page_size: int = 1000,
    ) -> None:
        self._load = load
        self._keys = keys
        self._ttl = ttl
        self._clock = clock
        self._load_page = load_page
        self._page_size = page_size
        self._cond = threading.Condition()
        self._view: Optional[SnapshotView[T]] = None
        self._refreshing = False
        self._want_full = False
        self._want_pages: set[int] = set()
        self._dirty: dict[Hashable, float] = {}
        self._floor = float("-inf")

    def mark_dirty(self, *keys: Hashable) -> None:
        """Record that we just wrote to these entities: their next read must start later."""
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

        ``newer_than`` asks for a read started strictly after that moment (pollers pass the
        ``fresh_at`` of the key they watch, from the view they last saw).
        """
        while True:
            with self._cond:
                view = self._view
                if view is not None:
                    stale = self._stale_keys(view, keys, newer_than)
                    if stale is not None and not stale:
                        return view
                    pages = self._pages_for(view, stale)
                else:
                    pages = None
                if pages is None:
                    self._want_full = True
                else:
                    self._want_pages |= pages
                if self._refreshing:
                    self._cond.wait()
                    continue
                self._refreshing = True
                full, wanted = self._want_full, sorted(self._want_pages)
                self._want_full, self._want_pages = False, set()
            try:
                self._refresh(full, wanted)
            finally:
                with self._cond:
                    self._refreshing = False
                    self._cond.notify_all()

    def _stale_keys(
        self, view: SnapshotView[T], keys: tuple[Hashable, ...], newer_than: Optional[float]
    ) -> Optional[list[Hashable]]:
        """Keys the view is too old for; None when the whole view is too old."""
        if view.taken_at < self._floor or view.done_at < self._clock() - self._ttl:
            return None
        if not keys:
            return [] if newer_than is None or view.taken_at > newer_than else None
        stale = []
        for key in keys:
            at = view.fresh_at(key)
            if at < self._dirty.get(key, self._floor) or (newer_than is not None and at <= newer_than):
                stale.append(key)
        return stale

    def _pages_for(self, view: SnapshotView[T], stale: Optional[list[Hashable]]) -> Optional[set[int]]:
        """The pages that hold ``stale`` keys, or None when a full sweep is cheaper or needed."""
        if stale is None or self._load_page is None:
            return None
        pages = set()
        for key in stale:
            position = view.position.get(key)
            if position is None:
                return None
            pages.add(position // self._page_size)
        if len(pages) >= math.ceil(len(view.items) / self._page_size):
            return None
        return pages

    def _refresh(self, full: bool, pages: list[int]) -> None:
        if not full:
            for page in pages:
                if not self._reread_page(page):
                    full = True
                    break
        if full:
            self._sweep()

    def _sweep(self) -> None:
        started = self._clock()
        items = tuple(self._load())
        index: dict[Hashable, T] = {}
        position: dict[Hashable, int] = {}
        for n, item in enumerate(items):
            for key in self._keys(item):
                index[key] = item
                position[key] = n
        with self._cond:
            self._view = SnapshotView(items=items, index=index, taken_at=started, done_at=self._clock(),
                                      position=position)

    def _reread_page(self, page: int) -> bool:
        """Re-read one page in place; False when the list has shifted under it."""
        assert self._load_page is not None
        view = self._view
        assert view is not None
        started = self._clock()
        fetched = list(self._load_page(page, self._page_size))
        first = page * self._page_size
        if not fetched:
            return False
        for n, item in enumerate(fetched):
            if any(view.position.get(key) != first + n for key in self._keys(item)):
                return False  # added, removed or reordered since the sweep
        items = list(view.items)
        index = dict(view.index)
        fresh = dict(view.fresh)
        for n, item in enumerate(fetched):
            items[first + n] = item
            for key in self._keys(item):
                index[key] = item
                fresh[key] = started
        with self._cond:
            self._view = SnapshotView(
                items=tuple(items), index=index, taken_at=view.taken_at, done_at=view.done_at,
                position=view.position, fresh=fresh,
            )
        return True
