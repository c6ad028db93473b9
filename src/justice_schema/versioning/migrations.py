"""Carry stored records between schema versions: a registered chain of pure steps.

Each :class:`Migration` joins two adjacent versions and has four pure
functions: upgrade and downgrade of one record (a ``dict``), and of an Arrow
table (whole-column work, no loop over rows). :func:`upgrade` and
:func:`downgrade` walk the chain, one step at a time, over a record model, a
``dict``, a list of either, or an Arrow ``Table`` / ``RecordBatch``, and give
back the same kind of thing.

Nothing is lost silently. A downgrade that meets a value the older version
cannot hold follows an explicit :class:`DowngradePolicy`:

* ``error`` (the default): refuse, naming the record and the field;
* ``extension``: move the value into the :data:`EXTENSIONS` field (a ``dict``
  key, or a struct column in Arrow) beside the record, where :func:`upgrade`
  finds it and puts it back;
* ``drop``: remove it, and count what was removed in the result.

A record of an entity the older version does not have at all (a ``victim``,
added in 1.2, downgraded to 1.1) is refused under every policy, naming the
record, the entity and the version that added it: a whole record is never
dropped or hidden. Split such records off first (:func:`entity_exists_in`).

>>> from justice_schema.versioning import downgrade, upgrade
>>> record = {"entity_type": "person", "schema_version": "1.0", "id": "p-1",
...           "source": {"agency_ori": "UT0180000", "system": "demo", "record_key": "1",
...                      "extracted_at": "2024-05-01T12:00:00Z"}}
>>> newer = upgrade(record, to="1.1")
>>> newer["schema_version"]
'1.1'
>>> downgrade({**newer, "gender_identity": "NON_BINARY"}, to="1.0", policy="drop").removed
{'person.gender_identity': 1}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel

from justice_schema._toolkit.arrays import holds_value
from justice_schema._toolkit.choices import choose
from justice_schema.errors import InputError, JusticeSchemaError
from justice_schema.registry import (
    ENTITY_TYPES,
    SCHEMA_VERSIONS,
    check_version,
    entity_since,
    entity_types,
    model_for,
)
from justice_schema.v1 import CanonicalRecord, field_since, nested_model, version_key

__all__ = [
    "EXTENSIONS",
    "DowngradePolicy",
    "Downgraded",
    "Migration",
    "MigrationError",
    "MIGRATIONS",
    "additive_migration",
    "register_migration",
    "migration_path",
    "upgrade",
    "downgrade",
    "rows_losing_values",
    "table_entity_version",
    "to_one_version",
    "entity_exists_in",
]

#: Name of the field (dict key, or Arrow struct column) that holds values kept by
#: ``downgrade(..., policy="extension")``: a mapping from field path (``"gender_identity"``,
#: ``"sentence.part"``) to value. It is not part of any schema: strip it before validating,
#: or :func:`upgrade` the data to put the values back.
EXTENSIONS = "_extensions"

RecordDict = dict[str, Any]
Removed = dict[str, Any]


class MigrationError(JusticeSchemaError, ValueError):
    """A migration cannot proceed without losing data (or the input cannot be migrated)."""


class DowngradePolicy(StrEnum):
    """What :func:`downgrade` does with a value the older version has no field for."""

    ERROR = "error"
    EXTENSION = "extension"
    DROP = "drop"


@attrs.frozen(slots=True)
class Migration:
    """One step between adjacent schema versions ``source`` -> ``target``, as four pure functions.

    * ``upgrade_record(dict) -> dict``: a record declaring ``source`` becomes one declaring ``target``;
    * ``downgrade_record(dict) -> (dict, removed)``: the reverse; ``removed`` maps field paths to the
      values the older version cannot hold;
    * ``upgrade_table(table, entity) -> table`` and ``downgrade_table(table, entity) -> (table, removed)``:
      the same over an Arrow table in the canonical layout, with ``removed`` mapping paths to arrays.
    """

    source: str
    target: str
    upgrade_record: Callable[[RecordDict], RecordDict]
    downgrade_record: Callable[[RecordDict], tuple[RecordDict, Removed]]
    upgrade_table: Callable[[pa.Table, str], pa.Table]
    downgrade_table: Callable[[pa.Table, str], tuple[pa.Table, dict[str, pa.ChunkedArray]]]


#: The registered steps, keyed by ``(source, target)``, oldest first.
MIGRATIONS: dict[tuple[str, str], Migration] = {}


def register_migration(migration: Migration) -> Migration:
    """Add a step to the chain; the two versions must be adjacent released versions."""
    for version in (migration.source, migration.target):
        check_version(version)
    if SCHEMA_VERSIONS.index(migration.target) != SCHEMA_VERSIONS.index(migration.source) + 1:
        raise ValueError(f"a migration joins adjacent versions; {migration.source} -> {migration.target} does not")
    MIGRATIONS[(migration.source, migration.target)] = migration
    return migration


def migration_path(source: str, target: str) -> list[Migration]:
    """The steps from ``source`` to ``target`` in the direction of travel (empty when equal).

    Raises :class:`MigrationError` when a step is missing from the chain.
    """
    a, b = SCHEMA_VERSIONS.index(check_version(source)), SCHEMA_VERSIONS.index(check_version(target))
    lo, hi = min(a, b), max(a, b)
    steps = []
    for i in range(lo, hi):
        key = (SCHEMA_VERSIONS[i], SCHEMA_VERSIONS[i + 1])
        if key not in MIGRATIONS:
            raise MigrationError(f"no migration is registered from schema {key[0]} to {key[1]}")
        steps.append(MIGRATIONS[key])
    return steps if a <= b else steps[::-1]


# --- the generic additive step ------------------------------------------------------------------


def added_paths(model: type[BaseModel], source: str, target: str, prefix: str = "") -> list[str]:
    """Dotted paths of the fields of ``model`` added after ``source`` up to and including ``target``."""
    paths = []
    for name, info in model.model_fields.items():
        since = version_key(field_since(model, name))
        if version_key(source) < since <= version_key(target):
            paths.append(f"{prefix}{name}")
            continue
        nested, in_list = nested_model(info.annotation)
        if nested is not None:
            inner = added_paths(nested, source, target, f"{prefix}{name}.")
            if inner and in_list:
                raise NotImplementedError(
                    f"the additive migration cannot move fields added inside a list ({inner[0]}); "
                    f"register a custom Migration for {source} -> {target}"
                )
            paths.extend(inner)
    return paths


def _present(value: Any) -> bool:
    return value is not None and value != () and value != []


def _pop_path(record: RecordDict, path: str) -> tuple[RecordDict, Any]:
    """A copy of ``record`` without ``path``, and the value that was there (``None`` if absent)."""
    head, _, rest = path.partition(".")
    if head not in record:
        return record, None
    copy = dict(record)
    if not rest:
        return copy, copy.pop(head)
    inner = copy[head]
    if not isinstance(inner, Mapping):
        return record, None
    copy[head], value = _pop_path(dict(inner), rest)
    return copy, value


def _set_path(record: RecordDict, path: str, value: Any) -> RecordDict:
    head, _, rest = path.partition(".")
    copy = dict(record)
    if not rest:
        copy[head] = value
    elif isinstance(copy.get(head), Mapping):
        copy[head] = _set_path(dict(copy[head]), rest, value)
    return copy


def _null_like(t: pa.DataType, n: int) -> pa.Array:
    return pa.nulls(n, type=t)


def _conform(array: pa.Array, target: pa.DataType, fill: Mapping[str, pa.Array], prefix: str) -> pa.Array:
    """Rebuild ``array`` with the type ``target``: struct children matched by name, missing ones
    taken from ``fill`` (by path) or null, surplus ones left out. Whole-array work only."""
    if array.type == target and not any(key.startswith(prefix) for key in fill):
        return array
    if pa.types.is_struct(target) and pa.types.is_struct(array.type):
        children, names = [], []
        present = {array.type.field(i).name for i in range(array.type.num_fields)}
        flat = array.flatten() if isinstance(array, pa.StructArray) else None
        by_name = {array.type.field(i).name: flat[i] for i in range(array.type.num_fields)} if flat else {}
        for i in range(target.num_fields):
            field = target.field(i)
            path = f"{prefix}{field.name}"
            if path in fill:
                child = fill[path]
            elif field.name in present:
                child = _conform(by_name[field.name], field.type, fill, f"{path}.")
            else:
                child = _null_like(field.type, len(array))
            children.append(child)
            names.append(field)
        mask = pc.is_null(array) if array.null_count else None
        return pa.StructArray.from_arrays(children, fields=names, mask=mask)
    return array.cast(target)


def _combine(column: pa.ChunkedArray) -> pa.Array:
    return column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)


def table_entity_version(table: pa.Table, entity: str | None = None) -> tuple[str, str]:
    """``(entity, schema version)`` of a canonical Arrow table, from its metadata or its columns.

    ``entity`` overrides the table's own. Raises :class:`~justice_schema.errors.InputError`
    when either cannot be told.
    """
    meta = table.schema.metadata or {}
    entity = entity or meta.get(b"justice_schema.entity", b"").decode() or None
    if entity is None and "entity_type" in table.column_names and table.num_rows:
        kinds = pc.unique(table.column("entity_type")).to_pylist()
        entity = kinds[0] if len(kinds) == 1 else None
    if entity not in ENTITY_TYPES:
        raise InputError("cannot tell the entity of the Arrow table: no justice_schema.entity metadata or entity_type column")
    version = meta.get(b"justice_schema.schema_version", b"").decode() or None
    if version is None and "schema_version" in table.column_names and table.num_rows:
        versions = [v for v in pc.unique(table.column("schema_version")).to_pylist() if v]
        version = max(versions, key=version_key) if versions else None
    if version is None:
        raise InputError("cannot tell the schema version of the Arrow table: no metadata and no schema_version values")
    return entity, check_version(version)


def to_one_version(tables: Sequence[pa.Table], entity: str) -> list[pa.Table]:
    """``tables`` of one entity, those at an older schema version upgraded to the newest among them,
    so that they stack (a 1.0 court export beside a 1.2 prosecutor export). Each table's version
    is :func:`table_entity_version`'s; the order is kept.
    """
    versions = [table_entity_version(table, entity)[1] for table in tables]
    newest = max(versions, key=version_key)
    return [table if version == newest else upgrade(table, newest, entity_type=entity)
            for table, version in zip(tables, versions, strict=True)]


def _check_columns(table: pa.Table, entity: str, version: str) -> None:
    """Refuse columns the table's own version does not have: the layout step would drop them."""
    from justice_schema.arrow import arrow_schema

    known = set(arrow_schema(entity, version).names) | {EXTENSIONS}
    unknown = [name for name in table.column_names if name not in known]
    if unknown:
        raise InputError(
            f"column {unknown[0]!r} is not part of schema {version} {entity}"
            + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else "")
            + "; migrating would lose it. Move it out of the table first"
        )


def _layout(table: pa.Table, entity: str, version: str, fill: Mapping[str, pa.Array]) -> pa.Table:
    from justice_schema.arrow import arrow_schema

    target = arrow_schema(entity, version)
    struct = pa.StructArray.from_arrays(
        [_combine(table.column(name)) for name in table.column_names],
        names=table.column_names,
    ) if table.num_columns else pa.array([{}] * table.num_rows, type=pa.struct([]))
    conformed = _conform(struct, pa.struct(list(target)), fill, "")
    columns = conformed.flatten()
    columns[target.get_field_index("schema_version")] = pa.repeat(version, table.num_rows)
    return pa.Table.from_arrays(columns, schema=target)


def additive_migration(source: str, target: str) -> Migration:
    """The step for a purely additive minor version: ``target`` only adds optional fields.

    Upgrading relabels the record (and puts back values a downgrade kept in
    :data:`EXTENSIONS`); downgrading removes the added fields and returns what
    they held. The fields come from the models' ``since`` markers, so the step
    needs no hand-written field list.
    """
    paths = {entity: added_paths(model_for(entity, target), source, target) for entity in entity_types(target)}

    def upgrade_record(record: RecordDict) -> RecordDict:
        out = {**record, "schema_version": target}
        kept = out.pop(EXTENSIONS, None)
        if isinstance(kept, Mapping):
            rest = dict(kept)
            for path in paths[str(record.get("entity_type"))]:
                if path in rest:
                    out = _set_path(out, path, rest.pop(path))
            if rest:
                out[EXTENSIONS] = rest
        return out

    def downgrade_record(record: RecordDict) -> tuple[RecordDict, Removed]:
        out: RecordDict = {**record, "schema_version": source}
        removed: Removed = {}
        for path in paths[str(record.get("entity_type"))]:
            out, value = _pop_path(out, path)
            if _present(value):
                removed[path] = value
        return out, removed

    def upgrade_table(table: pa.Table, entity: str) -> pa.Table:
        fill: dict[str, pa.Array] = {}
        rest_fields, rest_arrays = [], []
        if EXTENSIONS in table.column_names:
            kept = _combine(table.column(EXTENSIONS))
            for i in range(kept.type.num_fields):
                field = kept.type.field(i)
                child = kept.field(i)
                if field.name in paths[entity]:
                    fill[field.name] = child
                else:
                    rest_fields.append(field)
                    rest_arrays.append(child)
            table = table.drop_columns([EXTENSIONS])
        out = _layout(table, entity, target, fill)
        if rest_arrays:
            out = out.append_column(EXTENSIONS, pa.StructArray.from_arrays(rest_arrays, fields=rest_fields))
        return out

    def downgrade_table(table: pa.Table, entity: str) -> tuple[pa.Table, dict[str, pa.ChunkedArray]]:
        removed: dict[str, pa.ChunkedArray] = {}
        for path in paths[entity]:
            head, *rest = path.split(".")
            if head not in table.column_names:
                continue
            column = table.column(head)
            for part in rest:
                column = pc.struct_field(column, part)
            removed[path] = column
        kept = table.drop_columns([EXTENSIONS]) if EXTENSIONS in table.column_names else table
        out = _layout(kept, entity, source, {})
        if EXTENSIONS in table.column_names:
            out = out.append_column(EXTENSIONS, table.column(EXTENSIONS))
        return out, removed

    return Migration(source, target, upgrade_record, downgrade_record, upgrade_table, downgrade_table)


register_migration(additive_migration("1.0", "1.1"))
register_migration(additive_migration("1.1", "1.2"))


# --- the drivers ------------------------------------------------------------------------------


def entity_exists_in(entity_type: str, schema_version: str) -> bool:
    """Whether schema ``schema_version`` has the entity ``entity_type`` (a victim exists from 1.2).

    Use it to split records before a downgrade: those of entities the target
    version lacks cannot be downgraded under any policy.
    """
    return entity_type in entity_types(schema_version)


def _refuse_missing_entity(entity: str, to: str, where: str) -> None:
    if not entity_exists_in(entity, to):
        raise MigrationError(
            f"{where}: entity {entity!r} was added in schema {entity_since(entity)}; schema {to} has no "
            f"{entity} records, so no downgrade policy can carry it (the record would be lost). Keep these "
            f"records at schema {entity_since(entity)} or later, apart from the {to} data"
        )


@attrs.frozen(slots=True)
class Downgraded:
    """The result of :func:`downgrade`: the records, and what the policy did with values that did not fit.

    ``removed`` counts, per ``entity.path``, the values taken out of the
    records: discarded under ``drop``, moved to :data:`EXTENSIONS` under
    ``extension`` (it is empty under ``error``, which refuses instead).
    """

    records: Any
    policy: DowngradePolicy
    removed: dict[str, int]

    @property
    def total_removed(self) -> int:
        """How many values were taken out, over every field."""
        return sum(self.removed.values())


def _declared(record: Mapping[str, Any], where: str) -> tuple[str, str]:
    entity, version = record.get("entity_type"), record.get("schema_version")
    if entity not in ENTITY_TYPES:
        raise InputError(f"record has no known entity_type (got {entity!r})", path=where)
    if not isinstance(version, str):
        raise InputError("record does not declare its schema_version", path=where)
    version = check_version(version)
    if not entity_exists_in(str(entity), version):
        raise InputError(
            f"record declares schema {version}, but entity {entity!r} was added in schema {entity_since(str(entity))}",
            path=where,
        )
    return str(entity), version


def _record_name(record: Mapping[str, Any], index: int | None) -> str:
    ident = record.get("id")
    parts = [f"record {index + 1}" if index is not None else "record"]
    if ident:
        parts.append(f"id {ident!r}")
    return ", ".join(parts)


def _upgrade_dict(record: RecordDict, to: str, where: str) -> RecordDict:
    _, version = _declared(record, where)
    if version_key(version) > version_key(to):
        raise MigrationError(f"{where}: declares schema {version}, newer than {to}; use downgrade()")
    for step in migration_path(version, to):
        record = step.upgrade_record(record)
    return record


def _downgrade_dict(
    record: RecordDict, to: str, policy: DowngradePolicy, where: str, counts: dict[str, int]
) -> RecordDict:
    entity, version = _declared(record, where)
    if version_key(version) < version_key(to):
        raise MigrationError(f"{where}: declares schema {version}, older than {to}; use upgrade()")
    _refuse_missing_entity(entity, to, where)
    for step in migration_path(version, to):
        record, removed = step.downgrade_record(record)
        if not removed:
            continue
        if policy is DowngradePolicy.ERROR:
            path = next(iter(removed))
            raise MigrationError(
                f"{where}: field {path!r} was added in schema {step.target} and has a value; downgrading to "
                f"{step.source} would lose it. Choose policy='extension' to keep it beside the record, "
                f"or policy='drop' to remove it"
            )
        for path in removed:
            counts[f"{entity}.{path}"] = counts.get(f"{entity}.{path}", 0) + 1
        if policy is DowngradePolicy.EXTENSION:
            record = {**record, EXTENSIONS: {**dict(record.get(EXTENSIONS) or {}), **removed}}
    return record


def _upgrade_table(table: pa.Table, to: str, entity: str | None) -> pa.Table:
    entity, version = table_entity_version(table, entity)
    if version_key(version) > version_key(to):
        raise MigrationError(f"the table is in schema {version}, newer than {to}; use downgrade()")
    _check_columns(table, entity, version)
    for step in migration_path(version, to):
        table = step.upgrade_table(table, entity)
    return table


def _downgrade_table(
    table: pa.Table, to: str, policy: DowngradePolicy, entity: str | None, counts: dict[str, int]
) -> pa.Table:
    entity, version = table_entity_version(table, entity)
    if version_key(version) < version_key(to):
        raise MigrationError(f"the table is in schema {version}, older than {to}; use upgrade()")
    _refuse_missing_entity(entity, to, f"the {entity} table ({table.num_rows} row(s))")
    _check_columns(table, entity, version)
    for step in migration_path(version, to):
        table_after, removed = step.downgrade_table(table, entity)
        kept_fields, kept_arrays = [], []
        for path, column in removed.items():
            mask = holds_value(column)
            n = pc.sum(mask).as_py() or 0
            if policy is DowngradePolicy.EXTENSION:
                # every removed field gets a child, even when all null, so batches share one schema
                kept_fields.append(pa.field(path, column.type))
                kept_arrays.append(_combine(column))
            if not n:
                continue
            if policy is DowngradePolicy.ERROR:
                row = pc.index(mask, True).as_py()
                ident = table.column("id")[row].as_py() if "id" in table.column_names else None
                raise MigrationError(
                    f"row {row + 1}{f' (id {ident!r})' if ident else ''}: field {path!r} was added in schema "
                    f"{step.target} and has a value in {n} row(s); downgrading to {step.source} would lose it. "
                    f"Choose policy='extension' to keep it in the {EXTENSIONS!r} column, or policy='drop'"
                )
            counts[f"{entity}.{path}"] = counts.get(f"{entity}.{path}", 0) + n
        if kept_arrays:
            if EXTENSIONS in table_after.column_names:
                earlier = _combine(table_after.column(EXTENSIONS))
                kept_fields = [earlier.type.field(i) for i in range(earlier.type.num_fields)] + kept_fields
                kept_arrays = earlier.flatten() + kept_arrays
                table_after = table_after.drop_columns([EXTENSIONS])
            table_after = table_after.append_column(
                EXTENSIONS, pa.StructArray.from_arrays(kept_arrays, fields=kept_fields)
            )
        table = table_after
    return table


def _as_dict(record: CanonicalRecord) -> RecordDict:
    return record.model_dump(mode="python")


def _revalidate(data: RecordDict, where: str) -> CanonicalRecord:
    from justice_schema.registry import parse

    return parse(data, location=where)


def upgrade(records: Any, to: str, *, entity_type: str | None = None) -> Any:
    """Move records to the later schema version ``to``; returns the same kind of thing it was given.

    ``records`` is a record model, a ``dict``, a list (or other iterable) of
    either, or an Arrow ``Table`` / ``RecordBatch`` in the canonical layout
    (``entity_type`` names the entity when the table carries no metadata).
    Records already at ``to`` pass unchanged; a record declaring a later
    version is refused (use :func:`downgrade`). Values a downgrade kept in
    :data:`EXTENSIONS` are put back.

    >>> import justice_schema.versioning as versioning
    >>> from justice_schema.v1 import Person
    >>> p = Person(id="p-1", source={"agency_ori": "UT0180000", "system": "demo", "record_key": "1",
    ...                              "extracted_at": "2024-05-01T12:00:00Z"})
    >>> versioning.upgrade(p, to="1.1").schema_version
    '1.1'
    """
    to = check_version(to)
    if isinstance(records, pa.RecordBatch):
        table = _upgrade_table(pa.Table.from_batches([records]), to, entity_type)
        return table.combine_chunks().to_batches()[0] if table.num_rows else pa.RecordBatch.from_pylist([], schema=table.schema)
    if isinstance(records, pa.Table):
        return _upgrade_table(records, to, entity_type)
    if isinstance(records, CanonicalRecord):
        return _revalidate(_upgrade_dict(_as_dict(records), to, "record"), "record")
    if isinstance(records, Mapping):
        return _upgrade_dict(dict(records), to, "record")
    if isinstance(records, Iterable) and not isinstance(records, (str, bytes)):
        out: list[Any] = []
        for index, item in enumerate(records):
            if isinstance(item, CanonicalRecord):
                where = _record_name(_as_dict(item), index)
                out.append(_revalidate(_upgrade_dict(_as_dict(item), to, where), where))
            elif isinstance(item, Mapping):
                out.append(_upgrade_dict(dict(item), to, _record_name(item, index)))
            else:
                raise InputError(f"record {index + 1}: expected a record or a dict, got {type(item).__name__}")
        return out
    raise InputError(f"cannot migrate a {type(records).__name__}; give records, dicts or an Arrow table")


def downgrade(
    records: Any,
    to: str,
    *,
    policy: DowngradePolicy | str = DowngradePolicy.ERROR,
    entity_type: str | None = None,
) -> Downgraded:
    """Move records to the earlier schema version ``to`` under an explicit ``policy``.

    Takes the same inputs as :func:`upgrade`. Returns a :class:`Downgraded`
    whose ``records`` are the same kind of thing as the input and whose
    ``removed`` counts the values taken out, per field. With
    ``policy="error"`` (the default) a value the older version cannot hold
    raises :class:`MigrationError` naming the record and field; ``"drop"``
    discards such values and counts them; ``"extension"`` moves them into
    :data:`EXTENSIONS` (not possible for record models, which refuse unknown
    fields: pass dicts or a table).
    """
    to = check_version(to)
    chosen = choose(DowngradePolicy, policy, "downgrade policy", "lower")
    counts: dict[str, int] = {}

    def one_model(record: CanonicalRecord, where: str) -> CanonicalRecord:
        if chosen is DowngradePolicy.EXTENSION:
            raise MigrationError(
                f"{where}: a record model cannot carry extension fields; downgrade dicts or an Arrow table "
                f"with policy='extension', or use policy='drop'"
            )
        return _revalidate(_downgrade_dict(_as_dict(record), to, chosen, where, counts), where)

    if isinstance(records, pa.RecordBatch):
        table = _downgrade_table(pa.Table.from_batches([records]), to, chosen, entity_type, counts)
        batches = table.combine_chunks().to_batches()
        result: Any = batches[0] if batches else pa.RecordBatch.from_pylist([], schema=table.schema)
    elif isinstance(records, pa.Table):
        result = _downgrade_table(records, to, chosen, entity_type, counts)
    elif isinstance(records, CanonicalRecord):
        result = one_model(records, "record")
    elif isinstance(records, Mapping):
        result = _downgrade_dict(dict(records), to, chosen, "record", counts)
    elif isinstance(records, Iterable) and not isinstance(records, (str, bytes)):
        result = []
        for index, item in enumerate(records):
            if isinstance(item, CanonicalRecord):
                result.append(one_model(item, _record_name(_as_dict(item), index)))
            elif isinstance(item, Mapping):
                result.append(_downgrade_dict(dict(item), to, chosen, _record_name(item, index), counts))
            else:
                raise InputError(f"record {index + 1}: expected a record or a dict, got {type(item).__name__}")
    else:
        raise InputError(f"cannot migrate a {type(records).__name__}; give records, dicts or an Arrow table")
    return Downgraded(records=result, policy=chosen, removed=dict(sorted(counts.items())))


def rows_losing_values(table: pa.Table, to: str, *, entity_type: str | None = None) -> pa.ChunkedArray:
    """A boolean mask of the rows that hold a value schema ``to`` has no field for.

    Use it to split a table before ``downgrade(..., policy="error")``: the
    masked rows go to a reject output, the rest downgrade without loss.
    """
    to = check_version(to)
    entity, version = table_entity_version(table, entity_type)
    if not entity_exists_in(entity, to):
        return pa.chunked_array([pa.repeat(True, table.num_rows)])  # the whole record has no place in `to`
    mask = pa.chunked_array([pa.repeat(False, table.num_rows)])
    if version_key(version) <= version_key(to):
        return mask
    current = table
    for step in migration_path(version, to):
        current, removed = step.downgrade_table(current, entity)
        for column in removed.values():
            mask = pc.or_(mask, holds_value(column))
    return mask
