"""Rows of the ``report/*`` methods."""
from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from ._base import NovaModel
from .money import Amount

__all__ = ["SessionRow", "DayRow", "CallSmsRow", "CALL_SMS_TYPES"]

CALL_SMS_TYPES = ("call", "in_sms", "out_sms", "ussd")


def _bigint(value: Any) -> Any:
    # Decision 7: `value` is a bigint sent as a JSON string, e.g. "5368709120".
    if isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
    return value


BigInt = Annotated[int, BeforeValidator(_bigint)]


class _RowBase(NovaModel):
    sid: int = Field(description="Session / action id.")
    id: int = Field(description="SIM id.")
    original_number: str | None = Field(default=None, description="The SIM's number.")
    iccid: str = Field(description="The SIM's ICCID.")
    name: str | None = Field(default=None, description="The SIM's name.")
    session_cost: Amount | None = Field(default=None, description="Cost in EUR (TC only).")


class SessionRow(_RowBase):
    """A data session (``report/sessions``)."""

    start: int = Field(description="Unix time the session started.")
    end: int | None = Field(default=None, description="Unix time the session ended.")
    country_name: str | None = Field(default=None, description="Country, as the upstream operator names it.")
    operator_name: str | None = Field(default=None, description="Operator, as the upstream operator names it.")
    operator_code: int | None = Field(default=None, description="Operator code, MCC+MNC.")
    value: BigInt = Field(description="Bytes sent and received (a string on the wire, decision 7).")


class DayRow(_RowBase):
    """A day's traffic of one SIM (``report/day``)."""

    day: int = Field(description="Unix time of the day.")
    value: BigInt = Field(description="Bytes sent and received that day (a string on the wire, decision 7).")


class CallSmsRow(_RowBase):
    """A call, SMS or USSD request (``report/call_sms``)."""

    date: int = Field(description="Unix time sent or received.")
    type: str = Field(description="call, in_sms, out_sms or ussd.")
    to_number: str | None = Field(default=None, description="Destination number.")
