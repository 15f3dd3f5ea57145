"""A stand-in for the Pulumi CLI's deployment loop, for programs of Python dynamic resources.

:class:`ProgramRunner` runs a Pulumi program in-process under a mock resource monitor, collects
what it declares (type, name, inputs with ``__provider``, dependencies, options), then drives a
real provider host (:class:`~pulumi_novaconnect.testing.provider_host.ProviderHost`, one process per
``preview``/``up``/``refresh``/``destroy`` call) the way the engine does:

- preview: ``Check(olds=old inputs, news)``, then for resources in state
  ``Diff(olds=old OUTPUTS, news=checked inputs)``; resources in state but no longer declared
  are deletes. A ``DIFF_UNKNOWN`` answer falls back to old inputs != new inputs (the engine's
  rule, ``__provider`` included). The ``[diff: ...]`` keys are old inputs vs new inputs,
  top-level, internal ``__`` keys left out -- which is what the CLI renders for a dynamic provider.
- up: the same, executed: Create / Update(olds=old outputs) / replace (create-before-delete,
  or delete-before-replace when the provider or ``ResourceOptions.delete_before_replace`` asks)
  / Delete (reverse dependency order). State is saved after every step, so a failure leaves a
  consistent state and the next ``up()`` finishes the job (the old half of an interrupted
  create-before-delete replacement is kept under ``pending_deletes`` and deleted later).
  A failed step does not stop the steps that do not depend on it, as in the engine, which lets
  the operations already in flight finish: a Python program registers its resources at once,
  so every step whose dependencies are met is running when another one fails. Resources that
  depend (directly or not) on a failed one are not touched; deletes of resources the program
  no longer declares are not started; the first failure is raised at the end, as
  :class:`StepFailed` (``also`` holds any further ones). The engine starts no new step after a
  failure, so a step that would only start after a slow, independent one finished is skipped
  there when the failure came first; the runner cannot know that timing and runs it.
- refresh: ``Read(id, props=old outputs, inputs=old inputs)``; an empty id drops the resource,
  returned inputs replace the stored ones.
- destroy: Delete in reverse dependency order; a failed delete keeps what it depends on (that
  cannot go before it) and lets the other deletes go on, then is raised.
- ``ResourceOptions(retain_on_delete=True)`` is kept in state with the resource, as the engine
  keeps ``retainOnDelete``: deleting such a resource (destroy, a resource no longer declared, the
  old half of a replacement) drops it from state without calling the provider's Delete.

Values the program sees for other resources' outputs (the program runs before the host is
called, under :mod:`pulumi_novaconnect.testing.mock_program`): a resource already in state answers with its
last outputs and id; a new one answers with an unknown id and unknown computed outputs (its
input values stay known), as in a real preview. In ``up()``, when a step changes a resource's
outputs and a later resource depends on it (``RegisterResourceRequest.dependencies``), the
program is run again against the new state before that later resource is checked; resources
already handled are not called again unless their inputs moved; the stack outputs come from a
run against the final state. The engine interleaves program and steps natively; here it costs
extra in-process runs of the program (milliseconds each). Caveat: an unchanged resource keeps
its old outputs in that run, and a replaced resource's old outputs stay visible to preview.

NOT modelled (use the real CLI for these): the engine itself (no plan files, no
``--target``, no ``--refresh`` flag -- call ``refresh()`` then ``preview()``); secrets
encryption (secrets are stored in clear inside the wire wrapper
``{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "value": ...}``, and
re-marked secret on top-level keys only: keys that were secret inputs, plus
``additional_secret_outputs``); parallelism across resources (steps run one at a time, in
dependency/registration order); import / ``import_`` / ``Resource.get`` reads;
``protect``, ``ignore_changes``, ``replace_on_changes``, ``deleted_with``,
aliases, custom timeouts (recorded in :class:`Declared`, not enforced); component resources
(recorded, never sent to a provider; their children's URNs carry the parent type); any
non-dynamic custom resource (rejected); dependent replacements (a replaced resource does not
force its dependents to be replaced); invokes (answered with ``{}``). Program ``env`` is
applied to ``os.environ`` while the program runs, and a directory program runs with it as cwd:
both are process-wide, so do not run two runners at once in one process.
"""
from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

from .mock_program import Declared, Program, has_secret, run_program, toposort
from .provider_host import PROVIDER_KEY, ProviderError, ProviderHost, contains_unknowns, is_secret, secret, strip_secrets

__all__ = ["CheckFailed", "Declared", "ProgramRunner", "RunResult", "Step", "StepFailed"]

SYMBOLS = {"create": "+", "update": "~", "replace": "+-", "delete": "-", "same": " "}


class CheckFailed(Exception):
    def __init__(self, failures: list[tuple[str, str, str]]):
        self.failures = failures  # (resource name, property, reason)
        super().__init__("Check failed:\n" + "\n".join(f"  {n}: {p or '<resource>'}: {r}" for n, p, r in failures))


class StepFailed(Exception):
    def __init__(self, name: str, kind: str, error: Exception):
        self.name, self.kind, self.error = name, kind, error
        self.message = getattr(error, "message", None) or str(error)
        self.also: list["StepFailed"] = []  # other steps of the same run that failed too
        super().__init__(f"{kind} of {name!r} failed: {self.message}")


@dataclass
class Step:
    kind: str  # create | update | replace | delete | same
    urn: str
    name: str
    type: str
    diff: list[str] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)
    delete_before_replace: bool = False

    def render(self) -> str:
        text = f"{SYMBOLS[self.kind]} {self.kind} {self.name}"
        return text + (f" [diff: {', '.join(self.diff)}]" if self.diff else "")


@dataclass
class RunResult:
    steps: list[Step]
    outputs: dict[str, Any] = field(default_factory=dict)  # stack exports, secrets wrapped

    @property
    def text(self) -> str:
        """The steps as ``pulumi preview`` lists them; unchanged resources left out."""
        return "\n".join(s.render() for s in self.steps if s.kind != "same")

    @property
    def changes(self) -> list[Step]:
        return [s for s in self.steps if s.kind != "same"]

    @property
    def kinds(self) -> dict[str, str]:
        return {s.name: s.kind for s in self.steps}

    def step(self, name: str, type: Optional[str] = None) -> Step:
        for s in self.steps:
            if s.name == name and type in (None, s.type):
                return s
        raise KeyError(f"no step for {name!r}; steps:\n{self.text}")


def _first(failures: list[StepFailed]) -> StepFailed:
    """The first failure of a run, with the others attached (the CLI lists them all)."""
    failures[0].also = failures[1:]
    return failures[0]


def _rewrap(values: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    return {k: (secret(v) if k in keys and not is_secret(v) else v) for k, v in values.items()}


def _diff_keys(old: dict, new: dict) -> list[str]:
    # The CLI leaves out every internal key (a `__` prefix: `__provider`, `__name`, ...), and a
    # key that is secret on both sides, changed or not (a new password is `~ update` alone).
    hidden = {k for k in set(old) & set(new) if is_secret(old[k]) and is_secret(new[k])}
    old, new = strip_secrets(old), strip_secrets(new)
    return sorted(k for k in set(old) | set(new)
                  if not k.startswith("__") and k not in hidden and old.get(k) != new.get(k))


class ProgramRunner:
    def __init__(
        self,
        program: Program,
        *,
        stack: str = "dev",
        project: str = "test",
        config: Optional[dict[str, Any]] = None,
        state_path: Union[str, os.PathLike],
        env: Optional[dict[str, str]] = None,
        cwd: Optional[str] = None,
    ):
        self.program, self.stack, self.project = program, stack, project
        self.config = dict(config or {})
        self.state_path = Path(state_path)
        self.env = dict(env or {})
        self.cwd = cwd
        self.last_host_stderr = ""  # stderr of the last provider host (e.g. to check a token never leaks)
        # What the CLI would have printed of the provider during the last run: the engine reads a
        # plugin's stderr line by line and shows each non-blank line as an info diagnostic.
        self.last_diagnostics: list[str] = []
        # The provider host of the operation in progress (None between operations), so a test
        # can do to it what can happen to the engine's: `runner.host.kill()` mid-run.
        self.host: Optional[ProviderHost] = None

    # -- state ------------------------------------------------------------------------------
    def load_state(self) -> dict[str, Any]:
        if self.state_path.exists():
            return json.loads(self.state_path.read_text())
        return {"stack": self.stack, "project": self.project, "resources": [], "pending_deletes": []}

    def _save(self, state: dict[str, Any]) -> None:
        state["resources"] = toposort(state["resources"], lambda r: r["urn"], lambda r: r["dependencies"])
        tmp = self.state_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1, default=repr))
        os.replace(tmp, self.state_path)

    def resource(self, name: str, type: Optional[str] = None) -> Optional[dict[str, Any]]:
        """The state entry (urn, type, name, id, inputs, outputs, dependencies) of a resource."""
        return next((r for r in self.load_state()["resources"] if r["name"] == name and type in (None, r["type"])), None)

    # -- the program ------------------------------------------------------------------------
    def run_program(self, preview: bool, state: Optional[dict] = None) -> tuple[list[Declared], dict[str, Any]]:
        """Run the program under mocks; return (custom resources in dependency order, exports)."""
        known = {r["urn"]: r for r in (state or self.load_state())["resources"]}

        def answer(decl: Declared) -> tuple[str, dict, bool]:
            old = known.get(decl.urn)
            if old:
                return old["id"], dict(old["outputs"]), False
            # Not created yet: id and non-input outputs unknown, input values known (as in a preview).
            return "", (dict(decl.inputs) if preview else {}), not preview

        monitor = run_program(
            self.program, answer, preview=preview, project=self.project, stack=self.stack,
            config=self.config, env=self.env, cwd=self.cwd,
        )
        declared = monitor.ordered()
        for d in declared:
            if PROVIDER_KEY not in d.inputs:
                raise NotImplementedError(f"{d.name}: only dynamic resources are supported, got {d.type}")
        return declared, monitor.exports

    # -- the provider host ------------------------------------------------------------------
    @contextlib.contextmanager
    def _host(self):
        """A lazily started, configured host (one per deployment, like the engine's)."""
        holder: list[ProviderHost] = []

        def get() -> ProviderHost:
            if not holder:
                host = ProviderHost(env={"PULUMI_PROJECT": self.project, **self.env}, cwd=self.cwd)
                holder.append(host.start())
                self.host = host
                host.configure(self.config)
            return holder[0]

        try:
            yield get
        finally:
            self.host = None
            if holder:
                holder[0].stop()
                self.last_host_stderr = holder[0].stderr_text
                self.last_diagnostics = [line.rstrip() for line in self.last_host_stderr.splitlines() if line.strip()]

    def _plan(self, host: ProviderHost, decl: Declared, old: Optional[dict]):
        """Check (+ Diff for resources in state): (step, checked inputs, failures)."""
        step = Step("create", decl.urn, decl.name, decl.type)
        try:
            chk = host.check(decl.urn, old["inputs"] if old else {}, decl.inputs)
        except ProviderError as exc:
            raise StepFailed(decl.name, "check", exc) from exc
        if chk.failures or old is None:
            return step, chk.inputs, [(decl.name, p, r) for p, r in chk.failures]
        try:
            d = host.diff(decl.urn, old["id"], old["outputs"], chk.inputs, old_inputs=old["inputs"])
        except ProviderError as exc:
            raise StepFailed(decl.name, "diff", exc) from exc
        changes = d.changes
        if changes is None:  # DIFF_UNKNOWN: the engine compares old and new inputs, __provider included
            changes = strip_secrets(old["inputs"]) != strip_secrets(chk.inputs)
        step.diff = _diff_keys(old["inputs"], chk.inputs)
        step.kind = "same" if not changes else ("replace" if d.replaces else "update")
        step.replaces = list(d.replaces)
        step.delete_before_replace = bool(d.delete_before_replace or decl.delete_before_replace)
        if step.kind == "same":
            step.diff = []
        return step, chk.inputs, []

    def _delete_steps(self, state: dict, declared: set[str]) -> list[tuple[dict, bool]]:
        gone = [(r, False) for r in reversed(state["resources"]) if r["urn"] not in declared]
        return gone + [(r, True) for r in reversed(state.get("pending_deletes", []))]

    # -- operations -------------------------------------------------------------------------
    def preview(self) -> RunResult:
        state = self.load_state()
        declared, exports = self.run_program(preview=True, state=state)
        by_urn = {r["urn"]: r for r in state["resources"]}
        steps, failures = [], []
        with self._host() as host:
            for decl in declared:
                step, _, fails = self._plan(host(), decl, by_urn.get(decl.urn))
                failures += fails
                steps.append(step)
        if failures:
            raise CheckFailed(failures)
        steps += [Step("delete", r["urn"], r["name"], r["type"]) for r, _ in self._delete_steps(state, {d.urn for d in declared})]
        return RunResult(steps, exports)

    def up(self, max_passes: int = 50) -> RunResult:
        state = self.load_state()
        steps: dict[str, Step] = {}
        handled: dict[str, str] = {}  # urn -> fingerprint of the inputs it was last handled with
        with self._host() as host:
            failures: list[StepFailed] = []
            blocked: set[str] = set()  # failed, or depending on a failed resource: left alone
            for _ in range(max_passes):
                declared, exports = self.run_program(preview=False, state=state)
                changed: set[str] = set()
                restart = False
                for decl in declared:
                    if decl.urn in blocked or blocked & set(decl.dependencies):
                        blocked.add(decl.urn)
                        continue
                    if changed & set(decl.dependencies):
                        restart = True
                        break
                    fingerprint = json.dumps(decl.inputs, sort_keys=True, default=repr)
                    if handled.get(decl.urn) == fingerprint:
                        continue
                    try:
                        if self._up_one(host, decl, state, steps):
                            changed.add(decl.urn)
                    except StepFailed as exc:  # the steps that do not depend on it go on
                        failures.append(exc)
                        blocked.add(decl.urn)
                    handled[decl.urn] = fingerprint
                if not restart:
                    break
            else:
                raise RuntimeError(f"up() did not settle after {max_passes} runs of the program")
            if failures:  # no delete starts after a failure
                raise _first(failures)
            deleted = self._delete_all(host, self._delete_steps(state, {d.urn for d in declared}), state)
            for res in deleted:
                steps.setdefault(res["urn"], Step("delete", res["urn"], res["name"], res["type"]))
            if changed:
                _, exports = self.run_program(preview=False, state=state)
        return RunResult(list(steps.values()), exports)

    def _up_one(self, host, decl: Declared, state: dict, steps: dict[str, Step]) -> bool:
        """Plan and execute one resource; True when its outputs or id changed."""
        old = next((r for r in state["resources"] if r["urn"] == decl.urn), None)
        step, checked, failures = self._plan(host(), decl, old)
        if failures:
            raise CheckFailed(failures)
        if step.kind != "same" or decl.urn not in steps:
            steps[decl.urn] = step
        if step.kind != "same" and contains_unknowns(checked):
            raise StepFailed(decl.name, step.kind, ValueError("inputs still contain unknown values"))
        in_keys = decl.secret_keys
        out_keys = in_keys | set(decl.additional_secret_outputs)
        entry = {
            "urn": decl.urn, "type": decl.type, "name": decl.name, "id": old["id"] if old else "",
            "inputs": _rewrap(checked, in_keys), "outputs": old["outputs"] if old else {},
            "dependencies": decl.dependencies, "additional_secret_outputs": decl.additional_secret_outputs,
            "retain_on_delete": bool(decl.options.get("retain_on_delete")),
        }
        try:
            if step.kind == "update":
                outs = host().update(decl.urn, old["id"], old["outputs"], checked, old_inputs=old["inputs"])
                entry["outputs"] = _rewrap(outs, out_keys)
            elif step.kind in ("create", "replace"):
                if step.kind == "replace" and step.delete_before_replace:
                    self._delete(host(), old, state, False)
                    old = None
                new_id, outs = host().create(decl.urn, checked)
                entry["id"], entry["outputs"] = new_id, _rewrap(outs, out_keys)
                if old is not None:  # create-before-delete: the old one is deleted at the end
                    state["resources"].remove(old)
                    state.setdefault("pending_deletes", []).append(old)
                    old = None
        except ProviderError as exc:
            raise StepFailed(decl.name, step.kind, exc) from exc
        if old is not None:
            state["resources"][state["resources"].index(old)] = entry
        else:
            state["resources"].append(entry)
        self._save(state)
        return step.kind != "same" and (step.kind != "update" or strip_secrets(outs) != strip_secrets(old["outputs"]))

    def _delete_all(self, host, items: list[tuple[dict, bool]], state: dict) -> list[dict]:
        """Delete ``items`` (dependents first); a failed delete keeps what it depends on and lets
        the other deletes go on, then the first failure is raised. Answers the resources deleted
        (pending halves of replacements left out)."""
        failures: list[StepFailed] = []
        kept: set[str] = set()  # still needed by a resource that could not be deleted
        deleted = []
        for res, pending in items:
            if res["urn"] in kept:
                kept.update(res["dependencies"])
                continue
            try:
                self._delete(host(), res, state, pending)
            except StepFailed as exc:
                failures.append(exc)
                kept.update(res["dependencies"])
                continue
            if not pending:
                deleted.append(res)
        if failures:
            raise _first(failures)
        return deleted

    def _delete(self, host: ProviderHost, res: dict, state: dict, pending: bool) -> None:
        # The engine never sends Delete for a resource declared with retain_on_delete: the
        # object stays on the platform and only leaves the state.
        if not res.get("retain_on_delete"):
            try:
                host.delete(res["urn"], res["id"], res["outputs"], old_inputs=res["inputs"])
            except ProviderError as exc:
                raise StepFailed(res["name"], "delete", exc) from exc
        state["pending_deletes" if pending else "resources"].remove(res)
        self._save(state)

    def refresh(self) -> RunResult:
        state = self.load_state()
        steps = []
        with self._host() as host:
            for res in list(state["resources"]):
                try:
                    new_id, outs, ins = host().read(res["urn"], res["id"], res["outputs"], inputs=res["inputs"])
                except ProviderError as exc:
                    raise StepFailed(res["name"], "refresh", exc) from exc
                step = Step("same", res["urn"], res["name"], res["type"])
                if not new_id:
                    step.kind = "delete"
                    state["resources"].remove(res)
                else:
                    secret_ins = {k for k, v in res["inputs"].items() if has_secret(v)}
                    secret_outs = {k for k, v in res["outputs"].items() if has_secret(v)}
                    new_outs = _rewrap(outs, secret_outs | set(res.get("additional_secret_outputs", [])))
                    new_ins = _rewrap(ins, secret_ins) if ins is not None else res["inputs"]
                    step.diff = sorted(set(_diff_keys(res["outputs"], new_outs)) | set(_diff_keys(res["inputs"], new_ins)))
                    step.kind = "update" if step.diff or new_id != res["id"] else "same"
                    res.update(id=new_id, outputs=new_outs, inputs=new_ins)
                self._save(state)
                steps.append(step)
        return RunResult(steps)

    def destroy(self) -> RunResult:
        state = self.load_state()
        steps = []
        with self._host() as host:
            for res in self._delete_all(host, self._delete_steps(state, set()), state):
                steps.append(Step("delete", res["urn"], res["name"], res["type"]))
        return RunResult(steps)
