"""Time between stages: count, median and 90th percentile in days, per group."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.caseflow._common import days_between

__all__ = ["INTERVALS", "intervals", "quantiles_by_group"]

#: Each interval: name, later stage column, earlier stage column of the case table.
INTERVALS: tuple[tuple[str, str, str], ...] = (
    ("incident_to_arrest", "arrest_date", "incident_date"),
    ("arrest_to_filing", "filing_date", "arrest_date"),
    ("filing_to_disposition", "disposition_date", "filing_date"),
    ("disposition_to_release", "release_date", "disposition_date"),
)


def quantiles_by_group(groups: np.ndarray, values: np.ndarray, qs: Sequence[float]) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Per distinct group code: its count and each quantile of ``values`` (linear interpolation between
    the two nearest ranks, numpy's default, so the median of 1, 2, 3, 10 is 2.5)."""
    order = np.lexsort((values, groups))
    g, v = groups[order], values[order].astype(float)
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]]) if len(g) else np.zeros(0, np.int64)
    counts = np.diff(np.r_[starts, len(g)])
    out = []
    for q in qs:
        pos = q * (counts - 1)
        lo = np.floor(pos).astype(np.int64)
        hi = np.ceil(pos).astype(np.int64)
        frac = pos - lo
        out.append(v[starts + lo] + (v[starts + hi] - v[starts + lo]) * frac)
    return g[starts], counts, out


def intervals(cases: pa.Table, by: Sequence[str] = ()) -> pa.Table:
    """Per group of ``by`` columns and interval (:data:`INTERVALS`): cases with both dates, median and
    90th-percentile days. Negative intervals (a release dated before the disposition) are data errors
    and are counted apart in ``negative``, not in the quantiles."""
    by = list(by)
    tables = []
    for name, later, earlier in INTERVALS:
        days = days_between(cases[later], cases[earlier])
        t = pa.table({**{b: cases[b] for b in by}, "_d": days})
        t = t.filter(pc.is_valid(t["_d"]))
        neg = pc.less(t["_d"], 0)
        negatives = pa.table({**{b: t[b] for b in by}, "_n": pc.cast(neg, pa.int64())})
        t = t.filter(pc.invert(neg))
        if by:
            keys = t.select(by).group_by(by, use_threads=False).aggregate([]).sort_by([(b, "ascending") for b in by])
            keys = keys.append_column("_g", pa.array(np.arange(keys.num_rows)))
            coded = t.join(keys, by, join_type="inner")
            codes, values = coded["_g"].to_numpy(), coded["_d"].to_numpy()
        else:
            keys = pa.table({"_g": [0]})
            codes, values = np.zeros(t.num_rows, np.int64), t["_d"].to_numpy(zero_copy_only=False)
        g, counts, (median, p90) = quantiles_by_group(codes, values, (0.5, 0.9))
        stats = pa.table({"_g": g, "cases": counts, "median_days": median, "p90_days": p90})
        res = keys.join(stats, "_g", join_type="left outer").sort_by("_g").drop(["_g"])
        if by:
            neg_g = negatives.group_by(by, use_threads=False).aggregate([("_n", "sum")])
            res = res.join(neg_g, by, join_type="left outer").rename_columns([*res.column_names, "negative"])
        else:
            res = res.append_column("negative", pa.array([pc.sum(negatives["_n"]).as_py() or 0]))
        res = res.append_column("interval", pa.array([name] * res.num_rows, pa.string()))
        res = res.set_column(res.column_names.index("cases"), "cases", pc.cast(pc.fill_null(res["cases"], 0), pa.int64()))
        tables.append(res.select([*by, "interval", "cases", "median_days", "p90_days", "negative"]))
    out = pa.concat_tables(tables)
    order = pc.index_in(out["interval"], value_set=pa.array([n for n, _, _ in INTERVALS]))
    return out.append_column("_o", order).sort_by([*((b, "ascending") for b in by), ("_o", "ascending")]).drop(["_o"])
