"""validate_file on CSV, Parquet and JSON Lines: bad input is met with a clear error or a reject, nothing is lost."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from justice_schema.arrow import to_table
from justice_schema.errors import InputError
from justice_schema.flat import flat_columns, to_flat_table, write_flat_csv
from justice_schema.testing import records
from justice_schema.validation import validate_file, validate_records

AS_OF = date(2026, 1, 1)
SOURCE = "UT0180000,rms,k1,2024-05-01T12:00:00Z"
HEADER = "id,source_agency_ori,source_system,source_record_key,source_extracted_at,person_id,arrest_date"


def arrest_line(i: int, arrest_date: str = "2024-03-01", person: str = "p-1") -> str:
    return f"a-{i},{SOURCE},{person},{arrest_date}"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def reconciles(report: Any) -> None:
    assert report.rows_in == report.rows_valid + report.rows_rejected


def codes_by_row(report: Any) -> dict[int | None, set[str]]:
    out: dict[int | None, set[str]] = {}
    for item in report.issues.to_pylist():
        out.setdefault(item["row"], set()).add(item["code"])
    return out


# ----------------------------------------------------------------------------- whole-file problems


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "empty file"),
    (HEADER + "\n", "no data rows"),
    ("id;source_agency_ori;person_id\n1;2;3\n", "semicolon-separated"),
    ("id\tperson_id\n1\t2\n", "tab-separated"),
    (b"\xff\xfei\x00d\x00\n\x00", "UTF-16"),
    (HEADER + ",arest_type\n" + arrest_line(1) + ",O\n", "unknown column(s) for arrest: arest_type"),
    ("id,source_agency_ori,person_id\na-1,UT0180000,p-1\n", "missing required column(s): source_system"),
    (HEADER + ",id\n" + arrest_line(1) + ",a-2\n", "named twice: id"),
])
def test_whole_file_problems_name_the_file(tmp_path: Path, content: str | bytes, expected: str) -> None:
    path = write(tmp_path, "arrests.csv", content)
    with pytest.raises(InputError) as caught:
        validate_file(path, "arrest", as_of=AS_OF)
    message = str(caught.value)
    assert expected in message
    assert str(path) in message
    assert "\n" not in message


def test_latin1_bytes_are_an_input_error_naming_the_line(tmp_path: Path) -> None:
    body = (HEADER + "\n" + arrest_line(1) + "\n" + arrest_line(2, person="p-\xe9") + "\n").encode("latin-1")
    path = write(tmp_path, "arrests.csv", body)
    with pytest.raises(InputError) as caught:
        validate_file(path, "arrest", as_of=AS_OF)
    assert caught.value.row == 3
    assert "not UTF-8" in str(caught.value)


def test_missing_file_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        validate_file(tmp_path / "nope.csv", "arrest")
    with pytest.raises(InputError, match="cannot tell the format"):
        validate_file(write(tmp_path, "a.xlsx", "x"), "arrest")


# ----------------------------------------------------------------------------- row-level problems become rejects


def test_bom_and_mixed_line_endings_are_read_and_noted(tmp_path: Path) -> None:
    body = "\ufeff" + HEADER + "\r\n" + arrest_line(1) + "\n" + arrest_line(2) + "\r\n"
    report = validate_file(write(tmp_path, "a.csv", body), "arrest", as_of=AS_OF)
    assert (report.rows_in, report.rows_valid) == (2, 2)
    assert any("byte-order mark" in n for n in report.notes)
    assert any("mixed line endings" in n for n in report.notes)


def test_impossible_dates_and_text_in_number_fields_are_rejected_with_reasons(tmp_path: Path) -> None:
    lines = [HEADER + ",arrestee_sequence_number",
             arrest_line(1) + ",1",
             arrest_line(2, "02/30/2020") + ",2",
             arrest_line(3, "2020-13-01") + ",3",
             arrest_line(4, "2020-02-30") + ",4",
             arrest_line(5) + ",one",
             arrest_line(6, "2020-02-29") + ",6"]
    valid, rejects = tmp_path / "valid.parquet", tmp_path / "rejects.csv"
    report = validate_file(write(tmp_path, "a.csv", "\n".join(lines) + "\n"), "arrest", as_of=AS_OF,
                           valid=valid, rejects=rejects)
    reconciles(report)
    assert (report.rows_in, report.rows_valid, report.rows_rejected) == (6, 2, 4)
    by_row = codes_by_row(report)
    assert by_row[2] == by_row[3] == by_row[4] == {"JS-A05"}
    assert by_row[5] == {"JS-A02"}
    messages = {i["row"]: i["message"] for i in report.issues.to_pylist()}
    assert "YYYY-MM-DD" in messages[2] and "not a calendar date" in messages[4]
    assert pq.read_table(valid).num_rows == 2
    rejected = pacsv.read_csv(rejects).to_pylist()
    assert [r["row"] for r in rejected] == [2, 3, 4, 5]
    assert rejected[0]["arrest_date"] == "02/30/2020"  # the input value is kept
    assert rejected[3]["issue_codes"] == "JS-A02"


def test_truncated_rows_are_rejected_with_their_text(tmp_path: Path) -> None:
    body = "\n".join([HEADER, arrest_line(1), "a-2,UT0180000,rms", arrest_line(3), arrest_line(4) + ",extra"]) + "\n"
    rejects = tmp_path / "rejects.parquet"
    report = validate_file(write(tmp_path, "a.csv", body), "arrest", as_of=AS_OF, rejects=rejects)
    reconciles(report)
    assert (report.rows_in, report.rows_valid, report.rows_rejected) == (4, 2, 2)
    unreadable = [i for i in report.issues.to_pylist() if i["code"] == "JS-X90"]
    assert len(unreadable) == 2 and "line 3" in unreadable[0]["message"]
    raw = pq.read_table(rejects).column("raw_line").to_pylist()
    assert "a-2,UT0180000,rms" in raw
    # a line's rejects entry names the same coded issue as the report, the rule's message then the detail
    table = pq.read_table(rejects).to_pylist()
    lines = [r for r in table if r["row"] is None]
    assert [(r["issue_codes"], r["issue_fields"]) for r in lines] == [("JS-X90", "*")] * 2
    assert sorted(r["issue_messages"] for r in lines) == sorted(i["message"] for i in unreadable)
    assert all(i["message"].startswith("the row could not be read") for i in unreadable)


def test_huge_fields_are_a_length_error_not_a_crash(tmp_path: Path) -> None:
    body = HEADER + ",arrest_type_raw\n" + arrest_line(1) + "," + "X" * 3_000_000 + "\n" + arrest_line(2) + ",T\n"
    report = validate_file(write(tmp_path, "a.csv", body), "arrest", as_of=AS_OF, redact=False)
    reconciles(report)
    assert codes_by_row(report)[1] == {"JS-A03"}
    assert len(report.issues.column("value")[0].as_py()) < 300  # the value shown is cut


def test_jsonl_type_mismatches_bad_lines_and_unknown_fields(tmp_path: Path) -> None:
    good = {"id": "a-1", "source": {"agency_ori": "UT0180000", "system": "rms", "record_key": "1",
                                    "extracted_at": "2024-05-01T12:00:00Z"}, "person_id": "p-1",
            "arrest_date": "2024-03-01"}
    lines = [json.dumps(good),
             json.dumps({**good, "id": "a-2", "person_id": 12345}),
             "{not json",
             json.dumps([1, 2]),
             json.dumps({**good, "id": "a-5", "arest_date": "2024-01-01"}),
             "",
             json.dumps({**good, "id": "a-6", "arrest_date": "2023-02-29"})]
    report = validate_file(write(tmp_path, "a.jsonl", "\n".join(lines) + "\n"), "arrest", as_of=AS_OF)
    reconciles(report)
    assert (report.rows_in, report.rows_valid) == (6, 1)
    by_row = codes_by_row(report)
    assert by_row[2] == {"JS-A02"} and by_row[3] == {"JS-X90"} and by_row[4] == {"JS-X90"}
    assert by_row[5] == {"JS-A12"} and by_row[6] == {"JS-A05"}


def test_parquet_unknown_and_missing_columns(tmp_path: Path) -> None:
    table = pa.table({"id": ["a-1"], "person_id": ["p-1"], "bogus": [1]})
    path = tmp_path / "a.parquet"
    pq.write_table(table, path)
    with pytest.raises(InputError, match="unknown column"):
        validate_file(path, "arrest")
    pq.write_table(table.drop_columns(["bogus"]), path)
    with pytest.raises(InputError, match="missing required column"):
        validate_file(path, "arrest")


# ----------------------------------------------------------------------------- every format, one verdict


def _mutate(record: dict[str, Any], choice: int) -> dict[str, Any]:
    record = dict(record)
    if choice == 1:
        record["arrest_type"] = "X"
    elif choice == 2:
        record["arrest_date"] = "2030-01-01"
    elif choice == 3:
        record["source"] = {**record["source"], "agency_ori": "bad"}
    return record


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(records("arrest"), st.integers(0, 5)), min_size=1, max_size=8))
def test_file_formats_and_per_record_engine_agree(tmp_path_factory: Any, items: list[Any]) -> None:
    tmp = tmp_path_factory.mktemp("formats")
    dicts = [_mutate(r.model_dump(mode="json"), choice) for r, choice in items]
    expected = validate_records(dicts, "arrest", as_of=AS_OF)
    reconciles(expected)
    jsonl = tmp / "a.jsonl"
    jsonl.write_text("".join(json.dumps(d) + "\n" for d in dicts))
    models_ok = [r for (r, choice) in items]
    csv_path = tmp / "a.csv"
    parquet_path = tmp / "a.parquet"
    # CSV and Parquet can only hold what the types allow: write the unmutated records there
    write_flat_csv(models_ok, csv_path, entity_type="arrest")
    pq.write_table(to_table(models_ok), parquet_path)
    baseline = validate_records([r.model_dump(mode="json") for r in models_ok], "arrest", as_of=AS_OF)

    def key(report: Any) -> list[tuple[Any, ...]]:
        return sorted((i["row"], i["code"], i["field"]) for i in report.issues.to_pylist())

    assert key(validate_file(jsonl, "arrest", as_of=AS_OF)) == key(expected)
    for path in (csv_path, parquet_path):
        valid, rejects = tmp / f"v-{path.suffix[1:]}.parquet", tmp / f"r-{path.suffix[1:]}.csv"
        report = validate_file(path, "arrest", as_of=AS_OF, valid=valid, rejects=rejects, batch_size=3)
        assert key(report) == key(baseline)
        reconciles(report)
        assert pq.read_table(valid).num_rows == report.rows_valid
        assert pacsv.read_csv(rejects).num_rows == report.rows_rejected


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(recs=st.lists(records("person"), min_size=1, max_size=4))
def test_flat_parquet_is_read_like_csv(tmp_path_factory: Any, recs: list[Any]) -> None:
    path = tmp_path_factory.mktemp("flat") / "p.parquet"
    pq.write_table(to_flat_table(recs, entity_type="person"), path)
    report = validate_file(path, "person", as_of=AS_OF)
    baseline = validate_records(recs, "person", as_of=AS_OF)
    assert sorted((i["row"], i["code"]) for i in report.issues.to_pylist()) == \
        sorted((i["row"], i["code"]) for i in baseline.issues.to_pylist())
    assert len(flat_columns("person")) > 10


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(recs=st.lists(records("arrest"), min_size=1, max_size=12),
       oris=st.lists(st.sampled_from(["UT0180000", "MT0010000", "ut-018", "UT018000\n", "UT01800é0"]), min_size=12,
                     max_size=12),
       batch_size=st.integers(1, 5))
def test_parquet_read_as_dictionaries_reports_like_the_table(tmp_path_factory: Any, recs: list[Any], oris: list[str],
                                                             batch_size: int) -> None:
    """Parquet code columns, the schema version and the source's agency and system are read as dictionaries:

    the issues (with record id, agency and value), the completeness profile and
    the valid and rejected rows are those of the same table validated in memory.
    """
    from justice_schema.validation import rejected_rows, valid_rows, validate_table

    table = to_table(recs)
    source = table.column("source").combine_chunks()
    fields = [source.field(i) for i in range(source.type.num_fields)]
    fields[0] = pa.array(oris[: len(recs)], pa.string())
    table = table.set_column(table.schema.get_field_index("source"), table.schema.field("source"),
                             pa.StructArray.from_arrays(fields, fields=list(source.type)))
    tmp = tmp_path_factory.mktemp("dictionaries")
    path = tmp / "a.parquet"
    pq.write_table(table, path, row_group_size=3)
    valid, rejects = tmp / "valid.parquet", tmp / "rejects.parquet"
    report = validate_file(path, "arrest", as_of=AS_OF, valid=valid, rejects=rejects, batch_size=batch_size)
    expected = validate_table(table, "arrest", as_of=AS_OF)

    def rows(t: pa.Table) -> list[tuple[Any, ...]]:
        return sorted(tuple(r.values()) for r in t.to_pylist())

    assert rows(report.issues) == rows(expected.issues)
    assert report.completeness.to_pylist() == expected.completeness.to_pylist()
    assert pq.read_table(valid).to_pylist() == valid_rows(table, expected).to_pylist()
    assert pq.read_table(rejects).column("row").to_pylist() == rejected_rows(table, expected).column("row").to_pylist()
