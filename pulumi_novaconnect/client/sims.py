"""SIM cards: ``sim/list``, the queued ``sim/*`` methods and ``sim/edit``.

Queued methods answer with a queue id only (decision 2: it cannot be polled); the change
shows in ``sim/list`` once the platform has processed the task, or arrives by webhook at
``callback_url`` (a URL string, whatever the vendor's tables say — decision 3).
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping

from .core import ClientCore
from .models import Page, QueueTicket, Sim, SimRename
from .pagination import MAX_PAGE_SIZE, iter_pages
from .retry import RetryMode

__all__ = ["SimsAPI"]

_SORT_DIRECTIONS = ("ASC", "DESC")


def _ids(ids: int | Iterable[int]) -> list[int]:
    return [ids] if isinstance(ids, int) else [int(i) for i in ids]


def _sim_filter(
    profile: str | None, msu_block: bool | None, blocked: bool | None, query: str | None
) -> dict[str, Any]:
    given = {"profile": profile, "msu_block": msu_block, "blocked": blocked, "query": query}
    return {k: v for k, v in given.items() if v is not None}


def _sort(sort: Mapping[str, str] | None) -> dict[str, str] | None:
    if sort is None:
        return None
    out = {}
    for field, direction in sort.items():
        upper = str(direction).upper()
        if upper not in _SORT_DIRECTIONS:
            raise ValueError(f"sort direction for {field!r} must be ASC or DESC, not {direction!r}")
        out[field] = upper
    return out


class SimsAPI(ClientCore):
    """Methods of the ``sim/*`` area."""

    # -- reading -------------------------------------------------------------------------

    def sim_list(
        self,
        page: int = 0,
        size: int | None = None,
        *,
        profile: str | None = None,
        msu_block: bool | None = None,
        blocked: bool | None = None,
        query: str | None = None,
        sort: Mapping[str, str] | None = None,
    ) -> Page[Sim]:
        """POST sim/list — one page of SIMs.

        ``blocked=True`` matches any block code but ``n``; ``query`` is the platform's
        "universal search" (assumed: case-insensitive substring of ICCID, numbers and name,
        decision 10); ``sort`` maps a top-level Sim field to ``ASC``/``DESC`` (decision 11).
        Without ``size`` the platform's default page size applies.
        """
        body: dict[str, Any] = {"page": page}
        if size is not None:
            body["size"] = size
        flt = _sim_filter(profile, msu_block, blocked, query)
        if flt:
            body["filter"] = flt
        order = _sort(sort)
        if order:
            body["sort"] = order
        return self._call("sim/list", body, parse=lambda answer: self._page("sim/list", answer, Sim))

    def iter_sims(
        self,
        *,
        profile: str | None = None,
        msu_block: bool | None = None,
        blocked: bool | None = None,
        query: str | None = None,
        sort: Mapping[str, str] | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> Iterator[Sim]:
        """POST sim/list, page after page — every matching SIM once."""

        def fetch(page: int, size: int) -> Page[Sim]:
            return self.sim_list(page, size, profile=profile, msu_block=msu_block, blocked=blocked,
                                 query=query, sort=sort)

        return iter_pages(fetch, method="sim/list", page_size=page_size)

    def list_sims(
        self,
        *,
        profile: str | None = None,
        msu_block: bool | None = None,
        blocked: bool | None = None,
        query: str | None = None,
        sort: Mapping[str, str] | None = None,
        page_size: int = MAX_PAGE_SIZE,
    ) -> list[Sim]:
        """POST sim/list, all pages — every matching SIM, as a list."""
        return list(self.iter_sims(profile=profile, msu_block=msu_block, blocked=blocked, query=query,
                                   sort=sort, page_size=page_size))

    # -- queued methods (admin) ----------------------------------------------------------

    def _queued(
        self,
        method: str,
        ids: int | Iterable[int],
        callback_url: str | None,
        extra: Mapping[str, Any] | None = None,
        mode: RetryMode = RetryMode.SAFE,
    ) -> QueueTicket:
        body: dict[str, Any] = {"items": _ids(ids)}
        if callback_url is not None:
            body["callbackUrl"] = callback_url
        if extra:
            body.update(extra)
        return self._call(method, body, mode=mode, parse=lambda answer: self._queue(method, answer))

    def sim_block(self, ids: int | Iterable[int], *, callback_url: str | None = None) -> QueueTicket:
        """POST sim/block — set the user block ``u`` (the only block the API sets, decision 8)."""
        return self._queued("sim/block", ids, callback_url)

    def sim_unblock(self, ids: int | Iterable[int], *, callback_url: str | None = None) -> QueueTicket:
        """POST sim/unblock — clear the user block ``u``; other block codes are not the user's."""
        return self._queued("sim/unblock", ids, callback_url)

    def sim_reconnect(self, ids: int | Iterable[int], *, callback_url: str | None = None) -> QueueTicket:
        """POST sim/reconnect — soft reset; the platform redirects it to sim/disconnect."""
        return self._queued("sim/reconnect", ids, callback_url)

    def sim_disconnect(self, ids: int | Iterable[int], *, callback_url: str | None = None) -> QueueTicket:
        """POST sim/disconnect — Cancel Location: detach the SIMs from the network."""
        return self._queued("sim/disconnect", ids, callback_url)

    def sim_ping(self, ids: int | Iterable[int], *, callback_url: str | None = None) -> QueueTicket:
        """POST sim/ping — send an SMS "PING"; works correctly for TD SIMs only."""
        return self._queued("sim/ping", ids, callback_url)

    def sim_repackage(self, ids: int | Iterable[int], *, callback_url: str | None = None) -> QueueTicket:
        """POST sim/repackage — re-attach the traffic package (TD only); clears block ``p``."""
        return self._queued("sim/repackage", ids, callback_url)

    def sim_sms(self, ids: int | Iterable[int], text: str, *, callback_url: str | None = None) -> QueueTicket:
        """POST sim/sms — send ``text`` (at most 70 characters) to TD SIMs.

        Retried on 429 only: after a 5xx or a dropped connection the SMS may already be on
        its way, and a repeat would send it twice.
        """
        return self._queued("sim/sms", ids, callback_url, {"params": {"text": text}},
                            mode=RetryMode.RATE_LIMIT_ONLY)

    def sim_limit(
        self, ids: int | Iterable[int], *, value_mb: int, type: str, callback_url: str | None = None
    ) -> QueueTicket:
        """POST sim/limit — set the traffic limit of TC SIMs: ``value_mb`` MB, ``type`` off | month1."""
        return self._queued("sim/limit", ids, callback_url, {"params": {"value": value_mb, "type": type}})

    def sim_tariff(
        self,
        ids: int | Iterable[int],
        *,
        package_kb: int,
        auto_package: bool,
        all_world: bool | None = None,
        callback_url: str | None = None,
    ) -> QueueTicket:
        """POST sim/tariff — set the package of TD SIMs.

        ``package_kb`` is in kilobytes, 15360..102400 in steps of 5120; ``all_world``
        enables worldwide roaming (tariff TD_Mega). Afterwards the SIM's limit shows the
        package in MB with type p_unlim / p_lim (decision 9).
        """
        params: dict[str, Any] = {"value": package_kb, "auto_package": auto_package}
        if all_world is not None:
            params["all_world"] = all_world
        return self._queued("sim/tariff", ids, callback_url, {"params": params})

    def sim_group(
        self,
        ids: int | Iterable[int],
        *,
        group_ids: Iterable[int] = (),
        new_groups: Iterable[str] = (),
        callback_url: str | None = None,
    ) -> QueueTicket:
        """POST sim/group — set the SIMs' groups to ``group_ids`` plus groups named ``new_groups``.

        ``new_groups`` are created on the fly; an existing name is reused. This project
        assumes the SIM's group set is *replaced* (decision 4): both arrays are always sent,
        so empty ones mean "no groups". Read back to verify.
        """
        extra = {"group": [int(g) for g in group_ids], "new_group": [str(n) for n in new_groups]}
        return self._queued("sim/group", ids, callback_url, extra)

    # -- synchronous ---------------------------------------------------------------------

    def sim_edit(self, sim_id: int, name: str) -> SimRename:
        """POST sim/edit — rename a SIM (synchronous)."""
        return self._call("sim/edit", {"id": sim_id, "name": name},
                          parse=lambda answer: self._item("sim/edit", answer, SimRename))
