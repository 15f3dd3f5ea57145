"""The profile and the company's users."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.client import errors
from pulumi_novaconnect.client.models import ROLE_ADMIN, ROLE_USER, Page, User

NEW_USER = dict(first_name="Erlan", last_name="Bekov", email="erlan.bekov@example.kz", phone="77071234567")


def test_user_get_is_the_token_owner(admin, reader):
    me, them = admin.user_get(), reader.user_get()
    assert isinstance(me, User) and me.role == ROLE_ADMIN and them.role == ROLE_USER
    assert me.id != them.id


def test_user_list_pages_with_page_and_size_always_sent(admin, reader, control):
    page = reader.user_list(0, 2)
    assert isinstance(page, Page) and page.count == 2 and page.all_count == len(control.users())
    assert control.requests("user/list")[-1]["body"] == {"page": 0, "size": 2}
    assert {u.id for u in admin.list_users()} == {u["id"] for u in control.users()}
    assert len(list(admin.iter_users(page_size=1))) == len(control.users())


def test_user_create_adds_a_plain_user_by_default(admin, control):
    user = admin.user_create(**NEW_USER)
    assert user.email == NEW_USER["email"] and user.role == ROLE_USER and user.active
    assert set(control.requests("user/create")[-1]["body"]) == set(NEW_USER)
    assert admin.find_user("ERLAN.BEKOV@example.kz").id == user.id


def test_user_create_with_role_password_and_send(admin, make_client):
    user = admin.user_create(**NEW_USER, role=ROLE_ADMIN, password="s3cret-pass", send=True)
    assert user.role == ROLE_ADMIN


def test_user_create_needs_the_admin_role(reader):
    with pytest.raises(errors.PermissionDeniedError):
        reader.user_create(**NEW_USER)


def test_user_create_refuses_a_bad_email(admin):
    with pytest.raises(errors.ValidationError) as err:
        admin.user_create(**{**NEW_USER, "email": "not-an-email"})
    assert "email" in err.value.message


def test_user_create_after_a_dropped_connection_is_not_duplicated(admin, control):
    control.clear_requests()
    control.fault("user/create", times=1, drop=True)
    user = admin.user_create(**NEW_USER)
    assert [u["id"] for u in control.users() if u["email"] == NEW_USER["email"]] == [user.id]
    assert [m for m in control.methods() if m.startswith("user/")] == ["user/create", "user/list", "user/create"]


def test_user_edit_sends_only_the_given_fields(admin, control):
    user = admin.user_create(**NEW_USER)
    edited = admin.user_edit(user.id, last_name="Bekuly", active=False)
    assert control.requests("user/edit")[-1]["body"] == {"id": user.id, "last_name": "Bekuly", "active": False}
    assert (edited.last_name, edited.active, edited.first_name) == ("Bekuly", False, "Erlan")


def test_user_edit_role_of_another_user(admin):
    user = admin.user_create(**NEW_USER)
    assert admin.user_edit(user.id, role=ROLE_ADMIN).role == ROLE_ADMIN


def test_plain_user_may_not_edit_others(reader, admin):
    other = admin.user_get()
    with pytest.raises(errors.PermissionDeniedError):
        reader.user_edit(other.id, first_name="Hijack")


def test_user_edit_of_an_unknown_user_is_not_found(admin):
    with pytest.raises(errors.NotFoundError):
        admin.user_edit(9999, first_name="Ghost")


def test_user_edit_self_changes_own_data_for_any_role(reader, control):
    me = reader.user_edit_self(first_name="Dan")
    assert me.first_name == "Dan" and reader.user_get().first_name == "Dan"
    assert control.requests("user/edit")[-1]["body"] == {"first_name": "Dan"}


def test_user_password_changes_the_password_once(reader):
    me = reader.user_password(password="new-password-1", old_password="user-password")
    assert me.id == reader.user_get().id
    with pytest.raises(errors.ValidationError):
        reader.user_password(password="new-password-2", old_password="user-password")


def test_user_password_is_not_retried_after_a_server_error(reader, control):
    control.clear_requests()
    control.fault("user/password", times=1, status=503)
    with pytest.raises(errors.ServerError):
        reader.user_password(password="new-password-1", old_password="user-password")
    assert control.methods().count("user/password") == 1


def test_user_password_is_retried_after_a_rate_limit(reader, control):
    control.clear_requests()
    control.fault("user/password", times=1, status=429, retry_after=0)
    reader.user_password(password="new-password-1", old_password="user-password")
    assert control.methods().count("user/password") == 2


def test_user_remove_deletes_another_user(admin, control):
    user = admin.user_create(**NEW_USER)
    assert admin.user_remove(user.id).id == user.id
    assert user.id not in {u["id"] for u in control.users()}


def test_user_remove_refuses_to_remove_oneself(admin):
    me = admin.user_get()
    with pytest.raises(errors.NovaConnectError) as err:
        admin.user_remove(me.id)
    assert 400 <= err.value.code < 500


def test_user_remove_needs_the_admin_role(reader, admin):
    with pytest.raises(errors.PermissionDeniedError):
        reader.user_remove(admin.user_get().id)


def test_a_plain_user_may_edit_their_own_record_by_id(reader):
    me = reader.user_get()
    assert reader.user_edit(me.id, phone="77070000000").phone == "77070000000"


@pytest.mark.parametrize("field", [{"role": ROLE_USER}, {"active": False}, {"password": "changed-pass"}])
def test_role_active_and_password_cannot_be_changed_on_oneself(admin, field):
    me = admin.user_get()
    with pytest.raises(errors.ValidationError) as err:
        admin.user_edit(me.id, **field)
    assert next(iter(field)) in err.value.message


def test_user_create_with_a_taken_email_is_invalid(admin):
    taken = admin.list_users()[0].email
    with pytest.raises(errors.ValidationError) as err:
        admin.user_create(**{**NEW_USER, "email": taken})
    assert "email" in err.value.message


def test_user_create_that_succeeded_unseen_is_found_by_email(make_client, control):
    from pulumi_novaconnect.client import RetryPolicy

    client = make_client(timeout=0.2, retry=RetryPolicy(max_attempts=3, max_elapsed=10, backoff_base=0.6,
                                                        backoff_max=0.6, jitter=False))
    control.clear_requests()
    control.fault("user/create", times=1, delay=0.4)
    user = client.user_create(**NEW_USER)
    assert [u["id"] for u in control.users() if u["email"] == NEW_USER["email"]] == [user.id]
    assert [m for m in control.methods() if m.startswith("user/")] == ["user/create", "user/list"]
