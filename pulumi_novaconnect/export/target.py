"""Putting an exported project into its folder: all of it, or none of it.

An export is several files that only work together (the program names its inventory), and
``--out`` often points at a folder that already holds a project: its stack settings
(``Pulumi.<stack>.yaml``, with secrets), a virtualenv, the team's edits. So:

- a folder that holds anything is refused unless ``force`` is given, before the account is
  read (a large account takes a while; the refusal should not);
- the files are written into a staging folder beside the target (same file system, so
  every move below is a rename) and moved in only once all of them are written; an error
  or an interrupt while writing leaves the target as it was and removes the staging folder;
- a new target is the staging folder renamed, in one step;
- with ``force``, only the export's own files (:data:`OWNED`) are replaced; the stack
  settings, the virtualenv and every other file stay. The old files are moved aside into
  a backup folder, then the new ones moved in; if a move fails, what was moved is moved
  back, so a failure leaves the old project whole. Only then is the backup removed.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .entries import FORMATS
from .errors import ExportError, some

# Every file an export writes; with --force these, and only these, are replaced. Both
# inventory formats are listed: an old inventory.yaml left beside a new inventory.csv would
# be a stale second inventory.
OWNED = ("Pulumi.yaml", "__main__.py", "requirements.txt", *FORMATS.values())


def check_target(out: Path, *, force: bool) -> None:
    """Refuse a target that is a file, or a folder in use when ``force`` is not given."""
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file, not a folder; give --out a folder to write the project into")
    if out.is_dir() and not force:
        held = sorted(p.name for p in out.iterdir())
        if held:
            raise ExportError(
                f"{out} is not empty (it holds {some(held, 3)}); give --out a new or empty folder, or add --force "
                f"to replace the export's own files there ({', '.join(OWNED)}) and keep the rest"
            )


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A fresh folder beside ``out`` to write into; gone on leaving, whatever happened."""
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.export-", dir=out.parent))
    try:
        yield stage
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def place(stage: Path, out: Path, *, force: bool) -> None:
    """Move the staged project into ``out`` (see the module's text for the guarantees)."""
    check_target(out, force=force)  # again: the folder may have filled while the account was read
    if not out.exists():
        os.rename(stage, out)
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{out.name}.replaced-", dir=out.parent))
    moved_aside: list[str] = []
    moved_in: list[str] = []
    try:
        for name in OWNED:
            if os.path.lexists(out / name):
                os.rename(out / name, backup / name)
                moved_aside.append(name)
        for item in sorted(stage.iterdir()):
            os.rename(item, out / item.name)
            moved_in.append(item.name)
    except BaseException:
        _undo(out, stage, backup, moved_in, moved_aside)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def _undo(out: Path, stage: Path, backup: Path, moved_in: list[str], moved_aside: list[str]) -> None:
    """Put the old project back; the backup folder is kept if anything could not be."""
    stuck = []
    for name in moved_in:
        try:
            os.rename(out / name, stage / name)
        except OSError:
            stuck.append(name)
    for name in moved_aside:
        try:
            os.rename(backup / name, out / name)
        except OSError:
            stuck.append(name)
    if stuck:
        raise ExportError(
            f"replacing the project in {out} failed part way and {some(stuck, 3)} could not be put back; "
            f"the old files are in {backup}: move them back into {out} by hand"
        )
    shutil.rmtree(backup, ignore_errors=True)
