"""A distant platform's round trip, for benchmarks: loopback answers in microseconds,
which would make a thousand small calls look as cheap as one."""
from __future__ import annotations

import time

from flask import request


def delay_api_answers(seconds: float) -> None:
    """A `before_request` hook, bound to its delay with functools.partial. Only `/api/`:
    the control surface is not the platform, so it answers at once."""
    if request.path.startswith("/api/"):
        time.sleep(seconds)
