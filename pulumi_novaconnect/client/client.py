"""The client: every API area combined over the one call path of :class:`.core.ClientCore`."""
from __future__ import annotations

from .bills import BillsAPI
from .company import CompanyAPI
from .groups import GroupsAPI
from .reports import ReportsAPI
from .sims import SimsAPI
from .users import UsersAPI

__all__ = ["NovaConnectClient"]


class NovaConnectClient(SimsAPI, GroupsAPI, UsersAPI, CompanyAPI, BillsAPI, ReportsAPI):
    """Typed client of the NovaConnect API.

    ``NovaConnectClient(endpoint=DEFAULT_ENDPOINT, token=..., lang="en", timeout=30.0,
    retry=RetryPolicy(), session=None)``; use it as a context manager or call
    :meth:`close`. Methods are named after the API method (``sim/list`` → :meth:`sim_list`);
    each raises a :class:`~.errors.NovaConnectError` subclass on failure.
    """

    def __enter__(self) -> "NovaConnectClient":
        return self
