"""Bodies the platform POSTs to us: queue webhooks and notifications.

These arrive at a URL we serve, not as answers to our calls; :func:`parse_webhook` turns a
received body into the right model.
"""
from __future__ import annotations

import base64
import json
from typing import Any

from pydantic import Field, model_validator

from ._base import NovaModel
from .bills import Bill
from .sims import Sim

__all__ = [
    "NOTIFY_MSU_LOCK",
    "NOTIFY_PACKAGE_EMPTY",
    "NOTIFY_GENERATE_BILL",
    "NOTIFY_UNPAID_BILL_3",
    "NOTIFY_UNPAID_BILL_5",
    "NOTIFY_UNPAID_BILL_6",
    "SIM_NOTIFICATIONS",
    "BILL_NOTIFICATIONS",
    "WebhookUser",
    "QueueStatus",
    "QueueWebhook",
    "NotificationFile",
    "Notification",
    "parse_webhook",
]

NOTIFY_MSU_LOCK = "msu_lock"
NOTIFY_PACKAGE_EMPTY = "package_empty"
NOTIFY_GENERATE_BILL = "generate_bill"
NOTIFY_UNPAID_BILL_3 = "unpaid_bill_3"
NOTIFY_UNPAID_BILL_5 = "unpaid_bill_5"
# unpaid_bill_6 blocks every SIM and restricts the web UI and the API.
NOTIFY_UNPAID_BILL_6 = "unpaid_bill_6"

SIM_NOTIFICATIONS = frozenset({NOTIFY_MSU_LOCK, NOTIFY_PACKAGE_EMPTY})
BILL_NOTIFICATIONS = frozenset(
    {NOTIFY_GENERATE_BILL, NOTIFY_UNPAID_BILL_3, NOTIFY_UNPAID_BILL_5, NOTIFY_UNPAID_BILL_6}
)


class WebhookUser(NovaModel):
    """The user whose call queued the task."""

    id: int = Field(description="User id.")
    first_name: str | None = Field(default=None, description="First name.")
    last_name: str | None = Field(default=None, description="Last name.")
    company_id: int | None = Field(default=None, description="The user's company id.")


class QueueStatus(NovaModel):
    """Progress of a queued task (the vendor's table says "object", its example int)."""

    count: int = Field(description="Items in the task.")
    process: int = Field(description="Items processed so far.")
    percentage: float = Field(description="Percent processed.")


class QueueWebhook(NovaModel):
    """POSTed to `callbackUrl` when a queued sim/* task progresses or completes."""

    qid: str = Field(description="Queue id, as returned by the sim/* call (QueueTicket.queue_id).")
    added: int | None = Field(default=None, description="Unix time the task was queued.")
    queue: str | None = Field(default=None, description="Queue code.")
    handler: str | None = Field(default=None, description="The webhook URL.")
    items: list[Sim] = Field(default_factory=list, description="The SIMs, each with `queue_status`.")
    user: WebhookUser | None = Field(default=None, description="Who queued the task.")
    status: QueueStatus | None = Field(default=None, description="Progress.")


class NotificationFile(NovaModel):
    """A file attached to a billing notification."""

    type: str = Field(default="base64", description="Encoding of `body`; always base64.")
    format: str | None = Field(default=None, description="MIME type.")
    name: str | None = Field(default=None, description="File name.")
    body: str = Field(description="The content, base64-encoded.")

    def content(self) -> bytes:
        """The decoded file."""
        return base64.b64decode(self.body)


class Notification(NovaModel):
    """POSTed to the URL configured in the web UI for notifications.

    ``items`` holds :class:`Sim` for ``msu_lock``/``package_empty``, :class:`Bill` for the
    billing types, and plain dicts for a type the vendor has not documented.
    """

    type: str = Field(description="Notification type, e.g. msu_lock, generate_bill.")
    files: list[NotificationFile] = Field(default_factory=list, description="Files (billing types only).")
    items: list[Any] = Field(default_factory=list, description="Sims or Bills, by `type`.")

    @model_validator(mode="before")
    @classmethod
    def _items_by_type(cls, data: Any) -> Any:
        if isinstance(data, dict):
            kind = data.get("type")
            model = Sim if kind in SIM_NOTIFICATIONS else Bill if kind in BILL_NOTIFICATIONS else None
            raw = data.get("items") or []
            if model is not None and isinstance(raw, list):
                data = {**data, "items": [model.model_validate(i) if isinstance(i, dict) else i for i in raw]}
        return data

    @property
    def sims(self) -> list[Sim]:
        """The SIMs of a SIM notification (empty otherwise)."""
        return [i for i in self.items if isinstance(i, Sim)]

    @property
    def bills(self) -> list[Bill]:
        """The bills of a billing notification (empty otherwise)."""
        return [i for i in self.items if isinstance(i, Bill)]


def parse_webhook(body: bytes | str | dict[str, Any]) -> QueueWebhook | Notification:
    """Parse a webhook body: a queue webhook carries ``qid``, a notification ``type``.

    Raises ``ValueError`` (pydantic's ``ValidationError`` is one) when it is neither.
    """
    data = json.loads(body) if isinstance(body, (bytes, str)) else body
    if not isinstance(data, dict):
        raise ValueError("a webhook body is a JSON object")
    if "qid" in data:
        return QueueWebhook.model_validate(data)
    if "type" in data:
        return Notification.model_validate(data)
    raise ValueError("neither a queue webhook (no `qid`) nor a notification (no `type`)")
