"""Data sources: read SIMs, groups, users and the company in the program's own process.

The dynamic provider host implements no ``Invoke``, so these functions call NovaConnect
directly from the program. Their client is built from ``pulumi.Config("novaconnect")``
through the provider's own settings code (``ProviderSettings.from_program_config``), so
the program and the provider agree on every key, its ``NOVACONNECT_*`` fallback, its
default and its checks. Each comes with an ``_output`` twin taking Pulumi inputs.

Each also takes ``connection`` (a :class:`~pulumi_novaconnect.ConnectionArgs`), as every
resource does: another account's endpoint and token in place of the stack's (everything
else stays the stack's), parsed by the provider's own ``Connection.parse``, so a malformed
connection is the same one-line ``ConfigurationError``, naming the function and the field
and never the token. The ``_output`` twins resolve it with the other inputs; the token is
usually a secret Output, and a result holds no token, so the result is secret only when
another input is.

Every argument is checked before any call, its type (:func:`require`) and then its value
(:func:`one_of`, :func:`not_blank`, the ICCID's form): a filter that cannot match anything,
such as ``role="superuser"``, would otherwise come back as an empty result that looks like
an answer. Errors name the function, the argument, the rule and the value given.
Amounts are :class:`~decimal.Decimal`.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterable, Optional, TypeVar

import pulumi

from .client import NovaConnectClient
from .client.models import BILLING_PREPAID, PROFILE_TC, PROFILE_TD, ROLE_ADMIN, ROLE_USER, Company, Group, Sim, User
from .errors import ConfigurationError, NotFoundOnPlatform
from .provider.base import as_plain
from .provider.config import Connection
from .provider.registry import program_client
from .provider.strict import require
from .resources.args import ConnectionArgs
from .sim.fields import SIM_FIELDS
from .sim.spec import ICCID_PATTERN

T = TypeVar("T")

PROFILES = (PROFILE_TC, PROFILE_TD)
ROLES = (ROLE_ADMIN, ROLE_USER)  # decision 5: the codes the vendor implies; User(role=...) takes the same


# A value a message repeats is cut to this many characters: a program may pass anything.
SHOWN_CHARS = 80


def shown(value: Any) -> str:
    """``repr(value)``, cut to :data:`SHOWN_CHARS` so that every message stays one short line."""
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 3] + "..."


def one_of(function: str, argument: str, value: Any, allowed: Iterable[str]) -> None:
    """Refuse a value outside ``allowed`` (None passes: not given), naming every allowed one."""
    allowed = tuple(allowed)
    if value is not None and value not in allowed:
        names = " or ".join(repr(a) for a in allowed)
        raise ValueError(f"{function}: `{argument}` must be {names}, not {shown(value)}")


def not_blank(function: str, argument: str, value: Optional[str], what: str) -> None:
    """Refuse empty or all-space text where a name is expected (it can match nothing)."""
    if value is not None and not value.strip():
        raise ValueError(f"{function}: `{argument}` must be {what}, not the empty text {shown(value)}")


def iccid_of(function: str, argument: str, value: str) -> str:
    """The ICCID without surrounding spaces; a value that is not 19 or 20 digits is refused."""
    iccid = value.strip()
    if not ICCID_PATTERN.match(iccid):
        raise ValueError(f"{function}: `{argument}` must be an ICCID (19 or 20 digits), not {shown(value)}")
    return iccid


class DataSourceConfigurationError(ConfigurationError, pulumi.RunError):
    """A data source's malformed ``connection``: a :class:`~pulumi_novaconnect.errors.ConfigurationError`
    that ``pulumi`` shows as its one-line message (the language host prints a ``RunError``'s
    text alone), not as the program's traceback."""


def connection_of(function: str, connection: Any) -> Optional[Connection]:
    """The account a data source's ``connection`` names (None: the stack's), checked before
    any call by ``Connection.parse``, as a resource's is: one ``ConfigurationError`` naming
    the function and every field without its form, never the token. Outputs belong to the
    ``_output`` twin, which resolves them first."""
    if connection is None:
        return None
    plain = as_plain(connection)
    if not isinstance(plain, Mapping):
        # Only the type: a token given in place of the connection must not be repeated.
        raise TypeError(f"{function}: `connection` must be a ConnectionArgs (an endpoint and a token), "
                        f"not a {type(connection).__name__}")
    held = [f"connection.{key}" for key, value in plain.items() if isinstance(value, pulumi.Output)]
    if held:
        raise TypeError(f"{function}: `connection` holds an Output ({', '.join(held)}): {function} takes plain "
                        f"values; {function}_output resolves Outputs first")
    try:
        return Connection.parse(plain, function)
    except ConfigurationError as error:
        raise DataSourceConfigurationError(str(error)) from None


def client_of(account: Optional[Connection]) -> NovaConnectClient:
    """The program's client for ``account`` (from :func:`connection_of`), the stack's when None."""
    return program_client(account)


def resolved(call: Callable[..., T], args: dict[str, Any], connection: Any = None) -> "pulumi.Output[T]":
    """An ``_output`` twin: ``call(**args, connection=...)`` once every input is resolved.

    The connection's token is usually a secret Output and would make the result secret;
    the result holds no token, so it is secret only when one of ``args`` is."""
    inputs = pulumi.Output.from_input(args)
    if connection is None:
        return inputs.apply(lambda a: call(**a))
    account = pulumi.Output.from_input(as_plain(connection))
    result = pulumi.Output.all(inputs, account).apply(lambda both: call(**both[0], connection=both[1]))
    return pulumi.Output.all(pulumi.Output.unsecret(result), inputs).apply(lambda both: both[0])


@dataclass(frozen=True)
class SimInfo:
    """One SIM as a data source returns it."""

    id: int
    iccid: str
    number: str
    external_number: Optional[str]
    name: Optional[str]
    profile: str
    block: str
    blocked: bool
    groups: list[str]
    limit_type: Optional[str]
    limit_mb: Optional[int]
    limit_used_mb: Optional[float]
    package_auto: Optional[bool]
    tariff_name: Optional[str]
    balance: Decimal
    currency: Optional[str]
    msu_value: Optional[int]
    comment: Optional[str]

    @classmethod
    def from_sim(cls, sim: Sim) -> "SimInfo":
        # The settings the SIM resources manage as the field model reads them; the limit and
        # package as the platform gives them (type, MB, use, renewal, tariff name).
        settings = SIM_FIELDS.live_values(sim)
        return cls(
            id=sim.id,
            iccid=sim.iccid,
            number=sim.number,
            external_number=sim.external_number,
            profile=sim.profile,
            block=sim.block,
            **{name: settings[name] for name in ("name", "blocked", "groups")},
            limit_type=sim.limit.type if sim.limit else None,
            limit_mb=sim.limit.value if sim.limit else None,
            limit_used_mb=sim.limit.used if sim.limit else None,
            package_auto=sim.tariff.package_auto if sim.tariff else None,
            tariff_name=sim.tariff.name if sim.tariff else None,
            balance=sim.balance,
            currency=sim.currency,
            msu_value=sim.msu_value,
            comment=sim.comment,
        )


@dataclass(frozen=True)
class GetSimsResult:
    """The SIMs that matched, in the platform's order."""

    sims: list[SimInfo] = field(default_factory=list)

    @property
    def iccids(self) -> list[str]:
        return [sim.iccid for sim in self.sims]

    @property
    def ids(self) -> list[int]:
        return [sim.id for sim in self.sims]


def get_sims(
    *,
    query: Optional[str] = None,
    profile: Optional[str] = None,
    blocked: Optional[bool] = None,
    msu_block: Optional[bool] = None,
    group: Optional[str] = None,
    connection: Optional[ConnectionArgs] = None,
) -> GetSimsResult:
    """SIMs matching every given filter.

    ``query``, ``profile``, ``blocked`` and ``msu_block`` are ``sim/list`` filters (run by
    the platform); ``group`` (an exact group name) is applied here, since ``sim/list`` has
    no group filter. ``connection`` reads another account (the stack's when unset).
    """
    for argument, value, expected in (("query", query, str), ("profile", profile, str), ("blocked", blocked, bool),
                                      ("msu_block", msu_block, bool), ("group", group, str)):
        require("get_sims", argument, value, expected)
    account = connection_of("get_sims", connection)
    one_of("get_sims", "profile", profile, PROFILES)
    not_blank("get_sims", "group", group, "a group's exact name")
    not_blank("get_sims", "query", query, "text the platform's search looks for (an ICCID, number or name)")
    api = client_of(account)
    # A group that does not exist is a typo, not a group without SIMs: say so, as get_usage does.
    if group is not None and api.find_group(group) is None:
        raise NotFoundOnPlatform(f"get_sims: no group named {shown(group)} on this NovaConnect account; "
                                 "check the name (it is matched exactly, case included)")
    sims = api.iter_sims(profile=profile, blocked=blocked, msu_block=msu_block, query=query)
    if group is not None:
        sims = (sim for sim in sims if any(g.name == group for g in sim.groups))
    return GetSimsResult(sims=[SimInfo.from_sim(sim) for sim in sims])


def get_sims_output(
    *,
    query: Optional[pulumi.Input[str]] = None,
    profile: Optional[pulumi.Input[str]] = None,
    blocked: Optional[pulumi.Input[bool]] = None,
    msu_block: Optional[pulumi.Input[bool]] = None,
    group: Optional[pulumi.Input[str]] = None,
    connection: Optional[ConnectionArgs] = None,
) -> pulumi.Output[GetSimsResult]:
    """:func:`get_sims` taking Pulumi inputs and returning an Output."""
    args = {"query": query, "profile": profile, "blocked": blocked, "msu_block": msu_block, "group": group}
    return resolved(get_sims, args, connection)


def get_sim(*, iccid: Optional[str] = None, id: Optional[int] = None,  # noqa: A002 - the platform's name
            connection: Optional[ConnectionArgs] = None) -> SimInfo:
    """One SIM by ICCID or by platform id; an error naming it when there is none.
    ``connection`` reads another account (the stack's when unset)."""
    require("get_sim", "iccid", iccid, str)
    require("get_sim", "id", id, int)
    account = connection_of("get_sim", connection)
    if (iccid is None) == (id is None):
        given = "both" if iccid is not None else "neither"
        raise ValueError(f"get_sim: give exactly one of `iccid` or `id`, not {given}")
    if id is not None and id < 1:
        raise ValueError(f"get_sim: `id` must be a platform id (a whole number from 1), not {shown(id)}")
    if iccid is not None:
        iccid = iccid_of("get_sim", "iccid", iccid)
        # How the "universal search" matches ICCIDs is undocumented (decision 10 is an
        # assumption): its answer is only trusted when it holds this exact ICCID; otherwise
        # the whole list is read, so a search that skips ICCIDs cannot hide a SIM.
        api = client_of(account)
        found = next((sim for sim in api.iter_sims(query=iccid) if sim.iccid == iccid), None)
        if found is None:
            found = next((sim for sim in api.iter_sims() if sim.iccid == iccid), None)
        if found is None:
            raise NotFoundOnPlatform(f"get_sim: no SIM with ICCID {iccid} on this NovaConnect account")
        return SimInfo.from_sim(found)
    for sim in client_of(account).iter_sims():
        if sim.id == int(id):  # type: ignore[arg-type]
            return SimInfo.from_sim(sim)
    raise NotFoundOnPlatform(f"get_sim: no SIM with id {id} on this NovaConnect account")


def get_sim_output(
    *, iccid: Optional[pulumi.Input[str]] = None, id: Optional[pulumi.Input[int]] = None,  # noqa: A002
    connection: Optional[ConnectionArgs] = None,
) -> pulumi.Output[SimInfo]:
    """:func:`get_sim` taking Pulumi inputs and returning an Output."""
    args: dict[str, Any] = {"iccid": iccid, "id": id}
    return resolved(get_sim, args, connection)


@dataclass(frozen=True)
class GroupInfo:
    """One SIM group."""

    id: int
    name: str
    added: Optional[int]


@dataclass(frozen=True)
class GetGroupsResult:
    """The groups that matched, in the platform's order."""

    groups: list[GroupInfo] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [group.name for group in self.groups]


def get_groups(*, name_contains: Optional[str] = None, connection: Optional[ConnectionArgs] = None
               ) -> GetGroupsResult:
    """Every SIM group of the account; ``name_contains`` is the platform's substring filter.
    ``connection`` reads another account (the stack's when unset)."""
    require("get_groups", "name_contains", name_contains, str)
    account = connection_of("get_groups", connection)
    groups: list[Group] = list(client_of(account).iter_groups(name=name_contains))
    return GetGroupsResult(groups=[GroupInfo(id=g.id, name=g.name, added=g.added) for g in groups])


def get_groups_output(*, name_contains: Optional[pulumi.Input[str]] = None,
                      connection: Optional[ConnectionArgs] = None) -> pulumi.Output[GetGroupsResult]:
    """:func:`get_groups` taking Pulumi inputs and returning an Output."""
    return resolved(get_groups, {"name_contains": name_contains}, connection)


@dataclass(frozen=True)
class UserInfo:
    """One user of the company (no password: the platform never returns one)."""

    id: int
    email: str
    first_name: Optional[str]
    last_name: Optional[str]
    phone: Optional[str]
    active: bool
    role: Optional[str]


@dataclass(frozen=True)
class GetUsersResult:
    """The company's users, in the platform's order."""

    users: list[UserInfo] = field(default_factory=list)

    @property
    def emails(self) -> list[str]:
        return [user.email for user in self.users]


def get_users(*, role: Optional[str] = None, active: Optional[bool] = None,
              connection: Optional[ConnectionArgs] = None) -> GetUsersResult:
    """The company's users; ``role`` (``"admin"`` or ``"user"``) and ``active`` are applied
    here (``user/list`` has no filters). ``connection`` reads another account (the stack's
    when unset)."""
    require("get_users", "role", role, str)
    require("get_users", "active", active, bool)
    account = connection_of("get_users", connection)
    one_of("get_users", "role", role, ROLES)
    users: list[User] = [
        u for u in client_of(account).iter_users()
        if (role is None or u.role == role) and (active is None or u.active == active)
    ]
    return GetUsersResult(users=[
        UserInfo(id=u.id, email=u.email, first_name=u.first_name, last_name=u.last_name, phone=u.phone,
                 active=u.active, role=u.role)
        for u in users
    ])


def get_users_output(
    *, role: Optional[pulumi.Input[str]] = None, active: Optional[pulumi.Input[bool]] = None,
    connection: Optional[ConnectionArgs] = None,
) -> pulumi.Output[GetUsersResult]:
    """:func:`get_users` taking Pulumi inputs and returning an Output."""
    return resolved(get_users, {"role": role, "active": active}, connection)


@dataclass(frozen=True)
class CompanyInfo:
    """The company the token belongs to. Amounts are :class:`~decimal.Decimal` in the
    company's currency (the platform writes them with its sign, e.g. ``"-12 345.67 ₸"``);
    a stack output takes them as text, e.g. ``pulumi.export("balance", str(company.balance))``."""

    id: int
    name: str
    unique_id: Optional[str]
    contract: Optional[str]
    country: Optional[str]
    billing_type: Optional[int]
    prepaid: Optional[bool]
    balance: Optional[Decimal]
    """Negative: owed to NovaConnect."""
    preliminary_balance: Optional[Decimal]
    overdraft: Optional[Decimal]

    @classmethod
    def from_company(cls, company: Company) -> "CompanyInfo":
        return cls(
            id=company.id,
            name=company.name,
            unique_id=company.unique_id,
            contract=company.contract,
            country=company.country,
            billing_type=company.billing_type,
            prepaid=None if company.billing_type is None else company.billing_type == BILLING_PREPAID,
            balance=company.balance,
            preliminary_balance=company.preliminary_balance,
            overdraft=company.overdraft,
        )


def get_company(*, connection: Optional[ConnectionArgs] = None) -> CompanyInfo:
    """The company the configured token belongs to: balance and billing type (``company/get``);
    ``connection``'s token's company when given."""
    return CompanyInfo.from_company(client_of(connection_of("get_company", connection)).company_get())


def get_company_output(*, connection: Optional[ConnectionArgs] = None) -> pulumi.Output[CompanyInfo]:
    """:func:`get_company` as an Output."""
    return resolved(get_company, {}, connection)
