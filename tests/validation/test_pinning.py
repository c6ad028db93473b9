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
