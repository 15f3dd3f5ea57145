"""SIM groups: ``group/list``, ``group/create``, ``group/edit``, ``group/remove``."""
from __future__ import annotations

from typing import Any, Iterator

from .core import ClientCore
from .models import Group, Page
from .pagination import MAX_PAGE_SIZE, iter_pages
from .retry import RetryMode

__all__ = ["GroupsAPI"]


class GroupsAPI(ClientCore):
    """Methods of the ``group/*`` area."""

    def _group_page(self, page: int, size: int, name: str | None, mode: RetryMode) -> Page[Group]:
        # page and size are required by the vendor for group/list (API.md says optional).
        body: dict[str, Any] = {"page": page, "size": size}
        if name is not None:
            body["filter"] = {"name": name}
        return self._call("group/list", body, mode=mode, parse=lambda answer: self._page("group/list", answer, Group))

    def _iter_groups(self, name: str | None, page_size: int, mode: RetryMode) -> Iterator[Group]:
        return iter_pages(lambda page, size: self._group_page(page, size, name, mode),
                          method="group/list", page_size=page_size)

    def group_list(self, page: int = 0, size: int = 100, *, name: str | None = None) -> Page[Group]:
        """POST group/list — one page of groups; ``name`` filters by substring."""
        return self._group_page(page, size, name, RetryMode.SAFE)

    def iter_groups(self, *, name: str | None = None, page_size: int = MAX_PAGE_SIZE) -> Iterator[Group]:
        """POST group/list, page after page — every matching group once."""
        return self._iter_groups(name, page_size, RetryMode.SAFE)

    def list_groups(self, *, name: str | None = None, page_size: int = MAX_PAGE_SIZE) -> list[Group]:
        """POST group/list, all pages — every matching group, as a list."""
        return list(self.iter_groups(name=name, page_size=page_size))

    def find_group(self, name: str) -> Group | None:
        """POST group/list filtered by ``name`` — the group named exactly ``name``, or None.

        The filter matches substrings, so the exact name is compared here. Should several
        groups carry the name, the newest (highest id) is returned.
        """
        return self._find_group(name, RetryMode.SAFE)

    def _find_group(self, name: str, mode: RetryMode) -> Group | None:
        matches = [g for g in self._iter_groups(name, MAX_PAGE_SIZE, mode) if g.name == name]
        return max(matches, key=lambda g: g.id) if matches else None

    def group_create(self, name: str) -> Group:
        """POST group/create — create a group (admin).

        Never blindly retried: after a 5xx or a lost connection the group is looked up by
        exact name before the create is sent again. Group names act as keys on the platform
        (sim/group reuses an existing group of the same name), which makes the lookup sound.
        """
        return self._create("group/create", {"name": name}, Group,
                            find=lambda: self._find_group(name, RetryMode.NEVER))

    def group_edit(self, group_id: int, name: str) -> Group:
        """POST group/edit — rename a group (admin)."""
        return self._call("group/edit", {"id": group_id, "name": name}, parse=lambda answer: self._item("group/edit", answer, Group))

    def group_remove(self, group_id: int) -> Group:
        """POST group/remove — delete a group (admin); answers the removed group."""
        return self._call("group/remove", {"id": group_id}, parse=lambda answer: self._item("group/remove", answer, Group))
