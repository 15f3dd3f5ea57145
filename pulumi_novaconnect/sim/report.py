"""Telling the user how a bulk convergence ended: one error naming the SIMs that failed.

It stays short whatever the count: the first few SIMs with their causes, the count, and a
file listing every one (:func:`~pulumi_novaconnect.errors.spill`).
"""
from __future__ import annotations

from ..errors import SHOWN_ICCIDS, FleetNotConverged, spill
from .converge import Outcome


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
    raise FleetNotConverged(
        "\n" + "\n".join(lines) + f"\n{len(items):,} of {total:,} SIMs did not reach the declared state "
        f"(SIM {first_iccid} {first.message.rstrip('.')}{others}); "
        f"every other SIM's change went out; since {compares} compares against the live SIMs, {then}"
    )
