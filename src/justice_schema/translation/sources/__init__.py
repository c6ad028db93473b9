"""The source reader contract: how a file format becomes Arrow batches of raw text.

A reader turns the input files of one format into a stream of
:class:`SourceBatch` values. Every batch holds rows of one *record type*
(``"default"`` for formats with a single kind of row; the NIBRS level code such
as ``"1"`` or ``"6"`` for the flat file) as an Arrow table whose columns are the
raw source values as ``pa.string()`` (null = absent or blank), plus two
bookkeeping columns:

* ``_source_file`` (string): the file the row came from;
* ``_source_line`` (int64): its 1-based line or record number in that file.

Two optional columns let a reader hand over rows it could not split into
fields without losing them: ``_source_error`` (string; null when the row is
fine) and ``_source_text`` (string; the row as read). The engine turns every
row with an error into a reject carrying that reason. A reader may also give
``_source_warning`` (string; the row was read, but something about it is off,
such as a declared line length that conflicts with the real one): the engine
counts these in the reconciliation's warnings, with the line numbers of the
first ones. Readers of documents made of units (the reports of an XML
submission) may give ``_source_unit`` (int64; the unit's 1-based ordinal in its
file), so that rows of several record types from one unit can be matched.

Readers for nested formats (JSON) may also give ``list<struct<string...>>``
columns for arrays of objects; a spec explodes them with ``each.array``.

A reader is registered under a format name and receives the paths and the
spec's ``[source]`` table (``options``). It validates its own option keys and
raises :class:`~justice_schema.errors.InputError` naming the file and line when
a file cannot be read at all::

    from justice_schema.translation.sources import SourceBatch, register_reader

    def read_pipe_files(paths, options):
        for path in paths:
            ...  # build a pa.Table of string columns + _source_file + _source_line
            yield SourceBatch(record_type="default", table=table)

    register_reader("pipe", read_pipe_files)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import arange
from justice_schema.errors import InputError

__all__ = [
    "SourceBatch",
    "Reader",
    "register_reader",
    "read_source",
    "reader_formats",
    "SOURCE_FILE",
    "SOURCE_LINE",
    "SOURCE_ERROR",
    "SOURCE_TEXT",
    "SOURCE_WARNING",
    "SOURCE_UNIT",
    "BOOKKEEPING_COLUMNS",
    "with_bookkeeping",
    "check_option_keys",
]

SOURCE_FILE = "_source_file"
SOURCE_LINE = "_source_line"
SOURCE_ERROR = "_source_error"
SOURCE_TEXT = "_source_text"
SOURCE_WARNING = "_source_warning"
SOURCE_UNIT = "_source_unit"
#: Columns a reader adds that are not source data.
BOOKKEEPING_COLUMNS: frozenset[str] = frozenset(
    {SOURCE_FILE, SOURCE_LINE, SOURCE_ERROR, SOURCE_TEXT, SOURCE_WARNING, SOURCE_UNIT}
)


@attrs.frozen(slots=True)
class SourceBatch:
    """A batch of raw source rows of one record type.

    ``record_type`` is ``"default"`` for single-record-type formats, or the
    format's own code (e.g. NIBRS level ``"1"``, ``"2"``, ``"6"``, ``"7"``).
    ``table`` holds the raw values as ``pa.string()`` columns (null = absent or
    blank), plus ``_source_file`` (string) and ``_source_line`` (int64, 1-based).
    """

    record_type: str
    table: pa.Table
    #: The columns the file declares (a CSV header), so that a spec column it lacks is an
    #: input error; ``None`` for formats whose rows bring their own keys (JSON).
    columns: tuple[str, ...] | None = None
    #: The file the batch was read from (with ``columns``; a batch may have no rows).
    file: str | None = None


#: A reader: ``reader(paths, options)`` yields :class:`SourceBatch` values.
Reader = Callable[[Sequence[Path], Mapping[str, Any]], Iterator[SourceBatch]]

_READERS: dict[str, Reader] = {}


def register_reader(format_name: str, reader: Reader) -> None:
    """Register ``reader`` for ``format = "<format_name>"`` in a spec's ``[source]`` table.

    Registering a name again replaces the earlier reader (so a plugin can
    provide a faster one).
    """
    if not format_name or not isinstance(format_name, str):
        raise ValueError("a reader needs a non-empty format name")
    _READERS[format_name] = reader


def _load_builtin_readers() -> None:
    # Imported for their registration side effect.
    from justice_schema.translation.sources import csv as _csv  # noqa: F401
    from justice_schema.translation.sources import json as _json  # noqa: F401

    for module in ("fixed_width", "xml"):
        try:
            __import__(f"justice_schema.translation.sources.{module}")
        except ImportError:
            pass


def reader_formats() -> tuple[str, ...]:
    """The format names a spec can use, sorted."""
    _load_builtin_readers()
    return tuple(sorted(_READERS))


def read_source(
    format_name: str, paths: Sequence[str | Path], options: Mapping[str, Any]
) -> Iterator[SourceBatch]:
    """Read ``paths`` with the reader registered for ``format_name``.

    Raises :class:`~justice_schema.errors.InputError` for an unknown format or a
    missing file.
    """
    _load_builtin_readers()
    reader = _READERS.get(format_name)
    if reader is None:
        raise InputError(f"unknown source format {format_name!r}; known: {', '.join(sorted(_READERS))}")
    # Not a reader option: the engine checks the columns (see sources.presence).
    options = {k: v for k, v in options.items() if k != "optional_columns"}
    resolved = [Path(p) for p in paths]
    for path in resolved:
        if not path.is_file():
            raise InputError("no such file, or not a regular file", path=str(path))
    return reader(resolved, options)


def with_bookkeeping(table: pa.Table, path: Path, first_line: int, line_step: int = 1,
                     extra_lines: pa.Array | None = None) -> pa.Table:
    """``table`` with ``_source_file`` and ``_source_line`` appended.

    Line numbers run from ``first_line`` in steps of ``line_step``; when
    ``extra_lines`` gives, per row, the further lines the row spans (line
    breaks inside quoted values), the rows after it move down by as many.
    """
    n = table.num_rows
    lines = arange(n)
    if line_step != 1:
        lines = pc.multiply(lines, pa.scalar(line_step, pa.int64()))
    if extra_lines is not None and n:
        spanned = pc.cumulative_sum(pc.cast(extra_lines, pa.int64()))
        lines = pc.add(lines, pc.subtract(spanned, pc.cast(extra_lines, pa.int64())))  # breaks in earlier rows
    lines = pc.add(lines, pa.scalar(first_line, pa.int64()))
    return table.append_column(SOURCE_FILE, pa.repeat(pa.scalar(str(path), pa.string()), n)).append_column(
        SOURCE_LINE, lines
    )


def check_option_keys(options: Mapping[str, Any], allowed: set[str], format_name: str) -> None:
    """Raise :class:`InputError` naming any ``[source]`` key the reader does not know."""
    unknown = sorted(set(options) - allowed - {"format"})
    if unknown:
        raise InputError(
            f"[source] key(s) {', '.join(unknown)} are not options of format {format_name!r}; "
            f"known: {', '.join(sorted(allowed))}"
        )
