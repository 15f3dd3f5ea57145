"""`novaconnect_program(folder)` runs a project as `pulumi` would: under the name its
`Pulumi.yaml` gives and with the `config:` defaults it declares (both the typed
`{type, default}` form and plain values, namespaced as Pulumi namespaces them), unless the
test overrides them. What points the program at the emulator (`novaconnect_config`: endpoint,
token, short waits) still wins over the project's own `novaconnect:*` values."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

PROGRAM = '''
import pulumi
import pulumi_novaconnect as nc

config = pulumi.Config()
pulumi.export("project", pulumi.get_project())
pulumi.export("group", config.get("group"))
pulumi.export("limit_mb", config.get_int("limitMb"))
pulumi.export("strict", config.get_bool("strict"))
pulumi.export("sites", config.get_object("sites"))
pulumi.export("unset", config.get("declaredOnly"))
pulumi.export("poll", pulumi.Config("novaconnect").get("pollInterval"))
pulumi.export("other", pulumi.Config("other").get("key"))
nc.Group("meters", name=config.get("group"))
'''

PULUMI_YAML = '''
name: {name}
runtime:
  name: python
config:
  novaconnect:endpoint: http://127.0.0.1:9/api
  novaconnect:pollInterval: "0.07"
  other:key: plain
  group:
    type: string
    default: Sensors
  limitMb:
    type: integer
    default: 500
  strict: true
  sites:
    value: [north, south]
  declaredOnly:
    type: string
'''


def project(tmp_path: Path, name: str = "meters-project", file: str = "Pulumi.yaml") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "__main__.py").write_text(PROGRAM)
    (folder / file).write_text(textwrap.dedent(PULUMI_YAML.format(name=name)))
    return folder


def exports(runner) -> dict:
    return runner.preview().outputs


def test_a_project_folder_runs_under_its_name_with_its_config_defaults(novaconnect_program, novaconnect_config,
                                                                        tmp_path):
    runner = novaconnect_program(project(tmp_path))
    assert runner.project == "meters-project"
    values = exports(runner)
    assert values == {
        "project": "meters-project", "group": "Sensors", "limit_mb": 500, "strict": True,
        "sites": ["north", "south"], "other": "plain",
        # What points the program at the emulator wins over the project's own settings.
        "poll": novaconnect_config["novaconnect:pollInterval"],
    }  # `unset` is None: declared without a default, so not set (and not exported)
    assert runner.config["meters-project:group"] == "Sensors"
    assert runner.config["novaconnect:endpoint"] == novaconnect_config["novaconnect:endpoint"]
    runner.up()
    assert runner.state_path.name.startswith("meters-project.")


def test_the_tests_config_and_project_name_override_the_projects(novaconnect_program, tmp_path):
    folder = project(tmp_path, file="Pulumi.yml")
    runner = novaconnect_program(folder, {"meters-project:group": "Pumps", "novaconnect:pollInterval": "0.2"})
    values = exports(runner)
    assert (values["group"], values["limit_mb"], values["poll"]) == ("Pumps", 500, "0.2")
    renamed = novaconnect_program(folder, project="renamed")
    values = exports(renamed)
    assert (values["project"], values["group"], values["limit_mb"]) == ("renamed", "Sensors", 500)


def test_a_function_or_a_folder_without_pulumi_yaml_keeps_the_default_project(novaconnect_program, tmp_path):
    def program():
        import pulumi

        pulumi.export("project", pulumi.get_project())

    assert exports(novaconnect_program(program)) == {"project": "test"}
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "__main__.py").write_text("import pulumi\npulumi.export('project', pulumi.get_project())\n")
    assert exports(novaconnect_program(bare)) == {"project": "test"}


@pytest.mark.parametrize("example, key, value", [
    ("group-policy", "novaconnect-group-policy:limitMb", "500"),
    ("usage-guard", "novaconnect-usage-guard:thresholdMb", "1000"),
])
def test_the_examples_defaults_reach_their_programs(novaconnect_program, example, key, value):
    folder = Path(__file__).resolve().parents[2] / "examples" / example
    runner = novaconnect_program(folder)
    assert runner.project == key.split(":")[0] and runner.config[key] == value
