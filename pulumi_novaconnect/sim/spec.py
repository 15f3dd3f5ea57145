"""What a SimConfig declares, checked against the platform's documented rules.

Sizes follow the vendor text (API.md, ``sim/limit`` and ``sim/tariff``): limits are in MB
and only for TC SIMs; traffic packages are 15360..102400 KB in steps of 5120 KB, i.e.
15..100 MB in steps of 5, and only for TD SIMs.
"""
from __future__ import annotations

import re
from typing import Any, Literal, Mapping, Optional

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator, model_validator

from ..provider.strict import Text, WholeNumber

ICCID_PATTERN = re.compile(r"^\d{19,20}$")
PACKAGE_MIN_MB, PACKAGE_MAX_MB, PACKAGE_STEP_MB = 15, 100, 5
ON_DELETE = ("retain", "block", "restore")
MANAGED_FIELDS = ("name", "groups", "blocked", "limit", "tariff")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LimitSpec(_Strict):
    """A TC SIM's traffic limit: ``off``, or ``month1`` with a monthly value in MB."""

    type: Literal["off", "month1"] = Field(description="`off` (no limit) or `month1` (calendar month).")
    value_mb: Optional[WholeNumber] = Field(default=None, ge=0, description="Monthly limit in MB (month1 only).")

    @model_validator(mode="after")
    def _value_matches_type(self) -> "LimitSpec":
        if self.type == "month1" and self.value_mb is None:
            raise ValueError("a month1 limit needs value_mb (the monthly limit in MB)")
        if self.type == "off" and self.value_mb not in (None, 0):
            raise ValueError("an `off` limit takes no value_mb; remove it or use type month1")
        return self


class TariffSpec(_Strict):
    """A TD SIM's traffic package."""

    package_mb: WholeNumber = Field(description="Package size in MB: 15..100 in steps of 5.")
    auto_package: StrictBool = Field(description="Renew the package automatically when it runs out.")
    all_world: Optional[StrictBool] = Field(
        default=None, description="Worldwide roaming (tariff TD_Mega); unmanaged when left out."
    )

    @field_validator("package_mb")
    @classmethod
    def _package_size(cls, value: int) -> int:
        if not (PACKAGE_MIN_MB <= value <= PACKAGE_MAX_MB) or value % PACKAGE_STEP_MB:
            raise ValueError(
                f"must be {PACKAGE_MIN_MB}..{PACKAGE_MAX_MB} MB in steps of {PACKAGE_STEP_MB} "
                f"(the platform sells 15360..102400 KB in steps of 5120 KB), got {value}"
            )
        return value

    @property
    def package_kb(self) -> int:
        return self.package_mb * 1024


class SimSpec(_Strict):
    """The desired state of one SIM. A field left ``None`` is not managed."""

    iccid: Text = Field(description="ICCID of the SIM to manage (19-20 digits).")
    name: Optional[Text] = Field(default=None, min_length=1, description="SIM name (sim/edit).")
    groups: Optional[tuple[Text, ...]] = Field(default=None, description="Exact set of group names.")
    blocked: Optional[StrictBool] = Field(default=None, description="The user block (block code `u`).")
    limit: Optional[LimitSpec] = None
    tariff: Optional[TariffSpec] = None
    on_delete: Literal["retain", "block", "restore"] = "retain"
    renew_expired_package: StrictBool = Field(
        default=False,
        description="Let `blocked=False` reach a TD SIM blocked `p` (package ran out) by buying a new "
        "package (sim/repackage). Off by default: it costs money.",
    )

    @field_validator("iccid")
    @classmethod
    def _iccid_shape(cls, value: str) -> str:
        value = value.strip()
        if not ICCID_PATTERN.match(value):
            raise ValueError(f"an ICCID is 19 or 20 digits, got {value!r}")
        return value

    @field_validator("groups")
    @classmethod
    def _group_names(cls, value: Optional[tuple[str, ...]]) -> Optional[tuple[str, ...]]:
        if value is None:
            return None
        names = [name.strip() for name in value]
        if any(not name for name in names):
            raise ValueError("group names must not be empty")
        # The set is what counts; a stable order keeps old and new inputs comparable.
        return tuple(sorted(set(names)))

    @model_validator(mode="after")
    def _limit_or_tariff(self) -> "SimSpec":
        if self.limit is not None and self.tariff is not None:
            raise ValueError(
                "limit and tariff contradict each other: `limit` is for TC SIMs, `tariff` for TD SIMs; set one"
            )
        return self

    def managed(self) -> dict[str, object]:
        """The managed fields with their desired values, as plain data."""
        data = self.model_dump(include=set(MANAGED_FIELDS))
        if data.get("groups") is not None:
            data["groups"] = list(data["groups"])
        return {key: value for key, value in data.items() if value is not None}


SETTINGS_FIELDS = MANAGED_FIELDS


def merged(defaults: Optional[Mapping[str, Any]], entry: Optional[Mapping[str, Any]]) -> dict[str, Any]:
    """A fleet entry's settings over the fleet's defaults: a field the entry sets wins whole
    (a declared ``limit`` replaces the default ``limit``, it is not merged key by key)."""
    out = {k: v for k, v in (defaults or {}).items() if v is not None and k in SETTINGS_FIELDS}
    out.update({k: v for k, v in (entry or {}).items() if v is not None})
    return out
