"""Gathering child rows into parent rows: checked against a plain-Python reference."""

from __future__ import annotations

import pyarrow as pa
from hypothesis import given
from hypothesis import strategies as st

from justice_schema.translation.gather import GatherPlan, gather_children

KEYS = st.sampled_from(["A", "B", "C", "", None])


@given(
    parent_keys=st.lists(KEYS, max_size=8),
    child_rows=st.lists(st.tuples(KEYS, st.text(alphabet="xyz", min_size=1, max_size=3)), max_size=20),
    limit=st.integers(min_value=1, max_value=4),
)
def test_gather_matches_a_per_row_reference(
    parent_keys: list[str | None], child_rows: list[tuple[str | None, str]], limit: int
) -> None:
    plan = GatherPlan(name="c", into="P", on=("k",), keys=("k",), max=limit, record_type="C")
    parents = pa.table({"k": pa.array(parent_keys, pa.string())})
    children = pa.table({"k": pa.array([k for k, _ in child_rows], pa.string()),
                         "v": pa.array([v for _, v in child_rows], pa.string())})
    out = gather_children(parents, children, plan, ["v"], "child")

    # Reference: first parent with the key owns the children, in input order, up to `limit`.
    first_parent: dict[str, int] = {}
    for i, k in enumerate(parent_keys):
        if k:
            first_parent.setdefault(k, i)
    seen: dict[str, int] = {}
    expected_parent: list[int | None] = []
    expected_problem: list[str | None] = []
    slots: dict[int, list[str]] = {}
    for k, v in child_rows:
        if not k:
            expected_parent.append(None)
            expected_problem.append("orphan")
            continue
        seen[k] = seen.get(k, 0) + 1
        if k not in first_parent:
            expected_parent.append(None)
            expected_problem.append("orphan")
        elif seen[k] > limit:
            expected_parent.append(None)
            expected_problem.append("overflow")
        else:
            expected_parent.append(first_parent[k])
            expected_problem.append(None)
            slots.setdefault(first_parent[k], []).append(v)

    assert out.child_parent.to_pylist() == expected_parent
    problems = out.child_problem.to_pylist()
    for got, want in zip(problems, expected_problem):
        if want is None:
            assert got is None
        elif want == "orphan":
            assert got is not None and got.startswith("no record of type 'P'")
        else:
            assert got is not None and got.startswith(f"more than {limit} 'c' records")
    for row in range(len(parent_keys)):
        values = slots.get(row, [])
        for k in range(1, limit + 1):
            got = out.table.column(f"c.{k}.v")[row].as_py()
            assert got == (values[k - 1] if k <= len(values) else None)
        assert out.table.column("c.count")[row].as_py() == str(len(values))
    # Every child is either attached or has a reason: nothing is lost.
    assert all((p is None) != (r is None) for p, r in zip(expected_parent, problems))
