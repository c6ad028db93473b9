"""Reading stored canonical files: Parquet, Arrow IPC, flat CSV and JSON Lines.

One reader for the verbs that take canonical data (``match``, ``migrate``, and
``validate``'s entity inference). Every fault of the file as a whole, including
a Parquet data page that is corrupt behind an intact footer, is an
:class:`~justice_schema.errors.InputError` naming the file; a JSON Lines line
that cannot be a record (bad JSON, nesting too deep, an integer of thousands
of digits) is reported for that line alone.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from justice_schema._toolkit.jsonlines import JsonTextError, loads_record
from justice_schema.errors import InputError
from justice_schema.files.safety import require_file

__all__ = ["KINDS", "file_kind", "TableSource", "open_table", "iter_json_records", "JsonRecord",
           "read_canonical", "infer_entity", "read_whole_table"]

#: File name endings and the kind of file they mean.
KINDS: dict[str, str] = {".parquet": "parquet", ".pq": "parquet", ".arrow": "ipc", ".feather": "ipc", ".ipc": "ipc",
                         ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
#: Rows per batch when streaming a Parquet or Arrow file.
BATCH_ROWS = 65_536

PathLike = str | os.PathLike[str]


def file_kind(path: PathLike, allowed: tuple[str, ...] | None = None) -> str:
    """The kind of file (``parquet``, ``ipc``, ``csv``, ``jsonl``, ``json``) from its name."""
    name = Path(path).name.lower()
    for suffix, kind in KINDS.items():
        if name.endswith(suffix) and (allowed is None or kind in allowed):
            return kind
    endings = sorted(s for s, k in KINDS.items() if allowed is None or k in allowed)
    raise InputError(f"unknown file type; use {', '.join(endings)}", path=str(path))


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


@attrs.frozen(slots=True)
class TableSource:
    """An opened Parquet or Arrow IPC file: its schema, and its batches read as they are iterated.

    Iterating :meth:`batches` turns any read fault (a corrupt data page, a
    truncated file) into :class:`InputError` naming the file.
    """

    path: Path
    kind: str
    schema: pa.Schema
    _open_batches: Any = attrs.field(repr=False)

    def batches(self) -> Iterator[pa.RecordBatch]:
        """The file's record batches, in order."""
        try:
            yield from self._open_batches()
        except (OSError, pa.ArrowException) as exc:
            raise InputError(f"cannot read the {self._label()} file (corrupt or truncated): {_first_line(exc)}",
                             path=str(self.path)) from None

    def read(self) -> pa.Table:
        """The whole file as one table."""
        return pa.Table.from_batches(list(self.batches()), schema=self.schema)

    def _label(self) -> str:
        return "Parquet" if self.kind == "parquet" else "Arrow IPC"


def open_table(path: PathLike, *, batch_size: int | None = None) -> TableSource:
    """Open a Parquet (``.parquet``) or Arrow IPC (``.arrow``/``.feather``/``.ipc``) file for streaming.

    Parquet is read ``batch_size`` rows at a time (default :data:`BATCH_ROWS`).
    """
    file = require_file(path)
    batch_size = batch_size or BATCH_ROWS
    kind = file_kind(file, ("parquet", "ipc"))
    try:
        if kind == "parquet":
            handle = pq.ParquetFile(file, pre_buffer=False)
            return TableSource(file, kind, handle.schema_arrow, lambda: handle.iter_batches(batch_size=batch_size))
        source = pa.memory_map(str(file), "r")
        try:
            reader = pa.ipc.open_file(source)
            return TableSource(file, kind, reader.schema,
                               lambda: (reader.get_batch(i) for i in range(reader.num_record_batches)))
        except pa.ArrowInvalid:
            source.seek(0)
            stream = pa.ipc.open_stream(source)
            return TableSource(file, kind, stream.schema, lambda: iter(stream))
    except (OSError, pa.ArrowException) as exc:
        label = "Parquet" if kind == "parquet" else "Arrow IPC"
        raise InputError(f"cannot read as {label}: {_first_line(exc)}", path=str(path)) from None


@attrs.frozen(slots=True)
class JsonRecord:
    """One record of a JSON Lines or JSON file: where it is, its text, and its value or why it has none."""

    where: str
    line: int
    text: str
    value: Any = None
    problem: str | None = None


def iter_json_records(path: PathLike) -> Iterator[JsonRecord]:
    """The records of a JSON Lines file (one per non-blank line) or of a JSON file (an array or one object).

    A line that is not JSON, nests too deeply, holds an integer of thousands of
    digits or is not UTF-8 is yielded with ``problem`` set, and reading goes on.
    A JSON file (not Lines) that cannot be read is an :class:`InputError`.
    """
    file = require_file(path)
    kind = file_kind(file, ("jsonl", "json"))
    if kind == "jsonl":
        with file.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                if not raw.strip():
                    continue
                text = raw.rstrip(b"\r\n").decode("utf-8", errors="replace")
                where = f"{path}, line {number}"
                try:
                    yield JsonRecord(where, number, text, loads_record(raw.rstrip(b"\r\n")))
                except JsonTextError as exc:
                    yield JsonRecord(where, number, text, problem=str(exc))
        return
    try:
        doc = loads_record(file.read_bytes())
    except JsonTextError as exc:
        raise InputError(str(exc), path=str(path)) from None
    items = doc if isinstance(doc, list) else [doc]
    for number, item in enumerate(items, start=1):
        yield JsonRecord(f"{path}, record {number}", number, json.dumps(item, ensure_ascii=False), item)


def read_csv_columns(file: Path, *, as_bytes: bool = False) -> pa.Table:
    """A CSV file with every column read as text (empty means missing).

    With ``as_bytes`` the cells are read as bytes, so a cell that is not UTF-8
    is left for the caller to report on its row (matching does) instead of
    making the whole file unreadable.
    """
    try:
        with file.open("rb") as handle:
            head = handle.readline()
        header = head.decode("utf-8-sig").rstrip("\r\n")
    except UnicodeDecodeError:
        raise InputError("the header is not UTF-8; save the file as UTF-8", path=str(file), row=1) from None
    if not header.strip():
        raise InputError("empty file: no header row", path=str(file))
    names = next(csv.reader([header]))
    try:
        return pacsv.read_csv(
            file,
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types={name: pa.binary() if as_bytes else pa.string()
                                                               for name in names},
                                                 strings_can_be_null=True, null_values=[""],
                                                 quoted_strings_can_be_null=True),
        )
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"cannot read the CSV: {_first_line(exc)}", path=str(file)) from None


def read_whole_table(file: Path) -> pa.Table:
    """A CSV (every column as text), Parquet or Arrow IPC file read whole, for verbs that need every row at once.

    Errors are :class:`~justice_schema.errors.InputError` naming the file; a corrupt
    Parquet page behind an intact footer is one too.
    """
    kind = file_kind(file, ("csv", "parquet", "ipc"))
    if kind == "csv":
        return read_csv_columns(file)
    source = open_table(file)
    try:
        return pa.Table.from_batches(list(source.batches()), schema=source.schema)
    except InputError:
        raise
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"cannot read: {_first_line(exc)}", path=str(file)) from None


def _json_table(file: Path, entity: str | None) -> pa.Table:
    from justice_schema.arrow import arrow_schema
    from justice_schema.registry import CURRENT_SCHEMA_VERSION

    records = []
    for record in iter_json_records(file):
        if record.problem is not None:
            raise InputError(record.problem, path=str(file), row=record.line)
        if not isinstance(record.value, dict):
            raise InputError("not a JSON object", path=str(file), row=record.line)
        records.append((record.line, record.value))
    kinds = {r.get("entity_type") for _, r in records} - {None}
    entity = entity or (kinds.pop() if len(kinds) == 1 else None)
    if entity is None:
        raise InputError("cannot tell the entity type: give it (--entity) or add entity_type to the records",
                         path=str(file))
    from justice_schema.v1 import version_key
    from justice_schema.validation.convert import convert_json_value

    versions = sorted({str(r.get("schema_version")) for _, r in records if r.get("schema_version")}, key=version_key)
    schema = arrow_schema(entity, versions[-1] if versions else CURRENT_SCHEMA_VERSION)
    record_type = pa.struct(list(schema))
    rows = []
    for line, data in records:
        value, problems = convert_json_value(data, record_type, "")
        if problems:
            where, _, message = problems[0]
            raise InputError(message, path=str(file), row=line, field=where or None)
        rows.append(value)
    table = pa.Table.from_pylist(rows, schema=schema)
    for index, field in enumerate(schema):  # an absent list is the empty list, as in the models
        if not field.nullable and pa.types.is_list(field.type) and table.column(index).null_count:
            table = table.set_column(index, field, pc.fill_null(table.column(index), pa.scalar([], field.type)))
    return table


def read_canonical(path: PathLike, entity: str | None = None, *, keep_flat: bool = False) -> pa.Table:
    """Read a stored file of one entity into an Arrow table.

    * ``.parquet`` / ``.arrow``: as stored (canonical nested, or flat layout);
    * ``.csv``: the flat layout, every column as text, so that a bad value is
      a data issue for the caller, not a read failure; converted to the
      canonical nested table (:func:`justice_schema.flat.unflatten`) unless
      ``keep_flat`` is true;
    * ``.jsonl`` / ``.json``: canonical records (``entity`` from the records'
      ``entity_type`` when not given).

    Raises :class:`InputError` naming the file (and line) when it cannot be read.
    """
    file = require_file(path)
    kind = file_kind(file)
    if kind in ("parquet", "ipc"):
        return open_table(file).read()
    if kind == "csv":
        table = read_csv_columns(file)
        if keep_flat:
            return table
        if entity is None:
            entity, _ = infer_entity(file)
        if entity is None:
            raise InputError("cannot tell the entity type of a CSV file without entity_type values", path=str(file))
        from justice_schema.flat import unflatten

        try:
            return unflatten(table, entity, path=str(file))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise InputError(f"a value does not fit its column: {_first_line(exc)}", path=str(file)) from None
    return _json_table(file, entity)


def _metadata(schema: pa.Schema) -> tuple[str | None, str | None]:
    meta = schema.metadata or {}
    entity = meta.get(b"justice_schema.entity", b"").decode() or None
    version = meta.get(b"justice_schema.schema_version", b"").decode() or None
    return entity, version


def infer_entity(path: PathLike) -> tuple[str | None, str | None]:
    """The entity type and schema version a file declares, each ``None`` when it does not say.

    Parquet and Arrow: the schema metadata written by :func:`~justice_schema.arrow_schema`,
    else the ``entity_type`` / ``schema_version`` values of the first rows. CSV and
    JSON Lines: the ``entity_type`` / ``schema_version`` values of the first record.
    """
    file = require_file(path)
    kind = file_kind(file)
    if kind in ("parquet", "ipc"):
        source = open_table(file, batch_size=1024)
        entity, version = _metadata(source.schema)
        if entity is None or version is None:
            first = next(source.batches(), None)
            if first is not None and first.num_rows:
                row = first.slice(0, 1).to_pylist()[0]
                entity = entity or _text(row.get("entity_type"))
                version = version or _text(row.get("schema_version"))
        return entity, version
    if kind == "csv":
        table = _read_head_csv(file)
        row = table[0] if table else {}
        return _text(row.get("entity_type")), _text(row.get("schema_version"))
    for record in iter_json_records(file):
        if isinstance(record.value, dict):
            return _text(record.value.get("entity_type")), _text(record.value.get("schema_version"))
        break
    return None, None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _read_head_csv(file: Path) -> list[dict[str, str]]:
    try:
        with file.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            first = next(reader, None)
    except (UnicodeDecodeError, csv.Error):
        return []
    return [first] if first else []
