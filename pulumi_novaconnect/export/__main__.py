"""``novaconnect-export``: write the live account as an inventory and a Pulumi program, or
check an inventory for drift.

    novaconnect-export --out DIR [--force] [--format csv|yaml] [--group NAME] [--profile TC|TD] [--query TEXT]
    novaconnect-export --check DIR|FILE

The endpoint and token come from ``NOVACONNECT_ENDPOINT`` and ``NOVACONNECT_TOKEN`` (the
same variables, checks and defaults as the provider), or ``--endpoint``; a token is never
taken on the command line, where shell history and process lists would keep it. A plain
user's token is enough: the export only reads.

Exit codes, distinct so that a drift job can tell "the account moved" from "the job is
broken" (``sysexits.h`` gives the usage code):

- 0: done; with ``--check``, no drift;
- 1: error: the message on stderr is one line saying what was wrong and what to do
  (a folder in use, an unknown group, an inventory that cannot be read, no token, the
  platform unreachable); nothing was written;
- 2: ``--check`` found drift (the report is on stdout);
- 64 (EX_USAGE): the command line itself is wrong (a missing or unknown option, an option
  that does not go with ``--check``);
- 130: interrupted (Ctrl-C); nothing was written.
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import NoReturn, Optional, Sequence

from .. import __version__
from ..client import DEFAULT_ENDPOINT, NovaConnectClient
from ..client.errors import NovaConnectError
from ..client.models import PROFILE_TC, PROFILE_TD
from ..errors import ResourceError
from ..provider.config import ProviderSettings
from . import check_inventory, export_account
from .account import Filters
from .check import report
from .errors import ExportError, one_line

OK, ERROR, DRIFT, USAGE, INTERRUPTED = 0, 1, 2, 64, 130
PROG = "novaconnect-export"

EPILOG = f"""\
exit codes:
  {OK}    done (--check: no drift)
  {ERROR}    error: one line on stderr says what was wrong and what to do; nothing was written
  {DRIFT}    --check found drift (reported on stdout)
  {USAGE}   usage error: the command line is wrong (EX_USAGE)
  {INTERRUPTED}  interrupted; nothing was written

environment: NOVACONNECT_TOKEN (required; a read-only token is enough), NOVACONNECT_ENDPOINT
"""

# Options that only shape an export; given with --check they would be silently ignored.
PROJECT_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,100}$")
"""What `pulumi` accepts as a project name in Pulumi.yaml."""
EXPORT_ONLY = ("force", "format", "group", "profile", "query", "project")


class UsageError(Exception):
    """The command line is wrong; exits with USAGE."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse would print usage and exit 2, our drift code
        raise UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Write the live NovaConnect account as an inventory and a ready Pulumi program that\n"
        "adopts it with no changes, or compare an inventory with the account (--check).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--out", type=Path, metavar="DIR",
                      help="new or empty folder to write the inventory and program into")
    what.add_argument("--check", type=Path, metavar="DIR",
                      help="compare the inventory DIR's program reads (or an inventory file) with the live account; "
                      "exit 0 no drift, 2 drift")
    parser.add_argument("--force", action="store_true", default=None,
                        help="--out may be a folder in use: replace the export's own files there (inventory, "
                        "__main__.py, Pulumi.yaml, requirements.txt), keep every other file")
    parser.add_argument("--format", type=str.lower, choices=("csv", "yaml"), help="inventory format (default csv)")
    parser.add_argument("--group", help="only SIMs in this group (exact name)")
    parser.add_argument("--profile", type=str.upper, choices=(PROFILE_TC, PROFILE_TD), help="only SIMs of this profile")
    parser.add_argument("--query", help="only SIMs the platform's search matches (ICCID, number or name)")
    parser.add_argument("--project", help="Pulumi project name of the program (default novaconnect-account)")
    parser.add_argument("--endpoint", help=f"API base URL (default: $NOVACONNECT_ENDPOINT, else {DEFAULT_ENDPOINT})")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _arguments(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    args = _parser().parse_args(argv)
    if args.check is not None:
        given = [f"--{name}" for name in EXPORT_ONLY if getattr(args, name) is not None]
        if given:
            raise UsageError(f"{', '.join(given)} shape an export and do not go with --check")
    for name in ("group", "query", "project"):
        value = getattr(args, name)
        if value is not None and not value.strip():
            raise UsageError(f"--{name} needs a value; leave it out rather than giving it empty")
    if args.project is not None and not PROJECT_NAME.match(args.project):
        raise UsageError(f"--project {args.project[:60]!r} is not a name Pulumi accepts: use letters, digits, "
                         "'-', '_' and '.' (at most 100)")
    return args


def _client(endpoint: Optional[str]) -> NovaConnectClient:
    settings = ProviderSettings.from_lookup(lambda key: endpoint if key == "novaconnect:endpoint" else None)
    if not settings.token.get_secret_value():
        # The provider's own text points at `pulumi config`, which this command does not read.
        raise ExportError("no NovaConnect token: set the NOVACONNECT_TOKEN environment variable (a user's "
                          "read-only token is enough); the command takes no token on its command line")
    return NovaConnectClient(endpoint=settings.endpoint, token=settings.require_token(), lang=settings.lang)


def _describe(exc: BaseException) -> str:
    """What the user reads for an error: its own text where it is written for them."""
    if isinstance(exc, (ResourceError, NovaConnectError)):
        return str(exc)
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        return (f"cannot write or read{where}: {exc.strerror or exc}; check that the folder exists, that you may "
                "write there and that the disk has room")
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return (f"unexpected {type(exc).__name__}{': ' + first if first else ''}; this is a fault in {PROG} "
            f"{__version__}, not in your account or files: please report it with this line")


def _fail(message: str) -> None:
    print(f"{PROG}: {one_line(message)}", file=sys.stderr)


def main(argv: Optional[Sequence[str]] = None) -> int:
    try:
        args = _arguments(argv)
    except UsageError as exc:
        _fail(f"{exc}; see `{PROG} --help`")
        return USAGE
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else OK
    try:
        with _client(args.endpoint) as api:
            if args.check is not None:
                drift = check_inventory(api, args.check)
                print(report(drift))
                return DRIFT if drift.found else OK
            done = export_account(
                api, args.out, filters=Filters(group=args.group, profile=args.profile, query=args.query),
                fmt=args.format or "csv", project=args.project or "novaconnect-account",
                default_endpoint=DEFAULT_ENDPOINT, force=bool(args.force),
            )
    except KeyboardInterrupt:
        _fail("interrupted; nothing was written")
        return INTERRUPTED
    except Exception as exc:  # every error is one line, never a traceback
        _fail(_describe(exc))
        return ERROR
    for item in done.skipped:
        print(f"left out {item.what}: {item.why}", file=sys.stderr)
    print(f"wrote {done.inventory} ({done.sim_count:,} SIMs) and a Pulumi program into {done.directory}; "
          f"run `pulumi up` there to adopt the account (no change is made to it)")
    return OK


if __name__ == "__main__":
    sys.exit(main())
