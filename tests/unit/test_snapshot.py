"""The shared snapshot: one sweep serves every concurrent reader."""
from __future__ import annotations

import threading
import time

from pulumi_novaconnect.snapshot import Snapshot


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
    snap = Snapshot(load, lambda x: [x], ttl=0.2)
    snap.get()
    snap.get()
    assert len(calls) == 1
    time.sleep(0.25)
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
