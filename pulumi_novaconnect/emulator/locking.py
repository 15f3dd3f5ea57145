"""The backend's two decorators: one lock for everything, so the HTTP threads and the queue
worker only ever see whole changes, and persistence after every change (`--state FILE`),
so a restart finds what the last answer promised.

They wrap functions that take the backend first: `Backend`'s own methods and the API
areas' functions it exposes under its names."""
from __future__ import annotations

import functools


def locked(fn):
    @functools.wraps(fn)
    def wrapper(backend, *args, **kwargs):
        with backend.lock:
            return fn(backend, *args, **kwargs)

    return wrapper


def mutating(fn):
    """Locked, and the state file is rewritten after the change (when there is one)."""

    @functools.wraps(fn)
    def wrapper(backend, *args, **kwargs):
        with backend.lock:
            result = fn(backend, *args, **kwargs)
            backend.version += 1  # what readers that keep an answer across calls compare with
            backend.persist()
            return result

    return wrapper
