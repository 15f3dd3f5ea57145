"""Errors the resources raise. Each names the object, the field and the rule.

The dynamic host turns an exception into the traceback text the CLI prints, so the
message itself (the last line) must read as a complete sentence.
"""
from __future__ import annotations


class ResourceError(Exception):
    """Base of every error a NovaConnect resource raises."""


class ConfigurationError(ResourceError):
    """The provider cannot talk to NovaConnect with the configuration it was given."""


class NotFoundOnPlatform(ResourceError):
    """The object a resource refers to is not on the NovaConnect account."""


class AlreadyExists(ResourceError):
    """Create found the object already there and was not asked to adopt it."""


class Unreachable(ResourceError):
    """The declared state is one the API cannot produce; nothing was changed."""


class OperationFailed(ResourceError):
    """A platform call failed part way; what was already queued is named."""


class NotConverged(ResourceError):
    """The queue did not bring the SIM to the declared state in time."""


class FleetNotConverged(ResourceError):
    """Some SIMs of a fleet did not reach the declared state; each is named with its cause."""
