"""Typed arguments for the nested inputs of the SIM resources (plain dicts work too)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence, Union

import pulumi


@dataclass
class SimLimitArgs:
    """A TC SIM's traffic limit."""

    type: pulumi.Input[str]
    """``off`` or ``month1`` (calendar month)."""
    value_mb: Optional[pulumi.Input[int]] = None
    """The monthly limit in MB (``month1`` only)."""


@dataclass
class SimTariffArgs:
    """A TD SIM's traffic package."""

    package_mb: pulumi.Input[int]
    """Package size in MB: 15..100 in steps of 5."""
    auto_package: pulumi.Input[bool]
    """Renew the package automatically when it runs out."""
    all_world: Optional[pulumi.Input[bool]] = None
    """Worldwide roaming (tariff TD_Mega); not managed when left out."""


@dataclass
class SimSettingsArgs:
    """The managed settings of one SIM in a :class:`~pulumi_novaconnect.SimFleet` (or its
    ``defaults``). A field left ``None`` is not managed."""

    name: Optional[pulumi.Input[str]] = None
    """SIM name."""
    groups: Optional[pulumi.Input[Sequence[pulumi.Input[str]]]] = None
    """The exact set of group names."""
    blocked: Optional[pulumi.Input[bool]] = None
    """The user block."""
    limit: Optional[pulumi.Input[Union[SimLimitArgs, Mapping[str, Any]]]] = None
    """Monthly limit (TC SIMs)."""
    tariff: Optional[pulumi.Input[Union[SimTariffArgs, Mapping[str, Any]]]] = None
    """Traffic package (TD SIMs)."""
