"""Schema 1.2 beside 1.0 and 1.1: the new entities, the fields it adds, sensitivity classes and record flags."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from justice_schema import ENTITY_TYPES, RecordError, UnknownEntityError, arrow_schema, json_schema, parse
from justice_schema.arrow import model_fields_as_of
from justice_schema.registry import (
    CURRENT_SCHEMA_VERSION,
    SCHEMA_VERSIONS,
    entity_since,
    entity_types,
    model_for,
)
from justice_schema.v1 import (
    ENTITIES,
    TRACKING_NUMBERS,
    CanonicalModel,
    Sensitivity,
    Victim,
    field_sensitivity,
    nested_model,
)

from ..conftest import source

#: The entities schema 1.2 adds.
NEW_IN_1_2 = ("victim", "offender", "property", "court_case", "prosecution_decision", "custody_period",
              "agency", "court", "facility")
FLAGS = {"sealed", "expunged", "juvenile_record"}
#: Every field 1.2 adds to the entities of 1.1 (the changelog's "Schema 1.2" section lists the same).
ADDED_IN_1_2 = {
    "person": FLAGS,
    "incident": FLAGS | {"location"},
    "arrest": FLAGS | {"location", "state_id", "offense_tracking_number"},
    "charge": FLAGS | {"state_id", "offense_tracking_number", "arrest_transaction_number", "booking_number"},
    "disposition": FLAGS | {"state_id", "offense_tracking_number", "arrest_transaction_number"},
    "booking": FLAGS | {"facility_id", "state_id", "offense_tracking_number", "arrest_transaction_number"},
    "supervision": FLAGS | {"state_id", "offense_tracking_number", "court_case_number"},
}

#: A minimal valid body of each new entity (besides entity_type, schema_version, id and source).
MINIMAL = {
    "victim": {"incident_id": "i-1", "victim_sequence_number": 1},
    "offender": {"incident_id": "i-1", "offender_sequence_number": 0},
    "property": {"incident_id": "i-1"},
    "court_case": {"court_case_number": "231900123", "person_id": "p-1"},
    "prosecution_decision": {"person_id": "p-1", "decision": "DECLINED", "decision_date": "2024-03-01"},
    "custody_period": {"person_id": "p-1", "admission_date": "2024-03-01"},
    "agency": {"name": "Salt Lake City Police Department"},
    "court": {"name": "Third District Court"},
    "facility": {"name": "Salt Lake County Metro Jail"},
}


def doc(entity, version="1.2", **body):
    return {"entity_type": entity, "schema_version": version, "id": "x-1", "source": source(),
            **MINIMAL.get(entity, {}), **body}


def all_models():
    """Every entity model and every nested model reachable from one."""
    seen: dict[str, type] = {}

    def walk(model):
        if model.__name__ in seen:
            return
        seen[model.__name__] = model
        for info in model.model_fields.values():
            inner, _ = nested_model(info.annotation)
            if inner is not None:
                walk(inner)

    for model in ENTITIES.values():
        walk(model)
    return list(seen.values())


def test_versions_and_entities_per_version():
    assert SCHEMA_VERSIONS == ("1.0", "1.1", "1.2") and CURRENT_SCHEMA_VERSION == "1.2"
    old = ("person", "incident", "arrest", "charge", "disposition", "booking", "supervision")
    assert entity_types("1.0") == entity_types("1.1") == old
    assert entity_types("1.2") == old + NEW_IN_1_2 == ENTITY_TYPES
    assert {entity_since(e) for e in NEW_IN_1_2} == {"1.2"} and {entity_since(e) for e in old} == {"1.0"}


@pytest.mark.parametrize("entity", NEW_IN_1_2)
def test_a_new_entity_does_not_exist_before_1_2(entity):
    with pytest.raises(UnknownEntityError, match=rf"'{entity}' was added in schema 1\.2; schema 1\.1 has no such"):
        model_for(entity, "1.1")
    with pytest.raises(UnknownEntityError, match="added in schema 1.2"):
        parse(doc(entity, "1.1"))
    with pytest.raises(UnknownEntityError):
        json_schema(entity, "1.0")
    # from 1.2 on it parses, validates against its JSON Schema, and only 1.2 is its version
    record = parse(doc(entity))
    assert record.schema_version == "1.2" and type(record) is ENTITIES[entity]
    schema = json_schema(entity, "1.2")
    assert schema["properties"]["schema_version"]["enum"] == ["1.2"]
    assert Draft202012Validator(schema).is_valid(json.loads(record.model_dump_json()))
    built = ENTITIES[entity].model_validate({k: v for k, v in doc(entity).items() if k != "schema_version"})
    assert built.schema_version == "1.2"  # a new entity's first (and default) version is the one that added it


@pytest.mark.parametrize("entity", list(ADDED_IN_1_2))
def test_one_point_two_adds_exactly_the_listed_fields(entity):
    model = model_for(entity, "1.2")
    added = set(model_fields_as_of(model, "1.2")) - set(model_fields_as_of(model, "1.1"))
    assert added == ADDED_IN_1_2[entity]
    assert set(json_schema(entity, "1.2")["properties"]) - set(json_schema(entity, "1.1")["properties"]) == added
    assert set(arrow_schema(entity, "1.2").names) - set(arrow_schema(entity, "1.1").names) == added
    for name in added:
        assert not model.model_fields[name].is_required()


def test_every_field_of_every_model_has_a_sensitivity_class():
    models = all_models()
    assert {"Victim", "VictimRelationship", "PropertyItem", "DrugSeizure", "Location", "Source", "Age"} <= {
        m.__name__ for m in models}
    missing = []
    for model in models:
        for name in model.model_fields:
            try:
                assert isinstance(field_sensitivity(model, name), Sensitivity)
            except KeyError:
                missing.append(f"{model.__name__}.{name}")
    assert missing == [], f"fields without a sensitivity class: {missing}"


def test_a_nested_value_is_classed_at_least_as_strictly_as_its_strictest_part():
    order = list(Sensitivity)
    for model in all_models():
        for name, info in model.model_fields.items():
            inner, _ = nested_model(info.annotation)
            if inner is None:
                continue
            strictest = max((field_sensitivity(inner, n) for n in inner.model_fields), key=order.index)
            assert order.index(field_sensitivity(model, name)) >= order.index(strictest), f"{model.__name__}.{name}"


def test_field_sensitivity_answers_and_refuses_clearly():
    assert field_sensitivity(Victim, "injuries") is Sensitivity.SENSITIVE
    assert field_sensitivity(Victim, "offense_codes") is Sensitivity.PUBLIC
    assert field_sensitivity(model_for("person"), "date_of_birth") is Sensitivity.PERSONAL
    assert field_sensitivity(model_for("arrest"), "arrest_transaction_number") is Sensitivity.INTERNAL
    assert [s.value for s in Sensitivity] == ["public", "internal", "personal", "sensitive"]
    with pytest.raises(KeyError, match="Victim has no field 'nope'"):
        field_sensitivity(Victim, "nope")

    class Unclassed(CanonicalModel):
        x: int | None = None

    with pytest.raises(KeyError, match=r"Unclassed\.x declares no sensitivity class"):
        field_sensitivity(Unclassed, "x")


@pytest.mark.parametrize("entity", ENTITY_TYPES)
def test_sensitivity_is_published_from_1_2_only(entity):
    model = model_for(entity, "1.2")
    schema = json_schema(entity, "1.2")
    for name, prop in schema["properties"].items():
        assert prop["x-sensitivity"] == field_sensitivity(model, name).value, name
    arrow = arrow_schema(entity, "1.2")
    for field in arrow:
        assert field.metadata[b"sensitivity"] == field_sensitivity(model, field.name).value.encode()
    source_type = arrow.field("source").type
    assert source_type.field("agency_ori").metadata[b"sensitivity"] == b"public"
    if entity_since(entity) == "1.0":
        for version in ("1.0", "1.1"):
            assert "x-sensitivity" not in json.dumps(json_schema(entity, version))
            assert all(b"sensitivity" not in (f.metadata or {}) for f in arrow_schema(entity, version))


def test_record_flags_exist_from_1_2_and_are_refused_on_older_records():
    for entity in ("person", "victim", "court_case"):
        record = parse(doc(entity, sealed=True, expunged=False, juvenile_record=True))
        assert (record.sealed, record.expunged, record.juvenile_record) == (True, False, True)
    with pytest.raises(RecordError, match=r"'sealed' was added in schema 1\.2; this record declares schema_version '1\.1'"):
        parse(doc("person", "1.1", sealed=True))
    assert not Draft202012Validator(json_schema("person", "1.2")).is_valid(doc("person", "1.1", sealed=True))
    with pytest.raises(RecordError, match="sealed"):
        parse(doc("person", sealed="yes"))  # flags are strict booleans


def test_victim_holds_the_level_4_segment():
    victim = parse(doc(
        "victim", offense_codes=["13A", "09A"], victim_type="L", officer_activity="01", officer_assignment="F",
        officer_other_ori="UT0180100", victim_age={"code": "NN"}, sex="F", race="W", ethnicity="N",
        resident_status="R", circumstances=["01", "06"], injuries=["B", "M"],
        relationships=[{"offender_sequence_number": 1, "relationship": "SE"},
                       {"offender_sequence_number": 0, "relationship": "RU"}],
    ))
    assert victim.victim_age.code.value == "NN"
    assert [r.relationship.value for r in victim.relationships] == ["SE", "RU"]
    with pytest.raises(RecordError, match="offense_codes"):
        parse(doc("victim", offense_codes=["13A"] * 11))  # NIBRS allows ten connected offenses
    with pytest.raises(RecordError, match="victim_sequence_number"):
        parse(doc("victim", victim_sequence_number=0))


def test_property_and_offender_hold_their_segments():
    prop = parse(doc("property", loss_type="7", descriptions=[{"description": "03", "value": 12000,
                                                                 "recovered_date": "2024-02-01"}],
                     stolen_vehicle_count=1, drugs=[{"drug_type": "E", "quantity": 1.5, "measure": "OZ"}]))
    assert prop.descriptions[0].value == 12000 and prop.drugs[0].measure.value == "OZ"
    offender = parse(doc("offender", offender_age={"min_years": 25, "max_years": 30}, sex="M"))
    assert offender.offender_sequence_number == 0  # 00: the unknown offender


def test_location_is_coarse_and_optionally_precise():
    incident = parse(doc("incident", incident_number="24-1", incident_date="2024-01-01",
                         offenses=[{"ucr_offense_code": "13A"}],
                         location={"county_fips": "49035", "city": "Salt Lake City", "census_tract": "49035113000",
                                   "latitude": 40.76, "longitude": -111.89}))
    assert incident.location.county_fips == "49035"
    with pytest.raises(RecordError, match="county_fips"):
        parse(doc("arrest", person_id="p", arrest_date="2024-01-01", location={"county_fips": "4903"}))
    with pytest.raises(RecordError, match="latitude"):
        parse(doc("arrest", person_id="p", arrest_date="2024-01-01", location={"latitude": 91.0}))


def test_tracking_numbers_share_one_meaning_wherever_they_appear():
    from justice_schema.v1 import field_since

    for entity, model in ENTITIES.items():
        for name in TRACKING_NUMBERS:
            # fields of 1.0 (the arrest's own transaction number, the booking's number) keep their wording
            if name in model.model_fields and (entity in NEW_IN_1_2 or field_since(model, name) == "1.2"):
                description, level = TRACKING_NUMBERS[name]
                assert field_sensitivity(model, name).value == level, (entity, name)
                assert model.model_fields[name].description == description, (entity, name)
    on = {e: sorted(set(TRACKING_NUMBERS) & set(m.model_fields)) for e, m in ENTITIES.items()}
    assert on["charge"] == ["arrest_transaction_number", "booking_number", "court_case_number",
                            "offense_tracking_number", "state_id"]
    assert on["custody_period"] == ["booking_number", "court_case_number", "offense_tracking_number", "state_id"]
