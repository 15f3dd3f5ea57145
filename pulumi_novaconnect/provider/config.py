"""Provider settings: where the platform is, how to authenticate, how long to wait.

Pulumi hands the whole stack configuration to the dynamic provider through
``configure()`` ; the program process
reads the same keys through ``pulumi.Config("novaconnect")``. Both end up here, so the
two processes agree on defaults and environment fallbacks.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from pydantic import SecretStr

from ..client import DEFAULT_ENDPOINT, LANGUAGES
from ..errors import ConfigurationError

DEFAULT_CONVERGE_TIMEOUT = 300.0

ENV_ENDPOINT = "NOVACONNECT_ENDPOINT"
ENV_TOKEN = "NOVACONNECT_TOKEN"
ENV_LANG = "NOVACONNECT_LANG"

NAMESPACE = "novaconnect"
# Every configuration key the package reads (without the namespace); schema.json lists the same.
CONFIG_KEYS = ("endpoint", "token", "lang", "convergeTimeout", "pollInterval", "maxBatch")
DEFAULT_MAX_BATCH = 1000


@dataclass(frozen=True)
class ProviderSettings:
    """Everything a provider process needs to reach NovaConnect.

    The token is a :class:`~pydantic.SecretStr` so that neither ``repr`` nor a traceback
    that prints locals can show it.
    """

    endpoint: str = DEFAULT_ENDPOINT
    token: SecretStr = field(default_factory=lambda: SecretStr(""))
    lang: str = "en"
    converge_timeout: float = DEFAULT_CONVERGE_TIMEOUT
    # How often a resource waiting for the queue looks at sim/list again. Every waiter in
    # the process shares one sweep per interval (see snapshot.py), so this bounds the load.
    poll_interval: float = 1.0
    # At most this many SIM ids in one queued call's `items`; larger groups are split.
    max_batch: int = DEFAULT_MAX_BATCH
    # How old a sim/list snapshot may be before a diff or check sweeps again.
    snapshot_ttl: float = 30.0

    @classmethod
    def from_lookup(cls, get: Callable[[str], Any]) -> "ProviderSettings":
        """Build settings from a ``key -> value`` lookup over namespaced config keys.

        ``get("novaconnect:token")`` etc.; environment variables fill what config leaves out.
        """
        endpoint = get(f"{NAMESPACE}:endpoint") or os.environ.get(ENV_ENDPOINT) or DEFAULT_ENDPOINT
        token = get(f"{NAMESPACE}:token") or os.environ.get(ENV_TOKEN) or ""
        lang = get(f"{NAMESPACE}:lang") or os.environ.get(ENV_LANG) or "en"
        if lang not in LANGUAGES:
            raise ConfigurationError(f"novaconnect:lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
        raw_timeout = get(f"{NAMESPACE}:convergeTimeout")
        try:
            timeout = float(raw_timeout) if raw_timeout not in (None, "") else DEFAULT_CONVERGE_TIMEOUT
        except (TypeError, ValueError):
            raise ConfigurationError(
                f"novaconnect:convergeTimeout must be a number of seconds, not {raw_timeout!r}"
            ) from None
        if timeout <= 0:
            raise ConfigurationError("novaconnect:convergeTimeout must be greater than 0 seconds")
        poll = get(f"{NAMESPACE}:pollInterval")
        raw_batch = get(f"{NAMESPACE}:maxBatch")
        try:
            max_batch = int(float(raw_batch)) if raw_batch not in (None, "") else DEFAULT_MAX_BATCH
        except (TypeError, ValueError):
            raise ConfigurationError(f"novaconnect:maxBatch must be a whole number of SIMs, not {raw_batch!r}") from None
        if max_batch < 1:
            raise ConfigurationError(f"novaconnect:maxBatch must be at least 1, not {raw_batch!r}")
        return cls(
            endpoint=str(endpoint).rstrip("/"),
            token=SecretStr(str(token)),
            lang=lang,
            converge_timeout=timeout,
            poll_interval=float(poll) if poll not in (None, "") else min(1.0, timeout / 10),
            max_batch=max_batch,
        )

    @classmethod
    def from_program_config(cls) -> "ProviderSettings":
        """Settings as the Pulumi program sees them (used by the data-source functions)."""
        import pulumi

        config = pulumi.Config(NAMESPACE)

        def get(key: str) -> Optional[str]:
            return config.get(key.split(":", 1)[1])

        return cls.from_lookup(get)

    def require_token(self) -> str:
        value = self.token.get_secret_value()
        if not value:
            raise ConfigurationError(
                "no NovaConnect token: set it with `pulumi config set --secret novaconnect:token <token>` "
                f"or the {ENV_TOKEN} environment variable"
            )
        return value
