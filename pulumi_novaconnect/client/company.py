"""The company: ``company/get``."""
from __future__ import annotations

from .core import ClientCore
from .models import Company

__all__ = ["CompanyAPI"]


class CompanyAPI(ClientCore):
    """Methods of the ``company/*`` area."""

    def company_get(self) -> Company:
        """POST company/get — the company the token belongs to."""
        return self._call("company/get", {}, parse=lambda answer: self._item("company/get", answer, Company))
