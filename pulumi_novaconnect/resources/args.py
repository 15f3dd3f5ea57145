"""Typed arguments for the nested inputs of the SIM resources (plain dicts work too)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

import pulumi

from ..provider.base import OWNER_KEY, as_plain
from ..sim.fields import SIM_FIELDS


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


def setting_outputs(names: Iterable[str]) -> dict[str, Any]:
    """The output annotations of the SIM settings a resource takes, typed by the field model
    (a setting left out is not managed, so each is optional); the options every SIM resource
    has (what letting a SIM go does) follow them."""
    outputs: dict[str, Any] = {name: pulumi.Output[Optional[SIM_FIELDS[name].python_type]] for name in names}
    return {**outputs, "on_delete": pulumi.Output[str], "renew_expired_package": pulumi.Output[bool]}


def resource_props(owner: str, inputs: Mapping[str, Any], outputs: Iterable[str]) -> dict[str, Any]:
    """A SIM resource's property bag: its inputs as the engine carries them (typed ``...Args``
    as plain dicts), its name for the provider's messages (``OWNER_KEY``), and each output
    the provider fills in, unset until then."""
    return {**{key: as_plain(value) for key, value in inputs.items()}, OWNER_KEY: owner, **dict.fromkeys(outputs)}
