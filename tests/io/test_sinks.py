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


def _encodings(path) -> dict[str, tuple[str, ...]]:
    meta = pq.ParquetFile(path).metadata
    group = meta.row_group(0)
    return {group.column(i).path_in_schema: group.column(i).encodings for i in range(meta.num_columns)}


def test_parquet_dictionary_only_where_values_repeat(tmp_path):
    """Ids are written plain, repeated codes (top level, in a struct, in a list) with a dictionary."""
    n = 1_000
    table = pa.table({
        "id": [f"rec-{i}" for i in range(n)],
        "code": ["A", "B", None, "C"] * (n // 4),
        "source": pa.array([{"ori": "UT0180000", "key": str(i)} for i in range(n)]),
        "items": pa.array([[{"kind": "X"}] for _ in range(n)]),
        "flag": [True, False] * (n // 2),
    })
    with TableSink(tmp_path / "out.parquet", table.schema) as sink:
        sink.write(table)
    assert pq.read_table(tmp_path / "out.parquet").equals(table)
    encodings = _encodings(tmp_path / "out.parquet")
    dictionary = {path for path, used in encodings.items() if any("DICTIONARY" in e for e in used)}
    assert dictionary == {"code", "source.ori", "items.list.element.kind"}


@given(st.lists(st.one_of(st.none(), st.text(max_size=6)), min_size=1, max_size=60),
       st.lists(st.one_of(st.none(), st.integers(-3, 3)), min_size=1, max_size=60))
def test_parquet_encoding_choice_never_changes_values(texts, numbers):
    import tempfile
    from pathlib import Path

    n = min(len(texts), len(numbers))
    table = pa.table({"t": pa.array(texts[:n], pa.string()), "n": pa.array(numbers[:n], pa.int32())})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.parquet"
        with TableSink(path, table.schema) as sink:
            sink.write(table.slice(0, n // 2))
            sink.write(table.slice(n // 2))
        assert pq.read_table(path).equals(table)
