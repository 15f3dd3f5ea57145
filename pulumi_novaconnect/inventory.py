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

Both formats keep to one set of column rules, because both come from people and
spreadsheets rather than from code:

- names are matched whatever their case, with spaces or ``-`` read as ``_`` (``ICCID``,
  ``Limit MB``), since spreadsheets title-case headers;
- a CSV's cells may be separated by ``,``, ``;`` (what spreadsheets write where ``,`` is
  the decimal mark) or a tab; the header row tells which;
- a column the package does not know is the team's note and is ignored, unless it is a
  near miss of one it knows (``group``, ``package``, ``limit`` in a CSV): ignoring that
  would leave the field silently unmanaged, so it is refused, naming the right column;
- each SIM once; a CSV row with more cells than the header is refused (an unquoted ``;``
  in a ``groups`` cell would shift every later cell); rows with every cell empty, which
  spreadsheets write at the end, are skipped;
- the file is UTF-8 (a byte-order mark is fine, UTF-16 with one too); an empty file is an
  error, not an empty fleet.

CSV cells are read per column (``true``/``false``, whole numbers); YAML values are passed
as written, typed as YAML typed them, for the fleet to check at preview.
"""
from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Optional, Union

from .errors import ResourceError
from .sim.fields import GROUP_SEPARATOR, SIM_FIELDS, CellError, FieldSet

# The columns and keys, and how each cell reads, are the SIM field model's (sim/fields.py).
CSV_COLUMNS = SIM_FIELDS.csv_columns()
YAML_FIELDS = SIM_FIELDS.names
CSV_DELIMITERS = (",", ";", "\t")

# A column named like one the other format uses, and what it is called here.
_CSV_MISNAMED = {**{f.name: f.cells.csv_hint for f in SIM_FIELDS if f.cells.csv_hint},
                 **{alias: hint for f in SIM_FIELDS for alias, hint in f.cells.aliases.items()}}
_YAML_MISNAMED = {column: hint for f in SIM_FIELDS for column, hint in f.cells.yaml_hints.items()}


class InventoryError(ResourceError):
    """An inventory file that cannot be read as a fleet; names the file, row and column."""


@dataclass(frozen=True)
class InventoryRow:
    """One SIM of an inventory: its settings and the line of the file it starts on."""

    iccid: str
    settings: dict[str, Any]
    line: int


def read_inventory(path: Union[str, Path]) -> dict[str, dict[str, Any]]:
    """The ``sims`` mapping (ICCID to settings) an inventory file describes.

    The format follows the suffix: ``.csv``, or ``.yaml``/``.yml``.
    """
    return {row.iccid: row.settings for row in inventory_rows(path)}


def inventory_rows(path: Union[str, Path]) -> list[InventoryRow]:
    """The SIMs of an inventory in file order, each with the line it starts on."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _read_csv(path)
    elif suffix in (".yaml", ".yml"):
        rows = _read_yaml(path)
    else:
        raise InventoryError(f"{path}: an inventory is a .csv or .yaml file, not {suffix or 'a file without a suffix'}; "
                             "rename it, or export it from the spreadsheet as CSV")
    first: dict[str, int] = {}
    for row in rows:
        if row.iccid in first:
            raise InventoryError(f"{path}, line {row.line}: SIM {row.iccid} is listed twice (first on line "
                                 f"{first[row.iccid]}); keep one entry per SIM")
        first[row.iccid] = row.line
    return rows


def column_name(text: Any) -> str:
    """A header cell or key as the rules compare it: ``" Limit MB"`` -> ``limit_mb``."""
    return re.sub(r"[\s\-]+", "_", str(text).strip().lower())


def _near_miss(name: str, known: tuple[str, ...], misnamed: Mapping[str, str]) -> Optional[str]:
    """The known column an unknown one was probably meant to be, if any."""
    if name in misnamed:
        return misnamed[name]
    squashed = name.replace("_", "")
    for column in known:
        if squashed == column.replace("_", "") or column.startswith(name + "_"):
            return f"`{column}`"
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
    return f"`{close[0]}`" if close else None


def _text(path: Path) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InventoryError(f"{path}: no such file; check the path (it is relative to the folder you run in)") from None
    except OSError as exc:
        raise InventoryError(f"{path}: cannot be read ({exc.strerror or exc}); check the path and its permissions") from None
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InventoryError(f"{path} is not UTF-8 text (line {line} holds the byte 0x{data[exc.start]:02x}); "
                             "save it as UTF-8 (in a spreadsheet: \"CSV UTF-8\")") from None
    if not text.strip():
        raise InventoryError(f"{path} is empty; {_expected(path)}")
    return text


def _expected(path: Path) -> str:
    if path.suffix.lower() == ".csv":
        return (f"its first row must name the columns ({', '.join(CSV_COLUMNS)}; `iccid` required), "
                "separated by `,` or `;`")
    return f"it must map each ICCID to its settings ({', '.join(YAML_FIELDS)}), or list SIMs each with an `iccid`"


# ---------------------------------------------------------------------------------------- CSV


def _read_csv(path: Path) -> list[InventoryRow]:
    text = _text(path)
    header_line = text.splitlines()[0]
    delimiter, columns = _csv_header(path, header_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(reader)
    rows: list[InventoryRow] = []
    end = reader.line_num
    for cells in reader:
        line, end = end + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        where = f"{path}, line {line}"
        if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns):]):
            shown = "a tab" if delimiter == "\t" else f"`{delimiter}`"
            raise InventoryError(
                f"{where}: {len(cells)} cells, but the header names {len(columns)} columns; a cell holding {shown} "
                f"(such as groups separated by `{GROUP_SEPARATOR}`) must be in double quotes"
            )
        row = {name: cells[i] for i, name in enumerate(columns) if name in CSV_COLUMNS and i < len(cells)}
        iccid = (row.get("iccid") or "").strip()
        if not iccid:
            raise InventoryError(f"{where}: the `iccid` cell is empty; fill it in, or delete the row")
        rows.append(InventoryRow(iccid, _settings_from_row(row, where), line))
    return rows


def _csv_header(path: Path, first: str) -> tuple[str, list[str]]:
    """The delimiter that makes the first row name an ``iccid`` column (the one naming most
    known columns when several do), and the columns it names."""
    best: Optional[tuple[int, str, list[str]]] = None
    for delimiter in CSV_DELIMITERS:
        names = [column_name(cell) for cell in next(csv.reader([first], delimiter=delimiter), [])]
        if "iccid" in names:
            score = sum(name in CSV_COLUMNS for name in names)
            if best is None or score > best[0]:
                best = (score, delimiter, names)
    if best is None:
        shown = first if len(first) <= 60 else first[:57] + "..."
        raise InventoryError(f"{path}: the first row reads {shown!r}, which names no `iccid` column; {_expected(path)}")
    _, delimiter, names = best
    seen: set[str] = set()
    for name in names:
        if name in CSV_COLUMNS:
            if name in seen:
                raise InventoryError(f"{path}, line 1: the column `{name}` is named twice; keep one")
            seen.add(name)
        elif name:
            meant = _near_miss(name, CSV_COLUMNS, _CSV_MISNAMED)
            if meant:
                raise InventoryError(f"{path}, line 1: the column `{name}` is not one the inventory reads; "
                                     f"rename it to {meant}, or to a name of your own if it is a note")
    return delimiter, names


def _settings_from_row(row: Mapping[str, Optional[str]], where: str,
                       fields: FieldSet = SIM_FIELDS) -> dict[str, Any]:
    """One row's settings, each field read from its own cells; empty cells are unmanaged."""
    cells = {key: (value or "").strip() for key, value in row.items()}
    settings: dict[str, Any] = {}
    for field in fields:
        try:
            value = field.cells.read(cells)
        except CellError as exc:
            raise InventoryError(f"{where}: {exc}") from None
        if value is not None:
            settings[field.name] = value
    return settings


# --------------------------------------------------------------------------------------- YAML


class _Twice(Exception):
    def __init__(self, key: Any, line: int) -> None:
        super().__init__(key, line)
        self.key, self.line = key, line


def _loader_class() -> type:
    import yaml

    class UniqueKeyLoader(yaml.SafeLoader):
        """PyYAML keeps the last of two equal keys without a word; an inventory may not."""

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):
                self.flatten_mapping(node)
                seen: set[str] = set()
                for key_node, _ in node.value:
                    key = column_name(self.construct_object(key_node, deep=True))
                    if key in seen:
                        raise _Twice(key, key_node.start_mark.line + 1)
                    seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return UniqueKeyLoader


def _read_yaml(path: Path) -> list[InventoryRow]:
    import yaml

    loader = _loader_class()(_text(path))
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except _Twice as twice:
        what = f"SIM {twice.key} is listed" if str(twice.key).isdigit() else f"`{twice.key}` is given"
        raise InventoryError(f"{path}, line {twice.line}: {what} twice; keep one") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise InventoryError(f"{path}{where}: not valid YAML ({problem}); {_expected(path)}") from None
    finally:
        loader.dispose()
    if isinstance(data, list):
        lines = [child.start_mark.line + 1 for child in node.value]
        rows = []
        for n, (item, line) in enumerate(zip(data, lines), start=1):
            where = f"{path}, line {line}"
            keyed = {column_name(k): v for k, v in item.items()} if isinstance(item, Mapping) else {}
            iccid = str(keyed.get("iccid") or "").strip()
            if not iccid:
                raise InventoryError(f"{where}: SIM {n} of the list needs an `iccid`; add it, or remove the item")
            rows.append(InventoryRow(iccid, _yaml_settings(iccid, item, where), line))
        return rows
    if isinstance(data, Mapping):
        lines = [key.start_mark.line + 1 for key, _ in node.value]
        return [InventoryRow(str(iccid).strip(), _yaml_settings(str(iccid).strip(), settings, f"{path}, line {line}"), line)
                for (iccid, settings), line in zip(data.items(), lines)]
    raise InventoryError(f"{path}: holds {type(data).__name__} {str(data)[:40]!r}; {_expected(path)}")


def _yaml_settings(iccid: str, settings: Any, where: str) -> dict[str, Any]:
    """One SIM's settings under the column rules: known names in any case, notes ignored,
    near misses refused, empty values unmanaged."""
    if settings is None:
        return {}
    if not isinstance(settings, Mapping):
        raise InventoryError(f"{where}: the settings of SIM {iccid} must be a mapping of {', '.join(YAML_FIELDS)}, "
                             f"not {type(settings).__name__} {str(settings)[:40]!r}")
    out: dict[str, Any] = {}
    for key, value in settings.items():
        name = column_name(key)
        if name in YAML_FIELDS:
            if value is not None:
                out[name] = value
        elif name != "iccid":
            meant = _near_miss(name, YAML_FIELDS, _YAML_MISNAMED)
            if meant:
                raise InventoryError(f"{where}: SIM {iccid}: `{key}` is not a setting the inventory reads; "
                                     f"write it as {meant}, or give it a name of your own if it is a note")
    return out
