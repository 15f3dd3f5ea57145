"""What every NovaConnect dynamic provider shares.

A provider instance is pickled by reference into the state of every resource (dill pickles
a class from an installed package by name), so it carries no attributes at all: the
pickled ``__provider`` is about a hundred bytes, identical across runs, and holds no
token. Configuration goes to :mod:`pulumi_novaconnect.provider.registry` instead. The
providers' classes stay in ``pulumi_novaconnect.resources``: that import path is what every
user's state names.
"""
from __future__ import annotations

import functools
from dataclasses import fields, is_dataclass
from typing import Any, Callable, ClassVar, Hashable, Mapping, Optional, Sequence, Type

from pulumi.dynamic import (CheckFailure, CheckResult, ConfigureRequest, CreateResult, DiffResult, ReadResult,
                            ResourceProvider, UpdateResult)
from pydantic import BaseModel

from ..client.errors import NovaConnectError
from ..errors import ConfigurationError, listed
from . import errors_display  # noqa: F401  (in the provider host: our errors reach the CLI as one line)
from . import registry
from .config import Connection, ProviderSettings
from .snapshot import Snapshot
from .checks import capped, is_unknown, note_planned_changes, validate, warn


_CALLS = ("check", "diff", "create", "read", "update", "delete")


def _engine_call(call: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap one engine call: it works on the resource's account, and its errors say which
    object they were about.

    The property bag is every engine call's last argument (news for check, diff and update;
    the recorded outputs for read and delete), so one wrapper serves all six calls:

    - A resource with a ``connection`` works on that account for the whole call
      (``registry.using``), and the connection is carried into what the call answers (check's
      inputs, the outputs, read's inputs), so that read and delete, which get nothing but the
      recorded outputs, reach the same account. The engine keeps it secret in state, as it
      was in the program (a value whose input was secret stays secret). A new token for the
      same resource is an update with no call to the platform, so that state holds the token
      that works.
    - A client error only knows the API method (``sim/list``), which many resources share;
      the wrapper names the resource in it, since the error reaches the user as one line."""
    @functools.wraps(call)
    def wrapped(self: "NovaConnectProvider", *args: Any) -> Any:
        props = args[-1] if args and isinstance(args[-1], Mapping) else {}
        given = props.get(CONNECTION_KEY)
        try:
            owner = props.get(OWNER_KEY)
            with registry.using(connection_of(given, owner if isinstance(owner, str) else self.subject(props))):
                answer = call(self, *args)
        except NovaConnectError as error:
            if error.subject is None:
                error.subject = self.subject(props)
            raise
        _carry(answer, self.carried, props)
        return _carrying(answer, given, call.__name__, args)
    return wrapped


def connection_of(value: Any, owner: str) -> Optional[Connection]:
    """The account a resource's ``connection`` input names (None: the stack's)."""
    if value is None:
        return None
    if is_unknown(value) or not isinstance(value, Mapping) or any(is_unknown(v) for v in value.values()):
        raise ConfigurationError(
            f"{owner}: connection must be known when the preview runs (an endpoint and a token from config, "
            "`config.require_secret(...)`, not an output of another resource): the preview reads that account")
    return Connection.parse(value, owner)


def _carrying(answer: Any, connection: Any, name: str, args: tuple[Any, ...]) -> Any:
    if name == "diff" and isinstance(answer, DiffResult) and not answer.changes:
        olds = args[1] if len(args) > 2 and isinstance(args[1], Mapping) else {}
        if olds.get(CONNECTION_KEY) != connection:
            return DiffResult(changes=True, replaces=answer.replaces, stables=answer.stables,
                              delete_before_replace=answer.delete_before_replace)
    if connection is None:
        return answer
    if isinstance(answer, CheckResult) and answer.inputs is not None:
        answer.inputs = {**answer.inputs, CONNECTION_KEY: connection}
    elif isinstance(answer, (CreateResult, UpdateResult)) and answer.outs is not None:
        answer.outs = {**answer.outs, CONNECTION_KEY: connection}
    elif isinstance(answer, ReadResult) and answer.id:
        answer.outs = {**(answer.outs or {}), CONNECTION_KEY: connection}
        if answer.inputs is not None:
            answer.inputs = {**answer.inputs, CONNECTION_KEY: connection}
    return answer


def _carry(answer: Any, keys: Sequence[str], props: Mapping[str, Any]) -> None:
    """Inputs a provider's check adds that its outputs keep, and read puts back among the
    inputs (a SIM resource's ``review``): a refresh that dropped one would make the next
    preview show ``+ review`` on a resource nobody changed."""
    kept = {key: props[key] for key in keys if props.get(key) is not None}
    if not kept:
        return
    if isinstance(answer, (CreateResult, UpdateResult)) and answer.outs is not None:
        answer.outs = {**answer.outs, **kept}
    elif isinstance(answer, ReadResult) and answer.id and answer.inputs is not None:
        answer.outs = {**(answer.outs or {}), **kept}
        answer.inputs = {**answer.inputs, **kept}


class NovaConnectProvider(ResourceProvider):
    # The instance holds no data, so there is nothing secret to hide; a plain pickle keeps
    # state readable and lets tests prove the token is not in it.
    serialize_as_secret_always = False

    spec_model: ClassVar[Type[BaseModel]]
    inputs: ClassVar[tuple[str, ...]]
    # Inputs check adds that the outputs keep and a refresh puts back (see _carry).
    carried: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in _CALLS:
            if name in vars(cls):
                setattr(cls, name, _engine_call(vars(cls)[name]))

    def subject(self, props: Mapping[str, Any]) -> str:
        """The object a call is about, as an error names it: the resource's type and name."""
        owner = props.get(OWNER_KEY)
        return owner if isinstance(owner, str) else type(self).__name__.removesuffix("Provider")

    def configure(self, req: ConfigureRequest) -> None:
        registry.configure(ProviderSettings.from_lookup(req.config.get))

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        checked = validate(self.spec_model, news, self.inputs)
        return CheckResult(checked.inputs, checked.failures)

    def spec(self, props: Mapping[str, Any]) -> Any:
        return self.spec_model.model_validate(pick(props, self.inputs))

    def unknown_diff(self, news: Mapping[str, Any]) -> Optional[DiffResult]:
        """Values a preview does not know yet may change anything: say so explicitly."""
        if any(is_unknown(news.get(field)) for field in self.inputs):
            return DiffResult(changes=True, replaces=[])
        return None


# The resource's type and name, passed from the program as an input the CLI does not show
# (keys starting with `__` are internal to Pulumi's display): check() gets no URN, and needs
# a name to say which two resources declare the same SIM.
OWNER_KEY = "__name"
# The resource's URN, for the diagnostics a provider attaches to it (provider/engine_log.py):
# no engine call hands a dynamic provider its resource's URN.
URN_KEY = "__urn"
INTERNAL_KEYS = (OWNER_KEY, URN_KEY)
# Another account for one resource (resources/args.py: ConnectionArgs); the engine call
# wrapper above handles it whole, so no provider reads it.
CONNECTION_KEY = "__connection"


def internal(props: Mapping[str, Any]) -> dict[str, Any]:
    """The internal keys ``props`` carries (as text), to pass on into check's inputs."""
    return {key: props[key] for key in INTERNAL_KEYS if isinstance(props.get(key), str)}


def claim_failures(
    news: Mapping[str, Any],
    iccids: Sequence[str],
    prop: str,
    fields: Optional[Mapping[str, Mapping[str, Any]]] = None,
    *,
    policy: bool = False,
) -> list[CheckFailure]:
    """Failures for the SIMs, or the fields of SIMs, another resource of this deployment
    already declares.

    ``fields`` maps each ICCID to the fields this resource sets on it, with their values
    as checked (so equal settings compare equal).
    A resource naming its SIMs (SimConfig, SimFleet) claims each whole SIM and each field
    it sets; a group policy (``policy=True``) claims only the fields, shared with other
    policies that set the same value. A conflict on many SIMs is one failure per other
    resource and field, naming every ICCID.
    """
    owner = news.get(OWNER_KEY)
    if not isinstance(owner, str):
        return []
    keys: dict[Hashable, Any] = {} if policy else dict.fromkeys(iccids)
    for iccid, values in (fields or {}).items():
        for field, value in values.items():
            keys[(iccid, field)] = value
    taken = registry.sim_claims.claim(owner, keys, shared=policy)
    # One failure per other resource (and field), naming its SIMs: a fleet of thousands that
    # overlaps another is a few lines, not one per SIM.
    whole: dict[str, list[str]] = {}
    for key, other in taken.items():
        if isinstance(key, str):
            whole.setdefault(other, []).append(key)
    failures = []
    for other, sims in sorted(whole.items()):
        sims.sort()
        which = f"SIM {sims[0]} is" if len(sims) == 1 else f"{len(sims):,} SIMs ({listed(sims)}) are"
        failures.append(CheckFailure(
            prop,
            f"{which} declared by both {other} and {owner}: a SIM may be managed by one resource only "
            f"(two would undo each other's changes on every update); remove {'it' if len(sims) == 1 else 'them'} "
            "from one of them",
        ))
    taken_whole = {key for key in taken if isinstance(key, str)}
    by_field: dict[tuple[str, str], list[str]] = {}
    for key, other in taken.items():
        if isinstance(key, tuple) and key[0] not in taken_whole:
            by_field.setdefault((other, key[1]), []).append(key[0])
    for (other, field), sims in sorted(by_field.items()):
        shown = listed(sorted(sims))
        failures.append(CheckFailure(
            prop,
            f"`{field}` of SIM{'s' if len(sims) > 1 else ''} {shown} is set by both {other} and {owner}"
            f"{' to different values' if policy else ''}: the two would undo each other's change on every update; "
            "set it in one of them only (a group policy can leave a SIM out with `exclude`)",
        ))
    return capped(failures, "conflicts")


class EntityProvider(NovaConnectProvider):
    """A provider for an entity the platform lists with an id and names by one input (a
    group by its name, a user by its email). An entity of that name may already be on the
    account: it is taken over only with ``adopt=True``, and preview says so otherwise.

    State records whether create took the entity over or made it (``adopted``): destroy
    removes what the stack made, and leaves what it took over on the platform, as
    ``retain_on_delete`` would, unless the program says ``delete_adopted=True``."""

    # The input that names the entity; also the cause named when the entity vanished and
    # must be created again.
    recreate_on: ClassVar[str]
    # How messages name the kind: "group", "user".
    noun: ClassVar[str]

    def entities(self) -> Snapshot:
        """The shared list of this kind."""
        raise NotImplementedError

    def identity_key(self, value: str) -> Hashable:
        return (self.recreate_on, value)

    def describe(self, value: str) -> str:
        return f"{self.noun} {value}"

    def live(self, id_: str) -> Any:
        return by_id(self.entities(), id_)

    def subject(self, props: Mapping[str, Any]) -> str:
        value = props.get(self.recreate_on)
        return self.describe(value) if isinstance(value, str) else super().subject(props)

    def changed(self, live: Any, olds: Mapping[str, Any], spec: Any) -> bool:
        raise NotImplementedError

    def existing(self, value: str) -> Any:
        """The entity named ``value`` on the platform now; a hit in a shared list that may be
        a few seconds old is read again before it fails a preview."""
        entities, key = self.entities(), self.identity_key(value)
        view = entities.get()
        if view.get(key) is None:
            return None
        return entities.get(key, newer_than=view.fresh_at(key)).get(key)

    def existing_at_create(self, value: str) -> Any:
        """The entity named ``value``, from a list read afresh: create must see one made a
        moment ago (between preview and up, or by a sibling resource)."""
        entities = self.entities()
        entities.invalidate()
        return entities.get().get(self.identity_key(value))

    def kept_at_delete(self, props: Mapping[str, Any]) -> bool:
        """Whether delete leaves the entity on the platform (see the class's docstring)."""
        adopted = props.get("adopted")
        if adopted is None:  # not recorded: with adopt=True, create may have taken it over, so keep it
            adopted = bool(props.get("adopt"))
        return bool(adopted) and not props.get("delete_adopted")

    def leave(self, props: Mapping[str, Any]) -> None:
        """Delete of an adopted entity: no call; the run says why the entity stays."""
        value = props.get(self.recreate_on)
        warn(f"{self.describe(str(value))} was taken over with adopt=True, not created by this stack, so it is "
             f"left on NovaConnect; set delete_adopted=True on the {self.noun.capitalize()} (and run `pulumi up`) "
             "to have it removed with the stack")

    def already_exists(self, existing: Any) -> str:
        return (
            f"{self.describe(getattr(existing, self.recreate_on))} already exists on NovaConnect (id {existing.id}); "
            f"set adopt=True on this {self.noun.capitalize()} to bring it under management, "
            f"or declare another {self.recreate_on}"
        )

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        checked = validate(self.spec_model, news, self.inputs)
        spec = checked.spec
        failures = list(checked.failures)
        # A new entity, or a new name for it: the name must be free, or be taken over on purpose.
        if spec is not None:
            value = getattr(spec, self.recreate_on)
            if self.identity_key(value) != self.identity_key(str(olds.get(self.recreate_on) or "")):
                existing = self.existing(value)
                if existing is not None and not spec.adopt:
                    failures.append(CheckFailure(self.recreate_on, self.already_exists(existing)))
                elif existing is None and not olds:
                    note_planned_changes(f"create {self.describe(value)}")
        return CheckResult(checked.inputs, failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        unknown = self.unknown_diff(news)
        if unknown:
            return unknown
        live = self.live(id_)
        if live is None:
            # Removed behind our back: create it again (and let the old id go first).
            return DiffResult(changes=True, replaces=[self.recreate_on], delete_before_replace=True)
        return DiffResult(changes=self.changed(live, olds, self.spec(news)), replaces=[])


def by_id(snapshot: Snapshot, id_: str) -> Any:
    """The entity with platform id ``id_`` (a Pulumi id is a string) from a shared snapshot."""
    try:
        key = ("id", int(id_))
    except ValueError:
        return None
    return registry.lookup(snapshot, key)


def pick(props: Mapping[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The given fields of a property bag, without the ones that are absent or null."""
    return {key: props[key] for key in fields if props.get(key) is not None}


def as_plain(value: Any) -> Any:
    """Typed ``...Args`` objects (dataclasses), nested in dicts too, as the plain dicts the engine carries."""
    # Not dataclasses.asdict: it deep-copies the values, and they may be Outputs.
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_plain(getattr(value, f.name)) for f in fields(value) if getattr(value, f.name) is not None}
    if isinstance(value, Mapping):
        return {key: as_plain(item) for key, item in value.items()}
    return value
