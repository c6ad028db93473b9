"""Arrow schemas derived from the models, and records to Arrow tables and back.

Every stage of the pipeline works on Arrow record batches; these functions give
the canonical (nested) Arrow form of each entity. Nested values are structs,
repeated values are lists, codes are strings, dates are ``date32`` and instants
``timestamp[us, tz=UTC]``. Each field carries metadata: its description, the
entity and the schema version, and from schema 1.2 its sensitivity class
(``sensitivity``; nested struct fields too).

>>> from justice_schema import arrow_schema
>>> arrow_schema("arrest", "1.0").field("arrest_date").type
DataType(date32[day])
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

import pyarrow as pa
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from justice_schema._toolkit.annotations import unwrap
from justice_schema.errors import RecordError
from justice_schema.registry import CURRENT_SCHEMA_VERSION, check_version, model_for, problems_of
from justice_schema.v1 import CanonicalRecord, field_sensitivity, field_since, version_key
from justice_schema.v1._base import SENSITIVITY_SINCE

__all__ = ["arrow_schema", "arrow_type", "to_table", "from_table", "model_fields_as_of"]

TIMESTAMP = pa.timestamp("us", tz="UTC")


def model_fields_as_of(model: type[BaseModel], schema_version: str) -> dict[str, FieldInfo]:
    """The fields of ``model`` that exist in ``schema_version`` (later additions left out)."""
    return {
        name: info for name, info in model.model_fields.items()
        if version_key(field_since(model, name)) <= version_key(schema_version)
    }


def arrow_type(annotation: Any, schema_version: str = CURRENT_SCHEMA_VERSION) -> pa.DataType:
    """The Arrow type of a model field annotation."""
    annotation = unwrap(annotation).bare
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return pa.string()
    if origin in (tuple, list):
        (item,) = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        return pa.list_(arrow_type(item, schema_version))
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return pa.struct(_fields(annotation, schema_version, entity=None))
        if issubclass(annotation, Enum) or issubclass(annotation, str):
            return pa.string()
        if issubclass(annotation, bool):
            return pa.bool_()
        if issubclass(annotation, int):
            return pa.int32()
        if issubclass(annotation, float):
            return pa.float64()
        if issubclass(annotation, datetime):
            return TIMESTAMP
        if issubclass(annotation, date):
            return pa.date32()
    raise TypeError(f"no Arrow type for annotation {annotation!r}")


def _fields(model: type[BaseModel], schema_version: str, entity: str | None) -> list[pa.Field]:
    classed = version_key(schema_version) >= version_key(SENSITIVITY_SINCE)
    fields = []
    for name, info in model_fields_as_of(model, schema_version).items():
        nullable = unwrap(info.annotation).optional
        metadata = {"description": info.description or ""}
        if entity:
            metadata.update({"entity": entity, "schema_version": schema_version})
        if classed:
            metadata["sensitivity"] = field_sensitivity(model, name).value
        fields.append(
            pa.field(
                name,
                arrow_type(info.annotation, schema_version),
                nullable=nullable,
                metadata=metadata,
            )
        )
    return fields


def arrow_schema(entity_type: str, schema_version: str = CURRENT_SCHEMA_VERSION) -> pa.Schema:
    """The canonical Arrow schema of ``entity_type`` as of ``schema_version``."""
    version = check_version(schema_version)
    model = model_for(entity_type, version)
    return pa.schema(
        _fields(model, version, entity_type),
        metadata={"justice_schema.entity": entity_type, "justice_schema.schema_version": version},
    )


def _entity_and_version(records: Sequence[CanonicalRecord]) -> tuple[str, str]:
    entities = {r.ENTITY_TYPE for r in records}
    if len(entities) != 1:
        raise ValueError(f"to_table needs records of one entity type, got {sorted(entities)}")
    versions = sorted({r.schema_version for r in records}, key=version_key)
    return entities.pop(), versions[-1]


def to_table(
    records: Iterable[CanonicalRecord],
    *,
    entity_type: str | None = None,
    schema_version: str | None = None,
) -> pa.Table:
    """An Arrow table of records of one entity, in the canonical Arrow schema.

    The schema version defaults to the newest one the records declare. An empty
    input needs ``entity_type`` to know its schema.

    >>> from justice_schema import to_table
    >>> to_table([], entity_type="person").num_rows
    0
    """
    rows = list(records)
    if rows:
        found_entity, found_version = _entity_and_version(rows)
        if entity_type is not None and entity_type != found_entity:
            raise ValueError(f"records are {found_entity!r}, not {entity_type!r}")
        entity_type = found_entity
        schema_version = schema_version or found_version
    elif entity_type is None:
        raise ValueError("to_table of no records needs entity_type=")
    schema = arrow_schema(entity_type, schema_version or CURRENT_SCHEMA_VERSION)
    names = set(schema.names)
    dicts = [r.model_dump(mode="python", include=names) for r in rows]
    return pa.Table.from_pylist(dicts, schema=schema)


def from_table(table: pa.Table | pa.RecordBatch, *, entity_type: str | None = None) -> list[CanonicalRecord]:
    """Records from an Arrow table in the canonical schema; each row read under its declared version.

    Raises :class:`~justice_schema.errors.RecordError` naming the row (1-based)
    of the first row that is not a valid record.
    """
    entity_type = entity_type or (table.schema.metadata or {}).get(b"justice_schema.entity", b"").decode() or None
    out: list[CanonicalRecord] = []
    for index, row in enumerate(table.to_pylist(), start=1):
        kind = row.get("entity_type") or entity_type
        model = model_for(kind, row.get("schema_version"))
        clean = {k: v for k, v in row.items() if v is not None}
        try:
            out.append(model.model_validate(clean))
        except ValidationError as exc:
            raise RecordError(model.ENTITY_TYPE, problems_of(exc), f"row {index}") from None
    return out
