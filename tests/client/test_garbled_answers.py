"""Answers garbled on their way (not JSON, empty, a field missing, a wrong type): the call's
outcome is unknown, so the client retries where a repeat is harmless and never creates twice."""
from __future__ import annotations

import pytest

from pulumi_novaconnect.client import RetryPolicy, errors

MODES = ("not_json", "empty", "missing_fields", "wrong_types")


@pytest.mark.parametrize("mode", MODES)
def test_a_read_with_one_garbled_answer_is_retried_and_succeeds(admin, control, mode):
    control.fault("sim/list", body=mode)
    page = admin.sim_list(page=0, size=5)
    assert len(page.items) == 5
    assert [r.get("fault") for r in control.requests("sim/list")] == ["body", None]


@pytest.mark.parametrize("mode", MODES)
def test_a_create_whose_answer_is_garbled_is_found_not_sent_again(admin, control, mode):
    control.fault("group/create", body=mode)
    group = admin.group_create("Garbled once")
    assert group.name == "Garbled once"
    assert control.count("group/create") == 1
    assert [g["name"] for g in control.groups()].count("Garbled once") == 1


def test_a_shape_that_never_fits_fails_with_one_short_line_naming_the_first_field(make_client, control):
    control.fault("sim/list", body="wrong_types", times=None)
    client = make_client(retry=RetryPolicy(max_attempts=2, backoff_base=0, jitter=False))
    with pytest.raises(errors.ProtocolError) as err:
        client.sim_list(page=0, size=20)
    text = str(err.value)
    assert "\n" not in text and len(text) < 600, text
    assert "`count`" in text or "`items.0" in text or "`all_count`" in text, text
    assert "more problems" in text and "(after 2 attempts)" in text
    assert control.count("sim/list") == 2
