"""What identity matching reads: a person table in either layout, its columns as text.

Matching takes person data in three shapes, and :func:`person_input` turns each
into one flat table:

* the **flat person layout** (:mod:`justice_schema.flat`): one scalar column per
  field, ``address_line1``, ``postal_code``, ``source_agency_ori``...; only ``id``
  is required;
* the **canonical nested table** that ``translate`` writes to
  ``person.parquet`` (:mod:`justice_schema.arrow`): ``source`` and ``address``
  are structs, ``aliases`` and ``other_identifiers`` lists. Its parts are pulled
  out with whole-column operations into their flat names; only the rows that
  hold aliases or identifiers are written out as JSON text;
* :class:`~justice_schema.v1.Person` records.

Columns may come as any Arrow text type (``large_string`` from Polars,
dictionary-encoded from pandas categoricals), as numbers (a postal code read as
an integer), all-null, or as **bytes** (a CSV read without decoding): bytes
that are not UTF-8 are read with U+FFFD in place of the bad bytes, and every
such cell is reported as a JS-M01 :class:`~justice_schema.issues.Issue` (its
``record_id`` is filled in once the ids are read), so nothing is dropped silently.
A column of a type that cannot be text (a list where a name belongs) is an
:class:`~justice_schema.errors.InputError` naming the column.

>>> import pyarrow as pa
>>> data = person_input(pa.table({"id": [1, 2], "family_name": pa.array([b"Lee", b"M\\xfcller"])}))
>>> data.table.column("family_name").to_pylist(), [(p.row, p.field) for p in data.problems]
(['Lee', 'M\\ufffdller'], [(2, 'family_name')])
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.errors import InputError
from justice_schema.identity.normalize import data_issue
from justice_schema.issues import Issue

__all__ = ["COMPARED_COLUMNS", "NOT_UTF8", "PersonInput", "is_nested_person_table", "person_input", "text_column"]

#: Columns of the flat person layout that matching compares (``id`` aside).
COMPARED_COLUMNS: tuple[str, ...] = (
    "given_name", "middle_name", "family_name", "name_suffix", "date_of_birth", "sex", "race", "state_id",
    "fbi_number", "drivers_license_number", "postal_code", "address_line1", "address_line2", "address_city",
    "address_state",
)
#: The problem text of a cell whose bytes are not UTF-8.
NOT_UTF8 = "not valid UTF-8; read with U+FFFD in place of the bad bytes"


@attrs.frozen(slots=True, eq=False)
class PersonInput:
    """Person data as one flat table, and the cells that needed repair on the way.

    ``problems`` are JS-M01 issues (1-based ``row``, ``record_id`` still ``None``:
    :meth:`~justice_schema.identity.keys.PersonKeys.from_table` fills it in).
    """

    table: pa.Table
    problems: tuple[Issue, ...] = ()


@functools.lru_cache(maxsize=1)
def _layout() -> tuple[tuple[str, tuple[str, ...], bool], ...]:
    """(flat name, path in the nested record, is a JSON list) of every column of the person layout."""
    from justice_schema.flat import flat_columns

    return tuple((c.name, c.path, c.json_list) for c in flat_columns("person"))


def is_nested_person_table(table: pa.Table) -> bool:
    """Whether ``table`` is a canonical (nested) person table: a layout struct or list column is present."""
    roots = {path[0] for _, path, _ in _layout() if len(path) > 1} | {
        path[0] for _, path, json_list in _layout() if json_list}
    return any(pa.types.is_struct(table.schema.field(name).type) or pa.types.is_list(table.schema.field(name).type)
               or pa.types.is_large_list(table.schema.field(name).type)
               for name in roots if name in table.column_names)


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def _json_lists(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """A list column as JSON text, as the flat layout writes it (``[]`` when empty, null when null);
    only the rows that hold items are serialised."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    held = pc.greater(pc.fill_null(pc.list_value_length(column), 0), 0)
    out = pc.if_else(pc.is_valid(column), pa.scalar("[]", pa.string()), pa.scalar(None, pa.string()))
    if not pc.any(held).as_py():
        return out
    texts = [json.dumps(_drop_none(v), default=str, ensure_ascii=False, separators=(",", ":"))
             for v in pc.filter(column, held).to_pylist()]
    return pc.replace_with_mask(out, held, pa.array(texts, pa.string()))


def _nested_part(table: pa.Table, path: tuple[str, ...], *, where: str | None) -> pa.Array | None:
    """The value at ``path`` of a nested table (parent nulls propagate); None when the table lacks it."""
    column: pa.Array = table.column(path[0]).combine_chunks()
    for depth, part in enumerate(path[1:], start=1):
        if not pa.types.is_struct(column.type):
            raise InputError(f"column {'.'.join(path[:depth])!r} should be a struct with part {part!r} "
                             f"(the canonical person table); found {column.type}", path=where,
                             field=".".join(path[:depth]))
        if column.type.get_field_index(part) < 0:
            return None
        column = pc.struct_field(column, part)
    return column


def _flatten_nested(table: pa.Table, *, where: str | None) -> pa.Table:
    """The flat person columns of a canonical nested person table (whole-column operations)."""
    columns: dict[str, pa.Array] = {}
    for name, path, json_list in _layout():
        if name in table.column_names and len(path) == 1 and not json_list:
            columns[name] = table.column(name).combine_chunks()
            continue
        if path[0] not in table.column_names:
            continue
        value = _nested_part(table, path, where=where)
        if value is None:
            continue
        if json_list and (pa.types.is_list(value.type) or pa.types.is_large_list(value.type)):
            value = _json_lists(value)
        columns[name] = value
    return pa.table(columns) if columns else pa.table({"id": pa.nulls(table.num_rows, pa.string())})


_EXPECTED = "person data must be a pyarrow Table or RecordBatch (flat or canonical person layout) or Person records"


def _records_table(data: Iterable[Any], *, where: str | None) -> pa.Table:
    from justice_schema.flat import flat_schema, to_flat_table
    from justice_schema.v1 import Person

    if isinstance(data, (str, bytes, PurePath)):
        raise InputError(f"{_EXPECTED}; got the path {str(data)!r}: read the file first "
                         "(pyarrow.parquet.read_table, pyarrow.csv.read_csv)", path=where)
    if hasattr(data, "__arrow_c_stream__"):  # a Polars or other Arrow-speaking data frame
        return pa.table(data)
    try:
        records = list(data)
    except TypeError:
        raise InputError(f"{_EXPECTED}; got {type(data).__name__}", path=where) from None
    for number, record in enumerate(records, start=1):
        if not isinstance(record, Person):
            raise InputError(f"{_EXPECTED}; item {number} is a {type(record).__name__}", path=where, row=number)
    if not records:
        return flat_schema("person").empty_table()
    return to_flat_table(records, entity_type="person")


def _decode_bytes(array: pa.Array, field: str) -> tuple[pa.Array, list[Issue]]:
    """Bytes as UTF-8 text; bad bytes become U+FFFD and each such row is reported.

    Valid UTF-8 (the usual case) is checked and converted in one whole-array cast;
    only a column with bad bytes is decoded in Python, once per distinct value.
    """
    if pa.types.is_fixed_size_binary(array.type):
        array = array.cast(pa.binary())
    try:
        return array.cast(pa.large_string() if pa.types.is_large_binary(array.type) else pa.string()).cast(
            pa.string()), []
    except pa.ArrowInvalid:
        pass
    encoded = pc.dictionary_encode(array)
    texts: list[str | None] = []
    bad: list[int] = []
    for index, raw in enumerate(encoded.dictionary.to_pylist()):
        try:
            texts.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            texts.append(raw.decode("utf-8", errors="replace"))
            bad.append(index)
    decoded = pc.take(pa.array(texts, pa.string()), encoded.indices)
    problems: list[Issue] = []
    if bad:
        rows = pc.indices_nonzero(pc.fill_null(pc.is_in(encoded.indices, pa.array(bad, encoded.indices.type)),
                                               False)).to_pylist()
        problems = [data_issue(row + 1, None, field, decoded[row].as_py(), NOT_UTF8) for row in rows]
    return decoded, problems


def text_column(table: pa.Table, name: str, *, path: str | None = None) -> tuple[pa.Array, list[Issue]]:
    """Column ``name`` of ``table`` as one ``string`` array (all null when absent), and its repaired cells.

    ``date_of_birth`` keeps a date or timestamp type. Raises
    :class:`~justice_schema.errors.InputError` naming the column when its type
    cannot be read as text (a list, a struct, a map).
    """
    if name not in table.column_names:
        return pa.nulls(table.num_rows, pa.string()), []
    column = table.column(name).combine_chunks()
    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = column.type
    if pa.types.is_null(kind):
        return pa.nulls(table.num_rows, pa.string()), []
    if pa.types.is_string(kind):
        return column, []
    if name == "date_of_birth" and (pa.types.is_date(kind) or pa.types.is_timestamp(kind)):
        return column, []
    if pa.types.is_large_string(kind) or getattr(pa.types, "is_string_view", lambda _: False)(kind):
        return column.cast(pa.string()), []
    if pa.types.is_binary(kind) or pa.types.is_large_binary(kind) or pa.types.is_fixed_size_binary(kind):
        return _decode_bytes(column, name)
    if (pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind)
            or pa.types.is_boolean(kind) or pa.types.is_date(kind) or pa.types.is_timestamp(kind)):
        return column.cast(pa.string()), []
    raise InputError(f"column {name!r} holds {kind}; matching reads it as text", path=path, field=name)


def person_input(data: Any, *, path: str | None = None) -> PersonInput:
    """Person data (flat table, canonical nested table, or Person records) as one flat table.

    The columns matching reads (``id`` and :data:`COMPARED_COLUMNS`) come back
    as ``string`` (``date_of_birth`` may stay a date); other flat columns
    (``source_*``, ``other_identifiers``...) are kept for golden records. A
    canonical table's structs are flattened to their flat names
    (``address.postal_code`` is ``postal_code``). ``path`` names the input in
    errors.

    Raises :class:`~justice_schema.errors.InputError` when ``id`` is missing,
    or when the table has none of the columns matching compares (it is then
    neither layout; the message lists what was expected and what was found).
    """
    if isinstance(data, pa.RecordBatch):
        data = pa.Table.from_batches([data])
    table = data if isinstance(data, pa.Table) else _records_table(data, where=path)
    if is_nested_person_table(table):
        table = _flatten_nested(table, where=path)
    names = set(table.column_names)
    if "id" not in names:
        raise InputError("missing required column: id (a person table needs id and any of "
                         + ", ".join(COMPARED_COLUMNS) + f"; found: {', '.join(_data_columns(data)) or 'none'})",
                         path=path, field="id")
    if table.num_columns > 1 and not names & set(COMPARED_COLUMNS):
        raise InputError("none of the columns matching compares is present; expected any of "
                         + ", ".join(COMPARED_COLUMNS) + " (flat person layout) or the canonical person table; "
                         f"found: {', '.join(table.column_names)}", path=path)
    problems: list[Issue] = []
    columns: dict[str, pa.Array] = {}
    for name in table.column_names:
        column = table.column(name)
        if name == "id" or name in COMPARED_COLUMNS or pa.types.is_binary(column.type) or pa.types.is_large_binary(
                column.type) or pa.types.is_large_string(column.type) or pa.types.is_dictionary(column.type):
            columns[name], found = text_column(table, name, path=path)
            problems.extend(found)
        else:
            columns[name] = column
    problems.sort(key=lambda p: (p.row or 0, p.field or ""))
    return PersonInput(pa.table(columns), tuple(problems))


def _data_columns(data: Any) -> list[str]:
    """The column names of ``data`` when it is a table (for messages)."""
    return list(data.column_names) if isinstance(data, pa.Table) else []
