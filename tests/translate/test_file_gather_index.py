"""The file-gather index: a batch of parents finds exactly the children a pass over every child row would."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given, settings
from hypothesis import strategies as st

from justice_schema.translation.file_gathers import LoadedGather
from justice_schema.translation.gather import GatherPlan, key_of

KEY = st.one_of(st.none(), st.sampled_from(["", " ", "a", "b", "a1", "é", "b "]))


@given(st.lists(st.tuples(KEY, KEY, st.booleans()), max_size=30),
       st.lists(st.lists(st.tuples(KEY, KEY), max_size=6), min_size=1, max_size=4))
@settings(max_examples=60, deadline=None)
def test_candidates_are_the_readable_children_with_a_parent_key(children: list[tuple[str | None, str | None, bool]],
                                                                 batches: list[list[tuple[str | None, str | None]]]
                                                                 ) -> None:
    plan = GatherPlan(name="w", into="default", on=("p1", "p2"), keys=("c1", "c2"), max=2)
    table = pa.table({"c1": pa.array([c[0] for c in children], pa.string()),
                      "c2": pa.array([c[1] for c in children], pa.string())})
    readable = pa.array([c[2] for c in children], pa.bool_())
    gather = LoadedGather(plan, table, ("c1", "c2"), readable, pa.nulls(len(children), pa.string()),
                          pa.nulls(len(children), pa.string()))
    child_keys = key_of(table, plan.keys).to_pylist()
    for batch in batches:  # the index is built on the first batch and reused
        parents = pa.table({"p1": pa.array([b[0] for b in batch], pa.string()),
                            "p2": pa.array([b[1] for b in batch], pa.string())})
        parent_keys = key_of(parents, plan.on)
        wanted = set(pc.drop_null(parent_keys).to_pylist())
        expected = [i for i, (key, ok) in enumerate(zip(child_keys, readable.to_pylist())) if ok and key in wanted]
        assert gather.candidates(parent_keys).tolist() == expected


def test_a_hash_collision_never_attaches_a_child(monkeypatch) -> None:
    from justice_schema.translation import file_gathers

    monkeypatch.setattr(file_gathers, "text_hashes", lambda values: np.zeros(len(values), np.uint64))
    plan = GatherPlan(name="w", into="default", on=("p",), keys=("c",), max=2)
    table = pa.table({"c": ["x", "y", "x"]})
    gather = LoadedGather(plan, table, ("c",), pa.array([True] * 3), pa.nulls(3, pa.string()), pa.nulls(3, pa.string()))
    assert gather.candidates(pa.array(["x"])).tolist() == [0, 2]
