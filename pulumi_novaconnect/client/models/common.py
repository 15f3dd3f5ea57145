"""Shapes shared by many methods: a page of a list, a queue ticket."""
from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import ConfigDict, Field

from ._base import NovaModel

__all__ = ["Page", "QueueTicket"]

T = TypeVar("T")


class Page(NovaModel, Generic[T]):
    """One page of a list method: ``count`` items here of ``all_count`` in the database."""

    count: int = Field(description="Number of items in this answer.")
    all_count: int = Field(description="Number of matching items in the database.")
    items: list[T] = Field(default_factory=list, description="The items of this page.")


class QueueTicket(NovaModel):
    """The answer of a queued sim/* method.

    There is no method to poll a queue id (decision 2): completion is known from the
    webhook sent to `callbackUrl`, or by reading sim/list until the SIM shows the change.
    """

    # The vendor types queue_id as a string; a numeric one is accepted and kept as text.
    model_config = ConfigDict(coerce_numbers_to_str=True)

    queue_id: str = Field(description="Id of the queued task (the `qid` of its webhook).")
    message: str | None = Field(default=None, description="The platform's message for the call.")
