"""The token revoked mid-run (401), and a read-only token used where a write is needed (403)."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.testing import USER_TOKEN, secret

from .conftest import KINDS
from .matrix import FAILED, FINISHED, run_row

ROTATED = "rotated-admin-token"


@pytest.mark.parametrize("kind", KINDS)
def test_a_token_revoked_mid_up_fails_naming_the_object_and_a_new_token_finishes(emu, runner_for, kind):
    run_row(emu, runner_for, "token revoked mid-run (401)", "up", kind,
            lambda method: emu.fault(method, revoke_token=True), expect=FAILED,
            before_recovery=lambda: emu.issue_token(11, ROTATED),
            recovery_config={"novaconnect:token": secret(ROTATED)})


READ_ONLY_ROWS = [("up", kind) for kind in KINDS] + [("preview", "SimConfig"), ("refresh", "SimFleet"),
                                                     ("destroy", "GroupPolicy"), ("destroy", "User")]


@pytest.mark.parametrize("phase,kind", READ_ONLY_ROWS, ids=[f"{p}|{k}" for p, k in READ_ONLY_ROWS])
def test_a_read_only_token_reads_but_never_writes(emu, runner_for, phase, kind):
    """Refresh and preview only read, so they finish (preview warns that up needs an
    administrator); an up and a destroy fail before their first write. The preview row
    declares a new limit, so that it has changes."""
    emu.clear_requests()
    run_row(emu, runner_for, "read-only token used for writes (403)", phase, kind,
            phase_config={"novaconnect:token": secret(USER_TOKEN)},
            update_to=350 if phase == "preview" else None,
            expect=FINISHED if phase in ("refresh", "preview") else FAILED)
    # A destroy has no preview of its own to stop it, so its first write is sent and refused.
    written = [r for r in emu.requests() if r["role"] == "user" and r["method"] not in READS and r["http_status"] == 200]
    assert written == [], written


READS = ("sim/list", "group/list", "user/list", "user/get", "company/get", "report/day", "report/sessions")
