"""Published schemas: JSON Schema files are frozen; Arrow schemas carry metadata."""

from __future__ import annotations

import pyarrow as pa
import pytest

from justice_schema import ENTITY_TYPES, SCHEMA_VERSIONS, arrow_schema, json_schema
from justice_schema.registry import entity_since, entity_types
from justice_schema.schema_json import DIALECT, published_json_schema, schema_id

#: Every (entity, version) pair a release publishes: an entity from the version that added it.
PUBLISHED = [(entity, version) for version in SCHEMA_VERSIONS for entity in entity_types(version)]


@pytest.mark.parametrize(("entity", "version"), PUBLISHED)
def test_released_json_schema_is_frozen(entity, version):
    """If this fails, a change to the models altered a released schema. Released schemas never change:
    add the field in a new minor version with ``since("1.x")`` instead."""
    assert json_schema(entity, version) == published_json_schema(entity, version)


@pytest.mark.parametrize("entity", ENTITY_TYPES)
def test_json_schema_declares_dialect_id_and_descriptions(entity):
    first = entity_since(entity)
    schema = json_schema(entity, first)
    assert schema["$schema"] == DIALECT
    assert schema["$id"] == schema_id(entity, first) == f"urn:justice-schema:{first}:{entity}"
    assert schema["description"]
    assert schema["additionalProperties"] is False
    for name, prop in schema["properties"].items():
        assert prop.get("description"), f"{entity}.{name} has no description"


@pytest.mark.parametrize("entity", ENTITY_TYPES)
def test_arrow_schema_carries_field_metadata(entity):
    first = entity_since(entity)
    schema = arrow_schema(entity, first)
    assert schema.metadata[b"justice_schema.entity"] == entity.encode()
    for field in schema:
        assert field.metadata[b"entity"] == entity.encode()
        assert field.metadata[b"schema_version"] == first.encode()
        assert field.metadata[b"description"]
    assert schema.field("id").type == pa.string() and not schema.field("id").nullable
    assert schema.field("source").type.field("extracted_at").type == pa.timestamp("us", tz="UTC")


def test_person_flat_layout_uses_the_documented_column_names():
    from justice_schema.flat import flat_schema

    names = flat_schema("person").names
    for column in ["id", "given_name", "middle_name", "family_name", "name_suffix", "date_of_birth", "sex", "race",
                   "ethnicity", "state_id", "fbi_number", "drivers_license_number", "drivers_license_state",
                   "postal_code"]:
        assert column in names


def test_version_gating_refuses_later_fields_on_older_records():
    """A field marked since("1.1") is refused on a record declaring 1.0 (exercised on a throwaway model)."""
    from typing import Literal

    from pydantic import Field, ValidationError

    from justice_schema.v1 import CanonicalRecord, since

    class Widget(CanonicalRecord):
        ENTITY_TYPE = "widget"
        entity_type: Literal["widget"] = "widget"
        schema_version: Literal["1.0", "1.1"] = "1.1"
        colour: str | None = Field(default=None, json_schema_extra=since("1.1"))

    src = {"agency_ori": "UT0180000", "system": "t", "record_key": "1", "extracted_at": "2024-01-01T00:00:00Z"}
    assert Widget(id="w", source=src, colour="red").colour == "red"
    assert Widget(id="w", source=src, schema_version="1.0").colour is None
    with pytest.raises(ValidationError, match="added in schema 1.1"):
        Widget(id="w", source=src, schema_version="1.0", colour="red")
