"""File formats (CSV, XLSX, JSON): reading uploads into datasets, writing datasets safely.

Exports escape spreadsheet formulas: a text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
return gets a leading apostrophe, so Excel/LibreOffice/Sheets show it as text instead of running it
(OWASP "CSV injection"). Plain numbers ("-3", "+44.5") are left alone: they cannot run anything. Imports
undo the escape, so an exported file imports back unchanged.
"""

from __future__ import annotations

import re

import tablib
from import_export.formats import base_formats

FORMATS: dict[str, type[base_formats.Format]] = {
    "csv": base_formats.CSV,
    "xlsx": base_formats.XLSX,
    "json": base_formats.JSON,
}
FORMAT_KEYS = list(FORMATS)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
NUL = "\x00"  # not text: PostgreSQL refuses it in text and jsonb, SQLite would keep it as a hidden cut
NUL_SHOWN = "\\x00"  # how a rejected cell's NUL is shown back to staff: four characters every font has


class FileUnreadable(ValueError):
    """The upload is not a readable file of the chosen format."""


def format_instance(key: str) -> base_formats.Format:
    return FORMATS[key]()


def format_from_filename(name: str) -> str | None:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return extension if extension in FORMATS else None


def dataset_read(*, content: bytes, format_key: str) -> tablib.Dataset:
    """Parse an upload; raises FileUnreadable with a message staff can act on."""
    fmt = format_instance(format_key)
    try:
        if format_key in {"csv", "json"}:
            text = content.decode("utf-8-sig")
            dataset = fmt.create_dataset(text)
        else:
            dataset = fmt.create_dataset(content)
    except UnicodeDecodeError as exc:
        raise FileUnreadable(f"The file is not UTF-8 text ({exc.reason}).") from exc
    except Exception as exc:  # noqa: BLE001 - tablib/openpyxl raise many kinds; all mean "not this format"
        raise FileUnreadable(f"The file could not be read as {format_key.upper()}: {exc}") from exc
    if not dataset.headers:
        raise FileUnreadable("The file has no header row.")
    dataset.headers = [str(header).strip() if header is not None else "" for header in dataset.headers]
    if any(NUL in header for header in dataset.headers):
        raise FileUnreadable("A column name holds a NUL character (\\x00), which is not text.")
    return dataset


def cell_shown(value) -> str:
    """A cell as text to show back (and keep in a job's JSON), NUL characters made visible."""
    return ("" if value is None else str(value)).replace(NUL, NUL_SHOWN)


def cell_escape(value):
    """Neutralise a cell a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.match(value):
        return "'" + value
    return value


def cell_unescape(value):
    """Undo `cell_escape` on an imported cell."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def dataset_escape_formulae(dataset: tablib.Dataset) -> tablib.Dataset:
    escaped = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        escaped.append([cell_escape(cell) for cell in row])
    return escaped


def dataset_export(*, dataset: tablib.Dataset, format_key: str) -> bytes:
    """The dataset as file bytes, formulas escaped."""
    data = format_instance(format_key).export_data(dataset_escape_formulae(dataset))
    return data.encode("utf-8") if isinstance(data, str) else data
