"""Errors the resources raise. Each names the object, the field and the rule.

The dynamic host turns an exception into the traceback text the CLI prints, so the
message itself (the last line) must read as a complete sentence and say what to do. Each
class's ``fix`` is that advice in general terms; ``docs/errors.md`` lists every class with
an example and its fix, and a test keeps the table and these texts in step.

A message about many SIMs stays short whatever the fleet's size (100,000 unknown ICCIDs
once made a 9.7 MB error): it gives the count, the first few, and the file that holds the
whole list (:func:`listed`).
"""
from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path
from typing import ClassVar, Iterable, Optional


# A message about many SIMs names this many ICCIDs and counts the rest: enough to act on,
# short enough that the CLI's output stays readable for a fleet of thousands.
SHOWN_ICCIDS = 20


def lists_dir() -> Path:
    """Where a list too long for a message is written whole: ``$TMPDIR/novaconnect``, on the
    machine that runs the provider (the one that runs ``pulumi``)."""
    return Path(tempfile.gettempdir()) / "novaconnect"


def spill(topic: str, lines: Iterable[str]) -> Optional[str]:
    """Write ``lines`` to a file of their own and answer its path (None if it cannot be written).

    The name is the topic and a digest of the content, so the same list written by two runs
    is one file, and a new list never overwrites another run's."""
    text = "".join(f"{line}\n" for line in lines)
    slug = re.sub(r"[^a-z0-9]+", "-", topic.lower()).strip("-") or "list"
    path = lists_dir() / f"{slug}-{hashlib.sha256(text.encode()).hexdigest()[:12]}.txt"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(text, encoding="utf-8")
    except OSError:
        return None
    return str(path)


def listed(iccids: Iterable[str], shown: int = SHOWN_ICCIDS, *, topic: str = "iccids", whole: bool = True) -> str:
    """ICCIDs as a message names them: the first ``shown``, how many more, and (``whole``)
    the file that lists them all.

    ``whole=False`` is for a headline whose reader has the full list already (a fleet's own
    declaration)."""
    items = list(iccids)
    if len(items) <= shown:
        return ", ".join(items)
    where = spill(topic, items) if whole else None
    rest = f" (all {len(items):,} are listed in {where})" if where else ""
    return ", ".join(items[:shown]) + f" and {len(items) - shown:,} more" + rest


class ResourceError(Exception):
    """Base of every error a NovaConnect resource raises."""

    fix: ClassVar[str] = ""


class ConfigurationError(ResourceError):
    """The provider cannot talk to NovaConnect with the configuration it was given."""

    fix: ClassVar[str] = (
        "Set the named key to a value of the kind it asks for, with `pulumi config set novaconnect:<key> <value>` (or its environment variable)"
    )


class NotFoundOnPlatform(ResourceError):
    """The object a resource refers to is not on the NovaConnect account."""

    fix: ClassVar[str] = (
        "Correct the ICCID or id your program declares; if the object was removed on purpose, run `pulumi refresh` to drop it from the stack's state"
    )


class AlreadyExists(ResourceError):
    """Create found the object already there and was not asked to adopt it."""

    fix: ClassVar[str] = (
        "Set adopt=True on the resource to bring the existing object under management, or declare another name or email"
    )


class Unreachable(ResourceError):
    """The declared state is one the API cannot produce; nothing was changed."""

    fix: ClassVar[str] = (
        "Change the declaration to a state the platform allows (the message names the SIM, the field and the rule); nothing was changed"
    )


class OperationFailed(ResourceError):
    """A platform call failed part way; what was already queued is named."""

    fix: ClassVar[str] = (
        "Fix the cause the platform gave for the failed call; the calls already sent are named, and the next `pulumi up` sends only what is left"
    )


class NotConverged(ResourceError):
    """The queue did not bring the SIM to the declared state in time."""

    fix: ClassVar[str] = (
        "The platform's queue may still be working: run `pulumi up` again once it has caught up, or raise novaconnect:convergeTimeout"
    )


class FleetNotConverged(ResourceError):
    """Some SIMs of a fleet did not reach the declared state; each is named with its cause."""

    fix: ClassVar[str] = (
        "Fix each listed SIM's cause where one is given; the next `pulumi up` sends only what is left, since the fleet compares with the live SIMs"
    )


class TokenCannotWrite(ResourceError):
    """``pulumi up`` (or destroy) has a change to make, and the API token's role may only read;
    raised before the first write, so nothing was changed."""

    fix: ClassVar[str] = (
        "Set an administrator's API token in novaconnect:token (or the NOVACONNECT_TOKEN environment variable); "
        "a user's token can preview and refresh a stack, not change it"
    )


class GuardrailExceeded(ResourceError):
    """The change goes over one of the stack's limits on one `pulumi up` (SIMs changed, blocked,
    let go) or touches a SIM marked critical; stopped at preview, so nothing was changed."""

    fix: ClassVar[str] = (
        "Review the change; if it is meant, let one run through with the limit's environment variable "
        "(`NOVACONNECT_MAX_BLOCKS=250 pulumi up`) or raise the stack's limit with `pulumi config set`; "
        "a critical SIM must first be taken out of novaconnect:criticalSims"
    )


class ChangedElsewhere(ResourceError):
    """While this stack's change to a SIM was queued, something else changed the SIM to a third
    value: another stack (or program, or person) manages the same SIM."""

    fix: ClassVar[str] = (
        "Manage each SIM from one stack only: take it out of every other stack's SimConfig, SimFleet or "
        "GroupPolicy (`exclude`), since two managers undo each other's changes on every run; "
        "if a person changed it in the web UI, run `pulumi up` again"
    )
