"""How the client is built and torn down."""
from __future__ import annotations

import requests

from pulumi_novaconnect.client import DEFAULT_ENDPOINT, NovaConnectClient, RetryPolicy
from pulumi_novaconnect.testing import ADMIN_TOKEN


def test_defaults_match_the_vendor():
    client = NovaConnectClient(token="some-token-123")
    assert DEFAULT_ENDPOINT == "https://api.novaconnect.kz/api" == client.endpoint
    assert client.lang == "en" and client.timeout == 30.0 and client.retry == RetryPolicy()
    assert RetryPolicy() == RetryPolicy(max_attempts=5, max_elapsed=60.0, backoff_base=0.5, backoff_max=8.0,
                                        jitter=True)


def test_a_trailing_slash_on_the_endpoint_is_ignored(emulator):
    with NovaConnectClient(endpoint=emulator.url + "/", token=ADMIN_TOKEN) as client:
        assert client.company_get().id


def test_a_passed_session_is_used_left_open_and_not_given_the_token(emulator):
    session = requests.Session()
    with NovaConnectClient(endpoint=emulator.url, token=ADMIN_TOKEN, session=session) as client:
        client.company_get()
    assert "Authorization" not in session.headers
    # Not closed: a closed session drops its pooled connections (requests' Session.close
    # clears every adapter's pool manager), so the keep-alive connection to the emulator
    # must still be pooled, ready for the owner's next call.
    assert list(session.get_adapter(emulator.url).poolmanager.pools.keys()) != []
    assert session.post(f"{emulator.url}/company/get", json={},
                        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).status_code == 200
    session.close()


def test_the_context_manager_closes_its_own_session(emulator):
    with NovaConnectClient(endpoint=emulator.url, token=ADMIN_TOKEN) as client:
        client.company_get()
        pools = client._transport._session.get_adapter(emulator.url).poolmanager.pools
        assert len(pools) == 1
    assert len(pools) == 0
