"""Group and User through the real provider host against the emulator."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.testing.provider_host import ProviderError


def group_named(platform, name):
    return [g for g in platform.state()["groups"] if g["name"] == name]


def test_group_create_makes_one_group_and_reports_its_id(deploy, platform):
    res = deploy.resource("Group", "meters")
    outs = res.create({"name": "Water meters", "adopt": False})
    [group] = group_named(platform, "Water meters")
    assert res.id == str(group["id"]) and outs["group_id"] == group["id"] and outs["adopted"] is False
    assert res.diff({"name": "Water meters", "adopt": False}).changes is False


def test_group_create_refuses_an_existing_name_unless_adopted(deploy, platform):
    existing = platform.state()["groups"][0]
    res = deploy.resource("Group", "g")
    with pytest.raises(ProviderError) as err:
        # Past check (which refuses it at preview): a group made between preview and up.
        res.host.create(res.urn, res.props({"name": existing["name"], "adopt": False}))
    assert existing["name"] in err.value.message and "adopt=True" in err.value.message
    outs = res.create({"name": existing["name"], "adopt": True})
    assert res.id == str(existing["id"]) and outs["adopted"] is True
    assert len(group_named(platform, existing["name"])) == 1


def test_group_rename_is_an_update_not_a_replace(deploy, platform):
    res = deploy.resource("Group", "g")
    res.create({"name": "Old name", "adopt": False})
    diff = res.diff({"name": "New name", "adopt": False})
    assert diff.changes is True and diff.replaces == []
    res.update({"name": "New name", "adopt": False})
    assert group_named(platform, "New name") and not group_named(platform, "Old name")


def test_group_renamed_by_hand_shows_as_drift_in_diff_and_read(deploy, platform, emulator):
    res = deploy.resource("Group", "g")
    res.create({"name": "Declared", "adopt": False})
    import requests

    requests.post(
        f"{emulator.url}/group/edit",
        json={"id": int(res.id), "name": "Renamed by hand"},
        headers={"Authorization": "Bearer admin-token"},
        timeout=10,
    ).raise_for_status()
    with deploy.fresh_host() as res.host:
        assert res.diff({"name": "Declared", "adopt": False}).changes is True
        new_id, _, inputs = res.read()
    assert new_id == res.id and inputs["name"] == "Renamed by hand"


def test_group_removed_by_hand_is_gone_on_read_and_replaced_on_diff(deploy, platform, emulator):
    import requests

    res = deploy.resource("Group", "g")
    res.create({"name": "Ephemeral", "adopt": False})
    requests.post(
        f"{emulator.url}/group/remove", json={"id": int(res.id)}, headers={"Authorization": "Bearer admin-token"}, timeout=10
    ).raise_for_status()
    with deploy.fresh_host() as res.host:
        diff = res.diff({"name": "Ephemeral", "adopt": False})
        assert diff.changes is True and diff.replaces
        assert res.read()[0] == ""


def test_group_delete_removes_it_and_tolerates_it_being_gone(deploy, platform):
    res = deploy.resource("Group", "g")
    res.create({"name": "Short-lived", "adopt": False})
    res.delete()
    assert not group_named(platform, "Short-lived")
    res.delete()  # a second delete finds nothing and succeeds


def test_blank_group_name_is_rejected_at_preview(deploy):
    result = deploy.resource("Group", "g").check({"name": "   ", "adopt": False})
    assert [p for p, _ in result.failures] == ["name"]


USER = {
    "first_name": "Aigerim",
    "last_name": "Sadykova",
    "email": "ops@example.kz",
    "phone": "+77010000000",
    "role": "user",
    "active": True,
    "send_credentials": False,
    "adopt": False,
}


def user_by_email(platform, email):
    return [u for u in platform.state()["users"] if u["email"].lower() == email.lower()]


def test_user_create_then_no_change(deploy, platform):
    res = deploy.resource("User", "ops")
    outs = res.create({**USER, "password": "s3cret-pass"})
    [user] = user_by_email(platform, USER["email"])
    assert res.id == str(user["id"]) and user["role"] == "user" and user["active"] is True
    assert outs["user_id"] == user["id"]
    assert res.diff({**USER, "password": "s3cret-pass"}).changes is False


def test_user_declared_inactive_is_switched_off_after_create(deploy, platform):
    res = deploy.resource("User", "ops")
    res.create({**USER, "active": False})
    assert user_by_email(platform, USER["email"])[0]["active"] is False


def test_user_update_edits_only_changed_fields(deploy, platform):
    res = deploy.resource("User", "ops")
    res.create(USER)
    platform.clear_requests()
    res.update({**USER, "phone": "+77019999999", "role": "admin"})
    [user] = user_by_email(platform, USER["email"])
    assert user["phone"] == "+77019999999" and user["role"] == "admin"
    [edit] = platform.requests("user/edit")
    assert set(edit["body"]) == {"id", "phone", "role"}


def test_password_change_is_an_update_and_the_password_is_sent(deploy, platform):
    res = deploy.resource("User", "ops")
    res.create({**USER, "password": "first-pass"})
    assert res.diff({**USER, "password": "second-pass"}).changes is True
    platform.clear_requests()
    res.update({**USER, "password": "second-pass"})
    [edit] = platform.requests("user/edit")
    assert edit["body"].get("password") is not None


def test_existing_user_is_refused_unless_adopted(deploy, platform):
    existing = next(u for u in platform.state()["users"] if u["role"] == "user")
    res = deploy.resource("User", "u")
    inputs = {**USER, "email": existing["email"].upper(), "phone": "+77011112233"}
    with pytest.raises(ProviderError) as err:
        # Past check (which refuses it at preview): a user made between preview and up.
        res.host.create(res.urn, res.props(inputs))
    assert "adopt=True" in err.value.message and existing["email"] in err.value.message
    outs = res.create({**inputs, "adopt": True})
    assert outs["adopted"] is True and res.id == str(existing["id"])
    assert user_by_email(platform, existing["email"])[0]["first_name"] == "Aigerim"


def test_the_token_owner_cannot_be_deactivated_or_removed(deploy, platform):
    owner = next(u for u in platform.state()["users"] if u["role"] == "admin")
    res = deploy.resource("User", "me")
    me = {"first_name": owner["first_name"], "last_name": owner["last_name"], "email": owner["email"],
          "phone": owner["phone"], "role": "admin", "active": True, "send_credentials": False, "adopt": True,
          "delete_adopted": True}  # adopted users are kept at delete unless asked
    res.create(me)
    with pytest.raises(ProviderError) as err:
        res.update({**me, "active": False})
    assert "owner of the API token" in err.value.message
    with pytest.raises(ProviderError) as err:
        res.delete()
    assert "retain_on_delete" in err.value.message
    assert user_by_email(platform, owner["email"])


def test_user_drift_is_read_back_as_inputs(deploy, platform, emulator):
    import requests

    res = deploy.resource("User", "ops")
    res.create(USER)
    requests.post(
        f"{emulator.url}/user/edit", json={"id": int(res.id), "last_name": "Changed"},
        headers={"Authorization": "Bearer admin-token"}, timeout=10,
    ).raise_for_status()
    with deploy.fresh_host() as res.host:
        assert res.diff(USER).changes is True
        _, _, inputs = res.read()
    assert inputs["last_name"] == "Changed"


def test_user_delete_removes_the_user(deploy, platform):
    res = deploy.resource("User", "ops")
    res.create(USER)
    res.delete()
    assert not user_by_email(platform, USER["email"])


@pytest.mark.parametrize(
    "field, value, words",
    [("email", "not-an-email", "email address"), ("phone", "12ab", "international form"), ("role", "root", "admin")],
)
def test_user_input_shapes_are_checked_at_preview(deploy, field, value, words):
    result = deploy.resource("User", "u").check({**USER, field: value})
    assert [p for p, _ in result.failures] == [field]
    assert words in result.failures[0][1]
