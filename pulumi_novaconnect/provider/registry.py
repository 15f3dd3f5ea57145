"""The provider process's one shared place: settings, API clients, live snapshots, queue latency.

The dynamic host unpickles each provider once and calls ``configure()`` on it before any
CRUD call; all resources of a deployment then run in that one process on four threads.
Provider instances are pickled into state, so they hold nothing (no token, client, lock
or socket). Everything built from the configuration lives here instead, created lazily
and guarded by one lock. The program's own process (data sources) keeps its clients here
too, one per distinct configuration.
"""
from __future__ import annotations

import contextlib
import contextvars
import threading
from typing import Hashable, Iterable, Iterator, Mapping, Optional, Union

from ..client import NovaConnectClient
from ..client.models import Group, Sim, User
from ..client.pagination import MAX_PAGE_SIZE
from ..sim.guardrails import Tally
from ..sim.platform import SYSTEM_CLOCK, Platform, QueueLatency, group_snapshot, sim_snapshot
from .config import Connection, ProviderSettings
from .snapshot import Snapshot

__all__ = ["Claims", "DeclaredGroups", "QueueLatency", "client", "configure", "declared_groups", "first_time",
           "groups", "lookup", "platform", "program_client", "queue_latency", "settings", "sim", "sim_claims",
           "sims", "token_owner", "users", "using"]

_lock = threading.Lock()
_base: Optional[ProviderSettings] = None


class _Account:
    """What one NovaConnect account needs in this process: its settings and, built lazily,
    its client, the token's owner, its shared snapshots and the SIM engine's platform."""

    def __init__(self, settings: ProviderSettings) -> None:
        self.settings = settings
        self.client: Optional[NovaConnectClient] = None
        # The user the API token belongs to (user/get), looked up once: its role decides,
        # before the first write, whether the changes can be made at all (preview only reads).
        self.token_owner: Optional[User] = None
        self.snapshots: dict[str, Snapshot] = {}
        self.platform: Optional[Platform] = None


# The stack's account (under None) and each account a resource names with `connection`.
_accounts: dict[Optional[Connection], _Account] = {}
# The account the engine call running on this thread works on (provider/base.py sets it from
# the resource's `connection` for the length of the call; unset, the stack's).
_connection: contextvars.ContextVar[Optional[Connection]] = contextvars.ContextVar("novaconnect_connection",
                                                                                  default=None)
_program_clients: dict[ProviderSettings, NovaConnectClient] = {}
# Things said once per configuration (a warning every resource would otherwise repeat).
_said: set[str] = set()


@contextlib.contextmanager
def using(connection: Optional[Connection]) -> Iterator[None]:
    """Work on ``connection``'s account (the stack's when None) inside the block."""
    token = _connection.set(connection)
    try:
        yield
    finally:
        _connection.reset(token)


def _account() -> _Account:
    global _base
    connection = _connection.get()
    with _lock:
        if _base is None:
            _base = ProviderSettings.from_lookup(lambda _key: None)
        account = _accounts.get(connection)
        if account is None:
            account = _accounts[connection] = _Account(_base if connection is None else connection.applied_to(_base))
        return account


# What the queue has recently taken, learnt from every wait of this process: it outlives a
# reconfiguration, since the platform's queue is the same whatever the settings say.
queue_latency = QueueLatency()


class Claims:
    """Which resource of this deployment declares each SIM, and each field of a SIM.

    Every resource of a deployment is checked in this one process, so a SIM declared by two
    resources (two SimConfigs, two fleets, a fleet and a SimConfig) is seen here, at preview,
    before the two start undoing each other's changes on every `pulumi up`.

    A key is an ICCID (the whole SIM) or an ``(iccid, field)`` pair (one setting). A claim is
    exclusive, or *shared* with its value: group policies claim fields shared, so two
    policies setting a member's field to the same value agree, while a different value, or
    any exclusive claim on that key, is a conflict.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders: dict[Hashable, dict[str, tuple[bool, object]]] = {}
        self._held: dict[str, set[Hashable]] = {}

    def claim(self, owner: str, keys: Union[Iterable[Hashable], Mapping[Hashable, object]], *,
              shared: bool = False) -> dict[Hashable, str]:
        """Claim ``keys`` for ``owner`` (replacing what it claimed before); the keys another
        owner holds in a way that conflicts are not taken and come back with that owner.

        ``keys`` maps each key to the claimed value when ``shared``; otherwise values, if
        any, are ignored."""
        values = keys if isinstance(keys, Mapping) else dict.fromkeys(keys)
        with self._lock:
            for key in self._held.pop(owner, set()):
                holders = self._holders.get(key, {})
                holders.pop(owner, None)
                if not holders:
                    self._holders.pop(key, None)
            taken: dict[Hashable, str] = {}
            held: set[Hashable] = set()
            for key, value in values.items():
                holders = self._holders.setdefault(key, {})
                other = next((name for name, (their_shared, their_value) in holders.items()
                              if name != owner and not (shared and their_shared and their_value == value)), None)
                if other is None:
                    holders[owner] = (shared, value)
                    held.add(key)
                else:
                    taken[key] = other
            self._held[owner] = held
            return taken


sim_claims = Claims()


class DeclaredGroups:
    """Group names this deployment declares: by a ``Group``, or in the ``groups`` of a SIM
    resource (``sim/group`` creates a name it does not know). A ``GroupPolicy`` on a group
    that is not on the account yet is fine when the deployment is about to make it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by: dict[str, str] = {}

    def declare(self, names: Iterable[str], by: str) -> None:
        with self._lock:
            for name in names:
                self._by.setdefault(name, by)

    def declared_by(self, name: str) -> Optional[str]:
        with self._lock:
            return self._by.get(name)


declared_groups = DeclaredGroups()
# What each SIM resource's change does, for the guardrails of one `pulumi up` (sim/guardrails.py).
blast_radius = Tally()


def first_time(what: str) -> bool:
    """True the first time ``what`` is asked about in this configuration, False after."""
    with _lock:
        if what in _said:
            return False
        _said.add(what)
        return True


def configure(settings: ProviderSettings) -> None:
    """Adopt new settings; clients and snapshots are rebuilt when they change.

    ``configure()`` runs once per distinct provider pickle (one per resource type), always
    with the same stack config, so the second and third calls change nothing.
    """
    global _base
    with _lock:
        if settings == _base:
            return
        old_clients = [account.client for account in _accounts.values() if account.client is not None]
        _base = settings
        _accounts.clear()
        _said.clear()
        blast_radius.clear()
    for old in old_clients:
        old.close()


def settings() -> ProviderSettings:
    """The settings of the account this call works on; of the environment alone when nothing
    was configured."""
    return _account().settings


def _new_client(current: ProviderSettings) -> NovaConnectClient:
    return NovaConnectClient(endpoint=current.endpoint, token=current.require_token(), lang=current.lang,
                             timeout=current.request_timeout)


def client() -> NovaConnectClient:
    """The account's client, built from its settings on first use."""
    account = _account()
    with _lock:
        if account.client is None:
            account.client = _new_client(account.settings)
        return account.client


def token_owner() -> User:
    """The user the account's API token belongs to, from one ``user/get`` per account."""
    account, api = _account(), client()
    with _lock:
        if account.token_owner is not None:
            return account.token_owner
    owner = api.user_get()  # outside the lock: a slow call must not hold up the other threads
    with _lock:
        account.token_owner = owner
    return owner


def program_client(connection: Optional[Connection] = None) -> NovaConnectClient:
    """A client for the program's own process (data sources), from ``pulumi.Config``; for
    ``connection``'s account when given (a data source's ``connection``, parsed by
    ``Connection.parse``): its endpoint, token and language in place of the stack's, the
    rest of the stack's settings kept, as a resource's ``connection`` does.

    The program may run several stacks' worth of configuration in tests, and read several
    accounts, so clients are kept per distinct configuration rather than once.
    """
    current = ProviderSettings.from_program_config()
    if connection is not None:
        current = connection.applied_to(current)
    with _lock:
        if current not in _program_clients:
            _program_clients[current] = _new_client(current)
        return _program_clients[current]


def _shared(name: str, make) -> Snapshot:
    """The account's snapshot called ``name``, made on first use from its client."""
    account, api = _account(), client()
    with _lock:
        if name not in account.snapshots:
            account.snapshots[name] = make(api, account.settings)
        return account.snapshots[name]


def sims() -> Snapshot[Sim]:
    """Every SIM of the account, by ``("iccid", ...)`` and ``("id", ...)``."""
    return _shared("sims", lambda api, current: sim_snapshot(api, ttl=current.snapshot_ttl))


def groups() -> Snapshot[Group]:
    """Every group, by ``("id", ...)`` and ``("name", ...)``."""
    return _shared("groups", lambda api, current: group_snapshot(api, ttl=current.snapshot_ttl))


def users() -> Snapshot[User]:
    """Every user of the company, by ``("id", ...)`` and ``("email", lower-cased)``."""
    return _shared("users", lambda api, current: Snapshot(
        lambda: api.iter_users(), lambda user: (("id", user.id), ("email", user.email.lower())),
        ttl=current.snapshot_ttl, page_size=MAX_PAGE_SIZE))


def lookup(snapshot: Snapshot, key: Hashable):
    """The entity under ``key`` in a view fresh enough for that key (None when absent)."""
    return snapshot.get(key).get(key)


def sim(iccid: str) -> Optional[Sim]:
    """The live SIM with this ICCID from the shared sweep, or None."""
    return lookup(sims(), ("iccid", iccid))


def platform() -> Platform:
    """The SIM engine's platform for the account this call works on: its settings and
    client, its shared SIM and group snapshots, the real clock, the process's queue latency
    and the token's owner (one ``user/get`` per account). Built once per account."""
    account, api, sim_list, group_list = _account(), client(), sims(), groups()
    with _lock:
        if account.platform is None:
            account.platform = Platform(client=api, sims=sim_list, groups=group_list, settings=account.settings,
                                        clock=SYSTEM_CLOCK, queue_latency=queue_latency, token_owner=token_owner)
        return account.platform
