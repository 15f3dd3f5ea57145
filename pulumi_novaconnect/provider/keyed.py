"""Maps keyed by ICCID as the Pulumi engine carries them: lists sorted by ICCID.

The engine rebuilds a property map once per key while it prepares every step's display (an
immutable map, copied on each set), so one map of n keys costs n² work per step: a SimFleet
of 10,000 SIMs spent about 40 s of the CLI's CPU on that alone in each preview, while the
same entries as a list cost about one second. Programs go on writing maps (``sims={iccid:
settings}``); the resource sends the entries as a list of ``{"iccid": ..., <settings>}`` and
names the properties so sent in ``KEYED``, so the provider can tell them from a list a program
passed by mistake, and the program reads the map back from the resource's output.

An entry whose value is not a plain object of settings (an Output, a string, or an object
that has an ``iccid`` or ``entry`` key of its own) travels as ``{"iccid": key, "entry":
value}``, so decoding gives back exactly what the program wrote and check can refuse it.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

import pulumi

KEYED = "__keyed"
_NESTED = "entry"


def _element(key: Any, value: Any) -> dict[str, Any]:
    if isinstance(value, Mapping) and "iccid" not in value and _NESTED not in value:
        return {"iccid": key, **value}
    return {"iccid": key, _NESTED: value}


def encode(mapping: Mapping[Any, Any]) -> list[dict[str, Any]]:
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
    for element in value:
        if not isinstance(element, Mapping) or "iccid" not in element:
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
