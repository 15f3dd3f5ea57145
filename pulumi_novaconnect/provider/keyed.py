"""Maps keyed by ICCID as the Pulumi engine carries them: lists sorted by ICCID.

The engine rebuilds a property map once per key while it prepares every step's display (an
immutable map, copied on each set), so one map of n keys costs n² work per step: a SimFleet
of 10,000 SIMs spent about 40 s of the CLI's CPU on that alone in each preview, while the
same entries as a list cost about one second. Programs go on writing maps (``sims={iccid:
settings}``); the resource sends the entries as a list and names the properties so sent in
``KEYED``, so the provider can tell them from a list a program passed by mistake, and the
program reads the map back from the resource's output.

Each plain entry travels as one line of JSON, ``'{"iccid":"8997...","name":"pump-1"}'``,
not as an object: the engine keeps every object of a property as a map of its own, about
20 KB per SIM, so a 100,000-SIM fleet held 2 GB in the CLI and took 90 s to preview; the same
entries as strings take a tenth of both. (Reviewers never read this form: the engine does not
display a fleet's entries, and the provider prints a digest instead; sim/review.py.) Numbers stay
integers inside the string, where the engine would have made them floats.

An entry that is not plain JSON data (an Output or unknown value anywhere in it, a string,
or an object that has an ``iccid`` or ``entry`` key of its own) travels as ``{"iccid": key,
"entry": value}``, so the program's unknowns stay unknown under a known ICCID, decoding gives
back exactly what the program wrote, and check can refuse it. State written before (a map,
or a list of objects) decodes the same way.
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

import pulumi

KEYED = "__keyed"
_NESTED = "entry"


def _plain_json(value: Any) -> bool:
    """Whether ``value`` is JSON data all the way down (no Output, no unknown, no secret)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return True
    if isinstance(value, Mapping):
        return all(isinstance(k, str) and _plain_json(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return all(_plain_json(v) for v in value)
    return False


def without_nulls(value: Any) -> Any:
    """As the engine carries an object: a key whose value is null is left out."""
    if isinstance(value, Mapping):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [without_nulls(v) for v in value]
    return value


def _element(key: Any, value: Any) -> Any:
    if (isinstance(value, Mapping) and "iccid" not in value and _NESTED not in value and isinstance(key, str)
            and _plain_json(value)):
        return json.dumps({"iccid": key, **without_nulls(value)}, separators=(",", ":"), ensure_ascii=False)
    return {"iccid": key, _NESTED: value}


def _entry(element: Any) -> Any:
    """One element of a keyed list as an object (an entry's line of JSON parsed); None if it is
    not one of ours."""
    if isinstance(element, str):
        try:
            element = json.loads(element)
        except ValueError:
            return None
    return element if isinstance(element, Mapping) and "iccid" in element else None


def encode(mapping: Mapping[Any, Any]) -> list[Any]:
    """A map as the engine's list: what the resource sends, and what the provider writes
    (outputs, read's inputs)."""
    return [_element(key, mapping[key]) for key in sorted(mapping, key=str)]


def encode_input(name: str, value: Any) -> tuple[Any, Any]:
    """A program's map as the engine's list, and the ``KEYED`` mark: ``[name]`` if it was one.

    A map given directly keeps each entry's own unknowns (an entry that is an Output stays
    an Output under its known ICCID); a map inside an Output is converted once it resolves.
    Anything else goes through as given, for check to refuse with its own words."""
    if isinstance(value, pulumi.Output):
        return (value.apply(lambda v: encode(v) if isinstance(v, Mapping) else v),
                value.apply(lambda v: [name] if isinstance(v, Mapping) else []))
    if isinstance(value, Mapping):
        return encode(value), [name]
    return value, []


def decode(value: Any) -> Any:
    """The map a keyed list stands for; anything else as it is."""
    if not isinstance(value, list):
        return value
    out: dict[Any, Any] = {}
    for raw in value:
        element = _entry(raw)
        if element is None:
            return value
        key = element["iccid"]
        out[key] = element[_NESTED] if _NESTED in element else {k: v for k, v in element.items() if k != "iccid"}
    return out


def marked(props: Mapping[str, Any], names: Iterable[str]) -> list[str]:
    """The properties among ``names`` that ``props`` carries as keyed lists."""
    mark = props.get(KEYED)
    return [name for name in names if isinstance(mark, (list, tuple)) and name in mark]


def decoded(props: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """``props`` with every keyed list named in its mark turned back into its map; a
    property bag written by an earlier release (plain maps, no mark) comes back unchanged."""
    out = dict(props)
    for name in marked(props, names):
        out[name] = decode(props.get(name))
    out.pop(KEYED, None)
    return out
