"""Where the schemas to compare come from: a released version, files, or schema values.

:func:`load_schema_set` turns any of these into a :class:`SchemaSet` (the JSON
Schema and/or Arrow schema of one or more entities):

* a schema version this release ships (``"1.0"``): the frozen, published JSON
  Schema files and the Arrow schemas of every entity;
* a JSON Schema as a ``dict`` (a vendor's extended schema), or a
  ``pyarrow.Schema``;
* a mapping of entity name to either of those;
* a path: a ``*.schema.json`` file, an Arrow IPC file (``*.arrow``), an Arrow
  schema description (``*.arrow.json``, as ``justice-schema schema export``
  writes), or a folder of such files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa

from justice_schema.errors import InputError
from justice_schema.registry import SCHEMA_VERSIONS, entity_types

__all__ = [
    "require_shared_entities",
    "EntitySchemas",
    "SchemaSet",
    "SchemaSource",
    "load_schema_set",
    "arrow_schema_to_dict",
    "arrow_schema_from_dict",
]

#: What :func:`load_schema_set` accepts.
SchemaSource = Any


@attrs.frozen(slots=True)
class EntitySchemas:
    """The schemas of one entity: its JSON Schema, its Arrow schema, or both."""

    entity: str
    json: Mapping[str, Any] | None = attrs.field(default=None, eq=False)
    arrow: pa.Schema | None = attrs.field(default=None, eq=False)


@attrs.frozen(slots=True)
class SchemaSet:
    """The schemas of a set of entities, with a label saying where they came from.

    ``complete`` is true when the set stands for a whole schema version (so an
    entity missing from it was removed, rather than simply not given).
    """

    label: str
    entities: tuple[EntitySchemas, ...]
    complete: bool = False

    def get(self, entity: str) -> EntitySchemas | None:
        """The schemas of ``entity``, or ``None``."""
        for item in self.entities:
            if item.entity == entity:
                return item
        return None

    @property
    def names(self) -> tuple[str, ...]:
        """The entity names in the set."""
        return tuple(item.entity for item in self.entities)


def _entity_from_json_schema(schema: Mapping[str, Any], fallback: str) -> str:
    ident = schema.get("$id")
    if isinstance(ident, str) and ident:
        last = re.split(r"[:/#]", ident.rstrip("/"))[-1]
        last = last.removesuffix(".json").removesuffix(".schema")
        if last:
            return last
    return fallback


def _released(version: str) -> SchemaSet:
    from justice_schema.arrow import arrow_schema
    from justice_schema.schema_json import published_json_schema

    return SchemaSet(
        label=version,
        entities=tuple(
            EntitySchemas(entity, published_json_schema(entity, version), arrow_schema(entity, version))
            for entity in entity_types(version)
        ),
        complete=True,
    )


def arrow_schema_to_dict(schema: pa.Schema) -> dict[str, Any]:
    """A JSON-ready description of an Arrow schema (for consumers without an Arrow library).

    Each field gives ``name``, ``type`` (Arrow's own type string, e.g.
    ``timestamp[us, tz=UTC]``), ``nullable``, ``metadata`` and, for structs
    and lists, its ``children``. :func:`arrow_schema_from_dict` reads it back.
    """

    def field(f: pa.Field) -> dict[str, Any]:
        out: dict[str, Any] = {"name": f.name, "type": str(f.type), "nullable": f.nullable}
        if f.metadata:
            out["metadata"] = {k.decode(): v.decode() for k, v in f.metadata.items()}
        children = _children(f.type)
        if children is not None:
            out["children"] = [field(c) for c in children]
        return out

    return {
        "metadata": {k.decode(): v.decode() for k, v in (schema.metadata or {}).items()},
        "fields": [field(f) for f in schema],
    }


def _children(t: pa.DataType) -> list[pa.Field] | None:
    if pa.types.is_struct(t):
        return [t.field(i) for i in range(t.num_fields)]
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return [t.value_field]
    return None


_SIMPLE_TYPES: dict[str, pa.DataType] = {
    str(t): t
    for t in (
        pa.null(), pa.bool_(), pa.int8(), pa.int16(), pa.int32(), pa.int64(), pa.uint8(), pa.uint16(), pa.uint32(),
        pa.uint64(), pa.float16(), pa.float32(), pa.float64(), pa.string(), pa.large_string(), pa.binary(),
        pa.large_binary(), pa.date32(), pa.date64(),
    )
}


def _type_from_dict(entry: Mapping[str, Any], where: str) -> pa.DataType:
    text = str(entry.get("type", ""))
    if text in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[text]
    children = [_field_from_dict(c, where) for c in entry.get("children", [])]
    if text.startswith("struct<"):
        return pa.struct(children)
    if text.startswith("large_list<") and len(children) == 1:
        return pa.large_list(children[0])
    if text.startswith("list<") and len(children) == 1:
        return pa.list_(children[0])
    match = re.fullmatch(r"timestamp\[(s|ms|us|ns)(?:, tz=(.+))?\]", text)
    if match:
        return pa.timestamp(match.group(1), tz=match.group(2))
    match = re.fullmatch(r"decimal(128|256)\((\d+), (\d+)\)", text)
    if match:
        make = pa.decimal128 if match.group(1) == "128" else pa.decimal256
        return make(int(match.group(2)), int(match.group(3)))
    raise InputError(f"unknown Arrow type {text!r} in field {entry.get('name')!r}", path=where)


def _field_from_dict(entry: Any, where: str) -> pa.Field:
    if not isinstance(entry, Mapping) or "name" not in entry or "type" not in entry:
        raise InputError(f"an Arrow field description needs 'name' and 'type', got {entry!r:.80}", path=where)
    return pa.field(
        entry["name"], _type_from_dict(entry, where), nullable=bool(entry.get("nullable", True)),
        metadata=entry.get("metadata") or None,
    )


def arrow_schema_from_dict(doc: Mapping[str, Any], where: str = "<dict>") -> pa.Schema:
    """Read back the description :func:`arrow_schema_to_dict` writes."""
    fields = doc.get("fields")
    if not isinstance(fields, list):
        raise InputError("an Arrow schema description needs a 'fields' list", path=where)
    return pa.schema([_field_from_dict(f, where) for f in fields], metadata=doc.get("metadata") or None)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", path=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", path=str(path)) from None


def _read_arrow_ipc(path: Path) -> pa.Schema:
    for opener in (pa.ipc.open_stream, pa.ipc.open_file):
        try:
            with pa.OSFile(str(path), "rb") as handle:
                return opener(handle).schema
        except (pa.ArrowInvalid, OSError):
            continue
    raise InputError("not an Arrow IPC stream or file", path=str(path))


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".arrow.json", ".schema.json", ".arrow", ".json"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _from_file(path: Path) -> tuple[str, str, Any]:
    """``(entity, kind, schema)`` of one file; kind is ``json`` or ``arrow``."""
    if path.name.endswith(".arrow"):
        schema = _read_arrow_ipc(path)
        entity = (schema.metadata or {}).get(b"justice_schema.entity", _stem(path).encode()).decode()
        return entity, "arrow", schema
    doc = _read_json(path)
    if not isinstance(doc, dict):
        raise InputError("expected a JSON object (a JSON Schema or an Arrow schema description)", path=str(path))
    if path.name.endswith(".arrow.json") or ("fields" in doc and "properties" not in doc):
        schema = arrow_schema_from_dict(doc, str(path))
        entity = (schema.metadata or {}).get(b"justice_schema.entity", _stem(path).encode()).decode()
        return entity, "arrow", schema
    if "properties" not in doc and "$ref" not in doc:
        raise InputError("not a JSON Schema of a record: it has no 'properties'", path=str(path))
    if "properties" in doc and not isinstance(doc["properties"], dict):
        raise InputError("not a JSON Schema of a record: its 'properties' is not an object", path=str(path))
    if "$ref" in doc and not isinstance(doc["$ref"], str):
        raise InputError("not a JSON Schema: its '$ref' is not a string", path=str(path))
    return _entity_from_json_schema(doc, _stem(path)), "json", doc


def _from_path(path: Path) -> SchemaSet:
    if path.is_dir():
        files = sorted(
            p for p in path.iterdir()
            if p.is_file() and p.name.endswith((".schema.json", ".arrow", ".arrow.json"))
        )
        if not files:
            raise InputError("folder holds no *.schema.json, *.arrow or *.arrow.json files", path=str(path))
        return _merge(str(path), [_from_file(p) for p in files], complete=True)
    if not path.exists():
        raise InputError("no such file or folder", path=str(path))
    return _merge(str(path), [_from_file(path)], complete=False)


def _merge(label: str, parts: list[tuple[str, str, Any]], complete: bool) -> SchemaSet:
    by_entity: dict[str, dict[str, Any]] = {}
    for entity, kind, schema in parts:
        by_entity.setdefault(entity, {})[kind] = schema
    return SchemaSet(
        label=label,
        entities=tuple(EntitySchemas(e, kinds.get("json"), kinds.get("arrow")) for e, kinds in by_entity.items()),
        complete=complete,
    )


def _single(value: Any, name: str | None, label: str) -> tuple[str, str, Any]:
    if isinstance(value, pa.Schema):
        entity = name or (value.metadata or {}).get(b"justice_schema.entity", b"record").decode()
        return entity, "arrow", value
    if isinstance(value, Mapping):
        if "fields" in value and "properties" not in value:
            schema = arrow_schema_from_dict(value, label)
            return name or (schema.metadata or {}).get(b"justice_schema.entity", b"record").decode(), "arrow", schema
        return name or _entity_from_json_schema(value, "record"), "json", value
    raise InputError(f"cannot use a {type(value).__name__} as a schema", path=label)


def require_shared_entities(old: SchemaSet, new: SchemaSet) -> None:
    """Raise :class:`InputError` when ``old`` and ``new`` have no entity in common.

    A comparison of two sets that share no entity finds nothing and would call
    any file "compatible"; this is almost always a file that is not a schema of
    a canonical entity, or is named after none (its ``$id`` or file name says
    which entity it is).
    """
    if set(old.names) & set(new.names):
        return
    odd, other = (new, old) if old.complete else (old, new)
    known = ", ".join(other.names) or "none"
    raise InputError(f"describes {', '.join(repr(n) for n in odd.names) or 'no entity'}, which {other.label} does "
                     f"not have (its entities: {known}); name the file <entity>.schema.json or set its $id",
                     path=odd.label)


def load_schema_set(source: SchemaSource) -> SchemaSet:
    """Read schemas to compare from a version string, a path, a schema value or a mapping of them.

    >>> load_schema_set("1.0").complete
    True

    Raises :class:`~justice_schema.errors.InputError` naming the file (or
    value) that cannot be read.
    """
    if isinstance(source, SchemaSet):
        return source
    if isinstance(source, str) and source in SCHEMA_VERSIONS:
        return _released(source)
    if isinstance(source, (str, Path)):
        path = Path(source)
        if isinstance(source, str) and re.fullmatch(r"\d+\.\d+", source) and not path.exists():
            raise InputError(
                f"schema version {source!r} is not shipped by this release (it ships {', '.join(SCHEMA_VERSIONS)})"
            )
        return _from_path(path)
    if isinstance(source, pa.Schema):
        return _merge("<arrow schema>", [_single(source, None, "<arrow schema>")], complete=False)
    if isinstance(source, Mapping):
        is_single = "properties" in source or "$schema" in source or "fields" in source or "$ref" in source
        if is_single:
            return _merge("<json schema>", [_single(source, None, "<json schema>")], complete=False)
        parts = [_single(value, str(key), f"<{key}>") for key, value in source.items()]
        return _merge("<schemas>", parts, complete=False)
    raise InputError(f"cannot read schemas from a {type(source).__name__}")
