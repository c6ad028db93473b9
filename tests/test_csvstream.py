"""The paced CSV stream: Arrow's batches, unchanged, with the read-ahead held to a few blocks."""

from __future__ import annotations

import time
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from justice_schema.csvstream import CsvStream

cells = st.text(alphabet=st.sampled_from(["a", "b", "1", ",", '"', "\n", " ", "é"]), max_size=12)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(cells, cells), min_size=1, max_size=60), block=st.sampled_from([64, 256, 1 << 20]))
def test_batches_are_arrows_own(tmp_path: Path, rows: list[tuple[str, str]], block: int) -> None:
    path = tmp_path / "in.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("x,y\n")
        for x, y in rows:
            out.write(",".join('"' + v.replace('"', '""') + '"' for v in (x, y)) + "\n")
    options = {"read_options": pacsv.ReadOptions(block_size=block),
               "parse_options": pacsv.ParseOptions(newlines_in_values=True)}
    try:
        expected = pa.Table.from_batches(list(pacsv.open_csv(path, **options)))
    except pa.ArrowInvalid:  # a record longer than the block: Arrow refuses it, and so must we
        with pytest.raises(pa.ArrowInvalid), CsvStream(path, **options) as stream:
            list(stream)
        return
    with CsvStream(path, **options) as stream:
        got = pa.Table.from_batches(list(stream), schema=stream.schema)
    assert got.equals(expected)


def test_the_reader_stays_a_few_blocks_ahead_of_a_slow_consumer(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    line = "0123456789," * 9 + "x\n"  # 100 bytes
    path.write_text("h" + ",h" * 9 + "\n" + line * 20_000)  # about 2 MB: 30 blocks of 64 KiB
    block = 64 << 10
    read = pacsv.ReadOptions(block_size=block, column_names=[f"c{i}" for i in range(10)], skip_rows=1)
    stream = CsvStream(path, read_options=read, ahead_blocks=3)
    furthest = 0
    with stream:
        for _ in stream:
            time.sleep(0.01)  # Arrow's own read-ahead would have read the whole file by now
            furthest = max(furthest, stream._paced._read - stream._paced._taken)
    assert furthest <= 5 * block  # the window (3 blocks) and the block being read


def test_closing_early_releases_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("a\n" + "1\n" * 200_000)
    stream = CsvStream(path, read_options=pacsv.ReadOptions(block_size=4096), ahead_blocks=2)
    with stream:
        next(iter(stream))
    assert stream._paced.closed
