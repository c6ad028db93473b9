"""Gathering child rows into parent rows: checked against a plain-Python reference."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from justice_schema.translation import SpecError
from justice_schema.translation.gather import GatherPlan, distinct_rows, gather_children, group_keys
from tests.translate.helpers import run

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


GROUPED = """
[[gather]]
name = "off"
record_type = "default"
into = "default"
attach = "group"
on = ["INC"]
distinct = ["CODE"]
max = 2

[[entity]]
type = "incident"
id = { id = ["INC"], prefix = "i" }
[entity.fields]
incident_number = "INC"
incident_date = { date = "DATE", formats = ["%Y-%m-%d"] }
[entity.fields.offenses]
repeat = { from = 1, to = 2 }
present = ["off.{n}.CODE"]
entry = { ucr_offense_code = "off.{n}.CODE" }
"""


def test_a_group_gather_makes_one_record_per_key_from_all_its_rows(tmp_path: Path) -> None:
    rows = ("INC,DATE,CODE\nI1,2024-01-02,13A\nI1,2024-01-02,13B\nI2,2024-01-03,23F\nI1,2024-01-02,13A\n"
            "I1,2024-01-02,23F\n")
    result = run(tmp_path, GROUPED, {"in.csv": rows})
    incidents = {r["incident_number"]: [o["ucr_offense_code"] for o in r["offenses"]]
                 for r in result.tables["incident"].to_pylist()}
    # The repeated 13A is not gathered twice; the third distinct offense of I1 is over max and rejected.
    assert incidents == {"I1": ["13A", "13B"], "I2": ["23F"]}
    counts = result.reconciliation.record_types["default"]
    assert (counts.rows_in, counts.translated, counts.rejected) == (5, 4, 1)
    assert result.reconciliation.balanced
    [reject] = result.rejects.to_pylist()
    assert "more than 2 'off' records" in reject["reasons"][0]
    assert sum(v for k, v in result.reconciliation.warnings.items() if "repeats its group's CODE" in k) == 1


def test_a_group_row_follows_its_first_row_when_that_is_rejected(tmp_path: Path) -> None:
    rows = "INC,DATE,CODE\nI1,not a date,13A\nI1,2024-01-02,13B\n"
    result = run(tmp_path, GROUPED, {"in.csv": rows})
    assert "incident" not in result.tables or result.tables["incident"].num_rows == 0
    assert result.reconciliation.record_types["default"].rejected == 2
    assert any("its parent record was rejected" in r for row in result.rejects.to_pylist() for r in row["reasons"])


@pytest.mark.parametrize(("change", "message"), [
    ('attach = "group"', "cannot be gathered into itself"),
    ('into = "default"', "give record_type and into the same"),
])
def test_a_group_gather_is_checked_when_the_spec_is_compiled(tmp_path: Path, change: str, message: str) -> None:
    body = GROUPED.replace(change, "into = \"other\"" if change.startswith("into") else "")
    with pytest.raises(SpecError, match=message):
        run(tmp_path, body, {"in.csv": "INC,DATE,CODE\n"})


@given(st.lists(st.tuples(st.sampled_from(["a", "b", ""]), st.sampled_from(["x", "y", None])), max_size=12))
def test_distinct_rows_keeps_the_first_filled_value_of_each_group(rows: list[tuple[str, str | None]]) -> None:
    table = pa.table({"g": pa.array([g for g, _ in rows], pa.string()), "v": pa.array([v for _, v in rows])})
    groups = group_keys(table, ["g"])
    mask, repeated = distinct_rows(table, groups, ["v"])
    seen: set[tuple[str, str]] = set()
    want = []
    for i, (g, v) in enumerate(rows):
        key = (g or f"own{i}", v)
        want.append(v is not None and key not in seen)
        if v is not None:
            seen.add(key)
    assert mask.to_pylist() == want
    assert repeated == sum(1 for (g, v), w in zip(rows, want) if v is not None and not w)
