"""The Pulumi program an export writes: the account's groups and users, adopted, and one fleet.

Dynamic resources cannot be ``pulumi import``ed; ``adopt=True`` is how an existing group
or user comes under management, and a ``SimFleet`` adopts SIMs by ICCID. Every value is
written exactly as the platform holds it, so the first ``pulumi up`` records the account
without a single write call, and the preview after it is empty.

A group or user whose live values a declaration could not reproduce (a name with spaces at
either end, a phone number not in international form, a role other than ``admin`` or
``user``) is left out with a comment saying why: declaring it would change it.

Adopted objects existed before the stack, so they get ``retain_on_delete``: destroying the
stack lets go of them instead of removing groups and users from the account.

``--check`` must compare the inventory the program reads, not whichever file sits in the
folder: :func:`inventories_read` finds it the way this module writes it
(``nc.read_inventory(HERE / 'inventory.csv')``), by reading the program's syntax tree,
never by running it.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

from pydantic import ValidationError

from ..client.models import Group, User
from ..resources.group import GroupSpec
from ..resources.user import PROFILE, UserSpec

PROGRAM_REQUIREMENTS = "pulumi>=3.216,<4\npulumi-novaconnect>={version}\n"


@dataclass(frozen=True)
class Skipped:
    what: str
    why: str


def group_declarable(group: Group) -> Optional[str]:
    """None when a Group can adopt it unchanged, else why not."""
    try:
        spec = GroupSpec(name=group.name, adopt=True)
    except ValidationError:
        return "its name is blank"
    return None if spec.name == group.name else "its name has spaces at either end, which a declaration trims"


def user_declarable(user: User) -> Optional[str]:
    """None when a User can adopt it unchanged, else why not."""
    try:
        spec = UserSpec(first_name=user.first_name, last_name=user.last_name, email=user.email,
                        phone=user.phone, role=user.role, active=user.active, adopt=True)
    except ValidationError as exc:
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    moved = [f for f in PROFILE if getattr(spec, f) != getattr(user, f)]
    return f"a declaration would change {', '.join(moved)} (written differently on the platform)" if moved else None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _unique(base: str, taken: set[str]) -> str:
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def program_text(
    *, groups: list[Group], users: list[User], inventory: Optional[str], sim_count: int,
    filters: str, endpoint: str, version: str,
) -> tuple[str, list[Skipped]]:
    """The ``__main__.py`` of the exported project, and what it had to leave out."""
    skipped: list[Skipped] = []
    taken: set[str] = set()
    lines = [
        f'"""The NovaConnect account at {endpoint} as code, exported by novaconnect-export {version}.',
        "",
        "Groups and users are adopted (adopt=True) and kept on the account if this stack is",
        f"destroyed (retain_on_delete). The SIMs ({filters}: {sim_count:,}) are one SimFleet read from",
        "the inventory file; edit a row and `pulumi up` sends only what changed.",
        '"""',
        "from pathlib import Path",
        "",
        "import pulumi",
        "",
        "import pulumi_novaconnect as nc",
        "",
        "HERE = Path(__file__).parent",
        "KEEP = pulumi.ResourceOptions(retain_on_delete=True)",
        "",
        "groups = [",
    ]
    for group in groups:
        why = group_declarable(group)
        if why:
            skipped.append(Skipped(f"group {group.name!r} (id {group.id})", why))
            lines.append(f"    # group {group.name!r} (id {group.id}) left out: {why}")
            continue
        rname = _unique(f"group-{_slug(group.name)}", taken)
        lines.append(f"    nc.Group({rname!r}, name={group.name!r}, adopt=True, opts=KEEP),")
    lines += ["]", "", "users = ["]
    for user in users:
        why = user_declarable(user)
        if why:
            skipped.append(Skipped(f"user {user.email} (id {user.id})", why))
            lines.append(f"    # user {user.email} (id {user.id}) left out: {why}")
            continue
        rname = _unique(f"user-{_slug(user.email)}", taken)
        fields: dict[str, Any] = {f: getattr(user, f) for f in PROFILE}
        lines.append(f"    nc.User({rname!r},")
        lines += [f"            {k}={v!r}," for k, v in fields.items()]
        lines.append("            adopt=True, opts=KEEP),")
    lines += ["]", ""]
    if inventory is not None and sim_count:
        lines += [
            "fleet = nc.SimFleet(",
            '    "fleet",',
            f"    sims=nc.read_inventory(HERE / {inventory!r}),",
            '    on_delete="retain",  # a SIM removed from the inventory is left as it is',
            "    # The groups are adopted before the SIMs are checked against them.",
            "    opts=pulumi.ResourceOptions(depends_on=groups),",
            ")",
            'pulumi.export("sim_count", fleet.sim_count)',
        ]
    else:
        lines.append(f"# No SIM matched ({filters}): no fleet.")
    return "\n".join(lines) + "\n", skipped


def project_yaml(project: str, endpoint: str, default_endpoint: str) -> str:
    import yaml

    data: dict[str, Any] = {
        "name": project,
        "description": "A NovaConnect account exported by novaconnect-export",
        "runtime": {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}},
    }
    if endpoint != default_endpoint:
        data["config"] = {"novaconnect:endpoint": endpoint}
    return yaml.safe_dump(data, sort_keys=False)


@dataclass
class InventoriesRead:
    """The inventory files a program passes to ``read_inventory``, and the lines of calls
    whose argument is computed (a config value, a variable), which cannot be told statically."""

    paths: list[Path] = field(default_factory=list)
    computed: list[int] = field(default_factory=list)


def inventories_read(program: Path, project: Path) -> InventoriesRead:
    """What ``program`` reads with ``read_inventory``: ``HERE / 'name'`` (``HERE`` being
    ``Path(__file__).parent``) is beside the program; a plain ``'name'`` is relative to the
    project folder, where Pulumi runs the program. Raises ``SyntaxError``."""
    tree = ast.parse(program.read_text(encoding="utf-8"), filename=str(program))
    here = {t.id for node in tree.body if isinstance(node, ast.Assign) and _is_here(node.value, set())
            for t in node.targets if isinstance(t, ast.Name)}
    found = InventoriesRead()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and _called(node.func) == "read_inventory"):
            continue
        arg = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "path"), None)
        path = _path_of(arg, here, program.parent, project) if arg is not None else None
        if path is None:
            found.computed.append(node.lineno)
        elif path not in found.paths:
            found.paths.append(path)
    return found


def _called(func: ast.expr) -> Optional[str]:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else None


def _is_file_path(node: ast.expr) -> bool:
    """``Path(__file__)``, optionally ``.resolve()``d or ``.absolute()``d."""
    if isinstance(node, ast.Call) and _called(node.func) == "Path":
        return len(node.args) == 1 and isinstance(node.args[0], ast.Name) and node.args[0].id == "__file__"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("resolve", "absolute"):
        return _is_file_path(node.func.value)
    return False


def _is_here(node: ast.expr, here: set[str]) -> bool:
    """The program's own folder: ``Path(__file__).parent`` or a name bound to it."""
    if isinstance(node, ast.Name):
        return node.id in here
    return isinstance(node, ast.Attribute) and node.attr == "parent" and _is_file_path(node.value)


def _path_of(node: ast.expr, here: set[str], program_dir: Path, project: Path) -> Optional[Path]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return project / node.value
    if isinstance(node, ast.Call) and _called(node.func) == "Path" and len(node.args) == 1 and not node.keywords:
        return _path_of(node.args[0], here, program_dir, project)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and isinstance(node.right, ast.Constant) \
            and isinstance(node.right.value, str):
        if _is_here(node.left, here):
            return program_dir / node.right.value
        base = _path_of(node.left, here, program_dir, project)
        return base / node.right.value if base is not None else None
    return None
