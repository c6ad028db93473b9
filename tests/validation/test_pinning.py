"""Validating as a pinned schema version refuses records that declare a newer one, in both engines."""

from __future__ import annotations

import pytest

import justice_schema as js
from justice_schema.validation import validate_records, validate_table

SOURCE = {"agency_ori": "UT0180000", "system": "t", "record_key": "1", "extracted_at": "2024-01-01T00:00:00Z"}


@pytest.mark.parametrize("declared, pinned, refused", [("1.1", "1.0", True), ("1.0", "1.1", False),
                                                       ("1.0", "1.0", False), ("1.1", "1.1", False)])
def test_pinned_version_in_both_engines(declared, pinned, refused):
    record = {"entity_type": "person", "schema_version": declared, "id": "p-1", "source": SOURCE, "state_id": "UT1"}
    per_record = validate_records([record], "person", schema_version=pinned)
    table = js.to_table([js.parse(record)], schema_version=pinned if declared == "1.0" else "1.1")
    if pinned == "1.0":
        table = table.select(js.arrow_schema("person", "1.0").names)
    columnar = validate_table(table, "person", schema_version=pinned)
    for report in (per_record, columnar):
        assert report.rows_rejected == int(refused)
        assert ("JS-P11" in report.issues.column("code").to_pylist()) == refused


def test_a_newer_field_on_an_older_record_names_the_field():
    record = {"entity_type": "person", "schema_version": "1.0", "id": "p-1", "source": SOURCE,
              "gender_identity": "FEMALE"}
    report = validate_records([record], "person", schema_version="1.1")
    (issue,) = [i for i in report.issues.to_pylist() if i["code"] == "JS-P11"]
    assert issue["field"] == "gender_identity"


def _arrest(version: str, code: str, day: str) -> dict:
    return {"entity_type": "arrest", "schema_version": version, "id": "a-1", "source": SOURCE, "person_id": "p-1",
            "arrest_date": day, "ucr_arrest_offense_code": code}


@pytest.mark.parametrize(("code", "day", "warned"), [("90I", "2020-05-01", True), ("90I", "2018-12-31", False),
                                                      ("90I", "2019-01-01", True), ("90Z", "2020-05-01", False)])
def test_a_code_retired_by_the_records_date_is_warned_about_in_both_engines(code, day, warned):
    record = _arrest("1.2", code, day)
    per_record = validate_records([record], "arrest", schema_version="1.2")
    columnar = validate_table(js.to_table([js.parse(record)]), "arrest", schema_version="1.2")
    for report in (per_record, columnar):
        issues = [i for i in report.issues.to_pylist() if i["code"] == "JS-A55"]
        assert bool(issues) == warned
        assert report.rows_rejected == 0  # a warning, not a rejection
        if warned:
            assert issues[0]["field"] == "ucr_arrest_offense_code" and issues[0]["severity"] == "warning"


def test_the_retired_code_warning_is_a_rule_of_1_2_and_later_only():
    report = validate_records([_arrest("1.1", "90I", "2020-05-01")], "arrest", schema_version="1.1")
    assert "JS-A55" not in report.issues.column("code").to_pylist()
