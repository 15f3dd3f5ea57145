"""Destroy removes the groups and users a stack made, and leaves the ones it took over.

A group or user adopted with ``adopt=True`` existed before the stack and may be used by
people and programs outside it: deleting it at ``pulumi destroy`` (as once happened) removes
it from every SIM and every login. State records what create did (``adopted``); an adopted
object is left on the platform, as ``retain_on_delete`` would, unless ``delete_adopted=True``.
"""
from __future__ import annotations

from .test_group_user_contract import USER
from .test_preview_errors import READS, read_only, stderr_of  # noqa: F401 (a fixture)


def writes(platform) -> list[str]:
    return [r["method"] for r in platform.requests() if r["method"] not in READS]


def test_an_adopted_group_is_left_on_the_platform_at_delete_and_says_so(deploy, platform):
    existing = platform.state()["groups"][0]
    res = deploy.resource("Group", "g")
    outs = res.create({"name": existing["name"], "adopt": True})
    assert outs["adopted"] is True and outs["delete_adopted"] is False
    platform.clear_requests()
    res.delete()
    assert writes(platform) == [] and platform.group(existing["name"]) is not None
    note = stderr_of(deploy.host, "left on NovaConnect")
    assert (f"group {existing['name']!r} was taken over with adopt=True, not created by this stack, so it is left on "
            "NovaConnect; set delete_adopted=True on the Group") in note


def test_a_created_group_is_removed_at_delete(deploy, platform):
    res = deploy.resource("Group", "g")
    assert res.create({"name": "Made here", "adopt": True})["adopted"] is False  # adopt=True, nothing to adopt
    res.delete()
    assert platform.group("Made here") is None


def test_delete_adopted_is_recorded_by_an_update_without_a_call_and_then_removes_the_group(deploy, platform):
    existing = platform.state()["groups"][0]
    res = deploy.resource("Group", "g")
    res.create({"name": existing["name"], "adopt": True})
    assert res.diff({"name": existing["name"], "adopt": True}).changes is False
    assert res.diff({"name": existing["name"], "adopt": True, "delete_adopted": True}).changes is True
    platform.clear_requests()
    outs = res.update({"name": existing["name"], "adopt": True, "delete_adopted": True})
    assert writes(platform) == [] and outs["delete_adopted"] is True and outs["adopted"] is True
    res.delete()
    assert platform.group(existing["name"]) is None


def test_a_state_without_the_adopted_record_keeps_a_group_declared_with_adopt(deploy, platform):
    existing = platform.state()["groups"][0]
    res = deploy.resource("Group", "g")
    res.create({"name": existing["name"], "adopt": True})
    res.outputs = {k: v for k, v in res.outputs.items() if k not in ("adopted", "delete_adopted")}
    res.delete()
    assert platform.group(existing["name"]) is not None


def test_an_adopted_user_is_left_and_a_created_one_removed(deploy, platform):
    existing = next(u for u in platform.users() if u["role"] == "user")
    adopted = deploy.resource("User", "adopted")
    adopted.create({"first_name": existing["first_name"], "last_name": existing["last_name"],
                    "email": existing["email"], "phone": existing["phone"], "role": "user", "adopt": True})
    created = deploy.resource("User", "created")
    created.create({**USER, "email": "made.here@example.kz"})
    adopted.delete()
    created.delete()
    assert platform.user(existing["email"]) is not None
    assert platform.user("made.here@example.kz") is None
    assert f"user {existing['email']} was taken over with adopt=True" in stderr_of(deploy.host, "taken over")


def test_a_read_only_token_destroys_a_stack_of_adopted_objects_without_a_write(deploy, read_only, platform):
    from .test_preview_errors import as_seen_by

    existing = platform.state()["groups"][0]
    res = deploy.resource("Group", "g")
    res.create({"name": existing["name"], "adopt": True})
    platform.clear_requests()
    as_seen_by(read_only, res).delete()
    assert writes(platform) == [] and platform.group(existing["name"]) is not None
