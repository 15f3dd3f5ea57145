"""The pagination loops against scripted servers (the emulator-backed walk is in test_sims)."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.client.errors import ProtocolError
from pulumi_novaconnect.client.models import Page
from pulumi_novaconnect.client.pagination import iter_pages, iter_short_pages


class Item:
    def __init__(self, id: int) -> None:
        self.id = id


def capped_server(total: int, cap: int, offset_by_asked_size: bool):
    """A list of `total` items; answers at most `cap`; offset from the asked or the capped size."""
    items = [Item(i) for i in range(total)]
    calls = []

    def fetch(page: int, size: int) -> Page:
        calls.append((page, size))
        effective = min(size, cap)
        start = page * (size if offset_by_asked_size else effective)
        chunk = items[start:start + effective]
        return Page.model_construct(count=len(chunk), all_count=total, items=chunk)

    return fetch, calls


@pytest.mark.parametrize("offset_by_asked_size", [True, False])
def test_capped_pages_skip_nothing_whatever_the_offset_arithmetic(offset_by_asked_size):
    fetch, calls = capped_server(2500, cap=1000, offset_by_asked_size=offset_by_asked_size)
    ids = [item.id for item in iter_pages(fetch, method="sim/list", page_size=5000)]
    assert ids == list(range(2500))
    assert calls == [(0, 5000), (1, 1000), (2, 1000)]


def test_items_shifting_between_pages_are_yielded_once():
    pages = {0: [Item(1), Item(2)], 1: [Item(2), Item(3)], 2: [Item(4)]}

    def fetch(page, size):
        return Page.model_construct(count=len(pages[page]), all_count=4, items=pages[page])

    assert [i.id for i in iter_pages(fetch, method="x", page_size=2)] == [1, 2, 3, 4]


def test_an_empty_page_ends_the_walk_even_below_all_count():
    def fetch(page, size):
        items = [Item(1)] if page == 0 else []
        return Page.model_construct(count=len(items), all_count=5, items=items)

    assert [i.id for i in iter_pages(fetch, method="x", page_size=1)] == [1]


def test_a_server_that_ignores_page_is_an_error_not_an_endless_loop():
    def fetch(page, size):
        return Page.model_construct(count=2, all_count=10, items=[Item(1), Item(2)])

    with pytest.raises(ProtocolError, match="does not page"):
        list(iter_pages(fetch, method="sim/list", page_size=2))


def test_short_pages_walk_stops_at_the_first_short_page():
    rows = list(range(25))
    calls = []

    def fetch(page, size):
        calls.append((page, size))
        return rows[page * size:(page + 1) * size]

    assert list(iter_short_pages(fetch, page_size=10)) == rows
    assert calls == [(0, 10), (1, 10), (2, 10)]


def test_short_first_page_from_a_cap_is_followed_at_the_capped_size():
    rows = list(range(2500))

    def fetch(page, size):
        size_used = min(size, 1000)
        return rows[page * size:page * size + size_used]  # offset from the asked size

    assert list(iter_short_pages(fetch, page_size=5000)) == rows


def test_short_pages_walk_stops_when_the_server_ignores_page():
    assert list(iter_short_pages(lambda page, size: [1, 2, 3], page_size=10)) == [1, 2, 3]
