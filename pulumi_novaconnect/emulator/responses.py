"""One function per API method: read the request's fields, call the backend, shape the
answer's payload (moto's responses.py). Types, required fields and documented value
rules are checked here; rules that need the platform's state live in the backend.

Every handler returns the payload without `code`/`message`; http/api_calls.py adds those.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

from .errors import ValidationError
from .notifications import guarded
from .models import PROFILES, ROLES, SORTABLE_FIELDS, TC_LIMIT_TYPES, User
from .sims import QUEUE_METHODS
from .request_fields import Fields, page_args

PAGE_CAP = 1000  # the server clamps `size` to this: our assumption, the vendor text gives no cap
DEFAULT_SIZE = 20
PACKAGE_MIN, PACKAGE_MAX, PACKAGE_STEP = 15360, 102400, 5120  # KB, vendor sim/tariff
SMS_MAX = 70  # vendor sim/sms: string (70)


@dataclass
class Call:
    backend: Any
    user: User
    body: Fields
    method: str


@dataclass(frozen=True)
class Endpoint:
    handler: Callable[[Call], dict]
    admin_only: bool = False
    message: str = "ok"


def _list_answer(items: list, total: int) -> dict:
    # `all_count` is the number of matching items, not the table size: without it a
    # caller could not tell when a filtered listing ends.
    return {"count": len(items), "all_count": total, "items": items}


def _item(item: Any) -> dict:
    return {"result": {"item": item}}


# -- sims ----------------------------------------------------------------------------------

def _sort(body: Fields) -> list[tuple[str, bool]]:
    """API.md decision 11: keys are top-level scalar Sim fields, values ASC or DESC."""
    raw = body.data.get("sort")
    if raw is None:
        return []
    if not isinstance(raw, dict):
        raise ValidationError("object", field="sort")
    keys = []
    for name, direction in raw.items():
        if name not in SORTABLE_FIELDS:
            raise ValidationError("sort_field", field="sort", name=name, allowed=", ".join(SORTABLE_FIELDS))
        if direction not in ("ASC", "DESC"):
            raise ValidationError("sort_dir", field=f"sort.{name}")
        keys.append((name, direction == "DESC"))
    return keys


def sim_list(call: Call) -> dict:
    page, size = page_args(call.body, required=False, default_size=DEFAULT_SIZE, cap=PAGE_CAP)
    flt = call.body.object("filter")
    items, total = call.backend.list_sims(
        page=page, size=size, profile=flt.str("profile", one_of=PROFILES),
        msu_block=flt.bool("msu_block"), blocked=flt.bool("blocked"), query=flt.str("query"),
        sort=_sort(call.body),
    )
    return _list_answer(items, total)


def sim_edit(call: Call) -> dict:
    sim_id = call.body.int("id", required=True)
    name = call.body.str("name", required=True)
    return _item(call.backend.edit_sim(sim_id, name))


def _queue_params(method: str, body: Fields) -> dict:
    params = body.object("params")
    if method == "sim/sms":
        return {"text": params.str("text", required=True, not_empty=True, max_len=SMS_MAX)}
    if method == "sim/limit":
        return {"value": params.int("value", required=True, min=0),
                "type": params.str("type", required=True, one_of=TC_LIMIT_TYPES)}
    if method == "sim/tariff":
        value = params.int("value", required=True)
        if not (PACKAGE_MIN <= value <= PACKAGE_MAX and (value - PACKAGE_MIN) % PACKAGE_STEP == 0):
            raise ValidationError("package", field="params.value")
        return {"value": value, "auto_package": params.bool("auto_package", required=True),
                "all_world": params.bool("all_world")}
    if method == "sim/group":
        return {"group": body.int_list("group") or [], "new_group": body.str_list("new_group") or []}
    return {}


def queued(call: Call) -> dict:
    """Every queued SIM method: checked now, applied later (API.md decision 2)."""
    items = call.body.int_list("items", required=True, not_empty=True)
    limit = call.backend.max_items
    if limit is not None and len(items) > limit:
        # `--max-items`: the vendor documents no cap on `items`, but a real platform has
        # one somewhere; with it set, a client that does not chunk its calls is caught.
        raise ValidationError("max_items", field="items", n=limit, count=len(items))
    callback = call.body.url("callbackUrl")
    params = _queue_params(call.method, call.body)
    queue_id = call.backend.enqueue(call.user, call.method, items, params, callback)
    return _item({"queue_id": queue_id})


# -- bills and reports -------------------------------------------------------------------------

def bill_list(call: Call) -> dict:
    page, size = page_args(call.body, required=False, default_size=DEFAULT_SIZE, cap=PAGE_CAP)
    items, total = call.backend.list_bills(page=page, size=size)
    return {**_list_answer(items, total), "allow_operations": {}}  # vendor: "not used"


_DATE = re.compile(r"^\d{2}-\d{2}-\d{4}$")
_SELECT = re.compile(r"^(all|[sg]_\d+)$")


def _date(fields: Fields, name: str) -> date | None:
    value = fields.str(name)
    if value is None:
        return None
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        return datetime.strptime(value, "%d-%m-%Y").date()
    except ValueError:
        raise ValidationError("date", field=fields.path(name)) from None


def report(kind: str) -> Callable[[Call], dict]:
    def handler(call: Call) -> dict:
        flt = call.body.object("filter")
        start, end = _date(flt, "start"), _date(flt, "end")
        if start and end and end < start:
            raise ValidationError("date_order", field="filter.end")
        select = call.body.list("select")
        for index, entry in enumerate(select or []):
            if not isinstance(entry, str) or not _SELECT.match(entry):
                raise ValidationError("select_entry", field=f"select[{index}]", entry=entry)
        page, size = page_args(call.body, required=False, default_size=DEFAULT_SIZE, cap=PAGE_CAP)
        rows = call.backend.report(kind, start=start, end=end, select=select, page=page, size=size)
        return {"result": {"items": rows}}

    return handler


# -- profile, company, users -------------------------------------------------------------------

def user_get(call: Call) -> dict:
    # Vendor: user/get also carries count and all_count next to result.item.
    return {"count": 1, "all_count": 1, **_item(call.backend.get_user(call.user))}


def user_edit(call: Call) -> dict:
    body = call.body
    target = body.int("id")
    changes = {
        "first_name": body.str("first_name", not_empty=True),
        "last_name": body.str("last_name", not_empty=True),
        "email": body.email("email"),
    }
    if target is not None:  # the "other user" variant also takes phone
        changes["phone"] = body.str("phone", not_empty=True)
    # password, active and role are checked on both variants so that the self variant
    # answers 422 ("only for other users") instead of silently ignoring them.
    changes.update(password=body.str("password", not_empty=True), active=body.bool("active"),
                   role=body.str("role", one_of=ROLES))
    changes = {k: v for k, v in changes.items() if v is not None}
    return _item(call.backend.edit_user(call.user, target, changes))


def user_password(call: Call) -> dict:
    password = call.body.str("password", required=True, not_empty=True)
    old = call.body.str("old_password", required=True)
    return _item(call.backend.change_password(call.user, password, old))


def company_get(call: Call) -> dict:
    return _item(call.backend.get_company())


def user_list(call: Call) -> dict:
    # Vendor: page and size are required here (optional in sim/list and bill/list).
    page, size = page_args(call.body, required=True, default_size=DEFAULT_SIZE, cap=PAGE_CAP)
    return _list_answer(*call.backend.list_users(page=page, size=size))


def user_create(call: Call) -> dict:
    body = call.body
    return _item(call.backend.create_user(
        first_name=body.str("first_name", required=True, not_empty=True),
        last_name=body.str("last_name", required=True, not_empty=True),
        email=body.email("email", required=True),
        phone=body.str("phone", required=True, not_empty=True),
        password=body.str("password", not_empty=True),
        role=body.str("role", default="user", one_of=ROLES),  # vendor: default role User
        send=body.bool("send", default=False),
    ))


def user_remove(call: Call) -> dict:
    return _item(call.backend.remove_user(call.user, call.body.int("id", required=True)))


# -- groups ------------------------------------------------------------------------------------

def group_list(call: Call) -> dict:
    page, size = page_args(call.body, required=True, default_size=DEFAULT_SIZE, cap=PAGE_CAP)
    name = call.body.object("filter").str("name")
    return _list_answer(*call.backend.list_groups(page=page, size=size, name=name))


def group_create(call: Call) -> dict:
    return _item(call.backend.create_group(call.body.str("name", required=True, not_empty=True)))


def group_edit(call: Call) -> dict:
    group_id = call.body.int("id", required=True)
    name = call.body.str("name", required=True, not_empty=True)
    return _item(call.backend.edit_group(group_id, name))


def group_remove(call: Call) -> dict:
    return _item(call.backend.remove_group(call.body.int("id", required=True)))


METHODS: dict[str, Endpoint] = {
    "sim/list": Endpoint(sim_list),
    "sim/edit": Endpoint(sim_edit, admin_only=True),
    **{name: Endpoint(queued, admin_only=True, message="queued") for name in QUEUE_METHODS},
    "bill/list": Endpoint(bill_list),
    "report/sessions": Endpoint(report("sessions")),
    "report/day": Endpoint(report("day")),
    "report/call_sms": Endpoint(report("call_sms")),
    "user/get": Endpoint(user_get),
    "user/edit": Endpoint(user_edit),  # any role; editing others is checked by the backend
    "user/password": Endpoint(user_password),
    "company/get": Endpoint(company_get),
    "user/list": Endpoint(user_list),
    "user/create": Endpoint(user_create, admin_only=True),
    "user/remove": Endpoint(user_remove, admin_only=True),
    "group/list": Endpoint(group_list),
    "group/create": Endpoint(group_create, admin_only=True),
    "group/edit": Endpoint(group_edit, admin_only=True),
    "group/remove": Endpoint(group_remove, admin_only=True),
}

# After unpaid_bill_6 the platform restricts the API until the bill is paid (notifications.py).
METHODS = {name: guarded(name, endpoint) for name, endpoint in METHODS.items()}
