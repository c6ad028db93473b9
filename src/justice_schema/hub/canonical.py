"""Canonical exports: files that already hold canonical records (``translator = "canonical"``).

A Spark job that ran :func:`justice_schema.spark.translate_files` and wrote its tables
(``tables["arrest"].write.parquet(...)``), or any pipeline writing canonical records to
Parquet or Arrow IPC, hands the hub records, not vendor rows. Such an export has no
translator spec; its files are read by :mod:`justice_schema.io.readers` and each row goes
through the checks a translated record gets:

* its entity is its ``entity_type`` value (Spark drops the schema metadata, so the
  metadata is not relied on); rows of several entities may share a file, each read with
  the columns its entity has;
* its schema version is its ``schema_version`` value; the rows of an entity at older
  versions are upgraded to the newest among them, as the hub does across exports;
* the field and record rules of the schema (the translator's default
  ``validate=`` hook, :data:`~justice_schema.validation.hooks.RECORD_RULES`): a row
  that breaks one, holds a value in a column its entity does not have, or lacks
  ``entity_type`` / ``schema_version`` becomes a reject in the translator's shape
  (:data:`~justice_schema.translation.REJECT_SCHEMA`): ``source_file``, ``source_line``
  (the 1-based row of the file), ``record_type`` (the entity), reasons naming the field.

A fault of the file as a whole — unreadable, no ``entity_type`` or ``schema_version``
column, an entity type or schema version this library does not know, a column whose type
cannot be the field's — is an :class:`~justice_schema.errors.InputError` naming the file
(and the row and field where one is to blame). Every row read is either a record or a
reject: ``rows_in == records_out + rows_rejected``.

Which fields does a canonical export *collect*? Its format is the canonical schema, which
has every field, so :func:`canonical_fields` answers all of them: a field the pipeline left
empty counts as left blank, never as "not collected" (the data alone cannot tell the two apart).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import arange, cast_column, first_true_row, one_array
from justice_schema._toolkit.scalars import scalar
from justice_schema.arrow import arrow_schema
from justice_schema.errors import InputError
from justice_schema.io.readers import file_kind, open_table, read_canonical
from justice_schema.registry import ENTITY_TYPES, SCHEMA_VERSIONS, entity_types
from justice_schema.translation import REJECT_SCHEMA
from justice_schema.translation.reasons import NOT_TRANSLATED, Reasons
from justice_schema.translation.rejects import reject_table
from justice_schema.translation.sources import SOURCE_FILE, SOURCE_LINE
from justice_schema.validation.columnar import row_problems
from justice_schema.versioning.migrations import to_one_version

__all__ = ["CanonicalRead", "canonical_fields", "read_canonical_files"]

#: The code of a required value that is missing (the schema's own rule code).
_REQUIRED = "JS-P01"
_ROW = "__canonical_row"


@attrs.frozen(slots=True)
class CanonicalRead:
    """What reading a canonical export gives: one table per entity, the rejects, and the rows read."""

    tables: dict[str, pa.Table]
    rejects: pa.Table
    rows_in: int

    @property
    def records_out(self) -> int:
        """How many records the tables hold."""
        return sum(t.num_rows for t in self.tables.values())


def canonical_fields() -> dict[str, set[str]]:
    """The fields a canonical export collects, by entity: every top-level field of the current schema."""
    return {entity: set(arrow_schema(entity).names) for entity in ENTITY_TYPES}


def _read(path: Path) -> pa.Table:
    """The file's rows as stored: Parquet and Arrow IPC as they are, the other canonical formats via
    :func:`~justice_schema.io.readers.read_canonical` (one entity per file)."""
    if file_kind(path) in ("parquet", "ipc"):
        return open_table(path).read()
    return read_canonical(path)


def _text_column(table: pa.Table, name: str, path: Path) -> pa.Array:
    if name not in table.column_names:
        raise InputError(f"no {name} column: a canonical export names each row's {name} "
                         f"(is this a file of canonical records?)", path=str(path), field=name)
    return one_array(cast_column(table.column(name), pa.string(), path=str(path), field=name))


def _conform(rows: pa.Table, entity: str, version: str, path: Path) -> pa.Table:
    """``rows`` as a table of ``arrow_schema(entity, version)``: each column cast, absent ones null."""
    schema = arrow_schema(entity, version)
    arrays = []
    for field in schema:
        if field.name in rows.column_names:
            array = cast_column(rows.column(field.name), field.type, path=str(path), field=field.name)
        else:
            array = pa.nulls(rows.num_rows, field.type)
        if not field.nullable and pa.types.is_list(field.type) and array.null_count:
            array = pc.fill_null(array, pa.scalar([], field.type))  # an absent list is the empty list
        arrays.append(array)
    return pa.Table.from_arrays(arrays, schema=schema)


def _source(rows: pa.Table, path: Path, ignore: Collection[str]) -> pa.Table:
    """The rows as the reject stage wants them: their cells, file and 1-based row (as ``source_line``)."""
    cells = rows.drop_columns([c for c in rows.column_names if c == _ROW or c in ignore])
    return (cells.append_column(SOURCE_FILE, pa.repeat(scalar(str(path)), rows.num_rows))
            .append_column(SOURCE_LINE, pc.add(rows.column(_ROW), 1)))


def _check_file(path: Path, table: pa.Table, ignore: Collection[str]
                ) -> tuple[list[tuple[str, pa.Table]], pa.Table]:
    """One file's rows: ``(entity, records)`` kept (each at its own schema version), and the rejects."""
    entities = _text_column(table, "entity_type", path)
    versions = _text_column(table, "schema_version", path)
    unknown = pc.invert(pc.is_in(entities, value_set=pa.array(ENTITY_TYPES, pa.string())))
    unknown = pc.and_(pc.is_valid(entities), unknown)
    if pc.any(unknown).as_py():
        row = first_true_row(unknown)
        raise InputError(f"unknown entity type {entities[row - 1].as_py()!r}; expected one of "
                         f"{', '.join(ENTITY_TYPES)}", path=str(path), row=row, field="entity_type")
    bad_version = pc.and_(pc.is_valid(versions), pc.invert(pc.is_in(versions, value_set=pa.array(SCHEMA_VERSIONS))))
    if pc.any(bad_version).as_py():
        row = first_true_row(bad_version)
        raise InputError(f"schema version {versions[row - 1].as_py()!r} is not one this library knows "
                         f"({', '.join(SCHEMA_VERSIONS)})", path=str(path), row=row, field="schema_version")
    table = table.append_column(_ROW, arange(table.num_rows))
    kept: list[tuple[str, pa.Table]] = []
    rejects: list[pa.Table] = []
    # rows that say neither what nor which version they are: one reject each, for that row alone
    for name, values in (("entity_type", entities), ("schema_version", versions)):
        missing = pc.is_null(values)
        if pc.any(missing).as_py():
            if name == "schema_version":
                missing = pc.and_(missing, pc.is_valid(entities))  # a row missing both is rejected once
            rows = table.filter(missing)
            reasons = Reasons(arange(rows.num_rows),
                              pa.repeat(scalar(f"{name}: required but missing ({_REQUIRED})"), rows.num_rows),
                              _REQUIRED, name)
            rejects.append(reject_table(_source(rows, path, ignore), "", [reasons],
                                        arange(rows.num_rows)))
    groups = pa.table({"e": entities, "v": versions}).group_by(["e", "v"], use_threads=False).aggregate([])
    for entity, version in sorted(zip(groups.column("e").to_pylist(), groups.column("v").to_pylist(),
                                      strict=True), key=lambda pair: (str(pair[0]), str(pair[1]))):
        if entity is None or version is None:
            continue
        mask = pc.and_(pc.equal(entities, entity), pc.equal(versions, version))
        rows = table.filter(mask)
        if entity not in entity_types(version):
            raise InputError(f"there is no {entity} in schema {version}", path=str(path),
                             row=int(rows.column(_ROW)[0].as_py()) + 1, field="entity_type")
        kept_rows, rejected = _check_group(path, rows, entity, version, ignore)
        if kept_rows.num_rows:
            kept.append((entity, kept_rows))
        if rejected.num_rows:
            rejects.append(rejected)
    return kept, (pa.concat_tables(rejects) if rejects else REJECT_SCHEMA.empty_table())


def _check_group(path: Path, rows: pa.Table, entity: str, version: str, ignore: Collection[str]
                 ) -> tuple[pa.Table, pa.Table]:
    """The rows of one entity and version: the valid records, and the rejects of the others."""
    schema = arrow_schema(entity, version)
    problems: list[Reasons] = []
    # a value in a column the entity does not have would be lost: the row is rejected, not trimmed
    for name in rows.column_names:
        if name in schema.names or name == _ROW or name in ignore:
            continue
        filled = pc.is_valid(rows.column(name)).combine_chunks()
        if pc.any(filled).as_py():
            at = pc.filter(arange(rows.num_rows), filled)
            problems.append(Reasons(at, pa.repeat(scalar(f"{entity}.{name}: not a field of {entity} in schema "
                                                         f"{version}"), len(at)),
                                    NOT_TRANSLATED, name, entity))
    records = _conform(rows, entity, version, path)
    found = row_problems(records, entity, version, record_rules=True)
    if found:
        texts = pc.binary_join_element_wise(scalar(f"{entity}."), found.table.column("text").combine_chunks(),
                                            scalar(""))
        problems.append(Reasons(found.table.column("row").combine_chunks(), texts,
                                found.table.column("code").combine_chunks(),
                                found.table.column("field").combine_chunks(), entity))
    if not problems:
        return records, REJECT_SCHEMA.empty_table()
    rejected = pc.unique(pa.concat_arrays([p.rows for p in problems]))
    keep = pc.invert(pc.is_in(arange(rows.num_rows), value_set=rejected))
    return records.filter(keep), reject_table(_source(rows, path, ignore), entity, problems, rejected)


def read_canonical_files(files: Sequence[Path], *, ignore_columns: Collection[str] = ()) -> CanonicalRead:
    """Read and check the canonical records of ``files`` (Parquet, Arrow IPC, or the other formats of
    :mod:`justice_schema.io.readers`); see the module docstring.

    ``ignore_columns`` are dropped wherever they appear (the hub's own ``hub_export``...,
    when a hub's Parquet copies are read back). Raises :class:`InputError` naming the file
    (and row and field) for a fault of a whole file.
    """
    pieces: dict[str, list[pa.Table]] = {}
    rejects: list[pa.Table] = []
    rows_in = 0
    for path in files:
        table = _read(Path(path))
        rows_in += table.num_rows
        kept, rejected = _check_file(Path(path), table, ignore_columns)
        for entity, records in kept:
            pieces.setdefault(entity, []).append(records)
        if rejected.num_rows:
            rejects.append(rejected)
    # one table per entity: files (or rows) at an older schema version upgraded to the newest among them
    tables = {entity: pa.concat_tables(to_one_version(parts, entity), promote_options="default")
              for entity, parts in pieces.items()}
    return CanonicalRead(tables=tables, rejects=pa.concat_tables(rejects) if rejects else REJECT_SCHEMA.empty_table(),
                         rows_in=rows_in)
