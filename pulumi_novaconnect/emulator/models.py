"""The emulator's own state: plain dataclasses, and how each renders on the wire.

Deliberately independent of the client's models (style.md, Distilled 3): this is a
second reading of the vendor text, so a misunderstanding on one side shows up as a
failing test instead of two matching mistakes.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PROFILES = ("TC", "TD")
BLOCKS = ("n", "u", "m", "p", "f", "g")
TC_LIMIT_TYPES = ("off", "month1")
TD_LIMIT_TYPES = ("p_lim", "p_unlim")
ROLES = ("admin", "user")  # API.md decision 5: codes never listed by the vendor

# Top-level scalar fields of the Sim type: what `sort` accepts (API.md decision 11).
SORTABLE_FIELDS = (
    "id", "iccid", "number", "external_number", "name", "balance", "currency",
    "msu_value", "profile", "block", "comment",
)


@dataclass
class Limit:
    type: str = "off"
    value: int | None = None  # MB
    used: float | None = None  # MB
    updated: int | None = None
    created: int | None = None


@dataclass
class Tariff:
    id: int = 0
    name: str = ""
    # API.md decision 6: int|null in the vendor example, bool in its table; the emulator
    # keeps whatever the control surface set and renders it unchanged.
    change_lock: int | bool | None = None
    package_auto: bool = False


@dataclass
class Sim:
    id: int
    iccid: str
    number: str
    external_number: str
    profile: str
    name: str | None = None
    balance: float = 0.0
    currency: str = "EUR"
    msu_value: int | None = None
    block: str = "n"
    comment: str | None = None
    group_ids: list[int] = field(default_factory=list)
    limit: Limit = field(default_factory=Limit)
    tariff: Tariff = field(default_factory=Tariff)

    @classmethod
    def from_dict(cls, data: dict) -> "Sim":
        data = dict(data)
        data["limit"] = Limit(**data.get("limit", {}))
        data["tariff"] = Tariff(**data.get("tariff", {}))
        return cls(**data)

    def render(self, groups: dict[int, "Group"], *, with_groups: bool = True) -> dict[str, Any]:
        """The vendor's Sim type, field for field. TD SIMs always show balance 0 and
        msu_value null (vendor: "для сим профиля TD всегда нулевой", "только для профиля TC")."""
        tc = self.profile == "TC"
        out: dict[str, Any] = {
            "id": self.id,
            "iccid": self.iccid,
            "number": self.number,
            "external_number": self.external_number,
            "name": self.name,
            "balance": float(self.balance) if tc else 0.0,
            "currency": self.currency,
            "msu_value": self.msu_value if tc else None,
            "profile": self.profile,
            "block": self.block,
            "comment": self.comment,
        }
        if with_groups:
            # A Group inside a Sim has no `added` (vendor, type Group).
            out["groups"] = [
                {"id": gid, "name": groups[gid].name} for gid in sorted(self.group_ids) if gid in groups
            ]
        out["limit"] = asdict(self.limit)
        out["tariff"] = asdict(self.tariff)
        return out


@dataclass
class Group:
    id: int
    name: str
    added: int

    def render(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "added": self.added}


@dataclass
class User:
    id: int
    first_name: str
    last_name: str
    phone: str
    email: str
    role: str = "user"
    active: bool = True
    password: str = ""
    token: str | None = None  # the emulator's stand-in for the web UI's access tokens
    credentials_sent: bool = False  # user/create `send`: recorded, never mailed

    def render(self) -> dict[str, Any]:
        return {
            "id": self.id, "first_name": self.first_name, "last_name": self.last_name,
            "phone": self.phone, "email": self.email, "active": self.active, "role": self.role,
        }


@dataclass
class Company:
    id: int
    name: str
    unique_id: str
    contract: str
    country: str
    billing_type: int
    assigned: int
    overdraft: str  # in the vendor's field table, missing from its JSON example
    balance: str
    preliminary_balance: str

    def render(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Bill:
    id: int
    period: str
    added: int
    paided: int
    cost: float
    valute_course: float
    country: str
    valute_cost: float
    bid: str
    currency: str

    def render(self) -> dict[str, Any]:
        return {
            "period": self.period, "added": self.added, "id": self.id, "paided": self.paided,
            "cost": self.cost, "valute_course": self.valute_course, "country": self.country,
            "valute_cost": self.valute_cost, "bid": self.bid, "currency": self.currency,
        }


@dataclass
class Task:
    """One queued call (API.md decision 2: the platform offers no way to poll it)."""

    queue_id: str
    method: str  # the method that runs: sim/reconnect is recorded as sim/disconnect
    sim_ids: list[int]
    params: dict[str, Any]
    callback_url: str | None
    user_id: int
    added: int
    due: float
    # Set at enqueue time by a queue fault: "fail" (error, no effect) or "never".
    fault: str | None = None
    fault_sim_ids: list[int] | None = None  # None: the fault covers every SIM of the task

    def render(self) -> dict[str, Any]:
        return {
            "queue_id": self.queue_id, "method": self.method, "sim_ids": list(self.sim_ids),
            "params": self.params, "callback_url": self.callback_url, "due": self.due,
            "never": self.fault == "never",
        }
