"""A client can be given its transport, as it can be given its session."""
from __future__ import annotations

from pulumi_novaconnect.client import NovaConnectClient
from pulumi_novaconnect.client.transport import Transport
from pulumi_novaconnect.testing import ADMIN_TOKEN


class RecordingTransport(Transport):
    """A real transport that also notes each API method it sends."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sent: list[str] = []
        self.closed = False

    def request(self, http_method, path, *, method, **kwargs):
        self.sent.append(method)
        return super().request(http_method, path, method=method, **kwargs)

    def close(self) -> None:
        self.closed = True
        super().close()


def test_every_call_goes_through_an_injected_transport(emulator):
    transport = RecordingTransport(emulator.url, ADMIN_TOKEN, lang="ru")
    with NovaConnectClient(transport=transport) as client:
        company = client.company_get()
        sims = list(client.iter_sims())
    assert company.id and len(sims) == 50
    assert transport.sent[0] == "company/get" and set(transport.sent[1:]) == {"sim/list"}
    assert client.endpoint == emulator.url and client.lang == "ru"
    assert transport.closed


def test_an_injected_transport_needs_no_token_argument(emulator):
    transport = RecordingTransport(emulator.url, ADMIN_TOKEN)
    client = NovaConnectClient(transport=transport)
    assert client.company_get().id
    assert transport.sent == ["company/get"]
