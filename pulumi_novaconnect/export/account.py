"""Reading what an account holds, once, for an export or a drift check.

One ``group/list``, one paged ``sim/list`` sweep (with the platform's own filters for
``--profile`` and ``--query``; ``--group`` is applied here, since ``sim/list`` has no group
filter) and one ``user/list``. The groups come first: a ``--group`` the account does not
have is an error naming the groups it has, before the long sweep, rather than an empty
inventory that looks like an export of a group without SIMs. Large accounts take a while, so the sweep drives a
progress bar on stderr: tqdm's, switched off when stderr is not a terminal (a CI log or a
pipe should not fill with carriage returns).
"""
from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional, TextIO

from tqdm import tqdm

from ..client import NovaConnectClient
from ..client.models import Group, Sim, User
from .errors import ExportError, some


@dataclass(frozen=True)
class Filters:
    """Which SIMs an export covers; every given filter must match."""

    group: Optional[str] = None
    profile: Optional[str] = None
    query: Optional[str] = None

    def describe(self) -> str:
        parts = [f"{k}={v!r}" for k, v in (("group", self.group), ("profile", self.profile), ("query", self.query)) if v]
        return ", ".join(parts) or "every SIM"


@dataclass
class Account:
    sims: list[Sim] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    users: list[User] = field(default_factory=list)


def progress_enabled(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def read_sims(api: NovaConnectClient, filters: Filters, *, stream: TextIO = sys.stderr) -> list[Sim]:
    """The SIMs the filters select, in the platform's id order, with a progress bar when it helps."""
    sims: Iterable[Sim] = api.iter_sims(profile=filters.profile, query=filters.query, sort={"id": "ASC"})
    if progress_enabled(stream):
        # The total comes from a one-SIM page's all_count: a cheap call that makes the bar honest.
        total = api.sim_list(0, 1, profile=filters.profile, query=filters.query).all_count
        sims = tqdm(sims, total=total, unit=" SIMs", desc="Reading SIMs", file=stream, leave=False)
    return [sim for sim in _in_group(sims, filters.group)]


def _in_group(sims: Iterable[Sim], group: Optional[str]) -> Iterator[Sim]:
    for sim in sims:
        if group is None or group in sim.group_names:
            yield sim


def read_account(api: NovaConnectClient, filters: Filters, *, stream: TextIO = sys.stderr) -> Account:
    groups = sorted(api.list_groups(), key=lambda g: g.id)
    if filters.group is not None:
        check_group(filters.group, [g.name for g in groups])
    return Account(
        sims=read_sims(api, filters, stream=stream),
        groups=groups,
        users=sorted(api.list_users(), key=lambda u: u.id),
    )


def check_group(name: str, names: list[str]) -> None:
    """Refuse a ``--group`` the account does not have, naming the ones it has."""
    if name in names:
        return
    if not names:
        raise ExportError(f"--group {name!r}: this NovaConnect account has no groups; leave --group out")
    folded = [n for n in names if n.casefold() == name.casefold()]
    close = folded or difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}? names are matched exactly)" if close else ""
    raise ExportError(
        f"--group {name!r}: no group of that name on this NovaConnect account{hint}; "
        f"it has {len(names)}: {some(sorted(names, key=str.casefold))}; give one of them exactly"
    )
