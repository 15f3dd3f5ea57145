"""Provider settings: where the platform is, how to authenticate, how long to wait.

Pulumi hands the whole stack configuration to the dynamic provider through
``configure()``; the program process (data sources) reads the same keys through
``pulumi.Config("novaconnect")``. Both go through :meth:`ProviderSettings.from_lookup`, so
the two processes agree on defaults, environment fallbacks and what a valid value is.

Every key is read the same way: stack config first, then its ``NOVACONNECT_*`` environment
variable (what a CI job sets from its secrets and variables), then the default. Every value
is checked here, once, before any call: a typo such as ``pollInterval: often`` or an
endpoint without ``https://`` is reported naming the key, its environment variable, the
expected form and the value given, instead of surfacing later as a bare ``ValueError`` or
as five retried connection failures. All problems are reported together, so one fix round
is enough.

A key the package does not read is a warning, not an error (Pulumi config is shared with
the program and other packages): ``novaconnect:endpiont`` would otherwise be ignored in
silence while the default endpoint is used. The warning names the closest known key
(difflib). It goes through ``pulumi.log.warn``: in the program's process that is the
engine's warning channel; the dynamic provider host has no engine connection, so the SDK
prints it to stderr as ``warning: ...``, and the engine shows every line a provider writes
to stderr in the output of ``pulumi preview`` and ``pulumi up``. Each text is given once
per process, however many provider pickles are configured.
"""
from __future__ import annotations

import dataclasses
import difflib
import json
import math
import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, NamedTuple, Optional
from urllib.parse import urlsplit

from pydantic import SecretStr

from ..client import DEFAULT_ENDPOINT, LANGUAGES
from ..errors import ConfigurationError

NAMESPACE = "novaconnect"
DEFAULT_CONVERGE_TIMEOUT = 300.0
DEFAULT_MAX_BATCH = 1000

ENV_ENDPOINT = "NOVACONNECT_ENDPOINT"
ENV_TOKEN = "NOVACONNECT_TOKEN"
ENV_LANG = "NOVACONNECT_LANG"
ENV_CONVERGE_TIMEOUT = "NOVACONNECT_CONVERGE_TIMEOUT"
ENV_POLL_INTERVAL = "NOVACONNECT_POLL_INTERVAL"
ENV_MAX_BATCH = "NOVACONNECT_MAX_BATCH"
ENV_REQUEST_TIMEOUT = "NOVACONNECT_REQUEST_TIMEOUT"
DEFAULT_REQUEST_TIMEOUT = 30.0
ENV_MAX_CHANGES = "NOVACONNECT_MAX_CHANGES"
ENV_MAX_BLOCKS = "NOVACONNECT_MAX_BLOCKS"
ENV_MAX_RELEASES = "NOVACONNECT_MAX_RELEASES"
ENV_CRITICAL_SIMS = "NOVACONNECT_CRITICAL_SIMS"
ENV_REVIEW_DIR = "NOVACONNECT_REVIEW_DIR"
ENV_IMPACT_LINES = "NOVACONNECT_IMPACT_LINES"
# The blast radius one `pulumi up` may have unless the stack (or one run) raises it: large
# enough for everyday edits of a fleet, small enough that a wrong default or a bad merge
# cannot block a whole estate of devices in the field at once.
DEFAULT_MAX_CHANGES = 1000
DEFAULT_MAX_BLOCKS = 100
DEFAULT_MAX_RELEASES = 100

# Every configuration key the package reads (without the namespace) and its environment
# variable; schema.json lists the same keys.
ENVIRONMENT = {
    "endpoint": ENV_ENDPOINT,
    "token": ENV_TOKEN,
    "lang": ENV_LANG,
    "convergeTimeout": ENV_CONVERGE_TIMEOUT,
    "pollInterval": ENV_POLL_INTERVAL,
    "maxBatch": ENV_MAX_BATCH,
    "requestTimeout": ENV_REQUEST_TIMEOUT,
    "maxChanges": ENV_MAX_CHANGES,
    "maxBlocks": ENV_MAX_BLOCKS,
    "maxReleases": ENV_MAX_RELEASES,
    "criticalSims": ENV_CRITICAL_SIMS,
    "reviewDir": ENV_REVIEW_DIR,
    "impactLines": ENV_IMPACT_LINES,
}
CONFIG_KEYS = tuple(ENVIRONMENT)
# The guardrails: for these, the environment variable wins over the stack config, so that one
# run can be let through (`NOVACONNECT_MAX_BLOCKS=250 pulumi up`) without a config commit.
GUARDRAIL_KEYS = ("maxChanges", "maxBlocks", "maxReleases")


class _Invalid(ValueError):
    """A value that does not have the expected form; the text says which form."""


class Raw(NamedTuple):
    """One key's value as given, and where it came from (None when neither source set it)."""

    key: str
    value: Optional[str]
    source: Optional[str]  # "config" | "environment" | None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _Invalid("a number of seconds greater than 0") from None
    if not math.isfinite(value) or value <= 0:
        raise _Invalid("a number of seconds greater than 0")
    return value


def _whole(text: str, least: int, expected: str) -> int:
    try:
        value = float(text)  # Pulumi may hand numbers over as "1000.0"
    except ValueError:
        raise _Invalid(expected) from None
    if not math.isfinite(value) or value < least or not value.is_integer():
        raise _Invalid(expected)
    return int(value)


def _batch(text: str) -> int:
    return _whole(text, 1, "a whole number of SIMs, at least 1")


def _count(text: str) -> int:
    return _whole(text, 0, "a whole number of SIMs, 0 or more")


def _iccids(text: str) -> frozenset[str]:
    # A YAML list in stack config reaches a provider as its JSON text; an environment
    # variable is more easily written with commas or spaces.
    expected = 'a list of ICCIDs (19 or 20 digits), like ["8997...", "8997..."] or "8997...,8997..."'
    try:
        items = json.loads(text) if text.strip().startswith("[") else re.split(r"[\s,]+", text.strip())
    except ValueError:
        raise _Invalid(expected) from None
    if not isinstance(items, list) or not all(isinstance(i, str) and re.fullmatch(r"\d{19,20}", i.strip())
                                              for i in items if str(i).strip()):
        raise _Invalid(expected)
    return frozenset(i.strip() for i in items if i.strip())


def _switch(text: str) -> bool:
    value = text.strip().lower()
    if value not in ("true", "false"):
        raise _Invalid("true or false")
    return value == "true"


def _folder(text: str) -> str:
    # Checked now: a file by that name would fail each preview's write, which says nothing.
    folder = os.path.expanduser(text.strip())
    if not folder or (os.path.exists(folder) and not os.path.isdir(folder)):
        raise _Invalid("a folder (made if it does not exist), not a file")
    return folder


def _endpoint(text: str) -> str:
    # Checked here rather than left to the first request: a malformed URL would otherwise
    # be retried as if the network were down, and the error would never name the key.
    expected = "an http:// or https:// URL with a host, such as " + DEFAULT_ENDPOINT
    try:
        parts = urlsplit(text.strip())
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError:
        raise _Invalid(expected) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in text.strip():
        raise _Invalid(expected)
    return text.strip().rstrip("/")


def _lang(text: str) -> str:
    if text not in LANGUAGES:
        raise _Invalid(" or ".join(f'"{code}"' for code in sorted(LANGUAGES)))
    return text


def _token(text: str) -> str:
    # A secret pasted with its trailing newline is the usual mistake; the value itself is
    # never quoted back (see _problem).
    if any(ch.isspace() for ch in text):
        raise _Invalid("an API token without spaces or line breaks")
    return text


def _problem(raw: Raw, expected: str) -> str:
    env = ENVIRONMENT[raw.key]
    given = "a value that is not shown (it is secret)" if raw.key == "token" else f'"{raw.value}"'
    if raw.source == "environment":
        origin = f"from the environment variable {env}"
    elif raw.key in GUARDRAIL_KEYS:
        origin = f"from the stack config; {env} wins over it for one run"
    else:
        origin = f"from the stack config, which wins over {env}"
    return f"{NAMESPACE}:{raw.key} must be {expected}, got {given} ({origin})"


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
    # Seconds one HTTP attempt may take; a slower answer is a timeout, which the client
    # retries like a dropped connection (a CI job behind a slow proxy raises it).
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    # How old a sim/list snapshot may be before a diff or check sweeps again.
    snapshot_ttl: float = 30.0
    # The guardrails on one `pulumi up` (sim/guardrails.py), and where previews write their
    # digests for a CI job (sim/review.py).
    max_changes: int = DEFAULT_MAX_CHANGES
    max_blocks: int = DEFAULT_MAX_BLOCKS
    max_releases: int = DEFAULT_MAX_RELEASES
    critical_sims: frozenset[str] = frozenset()
    review_dir: Optional[str] = None
    # Whether a preview's digest reads the platform's reports for what the change does to
    # working devices (sim/impact.py): one report sweep each; off for a job that only wants
    # the counts.
    impact_lines: bool = True

    @classmethod
    def from_stack_config(cls, config: Any) -> "ProviderSettings":
        """Settings from the whole stack configuration ``configure()`` receives (the SDK's
        ``pulumi.dynamic.Config``, or a plain mapping of namespaced keys), warning about
        keys of the ``novaconnect`` namespace that the package does not read."""
        warn_unknown_keys(stack_keys(config), project=getattr(config, "_project_name", None))
        return cls.from_lookup(config.get, keys=())

    @classmethod
    def from_lookup(cls, get: Callable[[str], Any], keys: Optional[Iterable[str]] = None) -> "ProviderSettings":
        """Build and check settings from a ``key -> value`` lookup over namespaced config keys.

        ``get("novaconnect:token")`` etc.; each key's environment variable fills what config
        leaves out, then the default. Raises one :class:`ConfigurationError` listing every
        value that does not have its expected form. ``keys`` are every key of the stack
        config, for the unknown-key warning; when not given and ``get`` is the ``get`` of
        the stack configuration (``req.config.get`` in ``configure()``), they are read from it.
        """
        if keys is None:
            owner = getattr(get, "__self__", None)
            if owner is not None:
                warn_unknown_keys(stack_keys(owner), project=getattr(owner, "_project_name", None))
        else:
            warn_unknown_keys(keys)
        problems: list[str] = []

        def read(key: str, parse: Callable[[str], Any], default: Any) -> Any:
            raw = _raw(get, key)
            if raw.value is None:
                return default
            try:
                return parse(raw.value)
            except _Invalid as exc:
                problems.append(_problem(raw, str(exc)))
                return default

        endpoint = read("endpoint", _endpoint, DEFAULT_ENDPOINT)
        token = read("token", _token, "")
        lang = read("lang", _lang, "en")
        timeout = read("convergeTimeout", _seconds, DEFAULT_CONVERGE_TIMEOUT)
        # Unset, the interval follows the timeout so that a short timeout still gets looks.
        poll = read("pollInterval", _seconds, None)
        max_batch = read("maxBatch", _batch, DEFAULT_MAX_BATCH)
        request_timeout = read("requestTimeout", _seconds, DEFAULT_REQUEST_TIMEOUT)
        max_changes = read("maxChanges", _count, DEFAULT_MAX_CHANGES)
        max_blocks = read("maxBlocks", _count, DEFAULT_MAX_BLOCKS)
        max_releases = read("maxReleases", _count, DEFAULT_MAX_RELEASES)
        critical = read("criticalSims", _iccids, frozenset())
        review_dir = read("reviewDir", _folder, None)
        impact = read("impactLines", _switch, True)
        if problems:
            raise ConfigurationError("; ".join(problems))
        return cls(
            endpoint=endpoint,
            token=SecretStr(token),
            lang=lang,
            converge_timeout=timeout,
            poll_interval=poll if poll is not None else min(1.0, timeout / 10),
            max_batch=max_batch,
            request_timeout=request_timeout,
            max_changes=max_changes,
            max_blocks=max_blocks,
            max_releases=max_releases,
            critical_sims=critical,
            review_dir=review_dir,
            impact_lines=impact,
        )

    @classmethod
    def from_program_config(cls) -> "ProviderSettings":
        """Settings as the Pulumi program sees them (used by the data-source functions)."""
        import pulumi
        from pulumi.runtime import config as runtime_config

        config = pulumi.Config(NAMESPACE)
        keys = set(runtime_config.CONFIG.get()) | set(runtime_config.get_config_env())
        warn_unknown_keys(keys, project=pulumi.get_project())
        return cls.from_lookup(lambda key: config.get(key.split(":", 1)[1]), keys=())

    def require_token(self) -> str:
        value = self.token.get_secret_value()
        if not value:
            raise ConfigurationError(
                "no NovaConnect token: set it with `pulumi config set --secret novaconnect:token <token>` "
                f"or the {ENV_TOKEN} environment variable"
            )
        return value


@dataclass(frozen=True)
class Connection:
    """Another NovaConnect account, for one resource: its own endpoint and token (and,
    optionally, language) in place of the stack's. Everything else (timeouts, guardrails,
    batch size) stays the stack's."""

    endpoint: str
    token: SecretStr
    lang: Optional[str] = None

    @classmethod
    def parse(cls, value: Mapping[str, Any], owner: str) -> "Connection":
        """The ``connection`` input as the provider receives it; one ConfigurationError
        naming the resource and each field that does not have its form (never the token)."""
        problems, parsed = [], {}
        for key, parse, required in (("endpoint", _endpoint, True), ("token", _token, True), ("lang", _lang, False)):
            raw = value.get(key)
            if raw is None and not required:
                continue
            if raw is None or not isinstance(raw, str):
                problems.append(f"connection.{key} is required" if raw is None else f"connection.{key} must be text")
                continue
            if not raw.strip():
                problems.append(f"connection.{key} is empty: give the account's {key}")
                continue
            try:
                parsed[key] = parse(raw)
            except _Invalid as exc:
                shown = "a value that is not shown (it is secret)" if key == "token" else f'"{raw}"'
                problems.append(f"connection.{key} must be {exc}, got {shown}")
        if problems:
            raise ConfigurationError(f"{owner}: " + "; ".join(problems))
        return cls(endpoint=parsed["endpoint"], token=SecretStr(parsed["token"]), lang=parsed.get("lang"))

    def applied_to(self, settings: "ProviderSettings") -> "ProviderSettings":
        return dataclasses.replace(settings, endpoint=self.endpoint, token=self.token, lang=self.lang or settings.lang)


def _raw(get: Callable[[str], Any], key: str) -> Raw:
    """The value of ``key`` from config, else from its environment variable; blank is unset
    (a guardrail reads its environment variable first: one run's override)."""
    if key in GUARDRAIL_KEYS:
        value = os.environ.get(ENVIRONMENT[key])
        if value is not None and value.strip() != "":
            return Raw(key, value, "environment")
    value = get(f"{NAMESPACE}:{key}")
    if value is not None and str(value).strip() != "":
        return Raw(key, str(value), "config")
    value = os.environ.get(ENVIRONMENT[key])
    if value is not None and value.strip() != "":
        return Raw(key, value, "environment")
    return Raw(key, None, None)


# -- keys nobody reads ----------------------------------------------------------------------

_warned: set[str] = set()
_warned_lock = threading.Lock()


def stack_keys(config: Any) -> list[str]:
    """Every key of a stack configuration: a mapping's keys, or those of the SDK's
    ``pulumi.dynamic.Config`` (which keeps them in ``_props`` and offers no public list)."""
    if isinstance(config, Mapping):
        return [str(k) for k in config]
    props = getattr(config, "_props", None)
    return [str(k) for k in props] if isinstance(props, Mapping) else []


def _normal(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def _closest(name: str) -> Optional[str]:
    """The known key ``name`` was probably meant to be: same letters ignoring case and
    separators (``poll_interval``), else the closest spelling (``endpiont``)."""
    for known in CONFIG_KEYS:
        if _normal(known) == _normal(name):
            return known
    close = difflib.get_close_matches(name, CONFIG_KEYS, n=1, cutoff=0.6)
    if not close:
        by_normal = {_normal(k): k for k in CONFIG_KEYS}
        close = [by_normal[m] for m in difflib.get_close_matches(_normal(name), list(by_normal), n=1, cutoff=0.6)]
    return close[0] if close else None


def unknown_key_warnings(keys: Iterable[str], project: Optional[str] = None) -> list[str]:
    """One line per key that looks meant for this package but is not one it reads:
    ``novaconnect:<unknown>``, or a known key under a misspelt namespace (``novaconect:token``)
    other than the project's own."""
    found: list[str] = []
    for key in sorted(set(keys)):
        namespace, sep, name = key.partition(":")
        if not sep:
            continue
        if namespace == NAMESPACE:
            if name in CONFIG_KEYS:
                continue
            guess = _closest(name)
            hint = f"did you mean {NAMESPACE}:{guess}?" if guess else f"the settings are {', '.join(CONFIG_KEYS)}"
            found.append(f"{key} is not a setting of pulumi-novaconnect, so it is ignored: {hint}")
        elif namespace != project and difflib.SequenceMatcher(None, namespace.lower(), NAMESPACE).ratio() >= 0.85:
            guess = _closest(name)
            if guess:
                found.append(f"{key} is ignored: pulumi-novaconnect reads the namespace {NAMESPACE}, "
                             f"did you mean {NAMESPACE}:{guess}?")
    return found


def warn_unknown_keys(keys: Iterable[str], project: Optional[str] = None) -> None:
    """Warn, once per process, about each key :func:`unknown_key_warnings` finds."""
    lines = unknown_key_warnings(keys, project)
    with _warned_lock:
        fresh = [line for line in lines if line not in _warned]
        _warned.update(fresh)
    if fresh:
        import pulumi

        for line in fresh:
            pulumi.log.warn(line)
