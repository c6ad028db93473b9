"""The base classes every schema-1 entity model shares.

:class:`CanonicalModel` fixes the model conventions (unknown fields refused,
records immutable, patterns checked with Python's ``re`` exactly as JSON Schema
validators do). :class:`CanonicalRecord` adds what every record carries:
``entity_type``, ``schema_version``, a stable ``id`` and its ``source``.

Fields added in a later minor version are declared with :func:`since`; a record
that declares an earlier version may not set them.
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from justice_schema.v1._types import Flag, Instant, Ori, RecordId, ShortText, SourceKey

__all__ = [
    "CanonicalModel",
    "CanonicalRecord",
    "NonEmptyModel",
    "Source",
    "since",
    "field_since",
    "Sensitivity",
    "sensitivity",
    "field_sensitivity",
    "optional",
    "SENSITIVITY_SINCE",
    "version_key",
    "V1_VERSIONS",
    "DEFAULT_SCHEMA_VERSION",
    "nested_model",
    "later_field_paths",
]

#: Minor versions of schema major version 1, oldest first.
V1_VERSIONS: tuple[str, ...] = ("1.0", "1.1", "1.2")

#: The ``schema_version`` a record built in Python gets when it does not say.
#: It stays the first minor version on purpose: code written against 1.0 keeps
#: producing 1.0 records, byte for byte, after a library upgrade adds 1.1. A
#: record moves to a later version only when its author declares it (or runs
#: :func:`justice_schema.versioning.upgrade`); records read from JSON or Arrow
#: must always declare their version.
DEFAULT_SCHEMA_VERSION: str = V1_VERSIONS[0]


def version_key(version: str) -> tuple[int, int]:
    """Sort key of a ``MAJOR.MINOR`` version string: ``"1.10"`` sorts after ``"1.9"``."""
    major, _, minor = version.partition(".")
    return int(major), int(minor or 0)


def since(version: str) -> dict[str, Any]:
    """Field metadata marking a field as added in schema ``version``.

    Use as ``Field(default=None, json_schema_extra=since("1.1"))``. The JSON
    Schema of an older version leaves the field out, and a record declaring an
    older version is refused if it sets the field.
    """
    return {"x-since": version}


def field_since(model: type[BaseModel], name: str) -> str:
    """The schema version a field of ``model`` was added in (``"1.0"`` by default)."""
    extra = model.model_fields[name].json_schema_extra
    if isinstance(extra, dict) and isinstance(extra.get("x-since"), str):
        return str(extra["x-since"])
    return V1_VERSIONS[0]


class Sensitivity(StrEnum):
    """How much harm publishing a field can do: the class every field of every model declares.

    The classes are ordered from least to most restricted; a tiered publication
    (see the privacy module) releases a field only to readers cleared for its
    class. The class is declared in the field's ``json_schema_extra`` with
    :func:`sensitivity`, published in the JSON Schema of schema 1.2 and later as
    the annotation keyword ``x-sensitivity`` and in the Arrow field metadata
    under ``sensitivity``.
    """

    PUBLIC = "public"
    """Safe to publish: codes, counts, dates of public events, agency identifiers."""
    INTERNAL = "internal"
    """For the agencies and the hub: record keys, case and tracking numbers, free text about an event."""
    PERSONAL = "personal"
    """Identifies or describes a person: names, birth dates, identifiers, addresses, demographics."""
    SENSITIVE = "sensitive"
    """Special harm if disclosed: victim injuries and relationships, precise locations, juvenile status."""


#: The first schema version whose JSON Schema and Arrow schema publish the sensitivity class.
SENSITIVITY_SINCE = "1.2"


def sensitivity(level: Sensitivity | str) -> dict[str, Any]:
    """Field metadata declaring a field's :class:`Sensitivity` class.

    Use as ``Field(..., json_schema_extra=sensitivity("personal"))``, joined with
    :func:`since` by ``|`` for a field added in a later version:
    ``json_schema_extra=since("1.2") | sensitivity("public")``.
    """
    return {"x-sensitivity": Sensitivity(level).value}


def optional(description: str, level: Sensitivity | str, *, added: str | None = None) -> Any:
    """An optional field: ``Field(default=None, description=description, json_schema_extra=...)``.

    ``level`` is the field's :class:`Sensitivity` class and ``added`` the schema
    version the field was added in, for a field newer than its entity::

        arrest_type: TypeOfArrest | None = optional("Type of arrest (NIBRS DE 43).", "public")
        location: Location | None = optional("Where the arrest was made.", "sensitive", added="1.2")

    Required fields, and fields with a default other than ``None`` or with
    constraints, are written with ``Field(...)`` and :func:`sensitivity`.
    """
    extra = (since(added) if added else {}) | sensitivity(level)
    return Field(default=None, description=description, json_schema_extra=extra)


def field_sensitivity(model: type[BaseModel], name: str) -> Sensitivity:
    """The :class:`Sensitivity` class of field ``name`` of ``model`` (any entity or nested model).

    Raises ``KeyError`` naming the model and field when the field does not exist
    or declares no class (a test keeps every field of every model classed).
    """
    if name not in model.model_fields:
        raise KeyError(f"{model.__name__} has no field {name!r}")
    extra = model.model_fields[name].json_schema_extra
    value = extra.get("x-sensitivity") if isinstance(extra, dict) else None
    if not isinstance(value, str):
        raise KeyError(f"{model.__name__}.{name} declares no sensitivity class")
    return Sensitivity(value)


class CanonicalModel(BaseModel):
    """Conventions of every canonical model and nested value.

    Unknown fields are refused (a typo never vanishes silently), instances are
    frozen, and string patterns use Python's ``re`` so that pydantic and the
    published JSON Schema give the same verdict.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        regex_engine="python-re",
        use_attribute_docstrings=False,
        validate_default=False,
        ser_json_inf_nan="strings",
    )


def _require_one_field(schema: dict[str, Any], model: type[BaseModel]) -> None:
    schema["anyOf"] = [
        {"required": [name], "properties": {name: {"not": {"type": "null"}}}}
        for name in model.model_fields
    ]


class NonEmptyModel(CanonicalModel):
    """A nested value that must carry at least one field: an empty one means nothing.

    Write ``None`` instead of an empty address or age, so that "no address" has
    exactly one spelling in JSON, Arrow and the flat layout alike.
    """

    model_config = ConfigDict(json_schema_extra=_require_one_field)

    @model_validator(mode="after")
    def _at_least_one_field(self) -> NonEmptyModel:
        if all(getattr(self, name) is None for name in type(self).model_fields):
            raise ValueError(
                f"an empty {type(self).__name__} carries no information; give at least one "
                f"field, or use null for the whole value"
            )
        return self


class Source(CanonicalModel):
    """Where a record came from: the agency, its system, the key there, and when it was extracted.

    Provenance survives every step of the pipeline, so a validation issue or a
    match can always be traced back to the row in the agency's system.
    """

    agency_ori: Ori = Field(
        description="ORI of the agency that owns the source record (NIBRS DE 1).",
        json_schema_extra=sensitivity("public"),
    )
    system: ShortText = Field(
        description="Name of the source system or export, e.g. 'Acme RMS 7' or 'nibrs-flatfile'.",
        json_schema_extra=sensitivity("internal"),
    )
    record_key: SourceKey = Field(
        description="The record's key in the source system (row id, incident number, booking number...).",
        json_schema_extra=sensitivity("internal"),
    )
    extracted_at: Instant = Field(
        description="When the record was extracted from the source system (UTC).",
        json_schema_extra=sensitivity("internal"),
    )


def nested_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """``(model, repeated)`` when a field annotation holds a nested model (``X``, ``X | None``,
    ``tuple[X, ...]``), else ``(None, False)``; ``repeated`` is true for a tuple or list of them."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return nested_model(typing.get_args(annotation)[0])
    if origin in (tuple, list):
        inner = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        model, _ = nested_model(inner[0]) if inner else (None, False)
        return model, model is not None
    if origin is not None:
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                found = nested_model(arg)
                if found[0] is not None:
                    return found
        return None, False
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    return None, False


def later_field_paths(model: type[BaseModel], after: str, prefix: str = "", depth: int = 0) -> list[tuple[str, str]]:
    """``(dotted path, version added)`` of every field of ``model`` added after version ``after``.

    Nested values are searched too: ``("sentence.x", "1.1")`` for a field ``x``
    added to :class:`~justice_schema.v1.Sentence` in 1.1. A path runs through a
    repeated value as through a single one (``"violations.x"`` names ``x`` in
    every violation).
    """
    found: list[tuple[str, str]] = []
    for name, info in model.model_fields.items():
        added = field_since(model, name)
        if version_key(added) > version_key(after):
            found.append((f"{prefix}{name}", added))
            continue
        inner, _ = nested_model(info.annotation)
        if inner is not None and depth < 8:
            found.extend(later_field_paths(inner, after, f"{prefix}{name}.", depth + 1))
    return found


def _values_at(value: Any, parts: list[str]) -> Iterator[Any]:
    """The values at a dotted path in a model or dict, through nested and repeated values."""
    if isinstance(value, (tuple, list)):
        for item in value:
            yield from _values_at(item, parts)
        return
    if value is None or not parts:
        if value is not None:
            yield value
        return
    head, rest = parts[0], parts[1:]
    child = value.get(head) if isinstance(value, dict) else getattr(value, head, None)
    if not rest:
        if child is not None:
            yield child
    else:
        yield from _values_at(child, rest)


def _pop_at(data: Any, parts: list[str]) -> None:
    """Remove a dotted path from a dumped record (dicts and lists), in place."""
    if isinstance(data, (list, tuple)):
        for item in data:
            _pop_at(item, parts)
    elif isinstance(data, dict):
        if len(parts) == 1:
            data.pop(parts[0], None)
        elif parts[0] in data:
            _pop_at(data[parts[0]], parts[1:])


class CanonicalRecord(CanonicalModel):
    """Fields every canonical record carries, whatever its entity."""

    ENTITY_TYPE: ClassVar[str] = ""
    #: The schema version the entity was added in: a schema set of an earlier version does not list it.
    SINCE: ClassVar[str] = V1_VERSIONS[0]
    #: (field path, version added) for fields newer than the first minor version; a dotted
    #: path (``"sentence.x"``) names a field added inside a nested value.
    _LATER_FIELDS: ClassVar[tuple[tuple[str, str], ...]] = ()

    entity_type: str = Field(description="The kind of record; fixed per entity.", json_schema_extra=sensitivity("public"))
    schema_version: str = Field(
        description="The schema version this record conforms to.", json_schema_extra=sensitivity("public")
    )
    id: RecordId = Field(
        description=(
            "Stable identifier of this record, unique within its entity. Translators derive it "
            "deterministically from the source keys, so re-running a load gives the same ids."
        ),
        json_schema_extra=sensitivity("internal"),
    )
    source: Source = Field(description="Provenance of the record.", json_schema_extra=sensitivity("internal"))
    # --- added in schema 1.2: record flags a hub must honour before it publishes or links a record ---
    sealed: Flag | None = optional(
        "True when a court or statute has sealed the record: it stays in the hub for the agencies "
        "entitled to it but is left out of every publication (the field accounts' record-restriction "
        "flags; NIEM j:ActivityAugmentation sealed indicators).",
        "sensitive", added="1.2",
    )
    expunged: Flag | None = optional(
        "True when the record has been expunged (ordered destroyed or treated as never having "
        "happened); a hub keeps only what the order allows and never publishes or links it.",
        "sensitive", added="1.2",
    )
    juvenile_record: Flag | None = optional(
        "True when the record concerns a person under the age of criminal majority and falls under "
        "juvenile-record confidentiality (NIBRS DE 52 juvenile disposition applies to such arrestees).",
        "sensitive", added="1.2",
    )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls._LATER_FIELDS = tuple(later_field_paths(cls, V1_VERSIONS[0]))

    @model_validator(mode="after")
    def _fields_exist_in_declared_version(self) -> CanonicalRecord:
        if not self._LATER_FIELDS:
            return self
        declared = version_key(self.schema_version)
        for name, added in self._LATER_FIELDS:
            if version_key(added) > declared and any(v != () for v in _values_at(self, name.split("."))):
                raise ValueError(
                    f"field {name!r} was added in schema {added}; this record declares "
                    f"schema_version {self.schema_version!r}"
                )
        return self

    @model_serializer(mode="wrap")
    def _serialize_as_declared(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Leave out fields added after the declared version: a 1.0 record dumps exactly its 1.0 fields."""
        data = handler(self)
        if self._LATER_FIELDS and isinstance(data, dict):
            declared = version_key(self.schema_version)
            for name, added in self._LATER_FIELDS:
                if version_key(added) > declared:
                    _pop_at(data, name.split("."))
        return data
