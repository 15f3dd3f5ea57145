"""Reading a fleet inventory (CSV or YAML) into the ``sims`` mapping of a ``SimFleet``.

Teams keep their SIM lists in spreadsheets; a CSV row per SIM is the natural source of a
fleet. Cells left empty are not managed. Columns the package does not know (a site, an
address) are ignored, so an inventory can carry the team's own notes.

CSV columns: ``iccid`` (required), ``name``, ``groups`` (names separated by ``;``),
``blocked`` (true/false), ``limit_mb`` (a number of MB for a monthly limit, or ``off``),
``package_mb``, ``auto_package`` (true/false) and ``all_world`` (true/false) for a TD
SIM's package. YAML: a mapping of ICCID to settings (``name``, ``groups``, ``blocked``,
``limit: {type, value_mb}``, ``tariff: {package_mb, auto_package, all_world}``), or a list
of such mappings each with its ``iccid``.
"""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Mapping, Optional, Union

from .errors import ResourceError

CSV_COLUMNS = ("iccid", "name", "groups", "blocked", "limit_mb", "package_mb", "auto_package", "all_world")
GROUP_SEPARATOR = ";"
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0")


class InventoryError(ResourceError):
    """An inventory file that cannot be read as a fleet; names the file, row and column."""


def read_inventory(path: Union[str, Path]) -> dict[str, dict[str, Any]]:
    """The ``sims`` mapping (ICCID to settings) an inventory file describes.

    The format follows the suffix: ``.csv``, or ``.yaml``/``.yml``.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".yaml", ".yml"):
        return _read_yaml(path)
    raise InventoryError(f"{path}: an inventory is a .csv or .yaml file, not {suffix or 'a file without a suffix'}")


def _read_csv(path: Path) -> dict[str, dict[str, Any]]:
    sims: dict[str, dict[str, Any]] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "iccid" not in reader.fieldnames:
            raise InventoryError(f"{path}: the first row must name the columns, `iccid` among them")
        for line, row in enumerate(reader, start=2):
            where = f"{path}, line {line}"
            iccid = (row.get("iccid") or "").strip()
            if not iccid:
                raise InventoryError(f"{where}: the `iccid` cell is empty")
            if iccid in sims:
                raise InventoryError(f"{where}: SIM {iccid} is listed twice")
            sims[iccid] = _settings_from_row(row, where)
    return sims


def _settings_from_row(row: Mapping[str, Optional[str]], where: str) -> dict[str, Any]:
    cell = {key: (row.get(key) or "").strip() for key in CSV_COLUMNS}
    settings: dict[str, Any] = {}
    if cell["name"]:
        settings["name"] = cell["name"]
    if cell["groups"]:
        settings["groups"] = [g.strip() for g in cell["groups"].split(GROUP_SEPARATOR) if g.strip()]
    if cell["blocked"]:
        settings["blocked"] = _boolean(cell["blocked"], "blocked", where)
    if cell["limit_mb"]:
        if cell["limit_mb"].lower() == "off":
            settings["limit"] = {"type": "off"}
        else:
            settings["limit"] = {"type": "month1", "value_mb": _whole(cell["limit_mb"], "limit_mb", where)}
    if cell["package_mb"] or cell["auto_package"] or cell["all_world"]:
        if not cell["package_mb"] or not cell["auto_package"]:
            raise InventoryError(f"{where}: a package needs both `package_mb` and `auto_package`")
        tariff: dict[str, Any] = {
            "package_mb": _whole(cell["package_mb"], "package_mb", where),
            "auto_package": _boolean(cell["auto_package"], "auto_package", where),
        }
        if cell["all_world"]:
            tariff["all_world"] = _boolean(cell["all_world"], "all_world", where)
        settings["tariff"] = tariff
    return settings


def _boolean(text: str, column: str, where: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise InventoryError(f"{where}: `{column}` must be true or false, not {text!r}")


def _whole(text: str, column: str, where: str) -> int:
    if not text.isdigit():
        raise InventoryError(f"{where}: `{column}` must be a whole number of MB, not {text!r}")
    return int(text)


def _read_yaml(path: Path) -> dict[str, dict[str, Any]]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if isinstance(data, list):
        sims: dict[str, dict[str, Any]] = {}
        for n, item in enumerate(data, start=1):
            if not isinstance(item, Mapping) or not item.get("iccid"):
                raise InventoryError(f"{path}, item {n}: each item needs an `iccid`")
            iccid = str(item["iccid"]).strip()
            if iccid in sims:
                raise InventoryError(f"{path}, item {n}: SIM {iccid} is listed twice")
            sims[iccid] = {k: v for k, v in item.items() if k != "iccid" and v is not None}
        return sims
    if isinstance(data, Mapping):
        return {str(iccid).strip(): dict(settings or {}) for iccid, settings in data.items()}
    raise InventoryError(f"{path}: an inventory is a mapping of ICCID to settings, or a list of SIMs")
