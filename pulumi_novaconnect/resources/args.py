"""Typed arguments for the nested inputs of the SIM resources (plain dicts work too)."""
from __future__ import annotations

import dataclasses
import functools
import inspect
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union

import pulumi
import pulumi.dynamic

from ..provider.base import CONNECTION_KEY, OWNER_KEY, URN_KEY, as_plain
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


@dataclass
class ConnectionArgs:
    """Another NovaConnect account, for a resource that is not on the stack's own: one program
    can manage two accounts (dynamic resources take no ``provider=`` of their own, so each
    resource names its account). Unset, a resource uses the stack's ``novaconnect:*`` config;
    set, its endpoint and token (and language) replace the stack's, everything else (timeouts,
    guardrails) stays. The token travels as a secret, as ``novaconnect:token`` does."""

    endpoint: pulumi.Input[str]
    """The account's API address, like ``https://api.novaconnect.kz/api``."""
    token: pulumi.Input[str]
    """The account's API token; pass ``config.require_secret(...)``. It is kept secret in state."""
    lang: Optional[pulumi.Input[str]] = None
    """The language of the platform's messages for this account; the stack's when unset."""


def connection_props(connection: Optional[Union[ConnectionArgs, Mapping[str, Any]]]) -> dict[str, Any]:
    """The property that carries a resource's ``connection`` (none when it has none): an
    internal one, so no preview prints it, with the token wrapped as a secret."""
    if connection is None:
        return {}
    plain = as_plain(connection)
    if not isinstance(plain, Mapping):
        raise TypeError(f"connection takes a ConnectionArgs, not a {type(connection).__name__}")
    token = plain.get("token")
    return {CONNECTION_KEY: {**plain, "token": pulumi.Output.secret(token) if token is not None else None}}


def resource_props(owner: str, inputs: Mapping[str, Any], outputs: Iterable[str], *,
                   urn: Optional[pulumi.Input[str]] = None) -> dict[str, Any]:
    """A SIM resource's property bag: its inputs as the engine carries them (typed ``...Args``
    as plain dicts), its name for the provider's messages (``OWNER_KEY``) and its URN for the
    diagnostics it attaches to the resource (``URN_KEY``), and each output the provider fills
    in, unset until then."""
    return {**{key: as_plain(value) for key, value in inputs.items()}, OWNER_KEY: owner,
            **({URN_KEY: urn} if urn is not None else {}), **dict.fromkeys(outputs)}


def urn_of(resource_type: type, resource_name: str, opts: Optional[pulumi.ResourceOptions]) -> pulumi.Output[str]:
    """The URN the engine gives this resource (its parent's type chain included)."""
    token = f"pulumi-python:{resource_type._resource_type_name}"  # as pulumi.dynamic.Resource names it
    return pulumi.resource.create_urn(resource_name, token, parent=opts.parent if opts is not None else None)


def takes_args(args_type: type) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Let a resource's keyword-only ``__init__`` also be called as Pulumi's generated SDKs are:
    ``Resource(name, XArgs(...), opts)``, or ``Resource(name, opts=..., **keywords)``.

    The keyword signature stays the one ``inspect.signature`` reports (with ``args`` before
    it), so schema.json and the docs go on reading the inputs from it; the ``XArgs`` class
    carries the same fields, which a unit test holds to the keyword signature."""

    def wrap(init: Callable[..., None]) -> Callable[..., None]:
        keywords = inspect.signature(init)

        @functools.wraps(init)
        def __init__(self: Any, resource_name: str, args: Any = None, opts: Optional[pulumi.ResourceOptions] = None,
                     **kwargs: Any) -> None:
            if args is not None and not isinstance(args, args_type):
                raise TypeError(f"{type(self).__name__}({resource_name!r}, args=...) takes a {args_type.__name__}, "
                                f"not a {type(args).__name__}")
            if args is not None:
                if kwargs:
                    raise TypeError(f"{type(self).__name__}({resource_name!r}) takes its inputs either as a "
                                    f"{args_type.__name__} or as keyword arguments, not both ({', '.join(kwargs)})")
                kwargs = {f.name: getattr(args, f.name) for f in dataclasses.fields(args)}
            init(self, resource_name, opts=opts, **kwargs)

        params = list(keywords.parameters.values())
        args_param = inspect.Parameter("args", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                       default=None, annotation=Optional[args_type])
        __init__.__signature__ = keywords.replace(parameters=[*params[:2], args_param, *params[2:]])  # type: ignore[attr-defined]
        return __init__

    return wrap


def read_into_program(resource_type: type, provider: Any, resource_name: str, id_: pulumi.Input[str],
                      opts: Optional[pulumi.ResourceOptions],
                      connection: Optional[Union[ConnectionArgs, Mapping[str, Any]]] = None) -> Any:
    """``resource_type.get(...)``: an existing object read into the program, not managed by it.

    ``pulumi import`` cannot reach a dynamic provider (the host finds no ``__provider``), but a
    resource registered with ``ResourceOptions(id=...)`` is *read*: the engine calls the
    provider's ``read(id, props)`` with the properties given here (``__provider`` included)
    and never creates, updates or deletes it. The properties are every output the type
    declares (unset, for the read to fill in) and the ``connection`` of the account to read."""
    props = {**dict.fromkeys(resource_type.__annotations__), **connection_props(connection)}
    resource = resource_type.__new__(resource_type)
    opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(id=id_))
    pulumi.dynamic.Resource.__init__(resource, provider, resource_name, props, opts)
    return resource
