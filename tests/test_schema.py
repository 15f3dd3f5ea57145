"""schema.json says what the Python package really takes and returns."""
from __future__ import annotations

import dataclasses
import inspect
import json
from pathlib import Path

import pytest

import pulumi_novaconnect as nc
from pulumi_novaconnect.provider.config import CONFIG_KEYS

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "schema.json").read_text())
RESOURCES = {"Group": nc.Group, "User": nc.User, "SimConfig": nc.SimConfig, "SimFleet": nc.SimFleet,
             "GroupPolicy": nc.GroupPolicy}


def kwargs_of(fn) -> dict[str, inspect.Parameter]:
    params = inspect.signature(fn).parameters
    return {n: p for n, p in params.items() if n not in ("self", "resource_name", "opts") and p.kind is p.KEYWORD_ONLY}


@pytest.mark.parametrize("name", RESOURCES)
def test_resource_inputs_match_the_constructor(name):
    spec = SCHEMA["resources"][f"novaconnect:index:{name}"]
    params = kwargs_of(RESOURCES[name].__init__)
    assert set(spec["inputProperties"]) == set(params)
    required = {n for n, p in params.items() if p.default is inspect.Parameter.empty}
    assert set(spec["requiredInputs"]) == required
    for prop, value in spec["inputProperties"].items():
        default = params[prop].default
        if default not in (inspect.Parameter.empty, None):
            assert value.get("default") == default, prop


@pytest.mark.parametrize("name", RESOURCES)
def test_resource_outputs_match_the_declared_output_attributes(name):
    spec = SCHEMA["resources"][f"novaconnect:index:{name}"]
    declared = set(RESOURCES[name].__annotations__)  # the class's own `x: pulumi.Output[...]` lines
    assert set(spec["properties"]) == declared
    # Every input reads back as an output, but `connection`: it holds a token, and a program
    # has it already.
    assert set(spec["inputProperties"]) - {"connection"} <= declared


@pytest.mark.parametrize("type_name, cls", [("SimLimit", nc.SimLimitArgs), ("SimTariff", nc.SimTariffArgs), ("SimSettings", nc.SimSettingsArgs), ("SimInfo", nc.SimInfo),
                                            ("GroupInfo", nc.GroupInfo), ("UserInfo", nc.UserInfo),
                                            ("Connection", nc.ConnectionArgs)])
def test_nested_types_match_their_classes(type_name, cls):
    spec = SCHEMA["types"][f"novaconnect:index:{type_name}"]
    fields = {f.name: f for f in dataclasses.fields(cls)}
    assert set(spec["properties"]) == set(fields)
    if cls not in (nc.SimInfo, nc.GroupInfo, nc.UserInfo):
        required = {n for n, f in fields.items() if f.default is dataclasses.MISSING}
        assert set(spec["required"]) == required


@pytest.mark.parametrize("token, fn", [("getSims", nc.get_sims), ("getSim", nc.get_sim), ("getGroups", nc.get_groups),
                                       ("getUsers", nc.get_users), ("getCompany", nc.get_company),
                                       ("getUsage", nc.get_usage), ("getSessions", nc.get_sessions),
                                       ("getBills", nc.get_bills)])
def test_function_inputs_match_the_python_functions(token, fn):
    spec = SCHEMA["functions"][f"novaconnect:index:{token}"]
    assert set(spec["inputs"]["properties"]) == set(kwargs_of(fn))


def test_output_twins_take_the_same_arguments():
    assert set(kwargs_of(nc.get_sims_output)) == set(kwargs_of(nc.get_sims))
    assert set(kwargs_of(nc.get_sim_output)) == set(kwargs_of(nc.get_sim))
    for fn, twin in ((nc.get_groups, nc.get_groups_output), (nc.get_users, nc.get_users_output),
                     (nc.get_company, nc.get_company_output), (nc.get_usage, nc.get_usage_output),
                     (nc.get_sessions, nc.get_sessions_output), (nc.get_bills, nc.get_bills_output)):
        assert set(kwargs_of(twin)) == set(kwargs_of(fn))


def test_every_function_and_resource_get_takes_a_connection():
    for token, spec in SCHEMA["functions"].items():
        assert spec["inputs"]["properties"]["connection"]["$ref"] == "#/types/novaconnect:index:Connection", token
    for name, cls in RESOURCES.items():
        if "get" in vars(cls):
            assert "connection" in kwargs_of(cls.get), name


def test_get_company_outputs_are_the_company_info_fields():
    spec = SCHEMA["functions"]["novaconnect:index:getCompany"]
    assert set(spec["outputs"]["properties"]) == {f.name for f in dataclasses.fields(nc.CompanyInfo)}


def test_get_sim_outputs_are_the_sim_info_fields():
    spec = SCHEMA["functions"]["novaconnect:index:getSim"]
    assert set(spec["outputs"]["properties"]) == {f.name for f in dataclasses.fields(nc.SimInfo)}


def test_config_variables_are_the_keys_the_provider_reads():
    assert set(SCHEMA["config"]["variables"]) == set(CONFIG_KEYS)
    assert SCHEMA["config"]["variables"]["token"]["secret"] is True


def test_every_type_reference_resolves():
    text = json.dumps(SCHEMA)
    for ref in {part.split('"')[0] for part in text.split('"$ref": "#/types/')[1:]}:
        assert ref in SCHEMA["types"], ref
