"""Typed client of the NovaConnect IoT SIM platform API.

::

    from pulumi_novaconnect.client import NovaConnectClient, RetryPolicy, DEFAULT_ENDPOINT

    with NovaConnectClient(token="...") as nc:
        for sim in nc.iter_sims(blocked=True):
            ...

One request path (:mod:`.transport`), one error hierarchy (:mod:`.errors`), one retry
policy (:mod:`.retry`), models (webhook bodies among them) in :mod:`.models`.
"""
from __future__ import annotations

from . import errors, models
from .client import NovaConnectClient
from .errors import NovaConnectError
from .pagination import MAX_PAGE_SIZE
from .reports import SELECT_ALL, select_group, select_sim
from .retry import RetryMode, RetryPolicy
from .transport import DEFAULT_ENDPOINT, LANGUAGES
from .models.webhooks import parse_webhook

__all__ = [
    "NovaConnectClient",
    "RetryPolicy",
    "RetryMode",
    "DEFAULT_ENDPOINT",
    "LANGUAGES",
    "MAX_PAGE_SIZE",
    "NovaConnectError",
    "SELECT_ALL",
    "select_sim",
    "select_group",
    "parse_webhook",
    "errors",
    "models",
]
