"""`EmulatorControl`: the emulator's `/_emulator` control surface, as a test reads and changes it.

A test should see the platform the way an operator would, not through the package's own
client: a misunderstanding shared by the client and a test would otherwise pass unseen.
So this helper talks plain HTTP (`requests`) to a URL and imports nothing of the emulator.
That also makes it work the same against an in-process `Emulator` object and against an
emulator process started with `novaconnect-emulator --port 0` (pass the URL it printed).

What it offers is what the control surface offers: the state (SIMs, groups, users), SIM
changes made behind the program's back (drift, a platform block), the request log, armed
faults, the queue drain, the clock and a reset.
"""
from __future__ import annotations

import time
from typing import Any, Callable, Iterable, Optional, Union

import requests

__all__ = ["EmulatorControl", "SIM_WRITES", "control_url_of"]

# The API methods that change a SIM; every other sim/* method reads or acts on the network.
SIM_WRITES = ("sim/block", "sim/unblock", "sim/edit", "sim/group", "sim/limit", "sim/tariff", "sim/repackage")

_CONTROL = "/_emulator"
_API = "/api"


def control_url_of(target: Any) -> str:
    """The `/_emulator` URL of an `Emulator` object, or of any of its URLs as a string.

    Accepts the server's root (`http://127.0.0.1:8765`), the API's base URL that the
    command line prints (`.../api`) or the control URL itself (`.../_emulator`)."""
    url = getattr(target, "control_url", target)
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise TypeError(f"expected an Emulator or an http(s) URL of one, got {target!r}")
    url = url.rstrip("/")
    if url.endswith(_CONTROL):
        return url
    if url.endswith(_API):
        url = url[: -len(_API)]
    return url + _CONTROL


class EmulatorControl:
    """Read and change a running emulator through `/_emulator` (no token needed).

    ``EmulatorControl(emulator)`` or ``EmulatorControl("http://127.0.0.1:8765/api")``.
    Every call raises :class:`requests.HTTPError` (with the emulator's answer in the text)
    when the emulator refuses it, so a test never reads on after a failed setup step."""

    def __init__(self, target: Any, *, timeout: float = 10.0) -> None:
        self.control_url = control_url_of(target)
        self.api_url = self.control_url[: -len(_CONTROL)] + _API
        self.timeout = timeout
        self.http = requests.Session()  # one keep-alive connection for the many small calls of a test

    # -- plumbing ----------------------------------------------------------------------------

    def _call(self, verb: str, path: str, body: Optional[dict] = None) -> Any:
        response = self.http.request(verb, f"{self.control_url}{path}", json=body, timeout=self.timeout)
        if response.status_code >= 300:
            raise requests.HTTPError(
                f"{verb} {response.url} answered {response.status_code}: {response.text}", response=response)
        return response.json() if response.content else None

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> "EmulatorControl":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- the whole state ---------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """`GET /_emulator/state`: sims, groups, users, company, bills, queue, applied,
        requests, webhooks, faults and now. SIMs are rendered exactly as `sim/list` shows them."""
        return self._call("GET", "/state")

    def reset(self, sims: Optional[int] = None, seed: Optional[int] = None) -> dict[str, Any]:
        """Back to the seeded fleet (another size or seed if given); clears faults, the queue,
        webhooks and the request log."""
        body = {k: v for k, v in {"sims": sims, "seed": seed}.items() if v is not None}
        return self._call("POST", "/reset", body)

    # -- SIMs --------------------------------------------------------------------------------

    def sims(self) -> list[dict[str, Any]]:
        return self.state()["sims"]

    def sim(self, key: Union[str, int]) -> dict[str, Any]:
        """One SIM by ICCID (a string) or by platform id (an int).

        Both keys are accepted because tests hold one or the other, and they never collide:
        the platform's ids are JSON numbers and its ICCIDs are strings of digits."""
        field = "id" if isinstance(key, int) and not isinstance(key, bool) else "iccid"
        for sim in self.sims():
            if sim[field] == key:
                return sim
        raise LookupError(f"the emulator has no SIM with {field} {key!r}")

    def sim_where(self, predicate: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The first SIM matching a test's precondition."""
        for sim in self.sims():
            if predicate(sim):
                return sim
        raise LookupError("the emulator's fleet has no SIM matching the precondition")

    def pick_many(self, profile: str, count: int, block: str = "n",
                  exclude: Iterable[str] = ()) -> list[dict[str, Any]]:
        """`count` SIMs of a profile (`TC`/`TD`) with a block code, none of the excluded ICCIDs."""
        excluded = set(exclude)
        found = [s for s in self.sims()
                 if s["profile"] == profile and s["block"] == block and s["iccid"] not in excluded][:count]
        if len(found) < count:
            raise LookupError(f"the emulator's fleet has {len(found)} {profile} SIMs with block {block!r}, "
                              f"not {count}; reset it with more SIMs")
        return found

    def pick(self, profile: str, block: str = "n", exclude: Iterable[str] = ()) -> dict[str, Any]:
        """One SIM of a profile with a block code, none of the excluded ICCIDs."""
        return self.pick_many(profile, 1, block, exclude)[0]

    def change_sim(self, iccid: str, **fields: Any) -> dict[str, Any]:
        """Change a SIM behind the program's back (drift, a platform block, a tariff lock);
        answers the SIM as rendered after the change. Group names that do not exist are created."""
        return self._call("POST", f"/sims/{iccid}", fields)

    def add_sim(self, **fields: Any) -> dict[str, Any]:
        """Create a SIM from Sim-like fields; answers it rendered."""
        return self._call("POST", "/sims", fields)

    @staticmethod
    def group_names(sim: dict[str, Any]) -> list[str]:
        """A rendered SIM's group names, sorted."""
        return sorted(g["name"] for g in sim["groups"])

    # -- groups and users --------------------------------------------------------------------

    def groups(self) -> list[dict[str, Any]]:
        return self.state()["groups"]

    def group(self, name: str) -> Optional[dict[str, Any]]:
        """The group of that name, or None."""
        return next((g for g in self.groups() if g["name"] == name), None)

    def users(self) -> list[dict[str, Any]]:
        return self.state()["users"]

    def user(self, email: str) -> Optional[dict[str, Any]]:
        """The user with that e-mail address, or None."""
        return next((u for u in self.users() if u["email"] == email), None)

    # -- the request log ---------------------------------------------------------------------

    def requests(self, method: Optional[str] = None) -> list[dict[str, Any]]:
        """The API calls received since the last reset or clear, oldest first:
        `{seq, method, http_status, code, role, body}`; only those of `method` if given."""
        log = self._call("GET", "/requests")
        return [r for r in log if method is None or r["method"] == method]

    def methods(self) -> list[str]:
        """The methods of the logged calls, in order: `["sim/list", "sim/block", ...]`."""
        return [r["method"] for r in self.requests()]

    def count(self, method: str) -> int:
        """How many calls of `method` the emulator received since the last reset or clear."""
        return len(self.requests(method))

    def sim_writes(self) -> dict[str, int]:
        """How many calls of each SIM-changing method (``SIM_WRITES``) the emulator received
        since the last reset or clear: ``{"sim/limit": 1, "sim/edit": 3}``."""
        counts: dict[str, int] = {}
        for method in self.methods():
            if method in SIM_WRITES:
                counts[method] = counts.get(method, 0) + 1
        return dict(sorted(counts.items()))

    def clear_requests(self) -> None:
        self._call("DELETE", "/requests")

    def issue_token(self, user_id: int, token: str) -> None:
        """Give a user a new API token (after a `revoke_token` fault revoked the old one)."""
        self._call("POST", "/tokens", {"user_id": user_id, "token": token})

    # -- faults, queue, clock ----------------------------------------------------------------

    def fault(self, method: str, **spec: Any) -> None:
        """Arm a fault for the next call(s) of `method` (`*` for any): `status`, `times`,
        `http_status`, `message`, `retry_after`, `delay`, `drop`, `body` (a garbled answer:
        `not_json`, `empty`, `missing_fields`, `wrong_types`), `revoke_token`; or a queue
        fault (`queue="fail"|"never"`, `iccid`)."""
        self._call("POST", "/faults", {"method": method, **spec})

    def faults(self) -> list[dict[str, Any]]:
        return self._call("GET", "/faults")

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def drain(self) -> int:
        """Run every pending queued task now, in order; answers how many ran."""
        return self._call("POST", "/queue/drain")["applied"]

    def now(self) -> int:
        """The emulator's clock (Unix seconds)."""
        return self._call("GET", "/clock")["now"]

    def advance_clock(self, seconds: float) -> int:
        """Move the emulator's clock forward; answers the new time."""
        return self._call("POST", "/clock", {"advance": seconds})["now"]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0, interval: float = 0.02) -> None:
        """Poll `predicate` until it holds; AssertionError after `timeout` seconds.

        Queued SIM changes take effect after the emulator's queue delay, and there is no
        status method to wait on (the platform has none), so a test polls what it expects."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() >= deadline:
                raise AssertionError(f"condition not reached within {timeout} s")
            time.sleep(interval)
