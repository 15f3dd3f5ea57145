"""Typed models of the platform's objects (pydantic v2, tolerant of unknown fields)."""
from __future__ import annotations

from .accounts import BILLING_POSTPAID, BILLING_PREPAID, ROLE_ADMIN, ROLE_USER, Company, Group, User
from .bills import Bill
from .common import Page, QueueTicket
from .money import Amount, AmountText, parse_amount
from .reports import CALL_SMS_TYPES, CallSmsRow, DayRow, SessionRow
from .sims import (
    BLOCK_FINANCIAL,
    BLOCK_MSU,
    BLOCK_NONE,
    BLOCK_OPERATOR,
    BLOCK_PACKAGE,
    BLOCK_USER,
    LIMIT_MONTH1,
    LIMIT_OFF,
    LIMIT_PACKAGE,
    LIMIT_PACKAGE_AUTO,
    PROFILE_TC,
    PROFILE_TD,
    BlockCode,
    LimitType,
    Profile,
    Sim,
    SimGroup,
    SimLimit,
    SimRename,
    SimTariff,
)
from .webhooks import Notification, NotificationFile, QueueStatus, QueueWebhook, WebhookUser, parse_webhook

__all__ = [
    "Sim", "SimLimit", "SimTariff", "SimGroup", "SimRename",
    "Group", "User", "Company", "Bill",
    "QueueTicket", "Page", "Amount", "AmountText", "parse_amount",
    "SessionRow", "DayRow", "CallSmsRow", "CALL_SMS_TYPES",
    "QueueWebhook", "QueueStatus", "WebhookUser", "Notification", "NotificationFile", "parse_webhook",
    "Profile", "BlockCode", "LimitType",
    "PROFILE_TC", "PROFILE_TD",
    "BLOCK_NONE", "BLOCK_USER", "BLOCK_MSU", "BLOCK_PACKAGE", "BLOCK_FINANCIAL", "BLOCK_OPERATOR",
    "LIMIT_OFF", "LIMIT_MONTH1", "LIMIT_PACKAGE", "LIMIT_PACKAGE_AUTO",
    "ROLE_ADMIN", "ROLE_USER", "BILLING_POSTPAID", "BILLING_PREPAID",
]
