"""Bodies the platform POSTs to us, under the import path earlier releases documented.

The models live in :mod:`.models.webhooks` beside the other platform types; this module
keeps ``pulumi_novaconnect.client.webhooks`` importable for programs written against it.
"""
from .models.webhooks import *  # noqa: F401,F403
from .models.webhooks import __all__  # noqa: F401
