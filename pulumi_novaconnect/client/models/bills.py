"""Bills (``bill/list``; files via ``GET bill/download/<id>``)."""
from __future__ import annotations

from pydantic import Field

from ._base import NovaModel
from .money import Amount

__all__ = ["Bill"]


class Bill(NovaModel):
    """A bill. Amounts are EUR unless the company is Russian (RUB) or Kazakh (KZT)."""

    id: int = Field(description="Bill id: what bill/download takes.")
    bid: str | None = Field(default=None, description="Bill number.")
    period: str | None = Field(default=None, description="Period billed.")
    added: int | None = Field(default=None, description="Unix time the bill was issued.")
    paided: int | None = Field(default=None, description="Unix time payment arrived; null while unpaid.")
    cost: Amount | None = Field(default=None, description="Amount in EUR.")
    valute_course: Amount | None = Field(default=None, description="Exchange rate on the day of issue.")
    country: str | None = Field(default=None, description="Country code of the bill.")
    valute_cost: Amount | None = Field(default=None, description="Amount in the company's currency.")
    currency: str | None = Field(default=None, description="Currency code of the bill.")
