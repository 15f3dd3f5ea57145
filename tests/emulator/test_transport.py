"""Tokens, roles, languages, bodies and the error envelope (API.md Conventions, decision 1)."""
from __future__ import annotations

import ipaddress
import re
import socket

import pytest
import requests

from pulumi_novaconnect.emulator.i18n import MESSAGES

from .conftest import ADMIN, USER

ADMIN_ONLY = [
    ("sim/block", {"items": [1001]}),
    ("sim/unblock", {"items": [1001]}),
    ("sim/reconnect", {"items": [1001]}),
    ("sim/disconnect", {"items": [1001]}),
    ("sim/ping", {"items": [1001]}),
    ("sim/sms", {"items": [1001], "params": {"text": "hi"}}),
    ("sim/limit", {"items": [1001], "params": {"value": 10, "type": "month1"}}),
    ("sim/tariff", {"items": [1001], "params": {"value": 15360, "auto_package": True}}),
    ("sim/repackage", {"items": [1001]}),
    ("sim/edit", {"id": 1001, "name": "x"}),
    ("sim/group", {"items": [1001], "group": []}),
    ("user/create", {"first_name": "A", "last_name": "B", "email": "a@b.kz", "phone": "1"}),
    ("user/remove", {"id": 13}),
    ("group/create", {"name": "New"}),
    ("group/edit", {"id": 201, "name": "Other"}),
    ("group/remove", {"id": 201}),
]
READ_METHODS = [
    ("sim/list", {}), ("bill/list", {}), ("report/sessions", {}), ("report/day", {}),
    ("report/call_sms", {}), ("user/get", {}), ("company/get", {}),
    ("user/list", {"page": 0, "size": 10}), ("group/list", {"page": 0, "size": 10}),
]


def test_a_call_without_a_token_is_401(api):
    assert api.error("sim/list", token=None, status=401)


def test_an_unknown_token_is_401(api):
    assert api.error("sim/list", token="not-a-token", status=401)


def test_a_token_must_come_as_a_bearer_header(api):
    response = api.http.post(f"{api.url}/sim/list", json={}, headers={"Authorization": f"Token {ADMIN}"})
    assert response.status_code == 401


def test_an_unknown_method_is_404_and_names_it(api):
    assert "sim/teleport" in api.error("sim/teleport", status=404, lang="en")


def test_a_body_that_is_a_json_array_is_400(api):
    assert api.error("sim/list", [1, 2], status=400)


def test_a_body_that_is_not_json_is_400(api):
    assert api.error("sim/list", data="page=1", status=400)


def test_an_empty_body_counts_as_an_empty_object(api):
    assert api.ok("user/get", data="")["result"]["item"]["role"] == "admin"


def test_unknown_body_fields_are_ignored(api):
    assert api.ok("sim/list", {"size": 3, "color": "blue"})["count"] == 3


def test_a_get_on_an_api_method_answers_405_in_the_error_shape(api):
    response = api.http.get(f"{api.url}/sim/list", headers={"Authorization": f"Bearer {ADMIN}"})
    assert response.status_code == 405 and response.json()["code"] == 405


def test_success_answers_carry_code_200_and_a_message(api):
    payload = api.ok("company/get")
    assert payload["code"] == 200 and isinstance(payload["message"], str) and payload["message"]


def test_messages_are_russian_by_default(api):
    assert api.ok("company/get")["message"] == "Успешно"
    assert re.search("[а-я]", api.error("sim/list", {"size": "x"}, status=422))


def test_lang_en_answers_in_english(api):
    assert api.ok("company/get", lang="en")["message"] == "Success"
    assert api.error("sim/list", {"size": "x"}, status=422, lang="en") == "size: must be an integer"


def test_lang_ru_answers_in_russian(api):
    assert api.error("sim/list", {"size": "x"}, status=422, lang="ru") == "size: должно быть целым числом"


def test_an_unknown_lang_falls_back_to_russian(api):
    assert api.ok("company/get", lang="de")["message"] == "Успешно"


def test_every_message_exists_in_both_languages_with_the_same_placeholders():
    for key, (ru, en) in MESSAGES.items():
        assert ru and en, key
        assert set(re.findall(r"{(\w+)", ru)) == set(re.findall(r"{(\w+)", en)), key


@pytest.mark.parametrize("method,body", ADMIN_ONLY, ids=[m for m, _ in ADMIN_ONLY])
def test_user_token_cannot_call_admin_only_methods(api, method, body):
    assert "admin" in api.error(method, body, token=USER, status=403, lang="en")


def test_user_token_cannot_block_sims(api):
    api.error("sim/block", {"items": [1001]}, token=USER, status=403)
    assert api.state()["queue"] == []


@pytest.mark.parametrize("method,body", READ_METHODS, ids=[m for m, _ in READ_METHODS])
def test_user_token_may_read(api, method, body):
    api.ok(method, body, token=USER)


def test_the_role_is_checked_before_the_fields(api):
    api.error("sim/block", {}, token=USER, status=403)


def test_a_deactivated_users_token_stops_working(api):
    api.ok("user/edit", {"id": 12, "active": False})
    api.error("sim/list", token=USER, status=401)


def _own_non_loopback_address() -> str | None:
    """An address of this machine other than loopback, if it has one (a UDP connect sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: only picks the outgoing interface
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if ipaddress.ip_address(address).is_loopback else address


def test_connections_are_answered_on_loopback_only(emulator):
    # The listening socket itself, not the URL text: bound to 127.0.0.1 and nothing wider.
    host, port = emulator._server.socket.getsockname()[:2]
    assert host == "127.0.0.1" and port == emulator.port
    assert emulator.url == f"http://127.0.0.1:{port}/api"
    assert emulator.control_url == emulator.url[: -len("/api")] + "/_emulator"
    assert requests.get(f"{emulator.control_url}/state", timeout=5).status_code == 200


def test_the_emulator_refuses_connections_on_the_machines_other_addresses(emulator):
    address = _own_non_loopback_address()
    if address is None:
        pytest.skip("this machine has no address other than loopback")
    with pytest.raises(OSError):
        socket.create_connection((address, emulator.port), timeout=2).close()
