"""Reading typed fields out of a request body, with 422s that name the field and the rule.

JSON has no int/bool distinction in Python's eyes (`True` is an `int`), so the checks are
explicit: a boolean is never accepted where an integer is required and vice versa. A
`null` counts as "not given" (optional fields) or as missing (required ones). Fields the
method does not document are ignored, as a tolerant server would (the vendor does not say).
"""
from __future__ import annotations

import re
from typing import Any

from .errors import ValidationError

_MISSING = object()
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Fields:
    """One JSON object of the request; `prefix` makes nested names read `params.text`."""

    def __init__(self, data: dict, prefix: str = "") -> None:
        self.data = data
        self.prefix = prefix

    def path(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def _raw(self, name: str, required: bool) -> Any:
        value = self.data.get(name)
        if value is None:
            if required:
                raise ValidationError("required", field=self.path(name))
            return _MISSING
        return value

    def has(self, name: str) -> bool:
        return self.data.get(name) is not None

    def int(self, name: str, *, required: bool = False, default: int | None = None,
            min: int | None = None) -> int | None:
        value = self._raw(name, required)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError("int", field=self.path(name))
        if min is not None and value < min:
            raise ValidationError("min", field=self.path(name), n=min)
        return value

    def str(self, name: str, *, required: bool = False, default: str | None = None,
            not_empty: bool = False, max_len: int | None = None,
            one_of: tuple[str, ...] | None = None) -> str | None:
        value = self._raw(name, required)
        if value is _MISSING:
            return default
        if not isinstance(value, str):
            raise ValidationError("str", field=self.path(name))
        if not_empty and not value.strip():
            raise ValidationError("not_empty", field=self.path(name))
        if max_len is not None and len(value) > max_len:
            raise ValidationError("max_len", field=self.path(name), n=max_len)
        if one_of is not None and value not in one_of:
            raise ValidationError("one_of", field=self.path(name), values=", ".join(one_of))
        return value

    def email(self, name: str, *, required: bool = False) -> str | None:
        value = self.str(name, required=required)
        if value is not None and not _EMAIL.match(value):
            raise ValidationError("email", field=self.path(name))
        return value

    def url(self, name: str) -> str | None:
        # API.md decision 3: callbackUrl is typed int in the vendor tables by a copy-paste
        # slip; it is a URL string.
        value = self.str(name)
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValidationError("url", field=self.path(name))
        return value

    def bool(self, name: str, *, required: bool = False, default: bool | None = None) -> bool | None:
        value = self._raw(name, required)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            raise ValidationError("bool", field=self.path(name))
        return value

    def object(self, name: str, *, required: bool = False) -> "Fields":
        value = self._raw(name, required)
        if value is _MISSING:
            return Fields({}, f"{self.path(name)}.")
        if not isinstance(value, dict):
            raise ValidationError("object", field=self.path(name))
        return Fields(value, f"{self.path(name)}.")

    def list(self, name: str, *, required: bool = False, not_empty: bool = False) -> list | None:
        value = self._raw(name, required)
        if value is _MISSING:
            return None
        if not isinstance(value, list):
            raise ValidationError("list", field=self.path(name))
        if not_empty and not value:
            raise ValidationError("not_empty", field=self.path(name))
        return value

    def int_list(self, name: str, *, required: bool = False, not_empty: bool = False) -> list[int] | None:
        values = self.list(name, required=required, not_empty=not_empty)
        if values is None:
            return None
        for index, value in enumerate(values):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError("int", field=f"{self.path(name)}[{index}]")
        return list(dict.fromkeys(values))  # keep order, drop repeats

    def str_list(self, name: str) -> list[str] | None:
        values = self.list(name)
        if values is None:
            return None
        for index, value in enumerate(values):
            if not isinstance(value, str):
                raise ValidationError("str", field=f"{self.path(name)}[{index}]")
            if not value.strip():
                raise ValidationError("not_empty", field=f"{self.path(name)}[{index}]")
        return list(dict.fromkeys(values))


def page_args(body: Fields, *, required: bool, default_size: int, cap: int) -> tuple[int, int]:
    """`page` (from 0) and `size`; a size above the server's cap is silently capped.

    The offset is page × *effective* size, so a caller asking for size 5000 on page 1
    gets items 1000..1999, the way a server that clamps the size before paging would.
    """
    page = body.int("page", required=required, default=0, min=0)
    size = body.int("size", required=required, default=default_size, min=1)
    return page, min(size, cap)
