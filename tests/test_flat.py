"""The flat layout's file handling: clear errors that name the file, row and field."""

from __future__ import annotations

import pytest

from justice_schema.errors import InputError
from justice_schema.flat import from_flat_table, read_flat_csv, to_flat_table, unflatten, write_flat_csv
from justice_schema.v1 import Person

from .conftest import source


def people():
    return [
        Person.model_validate({"id": "p-1", "source": source("1"), "family_name": "DOE",
                               "aliases": [{"family_name": "DOH"}], "address": {"postal_code": "84101"}}),
        Person.model_validate({"id": "p-2", "source": source("2"), "given_name": "ANN, \"JR\"\nX"}),
    ]


def test_csv_round_trip_with_quotes_commas_and_newlines(tmp_path):
    path = write_flat_csv(people(), tmp_path / "people.csv")
    assert from_flat_table(read_flat_csv(path, "person"), "person") == people()


def test_unknown_column_is_reported_not_dropped(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("id,source_agency_ori,source_system,source_record_key,source_extracted_at,famly_name\n")
    with pytest.raises(InputError, match=r"p\.csv: unknown column\(s\) for person: famly_name"):
        read_flat_csv(path, "person")


def test_missing_required_column_is_named(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("id,family_name\np-1,DOE\n")
    table = read_flat_csv(path, "person")
    with pytest.raises(InputError, match="missing required column.*source_agency_ori"):
        unflatten(table, "person", path=str(path))


def test_empty_file_is_a_clear_error(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(InputError, match="empty file"):
        read_flat_csv(path, "person")


def test_bad_json_array_names_row_and_column(tmp_path):
    table = to_flat_table(people())
    import pyarrow as pa

    broken = table.set_column(table.schema.get_field_index("aliases"), "aliases", pa.array(["[]", "[{\"nick\": 1}]"]))
    with pytest.raises(InputError, match="row 2, field 'aliases'"):
        unflatten(broken, "person", path="people.csv")


def test_absent_optional_columns_read_as_empty(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("id,source_agency_ori,source_system,source_record_key,source_extracted_at,family_name\n"
                    "p-1,UT0180000,t,1,2024-05-01T12:00:00Z,DOE\n")
    (person,) = from_flat_table(read_flat_csv(path, "person"), "person")
    assert person.family_name == "DOE" and person.aliases == () and person.entity_type == "person"
