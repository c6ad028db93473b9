"""Which schema versions and entities this release ships, and dispatch between them.

Schema versions are independent of the package version: one release of the
library ships every schema version it supports. A record is always read under
the version it declares; there is no fallback to the newest one.

>>> from justice_schema.registry import model_for
>>> model_for("arrest", "1.0").__name__
'Arrest'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from justice_schema import v1
from justice_schema._toolkit.jsonlines import JsonTextError, loads_record
from justice_schema.errors import RecordError, UnknownEntityError, UnsupportedSchemaVersionError
from justice_schema.v1 import CanonicalRecord

__all__ = [
    "SCHEMA_VERSIONS",
    "CURRENT_SCHEMA_VERSION",
    "ENTITY_TYPES",
    "entity_types",
    "entity_since",
    "check_version",
    "model_for",
    "parse",
    "problems_of",
]

#: Every schema version this release supports, oldest first.
SCHEMA_VERSIONS: tuple[str, ...] = tuple(v1.SCHEMA_VERSIONS)
#: The newest schema version: the default of ``model_for``, ``json_schema`` and ``arrow_schema``.
#: (A record built in Python without a ``schema_version`` still gets the first minor version,
#: ``v1._base.DEFAULT_SCHEMA_VERSION``, so code written against 1.0 keeps producing 1.0 records.)
CURRENT_SCHEMA_VERSION: str = SCHEMA_VERSIONS[-1]

_MAJOR_MODULES = {"1": v1}
#: Every entity type this release knows, in any version: the seven of schema 1.0 in dependency
#: order (a person before the arrest that names them), then those added later. A version's own
#: list is :func:`entity_types`.
ENTITY_TYPES: tuple[str, ...] = tuple(v1.ENTITIES)


def entity_types(schema_version: object = CURRENT_SCHEMA_VERSION) -> tuple[str, ...]:
    """The entity types that exist in ``schema_version``, in :data:`ENTITY_TYPES` order.

    >>> "victim" in entity_types("1.1"), "victim" in entity_types("1.2")
    (False, True)
    """
    version = check_version(schema_version)
    return tuple(_MAJOR_MODULES[version.split(".")[0]].entities_in(version))


def entity_since(entity_type: str) -> str:
    """The schema version ``entity_type`` was added in; :class:`UnknownEntityError` if no version has it."""
    if entity_type not in v1.ENTITIES:
        raise UnknownEntityError(entity_type, ENTITY_TYPES)
    return v1.ENTITIES[entity_type].SINCE



def check_version(version: object) -> str:
    """Return ``version`` if this release supports it, else raise :class:`UnsupportedSchemaVersionError`."""
    if not isinstance(version, str) or version not in SCHEMA_VERSIONS:
        raise UnsupportedSchemaVersionError(version, SCHEMA_VERSIONS)
    return version


def model_for(entity_type: object, schema_version: object = CURRENT_SCHEMA_VERSION) -> type[CanonicalRecord]:
    """The model class of ``entity_type`` in ``schema_version``.

    Raises :class:`UnknownEntityError` or :class:`UnsupportedSchemaVersionError`
    with the known values listed; an entity added after ``schema_version``
    (a victim in 1.1) is unknown to that version, and the error says when it
    was added.
    """
    version = check_version(schema_version)
    module = _MAJOR_MODULES[version.split(".")[0]]
    entities: Mapping[str, type[CanonicalRecord]] = module.entities_in(version)
    if not isinstance(entity_type, str) or entity_type not in entities:
        later = module.ENTITIES.get(entity_type) if isinstance(entity_type, str) else None
        raise UnknownEntityError(entity_type, tuple(entities), version=version,
                                 added_in=later.SINCE if later is not None else None)
    return entities[entity_type]


def problems_of(error: ValidationError) -> list[tuple[str, str]]:
    """``(field_path, message)`` pairs of a pydantic error, e.g. ``("source.agency_ori", "...")``."""
    return [(".".join(str(part) for part in item["loc"]), item["msg"]) for item in error.errors()]


def parse(data: Mapping[str, Any] | str | bytes, *, location: str | None = None) -> CanonicalRecord:
    """Build a canonical record from a dict or JSON text, choosing the model it declares.

    The record must say what it is: ``entity_type`` and ``schema_version`` pick
    the model. An unknown type or version is refused; nothing is guessed.

    >>> from justice_schema import parse
    >>> record = parse('{"entity_type": "person", "schema_version": "1.0", "id": "p-1", '
    ...                '"source": {"agency_ori": "UT0180000", "system": "demo", "record_key": "1", '
    ...                '"extracted_at": "2024-05-01T12:00:00Z"}}')
    >>> type(record).__name__
    'Person'

    ``location`` (e.g. ``"arrests.jsonl, line 12"``) is put in front of any error
    message. Raises :class:`~justice_schema.errors.RecordError` listing every
    field that is wrong, and also for text that cannot be a record at all
    (invalid JSON or UTF-8, nesting deeper than 100 levels, an integer of more
    than 40 digits).
    """
    if isinstance(data, (str, bytes)):
        try:
            data = loads_record(data)
        except JsonTextError as exc:  # deep nesting and huge integers too: never a raw decoder error
            raise RecordError("record", [("", str(exc))], location) from None
    if not isinstance(data, Mapping):
        raise RecordError("record", [("", f"expected a JSON object, got {type(data).__name__}")], location)
    missing = [key for key in ("entity_type", "schema_version") if key not in data]
    if missing:
        raise RecordError(
            str(data.get("entity_type", "record")),
            [(key, "missing; every record must declare it") for key in missing],
            location,
        )
    model = model_for(data["entity_type"], data["schema_version"])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RecordError(model.ENTITY_TYPE, problems_of(exc), location) from None
