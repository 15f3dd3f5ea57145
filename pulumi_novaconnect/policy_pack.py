"""The NovaConnect policy pack: the stack guardrails (``novaconnect:maxChanges``,
``maxBlocks``, ``maxReleases``, ``criticalSims``), enforced by an organisation under
``pulumi preview --policy-pack`` whatever a stack's own config says.

    novaconnect-policy-pack DIR [--force]
    pulumi preview --policy-pack DIR [--policy-pack-config limits.json]

The command writes the pack's folder (``PulumiPolicy.yaml``, ``__main__.py``,
``requirements.txt``); the pack runs in the Python environment the command ran in (the
folder names it as the pack's ``virtualenv``), which needs the ``policy`` extra
(``pip install 'pulumi-novaconnect[policy]'``). ``pulumi policy publish DIR`` from that folder
makes it an organisation's pack.

How the pack knows our resources: every Python dynamic resource has the one engine type
``pulumi-python:dynamic`` (a module and name at most follow it, which anyone may choose), so
the pack goes by what ours declare. Check puts a
summary of each SIM resource's review in its inputs (``__review``, schema
``novaconnect-radius/1``): the SIMs it changes, blocks and lets go, and the changes a critical
SIM refuses. A pack sees a resource's checked inputs, never the provider's diff, so that
summary is how the provider's plan reaches it; the rules themselves are the provider's own
(sim/guardrails.py), summed over the stack's resources in the pack's process as the provider
sums them in its own.

Config (``--policy-pack-config``, or the organisation's pack settings), under the policy
``novaconnect-guardrails``: ``maxChanges``, ``maxBlocks``, ``maxReleases`` (the provider's
defaults when unset) and ``criticalSims`` (ICCIDs). A breach is a mandatory violation: the
preview fails and nothing is written.
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
from pathlib import Path
from typing import Any, Callable, Mapping, Optional, Sequence

from . import __version__
from .provider.config import ProviderSettings
from .sim.guardrails import (CRITICAL_LISTED, REVIEW_KEY, SUMMARY_SCHEMA, Limits, Tally, critical_breach, from_summary,
                             limit_breach)

PACK = "novaconnect"
POLICY = "novaconnect-guardrails"
# What the engine type of every Python dynamic resource starts with (ours add
# `/novaconnect:SimFleet` and the like, but so may anyone's).
DYNAMIC_TYPE = "pulumi-python:dynamic"
LIMIT_KEYS = {"maxChanges": "max_changes", "maxBlocks": "max_blocks", "maxReleases": "max_releases"}

CONFIG_SCHEMA = {
    **{key: {"type": "integer", "minimum": 0, "description": f"The stack's {key}, whatever its own config says."}
       for key in LIMIT_KEYS},
    "criticalSims": {"type": "array", "items": {"type": "string"},
                     "description": "ICCIDs never to block, let go of, or give another limit or tariff."},
}


def limits_from(config: Mapping[str, Any]) -> Limits:
    """The pack's limits: its config where set, the provider's defaults elsewhere."""
    defaults = Limits.of(ProviderSettings())
    values = {setting: int(config[key]) if config.get(key) is not None else getattr(defaults, setting)
              for key, setting in LIMIT_KEYS.items()}
    return Limits(**values, critical_sims=frozenset(str(i).strip() for i in config.get("criticalSims") or ()))


class Guardrails:
    """The rule the pack applies to each resource, with the stack's running total."""

    def __init__(self) -> None:
        self.tally = Tally()
        self._lock = threading.Lock()

    def violations(self, urn: str, props: Mapping[str, Any], config: Mapping[str, Any]) -> list[str]:
        """What the resource's change breaks (nothing for a resource that is not ours, or
        whose change check could not yet know: unknown inputs at preview)."""
        raw = props.get(REVIEW_KEY)
        if not isinstance(raw, str):
            return []
        try:
            found = json.loads(raw)
        except ValueError:
            return []
        if not isinstance(found, dict) or found.get("schema") != SUMMARY_SCHEMA:
            return []
        limits = limits_from(config)
        owner = str(found.get("resource") or urn)
        radius, touches, not_listed = from_summary(found)
        where = f"{POLICY}.criticalSims"
        refused = critical_breach(owner, touches, limits.critical_sims, where)
        if refused:
            return [refused]
        if not_listed and limits.critical_sims:
            return [f"{owner}: this change would block, let go of, or change the limit or tariff of "
                    f"{len(touches) + not_listed:,} SIMs, more than the {CRITICAL_LISTED:,} the pack can check "
                    f"against {where}; nothing was changed. Split the change into smaller ones"]
        with self._lock:
            over = limit_breach(owner, radius, self.tally.record(urn, radius), limits)
        if not over:
            return []
        what, key, count, limit = over
        return [f"{what}, over the policy pack's {POLICY}.{key} = {limit:,}; nothing was changed. If the change "
                f"is meant, raise {key} in the pack's config (`--policy-pack-config`, or the organisation's "
                f"settings of the pack) to at least {count:,} for this run"]


def policies(rule: Optional[Guardrails] = None) -> list[Any]:
    """The pack's policies (needs ``pulumi-policy``: the ``policy`` extra)."""
    from pulumi_policy import EnforcementLevel, PolicyConfigSchema, ResourceValidationPolicy

    rule = rule or Guardrails()

    def validate(args: Any, report_violation: Callable[..., None]) -> None:
        if not str(args.resource_type).startswith(DYNAMIC_TYPE):
            return
        for message in rule.violations(args.urn, args.props, args.get_config() or {}):
            report_violation(message)

    return [ResourceValidationPolicy(
        name=POLICY,
        description="Limits on how many NovaConnect SIMs one `pulumi up` may change, block and let go of, and "
                    "SIMs never to block, let go of, or give another limit or tariff.",
        enforcement_level=EnforcementLevel.MANDATORY,
        validate=validate,
        config_schema=PolicyConfigSchema(properties=CONFIG_SCHEMA),
    )]


def serve() -> None:
    """Run the pack: the folder's ``__main__.py`` calls this; the engine talks to it over gRPC."""
    from pulumi_policy import PolicyPack

    PolicyPack(name=PACK, policies=policies())


# -- novaconnect-policy-pack: write the pack's folder ---------------------------------------

MAIN = '''"""The NovaConnect policy pack (written by novaconnect-policy-pack)."""
from pulumi_novaconnect.policy_pack import serve

serve()
'''


def pack_files(python_env: Optional[str]) -> dict[str, str]:
    """The folder's files; ``python_env`` is the virtualenv the pack runs in (None: the
    Python on PATH, as the pack's language host picks it)."""
    runtime = ("runtime:\n  name: python\n  options:\n    virtualenv: " + json.dumps(python_env) + "\n"
               if python_env else "runtime: python\n")
    return {
        "PulumiPolicy.yaml": f"{runtime}name: {PACK}\nversion: {__version__}\n"
                             "description: NovaConnect guardrails on how many SIMs one `pulumi up` may change\n",
        "__main__.py": MAIN,
        "requirements.txt": f"pulumi-novaconnect[policy]=={__version__}\n",
    }


def _current_env() -> Optional[str]:
    return sys.prefix if sys.prefix != sys.base_prefix else None


def write_pack(folder: Path, *, force: bool = False, python_env: Optional[str] = None) -> list[Path]:
    """Write the pack into ``folder``; a file there already is kept unless ``force``."""
    files = pack_files(python_env)
    there = [folder / name for name in files if (folder / name).exists()]
    if there and not force:
        raise FileExistsError(
            f"{folder} already has {', '.join(p.name for p in there)}; nothing was written. Pass --force to replace "
            "them, or choose another folder")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="novaconnect-policy-pack",
        description="Write the NovaConnect policy pack into DIR, to run with `pulumi preview --policy-pack DIR`.")
    parser.add_argument("dir", type=Path, help="the folder to write the pack into")
    parser.add_argument("--force", action="store_true", help="replace the pack's files if DIR has them")
    args = parser.parse_args(argv)
    try:
        written = write_pack(args.dir, force=args.force, python_env=_current_env())
    except (FileExistsError, OSError) as exc:
        print(f"novaconnect-policy-pack: {exc}", file=sys.stderr)
        return 1
    try:
        import pulumi_policy  # noqa: F401 - only to tell the user now rather than at their next preview
    except ImportError:
        print("note: pulumi-policy is not installed in this environment, which the pack runs in; install it with "
              "`pip install 'pulumi-novaconnect[policy]'`", file=sys.stderr)
    print(f"Wrote the NovaConnect policy pack to {args.dir} ({', '.join(p.name for p in written)}); run it with "
          f"`pulumi preview --policy-pack {args.dir}`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
