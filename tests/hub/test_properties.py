"""Invariants of the hub's pieces, as hypothesis properties (no database needed)."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from justice_schema.hub.completeness import completeness_table
from justice_schema.hub.pipeline import _changes

ids = st.lists(st.integers(0, 30), min_size=1, max_size=30, unique=True)


def _table(pairs: dict[int, int]) -> pa.Table:
    return pa.table({"id": [f"r{k}" for k in pairs], "person_uid": [f"P{v}" for v in pairs.values()]})


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_merges_and_splits_are_exactly_the_changed_groupings(data: st.DataObject) -> None:
    records = data.draw(ids)
    old = {r: data.draw(st.integers(0, 5)) for r in records}
    new = {r: data.draw(st.integers(0, 5)) for r in records}
    found = _changes(_table(old), _table(new)).to_pylist()
    merges = {row["person_uid"] for row in found if row["kind"] == "merge"}
    splits = {row["person_uid"] for row in found if row["kind"] == "split"}
    assert merges == {f"P{n}" for n in set(new.values()) if len({old[r] for r in records if new[r] == n}) > 1}
    assert splits == {f"P{o}" for o in set(old.values()) if len({new[r] for r in records if old[r] == o}) > 1}
    # a renaming of the same groups is neither
    renamed = {r: old[r] + 100 for r in records}
    assert _changes(_table(old), _table(renamed)).num_rows == 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), st.one_of(st.none(), st.integers(0, 40)),
                          st.sampled_from(["CONVICTED", "DISMISSED", None])), min_size=1, max_size=25))
def test_completeness_counts_reconcile(rows: list[tuple[str, int | None, str | None]]) -> None:
    from justice_schema.arrow import arrow_schema

    schema = arrow_schema("disposition")
    n = len(rows)
    columns = {f.name: pa.nulls(n, f.type) for f in schema}
    columns["disposition_type"] = pa.array([r[2] for r in rows], schema.field("disposition_type").type)
    columns["court_name"] = pa.array([None if r[1] is None else str(r[1]) for r in rows], pa.string())
    table = pa.table(columns, schema=schema)
    table = table.append_column("hub_export", pa.array([r[0] for r in rows])).append_column(
        "hub_agency", pa.array([r[0].upper() for r in rows]))
    sources = pa.table({"translator": ["t"], "entity": ["disposition"], "field": ["court_name"]})
    out = completeness_table({"disposition": table}, sources, {"a": "t", "b": "u"}).to_pylist()
    for row in out:
        assert row["filled"] + row["blank"] == row["applicable"] <= row["records"]
        assert row["collected"] == (row["field"] == "court_name" and row["hub_export"] == "a")
    for export in {r[0] for r in rows}:
        mine = [r for r in rows if r[0] == export]
        sentence = next(r for r in out if r["hub_export"] == export and r["field"] == "sentence")
        assert sentence["applicable"] == sum(r[2] == "CONVICTED" for r in mine)
        court = next(r for r in out if r["hub_export"] == export and r["field"] == "court_name")
        assert court["filled"] == sum(r[1] is not None for r in mine)
