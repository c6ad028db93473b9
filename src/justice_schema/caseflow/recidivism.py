"""Recidivism: re-arrest and re-conviction within 1 and 3 years of release or disposition, with censoring.

Definitions follow the Bureau of Justice Statistics' prisoner recidivism studies (Durose & Antenangeli,
*Recidivism of Prisoners Released in 34 States in 2012: A 5-Year Follow-Up Period (2012-2017)*, BJS,
NCJ 255947, 2021): the cohort is defined by its release; recidivism is measured by a new arrest in the
follow-up period, and by a new arrest in the period that led to a conviction. See
docs/caseflow-measures.md for the limits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["recidivism", "recidivism_summary", "WINDOWS"]

#: The follow-up windows, name and days.
WINDOWS: tuple[tuple[str, int], ...] = (("1y", 365), ("3y", 1095))


def recidivism(cases: pa.Table, as_of: dt.date, windows: Sequence[tuple[str, int]] = WINDOWS) -> pa.Table:
    """One row per case that starts a follow-up: released from custody (``start_kind = "release"``, from
    the release date) or convicted without custody (``"disposition"``, from the last disposition).

    For each window: ``rearrest_<w>`` is true when the person has an arrest (a case's arrest date) after
    the start and within the window, false when not, and **null when the follow-up is censored**: the
    window does not end by ``as_of`` (the data's end), so absence of an arrest proves nothing.
    ``reconviction_<w>`` likewise counts only arrests in the window whose case ends in a conviction.
    """
    released = pc.is_valid(cases["release_date"])
    convicted = pc.is_valid(cases["conviction_date"])
    start = pc.if_else(released, cases["release_date"], pc.if_else(convicted, cases["disposition_date"], pa.scalar(None, pa.date32())))
    kind = pc.if_else(released, "release", pc.if_else(convicted, "disposition", pa.scalar(None, pa.string())))
    cohort = pa.table({"case_uid": cases["case_uid"], "person_uid": cases["person_uid"], "start_date": start,
                       "start_kind": kind}).filter(pc.is_valid(pc.field("start_date")))
    cohort = cohort.append_column("cohort_year", pc.cast(pc.year(cohort["start_date"]), pa.int32()))
    start_days = pc.cast(cohort["start_date"], pa.int32())
    as_of_days = (as_of - dt.date(1970, 1, 1)).days
    cohort = cohort.append_column("follow_up_days", pc.subtract(pa.scalar(as_of_days, pa.int32()), start_days))
    arrests = pa.table({"person_uid": cases["person_uid"], "arrest_case": cases["case_uid"],
                        "_a": pc.cast(cases["arrest_date"], pa.int32()),
                        "_conv": pc.is_valid(cases["conviction_date"])}).filter(pc.is_valid(pc.field("_a")))
    cohort = cohort.sort_by("case_uid")
    pairs = cohort.select(["case_uid", "person_uid", "start_date"]).join(arrests, "person_uid", join_type="inner")
    gap = pc.subtract(pairs["_a"], pc.cast(pairs["start_date"], pa.int32()))
    pairs = pairs.append_column("_gap", gap).filter(pc.greater(pc.field("_gap"), 0))
    for name, days in windows:
        within = pairs.filter(pc.less_equal(pc.field("_gap"), days))
        hit = within.group_by("case_uid", use_threads=False).aggregate([("_conv", "any")]).rename_columns(["case_uid", "_conv_any"])
        hit = hit.append_column("_any", pa.array([True] * hit.num_rows, pa.bool_()))
        joined = cohort.select(["case_uid"]).join(hit, "case_uid", join_type="left outer").sort_by("case_uid")
        censored = pc.less(cohort["follow_up_days"], days)
        none = pa.scalar(None, pa.bool_())
        cohort = cohort.append_column(f"rearrest_{name}", pc.if_else(censored, none, pc.fill_null(joined["_any"], False)))
        cohort = cohort.append_column(f"reconviction_{name}", pc.if_else(censored, none, pc.fill_null(joined["_conv_any"], False)))
    return cohort.sort_by("case_uid")


def recidivism_summary(followed: pa.Table, by: Sequence[str] = ("cohort_year", "start_kind"),
                       windows: Sequence[tuple[str, int]] = WINDOWS) -> pa.Table:
    """Per group and window: cohort size, censored (not followed the full window), followed, re-arrested,
    re-convicted and the two rates over the followed cases only."""
    by = list(by)
    rows = []
    for name, _days in windows:
        t = pa.table({**{b: followed[b] for b in by},
                      "_cens": pc.cast(pc.is_null(followed[f"rearrest_{name}"]), pa.int64()),
                      "_ra": pc.cast(pc.fill_null(followed[f"rearrest_{name}"], False), pa.int64()),
                      "_rc": pc.cast(pc.fill_null(followed[f"reconviction_{name}"], False), pa.int64()),
                      "_n": pa.array([1] * followed.num_rows, pa.int64())})
        g = t.group_by(by, use_threads=False).aggregate([("_n", "sum"), ("_cens", "sum"), ("_ra", "sum"), ("_rc", "sum")])
        fol = pc.subtract(g["_n_sum"], g["_cens_sum"])
        rows.append(pa.table({**{b: g[b] for b in by}, "window": pa.array([name] * g.num_rows, pa.string()),
                              "cohort": g["_n_sum"], "censored": g["_cens_sum"], "followed": fol,
                              "rearrested": g["_ra_sum"], "reconvicted": g["_rc_sum"],
                              "rearrest_rate": _rate(g["_ra_sum"], fol), "reconviction_rate": _rate(g["_rc_sum"], fol)}))
    return pa.concat_tables(rows).sort_by([*((b, "ascending") for b in by), ("window", "ascending")])



def _rate(count: pa.ChunkedArray, followed: pa.ChunkedArray) -> pa.ChunkedArray:
    """count / followed, null where nobody was followed."""
    return pc.if_else(pc.greater(followed, 0), pc.divide(pc.cast(count, pa.float64()), pc.cast(followed, pa.float64())),
                      pa.scalar(None, pa.float64()))
