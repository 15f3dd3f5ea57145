"""``Group``: a NovaConnect SIM group, found and kept by name.

Groups have no natural key but their name, so the name is looked up at preview (``check``,
in the shared group list): an existing group is an error unless ``adopt=True`` takes it
over (dynamic resources cannot be imported; this is how existing groups come under
management). Create looks again, for a group made between preview and up.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

import pulumi
from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, DiffResult, ReadResult, Resource, UpdateResult
from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from ..provider import registry
from ..client.errors import NotFoundError
from ..client.models import Group as GroupModel
from ..errors import AlreadyExists, NotFoundOnPlatform
from ..provider.base import EntityProvider, by_id
from ..provider.checks import ensure_token_can_write, is_unknown, validate

INPUTS = ("name", "adopt")


class GroupSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, description="Group name, unique on the account.")
    adopt: StrictBool = False

    @field_validator("name")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a group name must not be blank")
        return value.strip()


def _outputs(group: GroupModel, spec: GroupSpec, adopted: bool) -> dict[str, Any]:
    return {"name": group.name, "adopt": spec.adopt, "group_id": group.id, "added": group.added, "adopted": adopted}


def _live(group_id: str) -> Optional[GroupModel]:
    return by_id(registry.groups(), group_id)


def _existing(name: str) -> Optional[GroupModel]:
    """The group called ``name`` on the platform now; a hit in a shared list that may be a
    few seconds old is read again before it fails a preview."""
    groups = registry.groups()
    key = ("name", name)
    view = groups.get()
    if view.get(key) is None:
        return None
    return groups.get(key, newer_than=view.fresh_at(key)).get(key)


def already_exists(name: str, group_id: int) -> str:
    return (
        f"group {name!r} already exists on NovaConnect (id {group_id}); set adopt=True on this Group "
        "to bring it under management, or declare another name"
    )


class GroupProvider(EntityProvider):
    spec_model = GroupSpec
    inputs = INPUTS
    recreate_on = "name"

    def subject(self, props: Mapping[str, Any]) -> str:
        name = props.get("name")
        return f"group {name!r}" if isinstance(name, str) else super().subject(props)

    def live(self, id_: str) -> Optional[GroupModel]:
        return _live(id_)

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        checked = validate(GroupSpec, news, INPUTS)
        spec = checked.spec
        failures = list(checked.failures)
        # A new group, or a rename: the name must be free, or be taken over on purpose.
        if spec is not None and spec.name != olds.get("name"):
            existing = _existing(spec.name)
            if existing is not None and not spec.adopt:
                failures.append(CheckFailure("name", already_exists(spec.name, existing.id)))
            elif existing is None and not olds:
                ensure_token_can_write(f"create group {spec.name!r}")
        return CheckResult(checked.inputs, failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        result = super().diff(id_, olds, news)
        if result.changes and not any(is_unknown(news.get(f)) for f in INPUTS):
            live = _live(id_)
            if live is None or live.name != self.spec(news).name:  # group/create or group/edit
                ensure_token_can_write(f"group {self.spec(news).name!r}")
        return result

    def changed(self, live: GroupModel, olds: Mapping[str, Any], spec: GroupSpec) -> bool:
        return live.name != spec.name or olds.get("name") != spec.name or bool(olds.get("adopt")) != spec.adopt

    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = self.spec(props)
        groups = registry.groups()
        groups.invalidate()  # a name check must see groups made a moment ago
        existing = groups.get().get(("name", spec.name))
        if existing is not None:
            if not spec.adopt:
                raise AlreadyExists(already_exists(spec.name, existing.id))
            return CreateResult(str(existing.id), _outputs(existing, spec, adopted=True))
        created = registry.client().group_create(spec.name)
        groups.invalidate()
        return CreateResult(str(created.id), _outputs(created, spec, adopted=False))

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        spec = self.spec(news)
        live = _live(id_)
        if live is None:
            raise NotFoundOnPlatform(f"group {olds.get('name')!r} (id {id_}) is no longer on NovaConnect")
        if live.name != spec.name:
            live = registry.client().group_edit(int(id_), spec.name)
            registry.groups().invalidate()
        return UpdateResult(_outputs(live, spec, adopted=bool(olds.get("adopted"))))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        live = _live(id_)
        if live is None:
            return ReadResult("", {})
        spec = GroupSpec(name=live.name, adopt=bool(props.get("adopt")))
        outs = _outputs(live, spec, adopted=bool(props.get("adopted")))
        return ReadResult(id_, outs, {"name": live.name, "adopt": spec.adopt})

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        try:
            registry.client().group_remove(int(id_))
        except NotFoundError:
            pass  # already gone: the goal of a delete
        registry.groups().invalidate()


class Group(Resource, module="novaconnect", name="Group"):
    """A NovaConnect SIM group.

    Deleting the resource removes the group from the platform (and from every SIM in it);
    use ``ResourceOptions(retain_on_delete=True)`` to keep it.
    """

    name: pulumi.Output[str]
    adopt: pulumi.Output[bool]
    group_id: pulumi.Output[int]
    added: pulumi.Output[Optional[int]]
    adopted: pulumi.Output[bool]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        adopt: pulumi.Input[bool] = False,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        props = {"name": name, "adopt": adopt, "group_id": None, "added": None, "adopted": None}
        super().__init__(GroupProvider(), resource_name, props, opts)
