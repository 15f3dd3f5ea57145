"""Retries over real HTTP: which calls, how often, how long (attempts read off the request log)."""
from __future__ import annotations

import time

import pytest

from pulumi_novaconnect.client import RetryPolicy, errors


def test_a_read_is_retried_through_server_errors(admin, control):
    control.clear_requests()
    control.fault("sim/list", times=2, status=503)
    assert admin.sim_list(0, 5).count == 5
    assert [r["http_status"] for r in control.requests("sim/list")] == [503, 503, 200]


def test_retries_stop_at_max_attempts(make_client, control):
    client = make_client(retry=RetryPolicy(max_attempts=3, backoff_base=0.01, jitter=False))
    control.clear_requests()
    control.fault("sim/list", times=10, status=500)
    with pytest.raises(errors.ServerError) as err:
        client.sim_list()
    assert err.value.attempts == 3 and len(control.requests("sim/list")) == 3


def test_retry_after_is_honoured(make_client, control):
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        time.sleep(seconds)

    client = make_client(retry=RetryPolicy(backoff_base=0.01, backoff_max=0.01, jitter=False, sleep=sleep))
    control.fault("company/get", times=1, status=429, retry_after=0.3)
    started = time.monotonic()
    client.company_get()
    assert slept == [0.3] and time.monotonic() - started >= 0.3


def test_retries_stop_within_the_total_time_budget(make_client, control):
    client = make_client(timeout=5, retry=RetryPolicy(max_attempts=50, max_elapsed=1.0, backoff_base=0.2,
                                                      backoff_max=0.2, jitter=False))
    control.clear_requests()
    control.fault("sim/list", times=None, status=503)
    started = time.monotonic()
    with pytest.raises(errors.ServerError) as err:
        client.sim_list()
    elapsed = time.monotonic() - started
    assert elapsed < 1.0 + 0.3
    assert 2 <= err.value.attempts < 50 and len(control.requests("sim/list")) == err.value.attempts


def test_a_hanging_server_is_cut_off_by_the_time_budget(make_client, control):
    client = make_client(timeout=30, retry=RetryPolicy(max_attempts=5, max_elapsed=0.8, backoff_base=0.05,
                                                       jitter=False))
    control.fault("company/get", times=None, delay=2)
    started = time.monotonic()
    with pytest.raises(errors.TransportError, match="timed out"):
        client.company_get()
    assert time.monotonic() - started < 0.8 + 0.3
    control.clear_faults()


def test_a_timeout_is_retried(make_client, control):
    client = make_client(timeout=0.2)
    control.clear_requests()
    control.fault("company/get", times=1, delay=0.5)
    assert client.company_get().id


def test_a_validation_error_is_not_retried(admin, control):
    control.clear_requests()
    with pytest.raises(errors.ValidationError):
        admin.sim_list(sort={"nope": "ASC"})
    assert len(control.requests("sim/list")) == 1


@pytest.mark.parametrize("call", [
    lambda c, sim: c.sim_block([sim]),
    lambda c, sim: c.sim_edit(sim, "renamed"),
    lambda c, sim: c.sim_group([sim]),
])
def test_queue_methods_and_edits_are_retried(admin, control, call):
    sim = admin.sim_list(0, 1).items[0].id
    control.clear_requests()
    control.fault("*", times=1, status=502)
    call(admin, sim)
    # The emulator logs a request as it finishes answering, so on a busy machine the sim/list
    # above (or a slow answer of an earlier test) can land in the log after it was cleared:
    # only the requests of the method this call sends count.
    log = [r for r in control.requests() if r["method"] in ("sim/block", "sim/edit", "sim/group")]
    assert [r["http_status"] for r in log] == [502, 200] and log[0]["method"] == log[1]["method"]


def test_group_edit_and_remove_are_retried(admin, control):
    group = admin.group_create("Retry me")
    control.fault("group/edit", times=1, drop=True)
    assert admin.group_edit(group.id, "Retried").name == "Retried"
    control.fault("group/remove", times=2, status=500)
    assert admin.group_remove(group.id).id == group.id


def test_sim_sms_is_not_resent_after_a_server_error(admin, control):
    # A repeat after an unknown outcome could deliver the SMS twice.
    sim = next(s for s in admin.iter_sims() if s.profile == "TD")
    control.clear_requests()
    control.fault("sim/sms", times=1, status=503)
    with pytest.raises(errors.ServerError):
        admin.sim_sms([sim.id], "hi")
    assert len(control.requests("sim/sms")) == 1


def test_bill_download_is_retried(admin, control):
    bill = admin.list_bills()[0]
    control.clear_requests()
    control.fault("bill/download", times=1, status=503)
    assert admin.bill_pdf(bill.id).startswith(b"%PDF-")
