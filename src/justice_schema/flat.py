"""The flat tabular layout of each entity, for CSV files, spreadsheets and warehouses.

One row per record, one scalar column per field:

* a nested value (``source``, ``address``, ``arrestee_age``, ``sentence``) becomes
  one column per part, named ``<field>_<part>`` (``source_agency_ori``,
  ``sentence_fine_amount``), except where a part declares its own flat name
  (the person's ``postal_code``);
* a repeated value (``aliases``, ``offenses``, ``other_identifiers``,
  ``violations``) becomes one column holding a JSON array, so nested data
  round-trips through a CSV file exactly;
* codes are their code text, dates ``YYYY-MM-DD``, instants UTC.

>>> from justice_schema.flat import flat_schema
>>> flat_schema("person").names[:6]
['entity_type', 'schema_version', 'id', 'source_agency_ori', 'source_system', 'source_record_key']
"""

from __future__ import annotations

import csv
import json
import typing
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from pydantic import BaseModel, TypeAdapter, ValidationError

from justice_schema._toolkit.annotations import unwrap
from justice_schema.arrow import (
    arrow_schema,
    arrow_type,
    model_fields_as_of,
)
from justice_schema.errors import InputError
from justice_schema.registry import CURRENT_SCHEMA_VERSION, check_version, model_for
from justice_schema.v1 import SENSITIVITY_SINCE, CanonicalRecord, field_sensitivity, version_key

__all__ = [
    "FlatColumn",
    "flat_columns",
    "flat_schema",
    "flatten",
    "unflatten",
    "to_flat_table",
    "from_flat_table",
    "write_flat_csv",
    "read_flat_csv",
    "assemble_nested",
]


@attrs.frozen(slots=True)
class FlatColumn:
    """One column of an entity's flat layout.

    ``path`` is where the value lives in the canonical record
    (``("source", "agency_ori")``); ``json_list`` is true for a column that holds
    a repeated value as a JSON array. ``required`` columns must be present in
    an input file; an absent optional column reads as its ``default``.
    ``sensitivity`` is the class of the field the column holds (the innermost
    one for a part of a nested value), as :func:`~justice_schema.v1.field_sensitivity`
    gives it.
    """

    name: str
    path: tuple[str, ...]
    type: pa.DataType
    nullable: bool
    required: bool
    description: str
    json_list: bool = False
    annotation: Any = None
    default: Any = None
    sensitivity: str | None = None


def _walk(model: type[BaseModel], version: str, prefix: str, path: tuple[str, ...], parent_optional: bool) -> list[FlatColumn]:
    columns: list[FlatColumn] = []
    for name, info in model_fields_as_of(model, version).items():
        found = unwrap(info.annotation)
        inner, optional = found.bare, found.optional
        nullable = optional or parent_optional
        required = info.is_required() and not parent_optional
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        col_name = str(extra.get("x-flat-name") or f"{prefix}{name}")
        description = info.description or ""
        level = field_sensitivity(model, name).value
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            columns.extend(_walk(inner, version, f"{prefix}{name}_", path + (name,), nullable))
        elif typing.get_origin(inner) in (tuple, list):
            columns.append(FlatColumn(col_name, path + (name,), pa.string(), nullable, required,
                                      description + " (JSON array)", True, info.annotation, default, level))
        else:
            columns.append(FlatColumn(col_name, path + (name,), arrow_type(info.annotation, version),
                                      nullable, required, description, False, info.annotation, default, level))
    return columns


def flat_columns(entity_type: str, schema_version: str = CURRENT_SCHEMA_VERSION) -> tuple[FlatColumn, ...]:
    """The columns of ``entity_type``'s flat layout, in order."""
    version = check_version(schema_version)
    columns = _walk(model_for(entity_type, version), version, "", (), False)
    names = [c.name for c in columns]
    if len(names) != len(set(names)):
        raise AssertionError(f"flat layout of {entity_type} repeats a column name: {names}")
    return tuple(columns)


def flat_schema(entity_type: str, schema_version: str = CURRENT_SCHEMA_VERSION) -> pa.Schema:
    """The Arrow schema of ``entity_type``'s flat layout (from schema 1.2 each column's metadata has its ``sensitivity``)."""
    classed = version_key(check_version(schema_version)) >= version_key(SENSITIVITY_SINCE)
    return pa.schema(
        [pa.field(c.name, c.type, nullable=c.nullable,
                  metadata={"description": c.description, **({"sensitivity": c.sensitivity or ""} if classed else {})})
         for c in flat_columns(entity_type, schema_version)],
        metadata={"justice_schema.entity": entity_type, "justice_schema.layout": "flat",
                  "justice_schema.schema_version": check_version(schema_version)},
    )


def _get_path(table: pa.Table, path: tuple[str, ...]) -> pa.ChunkedArray:
    column = table.column(path[0])
    for part in path[1:]:
        column = pc.struct_field(column, part)
    return column


def _json_text(values: list[Any]) -> list[str | None]:
    return [None if v is None else json.dumps(v, default=str, ensure_ascii=False, separators=(",", ":")) for v in values]


def flatten(table: pa.Table, entity_type: str | None = None) -> pa.Table:
    """Turn a canonical (nested) Arrow table into the entity's flat layout.

    Struct parts are pulled out with whole-column operations; only repeated
    values are serialised row by row, to JSON text.
    """
    meta = table.schema.metadata or {}
    entity_type = entity_type or meta.get(b"justice_schema.entity", b"").decode()
    version = meta.get(b"justice_schema.schema_version", CURRENT_SCHEMA_VERSION.encode()).decode()
    columns = flat_columns(entity_type, version)
    arrays = []
    for col in columns:
        values = _get_path(table, col.path)
        if col.json_list:
            adapter = TypeAdapter(col.annotation)
            dumped = [None if v is None else adapter.dump_python(adapter.validate_python(v), mode="json", exclude_none=True)
                      for v in values.to_pylist()]
            values = pa.array(_json_text(dumped), type=pa.string())
        arrays.append(values)
    return pa.table(arrays, schema=flat_schema(entity_type, version))


def unflatten(table: pa.Table, entity_type: str, *, path: str | None = None) -> pa.Table:
    """Turn a flat-layout table back into the canonical nested Arrow table.

    Columns are cast to their layout types; a nested value whose columns are
    all empty becomes null. Raises :class:`~justice_schema.errors.InputError`
    naming the row and column of a JSON array that cannot be read, and listing
    missing columns.
    """
    version = check_version(
        (table.schema.metadata or {}).get(b"justice_schema.schema_version", CURRENT_SCHEMA_VERSION.encode()).decode()
    )
    columns = flat_columns(entity_type, version)
    required = [c.name for c in columns if c.required]
    missing = [name for name in required if name not in table.column_names]
    if missing:
        raise InputError(f"missing required column(s): {', '.join(missing)}", path=path)
    n = table.num_rows
    values: dict[tuple[str, ...], pa.Array] = {}
    for col in columns:
        if col.name not in table.column_names:
            array = pa.nulls(n, type=pa.string() if col.json_list else col.type)
            if col.json_list:
                array = _parse_json_lists(array, col, path, version)
        else:
            array = table.column(col.name).combine_chunks()
            if col.json_list:
                array = _parse_json_lists(array, col, path, version)
            elif array.type != col.type:
                array = array.cast(col.type)
        if not col.nullable and not col.json_list and col.default is not None and array.null_count:
            array = pc.fill_null(array, pa.scalar(col.default, type=col.type))
        values[col.path] = array
    target = arrow_schema(entity_type, version)
    return pa.Table.from_arrays([assemble_nested(values, (f.name,), f) for f in target], schema=target)


def _parse_json_lists(array: pa.Array, col: FlatColumn, path: str | None, version: str) -> pa.Array:
    adapter = TypeAdapter(col.annotation)
    parsed: list[list[Any]] = []
    for row, text in enumerate(array.to_pylist(), start=1):
        if text is None or text == "":
            parsed.append([])
            continue
        try:
            items = adapter.validate_json(text)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise InputError(f"not a valid JSON array for this column: {first['msg']}",
                             path=path, row=row, field=col.name) from None
        parsed.append([item.model_dump(mode="python") if isinstance(item, BaseModel) else item for item in items])
    return pa.array(parsed, type=arrow_type(col.annotation, version))


def assemble_nested(values: dict[tuple[str, ...], pa.Array], path: tuple[str, ...], field: pa.Field) -> pa.Array:
    """The nested Arrow column of ``field`` (at ``path``), built from the flat columns in ``values``.

    ``values`` maps each leaf path to its array; a struct is assembled from its
    children and is null on the rows where every part is null.
    """
    if path in values:
        return values[path]
    assert pa.types.is_struct(field.type), path
    children = [assemble_nested(values, path + (child.name,), child) for child in field.type]
    # A nested value is null when every one of its parts is null.
    present = None
    for array in children:
        has = pc.is_valid(array)
        present = has if present is None else pc.or_(present, has)
    mask = pc.invert(present) if present is not None else None
    return pa.StructArray.from_arrays(children, fields=list(field.type), mask=mask)


def to_flat_table(records: Iterable[CanonicalRecord], *, entity_type: str | None = None) -> pa.Table:
    """Records as a flat-layout Arrow table."""
    from justice_schema.arrow import to_table

    return flatten(to_table(records, entity_type=entity_type), entity_type)


def from_flat_table(table: pa.Table, entity_type: str, *, path: str | None = None) -> list[CanonicalRecord]:
    """Records from a flat-layout Arrow table."""
    from justice_schema.arrow import from_table

    return from_table(unflatten(table, entity_type, path=path), entity_type=entity_type)


def write_flat_csv(records: Sequence[CanonicalRecord] | pa.Table, destination: str | Path, *, entity_type: str | None = None) -> Path:
    """Write records (or a flat table) as a UTF-8 CSV file in the flat layout, with a header."""
    table = records if isinstance(records, pa.Table) else to_flat_table(records, entity_type=entity_type)
    dest = Path(destination)
    pacsv.write_csv(table, dest)
    return dest


def read_flat_csv(source: str | Path, entity_type: str, schema_version: str = CURRENT_SCHEMA_VERSION) -> pa.Table:
    """Read a flat-layout CSV file into a flat Arrow table typed by the layout.

    Empty cells are null. Unknown columns raise :class:`InputError` listing them
    (a misspelt header must not be dropped silently), as do values that do not
    convert to the column's type.
    """
    columns = flat_columns(entity_type, schema_version)
    types = {c.name: c.type for c in columns}
    src = str(source)
    try:
        with open(src, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read as UTF-8 CSV: {exc}", path=src) from None
    if not header:
        raise InputError("empty file: no header row", path=src)
    unknown = [name for name in header if name not in types]
    if unknown:
        raise InputError(f"unknown column(s) for {entity_type}: {', '.join(unknown)}", path=src)
    try:
        table = pacsv.read_csv(
            src,
            convert_options=pacsv.ConvertOptions(
                column_types={k: v for k, v in types.items() if k in header},
                strings_can_be_null=True,
                null_values=[""],
                quoted_strings_can_be_null=True,
            ),
        )
    except pa.ArrowInvalid as exc:
        raise InputError(f"cannot convert CSV: {exc}", path=src) from None
    meta = {b"justice_schema.entity": entity_type.encode(), b"justice_schema.schema_version": schema_version.encode()}
    return table.replace_schema_metadata(meta)
