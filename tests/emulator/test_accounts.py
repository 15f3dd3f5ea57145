"""Profile (user/get, user/edit, user/password), company/get and company users."""
from __future__ import annotations

import pytest

from .conftest import USER

USER_KEYS = {"id", "first_name", "last_name", "phone", "email", "active", "role"}
NEW_USER = {"first_name": "Ivan", "last_name": "Petrov", "email": "ivan@example.kz", "phone": "77011234567"}


def test_user_get_answers_the_token_owner_with_count_and_all_count(api):
    payload = api.ok("user/get")
    assert payload["count"] == 1 and payload["all_count"] == 1
    user = payload["result"]["item"]
    assert set(user) == USER_KEYS and (user["id"], user["role"]) == (11, "admin")


def test_user_get_with_the_user_token_is_the_plain_user(api):
    user = api.ok("user/get", token=USER)["result"]["item"]
    assert (user["id"], user["role"], user["active"]) == (12, "user", True)


def test_self_edit_changes_names_and_email(api):
    item = api.ok("user/edit", {"first_name": "Aya", "last_name": "S", "email": "aya@example.kz"},
                  token=USER)["result"]["item"]
    assert (item["id"], item["first_name"], item["last_name"], item["email"]) == (12, "Aya", "S", "aya@example.kz")
    assert api.ok("user/get", token=USER)["result"]["item"] == item


@pytest.mark.parametrize("field,value", [("password", "new-secret"), ("active", False), ("role", "admin")])
def test_self_edit_cannot_change_password_active_or_role(api, field, value):
    assert api.error("user/edit", {field: value}, token=USER, status=422).startswith(field)
    assert api.error("user/edit", {"id": 12, field: value}, token=USER, status=422).startswith(field)


def test_a_user_may_edit_themself_by_id_including_the_phone(api):
    item = api.ok("user/edit", {"id": 12, "phone": "77770000000"}, token=USER)["result"]["item"]
    assert item["phone"] == "77770000000"


def test_only_an_admin_may_edit_another_user(api):
    api.error("user/edit", {"id": 13, "first_name": "X"}, token=USER, status=403)


def test_an_admin_edits_another_user_including_password_active_and_role(api):
    item = api.ok("user/edit", {"id": 13, "first_name": "Olya", "phone": "77001112233", "password": "pw-new",
                                "active": False, "role": "admin"})["result"]["item"]
    assert (item["first_name"], item["phone"], item["active"], item["role"]) == ("Olya", "77001112233", False,
                                                                                "admin")
    assert api.emulator.backend.state.users[13].password == "pw-new"


def test_editing_an_unknown_user_is_404(api):
    assert "4242" in api.error("user/edit", {"id": 4242, "first_name": "X"}, status=404)


@pytest.mark.parametrize("body,field", [
    ({"email": "not-an-email"}, "email"), ({"first_name": 5}, "first_name"), ({"first_name": ""}, "first_name"),
    ({"id": 13, "active": "no"}, "active"), ({"id": 13, "role": "owner"}, "role"), ({"id": "13"}, "id"),
])
def test_user_edit_checks_field_types_and_values(api, body, field):
    assert api.error("user/edit", body, status=422).startswith(field)


def test_user_edit_refuses_an_email_another_user_has(api):
    assert "daniyar" in api.error("user/edit", {"email": "Daniyar.Nurlanov@example.kz"}, status=422).lower()


def test_user_password_changes_the_password_when_the_old_one_matches(api):
    item = api.ok("user/password", {"password": "n3w", "old_password": "user-password"}, token=USER)
    assert item["result"]["item"]["id"] == 12
    api.error("user/password", {"password": "again", "old_password": "user-password"}, token=USER, status=422)
    api.ok("user/password", {"password": "again", "old_password": "n3w"}, token=USER)


def test_user_password_with_a_wrong_old_password_is_422(api):
    message = api.error("user/password", {"password": "x", "old_password": "guess"}, status=422, lang="en")
    assert message == "old_password: does not match the current password"


@pytest.mark.parametrize("body,field", [({"old_password": "admin-password"}, "password"),
                                        ({"password": "x"}, "old_password")])
def test_user_password_needs_both_passwords(api, body, field):
    assert api.error("user/password", body, status=422).startswith(field)


def test_company_get_answers_every_documented_field_including_overdraft(api):
    company = api.ok("company/get", token=USER)["result"]["item"]
    assert set(company) == {"id", "name", "unique_id", "contract", "country", "billing_type", "assigned",
                            "overdraft", "balance", "preliminary_balance"}
    assert company["billing_type"] in (0, 1)
    assert all(isinstance(company[k], str) for k in ("overdraft", "balance", "preliminary_balance"))


@pytest.mark.parametrize("body,field", [({"size": 10}, "page"), ({"page": 0}, "size"), ({}, "page")])
def test_user_list_requires_page_and_size(api, body, field):
    assert api.error("user/list", body, status=422, lang="en") == f"{field}: is required"


def test_user_list_pages_through_the_company_users(api):
    everyone = api.ok("user/list", {"page": 0, "size": 100})
    assert everyone["all_count"] == everyone["count"] == len(api.state()["users"])
    assert all(set(u) == USER_KEYS for u in everyone["items"])
    first = api.ok("user/list", {"page": 0, "size": 2})
    assert first["count"] == 2 and first["items"] == everyone["items"][:2]


def test_user_create_defaults_the_role_to_user_and_generates_a_password(api):
    item = api.ok("user/create", NEW_USER)["result"]["item"]
    assert set(item) == USER_KEYS and item["role"] == "user" and item["active"] is True
    stored = api.emulator.backend.state.users[item["id"]]
    assert stored.password and stored.credentials_sent is False
    assert item in api.ok("user/list", {"page": 0, "size": 100})["items"]


def test_user_create_keeps_the_given_password_role_and_send_flag(api):
    item = api.ok("user/create", {**NEW_USER, "password": "pw", "role": "admin", "send": True})["result"]["item"]
    stored = api.emulator.backend.state.users[item["id"]]
    assert item["role"] == "admin" and stored.password == "pw" and stored.credentials_sent is True


@pytest.mark.parametrize("missing", sorted(NEW_USER))
def test_user_create_requires_names_email_and_phone(api, missing):
    body = {k: v for k, v in NEW_USER.items() if k != missing}
    assert api.error("user/create", body, status=422, lang="en") == f"{missing}: is required"


def test_user_create_refuses_a_duplicate_email(api):
    api.ok("user/create", NEW_USER)
    assert "ivan@example.kz" in api.error("user/create", {**NEW_USER, "phone": "1"}, status=422)


@pytest.mark.parametrize("body,field", [({"role": "owner"}, "role"), ({"send": "yes"}, "send"),
                                        ({"email": "ivan"}, "email"), ({"phone": 77011234567}, "phone")])
def test_user_create_checks_field_values(api, body, field):
    assert api.error("user/create", {**NEW_USER, **body}, status=422).startswith(field)


def test_user_remove_removes_the_user_and_answers_it(api):
    removed = api.ok("user/remove", {"id": 13})["result"]["item"]
    assert removed["id"] == 13
    assert 13 not in {u["id"] for u in api.state()["users"]}


def test_user_remove_cannot_remove_the_caller(api):
    assert api.error("user/remove", {"id": 11}, status=422).startswith("id")


def test_user_remove_of_an_unknown_user_is_404(api):
    api.error("user/remove", {"id": 4242}, status=404)


def test_a_removed_users_token_stops_working(api):
    api.ok("user/remove", {"id": 12})
    api.error("user/get", token=USER, status=401)


def test_self_edit_without_id_ignores_the_phone(api):
    # The vendor's self variant documents first_name, last_name and email only.
    before = api.ok("user/get", token=USER)["result"]["item"]
    item = api.ok("user/edit", {"phone": "70000000000", "first_name": "Dan"}, token=USER)["result"]["item"]
    assert item == {**before, "first_name": "Dan"}
