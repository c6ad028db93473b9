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
the line of the record counting the header (line breaks inside quoted fields
are counted), exact unless the file has blank lines, which Arrow skips without
saying where. Rows with the wrong number of fields are not dropped: they come
back with ``_source_error`` set and their text in ``_source_text`` (and no line
number, which Arrow does not report).
"""

from __future__ import annotations

import codecs
import csv as pycsv
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from justice_schema._toolkit.arrays import one_array
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
    with_bookkeeping,
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


@contextmanager
def _undecodable_rows(path: Path, encoding: str, line: int) -> Iterator[None]:
    """Turn Arrow's report of a malformed row that is not even valid text into one clear error.

    Arrow decodes a malformed row's text for the invalid-row handler; when the bytes
    are not valid in the declared encoding that fails inside Arrow, which would
    print a traceback and then report a misleading column-count error.
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
    except (pa.ArrowInvalid, UnicodeDecodeError):
        if seen:
            raise InputError(f"not {encoding} text (set [source] encoding)", path=str(path), row=line) from None
        raise
    finally:
        sys.unraisablehook = previous
    if seen:
        raise InputError(f"not {encoding} text (set [source] encoding)", path=str(path), row=line)


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


def read_csv(paths: Sequence[Path], options: Mapping[str, Any]) -> Iterator[SourceBatch]:
    """Read delimited files as string batches (see the module docs for the options)."""
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
        bad: list[str] = []

        def on_invalid(row: Any, _bad: list[str] = bad) -> str:
            _bad.append(f"{row.actual_columns} fields where {row.expected_columns} were expected\x1f{row.text}")
            return "skip"

        parse = pacsv.ParseOptions(
            delimiter=str(options.get("delimiter", ",")),
            quote_char=quote if quote else False,
            escape_char=escape if escape else False,
            double_quote=bool(options.get("double_quote", True)),
            newlines_in_values=bool(options.get("newlines_in_values", True)) and bool(quote),
            invalid_row_handler=on_invalid,
        )
        names = list(columns) if columns else _header_names(path, options, encoding)
        if len(set(names)) != len(names):
            dupes = sorted({n for n in names if names.count(n) > 1})
            raise InputError(f"the header repeats column name(s) {', '.join(dupes)}", path=str(path), row=1)
        skip = int(options.get("skip_rows", 0))
        batch_bytes = int(options.get("block_size", 16 << 20))
        arrow_block = min(batch_bytes, ARROW_BLOCK)
        read = pacsv.ReadOptions(
            skip_rows=skip,
            column_names=names,
            skip_rows_after_names=1 if header and not columns else 0,
            encoding=encoding,
            block_size=arrow_block,
        )
        if header and columns:
            read = pacsv.ReadOptions(skip_rows=skip + 1, column_names=names, encoding=encoding,
                                     block_size=arrow_block)
        convert = pacsv.ConvertOptions(
            column_types={name: pa.string() for name in names},
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            null_values=[""],
        )
        first_line = skip + (2 if header else 1)
        try:
            with _undecodable_rows(path, encoding, first_line):
                reader = pacsv.open_csv(path, read_options=read, parse_options=parse, convert_options=convert)
            ended = False
            while not ended:
                pieces: list[pa.RecordBatch] = []
                while len(pieces) * arrow_block < batch_bytes:  # Arrow's blocks, joined into one batch
                    with _undecodable_rows(path, encoding, first_line):
                        try:
                            pieces.append(reader.read_next_batch())
                        except StopIteration:
                            ended = True
                            break
                if not pieces:
                    break
                table = pa.Table.from_batches(pieces).combine_chunks()
                breaks = _line_breaks_in_values(table)
                yield SourceBatch(record_type, with_bookkeeping(table, path, first_line, extra_lines=breaks))
                first_line += table.num_rows + (int(pc.sum(breaks).as_py() or 0) if breaks is not None else 0)
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read as CSV ({encoding}): {_first_line(exc)}", path=str(path),
                             row=first_line) from None
        if bad:
            reasons, texts = zip(*(item.split("\x1f", 1) for item in bad))
            columns_ = {name: pa.nulls(len(bad), pa.string()) for name in names}
            columns_[SOURCE_FILE] = pa.array([str(path)] * len(bad), pa.string())
            columns_[SOURCE_LINE] = pa.nulls(len(bad), pa.int64())
            columns_[SOURCE_ERROR] = pa.array(list(reasons), pa.string())
            columns_[SOURCE_TEXT] = pa.array(list(texts), pa.string())
            yield SourceBatch(record_type, pa.table(columns_))


register_reader("csv", read_csv)
