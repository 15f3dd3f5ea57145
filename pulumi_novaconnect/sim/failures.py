"""Why a SIM did not converge, worded for the user: one function per way a SIM can fail.

Each gives the :class:`~.outcome.Failure` the engine records for the SIM; the text follows
the SIM's ICCID ("SIM 8997... <text>") and says what happened and what to do.
"""
from __future__ import annotations

from ..client.errors import NovaConnectError, RateLimitError
from ..client.models import Sim
from ..client.retry import outcome_unknown
from ..errors import ChangedElsewhere, NotConverged, NotFoundOnPlatform, OperationFailed, Unreachable
from .blockers import BlockerCode
from .outcome import Failure
from .plan import Action, Plan, SetGroups
from .spec import SimSpec

__all__ = ["became_unreachable", "call_failed", "changed_elsewhere", "changed_elsewhere_message", "disappeared",
           "refused", "timed_out", "timeout_message"]


def refused(current: Plan) -> Failure:
    """Its declaration can never be met (before anything was sent for it)."""
    return Failure(Unreachable, f"cannot reach the declared state, so nothing was changed on it: {current.unreachable()}",
                   blockers=tuple(current.found.values()))


def call_failed(method: str, field: str, error: NovaConnectError, already: list[str]) -> Failure:
    """One of its calls failed; ``already`` are the methods that went out for it before."""
    sent = f"; already sent: {', '.join(already)}" if already else ""
    return Failure(
        OperationFailed,
        f"was not changed as declared: {method} for `{field}` failed: {error}{sent}",
        # An answer that may hide a success, or a rate limit, may well pass on the next run.
        retry_helps=outcome_unknown(error) or isinstance(error, RateLimitError),
        code=BlockerCode.CALL_FAILED,
    )


def disappeared() -> Failure:
    return Failure(NotFoundOnPlatform, "disappeared from sim/list while its changes were queued", code=BlockerCode.DISAPPEARED)


def became_unreachable(current: Plan) -> Failure:
    return Failure(Unreachable, f"became unreachable while its changes were queued: {current.unreachable()}",
                   blockers=tuple(current.found.values()))


def changed_elsewhere(third: list[tuple[Action, Action]], elapsed: float, *, timed_out: bool = False) -> Failure:
    return Failure(ChangedElsewhere, changed_elsewhere_message(third, elapsed, timed_out=timed_out),
                   code=BlockerCode.CHANGED_ELSEWHERE)


def timed_out(spec: SimSpec, sim: Sim, current: Plan, sent: Plan, elapsed: float) -> Failure:
    return Failure(NotConverged, timeout_message(spec, sim, current, sent, elapsed), retry_helps=True,
                   code=BlockerCode.TIMED_OUT)


def changed_elsewhere_message(third: list[tuple[Action, Action]], elapsed: float, *, timed_out: bool = False) -> str:
    """``third``: (as sent, as now) for each field that shows a value nobody in this run set."""
    changes = "; ".join(f"{now.field} is now {now.live!r}, neither {sent.live!r} (as this run found it) "
                        f"nor {sent.desired!r} (as declared)" for sent, now in third)
    when = (f"after {elapsed:.0f} s (novaconnect:convergeTimeout)" if timed_out
            else "once NovaConnect's queue had run this run's call")
    return (
        f"was changed by something else since this run read it: {when}, {changes}. Another Pulumi "
        "stack (or a script, or a person in the web UI) is changing the same SIM; NovaConnect keeps no owner "
        "of a SIM, so this shows only when two changes cross. "
        f"{ChangedElsewhere.fix}."
    )


def timeout_message(spec: SimSpec, sim: Sim, current: Plan, sent: Plan, elapsed: float) -> str:
    hint = ""
    found = next((a for a in sent.actions if isinstance(a, SetGroups)), None)
    if found is not None and spec.groups is not None and any(isinstance(a, SetGroups) for a in current.actions):
        live = {g.name for g in sim.groups}
        # What an add-only sim/group leaves: the groups the SIM had, plus the declared ones.
        if live == set(found.live or ()) | set(spec.groups) and live != set(spec.groups):
            hint = (
                " The SIM is in every declared group and still in the ones it had: if the platform's sim/group "
                "only adds groups, removing a SIM from a group is impossible through the API."
            )
    return (
        f"did not show the declared state in sim/list after {elapsed:.0f} s (novaconnect:convergeTimeout); "
        f"still pending: {current.pending()}. NovaConnect cannot report on queue tasks: they may still be "
        f"running or may have failed.{hint} Run `pulumi up` again to finish once the queue has caught up, "
        "or raise novaconnect:convergeTimeout."
    )
