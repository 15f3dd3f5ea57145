"""The platform's own notifications (configured in the vendor's web UI), raised on demand.

The vendor documents six: ``msu_lock`` and ``package_empty`` carry Sims; ``generate_bill``
and ``unpaid_bill_3/5/6`` carry Bills and the bill as base64 ``files``. Each is a POST of
``{type, files, items}`` to the URL configured for notifications. On the real platform they
follow events; here a test raises one through ``POST /_emulator/notifications`` and gets
its effect on the platform with it:

* ``msu_lock`` blocks the SIMs ``m`` (the operator's MSU block, TC only);
* ``package_empty`` blocks the SIMs ``p`` (the package ran out, TD only);
* ``unpaid_bill_6`` blocks every SIM ``f`` (an ``m`` stays ``m``) and restricts the API:
  "ограничение функциональности ЛК и API". The vendor does not say how a restricted API
  answers; the emulator answers every method but ``company/get`` and ``bill/list`` (what
  a user needs to see what to pay) with HTTP 402 and ``code`` 402, a status no client
  retries. ``POST /_emulator/notifications/paid`` records the payment: the restriction
  and the ``f`` blocks go.

Kept apart from the rest of the emulator: the only hooks elsewhere are the control routes
and one wrapper over the method table (``guarded``). The restriction and the delivery log
hang off the backend's ``state`` object, so a reset clears them with everything else.
"""
from __future__ import annotations

import base64
import dataclasses
from typing import Any

import requests

from .errors import ApiError, NotFound, ValidationError
from .files import PDF_MIME, XLSX_MIME, bill_pdf, transcript_xlsx

SIM_TYPES = ("msu_lock", "package_empty")
BILL_TYPES = ("generate_bill", "unpaid_bill_3", "unpaid_bill_5", "unpaid_bill_6")
TYPES = SIM_TYPES + BILL_TYPES
# What each SIM notification does to its SIMs: the block code, and the profile it exists for.
SIM_EFFECTS = {"msu_lock": ("m", "TC"), "package_empty": ("p", "TD")}
# Still answered while the API is restricted: enough to see the debt.
OPEN_WHILE_RESTRICTED = frozenset({"company/get", "bill/list"})
DELIVERY_TIMEOUT = 2.0  # seconds; one attempt, as for queue webhooks


class PaymentRequired(ApiError):
    """402: the API is restricted after ``unpaid_bill_6`` until the bill is paid."""

    status = 402
    TEXTS = (
        "доступ к API ограничен: счёт {bid} не оплачен на 6-й рабочий день; все сим-карты заблокированы (f). "
        "Оплатите счёт, доступ восстановится после поступления оплаты",
        "API access is restricted: bill {bid} is unpaid on the 6th working day after it was issued, and every "
        "SIM is blocked (f). Pay the bill; access returns once the payment is received",
    )

    def message(self, lang: str) -> str:
        return self.TEXTS[0 if lang == "ru" else 1].format(**self.params)


def _extras(backend) -> dict[str, Any]:
    """This module's part of the platform's state, created on first use."""
    state = backend.state
    if not hasattr(state, "notifications"):
        state.notifications = {"url": None, "restricted_by": None, "deliveries": []}
    return state.notifications


def configure(backend, url: str | None) -> dict:
    with backend.lock:
        _extras(backend)["url"] = url
    return {"url": url}


def restriction(backend) -> str | None:
    """The bill number the API is restricted for, or None."""
    with backend.lock:
        return _extras(backend)["restricted_by"]


def guarded(name: str, endpoint):
    """The method's endpoint, refusing calls while the API is restricted for non-payment."""
    if name in OPEN_WHILE_RESTRICTED:
        return endpoint
    handler = endpoint.handler

    def restricted_handler(call):
        bid = restriction(call.backend)
        if bid is not None:
            raise PaymentRequired("restricted", bid=bid)
        return handler(call)

    return dataclasses.replace(endpoint, handler=restricted_handler)


def _files(backend, bill) -> list[dict]:
    company = backend.state.company.name if backend.state.company else ""
    sims = list(backend.state.sims.values())
    return [
        {"type": "base64", "format": PDF_MIME, "name": f"{bill.bid}.pdf",
         "body": base64.b64encode(bill_pdf(bill, company)).decode("ascii")},
        {"type": "base64", "format": XLSX_MIME, "name": f"{bill.bid}-transcript.xlsx",
         "body": base64.b64encode(transcript_xlsx(bill, sims)).decode("ascii")},
    ]


def _prepare(backend, kind: str, body: dict) -> tuple[dict, str]:
    """Apply the notification's effect and build its body, under the lock."""
    extras = _extras(backend)
    url = body.get("url") or extras["url"]
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ValidationError("url", field="url")
    if kind in SIM_TYPES:
        iccids = body.get("iccids")
        if not isinstance(iccids, list) or not iccids or not all(isinstance(i, str) for i in iccids):
            raise ValidationError("list", field="iccids")
        sims = []
        for iccid in iccids:
            sim = backend.state.sim_by_iccid(iccid)
            if sim is None:
                raise NotFound("unknown_iccid", iccid=iccid)
            sims.append(sim)
        code, profile = SIM_EFFECTS[kind]
        wrong = [s.iccid for s in sims if s.profile != profile]
        if wrong:
            raise ValidationError("profile_only", field="iccids", method=kind, profile=profile, sims=", ".join(wrong))
        for sim in sims:
            if sim.block != "m":  # the MSU block is irreversible and outranks the others
                sim.block = code
        # Vendor: Sims in notifications have no `groups` (as in queue webhooks).
        return {"type": kind, "files": [], "items": [s.render(backend.state.groups, with_groups=False) for s in sims]}, url
    bills = sorted(backend.state.bills.values(), key=lambda b: (b.added, b.id))
    bill_id = body.get("bill_id")
    if bill_id is not None:
        bill = backend.state.bills.get(bill_id) if isinstance(bill_id, int) else None
        if bill is None:
            raise NotFound("unknown_bill", id=bill_id)
    elif bills:
        bill = bills[-1]
    else:
        raise NotFound("unknown_bill", id="(none)")
    if kind == "unpaid_bill_6":
        extras["restricted_by"] = bill.bid
        for sim in backend.state.sims.values():
            if sim.block != "m":
                sim.block = "f"
    return {"type": kind, "files": _files(backend, bill), "items": [bill.render()]}, url


def raise_notification(backend, body: dict) -> dict:
    """Apply a notification's effect, POST it to the configured URL, answer the delivery."""
    kind = body.get("type")
    if kind not in TYPES:
        raise ValidationError("one_of", field="type", values=", ".join(TYPES))
    with backend.lock:
        payload, url = _prepare(backend, kind, body)
        backend.persist()
    record: dict[str, Any] = {"type": kind, "url": url, "body": payload, "http_status": None, "error": None}
    try:  # outside the lock: a receiver may call back into the emulator
        record["http_status"] = requests.post(url, json=payload, timeout=DELIVERY_TIMEOUT).status_code
    except requests.RequestException as exc:
        record["error"] = f"{type(exc).__name__}: {exc}"
    with backend.lock:
        _extras(backend)["deliveries"].append(record)
    return record


def paid(backend) -> dict:
    """The debt is paid: the API answers again and the financial blocks are lifted."""
    with backend.lock:
        extras = _extras(backend)
        lifted = extras["restricted_by"]
        extras["restricted_by"] = None
        unblocked = 0
        for sim in backend.state.sims.values():
            if sim.block == "f":
                sim.block = "n"
                unblocked += 1
        backend.persist()
    return {"lifted": lifted, "unblocked": unblocked}


def deliveries(backend) -> list[dict]:
    with backend.lock:
        return list(_extras(backend)["deliveries"])
