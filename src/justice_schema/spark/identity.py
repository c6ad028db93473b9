"""Identity matching on Spark: :func:`~justice_schema.identity.match_persons`' people, on a cluster.

The stages are the library's own, called on Arrow batches inside Spark; only the steps that
need the whole table at once are Spark operations:

1. **normalise** (``mapInArrow``): :func:`~justice_schema.identity.inputs.person_input` and
   :meth:`~justice_schema.identity.keys.PersonKeys.from_table` on each batch; one row per
   record with its normalised columns, its blocking-field values and its data issues;
2. **identical groups** (a window over the grouping columns,
   :func:`~justice_schema.identity.identical.grouping_columns`): the smallest id of each
   group is its representative; only representatives are blocked and compared;
3. **candidate pairs** (one self-join on (blocking key, value) for every key at once): the pairs of every block of at most
   ``max_block_size`` records, and, in larger blocks, each record with its
   ``max_block_size - 1`` neighbours in (family name, given name, birth date, id) order,
   exactly the sorted neighbourhood of :mod:`~justice_schema.identity.blocking`; capped blocks
   are reported as :class:`~justice_schema.identity.CappedBlock` values; each pair carries the
   set of keys that made it a candidate;
4. **scoring** (``mapInArrow`` over the pairs joined to both records):
   :func:`~justice_schema.identity.match.candidate_rules` (which rules score the pair, as
   ``find_links`` decides) and :func:`~justice_schema.identity.match.strongest_rules`, the rule
   cascade itself; members of
   identical groups are linked to their representative by
   :func:`~justice_schema.identity.match.self_link_ranks`;
5. **components** (:func:`~justice_schema.spark.components.connected_components`, large-star /
   small-star on the link DataFrame);
6. **guarded clustering** (a co-grouped ``applyInArrow`` per bucket of whole components, as many
   buckets as shuffle partitions):
   :func:`~justice_schema.identity.match.cluster` and
   :func:`~justice_schema.identity.uid.cluster_uids` on the component's records and links.
   Clusters never span components, so this gives the single-machine clusters; a component is
   held by one task, as the whole input is on one machine, and one call clusters every
   component of its bucket (one call per component cost about a millisecond each).

The ``person_uid`` of every record, the links with their rule and status and the capped blocks
are those of :func:`~justice_schema.identity.match_persons` on the same records, for any number
of partitions (``tests/spark`` proves it on generated people at 1, 2 and 7 partitions).
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.errors import InputError
from justice_schema.identity.blocking import CappedBlock
from justice_schema.identity.cluster import LINK_STATUSES
from justice_schema.identity.identical import grouping_columns
from justice_schema.identity.inputs import person_input
from justice_schema.identity.keys import PersonKeys
from justice_schema.identity.match import (
    LinkArrays,
    candidate_rules,
    cluster,
    record_ranks,
    self_link_ranks,
    strongest_rules,
)
from justice_schema.identity.rules import RuleSet, load_rules
from justice_schema.identity.uid import cluster_uids, person_uid

if TYPE_CHECKING:
    from pathlib import Path

    from pyspark.sql import DataFrame

__all__ = ["SparkMatchResult", "match_persons_spark", "blocking_keys", "normalised_schema"]

_ISSUE = pa.struct([("code", pa.string()), ("severity", pa.string()), ("field", pa.string()),
                    ("value", pa.string()), ("message", pa.string())])
#: Bits of the candidate-key mask: one per distinct blocking key of the rules.
_MAX_KEYS = 62


@functools.cache
def normalised_schema() -> pa.Schema:
    """The Arrow schema of :meth:`PersonKeys.table <justice_schema.identity.keys.PersonKeys.from_table>`."""
    return PersonKeys.from_table(pa.table({"id": ["x"]})).table.schema


def blocking_keys(rules: RuleSet) -> tuple[list[tuple[str, ...]], list[str]]:
    """The distinct blocking keys of ``rules`` in the order matching visits them, and the distinct
    field specs they use (``family_name:4``)."""
    blocks = list(dict.fromkeys(block for rule in rules.rules for block in rule.blocks))
    specs = list(dict.fromkeys(spec for block in blocks for spec in block))
    return blocks, specs


def _spec_values(keys: PersonKeys, spec: str) -> pa.Array:
    """One blocking field spec's values per record (what :meth:`PersonKeys.codes` codes)."""
    name, _, prefix = spec.partition(":")
    array = keys.column(name)
    return pc.utf8_slice_codeunits(array, 0, int(prefix)) if prefix else array


def _issue_lists(keys: PersonKeys) -> pa.Array:
    """Each record's data issues as a list (most are empty), built from offsets, no loop over rows."""
    issues = sorted(keys.issues, key=lambda issue: issue.row or 0)  # identity issues always have a row
    rows = np.asarray([(issue.row or 1) - 1 for issue in issues], dtype=np.int64)
    offsets = np.zeros(keys.n + 1, dtype=np.int32)
    offsets[1:] = np.cumsum(np.bincount(rows, minlength=keys.n))
    values = pa.array([{"code": i.code, "severity": i.severity, "field": i.field, "value": i.value,
                        "message": i.message} for i in issues], _ISSUE)
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def _normalised_output_schema(specs: list[str]) -> pa.Schema:
    norm = normalised_schema()
    fields = [pa.field("id", pa.string()), *norm, pa.field("dob_typed", pa.int32())]
    for i, spec in enumerate(specs):
        name = spec.partition(":")[0]
        column = {"given_name": "given_first", "family_name": "family_key"}.get(name, name)
        fields.append(pa.field(f"spec_{i}", norm.field(column).type))
    fields.append(pa.field("issues", pa.list_(_ISSUE)))
    return pa.schema(fields)


def _normalise(specs: list[str], batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    schema = _normalised_output_schema(specs)
    for batch in batches:
        given = person_input(pa.Table.from_batches([batch]))
        keys = PersonKeys.from_table(given.table, problems=given.problems)
        columns = [pa.array(keys.ids.tolist(), pa.string())]
        columns += [keys.table.column(f.name).combine_chunks() for f in normalised_schema()]
        columns.append(pa.array(keys.dob_typed, pa.int32()))
        columns += [_spec_values(keys, spec) for spec in specs]
        columns.append(_issue_lists(keys))
        yield pa.RecordBatch.from_arrays([c.cast(f.type) for c, f in zip(columns, schema)], schema=schema)


def _keys_of(table: pa.Table, prefix: str = "") -> PersonKeys:
    """:class:`PersonKeys` of normalised rows (as :func:`_normalise` wrote them), without normalising again."""
    norm = pa.table({f.name: table.column(prefix + f.name).cast(f.type) for f in normalised_schema()})
    ids = np.asarray(table.column(prefix + "id").to_pylist(), dtype=object)
    typed = pc.fill_null(table.column(prefix + "dob_typed"), 0).to_numpy().astype(np.int32)
    return PersonKeys(norm, ids, (), typed)


def _score(rules: RuleSet, blocks: list[tuple[str, ...]],
           batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Candidate pairs (both records' normalised rows side by side) to links: the strongest rule or none."""
    for batch in batches:
        m = batch.num_rows
        if not m:
            continue
        table = pa.Table.from_batches([batch])
        sides = pa.concat_tables([
            pa.table({name: table.column(f"{side}_{name}") for name in ["id", *normalised_schema().names, "dob_typed"]})
            for side in ("a", "b")])
        keys = _keys_of(sides)
        a, b = np.arange(m), m + np.arange(m)
        allowed = candidate_rules(keys, rules, a, b, table.column("mask").to_numpy(), blocks)
        rank = strongest_rules(keys, rules, a, b, allowed)
        linked = np.flatnonzero(rank >= 0)
        if len(linked):
            take = pa.array(linked)
            yield pa.RecordBatch.from_pydict({"a": batch.column("a_id").take(take), "b": batch.column("b_id").take(take),
                                              "rank": pa.array(rank[linked].astype(np.int32))})


def _self_ranks(rules: RuleSet, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Representatives of identical groups: the rule that links two records with their values."""
    for batch in batches:
        if not batch.num_rows:
            continue
        keys = _keys_of(pa.Table.from_batches([batch]))
        rank = self_link_ranks(keys, rules, np.arange(keys.n))
        yield pa.RecordBatch.from_pydict({"rep": batch.column("id"), "rank": pa.array(rank.astype(np.int32))})


_CLUSTER_SCHEMA = "kind int, id_a string, id_b string, rank int, status int, person_uid string"


def _cluster_buckets(spark: Any) -> int:
    """How many groups of whole components the guarded merge runs in: the shuffle partitions."""
    return max(1, int(spark.conf.get("spark.sql.shuffle.partitions") or 200))


def _cluster_components(rules: RuleSet, links: pa.Table, nodes: pa.Table) -> pa.Table:
    """Whole connected components (one or many): the guarded merge and the uids of their clusters (node
    rows, then link rows). Clusters never span components, and :func:`cluster` treats each component
    as it would alone (as one machine clusters all components in one call), so any grouping of whole
    components gives the same answer."""
    nodes = nodes.sort_by("id")
    norm = normalised_schema()
    table = pa.table({name: nodes.column(name).cast(norm.field(name).type) for name in nodes.column_names
                      if name not in ("id", "node_group", "rep")})
    ids = np.asarray(nodes.column("id").to_pylist(), dtype=object)
    keys = PersonKeys(table, ids, ())
    a = pc.index_in(links.column("a"), value_set=nodes.column("id")).to_numpy()
    b = pc.index_in(links.column("b"), value_set=nodes.column("id")).to_numpy()
    rank = links.column("rank").to_numpy().astype(np.int16)
    labels, ordered, status = cluster(keys, LinkArrays(a, b, rank), rules)
    uids = cluster_uids(labels, keys.ids, keys.key_rank)
    n, k = keys.n, len(ordered)
    # a member of an identical group is in its representative's component (its one link is to it)
    rep = pc.index_in(nodes.column("rep"), value_set=nodes.column("id"))
    rep = pc.fill_null(rep, pa.array(np.arange(n, dtype=np.int32))).to_numpy()
    best = record_ranks(n, ordered, status, uids, rep)
    id_array = nodes.column("id").combine_chunks()
    return pa.table({
        "kind": pa.array(np.r_[np.zeros(n, np.int32), np.ones(k, np.int32)]),
        "id_a": pa.concat_arrays([id_array, id_array.take(pa.array(ordered.a))]),
        "id_b": pa.concat_arrays([pa.nulls(n, pa.string()), id_array.take(pa.array(ordered.b))]),
        "rank": pa.array(np.r_[best.astype(np.int32), ordered.rank.astype(np.int32)]),
        "status": pa.array(np.r_[np.full(n, -1, np.int32), status.astype(np.int32)]),
        "person_uid": pa.array(list(uids) + [None] * k, pa.string()),
    })


def _singleton_uids(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The uid of a record no link touches: its own id's (and no rule)."""
    for batch in batches:
        ids = batch.column("id").to_pylist()
        yield pa.RecordBatch.from_pydict({"id": batch.column("id"),
                                          "person_uid": pa.array([person_uid(i) for i in ids], pa.string()),
                                          "rule": pa.nulls(len(ids), pa.string())})


@attrs.frozen(slots=True, eq=False)
class SparkMatchResult:
    """What :func:`match_persons_spark` found, as DataFrames (nothing per record is on the driver).

    ``assignments``: ``id``, ``person_uid``, ``rule`` (as
    :meth:`MatchResult.assignments <justice_schema.identity.MatchResult.assignments>`: the strongest
    rule among the kept links that joined the record, or its identical group's representative's);
    ``links``: ``id_a``, ``id_b``, ``rule``, ``strength``, ``status`` (as
    :meth:`~justice_schema.identity.MatchResult.links_table` without scores);
    ``issues``: ``record_id``, ``code``, ``severity``, ``field``, ``value``, ``message`` (the
    columns of :data:`~justice_schema.issues.ISSUE_SCHEMA` but ``row``: a DataFrame has no row
    numbers, the id says which record); ``capped_blocks`` as the single-machine result lists them.
    """

    assignments: DataFrame
    links: DataFrame
    issues: DataFrame
    capped_blocks: tuple[CappedBlock, ...]
    rules: RuleSet

    @property
    def person_count(self) -> int:
        """How many people the records resolve to (a Spark job)."""
        return int(self.assignments.select("person_uid").distinct().count())


def _capped_blocks(rules: RuleSet, blocks: list[tuple[str, ...]], specs: list[str], schema: pa.Schema,
                   found: list[Any]) -> list[CappedBlock]:
    """The capped blocks in the single-machine order: by key, then by the key's values."""
    window = rules.limits.max_block_size
    out = []
    for row in sorted(found, key=lambda r: (r["block"], _sort_values(blocks[r["block"]], specs, schema, r["key"]))):
        block = blocks[row["block"]]
        size = int(row["size"])
        compared = sum(size - step for step in range(1, min(window, size)))
        out.append(CappedBlock(rule=", ".join(r.name for r in rules.rules if block in r.blocks),
                               key="|".join(json.loads(row["key"])), size=size, pairs_compared=compared,
                               pairs_skipped=size * (size - 1) // 2 - compared))
    return out


def _sort_values(block: tuple[str, ...], specs: list[str], schema: pa.Schema, key: str) -> tuple[Any, ...]:
    """A key's values as the single-machine codes order them: numbers as numbers, the rest as text."""
    values = json.loads(key)
    types = [schema.field(f"spec_{specs.index(spec)}").type for spec in block]
    return tuple(int(v) if pa.types.is_integer(t) else v for v, t in zip(values, types))


_log = logging.getLogger(__name__)


def _check_ids(df: DataFrame) -> None:
    """Refuse a missing, empty or repeated id as :meth:`PersonKeys.from_table` does (ids trimmed of
    whitespace), in one Spark job: the first empty id, else a repeated one."""
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import to_arrow_schema

    if "id" not in df.columns:
        raise InputError("missing required column: id", field="id")
    zone = df.sparkSession.conf.get("spark.sql.session.timeZone") or "UTC"
    person_input(to_arrow_schema(df.schema, timezone=zone).empty_table())  # a column that cannot be text: named here
    ids = F.regexp_replace(F.col("id").cast("string"), r"(?U)^\s+|\s+$", "")
    empty = F.coalesce(F.length("id") == 0, F.lit(True))
    bad = (df.select(ids.alias("id")).groupBy("id").count()
           .where(empty | (F.col("count") > 1)).orderBy(empty.desc(), "id").limit(1).collect())
    if bad and (bad[0]["id"] is None or bad[0]["id"] == ""):
        raise InputError("id is empty; every record needs a unique id", field="id")
    if bad:
        raise InputError(f"id {bad[0]['id']!r} is repeated; ids must be unique", field="id")


def match_persons_spark(
    df: DataFrame,
    *,
    rules: RuleSet | str | Path | None = None,
    persist: bool = True,
) -> SparkMatchResult:
    """Resolve the person records of a Spark DataFrame into people, as
    :func:`~justice_schema.identity.match_persons` does on one machine.

    ``df`` has the columns of the flat person layout (only ``id`` is required) or the
    canonical nested person table. ``rules`` as for ``match_persons``. With ``persist``, the
    normalised records, the keyed records, the links and the clusters are cached (memory, then
    disk), since several later steps read each; Spark evicts them when memory is needed, or
    ``spark.catalog.clearCache()`` drops them once the result is written.

    Raises :class:`~justice_schema.errors.InputError` for a missing, empty or repeated id or a
    column whose type cannot be read as text (naming the column or the id).
    """
    from pyspark import StorageLevel
    from pyspark.sql import Window
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    ruleset = rules if isinstance(rules, RuleSet) else load_rules(rules)
    blocks, specs = blocking_keys(ruleset)
    if len(blocks) > _MAX_KEYS:
        raise ValueError(f"the rules use {len(blocks)} distinct blocking keys; Spark matching handles {_MAX_KEYS}")
    _check_ids(df)
    _log.info("checked ids")
    level = StorageLevel.MEMORY_AND_DISK

    out_schema = _normalised_output_schema(specs)
    norm = df.mapInArrow(functools.partial(_normalise, specs), from_arrow_schema(out_schema))
    grouping = ["dob_typed", *grouping_columns(normalised_schema().names)]
    norm = norm.withColumn("rep", F.min("id").over(Window.partitionBy(*grouping)))
    norm = norm.withColumn("group_size", F.count("*").over(Window.partitionBy("rep")))
    if persist:
        norm = norm.persist(level)
    reps = norm.where(F.col("id") == F.col("rep")).drop("issues")

    # --- candidate pairs: every blocking key at once, one (key, value) row per record and key ----
    window = ruleset.limits.max_block_size
    neighbourhood = [F.col("family_key").asc_nulls_first(), F.col("given_first").asc_nulls_first(),
                     F.col("date_of_birth").asc_nulls_first(), F.col("id").asc()]
    # one (block, key) row per record and key, from one scan of the representatives (a key whose
    # fields are not all present gives no row)
    entries = []
    for k, block in enumerate(blocks):
        cols = [f"spec_{specs.index(spec)}" for spec in block]
        present = functools.reduce(lambda x, y: x & y, [F.col(c).isNotNull() for c in cols])
        entries.append(F.when(present, F.struct(F.lit(k).alias("block"), F.to_json(
            F.array(*[F.col(c).cast("string") for c in cols])).alias("key"))))
    keyed = (reps.select("id", "family_key", "given_first", "date_of_birth",
                         F.explode(F.filter(F.array(*entries), lambda e: e.isNotNull())).alias("entry"))
             .select("id", "entry.block", "entry.key", "family_key", "given_first", "date_of_birth"))
    by_key = Window.partitionBy("block", "key")
    sized = keyed.withColumn("size", F.count("*").over(by_key))
    if persist:
        sized = sized.persist(level)
    small = sized.where((F.col("size") >= 2) & (F.col("size") <= window)).select("id", "block", "key")
    pairs = (small.withColumnRenamed("id", "a").join(small.withColumnRenamed("id", "b"), ["block", "key"])
             .where(F.col("a") < F.col("b")).select("a", "b", "block"))
    big = (sized.where(F.col("size") > window)
           .withColumn("pos", F.row_number().over(by_key.orderBy(*neighbourhood)) - 1))
    if window >= 2:
        near = (big.where(F.col("pos") < F.col("size") - 1)
                .select(F.col("id").alias("x"), "block", "key",
                        F.explode(F.sequence(F.col("pos") + 1, F.least(F.col("pos") + window - 1,
                                                                       F.col("size") - 1))).alias("pos")))
        windowed = (near.join(big.select(F.col("id").alias("y"), "block", "key", "pos"), ["block", "key", "pos"])
                    .select(F.least("x", "y").alias("a"), F.greatest("x", "y").alias("b"), "block"))
        pairs = pairs.unionAll(windowed)
    candidates = (pairs.select("a", "b", F.expr("shiftleft(cast(1 as bigint), block)").alias("bit"))
                  .groupBy("a", "b").agg(F.bit_or("bit").alias("mask")))
    capped = _capped_blocks(ruleset, blocks, specs, out_schema,
                            big.where(F.col("pos") == 0).select("block", "key", "size").collect())

    _log.info("capped blocks: %d", len(capped))
    # --- scoring: the rule cascade on batches of pairs ------------------------------------------
    side_columns = ["id", *normalised_schema().names, "dob_typed"]

    def side(name: str) -> DataFrame:
        return reps.select(*[F.col(c).alias(f"{name}_{c}") for c in side_columns])

    joined = (candidates.join(side("a"), F.col("a") == F.col("a_id")).join(side("b"), F.col("b") == F.col("b_id"))
              .select("mask", *[f"{s}_{c}" for s in ("a", "b") for c in side_columns]))
    pair_links = joined.mapInArrow(functools.partial(_score, ruleset, blocks), "a string, b string, rank int")
    rep_rank = (reps.where(F.col("group_size") > 1).select(*side_columns)
                .mapInArrow(functools.partial(_self_ranks, ruleset), "rep string, rank int")
                .where(F.col("rank") >= 0))
    member_links = (norm.where(F.col("id") != F.col("rep")).select("rep", F.col("id").alias("b"))
                    .join(rep_rank, "rep").select(F.col("rep").alias("a"), "b", "rank"))
    links = pair_links.unionAll(member_links)
    if persist:
        links = links.persist(level)

    # --- components, then the guarded merge per component ----------------------------------------
    components = connected_components(links)
    _log.info("connected components")
    # every normalised column: the guarded merge reads the conflict fields and, for the links that go first,
    # the fields two records must agree on (match.AGREEMENT_FIELDS)
    needed = normalised_schema().names
    # components are clustered a bucket of whole components at a time: one Python call per bucket,
    # not per component (most components are two or three records)
    buckets = _cluster_buckets(df.sparkSession)
    bucket = F.pmod(F.xxhash64("component"), F.lit(buckets))
    nodes = (norm.select("id", "rep", *needed).join(components.select(F.col("node").alias("id"), "component"), "id")
             .select(bucket.alias("node_group"), "id", "rep", *needed))
    component_links = (links.join(components.select(F.col("node").alias("a"), "component"), "a")
                       .select(bucket.alias("link_group"), "a", "b", "rank"))
    clustered = (component_links.groupBy("link_group").cogroup(nodes.groupBy("node_group"))
                 .applyInArrow(functools.partial(_cluster_components, ruleset), _CLUSTER_SCHEMA))
    if persist:
        clustered = clustered.persist(level)
    rule_names = F.array(*[F.lit(r.name) for r in ruleset.rules])
    node_uids = clustered.where(F.col("kind") == 0).select(
        F.col("id_a").alias("id"), "person_uid",
        F.when(F.col("rank") >= 0, F.element_at(rule_names, F.col("rank") + 1)).alias("rule"))
    alone = (norm.select("id").join(node_uids.select("id"), "id", "left_anti")
             .mapInArrow(_singleton_uids, "id string, person_uid string, rule string"))
    uids = node_uids.unionAll(alone)

    strengths = F.array(*[F.lit(r.strength) for r in ruleset.rules])
    statuses = F.array(*[F.lit(s) for s in LINK_STATUSES])
    link_rows = clustered.where(F.col("kind") == 1)
    links_out = link_rows.select(
        "id_a", "id_b", F.element_at(rule_names, F.col("rank") + 1).alias("rule"),
        F.element_at(strengths, F.col("rank") + 1).alias("strength"),
        F.element_at(statuses, F.col("status") + 1).alias("status"))

    assignments = norm.select("id").join(uids, "id")

    issues = norm.select(F.col("id").alias("record_id"), F.explode("issues").alias("issue")).select(
        "record_id", "issue.code", "issue.severity", "issue.field", "issue.value", "issue.message")
    return SparkMatchResult(assignments=assignments, links=links_out, issues=issues, capped_blocks=tuple(capped),
                            rules=ruleset)


def connected_components(links: DataFrame) -> DataFrame:
    """The components of the link graph (``a``, ``b``): ``(node, component)``."""
    from justice_schema.spark.components import connected_components as components

    return components(links.select("a", "b"))
