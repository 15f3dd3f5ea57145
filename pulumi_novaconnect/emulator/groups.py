"""Group rules (group/*). After the seed, `ensure_group` is the one way a group comes to
be, for group/create, sim/group's `new_group` and the control surface alike, so a name is
never made twice."""
from __future__ import annotations

from .errors import NotFound, ValidationError
from .locking import locked, mutating
from .models import Group
from .seed import GROUP_ID_START


def ensure_group(backend, name: str) -> Group:
    """The group with exactly this name, created if missing (sim/group `new_group`
    reuses an existing name rather than making a duplicate)."""
    group = backend.state.group_by_name(name)
    if group is None:
        gid = backend.state.new_id("group", GROUP_ID_START)
        group = backend.state.groups[gid] = Group(id=gid, name=name, added=backend.now())
    return group


def _group(backend, group_id: int) -> Group:
    group = backend.state.groups.get(group_id)
    if group is None:
        raise NotFound("unknown_groups", field="id", ids=str(group_id))
    return group


def _check_group_name(backend, name: str, *, exclude: int | None = None) -> None:
    other = backend.state.group_by_name(name)
    if other is not None and other.id != exclude:
        raise ValidationError("duplicate_group", field="name", name=name)


@locked
def list_groups(backend, *, page: int, size: int, name: str | None = None) -> tuple[list[dict], int]:
    groups = sorted(backend.state.groups.values(), key=lambda g: g.id)
    if name:
        # Vendor: filter.name is "part of the name"; matched case-insensitively.
        needle = name.casefold()
        groups = [g for g in groups if needle in g.name.casefold()]
    return [g.render() for g in groups[page * size:(page + 1) * size]], len(groups)


@mutating
def create_group(backend, name: str) -> dict:
    _check_group_name(backend, name)
    return ensure_group(backend, name).render()


@mutating
def edit_group(backend, group_id: int, name: str) -> dict:
    group = _group(backend, group_id)
    _check_group_name(backend, name, exclude=group_id)
    group.name = name
    return group.render()


@mutating
def remove_group(backend, group_id: int) -> dict:
    group = _group(backend, group_id)
    del backend.state.groups[group_id]
    for sim in backend.state.sims.values():
        if group_id in sim.group_ids:
            sim.group_ids = [g for g in sim.group_ids if g != group_id]
    return group.render()
