"""The token stays secret: no repr, no error text, no log line shows it."""
from __future__ import annotations

import logging
import pickle
import traceback

import pytest

from pulumi_novaconnect.client import NovaConnectClient, RetryPolicy, errors
from pulumi_novaconnect.testing import ADMIN_TOKEN

SECRET = "tok-3f9a-very-secret"


def _everything_said(error: BaseException) -> str:
    return "\n".join([str(error), repr(error), "".join(traceback.format_exception(error))])


def test_the_token_is_not_in_the_client_repr():
    client = NovaConnectClient(token=SECRET)
    assert SECRET not in repr(client) and SECRET not in repr(vars(client))
    assert SECRET not in repr(client._transport) and SECRET not in repr(vars(client._transport))


def test_a_client_cannot_be_pickled_with_its_token():
    with pytest.raises(TypeError):
        pickle.dumps(NovaConnectClient(token=SECRET))


def test_the_token_is_not_in_api_errors_or_debug_logs(emulator, caplog, control):
    caplog.set_level(logging.DEBUG)
    client = NovaConnectClient(endpoint=emulator.url, token=SECRET,
                               retry=RetryPolicy(max_attempts=2, backoff_base=0.01, jitter=False))
    with pytest.raises(errors.AuthenticationError) as err:
        client.sim_list()
    assert SECRET not in _everything_said(err.value)
    assert SECRET not in caplog.text
    assert "sim/list" in caplog.text  # the client does log the call at DEBUG


def test_the_token_is_not_in_transport_errors_or_logs(caplog):
    caplog.set_level(logging.DEBUG)
    client = NovaConnectClient(endpoint="http://127.0.0.1:9/api", token=SECRET,
                               retry=RetryPolicy(max_attempts=2, backoff_base=0.01, jitter=False))
    with pytest.raises(errors.TransportError) as err:
        client.bill_pdf(5001)
    assert err.value.__cause__ is None and err.value.__suppress_context__
    assert SECRET not in _everything_said(err.value) and SECRET not in caplog.text


def test_the_token_is_not_in_logs_of_a_successful_session(admin, caplog, emulator):
    caplog.set_level(logging.DEBUG)
    admin.sim_list(0, 1)
    admin.bill_pdf(admin.list_bills()[0].id)
    assert ADMIN_TOKEN not in caplog.text
    records = [r for r in caplog.records if r.name == "pulumi_novaconnect.client"]
    assert records and all(r.levelno == logging.DEBUG for r in records)


def test_a_token_echoed_by_the_server_is_scrubbed_from_the_message(make_client, control):
    control.fault("company/get", times=1, status=500, message="upstream said: Bearer admin-token")
    with pytest.raises(errors.ServerError) as err:
        make_client(retry=RetryPolicy(max_attempts=1)).company_get()
    assert ADMIN_TOKEN not in str(err.value) and "***" in err.value.message
    assert ADMIN_TOKEN not in repr(err.value.body)
