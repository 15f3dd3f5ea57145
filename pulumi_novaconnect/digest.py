"""``novaconnect-digest``: the reviews a preview wrote, as one Markdown comment for a pull request.

    novaconnect-digest DIR [--max-chars N]

A preview run with ``novaconnect:reviewDir`` (or ``NOVACONNECT_REVIEW_DIR``) writes one JSON
file per SIM resource (schema ``novaconnect-review/1``, sim/review.py). A CI job then runs
this command on that folder and posts its standard output to the pull request: a table of
every resource with its counts, then, per resource, its high-risk changes and a sample of the
others. The comment stays within ``--max-chars`` (60,000 by default, under the 65,536 that
the common hosting takes), whatever the fleet size: rows are cut, never the table of counts.

Use a fresh folder per job: a file is replaced by its resource's next preview, but one whose
resource left the program stays until the folder is emptied.

Exit codes: 0 written; 1 the folder holds no review, or a file that is not one (one line on
stderr says which and what to do); 64 the command line is wrong.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NoReturn, Optional, Sequence

from .sim.review import SCHEMA

OK, ERROR, USAGE = 0, 1, 64
PROG = "novaconnect-digest"
DEFAULT_MAX_CHARS = 60_000
# How many change rows one resource's section may list; lowered step by step until the
# whole comment fits.
ROW_STEPS = (100, 50, 20, 10, 5, 0)


class DigestError(Exception):
    """The folder cannot be turned into a digest; the text says why and what to do."""


def load(folder: Path) -> list[dict[str, Any]]:
    """Every review in ``folder``, in the order of their resources' names."""
    if not folder.is_dir():
        raise DigestError(f"{folder} is not a folder: give the folder set as novaconnect:reviewDir")
    reviews = []
    for path in sorted(folder.glob("*.json")):
        try:
            review = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DigestError(f"{path} cannot be read as JSON ({exc}): empty the folder and run the preview again") \
                from None
        if not isinstance(review, dict) or review.get("schema") != SCHEMA:
            found = review.get("schema") if isinstance(review, dict) else None
            raise DigestError(f"{path} is not a review of schema {SCHEMA} (its schema: {found!r}): keep only the "
                              "preview's review files in the folder")
        reviews.append(review)
    if not reviews:
        raise DigestError(f"no review in {folder}: run `pulumi preview` with novaconnect:reviewDir (or "
                          "NOVACONNECT_REVIEW_DIR) set to this folder first")
    return sorted(reviews, key=lambda r: str(r.get("resource")))


def _cell(value: Any) -> str:
    return str(value if value is not None else "-").replace("|", "\\|").replace("\n", " ")


def _what(review: dict[str, Any]) -> str:
    counts = review.get("counts") or {}
    return ", ".join(f"{n:,} {kind}" for kind, n in counts.items()) or "no SIM changes"


def _rows(changes: list[dict[str, Any]], limit: int) -> list[str]:
    rows = ["| change | ICCID | name | now | after |", "|---|---|---|---|---|"]
    for change in changes[:limit]:
        drift = " (drift)" if change.get("drift") else ""
        rows.append(f"| {_cell(change.get('kind'))}{drift} | {_cell(change.get('iccid'))} | {_cell(change.get('name'))} "
                    f"| {_cell(change.get('before'))} | {_cell(change.get('after'))} |")
    return rows


def _section(review: dict[str, Any], limit: int) -> list[str]:
    high, others = review.get("high_risk") or [], review.get("changes") or []
    unlisted = int(review.get("changes_not_listed") or 0)
    lines = [f"<details><summary><b>{_cell(review.get('resource'))}</b>: {_what(review)}</summary>", ""]
    # What the change does to working devices, from the platform's reports: before any row.
    lines += [f"- {line}" for line in review.get("impact") or []] + ([""] if review.get("impact") else [])
    if high:
        shown = min(len(high), limit)
        lines += [f"High risk ({len(high):,}{'' if shown == len(high) else f', first {shown:,} shown'}):", ""]
        lines += _rows(high, limit) if shown else []
        lines.append("")
    if others:
        total = len(others) + unlisted
        shown = min(len(others), limit)
        lines += [f"Other changes ({total:,}{'' if shown == total else f', first {shown:,} shown'}):", ""]
        lines += _rows(others, limit) if shown else []
        lines.append("")
    return lines + ["</details>", ""]


def render(reviews: list[dict[str, Any]], max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """The Markdown comment: the table of every resource, then each resource's changes, with
    as many rows as fit in ``max_chars``."""
    changed = sum(int(r.get("changed") or 0) for r in reviews)
    high = sum(len(r.get("high_risk") or []) for r in reviews)
    head = [
        "### NovaConnect: what this change does to SIMs",
        "",
        f"{len(reviews):,} SIM resource{'s' if len(reviews) != 1 else ''}, {changed:,} SIMs changed, "
        f"{high:,} high-risk change{'s' if high != 1 else ''} (blocks, unblocks, tariff changes, SIMs let go).",
        "",
        "| resource | SIMs | changed | what | high risk | drift |",
        "|---|---:|---:|---|---:|---:|",
    ]
    head += [f"| {_cell(r.get('resource'))} | {int(r.get('sims') or 0):,} | {int(r.get('changed') or 0):,} "
             f"| {_what(r)} | {len(r.get('high_risk') or []):,} | {int(r.get('drifted') or 0):,} |" for r in reviews]
    head.append("")
    detailed = [r for r in reviews if r.get("high_risk") or r.get("changes") or r.get("impact")]
    for limit in ROW_STEPS:
        text = "\n".join(head + [line for r in detailed for line in _section(r, limit)])
        if len(text) <= max_chars:
            return text.rstrip("\n") + "\n"
    cut = "\n".join(head).rstrip("\n") + "\n"
    if len(cut) > max_chars:  # more resources than the table can hold: say so, in the limit
        note = f"\n... the table is cut at {max_chars:,} characters; {len(reviews):,} resources in all\n"
        return cut[: max_chars - len(note)] + note
    return cut


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        print(f"{PROG}: {message}", file=sys.stderr)
        sys.exit(USAGE)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = _Parser(prog=PROG, description="The reviews a `pulumi preview` wrote (novaconnect:reviewDir), as one "
                                            "Markdown comment for a pull request, on standard output.")
    parser.add_argument("folder", type=Path, help="the folder set as novaconnect:reviewDir")
    parser.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS,
                        help=f"the longest comment to write (default {DEFAULT_MAX_CHARS:,})")
    args = parser.parse_args(argv)
    if args.max_chars < 500:
        parser.error("--max-chars must be at least 500")
    try:
        reviews = load(args.folder)
    except DigestError as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return ERROR
    sys.stdout.write(render(reviews, args.max_chars))
    return OK


if __name__ == "__main__":
    sys.exit(main())
