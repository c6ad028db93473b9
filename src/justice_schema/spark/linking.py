"""Case-flow linking on Spark: :func:`~justice_schema.linking.link_events`' links and ``case_uid``\\s, on a cluster.

**Why it decomposes.** Every rule of every link type joins a child to its candidate parents on
*equal* values of the rule's ``keys`` (none null); the windows, agreements, offense tests, ties,
``one_to_one`` competition, ``via`` look-ups and ``within_case`` heads only ever compare events
that some rule's keys already joined, or events linked to them. So if events are put in groups
such that two events sharing the value of a rule's key are always in the same group, every link,
every candidate and every tie falls inside one group, and linking a union of whole groups gives,
for those events, exactly what linking all events gives:

* ranks and tie-breaks use positions in event-id order, and a subset of the events keeps the
  order of its ids;
* the most-serious-offense score is a dense rank of the parents in the call, which orders any
  two parents as the full table does;
* the ``one_to_one`` rounds and the chain walks (roots, case heads) never cross a group.

The steps:

1. **conform and check** (one Spark job): the columns of
   :data:`~justice_schema.linking.EVENT_SCHEMA` cast to their types (missing optional columns
   as nulls); a missing required column, a value that cannot be read as its type, an empty
   ``event_id`` / ``event_type`` / ``event_date``, an unknown stage or a repeated id is an
   :class:`~justice_schema.errors.InputError` naming the field and the event id;
2. **groups**: each event's *tokens* are ``(column, value)`` for the columns that join events
   (per rule, its first text key: the tracking numbers and ``person_uid`` under the default rules;
   ``charge_sequence`` is never used alone, since any count 1 would join everyone); the tokens of one
   event are joined by an edge, and the connected components of the tokens
   (:func:`~justice_schema.spark.components.connected_components`, large-star / small-star, no
   edge on the driver) are the groups; an event without tokens is a group of its own;
3. **link** (a grouped ``applyInArrow``): events are co-partitioned by a hash of their group into
   ``buckets`` and :func:`~justice_schema.linking.link_events` runs once per bucket, on whole
   groups; its links, unlinked causes and cases come back as rows.

A group is held by one task, as on one machine the whole input is: a tracking number shared by
thousands of people (a placeholder like ``UNKNOWN``) makes one large group, on one machine a large
join. Every rule file decomposes this way (a rule always has a key), so none is refused.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.errors import InputError
from justice_schema.linking.events import EVENT_SCHEMA, EVENT_TYPES, conform_events
from justice_schema.linking.link import LINK_SCHEMA, UNLINKED_SCHEMA, link_events
from justice_schema.linking.rules import LinkRules, default_rules, load_rules
from justice_schema.spark.components import connected_components

if TYPE_CHECKING:
    from pyspark.sql import Column, DataFrame

__all__ = ["SparkLinkResult", "link_events_spark", "joining_columns", "CASES_SCHEMA"]

#: The columns of :attr:`LinkResult.cases <justice_schema.linking.LinkResult>`.
CASES_SCHEMA = pa.schema([pa.field("event_id", pa.string(), nullable=False), pa.field("case_uid", pa.string()),
                          pa.field("incident_id", pa.string()), pa.field("parent_id", pa.string())])

_KIND_LINK, _KIND_UNLINKED, _KIND_CASE = 0, 1, 2
_OUT = pa.schema([
    pa.field("kind", pa.int32()), pa.field("event_id", pa.string()), pa.field("parent_id", pa.string()),
    pa.field("link_type", pa.string()), pa.field("rule", pa.string()), pa.field("days", pa.int32()),
    pa.field("evidence", pa.string()), pa.field("event_type", pa.string()), pa.field("cause", pa.string()),
    pa.field("case_uid", pa.string()), pa.field("incident_id", pa.string()),
])
_REQUIRED = ("event_id", "event_type", "event_date")
_SEP = "\x1f"   # between a token's column number and its value; never in an identifier a hub would use


def joining_columns(rules: LinkRules) -> tuple[str, ...]:
    """The event columns whose equal values put two events in one group: per rule, its first key of text
    type (its first key when none is text), in the order the rules name them.

    A rule links only events equal on *all* its keys, so any one key suffices; a text key (a tracking
    number, the person) is chosen over ``charge_sequence``, whose small numbers every case shares.
    """
    chosen: list[str] = []
    for link in rules.links:
        for rule in link.rules:
            text = [k for k in rule.keys if pa.types.is_string(EVENT_SCHEMA.field(k).type)]
            chosen.append(text[0] if text else rule.keys[0])
    return tuple(dict.fromkeys(chosen))


@attrs.frozen(slots=True, eq=False)
class SparkLinkResult:
    """What :func:`link_events_spark` found, as DataFrames (nothing per event is on the driver).

    ``links`` (:data:`~justice_schema.linking.LINK_SCHEMA`), ``unlinked``
    (:data:`~justice_schema.linking.UNLINKED_SCHEMA`) and ``cases`` (:data:`CASES_SCHEMA`: every
    event with its ``case_uid``, ``incident_id`` and ``parent_id``) hold the rows of
    :class:`~justice_schema.linking.LinkResult`; DataFrames have no order, so sort before comparing.
    ``groups`` is each event's group (``event_id``, ``group``): the unit one task links. ``rows`` is
    the three outputs in one DataFrame as the linking tasks wrote them (a ``kind`` column says which).
    """

    links: DataFrame
    unlinked: DataFrame
    cases: DataFrame
    groups: DataFrame
    rows: DataFrame
    rules_version: str

    def collect(self) -> tuple[pa.Table, pa.Table, pa.Table]:
        """``(links, unlinked, cases)`` on the driver as Arrow tables in their schemas (one Spark job), sorted:
        links and unlinked by link type and event, cases by event id as :func:`link_events` orders them.
        For data that fits in memory (tests, samples)."""
        rows = self.rows.toArrow()
        rows = rows.cast(_OUT) if rows.num_rows else _OUT.empty_table()
        kind = rows.column("kind")
        links = _part(rows, kind, _KIND_LINK, LINK_SCHEMA, {"child_id": "event_id"}, ["link_type", "child_id"])
        unlinked = _part(rows, kind, _KIND_UNLINKED, UNLINKED_SCHEMA, {}, ["link_type", "event_id"])
        cases = _part(rows, kind, _KIND_CASE, CASES_SCHEMA, {}, ["event_id"])
        return links, unlinked, cases


def _part(rows: pa.Table, kind: pa.ChunkedArray, value: int, schema: pa.Schema, renamed: dict[str, str],
          keys: list[str]) -> pa.Table:
    """The rows of one kind, in ``schema``, sorted by ``keys``."""
    chosen = rows.filter(pc.equal(kind, value))
    table = pa.table({f.name: chosen.column(renamed.get(f.name, f.name)) for f in schema})
    return table.cast(schema).sort_by([(k, "ascending") for k in keys])


def _link_bucket(rules: LinkRules, table: pa.Table) -> pa.Table:
    """One bucket of whole groups: :func:`link_events` on its events, its three outputs as rows of ``_OUT``."""
    events = table.select(EVENT_SCHEMA.names).cast(EVENT_SCHEMA)
    result = link_events(events, rules, source="events")
    links, unlinked, cases = result.links, result.unlinked, result.cases

    def rows(kind: int, n: int, columns: dict[str, pa.Array | pa.ChunkedArray]) -> pa.Table:
        full = {"kind": pa.array([kind] * n, pa.int32())}
        for field in _OUT:
            if field.name != "kind":
                full[field.name] = columns.get(field.name, pa.nulls(n, field.type))
        return pa.table(full, schema=_OUT)

    return pa.concat_tables([
        rows(_KIND_LINK, links.num_rows, {"event_id": links["child_id"], "parent_id": links["parent_id"],
                                          "link_type": links["link_type"], "rule": links["rule"],
                                          "days": links["days"], "evidence": links["evidence"]}),
        rows(_KIND_UNLINKED, unlinked.num_rows, {"event_id": unlinked["event_id"], "event_type": unlinked["event_type"],
                                                 "link_type": unlinked["link_type"], "cause": unlinked["cause"]}),
        rows(_KIND_CASE, cases.num_rows, {"event_id": cases["event_id"], "case_uid": cases["case_uid"],
                                          "incident_id": cases["incident_id"], "parent_id": cases["parent_id"]}),
    ])


def _conformed(df: DataFrame, source: str) -> DataFrame:
    """``df`` as the event layout, checked in one Spark job (see the module docs, step 1)."""
    from pyspark.errors import AnalysisException
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema, to_arrow_schema

    missing = [name for name in _REQUIRED if name not in df.columns]
    if missing:
        raise InputError(f"missing column(s) {', '.join(missing)}; the event layout needs {', '.join(_REQUIRED)} "
                         f"(columns there: {', '.join(df.columns) or 'none'})", path=source)
    zone = df.sparkSession.conf.get("spark.sql.session.timeZone") or "UTC"
    conform_events(to_arrow_schema(df.schema, timezone=zone).empty_table(), source=source)  # types Arrow cannot cast
    spark_schema = from_arrow_schema(EVENT_SCHEMA)
    columns: list[Column] = []
    problems: list[Column] = []
    for field in spark_schema.fields:
        if field.name not in df.columns:
            columns.append(F.lit(None).cast(field.dataType).alias(field.name))
            continue
        cast = F.col(field.name).try_cast(field.dataType)
        try:
            df.select(cast).schema  # noqa: B018 - resolving the plan refuses a cast Spark cannot make at all
        except AnalysisException:
            raise InputError(f"cannot read a {df.schema[field.name].dataType.simpleString()} column as "
                             f"{EVENT_SCHEMA.field(field.name).type}", path=source, field=field.name) from None
        columns.append(cast.alias(field.name))
        problems.append(F.when(F.col(field.name).isNotNull() & cast.isNull(),
                               F.concat(F.lit(f"{field.name}\t"), F.col(field.name).cast("string"),
                                        F.lit(f" cannot be read as {EVENT_SCHEMA.field(field.name).type}"))))
    for name in _REQUIRED:
        problems.append(F.when(F.col(name).isNull() | (F.col(name).cast("string") == ""),
                               F.lit(f"{name}\tempty; every event needs one")))
    problems.append(F.when(~F.col("event_type").isin(*EVENT_TYPES),
                           F.concat(F.lit("event_type\t"), F.col("event_type"),
                                    F.lit(f" is not a stage; expected one of {', '.join(EVENT_TYPES)}"))))
    checked = df.select(*columns, F.coalesce(*problems).alias("_problem"))
    bad = (checked.groupBy("event_id").agg(F.count("*").alias("n"), F.min("_problem").alias("problem"))
           .where(F.col("problem").isNotNull() | (F.col("n") > 1))
           .orderBy(F.col("problem").isNull(), "event_id").limit(1).collect())
    if bad:
        event, problem = bad[0]["event_id"], bad[0]["problem"]
        if problem is None:
            raise InputError(f"{event!r} appears more than once; event ids must be unique", path=source,
                             field="event_id")
        field, _, message = problem.partition("\t")
        where = f"event {event!r}: " if event else ""
        raise InputError(f"{where}{message}", path=source, field=field)
    return checked.drop("_problem")


def _groups(events: DataFrame, columns: Sequence[str]) -> DataFrame:
    """``(event_id, group)``: the connected components of the events' tokens (module docs, step 2)."""
    from pyspark.sql import functions as F

    tokens = F.array_compact(F.array(*[
        F.when(F.col(name).isNotNull(), F.concat(F.lit(f"{i}{_SEP}"), F.col(name).cast("string")))
        for i, name in enumerate(columns)]))
    with_tokens = events.select("event_id", tokens.alias("tokens"))
    edges = (with_tokens.where(F.size("tokens") > 1)
             .select(F.col("tokens")[0].alias("a"), F.explode(F.slice("tokens", 2, len(columns))).alias("b")))
    labels = connected_components(edges)
    first = with_tokens.select("event_id", F.get("tokens", 0).alias("node"))  # null when the event has none
    return (first.join(labels, "node", "left")
            .select("event_id", F.coalesce("component", "node", F.concat(F.lit(f"e{_SEP}"), "event_id"))
                    .alias("group")))


def link_events_spark(
    df: DataFrame,
    rules: LinkRules | str | os.PathLike[str] | None = None,
    *,
    buckets: int | None = None,
    persist: bool = True,
    source: str = "events",
) -> SparkLinkResult:
    """Link the events of a Spark DataFrame into cases, as :func:`~justice_schema.linking.link_events`
    does on one machine: the same links, unlinked causes and ``case_uid``\\s.

    ``df`` has the columns of the event layout (:data:`~justice_schema.linking.EVENT_SCHEMA`;
    ``event_id``, ``event_type`` and ``event_date`` required); ``rules`` a :class:`LinkRules` or a
    rules file (default: the shipped rules). ``buckets`` is how many tasks link (default:
    ``spark.sql.shuffle.partitions``); each holds whole groups, so give enough for a task's events to
    fit in an executor's Python memory (about 1 GB per million events). With ``persist`` the
    conformed events and the linked rows are cached (memory, then disk), since several outputs read
    them. ``source`` names the input in errors.

    Raises :class:`~justice_schema.errors.InputError` for a missing required column, a column or
    value that cannot be read as its type, an empty required value, an unknown stage or a repeated
    ``event_id`` (naming the field and the event).
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    ruleset = rules if isinstance(rules, LinkRules) else (default_rules() if rules is None else load_rules(Path(rules)))
    if buckets is not None and buckets < 1:
        raise ValueError(f"buckets must be at least 1, got {buckets}")
    level = StorageLevel.MEMORY_AND_DISK
    events = _conformed(df, source)
    if persist:
        events = events.persist(level)
    groups = _groups(events, joining_columns(ruleset))
    if persist:
        groups = groups.persist(level)
    n = buckets or int(df.sparkSession.conf.get("spark.sql.shuffle.partitions") or 200)
    placed = events.join(groups, "event_id").withColumn("_bucket", F.pmod(F.xxhash64("group"), F.lit(n)))

    def link_bucket(table: pa.Table) -> pa.Table:  # a plain function: pyspark reads its type hints
        return _link_bucket(ruleset, table)

    linked = placed.groupBy("_bucket").applyInArrow(link_bucket, from_arrow_schema(_OUT))
    if persist:
        linked = linked.persist(level)
    kind = F.col("kind")
    links = linked.where(kind == _KIND_LINK).select(F.col("event_id").alias("child_id"), "parent_id", "link_type",
                                                    "rule", "days", "evidence")
    unlinked = linked.where(kind == _KIND_UNLINKED).select("event_id", "event_type", "link_type", "cause")
    cases = linked.where(kind == _KIND_CASE).select(*CASES_SCHEMA.names)
    return SparkLinkResult(links=links, unlinked=unlinked, cases=cases, groups=groups, rows=linked,
                           rules_version=ruleset.version)
