"""The columnar engine's shortcuts give exactly the verdict of the slow path they skip."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from justice_schema.validation.constraints import re2_pattern
from justice_schema.validation.duplicates import DuplicateTracker
from justice_schema.validation.expr import ArrowScope, Cmp, DateOf, F, In, IsNull, IsSet, Lit, PyScope
from justice_schema.validation.patterns import (
    byte_length_bounds,
    class_run,
    relax_counted_repeat,
    surely_all_match,
)
from justice_schema.validation.patterns import pattern_match as _pattern_match

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


@pytest.mark.parametrize("mode", ["hash", "collide"])
@given(st.lists(st.lists(st.one_of(st.none(), st.text(alphabet="abcé", max_size=4)), max_size=8), max_size=8))
def test_duplicate_tracker_by_hash_matches_a_set(mode: str, batches: list[list[str | None]]) -> None:
    """With the hash index on from the first overlap, and with a hash that collides all the time
    (every text of one length alike): still exactly the flags of a plain set, as texts are compared."""
    import numpy as np

    from justice_schema.validation import duplicates

    original_after, original_hashes = duplicates._HASH_AFTER, duplicates.text_hashes
    duplicates._HASH_AFTER = 0
    if mode == "collide":
        duplicates.text_hashes = lambda values: np.asarray(  # type: ignore[assignment]
            pc.binary_length(values).to_numpy(zero_copy_only=False), np.uint64)
    try:
        tracker = DuplicateTracker()
        flags: list[bool] = []
        for batch in batches:
            flags.extend(tracker.duplicates(pa.array(batch, pa.string())).to_pylist())
    finally:
        duplicates._HASH_AFTER, duplicates.text_hashes = original_after, original_hashes
    assert flags == naive_duplicates(batches)
    assert tracker.seen_count == len({v for b in batches for v in b if v is not None})


@given(st.lists(st.text(alphabet="ab\x00é", max_size=6), min_size=1, max_size=30), st.integers(0, 3))
def test_text_hashes_depend_on_the_text_only(values: list[str], cut: int) -> None:
    """Equal texts hash alike, whatever their place, the array's offset or their neighbours' lengths."""
    from justice_schema.validation.duplicates import text_hashes

    plain = text_hashes(pa.array(values))
    sliced = text_hashes(pa.array(["zzz"] * cut + values).slice(cut))
    assert plain.tolist() == sliced.tolist()
    by_text: dict[str, int] = {}
    for value, h in zip(values, plain.tolist()):
        assert by_text.setdefault(value, h) == h
    one_width = [v.ljust(6, "a")[:6] for v in values]  # all of one byte length only when ASCII
    assert text_hashes(pa.array(one_width)).tolist() == [text_hashes(pa.array([v])).tolist()[0] for v in one_width]


def test_duplicate_tracker_skips_runs_outside_the_range() -> None:
    tracker = DuplicateTracker()
    assert tracker.duplicates(pa.array(["a-1", "a-2"])).to_pylist() == [False, False]
    assert tracker.duplicates(pa.array(["b-1", "b-2"])).to_pylist() == [False, False]
    assert tracker.duplicates(pa.array(["a-0", "a-2", "c"])).to_pylist() == [False, True, False]
    assert tracker.seen_count == 6  # a-2 came back: remembered once


@pytest.mark.parametrize("seed", [1, 2])
def test_duplicate_tracker_at_scale_in_random_order(seed: int) -> None:
    """Thousands of shuffled ids, repeats planted within and across batches, batches of uneven sizes: the
    hash index is built from the first overlap (reusing the hashes of the runs before it), its segments
    merge many times, and the flags are still exactly a plain set's."""
    import random

    rng = random.Random(seed)
    ids = [f"nibrs-arrest:XX{rng.randrange(10**7):07d}:{k}" for k in range(20_000)]
    ids += [rng.choice(ids) for _ in range(600)] + [None] * 50
    rng.shuffle(ids)
    batches, at = [], 0
    while at < len(ids):
        size = rng.choice([1, 7, 500, 1_500, 4_096])
        batches.append(ids[at: at + size])
        at += size
    tracker = DuplicateTracker()
    flags: list[bool] = []
    for batch in batches:
        flags.extend(tracker.duplicates(pa.array(batch, pa.string())).to_pylist())
    assert tracker.hashed
    assert flags == naive_duplicates(batches)
    assert tracker.seen_count == len({v for v in ids if v is not None})


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


_SPACES = [" ", "\t", "\n", "\r", "\f", "\v", "\u00a0", "\u2003", "\x1c", "\x85"]
_FREE_TEXT = st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from(["a", "Z", "0", ":", "-", "é", *_SPACES]),
                                                   max_size=6)), max_size=40)


@given(values=_FREE_TEXT, start=st.integers(0, 3))
def test_free_text_pattern_agrees_with_python_re_on_every_kind_of_space(values: list[str | None], start: int) -> None:
    """Python's ``\\s`` (as pydantic runs it) holds Unicode spaces that RE2's does not: the verdict is Python's,
    on slices too (a slice carries its neighbours' bytes in its data buffer)."""
    raw = r"^\S(.*\S)?$"
    array = pa.array(values, pa.string())
    for part, kept in ((array, values), (array.slice(min(start, len(values))), values[start:])):
        got = _pattern_match(part, re2_pattern(raw), raw, False).to_pylist()
        assert got == [None if v is None else re.search(raw, v) is not None for v in kept]


def _schema_patterns() -> list[str]:
    from justice_schema.registry import SCHEMA_VERSIONS, entity_types
    from justice_schema.validation.constraints import field_specs

    return sorted({s.pattern for v in SCHEMA_VERSIONS for e in entity_types(v) for s in field_specs(e, v) if s.pattern})


_CODE_LIKE = st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from(
    ["A", "Z", "u", "0", "9", "-", ".", "_", ":", " ", "é", "\n", "T", "+", "\u0663"]), max_size=12)), max_size=30)


@given(data=st.data(), pattern=st.sampled_from(_schema_patterns()), start=st.integers(0, 3), repeats=st.booleans())
def test_every_schema_pattern_check_agrees_with_python_re(data: st.DataObject, pattern: str, start: int,
                                                         repeats: bool) -> None:
    """Every pattern of every entity, near-misses included, judged as pydantic judges it."""
    fitting = st.from_regex(pattern, fullmatch=True, alphabet=st.characters(codec="ascii")).filter(
        lambda t: "\n" not in t)
    near = st.one_of(fitting, fitting.map(lambda t: t[:-1]), fitting.map(lambda t: t + t[-1:]),
                     fitting.map(lambda t: t[1:]), fitting.map(lambda t: t[::-1]), fitting.map(lambda t: t + "\n"))
    other = _CODE_LIKE.map(lambda v: v[0] if v else None)
    values = data.draw(st.one_of(st.lists(near, max_size=30), st.lists(st.one_of(near, other), max_size=30)))
    array = pa.array(values, pa.string())
    for part, kept in ((array, values), (array.slice(min(start, len(values))), values[start:])):
        got = _pattern_match(part, re2_pattern(pattern), pattern, repeats).to_pylist()
        assert got == [None if v is None else re.search(pattern, v) is not None for v in kept]


@given(values=st.lists(st.one_of(st.none(), st.text(alphabet="a\x00\x1f\t\n\r é", max_size=4)), max_size=30),
       cut=st.integers(0, 3), tail=st.integers(0, 3))
def test_control_character_scan_agrees_with_the_regex(values: list[str | None], cut: int, tail: int) -> None:
    """The byte scan looks at the values' own bytes only: neighbours outside a slice and text under
    nulls never flag a value, and every control character is found."""
    from justice_schema.validation.columnar import _control_characters
    from justice_schema.validation.constraints import CONTROL_CHARACTERS

    array = pa.array(["\x00"] * cut + values + ["\x01"] * tail, pa.string()).slice(cut, len(values))
    got = pc.fill_null(_control_characters(array), False).to_pylist()
    assert got == [v is not None and re.search(CONTROL_CHARACTERS, v) is not None for v in values]


CLASS_RUN_PATTERNS = [
    (r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$", 128),
    (r"^[A-Z0-9][A-Z0-9-]{0,24}$", 25),
    (r"^[A-Z0-9][A-Z0-9 -]{1,10}$", 11),
    (r"^[A-Z0-9]{1,9}$", 9),
]
CLASS_RUN_TEXT = st.one_of(
    st.text(alphabet="aA9._:- \n\té\u0663", max_size=14),
    st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._:-]{0,12}\Z"),
    st.from_regex(r"\A[A-Z0-9]{1,12}\n?\Z"),
    st.sampled_from(["a" * 127, "a" * 128, "a" * 129, "a" * 128 + "\n", "A" * 25, "A" * 26, "A" * 9 + "\n"]),
)


@pytest.mark.parametrize(("raw", "max_length"), CLASS_RUN_PATTERNS)
@given(values=st.lists(st.one_of(st.none(), CLASS_RUN_TEXT), max_size=30), cut=st.integers(0, 3),
       relax=st.booleans())
def test_class_run_patterns_match_python_re(raw: str, max_length: int, values: list[str | None], cut: int,
                                            relax: bool) -> None:
    """The whole-buffer character-class shortcut gives Python ``re``'s verdict, on sliced arrays too.

    With ``relax`` the engine's form is used (``{0,k}`` → ``*``, exact once the
    length limit has been checked): compared only on values within the limit.
    """
    pattern = re2_pattern(relax_counted_repeat(raw, max_length) if relax else raw)
    array = pa.array(["zz"] * cut + values, pa.string()).slice(cut)  # a slice: offsets not starting at 0
    got = _pattern_match(array, pattern, raw, False).to_pylist()
    want = [None if v is None else re.search(raw, v) is not None for v in values]
    if relax:
        keep = [v is None or len(v) <= max_length for v in values]
        got = [g for g, k in zip(got, keep) if k]
        want = [w for w, k in zip(want, keep) if k]
    assert got == want


def test_class_run_shortcut_is_taken_on_clean_ids() -> None:
    raw = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"
    run = class_run(raw)
    assert run is not None
    clean = pa.array(["a-1", None, "B:2.x_y"])
    assert surely_all_match(clean, run, byte_length_bounds(clean))
    for bad in (["a-1", "b\n"], [".a"], ["aé"], ["a" * 129], [""]):
        array = pa.array(bad)
        assert not surely_all_match(array, run, byte_length_bounds(array))


DAY = date(2024, 3, 10)
NEAR_MIDNIGHT = st.one_of(
    st.sampled_from([datetime.combine(DAY + timedelta(days=d), time(0), UTC) + timedelta(microseconds=us)
                     for d in (-1, 0, 1, 2) for us in (-1, 0, 1)]),
    st.datetimes(min_value=datetime(2024, 3, 8), max_value=datetime(2024, 3, 13), timezones=st.just(UTC)),
)


@pytest.mark.parametrize("op", ["<", "<=", ">", ">=", "==", "!="])
@given(values=st.lists(st.one_of(st.none(), NEAR_MIDNIGHT), max_size=20),
       day=st.one_of(st.just(DAY), st.just(date.max), st.just(date(1900, 1, 1))))
def test_date_of_an_instant_against_a_day(op: str, values: list[datetime | None], day: date) -> None:
    """``date(instant) op day`` compares instants with a midnight instead of casting: same verdict as Python."""
    array = pa.array(values, pa.timestamp("us", tz="UTC"))
    batch = pa.RecordBatch.from_arrays([array], names=["t"])
    condition = Cmp(op, DateOf(F("t")), Lit(day))
    got = condition.arrow(ArrowScope(batch, DAY)).to_pylist()
    want = [condition.py(PyScope({"t": v}, {"t": v}, DAY)) for v in values]
    assert got == want


@given(values=st.lists(st.one_of(st.none(), st.sampled_from(["U", "R", "N"])), max_size=20),
       null_entry=st.booleans())
def test_in_on_a_dictionary_column(values: list[str | None], null_entry: bool) -> None:
    """``In`` judges a dictionary-encoded column on its dictionary: same verdict as on plain values."""
    plain = pa.array(values, pa.string())
    encoded = pc.dictionary_encode(plain)
    if null_entry:  # a dictionary with a null entry, that some rows point at
        dictionary = pa.concat_arrays([encoded.dictionary, pa.array([None], pa.string())])
        indices = pc.if_else(pc.is_null(encoded.indices), pa.scalar(len(dictionary) - 1, pa.int32()),
                             encoded.indices)
        encoded = pa.DictionaryArray.from_arrays(indices, dictionary)
    scope = ArrowScope(pa.RecordBatch.from_arrays([encoded], names=["s"]), DAY)
    assert In(F("s"), {"U"}).arrow(scope).to_pylist() == [None if v is None else v == "U" for v in values]
    # presence tests read the encoded column unless a dictionary entry is null
    assert IsSet(F("s")).arrow(scope).to_pylist() == [v is not None for v in values]
    assert IsNull(F("s")).arrow(scope).to_pylist() == [v is None for v in values]


@given(st.lists(st.lists(st.sampled_from(["p-1", "p-2", "p-3", "p 4", "p-5"]), max_size=6), min_size=1, max_size=5))
def test_duplicate_mask_taken_first_gives_the_same_issues(batches: list[list[str]]) -> None:
    """``duplicate_ids`` called before ``validate_batch`` (as ``validate_file`` does in its reading thread)
    gives the issues and rejects of the ids checked inside ``validate_batch``."""
    from justice_schema.arrow import arrow_schema
    from justice_schema.validation.columnar import ColumnarValidator

    schema = arrow_schema("person", "1.0")
    empty = {name: None for name in schema.names} | {"aliases": [], "other_identifiers": []}
    source = {"agency_ori": "UT0180000", "system": "s", "record_key": "1", "extracted_at": None}

    def table(ids: list[str]) -> pa.Table:
        rows = [empty | {"entity_type": "person", "schema_version": "1.0", "id": i, "source": source} for i in ids]
        return pa.Table.from_pylist(rows, schema=schema)

    inside, first = ColumnarValidator("person", "1.0"), ColumnarValidator("person", "1.0")
    offset = 0
    seen: set[str] = set()
    for ids in batches:
        a = inside.validate_batch(table(ids), offset)
        b = first.validate_batch(table(ids), offset, duplicates=first.duplicate_ids(table(ids)))
        assert a.issues.equals(b.issues) and a.error_rows.equals(b.error_rows)
        repeats = 0
        for value in ids:
            repeats += value in seen
            seen.add(value)
        assert a.issues.filter(pc.equal(a.issues.column("code"), "JS-X01")).num_rows == repeats
        offset += len(ids)
