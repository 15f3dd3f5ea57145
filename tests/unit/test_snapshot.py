"""The shared snapshot: one sweep serves every concurrent reader."""
from __future__ import annotations

import threading
import time

from pulumi_novaconnect.provider.snapshot import Snapshot
from pulumi_novaconnect.sim.platform import ManualClock


def counting_loader(items, delay=0.05):
    calls = []

    def load():
        calls.append(time.monotonic())
        time.sleep(delay)
        return list(items)

    return load, calls


def test_concurrent_readers_share_one_sweep():
    load, calls = counting_loader([1, 2, 3])
    snap = Snapshot(load, lambda x: [x], ttl=60)
    results = []
    threads = [threading.Thread(target=lambda: results.append(snap.get(2).get(2))) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [2] * 16
    assert len(calls) == 1


def test_a_fresh_view_is_reused_until_it_goes_stale():
    load, calls = counting_loader([1], delay=0)
    clock = ManualClock()
    snap = Snapshot(load, lambda x: [x], ttl=0.2, clock=clock.monotonic)
    snap.get()
    snap.get()
    assert len(calls) == 1
    clock.advance(0.25)
    snap.get()
    assert len(calls) == 2


def test_a_dirty_key_waits_for_a_sweep_started_after_the_write():
    load, calls = counting_loader([1, 2], delay=0)
    snap = Snapshot(load, lambda x: [x], ttl=60)
    snap.get()
    snap.get(1)
    assert len(calls) == 1
    snap.mark_dirty(1)
    snap.get(2)  # another key is not affected by the write
    assert len(calls) == 1
    snap.get(1)
    assert len(calls) == 2


def test_newer_than_asks_for_a_later_sweep():
    load, calls = counting_loader([1], delay=0)
    snap = Snapshot(load, lambda x: [x], ttl=60)
    first = snap.get()
    second = snap.get(newer_than=first.taken_at)
    assert second.taken_at > first.taken_at and len(calls) == 2


def test_a_failed_sweep_releases_the_waiters():
    attempts = []

    def load():
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("boom")
        return [1]

    snap = Snapshot(load, lambda x: [x], ttl=60)
    try:
        snap.get()
    except RuntimeError:
        pass
    assert snap.get().get(1) == 1


class PagedList:
    """A list readable whole or by page, counting both kinds of read."""

    def __init__(self, n: int, page_size: int):
        self.rows = [{"id": i, "v": 0} for i in range(n)]
        self.page_size = page_size
        self.sweeps = 0
        self.pages: list[int] = []

    def load(self):
        self.sweeps += 1
        return [dict(r) for r in self.rows]

    def load_page(self, page, size):
        self.pages.append(page)
        return [dict(r) for r in self.rows[page * size : (page + 1) * size]]

    def snapshot(self) -> Snapshot:
        return Snapshot(self.load, lambda r: [r["id"]], ttl=60, load_page=self.load_page, page_size=self.page_size)


def test_a_dirty_key_rereads_only_its_page():
    data = PagedList(50, 10)
    snap = data.snapshot()
    snap.get()
    data.rows[23]["v"] = 1
    snap.mark_dirty(23)
    view = snap.get(23)
    assert view.get(23)["v"] == 1
    assert (data.sweeps, data.pages) == (1, [2])
    assert view.get(5) is not None and len(view.items) == 50


def test_a_poller_gets_its_page_again_each_round():
    data = PagedList(50, 10)
    snap = data.snapshot()
    view = snap.get(7)
    view = snap.get(7, newer_than=view.fresh_at(7))
    view = snap.get(7, newer_than=view.fresh_at(7))
    assert (data.sweeps, data.pages) == (1, [0, 0])


def test_a_shifted_list_falls_back_to_a_full_sweep():
    data = PagedList(50, 10)
    snap = data.snapshot()
    snap.get()
    data.rows.insert(0, {"id": 999, "v": 0})
    snap.mark_dirty(23)
    view = snap.get(23)
    assert data.sweeps == 2 and view.get(999) is not None


def test_stale_keys_on_every_page_cost_one_sweep_not_every_page():
    data = PagedList(30, 10)
    snap = data.snapshot()
    snap.get()
    snap.mark_dirty(1, 11, 21)
    snap.get(1, 11, 21)
    assert (data.sweeps, data.pages) == (2, [])


def test_waiters_on_different_pages_share_the_refresh_that_runs():
    data = PagedList(100, 10)
    snap = data.snapshot()
    snap.get()
    for key in (5, 15, 25, 35):
        snap.mark_dirty(key)
    threads = [threading.Thread(target=snap.get, args=(key,)) for key in (5, 15, 25, 35)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert data.sweeps == 1 and sorted(set(data.pages)) == [0, 1, 2, 3] and len(data.pages) <= 4


def test_the_time_to_live_counts_from_the_end_of_a_long_sweep_and_writes_from_its_start():
    now = [0.0]
    calls = []

    def slow_load():  # a fleet of 100,000 SIMs: the sweep itself outlasts the time-to-live
        calls.append(now[0])
        now[0] += 45.0
        return [1, 2]

    snap = Snapshot(slow_load, lambda x: [x], ttl=30, clock=lambda: now[0])
    snap.get()
    now[0] += 20.0  # 65 s after the sweep started, 20 s after it ended
    snap.get(1)
    assert len(calls) == 1  # still fresh: no second sweep for the reader that waited for it
    snap.mark_dirty(2)  # a write during no read: the next look at it must start later
    now[0] += 1.0
    snap.get(2)
    assert len(calls) == 2
    now[0] += 31.0  # past the time-to-live from the end of the second sweep
    snap.get()
    assert len(calls) == 3
