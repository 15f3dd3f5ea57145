"""A tiny dynamic provider to prove the harness with. Nothing here is used by the harness itself.

The provider host is another process, so the toy keeps its "cloud" in a JSON file whose path
comes from the stack config key ``toy:path`` (read in ``configure``). The class lives in an
importable module, so dill pickles it by reference.

Resource ``Item`` (type ``pulumi-python:dynamic/toy:Item``), inputs:
  ``name`` (str), ``size`` (number, must be >= 0), ``color`` (str), ``kind`` (str; changing it
  forces a replacement), ``delay`` (seconds to sleep in create/update, to observe concurrency).
Outputs: the inputs plus ``serial`` (a number allocated by the store).

Failure injection: :meth:`ToyStore.fail` names items whose create/update/delete must raise.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import Any, Optional

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    ResourceProvider,
    UpdateResult,
)
from pulumi.output import Unknown

FIELDS = ("name", "size", "color", "kind")
REPLACE_FIELDS = ("kind",)
_LOCK = threading.Lock()


class ToyStore:
    """The toy's backend: ``{"items": {id: {...}}, "next": n, "fail": [names], "calls": [...]}``."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def load(self) -> dict[str, Any]:
        if not self.path.exists():
            return {"items": {}, "next": 1, "fail": [], "calls": []}
        return json.loads(self.path.read_text())

    def save(self, data: dict[str, Any]) -> None:
        tmp = self.path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
        os.replace(tmp, self.path)

    def items(self) -> dict[str, dict]:
        return self.load()["items"]

    def by_name(self, name: str) -> Optional[dict]:
        return next((i for i in self.items().values() if i.get("name") == name), None)

    def fail(self, *names: str) -> None:
        with _LOCK:
            data = self.load()
            data["fail"] = list(names)
            self.save(data)

    def edit(self, item_id: str, **changes: Any) -> None:
        """Change an item behind Pulumi's back (drift)."""
        with _LOCK:
            data = self.load()
            data["items"][item_id].update(changes)
            self.save(data)


class ToyProvider(ResourceProvider):
    def configure(self, req: ConfigureRequest) -> None:
        self._store = ToyStore(req.config.require("toy:path"))
        keys = sorted(k for k in ("toy:path", "toy:token") if req.config.get(k) is not None)
        print(f"toy: configured with {keys}", file=sys.stderr)  # keys only, never values

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        failures = []
        size = news.get("size")
        if isinstance(size, (int, float)) and size < 0:
            failures.append(CheckFailure("size", "size must be >= 0"))
        if not isinstance(news.get("name"), (str, Unknown)):
            failures.append(CheckFailure("name", "name is required"))
        return CheckResult(news, failures)

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        changed = [f for f in FIELDS if isinstance(news.get(f), Unknown) or olds.get(f) != news.get(f)]
        replaces = [f for f in changed if f in REPLACE_FIELDS]
        return DiffResult(changes=bool(changed), replaces=replaces)

    def _mutate(self, op: str, name: Optional[str], fn):
        with _LOCK:
            data = self._store.load()
            data["calls"].append([op, name])
            if name in data.get("fail", []):
                self._store.save(data)
                raise RuntimeError(f"toy: injected failure: cannot {op} item '{name}'")
            result = fn(data)
            self._store.save(data)
            return result

    def create(self, props: dict[str, Any]) -> CreateResult:
        time.sleep(float(props.get("delay") or 0))

        def do(data):
            serial = data["next"]
            data["next"] += 1
            item = {f: props.get(f) for f in FIELDS} | {"serial": serial}
            data["items"][f"item-{serial}"] = item
            return f"item-{serial}", item

        id_, item = self._mutate("create", props.get("name"), do)
        return CreateResult(id_, dict(item))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        item = self._store.items().get(id_)
        if item is None:
            return ReadResult("", {})
        inputs = {f: item[f] for f in FIELDS if item.get(f) is not None}
        return ReadResult(id_, dict(item), inputs=inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        time.sleep(float(news.get("delay") or 0))

        def do(data):
            item = data["items"][id_]
            item.update({f: news.get(f) for f in FIELDS})
            return dict(item)

        return UpdateResult(self._mutate("update", news.get("name"), do))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self._mutate("delete", props.get("name"), lambda data: data["items"].pop(id_, None))


class Item(Resource, module="toy", name="Item"):
    serial: pulumi.Output[float]

    def __init__(self, resource_name: str, opts: Optional[pulumi.ResourceOptions] = None, **props: Any):
        super().__init__(ToyProvider(), resource_name, {"serial": None, **props}, opts)


class LooseProvider(ToyProvider):
    """The toy without a diff(): answers DIFF_UNKNOWN, leaving the decision to the engine."""

    diff = ResourceProvider.diff


class LooseItem(Resource, module="toy", name="LooseItem"):
    def __init__(self, resource_name: str, opts: Optional[pulumi.ResourceOptions] = None, **props: Any):
        super().__init__(LooseProvider(), resource_name, {"serial": None, **props}, opts)


ITEM_TYPE = "pulumi-python:dynamic/toy:Item"
