"""Strict scalar types for resource inputs and data-source arguments.

Pydantic's lax mode turns ``"500"`` into 500 and ``True`` into 1, so a quoted number in a
program was applied as if typed right while a name given as a number was refused: the
package was strict in one direction only. These types are strict both ways, with one
allowance the wire forces on us: the Pulumi engine sends every number as a double
(protobuf ``Struct`` has no integers), so a float with no fractional part is a whole
number (5.0 -> 5). Messages name the expected type and what was given; the caller's
location (``limit.value_mb``, ``get_sims(blocked=...)``) is added by pydantic's path or
by :func:`require`.
"""
from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, StrictInt, StrictStr


def _given(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {value!r}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, float) and value.is_integer():
        return f"the number {int(value)}"  # the engine's double for a whole number the user wrote
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    return f"{value!r} ({type(value).__name__})"


# A value a message repeats is cut to this many characters: it may be a program's whole map.
GIVEN_CHARS = 80


def given(value: Any) -> str:
    """What a program gave, in a few words whatever its size: ``the text 'x'``, ``a list of 3 items``."""
    if isinstance(value, (list, tuple)):
        return f"a list of {len(value):,} item{'s' if len(value) != 1 else ''}"
    if isinstance(value, dict):
        return f"an object of {len(value):,} key{'s' if len(value) != 1 else ''}"
    text = _given(value)
    return text if len(text) <= GIVEN_CHARS else text[: GIVEN_CHARS - 3] + "..."


def _whole_number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        hint = ": write it without quotes" if isinstance(value, str) else ""
        raise ValueError(f"expected a whole number, got {_given(value)}{hint}")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"expected a whole number, got {_given(value)}")
        return int(value)
    return value


def _text(value: Any) -> Any:
    # The value is not repeated: a text field may be a secret (a user's password).
    if isinstance(value, bool):
        raise ValueError("expected text, got a boolean")
    if isinstance(value, (int, float)):
        raise ValueError("expected text, got a number: put it in quotes")
    if not isinstance(value, str):
        raise ValueError(f"expected text, got a {type(value).__name__}")
    return value


WholeNumber = Annotated[StrictInt, BeforeValidator(_whole_number)]
"""An int; an integral float (how the engine sends numbers) is accepted, text and booleans are not."""

Text = Annotated[StrictStr, BeforeValidator(_text)]
"""A str; numbers and booleans are refused rather than turned into text."""


_EXPECTED = {bool: "true or false (a bool)", str: "text (a str)", int: "a whole number (an int)"}


def require(function: str, argument: str, value: Any, expected: type) -> None:
    """Refuse a data-source argument of the wrong type before any call to the platform.

    ``None`` means "not given" and passes. ``bool`` is a subclass of ``int`` in Python,
    so a boolean is refused where a number is expected, and a number where a bool is.
    """
    if value is None:
        return
    if expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif expected is bool:
        ok = isinstance(value, bool)
    else:
        ok = isinstance(value, expected)
    if not ok:
        raise TypeError(f"{function}: `{argument}` must be {_EXPECTED.get(expected, expected.__name__)}, "
                        f"not {_given(value)}")
