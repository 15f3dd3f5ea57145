"""Group rules: group/list, group/create, group/edit, group/remove."""
from __future__ import annotations

from .errors import NotFound, ValidationError
from .locking import locked, mutating
from .models import Group
from .seed import GROUP_ID_START


class GroupsMixin:
    def ensure_group(self, name: str) -> Group:
        """The group with exactly this name, created if missing (sim/group `new_group`
        reuses an existing name rather than making a duplicate)."""
        group = self.state.group_by_name(name)
        if group is None:
            gid = self.state.new_id("group", GROUP_ID_START)
            group = self.state.groups[gid] = Group(id=gid, name=name, added=self.now())
        return group

    def _group(self, group_id: int) -> Group:
        group = self.state.groups.get(group_id)
        if group is None:
            raise NotFound("unknown_groups", field="id", ids=str(group_id))
        return group

    def _check_group_name(self, name: str, *, exclude: int | None = None) -> None:
        other = self.state.group_by_name(name)
        if other is not None and other.id != exclude:
            raise ValidationError("duplicate_group", field="name", name=name)

    @locked
    def list_groups(self, *, page: int, size: int, name: str | None = None) -> tuple[list[dict], int]:
        groups = sorted(self.state.groups.values(), key=lambda g: g.id)
        if name:
            # Vendor: filter.name is "part of the name"; matched case-insensitively.
            needle = name.casefold()
            groups = [g for g in groups if needle in g.name.casefold()]
        return [g.render() for g in groups[page * size:(page + 1) * size]], len(groups)

    @mutating
    def create_group(self, name: str) -> dict:
        self._check_group_name(name)
        return self.ensure_group(name).render()

    @mutating
    def edit_group(self, group_id: int, name: str) -> dict:
        group = self._group(group_id)
        self._check_group_name(name, exclude=group_id)
        group.name = name
        return group.render()

    @mutating
    def remove_group(self, group_id: int) -> dict:
        group = self._group(group_id)
        del self.state.groups[group_id]
        for sim in self.state.sims.values():
            if group_id in sim.group_ids:
                sim.group_ids = [g for g in sim.group_ids if g != group_id]
        return group.render()
