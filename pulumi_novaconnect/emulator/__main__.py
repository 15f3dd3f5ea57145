"""`python -m pulumi_novaconnect.emulator` (console script `novaconnect-emulator`).

Prints the API's base URL as the first stdout line, then serves until SIGINT/SIGTERM,
so a wrapper can start it with `--port 0` and read where it listens. Without the
`emulator` extra it says which one to install, on one line, and exits with status 1.
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading

from . import MISSING_EXTRA, missing_extra


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="novaconnect-emulator",
                                     description="Serve a local emulator of the NovaConnect API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--sims", type=int, default=50, help="size of the seeded fleet")
    parser.add_argument("--seed", type=int, default=1, help="seed of the deterministic fleet")
    parser.add_argument("--admin-token", default="admin-token")
    parser.add_argument("--user-token", default="user-token")
    parser.add_argument("--queue-delay", type=float, default=0.5,
                        help="seconds before a queued SIM operation takes effect")
    parser.add_argument("--max-items", type=int, default=None,
                        help="reject a queued SIM call whose items array is longer (422); default: no limit")
    parser.add_argument("--latency-ms", type=float, default=0,
                        help="delay every API answer by this many milliseconds (not /_emulator)")
    parser.add_argument("--state", dest="state_file", default=None,
                        help="JSON file to load at start and rewrite after every change")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        from .server import Emulator
    except ModuleNotFoundError as error:
        if not missing_extra(error):
            raise
        print(f"novaconnect-emulator: {MISSING_EXTRA}", file=sys.stderr)
        return 1
    emulator = Emulator(host=args.host, port=args.port, sims=args.sims, seed=args.seed,
                        admin_token=args.admin_token, user_token=args.user_token,
                        queue_delay=args.queue_delay, state_file=args.state_file, verbose=args.verbose,
                        max_items=args.max_items, latency_ms=args.latency_ms)
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    emulator.start()
    print(emulator.url, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
