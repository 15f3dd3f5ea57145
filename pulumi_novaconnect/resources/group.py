"""``Group``: a NovaConnect SIM group, found and kept by name.

Groups have no natural key but their name, so the name is looked up at preview (``check``,
in the shared group list): an existing group is an error unless ``adopt=True`` takes it
over (dynamic resources cannot be imported; this is how existing groups come under
management). Create looks again, for a group made between preview and up.

Destroy removes a group the stack created; a group it took over (``adopt=True``) stays on
the platform unless ``delete_adopted=True``: state records which of the two create did.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult
from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from ..provider import registry
from ..client.errors import NotFoundError
from ..client.models import Group as GroupModel
from ..errors import AlreadyExists, NotFoundOnPlatform
from ..provider.base import EntityProvider
from ..provider.snapshot import Snapshot
from ..provider.checks import ensure_token_can_write, is_unknown, note_planned_changes
from ..provider.strict import Text
from .args import ConnectionArgs, connection_props, read_into_program, takes_args

INPUTS = ("name", "adopt", "delete_adopted")


class GroupSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Text = Field(min_length=1, description="Group name, unique on the account.")
    adopt: StrictBool = False
    delete_adopted: StrictBool = False

    @field_validator("name")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a group name must not be blank")
        return value.strip()


def _outputs(group: GroupModel, spec: GroupSpec, adopted: bool) -> dict[str, Any]:
    return {"name": group.name, "adopt": spec.adopt, "delete_adopted": spec.delete_adopted, "group_id": group.id,
            "added": group.added, "adopted": adopted}


class GroupProvider(EntityProvider):
    spec_model = GroupSpec
    inputs = INPUTS
    recreate_on = "name"

    noun = "group"

    def entities(self) -> Snapshot:
        return registry.groups()

    def describe(self, value: str) -> str:
        return f"group {value!r}"

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        result = super().check(olds, news)
        name = news.get("name")
        if isinstance(name, str) and name.strip():  # a GroupPolicy on it is fine before it exists
            registry.declared_groups.declare([name.strip()], by=f"Group {name.strip()!r}")
        return result

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        result = super().diff(id_, olds, news)
        if result.changes and not any(is_unknown(news.get(f)) for f in INPUTS):
            live = self.live(id_)
            if live is None or live.name != self.spec(news).name:  # group/create or group/edit
                note_planned_changes(f"group {self.spec(news).name!r}")
        return result

    def changed(self, live: GroupModel, olds: Mapping[str, Any], spec: GroupSpec) -> bool:
        return (live.name != spec.name or olds.get("name") != spec.name or bool(olds.get("adopt")) != spec.adopt
                or bool(olds.get("delete_adopted")) != spec.delete_adopted)

    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = self.spec(props)
        existing = self.existing_at_create(spec.name)
        if existing is not None:
            if not spec.adopt:
                raise AlreadyExists(self.already_exists(existing))
            return CreateResult(str(existing.id), _outputs(existing, spec, adopted=True))
        ensure_token_can_write(f"create group {spec.name!r}")
        created = registry.client().group_create(spec.name)
        registry.groups().invalidate()
        return CreateResult(str(created.id), _outputs(created, spec, adopted=False))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec = self.spec(news)
        live = self.live(id_)
        if live is None:
            raise NotFoundOnPlatform(f"group {olds.get('name')!r} (id {id_}) is no longer on NovaConnect")
        if live.name != spec.name:
            ensure_token_can_write(f"rename group {live.name!r} to {spec.name!r}")
            live = registry.client().group_edit(int(id_), spec.name)
            registry.groups().invalidate()
        return UpdateResult(_outputs(live, spec, adopted=bool(olds.get("adopted"))))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        live = self.live(id_)
        if live is None and props.get("name") is None:  # Group.get: state always records the name
            raise NotFoundOnPlatform(f"Group.get: no group with id {id_} on this NovaConnect account")
        if live is None:
            return ReadResult("", {})
        spec = GroupSpec(name=live.name, adopt=bool(props.get("adopt")), delete_adopted=bool(props.get("delete_adopted")))
        outs = _outputs(live, spec, adopted=bool(props.get("adopted")))
        inputs = {"name": live.name, "adopt": spec.adopt}
        if "delete_adopted" in props:
            inputs["delete_adopted"] = spec.delete_adopted
        return ReadResult(id_, outs, inputs)

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        if self.kept_at_delete(props):
            self.leave(props)
            return
        ensure_token_can_write(f"remove group {props.get('name')!r}")
        try:
            registry.client().group_remove(int(id_))
        except NotFoundError:
            pass  # already gone: the goal of a delete
        registry.groups().invalidate()


@dataclass
class GroupArgs:
    """The inputs of a :class:`Group`."""

    name: pulumi.Input[str]
    """Group name, unique on the account; a new name renames the group."""
    adopt: pulumi.Input[bool] = False
    """Take over a group of that name that already exists, instead of failing."""
    delete_adopted: pulumi.Input[bool] = False
    """Remove a taken-over group from the platform on delete (it is left there by default)."""
    connection: Optional[ConnectionArgs] = None
    """Another NovaConnect account for this resource; the stack's ``novaconnect:*`` config when unset."""


class Group(Resource, module="novaconnect", name="Group"):
    """A NovaConnect SIM group.

    Deleting a group this stack created removes it from the platform (and from every SIM in
    it); use ``ResourceOptions(retain_on_delete=True)`` to keep it. A group taken over with
    ``adopt=True`` is left on the platform at delete, unless ``delete_adopted=True``.
    """

    name: pulumi.Output[str]
    adopt: pulumi.Output[bool]
    delete_adopted: pulumi.Output[bool]
    group_id: pulumi.Output[int]
    added: pulumi.Output[Optional[int]]
    adopted: pulumi.Output[bool]

    @takes_args(GroupArgs)
    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        adopt: pulumi.Input[bool] = False,
        delete_adopted: pulumi.Input[bool] = False,
        connection: Optional[ConnectionArgs] = None,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        props = {"name": name, "adopt": adopt, "delete_adopted": delete_adopted, "group_id": None, "added": None,
                 "adopted": None}
        props.update(connection_props(connection))
        super().__init__(GroupProvider(), resource_name, props, opts)

    @staticmethod
    def get(resource_name: str, id: pulumi.Input[str], opts: Optional[pulumi.ResourceOptions] = None, *,
            connection: Optional[ConnectionArgs] = None) -> "Group":
        """An existing group, read by its platform id (``group_id``) into the program; the
        stack neither changes nor removes it. ``connection`` reads it from another account
        (the stack's when unset), its token kept secret in state."""
        return read_into_program(Group, GroupProvider(), resource_name, id, opts, connection)
