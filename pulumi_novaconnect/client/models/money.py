"""Money as the platform sends it, read as :class:`~decimal.Decimal`.

Why Decimal: a sum of floats drifts (0.1 + 0.2 != 0.3), and an amount compared with a
threshold must be the amount the platform meant. Two wire forms exist (vendor, types Sim,
Bill, report rows and Company):

- a JSON number (``balance`` of a SIM, ``cost`` of a bill, ``session_cost`` of a report
  row). It is read through its shortest text (``repr``), so the wire's 0.1 is 0.1, not
  0.1000000000000000055...;
- text with a currency sign (the company's ``balance``, ``preliminary_balance`` and
  ``overdraft``, e.g. ``"-12 345.67 ₸"``). The vendor shows no example of the format, so
  this reading is an assumption: digits grouped by spaces (plain, no-break or thin) or
  apostrophes, a point or a comma before the fraction (a lone comma is the fraction's, as
  in Russian and Kazakh writing), the sign before or after the digits. Text that does not
  read as one amount is an error naming the value, never a silent 0.
"""
from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Optional

from pydantic import BeforeValidator

__all__ = ["Amount", "AmountText", "CURRENCY_SIGNS", "amount_currency", "parse_amount", "to_decimal"]

# Signs and abbreviations the platform's companies (EUR, RUB, KZT) may be shown with, as
# ISO 4217 codes. A label not listed here is kept as written.
CURRENCY_SIGNS = {
    "€": "EUR", "EUR": "EUR", "EURO": "EUR", "ЕВРО": "EUR",
    "₽": "RUB", "RUB": "RUB", "РУБ": "RUB", "Р": "RUB",
    "₸": "KZT", "KZT": "KZT", "ТГ": "KZT", "ТЕНГЕ": "KZT",
    "$": "USD", "USD": "USD",
}

_GROUPING = " \u00a0\u202f\u2009'"
_NUMBER = re.compile(r"[-+\u2212]?\s*\d[\d" + _GROUPING + r".,]*")
_PLAIN = re.compile(r"[-+]?\d+(\.\d+)?")


def to_decimal(value: Any) -> Any:
    """A JSON number (or numeric text) as a Decimal; anything else is left for pydantic to refuse."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"expected an amount, got {value!r}")
        return Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str) and _PLAIN.fullmatch(value.strip()):
        return Decimal(value.strip())
    return value


def _number(text: str) -> Decimal:
    """Digits with grouping and a decimal mark, as a Decimal (see the module docstring)."""
    negative = text.lstrip()[:1] in ("-", "\u2212")
    digits = "".join(ch for ch in text if ch not in _GROUPING and ch not in "-+\u2212").strip()
    if "," in digits and "." in digits:
        mark = "," if digits.rindex(",") > digits.rindex(".") else "."
        digits = digits.replace("." if mark == "," else ",", "").replace(",", ".")
    elif digits.count(",") == 1:
        digits = digits.replace(",", ".")
    elif digits.count(",") > 1 or digits.count(".") > 1:
        digits = digits.replace(",", "").replace(".", "")
    if not _PLAIN.fullmatch(digits):
        raise ValueError
    value = Decimal(digits)
    return -value if negative else value


def parse_amount(text: str) -> tuple[Decimal, Optional[str]]:
    """``"-12 345.67 ₸"`` -> ``(Decimal("-12345.67"), "KZT")``; ValueError when it is not one amount."""
    found = list(_NUMBER.finditer(text))
    problem = ValueError(f"expected an amount such as \"-12 345.67 ₸\", got {text!r}")
    if len(found) != 1:
        raise problem
    match = found[0]
    number = match.group().rstrip(_GROUPING + ".,")
    label = (text[: match.start()] + " " + text[match.start() + len(number):]).strip(_GROUPING + ".,-")
    if any(ch.isdigit() for ch in label):
        raise problem
    try:
        amount = _number(number)
    except (ValueError, InvalidOperation):
        raise problem from None
    return amount, _currency(label)


def _currency(label: str) -> Optional[str]:
    label = label.strip(" .")
    if not label:
        return None
    return CURRENCY_SIGNS.get(label.upper(), label)


def amount_currency(text: Any) -> Optional[str]:
    """The currency code of an amount written as text (``"5 €"`` -> ``"EUR"``), else None."""
    if not isinstance(text, str):
        return None
    try:
        return parse_amount(text)[1]
    except ValueError:
        return None


def _amount_text(value: Any) -> Any:
    if isinstance(value, str):
        if not value.strip():
            return None
        return parse_amount(value)[0]
    return to_decimal(value)


Amount = Annotated[Decimal, BeforeValidator(to_decimal)]
"""An amount sent as a JSON number (or plain numeric text), as a Decimal."""

AmountText = Annotated[Optional[Decimal], BeforeValidator(_amount_text)]
"""An amount sent as text with its currency sign, as a Decimal (blank text: none)."""
