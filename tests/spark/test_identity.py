"""Identity matching on Spark gives match_persons' people, links and capped blocks at 1, 2 and 7 partitions."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from justice_schema.errors import InputError
from justice_schema.identity import load_rules, match_persons
from justice_schema.identity.cluster import components
from justice_schema.identity.synthetic import generate_people
from justice_schema.spark.components import connected_components
from justice_schema.spark.identity import match_persons_spark


def _people(rows: int, seed: int) -> pa.Table:
    """Generated people, plus exact copies of some records under new ids (identical groups)."""
    table, _ = generate_people(rows, seed=seed)
    copies = table.take(pa.array(np.arange(0, rows, max(1, rows // 8))))
    ids = pc.binary_join_element_wise(copies.column("id"), pa.scalar("copy"), "-")
    copies = copies.set_column(0, "id", ids)
    return pa.concat_tables([table, copies])


def _sorted(table: pa.Table, keys: list[str]) -> pa.Table:
    return table.sort_by([(k, "ascending") for k in keys])


@pytest.mark.parametrize(("partitions", "seed"), [(1, 11), (2, 12), (7, 13)])
def test_same_people_links_and_capped_blocks(spark: Any, partitions: int, seed: int) -> None:
    table = _people(240, seed)
    rules = load_rules(None)
    # a small cap, so that common names and birth dates are capped and the sorted window is exercised
    rules = attrs.evolve(rules, limits=attrs.evolve(rules.limits, max_block_size=5))
    single = match_persons(table, rules=rules)
    assert single.identical is not None and single.capped_blocks  # both paths are exercised
    result = match_persons_spark(spark.createDataFrame(table).repartition(partitions), rules=rules)

    got = _sorted(result.assignments.toArrow(), ["id"])
    want = _sorted(single.assignments().select(["id", "person_uid"]), ["id"])
    assert got.column("id").equals(want.column("id"))
    assert got.column("person_uid").equals(want.column("person_uid"))
    columns = ["id_a", "id_b", "rule", "strength", "status"]
    want_links = _sorted(single.links_table(scores=False).select(columns), ["id_a", "id_b"])
    got_links = _sorted(result.links.toArrow().select(columns), ["id_a", "id_b"])
    assert got_links.cast(want_links.schema).equals(want_links)
    assert result.capped_blocks == single.capped_blocks
    want_issues = sorted((i.record_id, i.code, i.severity, i.field, i.value, i.message) for i in single.issues)
    got_issues = sorted(tuple(r) for r in result.issues.collect())
    assert got_issues == want_issues


@settings(max_examples=3, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=40))
def test_components_are_the_single_machine_components(spark: Any, edges: list[tuple[int, int]]) -> None:
    names = [f"n{i:02d}" for i in range(31)]  # zero-padded: text order is number order
    frame = spark.createDataFrame([(names[a], names[b]) for a, b in edges], "a string, b string")
    got = {row["node"]: row["component"] for row in connected_components(frame).collect()}
    a, b = np.array([e[0] for e in edges]), np.array([e[1] for e in edges])
    labels = components(31, a, b)
    touched = {x for e in edges for x in e if e[0] != e[1]}
    assert got == {names[i]: names[int(labels[i])] for i in sorted(touched)}


def test_repeated_and_missing_ids_are_input_errors(spark: Any) -> None:
    frame = spark.createDataFrame([("a", "SMITH"), (" a", "JONES")], "id string, family_name string")
    with pytest.raises(InputError, match="'a' is repeated"):
        match_persons_spark(frame)
    with pytest.raises(InputError, match="missing required column: id"):
        match_persons_spark(spark.createDataFrame([("SMITH",)], "family_name string"))
    with pytest.raises(InputError, match="id is empty"):
        match_persons_spark(spark.createDataFrame([("",)], "id string"))
