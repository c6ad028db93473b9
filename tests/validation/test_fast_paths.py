"""The columnar engine's shortcuts give exactly the verdict of the slow path they skip."""

from __future__ import annotations

import re

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from justice_schema.validation.columnar import DuplicateTracker, _pattern_match
from justice_schema.validation.constraints import re2_pattern

ID_TEXT = st.text(alphabet="ab-9 \n\t\u00a0é", max_size=5)


def naive_duplicates(batches: list[list[str | None]]) -> list[bool]:
    seen: set[str] = set()
    out = []
    for batch in batches:
        for value in batch:
            out.append(value is not None and value in seen)
            if value is not None:
                seen.add(value)
    return out


@given(st.lists(st.lists(st.one_of(st.none(), st.text(alphabet="abc", max_size=3)), max_size=8), max_size=6),
       st.booleans())
def test_duplicate_tracker_matches_a_set(batches: list[list[str | None]], sort: bool) -> None:
    """Sorted batches (the no-hash path), overlapping and disjoint id ranges: same flags as a plain set."""
    if sort:
        batches = [sorted({v for v in b if v is not None}) for b in batches]
    tracker = DuplicateTracker()
    flags: list[bool] = []
    for batch in batches:
        flags.extend(tracker.duplicates(pa.array(batch, pa.string())).to_pylist())
    assert flags == naive_duplicates(batches)


def test_duplicate_tracker_skips_runs_outside_the_range() -> None:
    tracker = DuplicateTracker()
    assert tracker.duplicates(pa.array(["a-1", "a-2"])).to_pylist() == [False, False]
    assert tracker.duplicates(pa.array(["b-1", "b-2"])).to_pylist() == [False, False]
    assert tracker.duplicates(pa.array(["a-0", "a-2", "c"])).to_pylist() == [False, True, False]
    assert tracker.seen_count == 7


@given(st.lists(st.one_of(st.none(), ID_TEXT), min_size=0, max_size=40))
def test_trimmed_text_pattern_matches_python_re(values: list[str | None]) -> None:
    raw = r"^\S(.*\S)?$"
    got = _pattern_match(pa.array(values, pa.string()), re2_pattern(raw), raw, False).to_pylist()
    assert got == [None if v is None else re.search(raw, v) is not None for v in values]


@given(st.lists(st.sampled_from(["UT0180000", "ut0180000", "UT018000\n", "UT0180000\n", "UT01800é0", None]),
                min_size=1100, max_size=1300))
def test_fixed_width_pattern_on_distinct_values(values: list[str | None]) -> None:
    raw = r"^[A-Z]{2}[A-Z0-9]{7}$"
    got = _pattern_match(pa.array(values, pa.string()), re2_pattern(raw), raw, True).to_pylist()
    assert got == [None if v is None else re.search(raw, v) is not None for v in values]
