"""What may be declared for a SIM, checked against the platform's documented rules.

The managed settings are the field model's (fields.py): :func:`spec_model` builds the
declaration model of a field set, and :data:`SimSpec` is the one of the package's fields.
A field left ``None`` is not managed.
"""
from __future__ import annotations

import functools
import re
from typing import Any, ClassVar, Literal, Mapping, Optional

from pydantic import BaseModel, ConfigDict, Field, StrictBool, create_model, field_validator, model_validator

from ..provider.strict import Text
from .fields import PACKAGE_MAX_MB, PACKAGE_MIN_MB, PACKAGE_STEP_MB, SIM_FIELDS, FieldSet, LimitSpec, TariffSpec

__all__ = ["ICCID_PATTERN", "MANAGED_FIELDS", "ON_DELETE", "PACKAGE_MAX_MB", "PACKAGE_MIN_MB", "PACKAGE_STEP_MB",
           "SETTINGS_FIELDS", "LimitSpec", "SimSpec", "TariffSpec", "merged", "spec_model"]

ICCID_PATTERN = re.compile(r"^\d{19,20}$")
ON_DELETE = ("retain", "block", "restore")
MANAGED_FIELDS = SIM_FIELDS.names
SETTINGS_FIELDS = MANAGED_FIELDS


class SpecRules(BaseModel):
    """The rules of a declaration beyond each field's own: the ICCID's shape, and the fields
    that belong to different profiles (a SIM has one profile, so at most one of them)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    field_set: ClassVar[FieldSet] = SIM_FIELDS  # the fields of each built model

    @field_validator("iccid", check_fields=False)
    @classmethod
    def _iccid_shape(cls, value: str) -> str:
        value = value.strip()
        if not ICCID_PATTERN.match(value):
            raise ValueError(f"an ICCID is 19 or 20 digits, got {value!r}")
        return value

    @model_validator(mode="after")
    def _one_profile(self) -> "SpecRules":
        fields = type(self).field_set
        given = [f for f in fields if f.profile is not None and getattr(self, f.name) is not None]
        for first in given:
            other = next((f for f in given if f.profile != first.profile), None)
            if other is not None:
                raise ValueError(
                    f"{first.name} and {other.name} contradict each other: `{first.name}` is for {first.profile} "
                    f"SIMs, `{other.name}` for {other.profile} SIMs; set one"
                )
        return self

    def managed(self) -> dict[str, object]:
        """The managed fields with their desired values, as plain data."""
        names = type(self).field_set.names
        data = self.model_dump(include=set(names))
        if data.get("groups") is not None:
            data["groups"] = list(data["groups"])
        return {key: data[key] for key in names if data.get(key) is not None}


@functools.lru_cache(maxsize=None)
def spec_model(fields: FieldSet) -> type[SpecRules]:
    """The declaration model of a field set: the ICCID, each field (optional: None is not
    managed), and what letting the SIM go does."""
    settings = {f.name: (Optional[f.annotation], Field(default=None, description=f.doc, **dict(f.constraints)))
                for f in fields}
    model = create_model(  # type: ignore[call-overload]
        "SimSpec",
        __base__=SpecRules,
        __module__=__name__,
        iccid=(Text, Field(description="ICCID of the SIM to manage (19-20 digits).")),
        **settings,
        on_delete=(Literal["retain", "block", "restore"], "retain"),
        renew_expired_package=(StrictBool, Field(
            default=False,
            description="Let `blocked=False` reach a TD SIM blocked `p` (package ran out) by buying a new "
            "package (sim/repackage). Off by default: it costs money.",
        )),
    )
    model.field_set = fields
    return model


SimSpec = spec_model(SIM_FIELDS)


def merged(defaults: Optional[Mapping[str, Any]], entry: Optional[Mapping[str, Any]]) -> dict[str, Any]:
    """A fleet entry's settings over the fleet's defaults: a field the entry sets wins whole
    (a declared ``limit`` replaces the default ``limit``, it is not merged key by key)."""
    out = {k: v for k, v in (defaults or {}).items() if v is not None and k in SETTINGS_FIELDS}
    out.update({k: v for k, v in (entry or {}).items() if v is not None})
    return out
