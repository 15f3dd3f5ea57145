"""``Group``: a NovaConnect SIM group, found and kept by name.

Groups have no natural key but their name, so create looks the name up first: an
existing group is an error unless ``adopt=True`` takes it over (dynamic resources cannot
be imported; this is how existing groups come under management).
"""
from __future__ import annotations

from typing import Any, Mapping, Optional

import pulumi
from pulumi.dynamic import CreateResult, ReadResult, Resource, UpdateResult
from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from ..provider import registry
from ..client.errors import NotFoundError
from ..client.models import Group as GroupModel
from ..errors import AlreadyExists, NotFoundOnPlatform
from ..provider.base import EntityProvider, by_id

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


class GroupProvider(EntityProvider):
    spec_model = GroupSpec
    inputs = INPUTS
    recreate_on = "name"

    def live(self, id_: str) -> Optional[GroupModel]:
        return _live(id_)

    def changed(self, live: GroupModel, olds: Mapping[str, Any], spec: GroupSpec) -> bool:
        return live.name != spec.name or olds.get("name") != spec.name or bool(olds.get("adopt")) != spec.adopt

    def create(self, props: dict[str, Any]) -> CreateResult:
        spec = self.spec(props)
        groups = registry.groups()
        groups.invalidate()  # a name check must see groups made a moment ago
        existing = groups.get().get(("name", spec.name))
        if existing is not None:
            if not spec.adopt:
                raise AlreadyExists(
                    f"group {spec.name!r} already exists on NovaConnect (id {existing.id}); "
                    "set adopt=True on this Group to bring it under management"
                )
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
