"""The error hierarchy: each class from real rule violations and from faults, decision 1,
both languages, and answers that are no API answers at all."""
from __future__ import annotations

import http.server
import threading

import pytest

from pulumi_novaconnect.client import NovaConnectClient, RetryPolicy, errors

ONE_ATTEMPT = RetryPolicy(max_attempts=1)


def test_a_bad_token_is_an_authentication_error(make_client):
    with pytest.raises(errors.AuthenticationError) as err:
        make_client("no-such-token").sim_list()
    assert (err.value.http_status, err.value.code, err.value.method) == (401, 401, "sim/list")


def test_a_read_only_token_writing_is_a_permission_error(reader):
    with pytest.raises(errors.PermissionDeniedError) as err:
        reader.group_create("x")
    assert err.value.code == 403 and err.value.body["code"] == 403


def test_an_unknown_id_is_not_found(admin):
    with pytest.raises(errors.NotFoundError) as err:
        admin.group_remove(1)
    assert err.value.code == 404


def test_a_broken_rule_is_a_validation_error_carrying_the_raw_body(admin):
    with pytest.raises(errors.ValidationError) as err:
        admin.sim_tariff([admin.sim_list(0, 1).items[0].id], package_kb=1, auto_package=True)
    e = err.value
    assert e.http_status == 422 and e.body == {"code": 422, "message": e.message}
    assert str(e) == f"sim/tariff: HTTP 422, code 422: {e.message}. {errors.ValidationError.fix}"


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, errors.ValidationError),
        (401, errors.AuthenticationError),
        (403, errors.PermissionDeniedError),
        (404, errors.NotFoundError),
        (422, errors.ValidationError),
        (429, errors.RateLimitError),
        (500, errors.ServerError),
        (502, errors.ServerError),
        (503, errors.ServerError),
        (409, errors.NovaConnectError),
    ],
)
def test_each_status_maps_to_its_error_class(make_client, control, status, cls):
    control.fault("company/get", times=1, status=status)
    with pytest.raises(cls) as err:
        make_client(retry=ONE_ATTEMPT).company_get()
    assert type(err.value) is cls and err.value.http_status == status == err.value.code


@pytest.mark.parametrize(("status", "cls"), [(422, errors.ValidationError), (503, errors.ServerError),
                                              (401, errors.AuthenticationError)])
def test_an_error_code_under_http_200_is_still_an_error(make_client, control, status, cls):
    # Decision 1: the body's code decides, whatever HTTP said.
    control.fault("sim/list", times=1, status=status, http_status=200)
    with pytest.raises(cls) as err:
        make_client(retry=ONE_ATTEMPT).sim_list()
    assert (err.value.http_status, err.value.code) == (200, status)
    assert str(err.value).startswith(f"sim/list: HTTP 200, code {status}: ")


def test_a_server_error_under_http_200_is_retried_like_any_5xx(admin, control):
    control.clear_requests()
    control.fault("sim/list", times=2, status=503, http_status=200)
    assert admin.sim_list(0, 1).count == 1
    assert control.methods().count("sim/list") == 3


def test_rate_limit_error_carries_retry_after(make_client, control):
    control.fault("sim/list", times=1, status=429, retry_after=7)
    with pytest.raises(errors.RateLimitError) as err:
        make_client(retry=ONE_ATTEMPT).sim_list()
    assert err.value.retry_after == 7.0


def test_messages_follow_the_client_language(make_client):
    messages = {}
    for lang in ("en", "ru"):
        client = make_client(lang=lang)
        sim = client.sim_list(0, 1).items[0]
        with pytest.raises(errors.ValidationError) as err:
            client.sim_limit([sim.id], value_mb=1, type="weekly")
        messages[lang] = err.value.message
    assert messages["en"] != messages["ru"]
    assert all("params.type" in m for m in messages.values())
    assert any("а" <= ch <= "я" for ch in messages["ru"].lower())


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError):
        NovaConnectClient(token="test-token-xyz", lang="de")


def test_a_missing_token_is_refused():
    with pytest.raises(ValueError):
        NovaConnectClient(token="")


def test_a_dropped_connection_is_a_transport_error_after_the_retries(admin, control):
    control.clear_requests()
    control.fault("sim/list", times=10, drop=True)
    with pytest.raises(errors.TransportError) as err:
        admin.sim_list()
    assert err.value.http_status is None and err.value.attempts == 4


def test_nobody_listening_is_a_transport_error():
    client = NovaConnectClient(endpoint="http://127.0.0.1:9/api", token="test-token-xyz",
                               retry=RetryPolicy(max_attempts=2, backoff_base=0.01, jitter=False))
    with pytest.raises(errors.TransportError) as err:
        client.company_get()
    assert "connection failed" in str(err.value) and err.value.attempts == 2


class _NotAnApi(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (http.server's naming)
        bodies = {"/api/company/get": (200, b"<html>maintenance</html>"),
                  "/api/user/get": (200, b'{"code": 200, "message": "ok"}'),
                  "/api/sim/list": (200, b"[1, 2]"),
                  "/api/group/list": (502, b"<html>bad gateway</html>")}
        status, body = bodies.get(self.path.split("?")[0], (200, b'{"code": 200, "count": "many"}'))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def not_an_api():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotAnApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    client = NovaConnectClient(endpoint=f"http://127.0.0.1:{server.server_port}/api", token="test-token-xyz", retry=ONE_ATTEMPT)
    yield client
    client.close()
    server.shutdown()


def test_an_answer_that_is_not_json_is_a_protocol_error(not_an_api):
    with pytest.raises(errors.ProtocolError) as err:
        not_an_api.company_get()
    assert "not JSON" in str(err.value) and "maintenance" in err.value.body


def test_an_answer_of_the_wrong_shape_is_a_protocol_error(not_an_api):
    with pytest.raises(errors.ProtocolError, match="result.item"):
        not_an_api.user_get()
    with pytest.raises(errors.ProtocolError, match="JSON object"):
        not_an_api.sim_list()
    with pytest.raises(errors.ProtocolError, match="list answer"):
        not_an_api.bill_list()


def test_a_non_json_5xx_is_a_server_error(not_an_api):
    with pytest.raises(errors.ServerError) as err:
        not_an_api.group_list()
    assert err.value.http_status == 502 and err.value.code is None and "bad gateway" in err.value.message
