"""Telling the user how a bulk convergence ended: one error for the SIMs that failed, one
warning for the SIMs the platform holds.

Why two channels: a failure (a refusal, a timeout, a SIM changed elsewhere) fails the
resource's step, and the next ``pulumi up`` does what is left. A hold (a block ``p``, ``f``
or ``g``, a tariff lock; see plan.py) is not the program's to fix, so it must not fail the
step: a failed step keeps none of what it did in the stack's state (the engine discards the
outputs of a failed update, and a failed create is not recorded at all), so the SIMs that did
converge would lose their ``prior`` and a policy its ``members``, and every later run would
fail the same way until the platform lets go. So the step succeeds, records the held SIMs
(the ``held`` output), and says so as a warning at the end of the run; the held SIMs are
finished by the first run after the platform lets go.

Both stay short whatever the count: the first few SIMs with their causes, the count, and a
file listing every one (:func:`~pulumi_novaconnect.errors.spill`).
"""
from __future__ import annotations

from typing import Mapping

from ..errors import SHOWN_ICCIDS, FleetNotConverged, spill
from ..provider import registry
from ..provider.checks import warn
from .outcome import Outcome
from .plan import Plan

# A warning names this many held SIMs with their causes; a file lists every one.
SHOWN_HELD = 5


def raise_failures(outcome: Outcome, total: int, compares: str = "the fleet") -> None:
    """One error for a bulk convergence: every failed SIM with its cause (the first few),
    what to do, and a last line that reads as a headline."""
    if not outcome.failures:
        return
    items = sorted(outcome.failures.items())
    every = [f"SIM {iccid} {failure.message}" for iccid, failure in items]
    lines = [f"  {line}" for line in every[:SHOWN_ICCIDS]]
    if len(items) > SHOWN_ICCIDS:
        where = spill("failed-sims", every)
        lines.append(f"  ... and {len(items) - SHOWN_ICCIDS:,} more SIMs"
                     + (f" (every one is listed in {where})" if where else ""))
    # Re-running is only suggested where it can help: a refusal or an unreachable state
    # needs the declaration or the token changed first.
    if all(failure.retry_helps for _, failure in items):
        then = "the next `pulumi up` does only what is left."
    else:
        then = ("fix the causes given for them (a refusal or an unreachable state does not go away by itself), "
                "and the next `pulumi up` does only what is left.")
    # The list comes first and the summary last: the CLI shows an error's last line as its headline.
    # The headline names the first SIM and its cause, so it stands on its own.
    first_iccid, first = items[0]
    if len(items) > SHOWN_ICCIDS:
        others = f"; the first {SHOWN_ICCIDS} are listed above"
    elif len(items) > 1:
        others = f"; all {len(items)} are listed above"
    else:
        others = ""
    held = f"; {len(outcome.held):,} more are held by the platform (see the warning)" if outcome.held else ""
    raise FleetNotConverged(
        "\n" + "\n".join(lines) + f"\n{len(items):,} of {total:,} SIMs did not reach the declared state "
        f"(SIM {first_iccid} {first.message.rstrip('.')}{others}){held}; "
        f"every other SIM's change went out; since {compares} compares against the live SIMs, {then}"
    )


def _some(lines: list[str], topic: str, shown: int = SHOWN_HELD) -> str:
    """The first few lines joined, then how many more and the file that has them all."""
    text = "; ".join(lines[:shown])
    if len(lines) > shown:
        where = spill(topic, lines)
        text += f"; and {len(lines) - shown:,} more" + (f" (every one is listed in {where})" if where else "")
    return text


def report_holds(held: Mapping[str, str], total: int, owner: str, *, let_go: bool = False,
                 preview: bool = False) -> None:
    """Warn, naming each held SIM (the first few) and what holds it, that everything else
    went out (or, at preview, will) and that the next run finishes the held SIMs."""
    if not held:
        return
    shown = _some([f"SIM {iccid}: {reason}" for iccid, reason in sorted(held.items())], "held-sims")
    many = len(held) > 1
    count = f"{len(held):,} of {total:,} SIMs" if total > 1 else "its SIM"
    if let_go:
        warn(f"{owner} let {len(held):,} SIM{'s' if many else ''} go, but could not put back what the platform "
             f"holds on {'them' if many else 'it'}, so that was left as it is: {shown}")
        return
    if preview:
        what = (f"{owner}: {count} {'are' if many else 'is'} held by the platform: `pulumi up` will leave the held "
                f"setting as it is and make every other change: ")
    else:
        what = (f"{owner}: {count} {'are' if many else 'is'} held by the platform, so the held setting was left "
                "as it is; every other change went out: ")
    warn(what + shown + ". Once the platform lets go, the next `pulumi up` finishes "
         f"{'them' if many else 'it'} (preview shows the update); to stop managing a held SIM, take it out of "
         "the resource (a policy's `exclude`).")


def note_holds(owner: str, held: Mapping[str, str], total: int) -> None:
    """At preview, once per resource: the SIMs the platform holds (up converges the rest)."""
    if held and registry.first_time(f"holds of {owner}"):
        report_holds(held, total, owner, preview=True)


def note_drift(owner: str, drifted: Mapping[str, Plan], total: int) -> None:
    """At preview, once per resource: SIMs whose live settings differ from what this stack
    declares and last applied. A person may have changed them, or another stack that manages
    the same SIMs: NovaConnect keeps no owner of a SIM, so this is all a stack can see of
    another's claim, and it says so."""
    if not drifted or not registry.first_time(f"drift of {owner}"):
        return
    shown = _some([f"SIM {iccid}: {current.pending()}" for iccid, current in sorted(drifted.items())], "drifted-sims")
    many = len(drifted) > 1
    warn(f"{owner}: {len(drifted):,} of {total:,} SIMs changed since this stack set {'them' if many else 'it'} "
         f"(live => declared): {shown}. `pulumi up` sets {'them' if many else 'it'} back. If another stack or "
         f"script manages {'these SIMs' if many else 'this SIM'} too, each run undoes the other's: NovaConnect keeps "
         "no owner of a SIM, so this stack cannot tell who changed it; manage each SIM from one stack only.")
