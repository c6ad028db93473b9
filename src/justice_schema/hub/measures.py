"""The hub's ``case_flow`` stage: the case-flow measures over the linked events, as tables.

Runs after ``link``. Each measure is computed by :mod:`justice_schema.caseflow` and stored in a
long layout with a ``dimension`` (``all``, ``offense_group``, ``agency``, ``year``) and its
``value``, so one table answers "by offense group", "by agency" and "by year":

* ``cases`` — one row per case (:func:`~justice_schema.caseflow.case_table`) plus its arrest's UCR
  code, its offense group, and how many events and agencies it spans;
* ``case_attrition`` — per stage: cases that reached it, reached the stage before, went on;
* ``case_intervals`` — per interval between stages: cases, median and 90th-percentile days;
* ``case_interval_histogram`` — the same intervals as counts in day ranges (:data:`DAY_BINS`);
* ``case_recidivism`` — the recidivism curve: per follow-up window (3 to 36 months) the cohort,
  how many were censored (not followed the whole window), followed, re-arrested and re-convicted;
* ``case_clearance`` — incidents and how they were cleared, per agency, offense group and year;
* ``person_timeline_events`` — every event of every person in order (the ``person_timeline`` view).

The offense group of a case is the FBI NIBRS "crime against" category of its most serious charged
offense (else its offense of conviction, else its arrest offense): Person, Property or Society for Group A offenses, "Group B" for
Group B offenses (FBI NIBRS Technical Specification, offense codes; the library's ``ucr_offense``
code table), "unknown offense" when the case has no UCR code.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema import caseflow as cf
from justice_schema.hub import case_views, linkage  # noqa: F401 (link registers first; the views with the stage)
from justice_schema.hub.stages import HubContext, Stage, register_stage

__all__ = ["case_flow", "offense_groups", "DIMENSIONS", "DAY_BINS", "CURVE_WINDOWS", "UNKNOWN_OFFENSE", "SCHEMAS"]

#: The case-table column behind each dimension of the long tables.
DIMENSIONS: dict[str, str | None] = {"all": None, "offense_group": "offense_group", "agency": "agency", "year": "year"}
#: Day ranges of the interval histogram: (label, first day, last day; None = no end).
DAY_BINS: tuple[tuple[str, int, int | None], ...] = (
    ("0-7 days", 0, 7), ("8-30 days", 8, 30), ("31-90 days", 31, 90), ("91-180 days", 91, 180),
    ("181-365 days", 181, 365), ("1-2 years", 366, 730), ("over 2 years", 731, None))
#: The follow-up windows of the recidivism curve: every 3 months to 3 years (12 months = 365 days).
CURVE_WINDOWS: tuple[tuple[str, int], ...] = tuple((f"{m}m", round(m * 365 / 12)) for m in range(3, 37, 3))
UNKNOWN_OFFENSE = "unknown offense"

_DIM = [("dimension", pa.string()), ("value", pa.string())]
#: The layout of each long table (an empty hub gives empty tables of these layouts).
SCHEMAS: dict[str, pa.Schema] = {
    "case_attrition": pa.schema([*_DIM, ("stage", pa.string()), ("reached", pa.int64()), ("previous", pa.int64()),
                                 ("continued", pa.int64()), ("continued_share", pa.float64())]),
    "case_intervals": pa.schema([*_DIM, ("interval", pa.string()), ("cases", pa.int64()), ("median_days", pa.float64()),
                                 ("p90_days", pa.float64()), ("negative", pa.int64())]),
    "case_interval_histogram": pa.schema([*_DIM, ("interval", pa.string()), ("bin", pa.string()),
                                          ("bin_order", pa.int32()), ("cases", pa.int64())]),
    "case_recidivism": pa.schema([*_DIM, ("months", pa.int32()), ("window", pa.string()), ("cohort", pa.int64()),
                                  ("censored", pa.int64()), ("followed", pa.int64()), ("rearrested", pa.int64()),
                                  ("reconvicted", pa.int64()), ("rearrest_rate", pa.float64()),
                                  ("reconviction_rate", pa.float64())]),
    "case_clearance": pa.schema([("agency", pa.string()), ("offense_group", pa.string()), ("year", pa.int32()),
                                 ("incidents", pa.int64()), ("cleared_by_arrest", pa.int64()),
                                 ("cleared_exceptionally", pa.int64()), ("clearance_rate", pa.float64())]),
}


@cache
def _group_lookup() -> tuple[pa.Array, pa.Array]:
    from justice_schema.codes import code_table

    codes, groups = [], []
    for entry in code_table("ucr_offense").entries:
        against = str(entry.get("crime_against") or "")
        group = "Group B" if entry.get("group") == "B" else (
            f"Crimes against {against}" if against in ("Person", "Property", "Society") else "Other Group A")
        codes.append(entry.code)
        groups.append(group)
    return pa.array(codes, pa.string()), pa.array(groups, pa.string())


def offense_groups(ucr_codes: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The offense group of each UCR offense code (``unknown offense`` for null or unknown codes).

    >>> offense_groups(pa.array(["13A", "90D", None, "XX"])).to_pylist()
    ['Crimes against Person', 'Group B', 'unknown offense', 'unknown offense']
    """
    codes, groups = _group_lookup()
    found = groups.take(pc.index_in(ucr_codes, value_set=codes))
    return pc.fill_null(found, UNKNOWN_OFFENSE)


def _typed(table: pa.Table, name: str) -> pa.Table:
    """``table`` in the layout of :data:`SCHEMAS` ``[name]`` (column order and types fixed)."""
    schema = SCHEMAS[name]
    return table.select(schema.names).cast(schema)


def _long(cases: pa.Table, measure: Callable[[pa.Table, list[str]], pa.Table], name: str) -> pa.Table:
    """``measure(table, by)`` for every dimension, stacked with ``dimension`` and ``value`` columns."""
    if not cases.num_rows:
        return SCHEMAS[name].empty_table()
    parts = []
    for dimension, column in DIMENSIONS.items():
        work = cases.append_column("_value", pc.cast(cases.column(column), pa.string()) if column
                                   else pa.array(["all"] * cases.num_rows, pa.string()))
        work = work.set_column(work.column_names.index("_value"), "_value", pc.fill_null(work.column("_value"), "unknown"))
        out = measure(work, ["_value"])
        out = out.rename_columns(["value" if n == "_value" else n for n in out.column_names])
        parts.append(out.add_column(0, "dimension", pa.array([dimension] * out.num_rows, pa.string())))
    return _typed(pa.concat_tables(parts, promote_options="default"), name)


def _days_between(later: pa.ChunkedArray, earlier: pa.ChunkedArray) -> pa.Array:
    """Whole days from ``earlier`` to ``later`` (null when either is null)."""
    return pc.subtract(pc.cast(pc.cast(later, pa.date32()), pa.int32()), pc.cast(pc.cast(earlier, pa.date32()), pa.int32()))


def _histogram(cases: pa.Table, by: list[str]) -> pa.Table:
    """Per group and interval: cases in each day range of :data:`DAY_BINS` (negative intervals left out)."""
    parts = []
    lows = np.array([low for _, low, _ in DAY_BINS])
    labels = pa.array([label for label, _, _ in DAY_BINS], pa.string())
    for name, later, earlier in cf.INTERVALS:
        days = _days_between(cases.column(later), cases.column(earlier))
        keep = pc.fill_null(pc.greater_equal(days, 0), False)
        sub = cases.select(by).filter(keep)
        values = days.filter(keep).to_numpy(zero_copy_only=False)
        index = np.searchsorted(lows, values, side="right") - 1
        sub = sub.append_column("bin", labels.take(pa.array(index))).append_column("_bin", pa.array(index, pa.int32()))
        sub = sub.append_column("_n", pa.array(np.ones(len(index), np.int64)))
        g = sub.group_by([*by, "bin", "_bin"], use_threads=False).aggregate([("_n", "sum")])
        g = g.append_column("interval", pa.array([name] * g.num_rows, pa.string()))
        parts.append(g.rename_columns([*by, "bin", "bin_order", "cases", "interval"]))
    out = pa.concat_tables(parts)
    return out.select([*by, "interval", "bin", "bin_order", "cases"]).sort_by(
        [*((b, "ascending") for b in by), ("interval", "ascending"), ("bin_order", "ascending")])


def _curve(followed: pa.Table, by: list[str]) -> pa.Table:
    out = cf.recidivism_summary(followed, by, CURVE_WINDOWS)
    months = pc.cast(pc.utf8_slice_codeunits(out.column("window"), 0, -1), pa.int32())
    return out.append_column("months", months).sort_by([*((b, "ascending") for b in by), ("months", "ascending")])


def _arrest_offense(events: pa.Table, case_events: pa.Table) -> pa.Table:
    """Per case, the UCR code of its arrest (the first by event id): the offense of a case never charged."""
    arrests = events.filter(pc.equal(events.column("event_type"), "arrest")).select(["event_id", "ucr_code"])
    arrests = arrests.join(case_events.select(["event_id", "case_uid"]), "event_id").filter(
        pc.is_valid(pc.field("case_uid"))).sort_by("event_id")
    first = arrests.group_by("case_uid", use_threads=False).aggregate([("ucr_code", "first")])
    return first.rename_columns(["case_uid", "arrest_ucr_code"])


def _with_spans(cases: pa.Table, case_events: pa.Table) -> pa.Table:
    """``cases`` with ``events`` and ``agencies``: how many events each case holds, from how many agencies."""
    mine = case_events.filter(pc.is_valid(case_events.column("case_uid")))
    spans = mine.group_by("case_uid", use_threads=False).aggregate(
        [("event_id", "count"), ("hub_agency", "count_distinct")]).rename_columns(["case_uid", "events", "agencies"])
    out = cases.join(spans, "case_uid", join_type="left outer").sort_by("case_uid")
    for name in ("events", "agencies"):
        out = out.set_column(out.column_names.index(name), name, pc.fill_null(out.column(name), 0).cast(pa.int64()))
    return out


def case_flow(context: HubContext) -> None:
    """The case table and every measure, by offense group, agency and year."""
    events = context.work["case_events_layout"]
    linked = context.work["case_linked"]
    rules = context.work["case_rules"]
    cases = cf.case_table(events, linked, rules)
    arrested = _arrest_offense(events, linked.cases)
    cases = cases.join(arrested, "case_uid", join_type="left outer").sort_by("case_uid")
    group = offense_groups(pc.coalesce(cases.column("charged_ucr_code"), cases.column("convicted_ucr_code"),
                                       cases.column("arrest_ucr_code")))
    cases = cases.append_column("offense_group", group)
    cases = _with_spans(cases, context.extra["case_events"])
    context.extra["cases"] = cases
    for name, measure in (("case_attrition", cf.attrition), ("case_intervals", cf.intervals),
                          ("case_interval_histogram", _histogram)):
        context.extra[name] = _long(cases, measure, name)
    followed = cf.recidivism(cases, context.as_of, CURVE_WINDOWS)
    followed = followed.join(cases.select(["case_uid", "offense_group", "agency"]), "case_uid", join_type="left outer")
    followed = followed.append_column("year", followed.column("cohort_year")).sort_by("case_uid")
    context.extra["case_recidivism"] = _long(followed, _curve, "case_recidivism")
    cleared = cf.clearance(events, linked)
    cleared = cleared.append_column("offense_group", offense_groups(cleared.column("ucr_code")))
    context.extra["case_clearance"] = (_typed(cf.clearance_summary(cleared, ("agency", "offense_group", "year")),
                                              "case_clearance") if cleared.num_rows
                                       else SCHEMAS["case_clearance"].empty_table())
    context.extra["person_timeline_events"] = cf.person_timeline(events, linked)
    context.counts["cases"] = cases.num_rows
    context.say(f"case_flow: {cases.num_rows:,} cases; {followed.num_rows:,} start a recidivism follow-up; "
                f"{cleared.num_rows:,} incidents")


register_stage(Stage("case_flow", case_flow, "cases, attrition, intervals, recidivism, clearance, timelines"),
               after="link")
