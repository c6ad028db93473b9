"""Fixed-width reader: lines of several record types told apart by a code at a position.

This is the shape of the FBI NIBRS flat file (segment level in position 5),
and of many older court and corrections exports. A spec's ``[source]`` table
says where the record-type code sits and, per record type, which fields sit at
which positions (1-based, inclusive, as the FBI and most vendors document them)::

    [source]
    format = "fixed_width"
    encoding = "ascii"
    record_type = [5, 5]          # positions of the record-type code
    length_field = [1, 4]         # optional: positions of a declared line length
    other_record_types = ["8", "9"]   # known but not laid out: kept raw, reported

    [source.layouts.6]
    lengths = [110]               # declared lengths allowed for this record type
    min_length = 76               # a shorter line is truncated: rejected
    fields = [["incident_number", 26, 37], ["arrest_date", 52, 59]]

What the reader does with each line:

- The line terminator (LF or CRLF) is removed; a line whose trailing blanks
  were stripped is read as if padded with blanks (positions past its end are
  blank), so it loses nothing.
- Each field is cut out with whole-column Arrow operations (one slice per
  field over all lines of a record type: by bytes when a chunk is pure ASCII,
  as NIBRS files are, otherwise by characters), blanks around the value are
  removed, and an all-blank field is null.
- Every batch carries ``_source_file``, ``_source_line`` (1-based), and
  ``_source_text`` (the line itself), and two reader verdicts per line:
  ``_source_error`` (the line cannot be read: blank, truncated, unknown
  record type; the engine rejects it with this reason) and
  ``_source_warning`` (the line was read, but something is off: its declared
  length conflicts with its real length or with the lengths its record type
  allows; the engine reports it).
- A record type listed in ``other_record_types`` (state-specific NIBRS levels
  8 and 9, for example) is yielded with only those columns and no error, so the
  spec decides what it means; any other code without a layout is an error.

The file is read in chunks of whole lines, so files larger than memory stream.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import arange
from justice_schema.errors import InputError
from justice_schema.translation.sources import (
    SOURCE_ERROR,
    SOURCE_FILE,
    SOURCE_LINE,
    SOURCE_TEXT,
    SOURCE_WARNING,
    SourceBatch,
    check_option_keys,
    register_reader,
)

__all__ = ["FixedWidthOptions", "FieldSlice", "RecordLayout", "read_fixed_width"]

# Arrow scalars built once: a Python literal handed to a compute function is converted on
# every call, and with pyarrow 26 that conversion costs a failed import (of dateutil) each time.
_EMPTY = pa.scalar("", pa.string())
_NULL_TEXT = pa.scalar(None, pa.string())
_FALSE = pa.scalar(False)

#: Bytes read at a time; a chunk always ends on a line boundary.
DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024

FIXED_WIDTH_OPTIONS = {
    "encoding", "record_type", "length_field", "layouts", "other_record_types", "chunk_bytes",
}


@attrs.frozen(slots=True)
class FieldSlice:
    """One field of a layout: its column name and 1-based inclusive positions."""

    name: str
    start: int
    end: int


@attrs.frozen(slots=True)
class RecordLayout:
    """The layout of one record type: its fields and the line lengths it allows."""

    code: str
    fields: tuple[FieldSlice, ...]
    lengths: tuple[int, ...] = ()
    min_length: int = 0


@attrs.frozen(slots=True)
class FixedWidthOptions:
    """The ``[source]`` options of a fixed-width spec, checked.

    Build it with :meth:`from_mapping`; a bad option raises
    :class:`~justice_schema.errors.InputError` naming the key.
    """

    record_type: tuple[int, int]
    layouts: Mapping[str, RecordLayout]
    length_field: tuple[int, int] | None = None
    other_record_types: frozenset[str] = frozenset()
    encoding: str = "utf-8"
    chunk_bytes: int = DEFAULT_CHUNK_BYTES

    @classmethod
    def from_mapping(cls, options: Mapping[str, Any]) -> FixedWidthOptions:
        """Check and convert the ``[source]`` table of a spec.

        >>> opts = FixedWidthOptions.from_mapping({
        ...     "record_type": [5, 5],
        ...     "layouts": {"1": {"fields": [["ori", 17, 25]]}},
        ... })
        >>> opts.layouts["1"].fields[0]
        FieldSlice(name='ori', start=17, end=25)
        """
        check_option_keys(options, FIXED_WIDTH_OPTIONS, "fixed_width")
        record_type = _positions(options.get("record_type"), "source.record_type")
        length_field = (
            _positions(options["length_field"], "source.length_field")
            if options.get("length_field") is not None
            else None
        )
        raw_layouts = options.get("layouts")
        if not isinstance(raw_layouts, Mapping) or not raw_layouts:
            raise InputError("give at least one record layout", field="source.layouts")
        layouts: dict[str, RecordLayout] = {}
        for code, raw in raw_layouts.items():
            key = f"source.layouts.{code}"
            if not isinstance(raw, Mapping):
                raise InputError("a layout is a table with 'fields'", field=key)
            width = record_type[1] - record_type[0] + 1
            if len(str(code)) != width:
                raise InputError(
                    f"record-type code {code!r} must be {width} character(s) long, "
                    f"as source.record_type says",
                    field=key,
                )
            layouts[str(code)] = _layout(str(code), raw, key)
        encoding = str(options.get("encoding", "utf-8"))
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}", field="source.encoding") from None
        others = options.get("other_record_types", ())
        if not isinstance(others, Sequence) or isinstance(others, str):
            raise InputError("a list of record-type codes", field="source.other_record_types")
        chunk = options.get("chunk_bytes", DEFAULT_CHUNK_BYTES)
        if not isinstance(chunk, int) or isinstance(chunk, bool) or chunk < 1:
            raise InputError("a positive whole number of bytes", field="source.chunk_bytes")
        return cls(
            record_type=record_type,
            layouts=layouts,
            length_field=length_field,
            other_record_types=frozenset(str(code) for code in others),
            encoding=encoding,
            chunk_bytes=chunk,
        )


def _positions(value: Any, key: str) -> tuple[int, int]:
    if (
        not isinstance(value, Sequence)
        or isinstance(value, str)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
    ):
        raise InputError("give [start, end], 1-based inclusive positions", field=key)
    start, end = int(value[0]), int(value[1])
    if start < 1 or end < start:
        raise InputError(f"positions [{start}, {end}] must satisfy 1 <= start <= end", field=key)
    return start, end


def _layout(code: str, raw: Mapping[str, Any], key: str) -> RecordLayout:
    raw_fields = raw.get("fields")
    if not isinstance(raw_fields, Sequence) or isinstance(raw_fields, str) or not raw_fields:
        raise InputError("give fields as [[name, start, end], ...]", field=f"{key}.fields")
    fields: list[FieldSlice] = []
    seen: set[str] = set()
    for index, item in enumerate(raw_fields):
        where = f"{key}.fields[{index}]"
        if not isinstance(item, Sequence) or isinstance(item, str) or len(item) != 3:
            raise InputError("a field is [name, start, end]", field=where)
        name = item[0]
        if not isinstance(name, str) or not name or name.startswith("_"):
            raise InputError("a field name is non-empty text not starting with '_'", field=where)
        if name in seen:
            raise InputError(f"field {name!r} is named twice", field=where)
        seen.add(name)
        start, end = _positions(item[1:], where)
        fields.append(FieldSlice(name, start, end))
    lengths = raw.get("lengths", ())
    if isinstance(lengths, int) and not isinstance(lengths, bool):
        lengths = (lengths,)
    if not isinstance(lengths, Sequence) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in lengths
    ):
        raise InputError("a list of positive line lengths", field=f"{key}.lengths")
    min_length = raw.get("min_length", 0)
    if not isinstance(min_length, int) or isinstance(min_length, bool) or min_length < 0:
        raise InputError("a whole number of characters", field=f"{key}.min_length")
    return RecordLayout(code, tuple(fields), tuple(int(n) for n in lengths), int(min_length))


def read_fixed_width(paths: Sequence[Path], options: Mapping[str, Any]) -> Iterator[SourceBatch]:
    """Read fixed-width files into one :class:`SourceBatch` per record type and chunk.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "f.txt"
    >>> _ = path.write_bytes(b"1AB  x\\r\\n2CD\\r\\n")
    >>> opts = {"record_type": [1, 1], "layouts": {"1": {"fields": [["a", 2, 3], ["b", 4, 6]]},
    ...                                             "2": {"fields": [["c", 2, 3]]}}}
    >>> [(b.record_type, b.table.column("a" if b.record_type == "1" else "c").to_pylist())
    ...  for b in read_fixed_width([path], opts)]
    [('1', ['AB']), ('2', ['CD'])]
    """
    spec = FixedWidthOptions.from_mapping(options)
    for path in paths:
        for lines, ascii_only, first_line in _read_lines(Path(path), spec.encoding, spec.chunk_bytes):
            yield from _split_by_record_type(lines, ascii_only, first_line, str(path), spec)


register_reader("fixed_width", read_fixed_width)


def _read_lines(path: Path, encoding: str, chunk_bytes: int) -> Iterator[tuple[pa.StringArray, bool, int]]:
    """Yield (lines, all ASCII?, number of the first line) in chunks that end on a line boundary."""
    try:
        handle = path.open("rb")
    except OSError as error:
        raise InputError(f"cannot open: {error.strerror or error}", path=str(path)) from None
    next_line = 1
    with handle:
        data = handle.read(chunk_bytes)
        while data:
            ahead = handle.read(chunk_bytes)
            if not ahead:
                # The last chunk: its final line may lack a terminator.
                if data.endswith(b"\n"):
                    data = data[:-1]
                yield *_decode_lines(data, path, encoding, next_line), next_line
                return
            cut = data.rfind(b"\n")
            if cut < 0:
                data += ahead
                continue
            lines, ascii_only = _decode_lines(data[:cut], path, encoding, next_line)
            yield lines, ascii_only, next_line
            next_line += len(lines)
            data = data[cut + 1 :] + ahead


def _decode_lines(data: bytes, path: Path, encoding: str, first_line: int) -> tuple[pa.StringArray, bool]:
    """The lines of ``data`` (CR removed), and whether they are pure ASCII."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = first_line + data.count(b"\n", 0, error.start)
        raise InputError(
            f"byte {data[error.start]:#04x} cannot be decoded as {encoding}; "
            f"set source.encoding to the file's encoding",
            path=str(path),
            row=line,
        ) from None
    lines = pa.array(text.split("\n"), pa.string())
    # CRLF files: the CR is part of the terminator, not of the record.
    return pc.utf8_rtrim(lines, characters="\r"), data.isascii()


def _line_numbers(first: int, count: int) -> pa.Int64Array:
    return pc.add(arange(count), pa.scalar(first, pa.int64()))


def _split_by_record_type(
    lines: pa.StringArray, ascii_only: bool, first_line: int, file_name: str, spec: FixedWidthOptions
) -> Iterator[SourceBatch]:
    numbers = _line_numbers(first_line, len(lines))
    blank = pc.equal(pc.utf8_trim_whitespace(lines), _EMPTY)
    start, end = spec.record_type
    codes = _slice(lines, start, end, ascii_only)
    codes = pc.if_else(blank, _EMPTY, codes)
    for code in sorted(c for c in pc.unique(codes).to_pylist() if c is not None):
        mask = pc.equal(codes, pa.scalar(code, pa.string()))
        group = pc.filter(lines, mask)
        group_numbers = pc.filter(numbers, mask)
        layout = spec.layouts.get(code)
        columns: dict[str, pa.Array] = {}
        if layout is not None:
            for field in layout.fields:
                columns[field.name] = _cut(group, field.start, field.end, ascii_only)
            error = _truncation_errors(group, layout)
            warning = _length_warnings(group, layout, spec.length_field, ascii_only)
        else:
            error = _unknown_type_error(code, pc.filter(blank, mask), spec)
            warning = pa.nulls(len(group), pa.string())
        columns[SOURCE_FILE] = pa.array([file_name] * len(group), pa.string())
        columns[SOURCE_LINE] = group_numbers
        columns[SOURCE_TEXT] = group
        columns[SOURCE_ERROR] = error
        columns[SOURCE_WARNING] = warning
        yield SourceBatch(record_type=code, table=pa.table(columns))


def _slice(lines: pa.StringArray, start: int, end: int, ascii_only: bool) -> pa.StringArray:
    """Characters ``start`` .. ``end`` (1-based, inclusive) of every line.

    Pure-ASCII text is sliced by bytes (several times faster); other text by
    code points, so positions count characters after decoding.
    """
    if ascii_only:
        if isinstance(lines, pa.ChunkedArray):
            lines = lines.combine_chunks()
        return pc.binary_slice(lines.view(pa.binary()), start - 1, end).view(pa.string())
    return pc.utf8_slice_codeunits(lines, start - 1, end)


def _cut(lines: pa.StringArray, start: int, end: int, ascii_only: bool) -> pa.StringArray:
    """The field at 1-based inclusive positions; blanks trimmed; all-blank is null."""
    value = pc.utf8_trim(_slice(lines, start, end, ascii_only), characters=" ")
    return pc.if_else(pc.equal(value, _EMPTY), _NULL_TEXT, value)


def _message(condition: pa.Array, *parts: pa.Array | str) -> pa.StringArray:
    """``parts`` joined where ``condition`` is true, null elsewhere."""
    pieces = [p if isinstance(p, (pa.Array, pa.ChunkedArray)) else pa.scalar(p, pa.string()) for p in parts]
    text = pc.binary_join_element_wise(*pieces, _EMPTY)
    return pc.if_else(pc.fill_null(condition, _FALSE), text, _NULL_TEXT)


def _truncation_errors(lines: pa.StringArray, layout: RecordLayout) -> pa.StringArray:
    if not layout.min_length:
        return pa.nulls(len(lines), pa.string())
    length = pc.utf8_length(lines)
    short = pc.less(length, pa.scalar(layout.min_length, length.type))
    if not pc.any(short).as_py():
        return pa.nulls(len(lines), pa.string())
    return _message(
        short,
        "truncated line: ",
        pc.cast(length, pa.string()),
        f" characters, a record of type {layout.code!r} needs at least {layout.min_length}",
    )


def _length_warnings(
    lines: pa.StringArray, layout: RecordLayout, length_field: tuple[int, int] | None, ascii_only: bool
) -> pa.StringArray:
    if length_field is None:
        return pa.nulls(len(lines), pa.string())
    declared_text = _slice(lines, length_field[0], length_field[1], ascii_only)
    numeric = pc.fill_null(pc.match_substring_regex(declared_text, r"^[0-9]+$"), _FALSE)
    declared = pc.cast(pc.if_else(numeric, declared_text, _NULL_TEXT), pa.int64())
    actual = pc.cast(pc.utf8_length(lines), pa.int64())
    # A line shorter than it declares lost trailing blanks (padded, fine); a
    # longer one contradicts its own length field.
    too_long = pc.fill_null(pc.greater(actual, declared), _FALSE)
    if layout.lengths:
        not_allowed = pc.invert(pc.is_in(declared, value_set=pa.array(layout.lengths, pa.int64())))
    else:
        not_allowed = pa.repeat(_FALSE, len(lines))
    not_numeric = pc.invert(numeric)
    not_allowed = pc.and_(numeric, not_allowed)
    if not pc.any(pc.or_(pc.or_(not_numeric, too_long), not_allowed)).as_py():
        return pa.nulls(len(lines), pa.string())
    allowed_text = "/".join(str(n) for n in layout.lengths)
    declared_shown = pc.cast(declared, pa.string())
    messages = [
        _message(not_numeric, "declared length '", declared_text, "' is not a number"),
        _message(too_long, "declared length ", declared_shown, " but the line has ",
                 pc.cast(actual, pa.string()), " characters"),
        _message(not_allowed, "declared length ", declared_shown,
                 f" is not a length of record type {layout.code!r} ({allowed_text})"),
    ]
    combined = messages[0]
    for extra in messages[1:]:
        joined = pc.binary_join_element_wise(combined, extra, pa.scalar("; "))
        combined = pc.coalesce(joined, combined, extra)
    return combined


def _unknown_type_error(code: str, blank: pa.BooleanArray, spec: FixedWidthOptions) -> pa.StringArray:
    count = len(blank)
    if code in spec.other_record_types:
        return pa.nulls(count, pa.string())
    if code.strip() == "":
        missing = "no record-type code at the record-type position"
        return pc.if_else(blank, pa.scalar("blank line"), pa.scalar(missing))
    known = ", ".join(sorted(set(spec.layouts) | spec.other_record_types))
    text = f"unknown record type {code!r}; this layout knows {known}"
    return pa.array([text] * count, pa.string())
