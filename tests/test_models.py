"""The entity models: conventions every record follows, and clear errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from justice_schema import ENTITY_TYPES, RecordError, UnknownEntityError, UnsupportedSchemaVersionError, parse
from justice_schema.v1 import ENTITIES, Address, Age, Arrest, Incident, Person
from justice_schema.v1.codes import Sex

from .conftest import source


def person(**extra):
    return Person.model_validate({"id": "p-1", "source": source(), **extra})


def test_every_entity_carries_type_version_id_and_source():
    for entity, model in ENTITIES.items():
        fields = list(model.model_fields)
        assert fields[:4] == ["entity_type", "schema_version", "id", "source"], entity
        assert model.model_fields["entity_type"].default == entity


def test_entities_are_the_seven_canonical_ones_then_those_of_schema_1_2():
    assert ENTITY_TYPES == ("person", "incident", "arrest", "charge", "disposition", "booking", "supervision",
                            "victim", "offender", "property", "court_case", "prosecution_decision", "custody_period",
                            "agency", "court", "facility")


def test_references_link_the_entities():
    from justice_schema.v1 import TRACKING_NUMBERS

    refs = {e: sorted(n for n in m.model_fields if n.endswith("_id") and n not in TRACKING_NUMBERS)
            for e, m in ENTITIES.items()}
    assert refs["arrest"] == ["incident_id", "person_id"]
    assert {"arrest_id", "person_id"} <= set(refs["charge"])
    assert refs["disposition"] == ["charge_id"]
    assert {"arrest_id", "person_id", "facility_id"} <= set(refs["booking"])
    assert refs["supervision"] == ["disposition_id", "person_id"]
    assert refs["victim"] == refs["offender"] == ["incident_id", "person_id"]
    assert refs["property"] == ["incident_id"]
    assert refs["court_case"] == ["court_id", "person_id"]
    assert refs["prosecution_decision"] == ["agency_id", "arrest_id", "person_id"]
    assert refs["custody_period"] == ["booking_id", "disposition_id", "facility_id", "person_id"]
    assert refs["agency"] == refs["court"] == refs["facility"] == ["parent_id"]


def test_every_single_code_field_keeps_its_raw_text_twin():
    from enum import Enum

    from justice_schema._toolkit.annotations import unwrap
    from justice_schema.v1 import (
        DrugSeizure,
        Offense,
        PropertyItem,
        Sentence,
        SupervisionViolation,
        VictimRelationship,
    )

    for model in [*ENTITIES.values(), Offense, Sentence, SupervisionViolation, VictimRelationship, PropertyItem,
                  DrugSeizure]:
        for name, info in model.model_fields.items():
            inner = unwrap(info.annotation).bare
            if isinstance(inner, type) and issubclass(inner, Enum) and name != "type":
                assert f"{name}_raw" in model.model_fields, f"{model.__name__}.{name} has no {name}_raw"


def test_three_kinds_of_missing_stay_apart():
    not_provided = person()
    provided_unknown = person(sex="U", sex_raw="unk")
    unmappable = person(sex_raw="Xyz")
    assert (not_provided.sex, not_provided.sex_raw) == (None, None)
    assert provided_unknown.sex is Sex.UNKNOWN
    assert (unmappable.sex, unmappable.sex_raw) == (None, "Xyz")


def test_instants_must_be_aware_and_are_stored_in_utc():
    with pytest.raises(ValidationError, match="no time zone"):
        Person.model_validate({"id": "p", "source": {**source(), "extracted_at": datetime(2024, 1, 1, 12)}})
    with pytest.raises(ValidationError, match="offset"):
        Person.model_validate({"id": "p", "source": {**source(), "extracted_at": "2024-01-01T12:00:00"}})
    mountain = timezone(timedelta(hours=-7))
    p = Person.model_validate({"id": "p", "source": {**source(), "extracted_at": datetime(2024, 1, 1, 5, tzinfo=mountain)}})
    assert p.source.extracted_at == datetime(2024, 1, 1, 12, tzinfo=UTC)
    assert p.source.extracted_at.tzinfo is UTC


@pytest.mark.parametrize("bad", ["02/30/2020", "2020-13-01", "2020-02-30", "20200101", 20200101, "2020-01-01T00:00:00"])
def test_dates_are_strict_iso_calendar_dates(bad):
    with pytest.raises(ValidationError):
        person(date_of_birth=bad)


def test_a_datetime_is_not_a_date():
    with pytest.raises(ValidationError, match="got a datetime"):
        person(date_of_birth=datetime(1990, 1, 1, tzinfo=UTC))
    assert person(date_of_birth=date(1990, 1, 1)).date_of_birth == date(1990, 1, 1)


@pytest.mark.parametrize("ori", ["UT018000", "UT01800000", "ut0180000", "1T0180000", "UT018-000"])
def test_ori_is_nine_characters_with_a_state_prefix(ori):
    with pytest.raises(ValidationError, match="agency_ori"):
        Person.model_validate({"id": "p", "source": {**source(), "agency_ori": ori}})


def test_numbers_are_not_coerced_from_text():
    with pytest.raises(ValidationError):
        Age(min_years="32")
    with pytest.raises(ValidationError):
        Age(min_years=True)


def test_unknown_fields_are_refused_not_dropped():
    with pytest.raises(ValidationError, match="eye_color"):
        person(eye_color="BRO")


def test_empty_strings_are_not_values():
    with pytest.raises(ValidationError):
        person(given_name="")


def test_empty_nested_values_are_refused_in_favour_of_null():
    with pytest.raises(ValidationError, match="carries no information"):
        Address()
    with pytest.raises(ValidationError, match="carries no information"):
        Age()
    assert person(address={"postal_code": "84101"}).address == Address(postal_code="84101")


def test_records_are_immutable():
    p = person(given_name="ANN")
    with pytest.raises(ValidationError):
        p.given_name = "BOB"  # type: ignore[misc]


def test_incident_needs_at_least_one_offense():
    with pytest.raises(ValidationError, match="offenses"):
        Incident.model_validate({"id": "i", "source": source(), "incident_number": "1", "incident_date": "2024-01-01", "offenses": []})


def test_codes_are_the_standard_codes():
    arrest = Arrest.model_validate(
        {"id": "a", "source": source(), "person_id": "p", "arrest_date": "2024-01-02", "arrest_type": "T",
         "ucr_arrest_offense_code": "13A", "armed_with": [{"code": "12", "automatic": True}]}
    )
    assert arrest.arrest_type == "T"
    assert arrest.ucr_arrest_offense_code.name == "AGGRAVATED_ASSAULT"
    with pytest.raises(ValidationError, match="arrest_type"):
        Arrest.model_validate({"id": "a", "source": source(), "person_id": "p", "arrest_date": "2024-01-02", "arrest_type": "X"})


class TestParse:
    def test_dispatches_on_entity_type_and_version(self):
        record = parse({"entity_type": "arrest", "schema_version": "1.0", "id": "a-1", "source": source(),
                        "person_id": "p-1", "arrest_date": "2024-01-02"})
        assert isinstance(record, Arrest)

    def test_accepts_json_text(self):
        text = Person.model_validate({"id": "p-1", "source": source(), "family_name": "DOE"}).model_dump_json()
        assert parse(text).family_name == "DOE"

    def test_refuses_unknown_entity(self):
        with pytest.raises(UnknownEntityError, match="warrant.*known: person"):
            parse({"entity_type": "warrant", "schema_version": "1.0"})

    @pytest.mark.parametrize("version", ["9.9", "1.99", "2.0", 1.0, None])
    def test_refuses_unknown_version_without_fallback(self, version):
        with pytest.raises(UnsupportedSchemaVersionError, match="supports: 1.0"):
            parse({"entity_type": "person", "schema_version": version, "id": "p", "source": source()})

    def test_requires_the_record_to_declare_itself(self):
        with pytest.raises(RecordError, match="schema_version: missing"):
            parse({"entity_type": "person", "id": "p", "source": source()})

    def test_errors_name_every_bad_field_and_the_location(self):
        with pytest.raises(RecordError) as info:
            parse({"entity_type": "person", "schema_version": "1.0", "id": "p", "source": {**source(), "agency_ori": "bad"},
                   "sex": "Q"}, location="people.jsonl, line 3")
        fields = [field for field, _ in info.value.problems]
        assert fields == ["source.agency_ori", "sex"]
        assert str(info.value).startswith("people.jsonl, line 3: invalid person record")

    def test_bad_json_is_a_record_error(self):
        with pytest.raises(RecordError, match="not valid JSON"):
            parse("{not json")
