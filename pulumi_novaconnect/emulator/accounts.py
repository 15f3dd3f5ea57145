"""The account's side of the API (user/*, company/get, bill/*): who may see and change
which user, and the company's bills. Tokens are apart, in tokens.py, because they also
change out of band."""
from __future__ import annotations

import secrets

from .errors import Forbidden, NotFound, ValidationError
from .locking import locked, mutating
from .models import Bill, User
from .seed import USER_ID_START

# Vendor, user/edit: "password, active, role can be changed for other users only".
OTHERS_ONLY = ("password", "active", "role")


def _user(backend, user_id: int) -> User:
    user = backend.state.users.get(user_id)
    if user is None:
        raise NotFound("unknown_user", field="id", id=user_id)
    return user


def _check_email(backend, email: str, *, exclude: int | None = None) -> None:
    for user in backend.state.users.values():
        if user.id != exclude and user.email.casefold() == email.casefold():
            raise ValidationError("duplicate_email", field="email", email=email)


# -- profile -------------------------------------------------------------------------------
@locked
def get_user(backend, actor: User) -> dict:
    return backend.state.users[actor.id].render()


@mutating
def edit_user(backend, actor: User, target_id: int | None, changes: dict) -> dict:
    """user/edit in both variants: no `target_id` edits the caller (vendor: "a variant
    of user/edit for the current user"); with an id only an admin may edit someone else."""
    target = actor if target_id is None else _user(backend, target_id)
    if target.id != actor.id and actor.role != "admin":
        raise Forbidden("edit_other")
    if target.id == actor.id:
        for key in OTHERS_ONLY:
            if key in changes:
                raise ValidationError("self_field", field=key)
    if "email" in changes:
        _check_email(backend, changes["email"], exclude=target.id)
    for key, value in changes.items():
        setattr(target, key, value)
    return target.render()


@mutating
def change_password(backend, actor: User, password: str, old_password: str) -> dict:
    user = backend.state.users[actor.id]
    if not secrets.compare_digest(user.password.encode(), old_password.encode()):
        raise ValidationError("old_password", field="old_password")
    user.password = password
    return user.render()


# -- company users -------------------------------------------------------------------------
@locked
def list_users(backend, *, page: int, size: int) -> tuple[list[dict], int]:
    users = sorted(backend.state.users.values(), key=lambda u: u.id)
    return [u.render() for u in users[page * size:(page + 1) * size]], len(users)


@mutating
def create_user(backend, *, first_name: str, last_name: str, email: str, phone: str,
                password: str | None, role: str, send: bool) -> dict:
    _check_email(backend, email)
    uid = backend.state.new_id("user", USER_ID_START)
    # Vendor: without `password` the platform generates one; `send` mails the
    # credentials — the emulator only records that it was asked to.
    user = User(id=uid, first_name=first_name, last_name=last_name, phone=phone, email=email,
                role=role, active=True, password=password or secrets.token_urlsafe(12),
                credentials_sent=send)
    backend.state.users[uid] = user
    return user.render()


@mutating
def remove_user(backend, actor: User, user_id: int) -> dict:
    user = _user(backend, user_id)
    if user.id == actor.id:
        raise ValidationError("remove_self", field="id")
    del backend.state.users[user_id]
    return user.render()


# -- company and bills ---------------------------------------------------------------------
@locked
def get_company(backend) -> dict:
    return backend.state.company.render()


@locked
def list_bills(backend, *, page: int, size: int) -> tuple[list[dict], int]:
    # Newest first, as a billing page usually shows them.
    bills = sorted(backend.state.bills.values(), key=lambda b: b.added, reverse=True)
    return [b.render() for b in bills[page * size:(page + 1) * size]], len(bills)


@locked
def get_bill(backend, bill_id: int) -> Bill:
    bill = backend.state.bills.get(bill_id)
    if bill is None:
        raise NotFound("unknown_bill", id=bill_id)
    return bill


@locked
def bill_documents(backend, bill_id: int) -> tuple[Bill, str, list]:
    """What a bill's downloads are made of, read under one lock: the bill, the
    company's name (the PDF's header) and every SIM (the transcript's rows)."""
    return get_bill(backend, bill_id), backend.state.company.name, list(backend.state.sims.values())
