"""The profile (``user/get``, ``user/edit`` without id, ``user/password``) and the company's
users (``user/list``, ``user/create``, ``user/edit`` with id, ``user/remove``)."""
from __future__ import annotations

from typing import Any, Iterator

from .core import ClientCore
from .models import Page, User
from .pagination import MAX_PAGE_SIZE, iter_pages
from .retry import RetryMode

__all__ = ["UsersAPI"]


def _given(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


class UsersAPI(ClientCore):
    """Methods of the ``user/*`` area."""

    # -- the current user ----------------------------------------------------------------

    def user_get(self) -> User:
        """POST user/get — the user the token belongs to."""
        # The vendor's answer also carries count/all_count here; only result.item matters.
        return self._call("user/get", {}, parse=lambda answer: self._item("user/get", answer, User))

    def user_edit_self(
        self, *, first_name: str | None = None, last_name: str | None = None, email: str | None = None
    ) -> User:
        """POST user/edit (without id) — change the current user's own data; any role."""
        body = _given(first_name=first_name, last_name=last_name, email=email)
        return self._call("user/edit", body, parse=lambda answer: self._item("user/edit", answer, User))

    def user_password(self, *, password: str, old_password: str) -> User:
        """POST user/password — change the current user's password.

        Retried on 429 only: had a first attempt succeeded unseen, a repeat would fail on
        the now stale ``old_password``.
        """
        body = {"password": password, "old_password": old_password}
        return self._call("user/password", body, mode=RetryMode.RATE_LIMIT_ONLY, parse=lambda answer: self._item("user/password", answer, User))

    # -- the company's users -------------------------------------------------------------

    def _user_page(self, page: int, size: int, mode: RetryMode) -> Page[User]:
        # page and size are required by the vendor for user/list.
        body = {"page": page, "size": size}
        return self._call("user/list", body, mode=mode, parse=lambda answer: self._page("user/list", answer, User))

    def _iter_users(self, page_size: int, mode: RetryMode) -> Iterator[User]:
        return iter_pages(lambda page, size: self._user_page(page, size, mode), method="user/list",
                          page_size=page_size)

    def user_list(self, page: int = 0, size: int = 100) -> Page[User]:
        """POST user/list — one page of the company's users."""
        return self._user_page(page, size, RetryMode.SAFE)

    def iter_users(self, page_size: int = MAX_PAGE_SIZE) -> Iterator[User]:
        """POST user/list, page after page — every user once."""
        return self._iter_users(page_size, RetryMode.SAFE)

    def list_users(self, page_size: int = MAX_PAGE_SIZE) -> list[User]:
        """POST user/list, all pages — every user, as a list."""
        return list(self.iter_users(page_size))

    def find_user(self, email: str) -> User | None:
        """POST user/list, all pages — the user with this email (case-insensitive), or None."""
        return self._find_user(email, RetryMode.SAFE)

    def _find_user(self, email: str, mode: RetryMode) -> User | None:
        wanted = email.casefold()
        return next((u for u in self._iter_users(MAX_PAGE_SIZE, mode) if u.email.casefold() == wanted), None)

    def user_create(
        self,
        *,
        first_name: str,
        last_name: str,
        email: str,
        phone: str,
        password: str | None = None,
        role: str | None = None,
        send: bool | None = None,
    ) -> User:
        """POST user/create — add a user (admin).

        Without ``password`` the platform generates one; without ``role`` the user is a
        plain User; ``send`` mails the credentials. Never blindly retried: after a 5xx or a
        lost connection the user is looked up by email before the create is sent again.
        """
        body = _given(first_name=first_name, last_name=last_name, email=email, phone=phone,
                      password=password, role=role, send=send)
        return self._create("user/create", body, User, find=lambda: self._find_user(email, RetryMode.NEVER))

    def user_edit(
        self,
        user_id: int,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        email: str | None = None,
        phone: str | None = None,
        password: str | None = None,
        active: bool | None = None,
        role: str | None = None,
    ) -> User:
        """POST user/edit (with id) — change a user; only the fields given are sent.

        Only an admin may edit others; ``password``, ``active`` and ``role`` can only be
        changed on other users (use :meth:`user_password` for one's own password).
        """
        body = {"id": user_id, **_given(first_name=first_name, last_name=last_name, email=email, phone=phone,
                                         password=password, active=active, role=role)}
        return self._call("user/edit", body, parse=lambda answer: self._item("user/edit", answer, User))

    def user_remove(self, user_id: int) -> User:
        """POST user/remove — delete a user (admin; not oneself); answers the removed user."""
        return self._call("user/remove", {"id": user_id}, parse=lambda answer: self._item("user/remove", answer, User))
