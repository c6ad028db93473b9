"""The data catalogue, generated from the schema: every entity's top-level fields.

For each field: its type in words, description, code list (with each code's meaning from
the code tables) and sensitivity class (:func:`justice_schema.v1.field_sensitivity`;
schema 1.2 classes every field, and the privacy profiles act on the class).

>>> rows = catalogue_rows()
>>> [f.name for f in rows["person"]][:2]
['entity_type', 'schema_version']
>>> next(f for f in rows["person"] if f.name == "sex").code_list
'Sex'
"""

from __future__ import annotations

import typing
from enum import Enum
from typing import Any

import attrs
from pydantic import BaseModel

from justice_schema._toolkit.annotations import unwrap
from justice_schema.arrow import model_fields_as_of
from justice_schema.registry import CURRENT_SCHEMA_VERSION, ENTITY_TYPES, model_for
from justice_schema.v1 import field_sensitivity

__all__ = ["CatalogueField", "catalogue_rows"]


@attrs.frozen(slots=True)
class CatalogueField:
    """One field of the catalogue."""

    name: str
    type_text: str
    description: str
    code_list: str | None
    codes: tuple[tuple[str, str], ...]
    sensitivity: str | None


def _inner(annotation: Any) -> Any:
    bare = unwrap(annotation).bare
    if typing.get_origin(bare) in (tuple, list):
        items = [a for a in typing.get_args(bare) if a is not Ellipsis]
        return unwrap(items[0]).bare if items else bare
    return bare


def _type_text(annotation: Any) -> str:
    bare = unwrap(annotation).bare
    many = typing.get_origin(bare) in (tuple, list)
    inner = _inner(annotation)
    if typing.get_origin(inner) is typing.Literal:
        text = " | ".join(repr(a) for a in typing.get_args(inner))
    elif isinstance(inner, type) and issubclass(inner, Enum):
        text = "code"
    elif isinstance(inner, type) and issubclass(inner, BaseModel):
        text = inner.__name__
    elif isinstance(inner, type):
        text = {"str": "text", "int": "integer", "float": "number", "bool": "true/false",
                "date": "date", "datetime": "instant"}.get(inner.__name__, inner.__name__)
    else:
        text = str(inner)
    return f"list of {text}" if many else text


def _codes(enum: type[Enum]) -> tuple[tuple[str, str], ...]:
    from justice_schema.codes import code_table

    table_name = getattr(enum, "__code_table__", None)
    table = code_table(table_name) if isinstance(table_name, str) else None
    return tuple((str(m.value), table.description(str(m.value)) if table else m.name) for m in enum)


def catalogue_rows(schema_version: str = CURRENT_SCHEMA_VERSION) -> dict[str, list[CatalogueField]]:
    """The catalogue's fields by entity, as of ``schema_version``."""
    out: dict[str, list[CatalogueField]] = {}
    for entity in ENTITY_TYPES:
        fields = []
        model = model_for(entity, schema_version)
        for name, info in model_fields_as_of(model, schema_version).items():
            inner = _inner(info.annotation)
            is_code = isinstance(inner, type) and issubclass(inner, Enum)
            sensitivity = field_sensitivity(model, name).value
            fields.append(CatalogueField(
                name=name, type_text=_type_text(info.annotation), description=info.description or "",
                code_list=inner.__name__ if is_code else None, codes=_codes(inner) if is_code else (),
                sensitivity=sensitivity))
        out[entity] = fields
    return out
