"""What ``novaconnect-export`` refuses, and how any error becomes the one line it prints.

A command run by hand or by a nightly job is read in a terminal or a CI log: one line per
error, naming what was wrong and what to do, short enough to read whole. Lists (group
names, bad ICCIDs) show the first few and a count, never the whole account.
"""
from __future__ import annotations

import re
from typing import Iterable

from ..errors import ResourceError

SHOWN = 5  # names an error line lists before it counts the rest
LINE_LIMIT = 600  # characters; a longer message keeps its start and its advice at the end


class ExportError(ResourceError):
    """The export cannot go ahead as asked (a target folder in use, a filter matching
    nothing the account has); the text says what to change."""


def some(names: Iterable[str], shown: int = SHOWN, width: int = 40) -> str:
    """``'a', 'b', 'c' and 12 more``: the first ``shown`` names, quoted and cut to ``width``."""
    items = list(names)
    cut = [repr(n if len(n) <= width else n[: width - 3] + "...") for n in items[:shown]]
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(cut) + more


def one_line(text: str, limit: int = LINE_LIMIT) -> str:
    """``text`` on one line and at most ``limit`` characters: the middle gives way, since
    the start says what failed and the end says what to do."""
    flat = re.sub(r"\s*\n\s*", "; ", str(text).strip())
    if len(flat) <= limit:
        return flat
    head = limit * 2 // 3
    return f"{flat[:head]} ... {flat[-(limit - head - 5):]}"
