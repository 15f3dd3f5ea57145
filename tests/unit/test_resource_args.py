"""Each resource takes its inputs as keyword arguments or as one typed ``XxxArgs``, as Pulumi's
generated SDKs do, and both ways declare the same resource."""
from __future__ import annotations

import asyncio
import dataclasses
import inspect

import pulumi
import pytest

import pulumi_novaconnect as nc
from pulumi_novaconnect.provider.base import OWNER_KEY, URN_KEY
from pulumi_novaconnect.sim.fields import SIM_FIELDS

ICCID = "8997000000000000001"
CASES = [
    (nc.Group, nc.GroupArgs, dict(name="Meters", adopt=True)),
    (nc.User, nc.UserArgs, dict(first_name="Ann", last_name="Lee", email="ann@example.com", phone="+77010000000",
                                password="s3cret")),
    (nc.SimConfig, nc.SimConfigArgs, dict(iccid=ICCID, groups=["Meters"], limit=nc.SimLimitArgs(type="month1", value_mb=5))),
    (nc.SimFleet, nc.SimFleetArgs, dict(sims={ICCID: nc.SimSettingsArgs(blocked=True)}, on_delete="block")),
    (nc.GroupPolicy, nc.GroupPolicyArgs, dict(group="Meters", tariff={"package_mb": 20, "auto_package": True})),
]
IDS = [resource.__name__ for resource, _, _ in CASES]


def keyword_inputs(resource: type) -> dict[str, inspect.Parameter]:
    params = inspect.signature(resource.__init__).parameters
    return {n: p for n, p in params.items() if p.kind is p.KEYWORD_ONLY and n != "opts"}


class _Recorder(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.inputs: dict[str, dict] = {}

    def new_resource(self, args):
        self.inputs[args.name] = {k: v for k, v in args.inputs.items() if k != "__provider"}
        return args.name + "-id", args.inputs

    def call(self, args):
        return {}


@pytest.fixture()
def recorder():
    asyncio.set_event_loop(asyncio.new_event_loop())  # the SDK runs programs on the current loop
    mocks = _Recorder()
    pulumi.runtime.set_mocks(mocks, preview=False)
    return mocks


@pytest.mark.parametrize("resource, args_type, _", CASES, ids=IDS)
def test_the_args_class_has_the_keyword_inputs_with_their_defaults(resource, args_type, _):
    keywords = keyword_inputs(resource)
    fields = {f.name: f for f in dataclasses.fields(args_type)}
    assert list(fields) == list(keywords)
    for name, param in keywords.items():
        default = fields[name].default
        expected = inspect.Parameter.empty if default is dataclasses.MISSING else default
        assert param.default == expected, name


def test_the_sim_settings_of_the_args_classes_are_the_field_model_s():
    settings = set(SIM_FIELDS.names)
    assert settings <= {f.name for f in dataclasses.fields(nc.SimConfigArgs)}
    assert {f.name for f in dataclasses.fields(nc.SimSettingsArgs)} == settings
    assert settings & {f.name for f in dataclasses.fields(nc.GroupPolicyArgs)} == set(SIM_FIELDS.per_group)


@pytest.mark.parametrize("resource, args_type, kwargs", CASES, ids=IDS)
def test_args_and_keywords_declare_the_same_inputs(recorder, resource, args_type, kwargs):
    @pulumi.runtime.test
    def program():
        by_keywords = resource("by-keywords", **kwargs)
        by_args = resource("by-args", args_type(**kwargs), pulumi.ResourceOptions())
        return pulumi.Output.all(by_keywords.urn, by_args.urn)

    program()

    # A SIM resource's owner names it in messages, so it differs by resource name.
    by_keywords, by_args = recorder.inputs["by-keywords"], recorder.inputs["by-args"]
    if OWNER_KEY in by_keywords:
        assert by_args.pop(OWNER_KEY) == f"{resource.__name__} 'by-args'"
        assert by_keywords.pop(OWNER_KEY) == f"{resource.__name__} 'by-keywords'"
    if URN_KEY in by_keywords:
        assert by_args.pop(URN_KEY).endswith(f"{resource.__name__}::by-args")
        assert by_keywords.pop(URN_KEY).endswith(f"{resource.__name__}::by-keywords")
    assert by_args and by_args == by_keywords


def test_args_and_keywords_together_are_refused():
    with pytest.raises(TypeError, match="either as a GroupArgs or as keyword arguments, not both"):
        nc.Group("g", nc.GroupArgs(name="Meters"), adopt=True)


def test_an_args_object_of_another_resource_is_refused():
    with pytest.raises(TypeError, match=r"takes a GroupArgs, not a UserArgs"):
        nc.Group("g", nc.UserArgs(first_name="a", last_name="b", email="c", phone="d"))
