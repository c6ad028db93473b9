"""Precision and recall of links against the generator's truth, per link type."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["link_quality"]


def link_quality(links: pa.Table, truth: pa.Table) -> pa.Table:
    """Per link type: true links, links made, correct links, precision and recall.

    ``truth`` has ``event_id``, ``link_type`` and ``true_parent_id`` (see
    :data:`~justice_schema.linking.synthetic.TRUTH_SCHEMA`); ``links`` is :attr:`LinkResult.links`.
    """
    true = truth.filter(pc.is_valid(truth["true_parent_id"])).select(["event_id", "link_type", "true_parent_id"])
    made = links.select(["child_id", "parent_id", "link_type"]).rename_columns(["event_id", "parent_id", "made_type"])
    joined = made.join(true, "event_id", join_type="left outer")
    correct = pc.fill_null(pc.equal(joined["parent_id"], joined["true_parent_id"]), False)
    per_made = pa.table({"link_type": joined["made_type"], "correct": pc.cast(correct, pa.int64())}).group_by(
        "link_type").aggregate([("correct", "sum"), ("correct", "count")])
    per_true = true.group_by("link_type").aggregate([("event_id", "count")])
    out = per_true.join(per_made, "link_type", join_type="full outer").sort_by("link_type")
    true_n = pc.fill_null(out["event_id_count"], 0)
    made_n = pc.fill_null(out["correct_count"], 0)
    ok = pc.fill_null(out["correct_sum"], 0)
    return pa.table({
        "link_type": out["link_type"], "true_links": true_n, "links_made": made_n, "correct": ok,
        "precision": pc.divide(pc.cast(ok, pa.float64()), pc.cast(pc.max_element_wise(made_n, 1), pa.float64())),
        "recall": pc.divide(pc.cast(ok, pa.float64()), pc.cast(pc.max_element_wise(true_n, 1), pa.float64())),
    })
