"""The secrets audit: every example runs end to end (preview, up, refresh, destroy), plus a
program that gives a user a password and changes it, plus a run that fails with the token
echoed in the platform's error; then everything the package left or said is searched for the
API token and every user password.

Searched: each state file after every run, each run's text and outputs, the provider hosts'
stderr, every log record (DEBUG and up), everything printed, the text of every error, each
resource's `__provider` decoded from base64, and the emulator's request log. Zero
occurrences are allowed except a user's password inside its own secret property: the
state's secret-wrapped `password` of that User. The request log holds no headers, so the
`Authorization` header is not part of it, and it shows the password a user/create or
user/edit carried as `***`, as a server's log would.
"""
from __future__ import annotations

import base64
import json
import logging
from typing import Any, Iterable

import pytest

import pulumi_novaconnect as nc
from pulumi_novaconnect.testing import ADMIN_TOKEN
from pulumi_novaconnect.testing.program_runner import ProgramRunner
from pulumi_novaconnect.testing.provider_host import PROVIDER_KEY, is_secret
from tests.e2e.conftest import stack_config

pytestmark = pytest.mark.slow

FIRST_PASSWORD = "Audit-first-Passw0rd-2026"
SECOND_PASSWORD = "Audit-second-Passw0rd-2026"
USER_EMAIL = "audited@example.kz"
EXAMPLES = (
    ("quickstart", {}),
    ("fleet", {}),
    ("ci", {}),
    ("usage-guard", {"group": "Meters", "thresholdMb": "1"}),
    ("group-policy", {"group": "Meters", "limitMb": 300}),
)


class Evidence:
    """Every text the runs produced, labelled by where it came from."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []

    def add(self, where: str, value: Any) -> None:
        self.texts.append((where, value if isinstance(value, str) else json.dumps(value, default=str)))

    def state(self, where: str, runner: ProgramRunner, passwords: dict[str, str]) -> None:
        """The state file, minus each User's own secret `password`; `__provider` decoded too."""
        if not runner.state_path.exists():
            return
        state = json.loads(runner.state_path.read_text())
        for res in state.get("resources", []):
            for part in ("inputs", "outputs"):
                props = res.get(part) or {}
                provider = props.get(PROVIDER_KEY)
                if isinstance(provider, str):
                    self.add(f"{where}: {res['name']} {part}.__provider (decoded)",
                             base64.b64decode(provider).decode("latin-1"))
                password = props.get("password")
                if password is not None and "User" in res.get("type", ""):
                    email = props.get("email")
                    assert is_secret(password), f"{where}: {res['name']} {part}.password is not a secret"
                    assert password["value"] == passwords.get(email), f"{where}: {email} holds another password"
                    props["password"] = "<own secret>"
        self.add(f"{where}: state file", state)

    def run(self, where: str, result: Any, runner: ProgramRunner) -> None:
        self.add(f"{where}: text", result.text)
        self.add(f"{where}: outputs", getattr(result, "outputs", None) or {})
        self.add(f"{where}: provider host stderr", runner.last_host_stderr)

    def leaks(self, secrets: Iterable[str]) -> list[str]:
        return [f"{where} holds {secret[:4]}..." for secret in secrets for where, text in self.texts if secret in text]


def _generated_passwords(emulator) -> set[str]:
    """Passwords the platform generated for users created without one (the quickstart's
    viewer); the seeded users' short ones would match ordinary words."""
    return {u.password for u in emulator.backend.state.users.values() if len(u.password or "") >= 12}


def _run_example(make_runner, emulator, example: str, config: dict, evidence: Evidence) -> set[str]:
    runner = make_runner(example, **config)
    generated: set[str] = set()
    for step in ("preview", "up", "refresh", "preview", "destroy"):
        result = getattr(runner, step)()
        evidence.run(f"{example} {step}", result, runner)
        evidence.state(f"{example} after {step}", runner, {})
        generated |= _generated_passwords(emulator)
    return generated


def _user_program(password: str):
    def program() -> None:
        nc.User("audited", first_name="Audit", last_name="Trail", email=USER_EMAIL, phone="+77010000077",
                password=password)
    return program


def _request_log(control) -> list[dict]:
    """The emulator's request log; a password the calls carried shows as `***` there."""
    log = control.requests()
    sent = [e["body"]["password"] for e in log
            if e["method"] in ("user/create", "user/edit") and isinstance(e.get("body"), dict) and "password" in e["body"]]
    assert sent and set(sent) == {"***"}, sent  # the user's passwords did go out, and are not logged
    return log


def test_no_token_or_password_leaks_from_any_example_log_error_state_or_request(
        emulator, make_runner, emu, tmp_path, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    evidence = Evidence()

    generated: set[str] = set()
    for example, config in EXAMPLES:
        generated |= _run_example(make_runner, emulator, example, config, evidence)
    assert generated  # the quickstart's viewer got a password from the platform

    # A user with a password, the password changed, then a refresh the platform refuses while
    # echoing the token in its message (a revoked token).
    config = stack_config("quickstart", emulator)
    passwords = {USER_EMAIL: FIRST_PASSWORD}
    first = ProgramRunner(_user_program(FIRST_PASSWORD), project="audit", stack="e2e", config=config,
                          state_path=tmp_path / "audit.state.json")
    evidence.run("user up", first.up(), first)
    evidence.state("user after up", first, passwords)
    passwords[USER_EMAIL] = SECOND_PASSWORD
    second = ProgramRunner(_user_program(SECOND_PASSWORD), project="audit", stack="e2e", config=config,
                           state_path=tmp_path / "audit.state.json")
    evidence.run("user password change", second.up(), second)
    evidence.state("user after the password change", second, passwords)
    emu.fault("*", status=401, message=f"token {ADMIN_TOKEN} was revoked", times=None)
    with pytest.raises(Exception) as failed:
        second.refresh()
    emu.clear_faults()
    error: BaseException | None = failed.value
    while error is not None:
        evidence.add(f"error text ({type(error).__name__})", f"{error}\n{error!r}\n{getattr(error, 'message', '')}")
        error = error.__cause__ or error.__context__
    evidence.add("provider host stderr of the failed refresh", second.last_host_stderr)
    assert "token *** was revoked" in str(failed.value)  # the echo arrived, scrubbed
    evidence.run("user destroy", second.destroy(), second)

    evidence.add("log records", "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records))
    printed = capfd.readouterr()
    evidence.add("printed", printed.out + printed.err)
    evidence.add("emulator request log", _request_log(emu))

    secrets = [ADMIN_TOKEN, FIRST_PASSWORD, SECOND_PASSWORD, *sorted(generated)]
    assert len(evidence.texts) > 50
    assert evidence.leaks(secrets) == []
