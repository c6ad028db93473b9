"""The shared Arrow helpers give exactly what the plain computation gives."""

from __future__ import annotations

from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given
from hypothesis import strategies as st

from justice_schema._toolkit.arrays import arange, as_text, one_array, per_unique

# few distinct values, so that runs repeat them (the case per_unique optimises)
texts = st.lists(st.one_of(st.none(), st.sampled_from(["", " a", "B", "ccc", "Ünï", "1985-12-25"])), max_size=3000)


@given(texts, st.booleans())
def test_per_unique_equals_running_the_function_on_every_row(values: list[str | None], costly: bool) -> None:
    array = pa.array(values, pa.string())
    function = lambda v: pc.utf8_length(pc.utf8_upper(v))  # noqa: E731
    assert per_unique(array, function, costly=costly).to_pylist() == function(array).to_pylist()


@given(st.lists(st.text(max_size=8), max_size=20))
def test_per_unique_on_mostly_distinct_values(extra: list[str]) -> None:
    # past 4096 rows a cheap function over mostly distinct values runs on the rows directly
    values = [f"{i}-{extra[i % len(extra)] if extra else ''}" for i in range(5000)] + extra
    array = pa.array(values, pa.string())
    assert per_unique(array, pc.utf8_reverse, costly=False).to_pylist() == [v[::-1] for v in values]


@given(st.integers(0, 300_000))
def test_arange_is_zero_to_n(n: int) -> None:
    got = arange(n)
    assert got.type == pa.int64() and len(got) == n
    if n:
        assert got[0].as_py() == 0 and got[n - 1].as_py() == n - 1
        assert pc.all(pc.equal(pc.pairwise_diff(got).slice(1), 1)).as_py() in (True, None)


def test_arange_grows_and_keeps_serving_small_requests() -> None:
    assert arange(200_000).slice(199_998).to_pylist() == [199_998, 199_999]
    assert arange(3).to_pylist() == [0, 1, 2]


@given(st.lists(st.lists(st.one_of(st.none(), st.integers(-5, 5)), max_size=4), max_size=5))
def test_one_array_joins_chunks(chunks: list[list[int | None]]) -> None:
    column = pa.chunked_array(chunks, pa.int64())
    assert one_array(column).to_pylist() == [v for chunk in chunks for v in chunk]


def test_one_array_keeps_a_single_chunk_without_copying() -> None:
    chunk = pa.array(["a", "b"])
    assert one_array(pa.chunked_array([chunk])) is not None
    assert one_array(pa.chunked_array([chunk])).buffers()[2].address == chunk.buffers()[2].address
    assert one_array(chunk) is chunk


def test_as_text_of_every_kind() -> None:
    assert as_text(pa.array(["x", None])).to_pylist() == ["x", None]
    assert as_text(pa.array(["x", None], pa.large_string())).type == pa.string()
    assert as_text(pa.array(["x", "x", None]).dictionary_encode()).to_pylist() == ["x", "x", None]
    assert as_text(pa.array([date(2024, 2, 29), None])).to_pylist() == ["2024-02-29", None]
    assert as_text(pa.nulls(2)).to_pylist() == [None, None]
    assert as_text(pa.nulls(2)).type == pa.string()
    assert as_text(pa.chunked_array([[1], [2, None]])).to_pylist() == ["1", "2", None]
    text = pa.array(["kept"])
    assert as_text(text) is text
