"""The provider process's one shared place: settings, the API client, live snapshots.

The dynamic host unpickles each provider once and calls ``configure()`` on it before any
CRUD call; all resources of a deployment then run in that one process on four threads.
Provider instances are pickled into state, so they hold nothing (no token, client, lock
or socket: ``shared/notes/pulumi-dynamic-providers.md``). Everything built from the
configuration lives here instead, created lazily and guarded by one lock.
"""
from __future__ import annotations

import threading
from typing import Optional

from .client import NovaConnectClient
from .client.pagination import MAX_PAGE_SIZE
from .client.models import Group, Sim, User
from .settings import ProviderSettings
from .snapshot import Snapshot

_lock = threading.Lock()
_settings: Optional[ProviderSettings] = None
_client: Optional[NovaConnectClient] = None
_snapshots: dict[str, Snapshot] = {}


def configure(settings: ProviderSettings) -> None:
    """Adopt new settings; the client and snapshots are rebuilt when they change.

    ``configure()`` runs once per distinct provider pickle (one per resource type), always
    with the same stack config, so the second and third calls change nothing.
    """
    global _settings, _client
    with _lock:
        if settings == _settings:
            return
        old_client = _client
        _settings, _client = settings, None
        _snapshots.clear()
    if old_client is not None:
        old_client.close()


def settings() -> ProviderSettings:
    """The configured settings; environment variables alone when nothing was configured."""
    global _settings
    with _lock:
        if _settings is None:
            _settings = ProviderSettings.from_lookup(lambda _key: None)
        return _settings


def client() -> NovaConnectClient:
    global _client
    current = settings()
    with _lock:
        if _client is None:
            _client = NovaConnectClient(
                endpoint=current.endpoint, token=current.require_token(), lang=current.lang
            )
        return _client


def _shared(name: str, load, keys, load_page=None) -> Snapshot:
    """The process-wide snapshot called ``name``, made on first use from the current client."""
    current, api = settings(), client()
    with _lock:
        if name not in _snapshots:
            _snapshots[name] = Snapshot(
                lambda: load(api),
                keys,
                ttl=current.snapshot_ttl,
                load_page=(lambda page, size: load_page(api, page, size)) if load_page else None,
                page_size=MAX_PAGE_SIZE,
            )
        return _snapshots[name]


# SIMs are swept in id order so that a SIM's position, and so its page, stays put: a wait for
# a few SIMs then re-reads only their pages (decision 11: sort keys are Sim field codes).
_BY_ID = {"id": "ASC"}


def sims() -> Snapshot[Sim]:
    """Every SIM of the account, by ``("iccid", ...)`` and ``("id", ...)``."""
    return _shared(
        "sims",
        lambda api: api.iter_sims(sort=_BY_ID),
        lambda sim: (("iccid", sim.iccid), ("id", sim.id)),
        load_page=lambda api, page, size: api.sim_list(page, size, sort=_BY_ID).items,
    )


def groups() -> Snapshot[Group]:
    """Every group, by ``("id", ...)`` and ``("name", ...)``."""
    return _shared("groups", lambda api: api.iter_groups(), lambda group: (("id", group.id), ("name", group.name)))


def users() -> Snapshot[User]:
    """Every user of the company, by ``("id", ...)`` and ``("email", lower-cased)``."""
    return _shared("users", lambda api: api.iter_users(), lambda user: (("id", user.id), ("email", user.email.lower())))
