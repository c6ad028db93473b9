"""justice_schema.io.readers: one reader for stored canonical files."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from justice_schema import parse, to_table
from justice_schema.errors import InputError
from justice_schema.flat import flatten
from justice_schema.io import infer_entity, open_table, read_canonical
from justice_schema.io.readers import iter_json_records
from tests.bad_input.samples import corrupt_parquet, person, person_lines, person_parquet


def test_parquet_jsonl_and_flat_csv_read_to_the_same_canonical_table(tmp_path):
    canonical = to_table([parse(person(i)) for i in range(1, 4)])
    pq.write_table(canonical, tmp_path / "p.parquet")
    (tmp_path / "p.jsonl").write_text(person_lines(3))
    flat = flatten(canonical, "person")
    import pyarrow.csv as pacsv

    pacsv.write_csv(flat, tmp_path / "p.csv")
    for name in ("p.parquet", "p.jsonl", "p.csv"):
        table = read_canonical(tmp_path / name, "person")
        assert table.column("id").to_pylist() == ["p-1", "p-2", "p-3"], name
        assert table.select(["id", "given_name", "family_name"]).equals(
            canonical.select(["id", "given_name", "family_name"])), name


def test_keep_flat_returns_the_csv_as_text(tmp_path):
    (tmp_path / "p.csv").write_text("id,date_of_birth\n1,not a date\n")
    table = read_canonical(tmp_path / "p.csv", "person", keep_flat=True)
    assert table.to_pylist() == [{"id": "1", "date_of_birth": "not a date"}]


def test_corrupt_page_is_an_input_error_naming_the_file(tmp_path):
    path = corrupt_parquet(person_parquet(tmp_path / "people.parquet"))
    with pytest.raises(InputError, match="people.parquet: cannot read the Parquet file"):
        read_canonical(path)
    source = open_table(path)
    assert source.schema.names[0] == "entity_type"  # the footer reads; the pages do not
    with pytest.raises(InputError, match="corrupt"):
        list(source.batches())


def test_json_records_report_bad_lines_and_go_on(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text('{"a": 1}\n\n[[[[\n' + "[" * 500 + "]" * 500 + '\n{"b": 2}\n')
    records = list(iter_json_records(path))
    assert [r.line for r in records] == [1, 3, 4, 5]
    assert records[0].value == {"a": 1} and records[3].value == {"b": 2}
    assert "not valid JSON" in records[1].problem and "nested too deeply" in records[2].problem


def test_infer_entity(tmp_path):
    person_parquet(tmp_path / "p.parquet", n=2)
    assert infer_entity(tmp_path / "p.parquet") == ("person", "1.1")
    (tmp_path / "p.jsonl").write_text(json.dumps(person(1, schema_version="1.0")) + "\n")
    assert infer_entity(tmp_path / "p.jsonl") == ("person", "1.0")
    (tmp_path / "p.csv").write_text("entity_type,schema_version,id\nperson,1.0,x\n")
    assert infer_entity(tmp_path / "p.csv") == ("person", "1.0")
    (tmp_path / "q.csv").write_text("id\nx\n")
    assert infer_entity(tmp_path / "q.csv") == (None, None)
    pq.write_table(to_table([parse(person(1))]).replace_schema_metadata(None), tmp_path / "bare.parquet")
    assert infer_entity(tmp_path / "bare.parquet") == ("person", "1.1")


def test_unknown_file_type(tmp_path):
    (tmp_path / "p.xlsx").write_text("x")
    with pytest.raises(InputError, match="unknown file type"):
        read_canonical(tmp_path / "p.xlsx")
