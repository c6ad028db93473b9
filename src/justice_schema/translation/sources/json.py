"""The ``jsonl`` and ``json`` readers: JSON Lines, or one JSON document of records.

Nested objects are flattened into dotted column names (``person.name.last``);
scalars become text (``true``, ``12``, ``1.5``); ``null`` and ``""`` become
null. An array of objects becomes a ``list<struct<...>>`` column whose items
are flattened the same way (explode it with ``each.array`` in the spec); an
array of scalars becomes a list of ``{"value": ...}`` items.

``[source]`` options: ``encoding`` (default ``"utf-8"``), ``batch_rows``
(default 65,536 records per batch); for ``json`` only, ``records`` names the
dotted path of the array of records in the document (default: the document
itself is the array). A JSON Lines line that is not a JSON object (invalid JSON,
an array or scalar, nesting deeper than 100 levels, an integer of more than 40
digits, bytes that are not text in ``encoding``) is kept as a reject
(``_source_error``) with the reason, not dropped; bad bytes on the first line
are an input error instead (the whole file is then in another encoding). Blank
lines are skipped, and ``_source_line`` is the physical line number. A ``json`` document is read
whole (it cannot be streamed); use JSON Lines for large exports.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa

from justice_schema._toolkit.jsonlines import JsonTextError, loads_record
from justice_schema.errors import InputError
from justice_schema.translation.sources import (
    SOURCE_ERROR,
    SOURCE_FILE,
    SOURCE_LINE,
    SOURCE_TEXT,
    SourceBatch,
    check_option_keys,
    register_reader,
)

__all__ = ["read_jsonl", "read_json", "flatten_object"]

_JSONL_OPTIONS = {"encoding", "batch_rows", "record_type"}
_JSON_OPTIONS = {"encoding", "records", "record_type"}


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def flatten_object(obj: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A JSON object as a flat dict: dotted keys, text scalars, lists of flat dicts.

    >>> flatten_object({"a": {"b": 1}, "c": [{"d": True}], "e": ""})
    {'a.b': '1', 'c': [{'d': 'true'}], 'e': None}
    """
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten_object(value, f"{name}."))
        elif isinstance(value, list):
            out[name] = [
                flatten_object(item) if isinstance(item, Mapping) else {"value": _text(item)} for item in value
            ]
        else:
            out[name] = _text(value)
    return out


def _item_type(items: list[dict[str, Any]]) -> pa.DataType:
    names: dict[str, None] = {}
    for item in items:
        for key, value in item.items():
            if isinstance(value, list):
                raise TypeError(key)
            names.setdefault(key, None)
    return pa.list_(pa.struct([pa.field(n, pa.string()) for n in names]))


def _to_table(rows: list[dict[str, Any]], lines: list[int | None], errors: list[str | None],
              texts: list[str | None], path: Path) -> pa.Table:
    kinds: dict[str, list[dict[str, Any]] | None] = {}
    for row in rows:
        for key, value in row.items():
            if isinstance(value, list):
                seen = kinds.get(key) or []
                seen.extend(value)
                kinds[key] = seen
            else:
                kinds.setdefault(key, None)
    columns: dict[str, pa.Array] = {}
    for key, items in kinds.items():
        if items is None:
            values = [row.get(key) for row in rows]
            columns[key] = pa.array([v if not isinstance(v, list) else json.dumps(v) for v in values], pa.string())
        else:
            try:
                kind = _item_type(items)
            except TypeError as exc:
                raise InputError(f"arrays nested inside array items ({key}.{exc}) are not supported",
                                 path=str(path)) from None
            values = [row.get(key) if isinstance(row.get(key), list) else None for row in rows]
            columns[key] = pa.array(values, kind)
    n = len(rows)
    columns[SOURCE_FILE] = pa.repeat(pa.scalar(str(path), pa.string()), n)
    columns[SOURCE_LINE] = pa.array(lines, pa.int64())
    if any(e is not None for e in errors):
        columns[SOURCE_ERROR] = pa.array(errors, pa.string())
        columns[SOURCE_TEXT] = pa.array(texts, pa.string())
    return pa.table(columns) if columns else pa.table({})


def _error_line(text: str) -> int | None:
    """The line of a JSON syntax error in ``text`` (None when the fault is not a syntax error)."""
    try:
        json.loads(text, parse_int=lambda digits: 0)  # depth is already known to be safe
    except json.JSONDecodeError as exc:
        return exc.lineno
    except (ValueError, RecursionError):
        return None
    return None


def _lines(path: Path, encoding: str) -> Iterator[tuple[int, str, str | None]]:
    """``(line number, stripped text, reason it cannot be decoded or None)`` of each line of ``path``.

    Lines are split on the bytes and decoded one by one, so a bad byte is one line's
    problem; encodings whose line breaks are not single bytes (UTF-16/32) are read as text.
    """
    if codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):
        with open(path, encoding=encoding, newline=None) as text_handle:
            for number, line in enumerate(text_handle, start=1):
                yield number, line.strip(), None
        return
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode(encoding)
                yield number, (text.lstrip("\ufeff") if number == 1 else text).strip(), None  # a BOM is no data
            except UnicodeDecodeError as exc:
                yield number, raw.decode(encoding, "replace").strip(), (
                    f"not {encoding} text (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})")


def read_jsonl(paths: Sequence[Path], options: Mapping[str, Any]) -> Iterator[SourceBatch]:
    """Read JSON Lines files: one object per line (see the module docs)."""
    check_option_keys(options, _JSONL_OPTIONS, "jsonl")
    encoding = str(options.get("encoding", "utf-8"))
    batch_rows = int(options.get("batch_rows", 65_536))
    record_type = str(options.get("record_type", "default"))
    for path in paths:
        rows: list[dict[str, Any]] = []
        lines: list[int | None] = []
        errors: list[str | None] = []
        texts: list[str | None] = []
        read_any = False
        try:
            for number, text, undecodable in _lines(path, encoding):
                if not text and undecodable is None:
                    continue
                if undecodable is not None and not read_any:
                    # the very first line is not text in this encoding: the file is another encoding (or not text)
                    raise InputError(f"{undecodable}; set [source] encoding", path=str(path), row=number)
                try:
                    if undecodable is not None:
                        raise JsonTextError(undecodable)
                    obj = loads_record(text)
                    if not isinstance(obj, dict):
                        raise JsonTextError(f"not a JSON object: a JSON {type(obj).__name__}")
                    rows.append(flatten_object(obj))
                    errors.append(None)
                    texts.append(None)
                except JsonTextError as exc:  # one bad line is one reject, never the end of the run
                    rows.append({})
                    errors.append(str(exc).splitlines()[0])
                    texts.append(text[:2000])
                lines.append(number)
                read_any = True
                if len(rows) >= batch_rows:
                    yield SourceBatch(record_type, _to_table(rows, lines, errors, texts, path))
                    rows, lines, errors, texts = [], [], [], []
        except UnicodeDecodeError as exc:  # UTF-16/32 files only: their lines cannot be split as bytes
            raise InputError(f"not {encoding} text: {exc.reason} at byte {exc.start}", path=str(path)) from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from None
        if rows:
            yield SourceBatch(record_type, _to_table(rows, lines, errors, texts, path))


def read_json(paths: Sequence[Path], options: Mapping[str, Any]) -> Iterator[SourceBatch]:
    """Read JSON documents holding an array of record objects (see the module docs)."""
    check_option_keys(options, _JSON_OPTIONS, "json")
    encoding = str(options.get("encoding", "utf-8"))
    record_type = str(options.get("record_type", "default"))
    for path in paths:
        try:
            text = path.read_text(encoding=encoding)
        except UnicodeDecodeError as exc:
            raise InputError(f"not {encoding} text: {exc.reason} at byte {exc.start}", path=str(path)) from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from None
        try:
            doc = loads_record(text)
        except JsonTextError as exc:
            raise InputError(str(exc), path=str(path), row=_error_line(text)) from None
        records = doc
        for part in str(options.get("records", "")).split(".") if options.get("records") else []:
            if not isinstance(records, dict) or part not in records:
                raise InputError(f"the document has no records at {options['records']!r}", path=str(path))
            records = records[part]
        if not isinstance(records, list):
            raise InputError("expected an array of record objects (set [source] records = \"path.to.array\")",
                             path=str(path))
        rows: list[dict[str, Any]] = []
        errors: list[str | None] = []
        texts: list[str | None] = []
        for item in records:
            if isinstance(item, dict):
                rows.append(flatten_object(item))
                errors.append(None)
                texts.append(None)
            else:
                rows.append({})
                errors.append(f"record is a JSON {type(item).__name__}, not an object")
                texts.append(json.dumps(item)[:2000])
        lines: list[int | None] = list(range(1, len(rows) + 1))
        yield SourceBatch(record_type, _to_table(rows, lines, errors, texts, path))


register_reader("jsonl", read_jsonl)
register_reader("json", read_json)
