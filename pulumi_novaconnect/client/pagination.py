"""Walking paged methods: plain loops over ``page``/``size``.

The platform caps ``size`` (the emulator at 1000; the vendor does not say where). A client
that asks for 5000, gets 1000 and then asks for page 1 of size 5000 would skip items 1000..4999
on a server that computes the offset from the size *asked*. Both walkers therefore read the
effective size off the first page and continue with it: page ``p`` of size ``cap`` starts at
``p * cap`` whichever size the server uses for its offset arithmetic.
"""
from __future__ import annotations

import logging
from typing import Any, Callable, Hashable, Iterator, TypeVar

from .errors import ProtocolError
from .models import Page

__all__ = ["MAX_PAGE_SIZE", "iter_pages", "iter_short_pages"]

log = logging.getLogger("pulumi_novaconnect.client")

T = TypeVar("T")

MAX_PAGE_SIZE = 1000


def _by_id(item: Any) -> Hashable:
    return item.id


def iter_pages(
    fetch: Callable[[int, int], Page[T]],
    *,
    method: str,
    page_size: int,
    key: Callable[[T], Hashable] = _by_id,
) -> Iterator[T]:
    """Every item of a method answering ``count``/``all_count``/``items``, each once.

    Stops when ``all_count`` distinct items have been seen or on an empty page. Items that
    shift between pages while the list changes are de-duplicated by ``key`` (the id). A
    page that brings nothing new before ``all_count`` is reached means the server ignores
    ``page``: that is raised as :class:`ProtocolError` rather than returning a silently
    incomplete list (a missing SIM would read as "deleted" to the provider).
    """
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    size, page = page_size, 0
    seen: set[Hashable] = set()
    while True:
        result = fetch(page, size)
        items = result.items
        if not items:
            return
        if page == 0 and len(items) < size and len(items) < result.all_count:
            log.debug("%s: server capped page size %d to %d", method, size, len(items))
            size = len(items)
        fresh = [item for item in items if key(item) not in seen]
        for item in fresh:
            seen.add(key(item))
            yield item
        if len(seen) >= result.all_count:
            return
        if not fresh:
            raise ProtocolError(
                method,
                f"page {page} (size {size}) brought no new items with {len(seen)} of "
                f"{result.all_count} seen: the server does not page",
            )
        page += 1


def iter_short_pages(
    fetch: Callable[[int, int], list[T]],
    *,
    page_size: int,
) -> Iterator[T]:
    """Every row of a method without ``all_count`` (the reports): walk until a short page.

    A short *first* page is ambiguous — the end, or a server cap — so page 1 is asked at
    the size actually received: empty if that was the end, the next rows if it was a cap.
    A page identical to the one before means the server ignores ``page``; the walk stops.
    """
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    size, page = page_size, 0
    previous: list[T] | None = None
    while True:
        rows = fetch(page, size)
        if not rows or rows == previous:
            return
        yield from rows
        if len(rows) < size:
            if page != 0:
                return
            size = len(rows)
        previous = rows
        page += 1
