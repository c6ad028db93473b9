"""JSON Schema (Draft 2020-12) of every entity, derived from the models, and the frozen published files.

The pydantic models are the single source of truth. :func:`json_schema` derives
the schema of an entity *as of* a schema version; the files under
``justice_schema/schemas/<version>/`` are the published, frozen copies, and a
test fails if the models would now generate anything different.

>>> from justice_schema import json_schema
>>> schema = json_schema("arrest", "1.0")
>>> schema["$id"]
'urn:justice-schema:1.0:arrest'
"""

from __future__ import annotations

import copy
import json
from importlib import resources
from pathlib import Path
from typing import Any

from justice_schema.registry import (
    CURRENT_SCHEMA_VERSION,
    SCHEMA_VERSIONS,
    check_version,
    entity_types,
    model_for,
)
from justice_schema.v1 import version_key
from justice_schema.v1._base import SENSITIVITY_SINCE

#: Annotation keywords the models declare that a version's published schema carries only from
#: the version that introduced them (the published files of older versions never change).
_KEYWORDS_SINCE: dict[str, str] = {"x-sensitivity": SENSITIVITY_SINCE}

__all__ = ["DIALECT", "schema_id", "json_schema", "published_json_schema", "write_json_schemas"]

#: The JSON Schema dialect every published schema declares.
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_id(entity_type: str, schema_version: str) -> str:
    """The ``$id`` of an entity's schema: a URN that carries the schema version."""
    return f"urn:justice-schema:{schema_version}:{entity_type}"


def _drop_later_properties(node: Any, version: str) -> None:
    """Remove, everywhere in the schema, properties added after ``version``."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            later = [
                name for name, sub in props.items()
                if isinstance(sub, dict) and version_key(sub.get("x-since", "0.0")) > version_key(version)
            ]
            for name in later:
                del props[name]
            if later and isinstance(node.get("required"), list):
                node["required"] = [r for r in node["required"] if r not in later]
        for value in node.values():
            _drop_later_properties(value, version)
    elif isinstance(node, list):
        for value in node:
            _drop_later_properties(value, version)


def _drop_later_keywords(node: Any, version: str) -> None:
    """Remove, everywhere in the schema, annotation keywords introduced after ``version``."""
    later = [k for k, added in _KEYWORDS_SINCE.items() if version_key(added) > version_key(version)]
    if not later:
        return

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            for key in later:
                value.pop(key, None)
            for child in value.values():
                visit(child)
        elif isinstance(value, list):
            for child in value:
                visit(child)

    visit(node)


def _prune_unused_defs(schema: dict[str, Any]) -> None:
    """Remove ``$defs`` entries nothing refers to any more (e.g. a code list only a later field used)."""
    defs = schema.get("$defs")
    if not isinstance(defs, dict):
        return
    while True:
        text = json.dumps({k: v for k, v in schema.items() if k != "$defs"}) + json.dumps(defs)
        unused = [name for name in defs if f'"#/$defs/{name}"' not in text]
        if not unused:
            break
        for name in unused:
            del defs[name]
    if not defs:
        del schema["$defs"]


#: What "not given" means in JSON: null, or an empty list.
_ABSENT: dict[str, Any] = {"anyOf": [{"type": "null"}, {"type": "array", "maxItems": 0}]}


def _absent_at(parts: list[str]) -> dict[str, Any]:
    """A schema requiring the field at a dotted path to be absent, null or empty.

    A nested step applies to an object through ``properties`` and to a list of
    objects through ``items`` (each keyword only constrains its own JSON type).
    """
    if len(parts) == 1:
        return {"properties": {parts[0]: _ABSENT}}
    inner = _absent_at(parts[1:])
    return {"properties": {parts[0]: {**inner, "items": inner}}}


def json_schema(entity_type: str, schema_version: str = CURRENT_SCHEMA_VERSION) -> dict[str, Any]:
    """The Draft 2020-12 JSON Schema of ``entity_type`` as of ``schema_version``.

    It has ``$schema``, an ``$id`` carrying the version, and the models'
    titles and descriptions. Fields added after ``schema_version`` are left
    out, and ``schema_version`` accepts that version and the older minor
    versions of the same major version (an older record stays valid) in which
    the entity exists. From schema 1.2 every property carries its sensitivity
    class as the annotation keyword ``x-sensitivity``.
    """
    version = check_version(schema_version)
    model = model_for(entity_type, version)
    generated = copy.deepcopy(model.model_json_schema(mode="validation"))
    _drop_later_properties(generated, version)
    _drop_later_keywords(generated, version)
    _prune_unused_defs(generated)
    same_major = [
        v for v in SCHEMA_VERSIONS
        if v.split(".")[0] == version.split(".")[0]
        and version_key(model.SINCE) <= version_key(v) <= version_key(version)
    ]
    props = generated["properties"]
    declared = props["schema_version"]
    props["schema_version"] = {
        "description": declared.get("description", ""),
        "enum": same_major,
        "type": "string",
        "default": version,
        "title": "Schema Version",
        **{key: declared[key] for key in _KEYWORDS_SINCE if key in declared},
    }
    later_fields = [
        (name, since) for name, since in getattr(model, "_LATER_FIELDS", ())
        if version_key(since) <= version_key(version)
    ]
    gates = [
        {
            "if": {"properties": {"schema_version": {"enum": [v for v in same_major if version_key(v) < version_key(since)]}}},
            "then": _absent_at(name.split(".")),
        }
        for name, since in later_fields
    ]
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": schema_id(entity_type, version),
        "title": f"{generated.pop('title')} (justice_schema {version})",
    }
    schema.update(generated)
    if gates:
        schema["allOf"] = gates
    return schema


def _published_folder(schema_version: str) -> Any:
    return resources.files(__package__).joinpath("schemas", schema_version)


def published_json_schema(entity_type: str, schema_version: str) -> dict[str, Any]:
    """The frozen, published JSON Schema file of a released version, as committed in the package."""
    version = check_version(schema_version)
    model_for(entity_type, version)
    path = _published_folder(version).joinpath(f"{entity_type}.schema.json")
    return json.loads(path.read_text(encoding="utf-8"))


def dumps(schema: dict[str, Any]) -> str:
    """The canonical text of a schema file: two-space indent, UTF-8, final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_json_schemas(schema_version: str, folder: str | Path) -> list[Path]:
    """Write every entity's JSON Schema of ``schema_version`` into ``folder``; return the paths."""
    version = check_version(schema_version)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for entity in entity_types(version):
        path = out / f"{entity}.schema.json"
        path.write_text(dumps(json_schema(entity, version)), encoding="utf-8")
        written.append(path)
    return written
