"""The backend's two method decorators: one lock for everything, and persistence after
every change (`--state FILE`)."""
from __future__ import annotations

import functools


def locked(fn):
    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        with self.lock:
            return fn(self, *args, **kwargs)

    return wrapper


def mutating(fn):
    """Locked, and the state file is rewritten after the change (when there is one)."""

    @functools.wraps(fn)
    def wrapper(self, *args, **kwargs):
        with self.lock:
            result = fn(self, *args, **kwargs)
            self.persist()
            return result

    return wrapper
