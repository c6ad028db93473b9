"""Text to typed columns, with a reason for every cell that does not convert.

CSV cells and JSON Lines values arrive as text (or JSON values). Each flat
column is converted with whole-column operations; a cell that does not convert
(``02/30/2020``, ``2020-13-01``, ``twelve`` in a number column) does not abort
the run: it is reported as :class:`CellProblem` and its row goes to the
rejects with that reason. Impossible calendar dates are caught by writing the
parsed date back and comparing it with the input, because the underlying
parser rolls 2020-02-30 over to 2020-03-01.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.dates import strict_strptime
from justice_schema._toolkit.jsonlines import json_type
from justice_schema.flat import FlatColumn
from justice_schema.validation.paths import display_path

__all__ = ["CellProblem", "ConvertedChunk", "convert_text_columns", "convert_json_value"]

_DATE_RE = r"^\d{4}-\d{2}-\d{2}$"
_INSTANT_RE = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$"
_INT_RE = r"^[+-]?[0-9]+$"
_FLOAT_RE = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
_TRUE = ("true", "True", "TRUE", "1")
_FALSE = ("false", "False", "FALSE", "0")


@attrs.frozen(slots=True)
class CellProblem:
    """A cell that could not be converted: which rows (positions in the chunk), which field, why."""

    rows: pa.Array
    field: str
    kind: str
    message: str
    values: pa.Array


@attrs.frozen(slots=True)
class ConvertedChunk:
    """Typed flat columns of a chunk, and the problems found converting it."""

    columns: dict[str, pa.Array]
    problems: list[CellProblem]


def _bad(mask: pa.Array) -> pa.Array:
    return pc.indices_nonzero(pc.fill_null(mask, False))


def _field_name(column: FlatColumn) -> str:
    return display_path(column.path)


def _convert_dates(text: pa.Array, column: FlatColumn, problems: list[CellProblem]) -> pa.Array:
    given = pc.is_valid(text)
    form_ok = pc.match_substring_regex(text, _DATE_RE)
    parsed = strict_strptime(text, "%Y-%m-%d")
    wrong_form = pc.and_(given, pc.invert(form_ok))
    impossible = pc.and_(pc.and_(given, form_ok), pc.is_null(parsed))
    _report(problems, wrong_form, column, "date", "not a date written YYYY-MM-DD", text)
    _report(problems, impossible, column, "date", "not a calendar date", text)
    ok = pc.and_(pc.fill_null(form_ok, False), pc.is_valid(parsed))
    return pc.if_else(ok, pc.cast(parsed, pa.date32()), pa.scalar(None, pa.date32()))


def _convert_instants(text: pa.Array, column: FlatColumn, problems: list[CellProblem]) -> pa.Array:
    given = pc.is_valid(text)
    form_ok = pc.fill_null(pc.match_substring_regex(text, _INSTANT_RE), False)
    day = pc.utf8_slice_codeunits(text, 0, 10)
    day_ok = pc.is_valid(strict_strptime(day, "%Y-%m-%d"))
    ok = pc.and_(form_ok, day_ok)
    _report(problems, pc.and_(given, pc.invert(form_ok)), column, "date",
            "not a date and time with a time zone (e.g. 2024-05-01T13:45:00-06:00)", text)
    _report(problems, pc.and_(given, pc.and_(form_ok, pc.invert(day_ok))), column, "date",
            "not a calendar date", text)
    candidates = pc.if_else(ok, text, pa.scalar(None, pa.string()))
    try:
        return pc.cast(candidates, column.type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        out: list[Any] = []
        bad: list[int] = []
        for i, value in enumerate(candidates.to_pylist()):
            try:
                out.append(None if value is None else datetime.fromisoformat(value.replace("Z", "+00:00")))
            except ValueError:
                out.append(None)
                bad.append(i)
        if bad:
            rows = pa.array(bad, pa.int64())
            problems.append(CellProblem(rows, _field_name(column), "date", "not a valid time of day",
                                        pc.take(text, rows)))
        return pa.array(out, column.type)


def _convert_numbers(text: pa.Array, column: FlatColumn, problems: list[CellProblem]) -> pa.Array:
    integer = pa.types.is_integer(column.type)
    form_ok = pc.fill_null(pc.match_substring_regex(text, _INT_RE if integer else _FLOAT_RE), False)
    given = pc.is_valid(text)
    candidates = pc.if_else(form_ok, text, pa.scalar(None, pa.string()))
    wide = pc.cast(candidates, pa.int64() if integer else pa.float64())
    bad = pc.and_(given, pc.invert(form_ok))
    if integer:
        limits = pa.scalar(2**31 - 1, pa.int64()), pa.scalar(-(2**31), pa.int64())
        overflow = pc.fill_null(pc.or_(pc.greater(wide, limits[0]), pc.less(wide, limits[1])), False)
        _report(problems, overflow, column, "range", "the number is too large", text)
        wide = pc.if_else(overflow, pa.scalar(None, pa.int64()), wide)
    _report(problems, bad, column, "type", "not a whole number" if integer else "not a number", text)
    return pc.cast(wide, column.type)


def _convert_bools(text: pa.Array, column: FlatColumn, problems: list[CellProblem]) -> pa.Array:
    is_true = pc.is_in(text, value_set=pa.array(_TRUE))
    is_false = pc.is_in(text, value_set=pa.array(_FALSE))
    bad = pc.and_(pc.is_valid(text), pc.invert(pc.or_(is_true, is_false)))
    _report(problems, bad, column, "type", "not true or false", text)
    return pc.if_else(is_true, True, pc.if_else(is_false, False, pa.scalar(None, pa.bool_())))


def _report(problems: list[CellProblem], mask: pa.Array, column: FlatColumn, kind: str, message: str,
            text: pa.Array) -> None:
    rows = _bad(mask)
    if len(rows):
        problems.append(CellProblem(rows, _field_name(column), kind, message, pc.take(text, rows)))


def convert_text_columns(texts: dict[str, pa.Array], columns: tuple[FlatColumn, ...], length: int) -> ConvertedChunk:
    """Convert the text columns of a chunk to the flat layout's types; absent columns become nulls."""
    problems: list[CellProblem] = []
    out: dict[str, pa.Array] = {}
    for column in columns:
        text = texts.get(column.name)
        if text is None:
            out[column.name] = pa.nulls(length, pa.string() if column.json_list else column.type)
            continue
        if isinstance(text, pa.ChunkedArray):
            text = text.combine_chunks()
        if not pa.types.is_string(text.type) and not pa.types.is_large_string(text.type):
            text = pc.cast(text, pa.string())
        if column.json_list or pa.types.is_string(column.type):
            out[column.name] = text
        elif pa.types.is_date(column.type):
            out[column.name] = _convert_dates(text, column, problems)
        elif pa.types.is_timestamp(column.type):
            out[column.name] = _convert_instants(text, column, problems)
        elif pa.types.is_boolean(column.type):
            out[column.name] = _convert_bools(text, column, problems)
        else:
            out[column.name] = _convert_numbers(text, column, problems)
    return ConvertedChunk(out, problems)


def convert_json_value(value: Any, type_: pa.DataType, where: str) -> tuple[Any, list[tuple[str, str, str]]]:
    """Check and convert one JSON value to the Python value Arrow expects for ``type_``.

    Returns the value and a list of ``(field, kind, message)`` problems; a
    value of the wrong JSON type (a number in a text field, text in a number
    field) is a problem, never silently converted.
    """
    problems: list[tuple[str, str, str]] = []

    def walk(v: Any, t: pa.DataType, path: str) -> Any:
        if v is None:
            return None
        if pa.types.is_struct(t):
            if not isinstance(v, dict):
                problems.append((path, "type", "expected an object"))
                return None
            known = {f.name for f in t}
            for extra in sorted(set(v) - known):
                problems.append((f"{path}.{extra}" if path else extra, "unknown_field", "field not in the schema"))
            return {f.name: walk(v.get(f.name), f.type, f"{path}.{f.name}" if path else f.name) for f in t}
        if pa.types.is_list(t):
            if not isinstance(v, list):
                problems.append((path, "type", "expected a list"))
                return None
            return [walk(item, t.value_type, path) for item in v]
        if pa.types.is_string(t):
            if not isinstance(v, str):
                problems.append((path, "type", f"expected text, got a JSON {json_type(v, integer=False)}"))
                return None
            return v
        if pa.types.is_boolean(t):
            if not isinstance(v, bool):
                problems.append((path, "type", f"expected true/false, got a JSON {json_type(v, integer=False)}"))
                return None
            return v
        if pa.types.is_integer(t):
            if isinstance(v, bool) or not isinstance(v, int):
                problems.append((path, "type", f"expected a whole number, got a JSON {json_type(v, integer=False)}"))
                return None
            if not -(2**31) <= v < 2**31:
                problems.append((path, "range", "the number is too large"))
                return None
            return v
        if pa.types.is_floating(t):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                problems.append((path, "type", f"expected a number, got a JSON {json_type(v, integer=False)}"))
                return None
            return float(v)
        if pa.types.is_date(t):
            if not isinstance(v, str) or len(v) != 10:
                problems.append((path, "date", "not a date written YYYY-MM-DD"))
                return None
            try:
                return date.fromisoformat(v)
            except ValueError:
                problems.append((path, "date", "not a calendar date"))
                return None
        if pa.types.is_timestamp(t):
            import re

            if not isinstance(v, str) or not re.match(_INSTANT_RE, v):
                problems.append((path, "date", "not a date and time with a time zone"))
                return None
            try:
                return datetime.fromisoformat(v.replace("Z", "+00:00"))
            except ValueError:
                problems.append((path, "date", "not a calendar date"))
                return None
        return v

    return walk(value, type_, where), problems
