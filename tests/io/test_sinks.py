"""justice_schema.files.sinks: Parquet and CSV writers; CSV text neutralised against spreadsheet formulas."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from justice_schema.errors import InputError
from justice_schema.files.sinks import FORMULA_START
from justice_schema.io import TableSink, neutralise_formulas

cells = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["=1+2", "+1", "-1", "@x", "\t=x", "\r=x", "'=x"]))


@given(st.lists(cells, max_size=30))
def test_neutralised_cells_never_start_a_formula_and_lose_nothing(values):
    out = neutralise_formulas(pa.table({"a": pa.array(values, pa.string())})).column("a").to_pylist()
    assert len(out) == len(values)
    for before, after in zip(values, out, strict=True):
        if before is None:
            assert after is None
        elif before[:1] and before[0] in FORMULA_START:
            assert after == "'" + before
        else:
            assert after == before
        assert after is None or not (after[:1] and after[0] in FORMULA_START)


def test_non_text_columns_and_dictionaries():
    table = pa.table({"n": [-1, 2], "d": pa.array(["=x", "y"]).dictionary_encode(), "b": [True, False]})
    out = neutralise_formulas(table)
    assert out.column("n").to_pylist() == [-1, 2] and out.column("b").to_pylist() == [True, False]
    assert out.column("d").to_pylist() == ["'=x", "y"]


def test_csv_sink_neutralises_and_parquet_sink_keeps(tmp_path):
    table = pa.table({"id": ["=cmd()", "ok"], "n": [1, 2]})
    with TableSink(tmp_path / "a.csv", table.schema) as sink:
        sink.write(table)
    with TableSink(tmp_path / "raw.csv", table.schema, csv_raw=True) as sink:
        sink.write(table)
    with TableSink(tmp_path / "a.parquet", table.schema) as sink:
        sink.write(table)
    assert pacsv.read_csv(tmp_path / "a.csv").column("id").to_pylist() == ["'=cmd()", "ok"]
    assert pacsv.read_csv(tmp_path / "raw.csv").column("id").to_pylist() == ["=cmd()", "ok"]
    assert pq.read_table(tmp_path / "a.parquet").equals(table)
    assert sink.rows == 2


def test_a_sink_never_written_still_writes_an_empty_file(tmp_path):
    schema = pa.schema([("id", pa.string())])
    TableSink(tmp_path / "e.parquet", schema).close()
    assert pq.read_table(tmp_path / "e.parquet").schema.names == ["id"]


def test_sink_format_from_the_users_name(tmp_path):
    schema = pa.schema([("id", pa.string())])
    sink = TableSink(tmp_path / ".tmp.partial", schema, name="out.csv")
    assert sink.csv
    with pytest.raises(InputError, match="--out must end in .csv or .parquet"):
        TableSink(tmp_path / "x.xlsx", schema, option="--out")
