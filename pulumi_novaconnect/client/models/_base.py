"""The base every platform model derives from."""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class NovaModel(BaseModel):
    """A platform object as the API renders it.

    ``extra="allow"``: the vendor adds fields without notice (``user/get`` already answers
    with undocumented ``count``/``all_count``), so unknown fields are kept, not rejected.
    """

    model_config = ConfigDict(extra="allow", populate_by_name=True)
