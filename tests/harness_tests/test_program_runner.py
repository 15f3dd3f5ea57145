"""The deployment-loop stand-in: whole programs of toy items, previewed, applied, refreshed, destroyed."""
from __future__ import annotations

import textwrap

import pulumi
import pytest
from pulumi.runtime import settings

from pulumi_novaconnect.testing.program_runner import CheckFailed, StepFailed
from pulumi_novaconnect.testing.provider_host import is_secret, is_unknown, secret
from tests.harness_tests.toy import ITEM_TYPE, Item, LooseItem


def items(**specs):
    """A program declaring one toy Item per keyword: name -> dict(inputs, opts=...)."""

    def program():
        for name, spec in specs.items():
            spec = dict(spec)
            Item(name, opts=spec.pop("opts", None), name=name, **spec)

    return program


def calls(store):
    return [tuple(c) for c in store.load()["calls"]]


def test_preview_on_empty_state_lists_creates_and_calls_no_mutation(make_runner, store):
    result = make_runner(items(a={"size": 1}, b={"size": 2})).preview()
    assert result.text == "+ create a\n+ create b"
    assert result.step("a").type == ITEM_TYPE
    assert store.items() == {}


def test_up_creates_then_preview_lists_nothing(make_runner, store):
    program = items(a={"size": 1}, b={"size": 2})
    up = make_runner(program).up()
    assert up.kinds == {"a": "create", "b": "create"}
    assert sorted(i["name"] for i in store.items().values()) == ["a", "b"]

    again = make_runner(program).preview()
    assert again.text == ""
    assert again.kinds == {"a": "same", "b": "same"}


def test_edited_input_previews_as_update_with_the_field_and_up_applies_it(make_runner, store):
    make_runner(items(a={"size": 1, "color": "red"}, b={"size": 2})).up()
    runner = make_runner(items(a={"size": 3, "color": "red"}, b={"size": 2}))

    assert runner.preview().text == "~ update a [diff: size]"
    up = runner.up()
    assert up.text == "~ update a [diff: size]"
    assert store.by_name("a")["size"] == 3
    assert runner.resource("a")["outputs"]["size"] == 3.0
    assert runner.preview().text == ""


def test_replace_field_previews_as_replace_and_up_creates_before_deleting(make_runner, store):
    make_runner(items(a={"kind": "small"})).up()
    old_id = make_runner(items()).resource("a")["id"]
    runner = make_runner(items(a={"kind": "big"}))

    preview = runner.preview()
    assert preview.text == "+- replace a [diff: kind]"
    assert preview.step("a").replaces == ["kind"]

    runner.up()
    assert calls(store)[-2:] == [("create", "a"), ("delete", "a")]
    assert runner.resource("a")["id"] != old_id
    assert [i["kind"] for i in store.items().values()] == ["big"]


def test_delete_before_replace_option_deletes_the_old_one_first(make_runner, store):
    make_runner(items(a={"kind": "small"})).up()
    dbr = pulumi.ResourceOptions(delete_before_replace=True)
    runner = make_runner(items(a={"kind": "big", "opts": dbr}))
    assert runner.preview().step("a").delete_before_replace is True
    runner.up()
    assert calls(store)[-2:] == [("delete", "a"), ("create", "a")]


def test_unknown_diff_answer_falls_back_to_comparing_inputs_like_the_engine(make_runner, store):
    make_runner(lambda: LooseItem("l", name="l", size=1)).up()
    assert make_runner(lambda: LooseItem("l", name="l", size=1)).preview().text == ""
    runner = make_runner(lambda: LooseItem("l", name="l", size=2))
    assert runner.preview().text == "~ update l [diff: size]"
    runner.up()
    assert store.by_name("l")["size"] == 2


def test_resource_removed_from_program_previews_as_delete_and_up_deletes_it(make_runner, store):
    make_runner(items(a={}, b={})).up()
    runner = make_runner(items(a={}))
    assert runner.preview().text == "- delete b"
    assert runner.up().text == "- delete b"
    assert [i["name"] for i in store.items().values()] == ["a"]
    assert runner.resource("b") is None


def test_check_failure_names_resource_property_and_reason(make_runner):
    with pytest.raises(CheckFailed) as caught:
        make_runner(items(a={"size": -1}, b={"size": 1})).preview()
    assert caught.value.failures == [("a", "size", "size must be >= 0")]


def test_preview_sends_unknown_for_outputs_not_known_yet(make_runner):
    def program():
        a = Item("a", name="a")
        Item("b", name="b", color=a.serial.apply(lambda s: f"serial-{s}"))

    runner = make_runner(program)
    declared, _ = runner.run_program(preview=True)
    assert is_unknown(declared[1].inputs["color"])
    assert declared[1].dependencies == [declared[0].urn]
    assert runner.preview().text == "+ create a\n+ create b"  # Check tolerated the unknown


def test_up_feeds_real_outputs_to_dependents_and_exports(make_runner, store):
    def program():
        a = Item("a", name="a")
        b = Item("b", name="b", color=a.serial.apply(lambda s: f"serial-{int(s)}"))
        pulumi.export("b_color", b.color)

    runner = make_runner(program)
    up = runner.up()
    assert up.kinds == {"a": "create", "b": "create"}
    assert store.by_name("b")["color"] == "serial-1"
    assert up.outputs == {"b_color": "serial-1"}
    assert calls(store) == [("create", "a"), ("create", "b")]  # each resource handled once
    assert runner.preview().text == ""


def test_refresh_adopts_live_values_so_preview_shows_the_drift(make_runner, store):
    runner = make_runner(items(a={"size": 1}, b={"size": 2}))
    runner.up()
    store.edit(runner.resource("a")["id"], size=9)

    assert runner.preview().text == ""  # without refresh the drift is invisible
    refreshed = runner.refresh()
    assert refreshed.text == "~ update a [diff: size]"
    assert runner.resource("a")["inputs"]["size"] == 9.0
    assert runner.preview().text == "~ update a [diff: size]"
    runner.up()
    assert store.by_name("a")["size"] == 1


def test_refresh_drops_resources_gone_from_the_cloud(make_runner, store):
    runner = make_runner(items(a={}, b={}))
    runner.up()
    data = store.load()
    data["items"].pop(runner.resource("b")["id"])
    store.save(data)

    assert runner.refresh().text == "- delete b"
    assert runner.resource("b") is None
    assert runner.preview().text == "+ create b"


def test_destroy_deletes_dependents_first(make_runner, store):
    def program():
        a = Item("a", name="a")
        Item("b", name="b", color=a.serial.apply(str))
        Item("c", name="c")

    runner = make_runner(program)
    runner.up()
    result = runner.destroy()
    names = [s.name for s in result.steps]
    assert sorted(names) == ["a", "b", "c"]
    assert names.index("b") < names.index("a")  # b uses a's output: b goes first
    assert store.items() == {}
    assert runner.load_state()["resources"] == []


def test_failed_step_keeps_state_and_next_up_finishes_the_job(make_runner, store):
    # As the engine does: a failed step does not stop the steps that do not depend on it.
    runner = make_runner(items(a={}, b={}, c={}))
    store.fail("b")
    with pytest.raises(StepFailed) as caught:
        runner.up()
    assert caught.value.name == "b" and caught.value.kind == "create"
    assert caught.value.message == "RuntimeError: toy: injected failure: cannot create item 'b'"
    assert [r["name"] for r in runner.load_state()["resources"]] == ["a", "c"]

    store.fail()
    assert runner.preview().text == "+ create b"
    assert runner.up().kinds == {"a": "same", "b": "create", "c": "same"}
    assert sorted(i["name"] for i in store.items().values()) == ["a", "b", "c"]


def test_interrupted_create_before_delete_replace_deletes_the_old_one_next_time(make_runner, store):
    make_runner(items(a={"kind": "small"})).up()
    runner = make_runner(items(a={"kind": "big"}))
    store.fail("a")
    with pytest.raises(StepFailed):
        runner.up()  # the create of the replacement fails: nothing changed
    assert [i["kind"] for i in store.items().values()] == ["small"]
    store.fail()
    runner.up()
    assert [i["kind"] for i in store.items().values()] == ["big"]
    assert runner.load_state()["pending_deletes"] == []


def test_config_reaches_program_and_provider_and_secrets_stay_secret_in_state(make_runner, store):
    def program():
        cfg = pulumi.Config("toy")
        Item("a", name=cfg.require("prefix") + "-a", color=cfg.require_secret("color"),
             opts=pulumi.ResourceOptions(additional_secret_outputs=["serial"]))

    runner = make_runner(program, config={"toy:prefix": "p", "toy:color": secret("red")})
    runner.up()
    assert store.by_name("p-a")["color"] == "red"  # the provider got it in clear
    entry = runner.resource("a")
    assert is_secret(entry["inputs"]["color"]) and is_secret(entry["outputs"]["color"])
    assert is_secret(entry["inputs"]["__provider"])
    assert is_secret(entry["outputs"]["serial"])  # additional_secret_outputs
    assert not is_secret(entry["outputs"]["name"])
    assert "toy:path" in runner.last_host_stderr


def test_program_directory_with_main_runs_like_the_cli(make_runner, store, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    (project / "__main__.py").write_text(textwrap.dedent("""
        import pulumi
        from tests.harness_tests.toy import Item
        item = Item("from-dir", name="from-dir", size=4)
        pulumi.export("serial", item.serial)
    """))
    result = make_runner(str(project)).up()
    assert result.text == "+ create from-dir"
    assert result.outputs == {"serial": 1.0}
    assert store.by_name("from-dir")["size"] == 4


def test_program_runs_leave_no_pulumi_settings_behind(make_runner):
    make_runner(items(a={})).preview()
    assert settings.get_root_resource() is None
    assert settings.SETTINGS.monitor is None or not hasattr(settings.SETTINGS.monitor, "declared")


def test_the_running_host_is_exposed_during_an_operation_only(make_runner, store):
    seen = []

    def program():
        Item("a", name="a", size=1)

    runner = make_runner(program)
    assert runner.host is None
    original = runner._plan

    def spy(host, decl, old):
        seen.append((runner.host, runner.host.process.poll()))
        return original(host, decl, old)

    runner._plan = spy
    runner.up()
    (running, exit_code), = seen
    assert exit_code is None  # the host process was alive while the operation ran
    assert runner.host is None and running.process is None  # stopped once the operation ended
