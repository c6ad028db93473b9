"""The ``csv`` reader: delimited text, streamed in blocks by Arrow's CSV reader.

``[source]`` options:

* ``encoding`` (default ``"utf-8"``; e.g. ``"latin-1"``, ``"cp1252"``);
* ``delimiter`` (default ``","``), ``quote`` (default ``'"'``; ``false`` for no
  quoting), ``escape`` (default none), ``double_quote`` (default true);
* ``header`` (default true): the first row names the columns; with
  ``header = false`` give ``columns = [...]``;
* ``skip_rows`` (default 0): lines to skip before the header;
* ``newlines_in_values`` (default true): quoted fields may hold line breaks
  (set false for a faster read of files known to have none);
* ``block_size`` (default 16 MiB): bytes per batch. Arrow reads the file in
  blocks of at most 4 MiB (it holds up to 32 of them read ahead, so memory stays
  bounded), joined into batches of this size; one record may be at most 4 MiB.

Windows line endings are read as-is. Blank fields are null. ``_source_line`` is
the physical line where the record starts, counting the header, skipped rows,
blank lines and the line breaks inside quoted fields. Blank lines, and rows whose
fields are all empty, are skipped (the two cannot be told apart). Rows with the
wrong number of fields are not dropped: they come back, in file order among the other rows,
with ``_source_error`` set, their text in ``_source_text`` and their line. A
byte that is not valid in ``encoding`` stops the read with an error naming the
file and its line.
"""

from __future__ import annotations

import codecs
import csv as pycsv
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from justice_schema._toolkit.arrays import arange, one_array
from justice_schema.errors import InputError
from justice_schema.translation import textops
from justice_schema.translation.sources import (
    SOURCE_ERROR,
    SOURCE_FILE,
    SOURCE_LINE,
    SOURCE_TEXT,
    SourceBatch,
    check_option_keys,
    register_reader,
)

__all__ = ["read_csv", "CSV_OPTIONS", "ARROW_BLOCK"]

#: Arrow reads the file in blocks of at most this many bytes and joins them into batches of
#: ``block_size``: its reader holds up to 32 blocks read ahead, so smaller blocks bound the
#: memory (32 x 4 MiB) while batches stay large. A single record cannot be longer than a block.
ARROW_BLOCK = 4 << 20

CSV_OPTIONS = {"encoding", "delimiter", "quote", "escape", "double_quote", "header", "columns", "skip_rows",
               "block_size", "record_type", "newlines_in_values"}


def _header_names(path: Path, options: Mapping[str, Any], encoding: str) -> list[str]:
    """The column names in the header line (read and split on its own, without parsing data rows)."""
    skip = int(options.get("skip_rows", 0))
    quote = options.get("quote", '"')
    try:
        if codecs.lookup(encoding).name.startswith(("utf-16", "utf-32")):
            with open(path, encoding=encoding, newline="") as text:
                lines = [text.readline() for _ in range(skip + 1)]
            line = lines[-1]
        else:  # decode the header line alone: later lines may hold bad bytes that become rejects
            with open(path, "rb") as handle:
                for _ in range(skip):
                    handle.readline()
                line = handle.readline().decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"the header is not {encoding} text ({exc.reason})", path=str(path), row=skip + 1) from None
    if not line.strip():
        raise InputError("the file is empty: no header line", path=str(path), row=skip + 1)
    line = line.lstrip("\ufeff")  # a byte-order mark is not part of the first name
    reader = pycsv.reader([line.rstrip("\r\n")], delimiter=str(options.get("delimiter", ",")),
                          quotechar=quote or '"', quoting=pycsv.QUOTE_MINIMAL if quote else pycsv.QUOTE_NONE,
                          doublequote=bool(options.get("double_quote", True)))
    return [name.strip() for name in next(reader)]


def _locate_undecodable(path: Path, encoding: str) -> tuple[int, int] | None:
    """The physical line and the first byte of the first text in ``path`` that is not ``encoding``.

    Only called once a read has failed, so one streaming pass over the file is affordable.
    """
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    line = 1
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(1 << 20)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                data = exc.object if isinstance(exc.object, bytes) else chunk
                return line + data[: exc.start].count(b"\n"), data[exc.start]
            if not chunk:
                return None
            line += chunk.count(b"\n")


def _not_text(path: Path, encoding: str, fallback_line: int) -> InputError:
    found = _locate_undecodable(path, encoding)
    if found is None:
        return InputError(f"not {encoding} text (set [source] encoding)", path=str(path), row=fallback_line)
    line, byte = found
    return InputError(f"byte 0x{byte:02x} is not {encoding} text (set [source] encoding)", path=str(path), row=line)


@contextmanager
def _undecodable_rows(path: Path, encoding: str, line: int) -> Iterator[None]:
    """Turn Arrow's report of text that is not in ``encoding`` into one error naming the physical line.

    Arrow decodes a malformed row's text for the invalid-row handler; when the bytes
    are not valid in the declared encoding that fails inside Arrow, which would
    print a traceback and then report a misleading column-count error. Invalid
    UTF-8 in a value fails the batch's conversion without saying where: the file
    is then searched for the first bad byte.
    """
    seen: list[BaseException] = []
    previous = sys.unraisablehook

    def record(info: Any) -> None:
        if isinstance(info.exc_value, UnicodeDecodeError):
            seen.append(info.exc_value)
        else:
            previous(info)

    sys.unraisablehook = record
    try:
        yield
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        if seen or isinstance(exc, UnicodeDecodeError) or "UTF8" in str(exc) or "UTF-8" in str(exc):
            raise _not_text(path, encoding, line) from None
        raise
    finally:
        sys.unraisablehook = previous
    if seen:
        raise _not_text(path, encoding, line)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _line_breaks_in_values(table: pa.Table) -> pa.Array | None:
    """Per row, the line breaks inside its quoted values (``None`` when there are none at all).

    Each one moves the following records a line further down the file. The data
    buffers are searched first, so files without such values cost one scan.
    """
    counts = None
    for column in table.columns:
        values = one_array(column)
        if pa.types.is_string(values.type) and textops.contains(values, "\n"):
            found = pc.fill_null(pc.count_substring(values, "\n"), 0)
            counts = found if counts is None else pc.add(counts, found)
    return counts


@attrs.define(slots=True)
class _PhysicalLines:
    """Turns Arrow's record numbers into physical line numbers, rows it skipped included.

    Arrow numbers records from the top of the file (header, skipped rows and blank
    lines included) but skips malformed rows and blank lines from its batches. The
    rows it skipped are noted here (with the line breaks inside them), so each batch
    of good rows gets its record numbers back and every record its line: its record
    number plus the line breaks inside the records before it.
    """

    path: Path
    next_record: int
    #: record number -> (reason or None for a blank line, text, line breaks inside it)
    skipped: dict[int, tuple[str | None, str, int]] = attrs.field(factory=dict)
    #: line breaks inside the records before ``next_record``
    carry: int = 0

    def skip(self, row: Any) -> str:
        """Arrow's invalid-row handler: note the row and let Arrow skip it."""
        text = row.text or ""
        number = row.number
        if number is None:  # Arrow did not say where: keep the row, without a line
            number = -1 - len(self.skipped)
        reason = None if not text.strip("\r") else (
            f"{row.actual_columns} fields where {row.expected_columns} were expected")
        self.skipped[number] = (reason, text, text.count("\n"))
        return "skip"

    def _rejects(self, numbers: list[int], lines: list[int | None], names: Sequence[str]) -> pa.Table | None:
        items = [(self.skipped[k], line) for k, line in zip(numbers, lines) if self.skipped[k][0] is not None]
        for k in numbers:
            del self.skipped[k]
        if not items:
            return None
        n = len(items)
        columns: dict[str, pa.Array] = {name: pa.nulls(n, pa.string()) for name in names}
        columns[SOURCE_FILE] = pa.array([str(self.path)] * n, pa.string())
        columns[SOURCE_LINE] = pa.array([line for _, line in items], pa.int64())
        columns[SOURCE_ERROR] = pa.array([item[0] for item, _ in items], pa.string())
        columns[SOURCE_TEXT] = pa.array([item[1] for item, _ in items], pa.string())
        return pa.table(columns)

    def number(self, table: pa.Table, names: Sequence[str]) -> pa.Table:
        """``table`` (the next good rows) with file and line, and the malformed rows among them, in file order."""
        n = table.num_rows
        breaks = _line_breaks_in_values(table)
        pending = sorted(k for k in self.skipped if k >= self.next_record)
        if not pending:
            lines = pc.add(arange(n), pa.scalar(self.next_record + self.carry, pa.int64()))
            if breaks is not None and n:
                before = pc.subtract(pc.cumulative_sum(pc.cast(breaks, pa.int64())), pc.cast(breaks, pa.int64()))
                lines = pc.add(lines, before)
            self.next_record += n
            self.carry += int(pc.sum(breaks).as_py() or 0) if breaks is not None else 0
            return _without_blank_lines(_bookkeep(table, self.path, lines), names)
        candidates = np.arange(self.next_record, self.next_record + n + len(pending), dtype=np.int64)
        good = candidates[~np.isin(candidates, pending)][:n]
        last = int(good[-1]) if n else self.next_record - 1
        here = [k for k in pending if k < last] if n else []
        numbers = np.concatenate([good, np.array(here, dtype=np.int64)])
        own = np.concatenate([
            breaks.to_numpy(zero_copy_only=False).astype(np.int64) if breaks is not None else np.zeros(n, np.int64),
            np.array([self.skipped[k][2] for k in here], dtype=np.int64)])
        order = np.argsort(numbers, kind="stable")
        before = np.empty_like(own)
        before[order] = np.cumsum(own[order]) - own[order]
        lines = numbers + before + self.carry
        self.carry += int(own.sum())
        self.next_record = last + 1
        out = _without_blank_lines(_bookkeep(table, self.path, pa.array(lines[:n])), names)
        rejects = self._rejects(here, [int(v) for v in lines[n:]], names)
        if rejects is None:
            return out
        return pa.concat_tables([out, rejects], promote_options="permissive").sort_by(SOURCE_LINE)

    def rest(self, names: Sequence[str]) -> pa.Table | None:
        """The malformed rows after the last good row (or all of them, in a file with none)."""
        numbers = sorted(self.skipped)
        lines: list[int | None] = []
        for k in numbers:
            if k < 0:
                lines.append(None)
                continue
            lines.append(k + self.carry)
            self.carry += self.skipped[k][2]
        return self._rejects(numbers, lines, names) if numbers else None


def _without_blank_lines(table: pa.Table, names: Sequence[str]) -> pa.Table:
    """``table`` without rows whose fields are all empty: blank lines (numbered, then dropped)."""
    if not table.num_rows or any(table.column(n).null_count == 0 for n in names):
        return table
    blank = None
    for name in names:
        empty = pc.is_null(table.column(name))
        blank = empty if blank is None else pc.and_(blank, empty)
    return table.filter(pc.invert(blank)) if pc.any(blank).as_py() else table


def _bookkeep(table: pa.Table, path: Path, lines: pa.Array) -> pa.Table:
    n = table.num_rows
    return table.append_column(SOURCE_FILE, pa.repeat(pa.scalar(str(path), pa.string()), n)).append_column(
        SOURCE_LINE, pc.cast(lines, pa.int64()))


def read_csv(paths: Sequence[Path], options: Mapping[str, Any]) -> Iterator[SourceBatch]:
    """Read delimited files as string batches (see the module docs for the options).

    Every row, and every reject of a row that could not be split into the header's
    fields, carries its physical line; text that is not in the declared encoding
    stops the read with an :class:`~justice_schema.errors.InputError` naming the line.
    """
    check_option_keys(options, CSV_OPTIONS, "csv")
    encoding = str(options.get("encoding", "utf-8"))
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise InputError(f"[source] encoding {encoding!r} is not a known text encoding") from None
    quote = options.get("quote", '"')
    escape = options.get("escape", False)
    record_type = str(options.get("record_type", "default"))
    header = bool(options.get("header", True))
    columns = options.get("columns")
    if not header and not columns:
        raise InputError("[source] header = false needs columns = [...] naming the fields")
    for path in paths:
        names = list(columns) if columns else _header_names(path, options, encoding)
        skip = int(options.get("skip_rows", 0))
        if len(set(names)) != len(names):
            dupes = sorted({n for n in names if names.count(n) > 1})
            where = "[source] columns" if columns else "the header"
            raise InputError(f"{where} repeats column name(s) {', '.join(dupes)}", path=str(path),
                             row=None if columns else skip + 1)
        first_line = skip + (2 if header else 1)
        tracker = _PhysicalLines(path, first_line)
        parse = pacsv.ParseOptions(
            delimiter=str(options.get("delimiter", ",")),
            quote_char=quote if quote else False,
            escape_char=escape if escape else False,
            double_quote=bool(options.get("double_quote", True)),
            newlines_in_values=bool(options.get("newlines_in_values", True)) and bool(quote),
            # Blank lines are read as rows of nulls, so that Arrow counts them as lines; they are dropped
            # once numbered (_without_blank_lines).
            ignore_empty_lines=False,
            invalid_row_handler=tracker.skip,
        )
        batch_bytes = int(options.get("block_size", 16 << 20))
        arrow_block = min(batch_bytes, ARROW_BLOCK)
        # One thread: Arrow then numbers the rows it skips, and reports them in file order.
        read = pacsv.ReadOptions(
            skip_rows=skip,
            column_names=names,
            skip_rows_after_names=1 if header and not columns else 0,
            encoding=encoding,
            block_size=arrow_block,
            use_threads=False,
        )
        if header and columns:
            read = pacsv.ReadOptions(skip_rows=skip + 1, column_names=names, encoding=encoding,
                                     block_size=arrow_block, use_threads=False)
        convert = pacsv.ConvertOptions(
            column_types={name: pa.string() for name in names},
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            null_values=[""],
        )
        yielded = False
        try:
            with _undecodable_rows(path, encoding, first_line):
                reader = pacsv.open_csv(path, read_options=read, parse_options=parse, convert_options=convert)
            ended = False
            while not ended:
                pieces: list[pa.RecordBatch] = []
                while len(pieces) * arrow_block < batch_bytes:  # Arrow's blocks, joined into one batch
                    with _undecodable_rows(path, encoding, tracker.next_record + tracker.carry):
                        try:
                            pieces.append(reader.read_next_batch())
                        except StopIteration:
                            ended = True
                            break
                if not pieces:
                    break
                table = pa.Table.from_batches(pieces).combine_chunks()
                yield SourceBatch(record_type, tracker.number(table, names), tuple(names), str(path))
                yielded = True
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read as CSV ({encoding}): {_first_line(exc)}", path=str(path),
                             row=tracker.next_record + tracker.carry) from None
        rest = tracker.rest(names)
        if rest is not None:
            yield SourceBatch(record_type, rest, tuple(names), str(path))
        elif not yielded:  # a header and no rows: still say which columns the file has
            empty = pa.table({**{n: pa.array([], pa.string()) for n in names},
                              SOURCE_FILE: pa.array([], pa.string()), SOURCE_LINE: pa.array([], pa.int64())})
            yield SourceBatch(record_type, empty, tuple(names), str(path))


register_reader("csv", read_csv)
