"""Streaming readers for CSV (flat layout), Parquet and JSON Lines, in bounded memory.

Each reader yields :class:`Chunk` values of at most ``batch_size`` records:
the records that could be read, as a canonical Arrow batch with their input row
numbers, and the rows that could not (a cell that does not convert, a
truncated row, a line that is not a JSON object) with the reason, so that no
row is lost.

Problems with the file as a whole (it is empty, only a header, not UTF-8,
not comma-separated, missing required columns, has unknown columns) raise
:class:`~justice_schema.errors.InputError` with one line naming the file and,
where it applies, the line and column.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from justice_schema._toolkit.arrays import arange, cast_column
from justice_schema._toolkit.jsonlines import JsonTextError, loads_record
from justice_schema._toolkit.scalars import scalar
from justice_schema.arrow import arrow_schema
from justice_schema.errors import InputError
from justice_schema.flat import FlatColumn, assemble_nested, flat_columns
from justice_schema.issues import Issue
from justice_schema.validation.convert import CellProblem, convert_json_value, convert_text_columns
from justice_schema.validation.paths import display_path
from justice_schema.validation.rules import field_rule_code, rule

__all__ = ["Chunk", "UNREADABLE", "InputFile", "open_input", "detect_format", "FORMATS"]

#: File name endings and the format they mean.
FORMATS: dict[str, str] = {".csv": "csv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet",
                           ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl"}
#: Largest CSV record the reader accepts (a bigger one is reported as an input error). It is also the
#: block Arrow reads the file in; Arrow holds up to 32 blocks read ahead, so this bounds that memory.
MAX_FIELD_BYTES = 4 << 20


#: The rule of a row that could not be read at all (wrong number of fields, not a JSON object).
UNREADABLE = "JS-X90"


@attrs.frozen(slots=True)
class Chunk:
    """Records read from one part of the input.

    ``batch`` holds the readable records in the canonical Arrow schema and
    ``rows`` their 1-based input row numbers. ``problems`` are the cells or
    lines that could not be read, as coded :class:`~justice_schema.issues.Issue`
    values with the value shown (the caller redacts); an unreadable CSV line has
    ``row`` ``None``, field ``"*"`` and its text as the value. ``rejected`` has, per rejected row number,
    its input values as text (flat layout), for the rejects output.
    """

    batch: pa.RecordBatch
    rows: pa.Array
    problems: list[Issue]
    rejected: pa.Table | None
    rows_in: int
    bytes_done: int | None = None


def detect_format(path: str | Path) -> str:
    """``"csv"``, ``"parquet"`` or ``"jsonl"`` from the file name; :class:`InputError` otherwise."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise InputError(f"cannot tell the format from the name; use one of {', '.join(sorted(FORMATS))}",
                         path=str(path))
    return FORMATS[suffix]


def rejected_text_schema(entity_type: str, schema_version: str) -> pa.Schema:
    """Schema of the rejects output: row, issue codes and reasons, raw line, then every flat column as text."""
    fields = [
        pa.field("row", pa.int64()), pa.field("issue_codes", pa.string()), pa.field("issue_fields", pa.string()),
        pa.field("issue_messages", pa.string()), pa.field("raw_line", pa.string()),
    ]
    fields += [pa.field(c.name, pa.string()) for c in flat_columns(entity_type, schema_version)]
    return pa.schema(fields)


class InputFile:
    """One input file of one entity, read in chunks.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "empty.csv"
    >>> _ = path.write_text("")
    >>> InputFile(path, "person", "1.0").chunks(10).__next__()
    Traceback (most recent call last):
    ...
    justice_schema.errors.InputError: .../empty.csv: empty file: no header and no rows
    """

    def __init__(self, path: str | Path, entity_type: str, schema_version: str) -> None:
        self.path = Path(path)
        self.name = str(path)
        self.entity_type = entity_type
        self.schema_version = schema_version
        self.format = detect_format(path)
        self.schema = arrow_schema(entity_type, schema_version)
        self.columns = flat_columns(entity_type, schema_version)
        self.notes: list[str] = []
        if self.path.is_dir():
            raise InputError("is a folder, not a file", path=self.name)
        if not self.path.exists():
            raise InputError("no such file", path=self.name)
        self.total_bytes = self.path.stat().st_size

    def chunks(self, batch_size: int = 65_536) -> Iterator[Chunk]:
        """The chunks of the file, in order."""
        if self.total_bytes == 0:
            raise InputError("empty file: no header and no rows", path=self.name)
        reader = {"csv": self._csv, "parquet": self._parquet, "jsonl": self._jsonl}[self.format]
        rows_seen = 0
        for chunk in reader(batch_size):
            rows_seen += chunk.rows_in
            yield chunk
        if rows_seen == 0:
            raise InputError("the file has no data rows" + (" (only a header)" if self.format == "csv" else ""),
                             path=self.name)

    # ------------------------------------------------------------------ CSV

    def _check_csv_head(self) -> list[str]:
        with open(self.path, "rb") as handle:
            head = handle.read(1 << 16)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise InputError("the file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8",
                             path=self.name)
        if head.startswith(b"\xef\xbb\xbf"):
            self.notes.append("the file starts with a UTF-8 byte-order mark; it was skipped")
            head = head[3:]
        first_line = head.split(b"\n", 1)[0]
        try:
            header_text = first_line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"the header is not UTF-8 (byte 0x{first_line[exc.start]:02X}); save the file as UTF-8",
                             path=self.name, row=1) from None
        crlf = head.count(b"\r\n")
        lf = head.count(b"\n") - crlf
        if crlf and lf:
            self.notes.append(f"mixed line endings (CRLF and LF) in the first {len(head):,} bytes; both were read as line ends")
        header = next(csv.reader(io.StringIO(header_text.rstrip("\r"))), [])
        if not header or header == [""]:
            raise InputError("the first line is empty; expected a header naming the columns", path=self.name, row=1)
        if len(header) == 1:
            for sep, name in ((";", "semicolon"), ("\t", "tab"), ("|", "pipe")):
                if sep in header[0]:
                    raise InputError(f"the header is one column holding {name}s: the file looks {name}-separated; "
                                     f"the flat layout is comma-separated", path=self.name, row=1)
        known = {c.name for c in self.columns}
        unknown = [name for name in header if name not in known]
        if unknown:
            raise InputError(f"unknown column(s) for {self.entity_type}: {', '.join(unknown)} "
                             f"(see `justice-schema schema show {self.entity_type} --format flat`)",
                             path=self.name, row=1)
        duplicated = sorted({name for name in header if header.count(name) > 1})
        if duplicated:
            raise InputError(f"column(s) named twice: {', '.join(duplicated)}", path=self.name, row=1)
        missing = [c.name for c in self.columns if c.required and c.name not in header]
        if missing:
            raise InputError(f"missing required column(s): {', '.join(missing)}", path=self.name, row=1)
        return header

    def _csv(self, batch_size: int) -> Iterator[Chunk]:
        header = self._check_csv_head()
        bad_lines: list[Any] = []

        def on_invalid(row: Any) -> str:
            bad_lines.append(row)
            return "skip"

        try:
            reader = pacsv.open_csv(
                self.path,
                read_options=pacsv.ReadOptions(use_threads=False, block_size=MAX_FIELD_BYTES),
                parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid, newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(column_types={name: pa.string() for name in header},
                                                     strings_can_be_null=True, quoted_strings_can_be_null=True,
                                                     null_values=[""]),
            )
        except pa.ArrowInvalid as exc:
            raise self._csv_error(exc) from None
        next_row = 1
        pending: list[pa.RecordBatch] = []
        pending_rows = 0
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                batch = None
            except pa.ArrowInvalid as exc:
                raise self._csv_error(exc) from None
            if batch is not None:
                pending.append(batch)
                pending_rows += batch.num_rows
                if pending_rows < batch_size and not bad_lines:
                    continue
            if not pending and not bad_lines:
                break
            table = pa.Table.from_batches(pending, schema=reader.schema) if pending else reader.schema.empty_table()
            pending, pending_rows = [], 0
            lines, bad_lines[:] = list(bad_lines), []
            for start in range(0, max(table.num_rows, 1), batch_size):
                part = table.slice(start, batch_size)
                texts = {name: part.column(name).combine_chunks() for name in part.column_names}
                chunk = self._from_texts(texts, part.num_rows, next_row, lines if start == 0 else [])
                next_row += part.num_rows
                yield chunk
            if batch is None:
                break

    def _csv_error(self, exc: Exception) -> InputError:
        text = str(exc).splitlines()[0]
        if "UTF8" in text or "UTF-8" in text:
            line = self._first_bad_utf8_line()
            return InputError("the file is not UTF-8 (it may be Latin-1 or Windows-1252); save it as UTF-8",
                              path=self.name, row=line)
        if "straddling" in text:
            return InputError(f"a field is larger than {MAX_FIELD_BYTES >> 20} MB or a quote is never closed",
                              path=self.name)
        return InputError(f"cannot read the CSV: {text}", path=self.name)

    def _first_bad_utf8_line(self) -> int | None:
        with open(self.path, "rb") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    return number
        return None

    def _issue(self, row: int | None, field: str, kind: str, detail: str, value: str | None,
               record_id: str | None = None, agency_ori: str | None = None) -> Issue:
        """The coded issue of a cell or line that could not be read: ``kind`` is a field-check kind or ``"unreadable"``."""
        code = UNREADABLE if kind == "unreadable" else field_rule_code(self.entity_type, kind)
        found = rule(code, self.schema_version)
        return Issue(row, record_id, self.entity_type, agency_ori, field, found.code, found.severity,
                     f"{found.message}: {detail}", value)

    # ------------------------------------------------------------------ text → canonical

    def _from_texts(self, texts: dict[str, pa.Array], length: int, first_row: int, bad_lines: list[Any]) -> Chunk:
        rows = pc.add(arange(length), scalar(first_row, pa.int64()))
        converted = convert_text_columns(texts, self.columns, length)
        problems: list[Issue] = []
        ids = texts.get("id")
        oris = texts.get("source_agency_ori")
        for cell in converted.problems:
            problems.extend(self._cell_problems(cell, rows, ids, oris))
        typed = dict(converted.columns)
        for column in self.columns:
            if column.json_list:
                typed[column.name] = self._json_list_column(typed[column.name], column, rows, ids, oris, problems)
        for line in bad_lines:
            text = line.text if len(line.text) <= 200 else line.text[:200] + "…"
            problems.append(self._issue(None, "*", "unreadable", f"line {line.number}: expected "
                                        f"{line.expected_columns} fields, found {line.actual_columns}", text))
        bad_rows = sorted({p.row for p in problems if p.row is not None})
        keep = pc.invert(pc.is_in(rows, value_set=pa.array(bad_rows, pa.int64())))
        batch = self._assemble({k: pc.filter(v, keep) for k, v in typed.items()}, int(pc.sum(keep).as_py() or 0))
        rejected = None
        if bad_rows or any(p.row is None for p in problems):
            mask = pc.invert(keep)
            rejected_cols = {"row": pc.filter(rows, mask)}
            for column in self.columns:
                text = texts.get(column.name)
                rejected_cols[column.name] = pc.filter(text, mask) if text is not None else pa.nulls(len(bad_rows), pa.string())
            rejected = pa.table(rejected_cols)
        return Chunk(batch, pc.filter(rows, keep), problems, rejected, length + len(bad_lines))

    def _cell_problems(self, cell: CellProblem, rows: pa.Array, ids: pa.Array | None, oris: pa.Array | None) -> list[Issue]:
        numbers = pc.take(rows, cell.rows).to_pylist()
        values = cell.values.to_pylist()
        id_values = pc.take(ids, cell.rows).to_pylist() if ids is not None else [None] * len(numbers)
        ori_values = pc.take(oris, cell.rows).to_pylist() if oris is not None else [None] * len(numbers)
        return [self._issue(n, cell.field, cell.kind, cell.message, v, i, o)
                for n, v, i, o in zip(numbers, values, id_values, ori_values)]

    def _json_list_column(self, text: pa.Array, column: FlatColumn, rows: pa.Array, ids: pa.Array | None,
                          oris: pa.Array | None, problems: list[Issue]) -> pa.Array:
        target = self.schema.field(column.path[0]).type if len(column.path) == 1 else None
        if target is None:
            raise AssertionError(f"nested list column {column.name}")
        values = text.to_pylist()
        if not any(values):
            return pa.array([[] for _ in values], target)
        out: list[Any] = []
        numbers = rows.to_pylist()
        for i, cell in enumerate(values):
            if cell is None or cell == "":
                out.append([])
                continue
            field = display_path(column.path)
            try:
                parsed = json.loads(cell)
            except json.JSONDecodeError as exc:
                problems.append(self._issue(numbers[i], field, "type", f"not a JSON array: {exc.msg}", cell,
                                            _at(ids, i), _at(oris, i)))
                out.append([])
                continue
            value, found = convert_json_value(parsed, target, field)
            for where, kind, message in found:
                problems.append(self._issue(numbers[i], where, kind, message, cell, _at(ids, i), _at(oris, i)))
            out.append(value if not found else [])
        return pa.array(out, target)

    def _assemble(self, typed: dict[str, pa.Array], length: int) -> pa.RecordBatch:
        values: dict[tuple[str, ...], pa.Array] = {}
        for column in self.columns:
            array = typed[column.name]
            if not column.json_list and not column.nullable and column.default is not None and array.null_count:
                array = pc.fill_null(array, pa.scalar(column.default, type=column.type))
            values[column.path] = array
        arrays = [assemble_nested(values, (f.name,), f) for f in self.schema]
        return pa.RecordBatch.from_arrays(arrays, schema=self.schema)

    # ------------------------------------------------------------------ Parquet

    def _parquet(self, batch_size: int) -> Iterator[Chunk]:
        try:
            # pre_buffer=False: the pre-buffering reader keeps column chunks it has read, so its
            # memory grows through the file; without it, memory stays flat however large the file.
            handle = pq.ParquetFile(self.path, pre_buffer=False)
        except (pa.ArrowInvalid, OSError) as exc:
            raise InputError(f"not a readable Parquet file: {str(exc).splitlines()[0]}", path=self.name) from None
        names = handle.schema_arrow.names
        canonical = "source" in names and pa.types.is_struct(handle.schema_arrow.field("source").type)
        known = set(self.schema.names) if canonical else {c.name for c in self.columns}
        unknown = [n for n in names if n not in known]
        if unknown:
            raise InputError(f"unknown column(s) for {self.entity_type}: {', '.join(unknown)}", path=self.name)
        if canonical:
            required = [f.name for f in self.schema if not f.nullable and f.name not in ("entity_type", "schema_version")
                        and not pa.types.is_list(f.type)]
        else:
            required = [c.name for c in self.columns if c.required]
        missing = [n for n in required if n not in names]
        if missing:
            raise InputError(f"missing required column(s): {', '.join(missing)}", path=self.name)
        dictionary = _dictionary_columns(handle.schema_arrow) if canonical else []
        next_row = 1
        done = 0
        try:
            if dictionary:
                handle = pq.ParquetFile(self.path, read_dictionary=dictionary, pre_buffer=False)
            batches = handle.iter_batches(batch_size=batch_size)
            for batch in batches:
                n = batch.num_rows
                done += n
                if canonical:
                    batch = self._conform(batch)
                    rows = pc.add(arange(n), scalar(next_row, pa.int64()))
                    yield Chunk(batch, rows, [], None, n,
                                int(self.total_bytes * done / max(handle.metadata.num_rows, 1)))
                else:
                    texts = {name: pc.cast(batch.column(name), pa.string()) for name in batch.schema.names}
                    yield self._from_texts(texts, n, next_row, [])
                next_row += n
        except (OSError, pa.ArrowException) as exc:  # a corrupt data page behind an intact footer
            raise InputError(f"cannot read the Parquet file (corrupt or truncated): {str(exc).splitlines()[0]}",
                             path=self.name) from None

    def _conform(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        arrays = []
        for field in self.schema:
            index = batch.schema.get_field_index(field.name)
            if index < 0:
                arrays.append(pa.nulls(batch.num_rows, field.type))
                continue
            array = batch.column(index)
            if not _same_but_dictionary(array.type, field.type):
                array = cast_column(array, field.type, path=self.name, field=field.name)
            arrays.append(array)
        schema = pa.schema([pa.field(f.name, a.type, f.nullable, f.metadata) for f, a in zip(self.schema, arrays)],
                           metadata=self.schema.metadata)
        return pa.RecordBatch.from_arrays(arrays, schema=schema)

    # ------------------------------------------------------------------ JSON Lines

    def _jsonl(self, batch_size: int) -> Iterator[Chunk]:
        record_type = pa.struct(list(self.schema))
        good: list[dict[str, Any]] = []
        good_rows: list[int] = []
        problems: list[Issue] = []
        rejected: list[dict[str, Any]] = []
        rows_in = 0
        row = 0
        done = 0
        try:
            with open(self.path, encoding="utf-8-sig", newline="") as handle:
                for line_number, line in enumerate(handle, start=1):
                    done += len(line)
                    if not line.strip():
                        continue
                    row += 1
                    rows_in += 1
                    self._jsonl_record(line, line_number, row, record_type, good, good_rows, problems, rejected)
                    if rows_in >= batch_size:
                        yield self._jsonl_chunk(good, good_rows, problems, rejected, rows_in, done)
                        good, good_rows, problems, rejected, rows_in = [], [], [], [], 0
        except UnicodeDecodeError:
            raise InputError("the file is not UTF-8; save it as UTF-8", path=self.name,
                             row=self._first_bad_utf8_line()) from None
        if rows_in:
            yield self._jsonl_chunk(good, good_rows, problems, rejected, rows_in, done)

    def _jsonl_record(self, line: str, line_number: int, row: int, record_type: pa.DataType, good: list[Any],
                      good_rows: list[int], problems: list[Issue], rejected: list[dict[str, Any]]) -> None:
        text = line.rstrip("\r\n")
        try:
            data = loads_record(text)
        except JsonTextError as exc:
            problems.append(self._issue(row, "*", "unreadable", f"line {line_number}: {exc}", text[:200]))
            rejected.append({"row": row, "raw_line": text})
            return
        if not isinstance(data, dict):
            problems.append(self._issue(row, "*", "unreadable", f"line {line_number}: not a JSON object",
                                        text[:200]))
            rejected.append({"row": row, "raw_line": text})
            return
        value, found = convert_json_value(data, record_type, "")
        if found:
            ident = data.get("id") if isinstance(data.get("id"), str) else None
            source = data.get("source")
            source = source if isinstance(source, dict) else {}
            ori = source.get("agency_ori") if isinstance(source.get("agency_ori"), str) else None
            for where, kind, message in found:
                problems.append(self._issue(row, where, kind, message, _leaf(data, where), ident, ori))
            rejected.append({"row": row, "raw_line": text})
            return
        good.append(value)
        good_rows.append(row)

    def _jsonl_chunk(self, good: list[Any], good_rows: list[int], problems: list[Issue],
                     rejected: list[dict[str, Any]], rows_in: int, done: int) -> Chunk:
        table = pa.Table.from_pylist(good, schema=self.schema)
        for index, field in enumerate(self.schema):  # an absent list is the empty list, as in the models
            if not field.nullable and pa.types.is_list(field.type) and table.column(index).null_count:
                table = table.set_column(index, field, pc.fill_null(table.column(index), pa.scalar([], field.type)))
        batch = table.combine_chunks().to_batches()[0] if table.num_rows else _empty_batch(self.schema)
        rejected_table = pa.Table.from_pylist(rejected, schema=pa.schema([("row", pa.int64()), ("raw_line", pa.string())])) if rejected else None
        return Chunk(batch, pa.array(good_rows, pa.int64()), problems, rejected_table, rows_in,
                     int(done))


def _empty_batch(schema: pa.Schema) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([pa.array([], f.type) for f in schema], schema=schema)


def _at(array: pa.Array | None, i: int) -> Any:
    return None if array is None else array[i].as_py()


def _leaf(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for part in path.split("."):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list):
            node = node[0] if node and isinstance(node[0], dict) and part in node[0] else node
            node = node.get(part) if isinstance(node, dict) else node
        else:
            return None
    return None if node is None else json.dumps(node, ensure_ascii=False) if not isinstance(node, str) else node


def open_input(path: str | Path, entity_type: str, schema_version: str) -> InputFile:
    """Open an input file of ``entity_type`` (format from its name)."""
    return InputFile(path, entity_type, schema_version)


#: Text columns read from Parquet as dictionaries: code columns, the values "as the source wrote them"
#: (``_raw``: a vendor's own codes and labels) and the schema version have few distinct values, so the
#: engine judges each distinct value once, and decoding costs less. (Nested fields are not: pyarrow
#: cannot read a nested dictionary field in batches that span row groups.)
_DICTIONARY_SUFFIXES = ("_type", "_code", "_indicator", "status", "disposition", "reason", "severity", "plea",
                        "_raw")


def _dictionary_columns(schema: pa.Schema) -> list[str]:
    """The top-level columns to read from Parquet as dictionary arrays."""
    return [f.name for f in schema if pa.types.is_string(f.type)
            and (f.name == "schema_version" or f.name.endswith(_DICTIONARY_SUFFIXES))]


def _same_but_dictionary(actual: pa.DataType, expected: pa.DataType) -> bool:
    """True when ``actual`` is ``expected`` with some text fields (nested too) dictionary-encoded."""
    if actual == expected:
        return True
    if pa.types.is_dictionary(actual):
        return actual.value_type == expected
    if pa.types.is_struct(actual) and pa.types.is_struct(expected) and actual.num_fields == expected.num_fields:
        return all(a.name == e.name and a.nullable == e.nullable and _same_but_dictionary(a.type, e.type)
                   for a, e in zip(actual, expected))
    return False
