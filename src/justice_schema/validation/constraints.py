"""The field-level constraints of an entity, read from its pydantic model.

The schema's own constraints (required fields, code lists, patterns, lengths,
ranges, list sizes, non-empty nested values) are not written a second time for
the validators: :func:`field_specs` walks the model of an entity *as of* a
schema version and returns one :class:`FieldSpec` per field, nested value and
list element. The field-level rules and the columnar engine are built from
these, so when schema 1.1 adds a field it is checked without any change here.
"""

from __future__ import annotations

import re
import typing
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any

import attrs
import pyarrow as pa
from pydantic import BaseModel

from justice_schema._toolkit.annotations import constraint_limits, unwrap
from justice_schema.arrow import arrow_type, model_fields_as_of
from justice_schema.registry import SCHEMA_VERSIONS, model_for
from justice_schema.v1 import NonEmptyModel, version_key
from justice_schema.validation.paths import display_path

__all__ = ["FieldSpec", "field_specs", "spec_by_field", "re2_pattern", "CONTROL_CHARACTERS",
           "has_control_character", "is_free_text"]

#: The control characters text may not hold, as a regular expression valid in Python ``re`` and RE2:
#: every C0 character (NUL included) except tab, line feed and carriage return. The published
#: JSON Schemas are frozen, so this is a validation rule (``JS-x13``), not a schema pattern.
CONTROL_CHARACTERS = r"[\x00-\x08\x0b\x0c\x0e-\x1f]"
_CONTROL = re.compile(CONTROL_CHARACTERS)


def has_control_character(text: str) -> bool:
    """True when ``text`` holds a character of :data:`CONTROL_CHARACTERS`.

    >>> has_control_character("SMITH\\x00"), has_control_character("two\\tparts\\r\\n")
    (True, False)
    """
    return _CONTROL.search(text) is not None


@attrs.frozen(slots=True)
class FieldSpec:
    """The constraints of one field (or list element) of an entity.

    ``steps`` locate the value (``("offenses", "[]", "ucr_offense_code")``);
    ``field`` is the name issues report (``"offenses.ucr_offense_code"``).
    ``kind`` is ``"scalar"``, ``"struct"`` (a nested value) or ``"list"``.
    ``unknown_codes`` are the codes meaning "provided, but unknown" (the
    code list's ``UNKNOWN`` member); ``code_list`` names the code list
    (``"Sex"``), for messages.
    """

    steps: tuple[str, ...]
    field: str
    kind: str
    arrow_type: pa.DataType
    required: bool
    python_type: type | None = None
    codes: tuple[str, ...] | None = None
    unknown_codes: tuple[str, ...] = ()
    code_list: str | None = None
    literal: tuple[str, ...] | None = None
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    ge: float | None = None
    le: float | None = None
    min_items: int | None = None
    max_items: int | None = None
    non_empty: bool = False
    description: str = ""

    @property
    def is_date(self) -> bool:
        """True for date and instant fields."""
        return pa.types.is_date(self.arrow_type) or pa.types.is_timestamp(self.arrow_type)

    @property
    def parent_steps(self) -> tuple[str, ...]:
        """Steps of the value that holds this one (``()`` for a top-level field)."""
        return self.steps[:-1]


def _walk(model: type[BaseModel], version: str, steps: tuple[str, ...], out: list[FieldSpec]) -> None:
    for name, info in model_fields_as_of(model, version).items():
        found = unwrap(info.annotation)
        bare, optional = found.bare, found.optional
        metadata = list(info.metadata) + list(found.metadata)
        limits = constraint_limits(metadata)
        here = steps + (name,)
        required = info.is_required() and not optional
        common = dict(steps=here, field=display_path(here), required=required,
                      arrow_type=arrow_type(info.annotation, version), description=info.description or "")
        origin = typing.get_origin(bare)
        if origin in (tuple, list):
            out.append(FieldSpec(kind="list", min_items=limits.get("min_length"),
                                 max_items=limits.get("max_length"), **common))
            (item,) = [a for a in typing.get_args(bare) if a is not Ellipsis]
            _item_spec(item, version, here + ("[]",), out)
        elif isinstance(bare, type) and issubclass(bare, BaseModel):
            out.append(FieldSpec(kind="struct", non_empty=issubclass(bare, NonEmptyModel), **common))
            _walk(bare, version, here, out)
        else:
            out.append(_scalar_spec(bare, limits, common))


def _item_spec(item: Any, version: str, steps: tuple[str, ...], out: list[FieldSpec]) -> None:
    found = unwrap(item)
    bare, metadata = found.bare, list(found.metadata)
    if isinstance(bare, type) and issubclass(bare, BaseModel):
        _walk(bare, version, steps, out)
        return
    common = dict(steps=steps, field=display_path(steps), required=False,
                  arrow_type=arrow_type(item, version), description="")
    out.append(_scalar_spec(bare, constraint_limits(metadata), common))


def _scalar_spec(bare: Any, limits: dict[str, Any], common: dict[str, Any]) -> FieldSpec:
    extra: dict[str, Any] = {}
    python_type: type | None = None
    if typing.get_origin(bare) is typing.Literal:
        extra["literal"] = tuple(str(v) for v in typing.get_args(bare))
        python_type = str
    elif isinstance(bare, type) and issubclass(bare, Enum):
        codes = tuple(str(member.value) for member in bare)
        extra["codes"] = codes
        extra["unknown_codes"] = tuple(str(m.value) for m in bare if m.name == "UNKNOWN")
        extra["code_list"] = bare.__name__
        python_type = str
    elif isinstance(bare, type):
        python_type = bare
        if issubclass(bare, str):
            extra.update(pattern=limits.get("pattern"), min_length=limits.get("min_length"),
                         max_length=limits.get("max_length"))
        elif issubclass(bare, (int, float)) and not issubclass(bare, bool):
            extra.update(ge=limits.get("ge"), le=limits.get("le"))
    return FieldSpec(kind="scalar", python_type=python_type, **extra, **common)


def is_free_text(spec: FieldSpec) -> bool:
    """True for a text field that is not a code or a declaration: the ones the control-character rule checks."""
    return (spec.kind == "scalar" and spec.python_type is not None and issubclass(spec.python_type, str)
            and spec.codes is None and spec.literal is None)


@cache
def field_specs(entity_type: str, schema_version: str) -> tuple[FieldSpec, ...]:
    """Every field, nested value and list element of ``entity_type`` in ``schema_version``, in model order."""
    out: list[FieldSpec] = []
    model = model_for(entity_type, schema_version)
    _walk(model, schema_version, (), out)
    # Validating "as schema X" pins the data to X: a record may declare X or an older minor
    # version of the same major version (it stays valid), never a newer one, and never one
    # older than the entity itself (a victim cannot declare 1.1: the entity came in 1.2).
    since = version_key(str(getattr(model, "SINCE", schema_version)))
    pinned = tuple(v for v in SCHEMA_VERSIONS if v.split(".")[0] == schema_version.split(".")[0]
                   and since <= version_key(v) <= version_key(schema_version))
    return tuple(attrs.evolve(spec, literal=pinned) if spec.field == "schema_version" and spec.literal else spec
                 for spec in out)


@cache
def spec_by_field(entity_type: str, schema_version: str) -> dict[str, FieldSpec]:
    """The specs of an entity keyed by reported field name (``"source.agency_ori"``)."""
    return {spec.field: spec for spec in field_specs(entity_type, schema_version)}


# Characters Python's ``\s`` matches in a str (str.isspace), which RE2's ``\s`` does not all match.
_PY_SPACE = r"\t\n\x{0B}\f\r\x{1C}-\x{1F} \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}"


@cache
def re2_pattern(pattern: str) -> str:
    """Translate a Python ``re`` pattern (as pydantic runs it) into RE2 with the same verdict.

    Python's ``\\s``/``\\S``/``\\d`` are Unicode-aware on text while RE2's are
    ASCII, and Python's ``$`` also matches before a final newline. The model
    patterns use only these differences, which are translated here.
    """
    out = pattern.replace(r"\S", f"[^{_PY_SPACE}]").replace(r"\s", f"[{_PY_SPACE}]").replace(r"\d", r"\p{Nd}")
    if out.endswith("$") and not out.endswith(r"\$"):
        out = out[:-1] + r"\n?$"
    re.compile(pattern)  # the original must be valid Python re
    return out


def python_type_name(spec: FieldSpec) -> str:
    """A plain-words name of the type a field expects, for messages."""
    if spec.codes is not None:
        return "code"
    if pa.types.is_timestamp(spec.arrow_type):
        return "date and time with a time zone"
    if pa.types.is_date(spec.arrow_type):
        return "date (YYYY-MM-DD)"
    if pa.types.is_boolean(spec.arrow_type):
        return "true/false"
    if pa.types.is_integer(spec.arrow_type):
        return "whole number"
    if pa.types.is_floating(spec.arrow_type):
        return "number"
    if spec.python_type is not None and issubclass(spec.python_type, (date, datetime)):
        return "date"
    return "text"
