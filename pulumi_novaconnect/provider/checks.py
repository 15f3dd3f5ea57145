"""Turning resource inputs into checked specs, with failures Pulumi can show at preview.

Inputs reach ``check()`` as the engine sends them: numbers as floats (5 -> 5.0), values
not known yet as :class:`pulumi.output.Unknown`. Fields still unknown are left out of
validation (preview must tolerate them) and kept as they are in the returned inputs.

Every failure stays short whatever the resource's size. The engine prints a failure as
``property <name> value {<the whole value>} has a problem: <reason>``, once per failure, so
a failure about one entry of a 100,000-SIM map must neither name that map as its property
(:func:`shown_property`) nor come 100,000 times (:class:`Problems` groups SIMs that share a
problem and caps the count, the full list going to a file).

A token whose role may only read is fine for a preview (it only reads): preview says once
that ``pulumi up`` will need an administrator's token, and the first write of an up or a
destroy is refused before it is sent (:func:`ensure_token_can_write`); one ``user/get`` per
process tells the role.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Type, TypeVar

from pulumi.dynamic import CheckFailure
from pulumi.output import Unknown
from pydantic import BaseModel, ValidationError

from ..errors import TokenCannotWrite, listed, spill
from . import progress, registry

M = TypeVar("M", bound=BaseModel)

# Decision 5: the roles are `admin` and `user`, and a user may only read. A role we do not
# know is let through: the platform, not a guess, then decides.
READ_ONLY_ROLES = frozenset({"user"})
WRITE_ROLE = "admin"

# At most this many failures per resource (each one a line of the CLI's output); the rest are
# counted and written to a file. A property value longer than this is not named as the
# failure's property, since the engine would print it whole with every failure.
MAX_FAILURES = 10
SHOWN_VALUE_CHARS = 1000


def is_unknown(value: Any) -> bool:
    """Whether a value (or anything nested in it) is not known yet."""
    if isinstance(value, Unknown):
        return True
    if isinstance(value, Mapping):
        return any(is_unknown(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(is_unknown(v) for v in value)
    return False


@dataclass
class Checked:
    """Result of validating one resource's inputs."""

    inputs: dict[str, Any]
    failures: list[CheckFailure]
    spec: Optional[BaseModel]  # None when something is unknown or invalid
    unknown: frozenset[str]


def validate(model: Type[M], news: Mapping[str, Any], fields: Iterable[str]) -> Checked:
    """Validate the known ``fields`` of ``news`` with ``model``.

    Unknown fields are validated as absent (their defaults), so a rule between two fields
    cannot fire on a value that is not known yet; the spec is only returned when every
    field is known and valid.
    """
    fields = list(fields)
    unknown = frozenset(f for f in fields if is_unknown(news.get(f)))
    known = {f: news[f] for f in fields if f in news and f not in unknown and news[f] is not None}
    failures: list[CheckFailure] = []
    spec: Optional[M] = None
    try:
        candidate = model.model_validate(known)
    except ValidationError as exc:
        # A required field that is only unknown for now is not a failure.
        failures = [f for f in failures_from(exc) if f.property not in unknown]
    else:
        if not unknown:
            spec = candidate
        known_inputs = candidate.model_dump(include=set(known), mode="json")
        known = {**known, **known_inputs}
    inputs = {f: news.get(f) for f in fields if f in news}
    inputs.update(known)
    return Checked(inputs=inputs, failures=failures, spec=spec, unknown=unknown)


def failures_from(exc: ValidationError) -> list[CheckFailure]:
    """One CheckFailure per pydantic error, on the top-level property, naming the full path.

    The engine prints ``property <name> value {<value>} has a problem: <reason>`` and can
    only show top-level values, so the nested path goes into the reason.
    """
    failures = []
    for error in exc.errors(include_url=False):
        loc = [str(part) for part in error["loc"]]
        prop = loc[0] if loc else ""
        path = ".".join(loc)
        message = error["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        failures.append(CheckFailure(prop, f"{path}: {message}" if path else message))
    return failures


def shown_property(name: str, value: Any) -> str:
    """The property a failure about ``value`` names: ``name`` when the engine can print the
    value in a line, else "" (the engine then prints only the reason, which names the field)."""
    try:
        size = len(json.dumps(value, default=str))
    except (TypeError, ValueError):
        size = SHOWN_VALUE_CHARS + 1
    return name if size <= SHOWN_VALUE_CHARS else ""


def without_iccid(rule: str, iccid: str) -> str:
    """A rule worded for one SIM (the plan's blockers name theirs), made to fit many."""
    return rule.replace(f"SIM {iccid}: ", "").replace(f"SIM {iccid}", "the SIM")


Describe = Callable[[str, str, Sequence[str]], str]


def _in_map(where: str) -> Describe:
    """Failures about entries of a map keyed by ICCID: ``sims["8997..."].limit: rule``."""
    def describe(path: str, rule: str, iccids: Sequence[str]) -> str:
        if len(iccids) == 1:
            return f'{where}["{iccids[0]}"]{"." + path if path else ""}: {rule}'
        of = f"`{path}` of " if path else ""
        return f"{where}: {of}{len(iccids):,} SIMs ({listed(iccids)}): {rule}"
    return describe


class Problems:
    """What is wrong with many SIMs of one resource, as a short list of CheckFailures.

    SIMs with the same problem (path and rule) share one failure naming the first few and
    the count; at most ``MAX_FAILURES`` failures are returned, and the rest are counted and
    written, one line per SIM, to a file the last failure names."""

    def __init__(self, prop: str, where: str = "sims", describe: Optional[Describe] = None) -> None:
        self.prop, self.where = prop, where
        self.describe = describe or _in_map(where)
        self._found: dict[tuple[str, str], list[str]] = {}

    def add(self, iccid: str, path: str, rule: str) -> None:
        self._found.setdefault((path, without_iccid(rule, iccid)), []).append(iccid)

    def add_validation(self, iccid: str, exc: ValidationError) -> None:
        for failure in failures_from(exc):
            path, _, rule = failure.reason.partition(": ")
            if not rule:
                path, rule = "", path
            self.add(iccid, path, rule)

    def __bool__(self) -> bool:
        return bool(self._found)

    def failures(self) -> list[CheckFailure]:
        found = [(key, sorted(iccids)) for key, iccids in self._found.items()]
        out = [CheckFailure(self.prop, self.describe(path, rule, iccids)) for (path, rule), iccids in found[:MAX_FAILURES]]
        rest = found[MAX_FAILURES:]
        if rest:
            lines = [f"SIM {iccid}: {path + ': ' if path else ''}{rule}" for (path, rule), iccids in rest for iccid in iccids]
            where = spill(f"{self.where}-problems", lines)
            out.append(CheckFailure(self.prop, (
                f"and {len(rest):,} more kinds of problem in {self.where}, on {len(lines):,} SIMs"
                + (f": every one is listed in {where}" if where else "")
            )))
        return out


def capped(failures: list[CheckFailure], topic: str) -> list[CheckFailure]:
    """At most ``MAX_FAILURES`` failures; the rest are counted and written to a file."""
    if len(failures) <= MAX_FAILURES:
        return failures
    rest = failures[MAX_FAILURES - 1:]
    where = spill(topic, (f"{f.property or '(resource)'}: {f.reason}" for f in rest))
    return failures[: MAX_FAILURES - 1] + [CheckFailure(rest[0].property, (
        f"and {len(rest):,} more problems" + (f": every one is listed in {where}" if where else "")))]


def ensure_token_can_write(planned: str, *, owner: Optional[Callable[[], Any]] = None) -> None:
    """Refuse, before the first write of an up or a destroy, a change the API token's role
    cannot make; ``planned`` names it ("create group 'Pumps'", "change 3 SIMs (...)").
    ``owner`` looks up who the token belongs to (the registry's lookup when not given)."""
    owner = (owner or registry.token_owner)()
    if owner.role in READ_ONLY_ROLES:
        raise TokenCannotWrite(
            f"nothing was changed: to {planned}, NovaConnect needs a token of the administrator role "
            f"({WRITE_ROLE!r}), but the API token belongs to {owner.email}, whose role {owner.role!r} may only read. "
            f"{TokenCannotWrite.fix}"
        )


def note_planned_changes(planned: str, *, owner: Optional[Callable[[], Any]] = None) -> None:
    """At preview: a read-only token may preview, and is told once per process that
    ``pulumi up`` of the planned changes will need an administrator's token."""
    owner = (owner or registry.token_owner)()
    if owner.role in READ_ONLY_ROLES and registry.first_time("read-only token"):
        warn(
            f"the API token belongs to {owner.email}, whose role {owner.role!r} may only read on NovaConnect: "
            f"this preview works, but `pulumi up` of its changes ({planned}) needs a token of the administrator "
            f"role ({WRITE_ROLE!r}) in novaconnect:token (or NOVACONNECT_TOKEN)"
        )


def warn(message: str) -> None:
    """A warning the run shows and goes on: the dynamic host has no log channel, so it goes to
    stderr, which the engine prints as a diagnostic of the run (see progress.py)."""
    progress.emit(f"warning: {message}")
