"""``User``: a user of the NovaConnect company account, kept by email.

The platform can only change ``password``, ``active`` and ``role`` of *other* users, and
no user can remove themself (API.md, ``user/edit`` and ``user/remove``): a User that
describes the token's own user is checked against those rules before any call. The
password is write-only on the platform, so it is compared with the last one we set, and
stored as a secret output. Destroy removes a user the stack created; a user it took over
(``adopt=True``) stays on the platform unless ``delete_adopted=True``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Hashable, Literal, Mapping, Optional

import pulumi
from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, UpdateResult
from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from ..provider import registry
from ..client.errors import NotFoundError
from ..client.models import User as UserModel
from ..errors import AlreadyExists, NotFoundOnPlatform, Unreachable
from ..provider.base import EntityProvider, by_id
from ..provider.snapshot import Snapshot
from ..provider.checks import ensure_token_can_write, is_unknown, note_planned_changes
from ..provider.strict import Text
from .args import ConnectionArgs, connection_props, read_into_program, takes_args

INPUTS = ("first_name", "last_name", "email", "phone", "role", "active", "password", "send_credentials", "adopt",
          "delete_adopted")
# Inputs that only the stack's state holds (the platform has no such field).
STATE_ONLY = ("password", "send_credentials", "adopt", "delete_adopted")
PROFILE = ("first_name", "last_name", "email", "phone", "role", "active")
SELF_FORBIDDEN = ("password", "active", "role")

# A shape check, not deliverability: the platform mails credentials to it, and a typo caught
# at preview beats a bounced mail. (No email-validator dependency for one regular expression.)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
PHONE = re.compile(r"^\+?[1-9]\d{6,14}$")


class UserSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    first_name: Text = Field(min_length=1)
    last_name: Text = Field(min_length=1)
    email: Text
    phone: Text
    # Decision 5: role codes are never listed by the vendor; `admin` and `user` are assumed.
    role: Literal["admin", "user"] = "user"
    active: StrictBool = True
    password: Optional[Text] = Field(default=None, min_length=1)
    send_credentials: StrictBool = False
    adopt: StrictBool = False
    delete_adopted: StrictBool = False

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if not EMAIL.match(value):
            raise ValueError(f"{value!r} is not an email address")
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        compact = re.sub(r"[\s()-]", "", value)
        if not PHONE.match(compact):
            raise ValueError(f"{value!r} is not a phone number: use the international form, like +77010000000")
        return compact


def _fresh(user_id: str) -> Optional[UserModel]:
    """The user as the platform has it now, not as the shared list last read it."""
    users = registry.users()
    if user_id.isdigit():
        users.mark_dirty(("id", int(user_id)))
    return by_id(users, user_id)


def _profile_changes(live: UserModel, spec: UserSpec) -> dict[str, Any]:
    changes = {}
    for field in PROFILE:
        desired = getattr(spec, field)
        current = getattr(live, field)
        if field == "email":
            if str(current).lower() != desired.lower():
                changes[field] = desired
        elif current != desired:
            changes[field] = desired
    return changes


def _outputs(live: UserModel, spec: UserSpec, adopted: bool) -> dict[str, Any]:
    return {
        "first_name": live.first_name,
        "last_name": live.last_name,
        "email": live.email,
        "phone": live.phone,
        "role": live.role,
        "active": live.active,
        "password": spec.password,
        "send_credentials": spec.send_credentials,
        "adopt": spec.adopt,
        "delete_adopted": spec.delete_adopted,
        "user_id": live.id,
        "adopted": adopted,
    }


def _is_token_owner(user_id: int) -> bool:
    return registry.token_owner().id == user_id  # one user/get per configuration, shared with the role check


def _guard_self(user_id: int, fields: dict[str, Any], email: str) -> None:
    forbidden = [f for f in SELF_FORBIDDEN if f in fields]
    if forbidden and _is_token_owner(user_id):
        raise Unreachable(
            f"user {email} is the owner of the API token: NovaConnect lets a user change "
            f"{', '.join(SELF_FORBIDDEN)} only for other users, so {', '.join(forbidden)} cannot be changed here"
        )


class UserProvider(EntityProvider):
    spec_model = UserSpec
    inputs = INPUTS
    recreate_on = "email"

    noun = "user"

    def entities(self) -> Snapshot:
        return registry.users()

    def identity_key(self, value: str) -> Hashable:
        return ("email", value.lower())  # emails compare case-insensitively

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        result = super().diff(id_, olds, news)
        if result.changes and not any(is_unknown(news.get(f)) for f in INPUTS):
            spec, live = self.spec(news), self.live(id_)
            password_moved = spec.password is not None and spec.password != olds.get("password")
            if live is None or _profile_changes(live, spec) or password_moved:  # user/create or user/edit
                note_planned_changes(f"user {spec.email}")
        return result

    def changed(self, live: UserModel, olds: Mapping[str, Any], spec: UserSpec) -> bool:
        recorded = {f: olds.get(f) for f in ("password", "send_credentials", "adopt")}
        recorded["delete_adopted"] = bool(olds.get("delete_adopted"))
        declared = {f: getattr(spec, f) for f in STATE_ONLY}
        inputs_moved = any(olds.get(f) != getattr(spec, f) for f in PROFILE if f != "email") or (
            str(olds.get("email", "")).lower() != spec.email.lower()
        )
        return bool(_profile_changes(live, spec)) or recorded != declared or inputs_moved

    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = self.spec(props)
        existing = self.existing_at_create(spec.email)
        api = registry.client()
        if existing is not None:
            if not spec.adopt:
                raise AlreadyExists(self.already_exists(existing))
            changes = _profile_changes(existing, spec)
            if spec.password is not None:
                changes["password"] = spec.password
            live = self._edit(existing, spec, changes)
            return CreateResult(str(live.id), _outputs(live, spec, adopted=True))
        ensure_token_can_write(f"create user {spec.email}")
        created = api.user_create(
            first_name=spec.first_name,
            last_name=spec.last_name,
            email=spec.email,
            phone=spec.phone,
            password=spec.password,
            role=spec.role,
            send=spec.send_credentials,
        )
        registry.users().invalidate()
        # user/create takes no `active`; a user declared inactive is switched off right after.
        live = self._edit(created, spec, {"active": False} if not spec.active else {})
        return CreateResult(str(live.id), _outputs(live, spec, adopted=False))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec = self.spec(news)
        live = _fresh(id_)
        if live is None:
            raise NotFoundOnPlatform(f"user {olds.get('email')} (id {id_}) is no longer on NovaConnect")
        changes = _profile_changes(live, spec)
        if spec.password is not None and spec.password != olds.get("password"):
            changes["password"] = spec.password
        live = self._edit(live, spec, changes)
        return UpdateResult(_outputs(live, spec, adopted=bool(olds.get("adopted"))))

    @staticmethod
    def _edit(live: UserModel, spec: UserSpec, changes: dict[str, Any]) -> UserModel:
        if not changes:
            return live
        _guard_self(live.id, changes, spec.email)
        ensure_token_can_write(f"edit user {spec.email} ({', '.join(sorted(changes))})")
        edited = registry.client().user_edit(live.id, **changes)
        registry.users().mark_dirty(("id", live.id))
        return edited

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        live = self.live(id_)
        if live is None and props.get("email") is None:  # User.get: state always records the email
            raise NotFoundOnPlatform(f"User.get: no user with id {id_} on this NovaConnect account")
        if live is None:
            return ReadResult("", {})
        inputs = {f: getattr(live, f) for f in PROFILE}
        for field in STATE_ONLY:
            if props.get(field) is not None:
                inputs[field] = props[field]
        outs = {**props, **inputs, "user_id": live.id}
        return ReadResult(id_, outs, inputs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        if self.kept_at_delete(props):
            self.leave(props)
            return
        if _is_token_owner(int(id_)):
            raise Unreachable(
                f"user {props.get('email')} is the owner of the API token and NovaConnect does not let a user "
                "remove themself; use ResourceOptions(retain_on_delete=True) for this User"
            )
        ensure_token_can_write(f"remove user {props.get('email')}")
        try:
            registry.client().user_remove(int(id_))
        except NotFoundError:
            pass
        registry.users().invalidate()


@dataclass
class UserArgs:
    """The inputs of a :class:`User`."""

    first_name: pulumi.Input[str]
    """First name."""
    last_name: pulumi.Input[str]
    """Last name."""
    email: pulumi.Input[str]
    """Email address; identifies the user."""
    phone: pulumi.Input[str]
    """Phone number in international form, like ``+77010000000``."""
    role: pulumi.Input[str] = "user"
    """Role code: ``admin`` or ``user`` (read-only)."""
    active: pulumi.Input[bool] = True
    """Whether the user may sign in."""
    password: Optional[pulumi.Input[str]] = None
    """Password, kept secret; generated by the platform when left out."""
    send_credentials: pulumi.Input[bool] = False
    """Mail the credentials to the user on create."""
    adopt: pulumi.Input[bool] = False
    """Take over a user with that email that already exists, instead of failing."""
    delete_adopted: pulumi.Input[bool] = False
    """Remove a taken-over user from the platform on delete (it is left there by default)."""
    connection: Optional[ConnectionArgs] = None
    """Another NovaConnect account for this resource; the stack's ``novaconnect:*`` config when unset."""


class User(Resource, module="novaconnect", name="User"):
    """A user of the NovaConnect company account, identified by email.

    ``password`` is a secret: it is stored encrypted in state and never shown. A user taken
    over with ``adopt=True`` is left on the platform at delete, unless ``delete_adopted=True``.
    """

    first_name: pulumi.Output[str]
    last_name: pulumi.Output[str]
    email: pulumi.Output[str]
    phone: pulumi.Output[str]
    role: pulumi.Output[str]
    active: pulumi.Output[bool]
    password: pulumi.Output[Optional[str]]
    send_credentials: pulumi.Output[bool]
    adopt: pulumi.Output[bool]
    delete_adopted: pulumi.Output[bool]
    user_id: pulumi.Output[int]
    adopted: pulumi.Output[bool]

    @takes_args(UserArgs)
    def __init__(
        self,
        resource_name: str,
        *,
        first_name: pulumi.Input[str],
        last_name: pulumi.Input[str],
        email: pulumi.Input[str],
        phone: pulumi.Input[str],
        role: pulumi.Input[str] = "user",
        active: pulumi.Input[bool] = True,
        password: Optional[pulumi.Input[str]] = None,
        send_credentials: pulumi.Input[bool] = False,
        adopt: pulumi.Input[bool] = False,
        delete_adopted: pulumi.Input[bool] = False,
        connection: Optional[ConnectionArgs] = None,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        props = {
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "phone": phone,
            "role": role,
            "active": active,
            "password": pulumi.Output.secret(password) if password is not None else None,
            "send_credentials": send_credentials,
            "adopt": adopt,
            "delete_adopted": delete_adopted,
            "user_id": None,
            "adopted": None,
        }
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(additional_secret_outputs=["password"]))
        props.update(connection_props(connection))
        super().__init__(UserProvider(), resource_name, props, opts)

    @staticmethod
    def get(resource_name: str, id: pulumi.Input[str], opts: Optional[pulumi.ResourceOptions] = None, *,
            connection: Optional[ConnectionArgs] = None) -> "User":
        """An existing user, read by its platform id (``user_id``) into the program; the
        stack neither changes nor removes it. ``connection`` reads it from another account
        (the stack's when unset), its token kept secret in state."""
        return read_into_program(User, UserProvider(), resource_name, id, opts, connection)
