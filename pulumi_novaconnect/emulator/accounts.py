"""Profile, company users, company and bills: user/*, company/get, bill/*."""
from __future__ import annotations

import secrets

from .errors import Forbidden, NotFound, ValidationError
from .locking import locked, mutating
from .models import Bill, User
from .seed import USER_ID_START

# Vendor, user/edit: "password, active, role can be changed for other users only".
OTHERS_ONLY = ("password", "active", "role")


class AccountsMixin:
    def _user(self, user_id: int) -> User:
        user = self.state.users.get(user_id)
        if user is None:
            raise NotFound("unknown_user", field="id", id=user_id)
        return user

    def _check_email(self, email: str, *, exclude: int | None = None) -> None:
        for user in self.state.users.values():
            if user.id != exclude and user.email.casefold() == email.casefold():
                raise ValidationError("duplicate_email", field="email", email=email)

    # -- profile -------------------------------------------------------------------------

    @locked
    def get_user(self, actor: User) -> dict:
        return self.state.users[actor.id].render()

    @mutating
    def edit_user(self, actor: User, target_id: int | None, changes: dict) -> dict:
        """user/edit in both variants: no `target_id` edits the caller (vendor: "a variant
        of user/edit for the current user"); with an id only an admin may edit someone else."""
        target = actor if target_id is None else self._user(target_id)
        if target.id != actor.id and actor.role != "admin":
            raise Forbidden("edit_other")
        if target.id == actor.id:
            for key in OTHERS_ONLY:
                if key in changes:
                    raise ValidationError("self_field", field=key)
        if "email" in changes:
            self._check_email(changes["email"], exclude=target.id)
        for key, value in changes.items():
            setattr(target, key, value)
        return target.render()

    @mutating
    def change_password(self, actor: User, password: str, old_password: str) -> dict:
        user = self.state.users[actor.id]
        if not secrets.compare_digest(user.password.encode(), old_password.encode()):
            raise ValidationError("old_password", field="old_password")
        user.password = password
        return user.render()

    # -- company users -------------------------------------------------------------------

    @locked
    def list_users(self, *, page: int, size: int) -> tuple[list[dict], int]:
        users = sorted(self.state.users.values(), key=lambda u: u.id)
        return [u.render() for u in users[page * size:(page + 1) * size]], len(users)

    @mutating
    def create_user(self, *, first_name: str, last_name: str, email: str, phone: str,
                    password: str | None, role: str, send: bool) -> dict:
        self._check_email(email)
        uid = self.state.new_id("user", USER_ID_START)
        # Vendor: without `password` the platform generates one; `send` mails the
        # credentials — the emulator only records that it was asked to.
        user = User(id=uid, first_name=first_name, last_name=last_name, phone=phone, email=email,
                    role=role, active=True, password=password or secrets.token_urlsafe(12),
                    credentials_sent=send)
        self.state.users[uid] = user
        return user.render()

    @mutating
    def remove_user(self, actor: User, user_id: int) -> dict:
        user = self._user(user_id)
        if user.id == actor.id:
            raise ValidationError("remove_self", field="id")
        del self.state.users[user_id]
        return user.render()

    # -- company and bills ---------------------------------------------------------------

    @locked
    def get_company(self) -> dict:
        return self.state.company.render()

    @locked
    def list_bills(self, *, page: int, size: int) -> tuple[list[dict], int]:
        # Newest first, as a billing page usually shows them.
        bills = sorted(self.state.bills.values(), key=lambda b: b.added, reverse=True)
        return [b.render() for b in bills[page * size:(page + 1) * size]], len(bills)

    @locked
    def get_bill(self, bill_id: int) -> Bill:
        bill = self.state.bills.get(bill_id)
        if bill is None:
            raise NotFound("unknown_bill", id=bill_id)
        return bill

    @locked
    def bill_documents(self, bill_id: int) -> tuple[Bill, str, list]:
        """What a bill's downloads are made of, read under one lock: the bill, the
        company's name (the PDF's header) and every SIM (the transcript's rows)."""
        return self.get_bill(bill_id), self.state.company.name, list(self.state.sims.values())
