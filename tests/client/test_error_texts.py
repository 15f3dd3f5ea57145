"""What each client error tells its reader to do, and failures without an answer in our words."""
from __future__ import annotations

import time

import pytest
import requests
import urllib3

from pulumi_novaconnect.client import NovaConnectClient, errors
from pulumi_novaconnect.client.retry import RetryPolicy
from pulumi_novaconnect.client.transport import _connection_failure

ONE_TRY = RetryPolicy(max_attempts=1)


def test_a_refused_token_says_where_the_token_is_set(make_client):
    with pytest.raises(errors.AuthenticationError) as err:
        make_client("no-such-token").sim_list()
    text = str(err.value)
    assert text.startswith("sim/list: HTTP 401")
    assert "novaconnect:token" in text and "NOVACONNECT_TOKEN" in text and "no-such-token" not in text


def test_a_forbidden_call_says_an_administrators_token_is_needed_and_not_to_re_run(reader):
    with pytest.raises(errors.PermissionDeniedError) as err:
        reader.group_create("Pumps")
    text = str(err.value)
    assert "HTTP 403" in text and "administrator's token" in text and "novaconnect:token" in text
    assert "again" not in text


def test_a_timeout_reports_the_time_it_really_waited(make_client, control):
    control.fault("company/get", times=1, delay=2)
    client = make_client(timeout=0.4, retry=ONE_TRY)
    started = time.monotonic()
    with pytest.raises(errors.TransportError) as err:
        client.company_get()
    waited = time.monotonic() - started
    text = str(err.value)
    assert "timed out: connected, but no answer after " in text and client.endpoint in text
    shown = float(text.split("no answer after ")[1].split(" s")[0])
    assert 0.35 <= shown <= waited + 0.05
    assert "novaconnect:endpoint" in text and "ReadTimeout" not in text and "HTTPConnectionPool" not in text
    control.clear_faults()


def test_a_dropped_connection_is_told_in_plain_words(make_client, control):
    control.fault("sim/list", times=1, drop=True)
    with pytest.raises(errors.TransportError) as err:
        make_client(retry=ONE_TRY).sim_list()
    assert "the connection was dropped before" in str(err.value)
    assert "RemoteDisconnected" not in str(err.value) and "Connection aborted" not in str(err.value)


def test_a_name_that_does_not_resolve_is_called_a_dns_failure():
    # Built as requests builds it, so no resolver is asked.
    resolution = urllib3.exceptions.NameResolutionError("nowhere.invalid", None, OSError("Name or service not known"))
    pool = urllib3.exceptions.MaxRetryError(None, "/api/sim/list", resolution)
    assert _connection_failure(requests.ConnectionError(pool)) == "the host name does not resolve (DNS)"


def test_nothing_listening_names_the_endpoint_and_its_setting_in_one_sentence():
    client = NovaConnectClient(endpoint="http://127.0.0.1:9/api", token="test-token-xyz", retry=ONE_TRY)
    with pytest.raises(errors.TransportError) as err:
        client.company_get()
    message = err.value.message
    assert message == (
        "connection failed to NovaConnect at http://127.0.0.1:9/api, the endpoint set by novaconnect:endpoint "
        "or NOVACONNECT_ENDPOINT: connection refused (nothing listens at that address and port)"
    )


@pytest.mark.parametrize("cls", [c for c in vars(errors).values()
                                 if isinstance(c, type) and issubclass(c, errors.NovaConnectError)])
def test_every_client_error_ends_with_what_to_do(cls):
    error = cls("sim/list", "refused", http_status=400, code=400)
    assert cls.fix and str(error) == f"sim/list: HTTP 400, code 400: refused. {cls.fix}"
