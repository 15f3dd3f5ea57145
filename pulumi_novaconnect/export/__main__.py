"""``novaconnect-export``: write the live account as an inventory and a Pulumi program, or
check an inventory for drift.

    novaconnect-export --out DIR [--format csv|yaml] [--group NAME] [--profile TC|TD] [--query TEXT]
    novaconnect-export --check DIR

The endpoint and token come from ``NOVACONNECT_ENDPOINT`` and ``NOVACONNECT_TOKEN`` (the
same variables, checks and defaults as the provider), or ``--endpoint``; a token is never
taken on the command line, where shell history and process lists would keep it. A plain
user's token is enough: the export only reads. Exit codes: 0 done (``--check``: no
drift), 2 drift found, 1 error.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional, Sequence

from .. import __version__
from ..client import DEFAULT_ENDPOINT, NovaConnectClient
from ..client.errors import NovaConnectError
from ..errors import ResourceError
from ..provider.config import ProviderSettings
from . import check_inventory, export_account
from .account import Filters
from .check import report

OK, ERROR, DRIFT = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="novaconnect-export",
        description="Write the live NovaConnect account as an inventory and a ready Pulumi program that adopts "
        "it with no changes, or compare an inventory with the account (--check).",
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--out", type=Path, metavar="DIR", help="folder to write inventory and program into")
    what.add_argument("--check", type=Path, metavar="DIR",
                      help="compare DIR's inventory (or an inventory file) with the live account; exit 0 none, 2 drift")
    parser.add_argument("--format", choices=("csv", "yaml"), default="csv", help="inventory format (default csv)")
    parser.add_argument("--group", help="only SIMs in this group (exact name)")
    parser.add_argument("--profile", choices=("TC", "TD"), help="only SIMs of this profile")
    parser.add_argument("--query", help="only SIMs the platform's search matches (ICCID, number or name)")
    parser.add_argument("--project", default="novaconnect-account", help="Pulumi project name of the program")
    parser.add_argument("--endpoint", help=f"API base URL (default: $NOVACONNECT_ENDPOINT, else {DEFAULT_ENDPOINT})")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _client(endpoint: Optional[str]) -> NovaConnectClient:
    settings = ProviderSettings.from_lookup(lambda key: endpoint if key == "novaconnect:endpoint" else None)
    return NovaConnectClient(endpoint=settings.endpoint, token=settings.require_token(), lang=settings.lang)


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = _parser().parse_args(argv)
    try:
        with _client(args.endpoint) as api:
            if args.check is not None:
                drift = check_inventory(api, args.check)
                print(report(drift))
                return DRIFT if drift.found else OK
            done = export_account(
                api, args.out, filters=Filters(group=args.group, profile=args.profile, query=args.query),
                fmt=args.format, project=args.project, default_endpoint=DEFAULT_ENDPOINT,
            )
    except (ResourceError, NovaConnectError, OSError) as exc:
        print(f"novaconnect-export: {exc}", file=sys.stderr)
        return ERROR
    for item in done.skipped:
        print(f"left out {item.what}: {item.why}", file=sys.stderr)
    print(f"wrote {done.inventory} ({done.sim_count:,} SIMs) and a Pulumi program into {done.directory}; "
          f"run `pulumi up` there to adopt the account (no change is made to it)")
    return OK


if __name__ == "__main__":
    sys.exit(main())
