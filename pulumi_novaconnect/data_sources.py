"""Data sources: read SIMs in the program's own process.

The dynamic provider host implements no ``Invoke``, so these functions call NovaConnect
directly from the program. Their client is built from ``pulumi.Config("novaconnect")``
through the provider's own settings code (``ProviderSettings.from_program_config``), so
the program and the provider agree on every key, its ``NOVACONNECT_*`` fallback, its
default and its checks. Each comes with an ``_output`` twin taking Pulumi inputs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

import pulumi

from .client.models import Sim
from .errors import NotFoundOnPlatform
from .provider.registry import program_client as _client


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
    balance: float
    currency: Optional[str]
    msu_value: Optional[int]
    comment: Optional[str]

    @classmethod
    def from_sim(cls, sim: Sim) -> "SimInfo":
        return cls(
            id=sim.id,
            iccid=sim.iccid,
            number=sim.number,
            external_number=sim.external_number,
            name=sim.name,
            profile=sim.profile,
            block=sim.block,
            blocked=sim.is_blocked,
            groups=sim.group_names,
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
) -> GetSimsResult:
    """SIMs matching every given filter.

    ``query``, ``profile``, ``blocked`` and ``msu_block`` are ``sim/list`` filters (run by
    the platform); ``group`` (an exact group name) is applied here, since ``sim/list`` has
    no group filter.
    """
    if profile is not None and profile not in ("TC", "TD"):
        raise ValueError(f"get_sims: profile must be 'TC' or 'TD', not {profile!r}")
    sims = _client().iter_sims(profile=profile, blocked=blocked, msu_block=msu_block, query=query)
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
) -> pulumi.Output[GetSimsResult]:
    """:func:`get_sims` taking Pulumi inputs and returning an Output."""
    args = {"query": query, "profile": profile, "blocked": blocked, "msu_block": msu_block, "group": group}
    return pulumi.Output.from_input(args).apply(lambda a: get_sims(**a))


def get_sim(*, iccid: Optional[str] = None, id: Optional[int] = None) -> SimInfo:  # noqa: A002 - the platform's name
    """One SIM by ICCID or by platform id; an error naming it when there is none."""
    if (iccid is None) == (id is None):
        raise ValueError("get_sim: give exactly one of iccid= or id=")
    if iccid is not None:
        # The universal search matches ICCIDs by substring (decision 10): keep the exact one.
        matches = [sim for sim in _client().iter_sims(query=iccid) if sim.iccid == iccid]
        if not matches:
            raise NotFoundOnPlatform(f"get_sim: no SIM with ICCID {iccid} on this NovaConnect account")
        return SimInfo.from_sim(matches[0])
    for sim in _client().iter_sims():
        if sim.id == int(id):  # type: ignore[arg-type]
            return SimInfo.from_sim(sim)
    raise NotFoundOnPlatform(f"get_sim: no SIM with id {id} on this NovaConnect account")


def get_sim_output(
    *, iccid: Optional[pulumi.Input[str]] = None, id: Optional[pulumi.Input[int]] = None  # noqa: A002
) -> pulumi.Output[SimInfo]:
    """:func:`get_sim` taking Pulumi inputs and returning an Output."""
    args: dict[str, Any] = {"iccid": iccid, "id": id}
    return pulumi.Output.from_input(args).apply(lambda a: get_sim(**a))
