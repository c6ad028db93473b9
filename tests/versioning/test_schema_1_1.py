"""Schema 1.1 beside 1.0: what it adds, and how a record is held to the version it declares."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator
from pydantic import ValidationError

from justice_schema import RecordError, arrow_schema, json_schema, parse
from justice_schema.arrow import model_fields_as_of
from justice_schema.registry import CURRENT_SCHEMA_VERSION, SCHEMA_VERSIONS, entity_types, model_for
from justice_schema.v1 import Booking, Charge, Disposition, Person, Supervision
from justice_schema.v1._base import DEFAULT_SCHEMA_VERSION
from justice_schema.v1.codes import (
    ChargeDegree,
    CustodyLevel,
    DispositionType,
    GenderIdentity,
    HousingType,
    SupervisionLevel,
)

from ..conftest import source

#: Every field 1.1 adds, by entity (the changelog's "Schema 1.1" section lists the same).
ADDED_IN_1_1 = {
    "person": {"gender_identity", "gender_identity_raw"},
    "incident": set(),
    "arrest": set(),
    "charge": {"severity_degree", "severity_degree_raw"},
    "disposition": {"disposed_severity_degree", "disposed_severity_degree_raw"},
    "booking": {"housing_unit", "housing_type", "housing_type_raw", "custody_level", "custody_level_raw"},
    "supervision": {"supervision_level", "supervision_level_raw", "officer_staff_number", "officer_name"},
}

BOOKING = {"person_id": "p-1", "booking_number": "B1", "booked_at": "2024-05-01T12:00:00Z"}


def test_versions_and_default():
    assert SCHEMA_VERSIONS[:2] == ("1.0", "1.1")
    assert SCHEMA_VERSIONS[-1] == CURRENT_SCHEMA_VERSION
    # A record built without saying stays 1.0: code written against 1.0 keeps producing 1.0 records.
    assert DEFAULT_SCHEMA_VERSION == "1.0"
    assert Person(id="p", source=source()).schema_version == "1.0"


@pytest.mark.parametrize("entity", entity_types("1.1"))
def test_one_point_one_adds_exactly_the_listed_fields(entity):
    model = model_for(entity, "1.1")
    added = set(model_fields_as_of(model, "1.1")) - set(model_fields_as_of(model, "1.0"))
    assert added == ADDED_IN_1_1[entity]
    assert set(json_schema(entity, "1.1")["properties"]) - set(json_schema(entity, "1.0")["properties"]) == added
    assert set(arrow_schema(entity, "1.1").names) - set(arrow_schema(entity, "1.0").names) == added
    for name in added:
        assert not model.model_fields[name].is_required()


def test_new_code_lists_hold_the_practice_they_cite():
    assert {"CAPITAL", "X", "A", "B", "C", "1", "2", "3", "STATE_JAIL"} <= {m.value for m in ChargeDegree}
    assert CustodyLevel("MAXIMUM") and HousingType("PROTECTIVE_CUSTODY") and SupervisionLevel("INTENSIVE")
    assert GenderIdentity("NON_BINARY") and GenderIdentity("TRANSGENDER_FEMALE")


def test_one_point_one_fields_on_one_point_one_records():
    person = Person(id="p", source=source(), schema_version="1.1", sex="M", gender_identity="TRANSGENDER_FEMALE",
                    gender_identity_raw="trans woman")
    assert (person.sex.value, person.gender_identity) == ("M", GenderIdentity.TRANSGENDER_FEMALE)
    charge = Charge(id="c", source=source(), schema_version="1.1", person_id="p", severity="FELONY",
                    severity_degree="3", severity_raw="F3", severity_degree_raw="F3")
    assert charge.severity_degree is ChargeDegree.DEGREE_OR_CLASS_3
    booking = Booking(id="b", source=source(), schema_version="1.1", **BOOKING, housing_unit="POD B-12",
                      housing_type="GENERAL_POPULATION", custody_level="MEDIUM")
    assert booking.custody_level is CustodyLevel.MEDIUM
    supervision = Supervision(id="s", source=source(), schema_version="1.1", person_id="p",
                              supervision_type="PROBATION", start_date="2024-01-01", supervision_level="HIGH",
                              officer_staff_number="PO-77", officer_name="R. GARCIA")
    assert (supervision.supervision_level, supervision.officer_staff_number) == (SupervisionLevel.HIGH, "PO-77")
    disposition = Disposition(id="d", source=source(), schema_version="1.1", charge_id="c",
                              disposition_date="2024-06-01", disposition_type=next(iter(DispositionType)),
                              disposed_severity_degree="A")
    assert disposition.disposed_severity_degree is ChargeDegree.CLASS_A


@pytest.mark.parametrize(
    ("entity", "data"),
    [
        ("person", {"gender_identity": "NON_BINARY"}),
        ("booking", {**BOOKING, "custody_level": "MAXIMUM"}),
        ("charge", {"person_id": "p", "severity_degree_raw": "MA"}),
    ],
)
def test_a_one_point_one_field_on_a_one_point_zero_record_is_refused_clearly(entity, data):
    doc = {"entity_type": entity, "schema_version": "1.0", "id": "x-1", "source": source(), **data}
    with pytest.raises(RecordError, match=r"was added in schema 1\.1; this record declares schema_version '1\.0'"):
        parse(doc)
    assert not Draft202012Validator(json_schema(entity, "1.0")).is_valid(json.loads(json.dumps(doc)))
    # declared as 1.1 the same record is fine, under the model and both JSON Schema checks
    doc["schema_version"] = "1.1"
    assert parse(doc).schema_version == "1.1"
    assert Draft202012Validator(json_schema(entity, "1.1")).is_valid(doc)
    # and the 1.1 JSON Schema still refuses the field on a record declaring 1.0
    assert not Draft202012Validator(json_schema(entity, "1.1")).is_valid({**doc, "schema_version": "1.0"})


def test_one_point_zero_records_stay_valid_under_one_point_one():
    doc = {"entity_type": "booking", "schema_version": "1.0", "id": "b-1", "source": source(), **BOOKING}
    assert Draft202012Validator(json_schema("booking", "1.1")).is_valid(doc)
    record = parse(doc)
    assert record.schema_version == "1.0"
    dumped = json.loads(record.model_dump_json())
    assert "custody_level" not in dumped  # a 1.0 record dumps exactly its 1.0 fields
    assert Draft202012Validator(json_schema("booking", "1.0")).is_valid(dumped)


def test_record_declaring_an_unknown_version_is_refused():
    with pytest.raises(ValidationError):
        Person(id="p", source=source(), schema_version="1.9")


def test_fields_added_inside_nested_values_are_gated_too():
    """A later field inside a nested or repeated value is refused on older records, left out of their
    JSON, and forbidden by the JSON Schema gate (exercised on throwaway models)."""
    from typing import Literal

    from pydantic import Field

    from justice_schema.schema_json import _absent_at
    from justice_schema.v1 import CanonicalModel, CanonicalRecord, since

    class Gadget(CanonicalModel):
        name: str | None = None
        colour: str | None = Field(default=None, json_schema_extra=since("1.1"))

    class Widget(CanonicalRecord):
        ENTITY_TYPE = "widget"
        entity_type: Literal["widget"] = "widget"
        schema_version: Literal["1.0", "1.1"] = "1.0"
        gadget: Gadget | None = None
        gadgets: tuple[Gadget, ...] = ()

    assert [f for f in Widget._LATER_FIELDS if f[1] == "1.1"] == [("gadget.colour", "1.1"), ("gadgets.colour", "1.1")]
    old = Widget(id="w", source=source(), gadget={"name": "a"}, gadgets=[{"name": "b"}])
    assert "colour" not in old.model_dump()["gadget"]
    assert "colour" not in json.loads(old.model_dump_json())["gadgets"][0]
    for bad in ({"gadget": {"colour": "red"}}, {"gadgets": [{"name": "x"}, {"colour": "red"}]}):
        with pytest.raises(ValidationError, match=r"field 'gadgets?\.colour' was added in schema 1\.1"):
            Widget(id="w", source=source(), **bad)
        assert Widget(id="w", source=source(), schema_version="1.1", **bad).schema_version == "1.1"
    gate = {"allOf": [_absent_at(["gadget", "colour"]), _absent_at(["gadgets", "colour"])]}
    check = Draft202012Validator(gate).is_valid
    assert check({"gadget": None, "gadgets": []}) and check({"gadget": {"name": "a"}, "gadgets": [{"name": "b"}]})
    assert not check({"gadget": {"colour": "red"}}) and not check({"gadgets": [{"colour": "red"}]})
