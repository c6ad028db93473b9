"""Golden records: survivorship per field, every alias and identifier kept."""

from __future__ import annotations

import json

import pyarrow as pa
import pytest

from justice_schema.errors import InputError
from justice_schema.identity import golden_persons, golden_records, match_persons
from justice_schema.identity.rules import Survivorship

SOURCES = {
    "source_agency_ori": ["UT0180000", "UT0180100", "UT0180200", "UT0180300"],
    "source_system": ["rms", "jail", "court", "probation"],
    "source_record_key": ["1", "2", "3", "4"],
    "source_extracted_at": ["2024-01-01T00:00:00Z", "2024-03-01T00:00:00Z", "2023-06-01T00:00:00Z",
                            "2022-01-01T00:00:00Z"],
}


def people() -> pa.Table:
    return pa.table({
        "id": ["r1", "r2", "r3", "r4"],
        "given_name": ["William", "Bill", "William", "William"],
        "family_name": ["Smith", "Smith", "SMITH", "Smith"],
        "date_of_birth": ["1970-03-04", "1970-03-04", "1970-03-04", "1970-04-03"],
        "sex": ["M", "M", "M", "M"],
        "state_id": ["12-345", "12345", "12345", None],
        "drivers_license_number": ["D1", "D2", None, "D1"],
        "postal_code": ["84101", "84102", "84103", "84101"],
        **SOURCES,
    })


def test_one_golden_record_per_person_with_every_alias_and_identifier() -> None:
    result = match_persons(people())
    assert result.person_count == 1
    golden = golden_records(result).to_pylist()[0]
    assert golden["record_count"] == 4 and golden["member_ids"] == ["r1", "r2", "r3", "r4"]
    assert golden["given_name"] == "William"  # most frequent (3 of 4)
    assert golden["date_of_birth"] == "1970-03-04"
    assert golden["postal_code"] == "84102"  # default rules: most recent (r2, March 2024)
    assert [a["given_name"] for a in json.loads(golden["aliases"])] == ["Bill"]
    assert golden["state_id"] in ("12-345", "12345")  # one normalised value, the most recent spelling
    others = json.loads(golden["other_identifiers"])
    assert {"type": "OTHER", "value": "D2", "issuer": "drivers_license_number"} in others
    assert golden["drivers_license_number"] == "D1"


@pytest.mark.parametrize(("strategy", "priority", "expected"), [
    ("most_frequent", (), "84101"),
    ("most_recent", (), "84102"),
    ("source_priority", ("court", "rms"), "84103"),
    ("source_priority", ("UT0180300",), "84101"),
])
def test_survivorship_strategies(strategy: str, priority: tuple[str, ...], expected: str) -> None:
    result = match_persons(people())
    survivorship = Survivorship(default="most_frequent", fields=(("postal_code", strategy),),
                                source_priority=priority)
    assert golden_records(result, survivorship=survivorship).column("postal_code").to_pylist() == [expected]


def test_golden_persons_are_valid_canonical_records() -> None:
    persons = golden_persons(match_persons(people()))
    assert len(persons) == 1
    person = persons[0]
    assert person.id.startswith("P") and person.source.system == "jail"  # the most recent record's source
    assert person.state_id == "12345" and person.sex == "M"
    assert person.aliases[0].given_name == "Bill"


def test_golden_persons_need_sources() -> None:
    with pytest.raises(InputError, match="source columns"):
        golden_persons(match_persons(pa.table({"id": ["a"], "given_name": ["Ann"]})))
