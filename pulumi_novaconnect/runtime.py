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
from .client.models import Group, Sim, User
from .settings import ProviderSettings
from .snapshot import Snapshot

_lock = threading.Lock()
_settings: Optional[ProviderSettings] = None
_client: Optional[NovaConnectClient] = None
_sims: Optional[Snapshot[Sim]] = None
_groups: Optional[Snapshot[Group]] = None
_users: Optional[Snapshot[User]] = None


def configure(settings: ProviderSettings) -> None:
    """Adopt new settings; the client and snapshots are rebuilt when they change.

    ``configure()`` runs once per distinct provider pickle (one per resource type), always
    with the same stack config, so the second and third calls change nothing.
    """
    global _settings, _client, _sims, _groups, _users
    with _lock:
        if settings == _settings:
            return
        old_client = _client
        _settings, _client, _sims, _groups, _users = settings, None, None, None, None
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


def sims() -> Snapshot[Sim]:
    """Every SIM of the account, by ``("iccid", ...)`` and ``("id", ...)``."""
    global _sims
    current, api = settings(), client()
    with _lock:
        if _sims is None:
            _sims = Snapshot(
                lambda: api.iter_sims(),
                lambda sim: (("iccid", sim.iccid), ("id", sim.id)),
                ttl=current.snapshot_ttl,
            )
        return _sims


def groups() -> Snapshot[Group]:
    """Every group, by ``("id", ...)`` and ``("name", ...)``."""
    global _groups
    current, api = settings(), client()
    with _lock:
        if _groups is None:
            _groups = Snapshot(
                lambda: api.iter_groups(),
                lambda group: (("id", group.id), ("name", group.name)),
                ttl=current.snapshot_ttl,
            )
        return _groups


def users() -> Snapshot[User]:
    """Every user of the company, by ``("id", ...)`` and ``("email", lower-cased)``."""
    global _users
    current, api = settings(), client()
    with _lock:
        if _users is None:
            _users = Snapshot(
                lambda: api.iter_users(),
                lambda user: (("id", user.id), ("email", user.email.lower())),
                ttl=current.snapshot_ttl,
            )
        return _users
