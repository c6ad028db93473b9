"""Identity matching on Spark gives match_persons' people (with each record's rule), links and capped blocks at
1, 2 and 7 partitions."""

from __future__ import annotations

import functools
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from justice_schema.errors import InputError
from justice_schema.identity import RuleSet, load_rules, match_persons
from justice_schema.identity.cluster import components
from justice_schema.identity.synthetic import generate_people
from justice_schema.spark.components import connected_components
from justice_schema.spark.identity import match_persons_spark
from tests.spark.partitions import each_partition_count

pytestmark = pytest.mark.xdist_group("spark")


def _people(rows: int, seed: int) -> pa.Table:
    """Generated people, plus exact copies of some records under new ids (identical groups)."""
    table, _ = generate_people(rows, seed=seed)
    copies = table.take(pa.array(np.arange(0, rows, max(1, rows // 8))))
    ids = pc.binary_join_element_wise(copies.column("id"), pa.scalar("copy"), "-")
    copies = copies.set_column(0, "id", ids)
    return pa.concat_tables([table, copies])


def _sorted(table: pa.Table, keys: list[str]) -> pa.Table:
    return table.sort_by([(k, "ascending") for k in keys])


def _same_as_single_machine(spark: Any, table: pa.Table, rules: RuleSet, partitions: int) -> None:
    single = match_persons(table, rules=rules)
    assert single.identical is not None and single.capped_blocks  # both paths are exercised
    result = match_persons_spark(spark.createDataFrame(table).repartition(partitions), rules=rules)

    got = _sorted(result.assignments.toArrow(), ["id"])
    want = _sorted(single.assignments(), ["id"])
    assert got.column_names == want.column_names
    for column in want.column_names:  # id, person_uid and the rule that linked each record
        assert got.column(column).equals(want.column(column)), column
    assert want.column("rule").null_count < want.num_rows  # some records were linked
    columns = ["id_a", "id_b", "rule", "strength", "status"]
    want_links = _sorted(single.links_table(scores=False).select(columns), ["id_a", "id_b"])
    got_links = _sorted(result.links.toArrow().select(columns), ["id_a", "id_b"])
    assert got_links.cast(want_links.schema).equals(want_links)
    assert result.capped_blocks == single.capped_blocks
    want_issues = sorted((i.record_id, i.code, i.severity, i.field, i.value, i.message) for i in single.issues)
    got_issues = sorted(tuple(r) for r in result.issues.collect())
    assert got_issues == want_issues


@settings(max_examples=1, deadline=None)
@given(seed=st.integers(0, 2**16))
def test_same_people_links_and_capped_blocks_at_1_2_and_7_partitions(spark: Any, seed: int) -> None:
    """Generated people (with identical copies), a small block cap so that common names and birth dates
    are capped and the sorted window is exercised; the three partition counts run at once (Spark
    interleaves their jobs, so the per-job overhead is paid about once)."""
    table = _people(160, seed)
    rules = load_rules(None)
    rules = attrs.evolve(rules, limits=attrs.evolve(rules.limits, max_block_size=5))
    each_partition_count(functools.partial(_same_as_single_machine, spark, table, rules))


@settings(max_examples=1, deadline=None)
@given(st.lists(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), min_size=1, max_size=40),
                min_size=3, max_size=3))
def test_components_are_the_single_machine_components(spark: Any, graphs: list[list[tuple[int, int]]]) -> None:
    """Three generated graphs on disjoint nodes, found in one run (one run per graph costs its rounds each)."""
    names = [f"g{g}n{i:02d}" for g in range(3) for i in range(31)]  # zero-padded: text order is number order
    edges = [(31 * g + a, 31 * g + b) for g, graph in enumerate(graphs) for a, b in graph]
    frame = spark.createDataFrame([(names[a], names[b]) for a, b in edges], "a string, b string")
    got = {row["node"]: row["component"] for row in connected_components(frame).collect()}
    a, b = np.array([e[0] for e in edges]), np.array([e[1] for e in edges])
    labels = components(len(names), a, b)
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
