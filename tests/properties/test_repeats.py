"""The condition language's "a value repeated in a list" test (FBI edit 206): both engines agree with a reference.

``Repeats(path)`` is true when a list holds one value twice or more (nulls left out), false for an
empty list and unknown for a missing one, on the Arrow engine (whole arrays, lists at any depth
under the scope) and the per-record engine alike.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from justice_schema.validation import expr as cond

CODES = ["A", "C", "D", "N"]
LISTS = st.one_of(st.none(), st.lists(st.one_of(st.none(), st.sampled_from(CODES)), max_size=5))


def reference(items: list[Any] | None) -> bool | None:
    if items is None:
        return None
    present = [i for i in items if i is not None]
    return any(present.count(v) > 1 for v in present)


@settings(max_examples=80, deadline=None)
@given(rows=st.lists(LISTS, min_size=1, max_size=20), dictionary=st.booleans())
def test_repeats_agrees_in_both_engines_on_a_top_level_list(rows: list[list[Any] | None], dictionary: bool) -> None:
    kind = pa.dictionary(pa.int32(), pa.string()) if dictionary else pa.string()
    batch = pa.RecordBatch.from_pylist([{"codes": r} for r in rows], schema=pa.schema([("codes", pa.list_(kind))]))
    expected = [reference(r) for r in rows]
    node = cond.Repeats("codes")
    assert node.arrow(cond.ArrowScope(batch, date.today())).to_pylist() == expected
    assert [node.py(cond.PyScope({"codes": r}, {"codes": r}, date.today())) for r in rows] == expected


@settings(max_examples=50, deadline=None)
@given(records=st.lists(st.lists(st.fixed_dictionaries({"codes": LISTS}), max_size=4), min_size=1, max_size=8))
def test_repeats_inside_a_list_of_records_agrees_with_any_of(records: list[list[dict[str, Any]]]) -> None:
    """As a rule uses it: some offense of the incident repeats a value in its list."""
    schema = pa.schema([("offenses", pa.list_(pa.struct([("codes", pa.list_(pa.string()))])))])
    batch = pa.RecordBatch.from_pylist([{"offenses": r} for r in records], schema=schema)
    node = cond.AnyOf("offenses", cond.Repeats("codes"))
    expected = [any(reference(o["codes"]) is True for o in r) for r in records]
    assert node.arrow(cond.ArrowScope(batch, date.today())).to_pylist() == expected
    assert [node.py(cond.PyScope({"offenses": r}, {"offenses": r}, date.today())) for r in records] == expected
