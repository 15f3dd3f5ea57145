"""The company, its users and its SIM groups."""
from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from ._base import NovaModel
from .money import AmountText, amount_currency

__all__ = ["ROLE_ADMIN", "ROLE_USER", "BILLING_POSTPAID", "BILLING_PREPAID", "Group", "User", "Company"]

# Decision 5: the vendor never lists role codes. These two are assumed; `User.role` stays an
# opaque str so an unknown code still parses.
ROLE_ADMIN = "admin"
ROLE_USER = "user"

BILLING_POSTPAID = 0
BILLING_PREPAID = 1


class Group(NovaModel):
    """A SIM group (``group/*`` methods)."""

    id: int = Field(description="Group id; `g_<id>` selects it in reports.")
    name: str = Field(description="Group name; sim/group reuses an existing group of the same name.")
    added: int | None = Field(default=None, description="Unix time the group was created.")


class User(NovaModel):
    """A user of the company."""

    id: int = Field(description="User id.")
    first_name: str | None = Field(default=None, description="First name.")
    last_name: str | None = Field(default=None, description="Last name.")
    phone: str | None = Field(default=None, description="Phone number.")
    email: str = Field(description="Email address; this client treats it as the user's key.")
    active: bool = Field(default=True, description="Whether the user may log in.")
    role: str | None = Field(default=None, description="Role code, opaque (decision 5); `admin` and `user` assumed.")


class Company(NovaModel):
    """The company the token belongs to (``company/get``)."""

    id: int = Field(description="Company id.")
    name: str = Field(description="Company name.")
    unique_id: str | None = Field(default=None, description="Unique id, usually the tax number.")
    contract: str | None = Field(default=None, description="Contract number.")
    country: str | None = Field(default=None, description="Country code of registration.")
    billing_type: int | None = Field(default=None, description="0 postpaid, 1 prepaid.")
    assigned: int | None = Field(default=None, description="Unused by the platform.")
    # The three amounts are text with a currency sign on the wire ("-12 345.67 ₸"); they are
    # read as Decimal and the sign as `currency` (see money.py for the format assumed).
    # In the vendor's table, missing from its example.
    overdraft: AmountText = Field(default=None, description="Overdraft allowed.")
    balance: AmountText = Field(default=None, description="Current balance (negative: owed).")
    preliminary_balance: AmountText = Field(default=None, description="Preliminary balance (postpaid).")
    currency: str | None = Field(
        default=None, description="ISO 4217 code of the amounts, from their currency sign (not a wire field)."
    )

    @model_validator(mode="before")
    @classmethod
    def _currency_from_the_sign(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("currency") is None:
            for key in ("balance", "preliminary_balance", "overdraft"):
                code = amount_currency(data.get(key))
                if code:
                    return {**data, "currency": code}
        return data
