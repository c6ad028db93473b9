"""Attrition: of the cases that reached one stage, how many reached the next."""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["STAGES", "attrition"]

#: The stages, in order, and the case-table column whose date says the case reached it.
STAGES: tuple[tuple[str, str], ...] = (
    ("arrest", "arrest_date"), ("charges_filed", "charges_filed_date"), ("court_filing", "filing_date"),
    ("disposition", "disposition_date"), ("conviction", "conviction_date"), ("custody", "admission_date"),
)


def attrition(cases: pa.Table, by: Sequence[str] = ()) -> pa.Table:
    """Per group of ``by`` columns of the case table (e.g. ``charged_ucr_code``, ``agency``, ``county``,
    ``year``, ``sex``, ``race``) and stage: cases that reached the stage, cases that reached the stage
    before, and the share that went on (``reached / previous``; null for the first stage).

    A case counts at a stage when it has that stage's date; a case that skipped a stage (filed in court
    without a recorded decision) counts at the later stage but not the skipped one.
    """
    by = list(by)
    tables = []
    previous = None
    for stage, column in STAGES:
        flag = pc.cast(pc.is_valid(cases[column]), pa.int64())
        t = pa.table({**{b: cases[b] for b in by}, "_reached": flag})
        prev_flag = pc.is_valid(cases[previous]) if previous is not None else pa.array([False] * cases.num_rows, pa.bool_())
        t = t.append_column("_prev", pc.cast(prev_flag, pa.int64()))
        t = t.append_column("_both", pc.cast(pc.and_(prev_flag, pc.is_valid(cases[column])), pa.int64()))
        t = t.append_column("_k", pa.array([0] * cases.num_rows, pa.int8()))
        g = t.group_by(by or ["_k"], use_threads=False).aggregate([("_reached", "sum"), ("_prev", "sum"), ("_both", "sum")])
        n = g.num_rows
        reached = pc.cast(pc.fill_null(g["_reached_sum"], 0), pa.int64())
        null = pa.scalar(None, pa.int64())
        prev = g["_prev_sum"] if previous is not None else pa.nulls(n, pa.int64())
        both = g["_both_sum"] if previous is not None else pa.nulls(n, pa.int64())
        rate = pc.if_else(pc.greater(pc.fill_null(prev, 0), 0),
                          pc.divide(pc.cast(both, pa.float64()), pc.cast(prev, pa.float64())), pa.scalar(None, pa.float64()))
        tables.append(pa.table({**{b: g[b] for b in by}, "stage": pa.array([stage] * n, pa.string()), "reached": reached,
                                "previous": pc.if_else(pa.array([previous is not None] * n, pa.bool_()), pc.cast(prev, pa.int64()), null),
                                "continued": pc.if_else(pa.array([previous is not None] * n, pa.bool_()), pc.cast(both, pa.int64()), null),
                                "continued_share": rate}))
        previous = column
    out = pa.concat_tables(tables)
    order = pc.index_in(out["stage"], value_set=pa.array([s for s, _ in STAGES]))
    out = out.append_column("_o", order).sort_by([*((b, "ascending") for b in by), ("_o", "ascending")]).drop(["_o"])
    return out
