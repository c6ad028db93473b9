"""One publication: a canonical table (and its people) through a profile to records or count tables.

The order is the promise: rows flagged ``sealed`` or ``expunged`` are removed *first*, before any
transform, count, measure, log line or error can see them (unless the profile is of the
restricted tier and says ``include_sealed``); then the juvenile rule; then each column's rule;
then k-anonymity; then the aggregates with suppression; the risk report last.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.errors import InputError
from justice_schema.privacy import transforms as tf
from justice_schema.privacy.keys import PseudonymKey, day_offsets, pseudonymise
from justice_schema.privacy.noise import laplace_counts
from justice_schema.privacy.profile import Aggregate, FieldRule, Profile
from justice_schema.privacy.risk import RiskMeasures, RiskReport, k_anonymity, measure
from justice_schema.privacy.suppression import TOTAL, CountTable, bridges, count_table, suppress, with_totals
from justice_schema.privacy.view import View, build_view, flag_mask

__all__ = ["Publication", "publish", "aggregate_table"]

log = logging.getLogger("justice_schema.privacy")


@attrs.frozen(slots=True)
class Publication:
    """What a profile publishes: ``records`` (record-level tiers) or ``aggregates`` (name to long
    count table), and the :class:`~justice_schema.privacy.risk.RiskReport`."""

    profile: Profile
    records: pa.Table | None
    aggregates: dict[str, pa.Table]
    report: RiskReport


def _transform(name: str, values: pa.Array, rule: FieldRule, key: PseudonymKey | None,
               persons: pa.Array | None) -> pa.Array | None:
    """The published column for ``rule`` (``None``: dropped)."""
    action, options = rule.action, rule.options
    if action == "drop":
        return None
    if action == "keep":
        return values
    if pa.types.is_list(values.type) or pa.types.is_large_list(values.type):
        raise InputError(f"{action} applies to single values, not to a repeated value; keep or drop it",
                         field=name)
    if action == "pseudonym":
        assert key is not None
        return pseudonymise(values, key, label=name.rsplit(".", 1)[-1])
    if action == "age_band":
        if not (pa.types.is_integer(values.type) or pa.types.is_floating(values.type)):
            raise InputError("age_band needs a column of ages in whole years", field=name)
        return tf.age_band(values, options["bands"])
    if action in ("month", "year", "date_shift") and not (
            pa.types.is_date(values.type) or pa.types.is_timestamp(values.type)):
        raise InputError(f"{action} needs a date or instant column", field=name)
    if action == "month":
        return tf.to_month(values)
    if action == "year":
        return tf.to_year(values)
    if action == "date_shift":
        assert key is not None
        if persons is None:
            raise InputError("date_shift needs a person_id column to shift each person's dates alike", field=name)
        shifted = tf.shift_dates(values, day_offsets(persons, key, options["max_days"]))
        return {"day": shifted, "month": tf.to_month(shifted), "year": tf.to_year(shifted)}[options["then"]]
    if action == "geography":
        return tf.coarsen_geography(values, options["level"])
    return tf.merge_rare(values, options["min_count"], options["other"])  # merge_rare


def _apply_rules(view: View, profile: Profile, key: PseudonymKey | None) -> pa.Table:
    table = view.table
    persons = None
    for name in ("person_id", "id"):
        if name in table.column_names:
            persons = table.column(name).combine_chunks()
            break
    out: dict[str, pa.Array] = {}
    for name in table.column_names:
        rule = profile.rule_for(name, view.classes.get(name))
        published = _transform(name, table.column(name).combine_chunks(), rule, key, persons)
        if published is not None:
            out[name] = published
    return pa.table(out) if out else pa.table({"rows": pa.nulls(table.num_rows, pa.null())}).drop_columns(["rows"])


def _measured(table: pa.Table, profile: Profile) -> RiskMeasures | None:
    if not profile.quasi_identifiers:
        return None
    return measure(table, profile.quasi_identifiers, profile.sensitive_attribute)


def aggregate_table(table: pa.Table, aggregate: Aggregate, noise: Callable[..., Any] = laplace_counts
                    ) -> tuple[pa.Table, dict[str, Any], dict[str, Any] | None, CountTable]:
    """Count ``table`` as ``aggregate`` says, with noise when it has an ``epsilon``, then suppress.

    Returns the long table (one row per cell, totals labelled ``(all)``, a suppressed count null),
    its figures, the privacy budget spent (or ``None``) and the :class:`CountTable`.
    """
    for name in (*aggregate.rows, aggregate.column):
        if name not in table.column_names:
            raise InputError(f"aggregate {aggregate.name!r} counts by {name!r}, which this profile does not "
                             f"publish (dropped, or no such column)", field=name)
    counts = count_table(table, aggregate.rows, aggregate.column)
    budget = None
    if aggregate.epsilon is not None:
        noisy, budget = noise(counts.counts[:-1, :-1], aggregate.epsilon)
        counts = with_totals(counts.row_keys, counts.column_keys, noisy)
    done = suppress(counts, aggregate.threshold)
    row_keys = [*done.row_keys, tuple([TOTAL] * len(aggregate.rows))]
    column_keys = [*done.column_keys, TOTAL]
    n_rows, n_cols = done.counts.shape
    ri = np.repeat(np.arange(n_rows), n_cols)
    ci = np.tile(np.arange(n_cols), n_rows)
    status = done.status.reshape(-1)
    data: dict[str, pa.Array] = {}
    for d, name in enumerate(aggregate.rows):
        labels = pa.array([key[d] for key in row_keys], pa.string())
        data[name] = pc.take(labels, pa.array(ri))
    data[aggregate.column] = pc.take(pa.array(column_keys, pa.string()), pa.array(ci))
    values = pa.array(done.counts.reshape(-1), pa.int64())
    data["count"] = pc.if_else(pa.array(status > 0), pa.scalar(None, pa.int64()), values)
    data["suppressed"] = pc.take(pa.array([None, "primary", "complementary"], pa.string()), pa.array(status))
    long = pa.table(data)
    published = done.counts[(done.status == 0) & (done.counts > 0)]
    figures = {"name": aggregate.name, "rows": list(aggregate.rows), "column": aggregate.column,
               "threshold": aggregate.threshold, "cells": int(done.counts.size),
               "primary_suppressed": int((done.status == 1).sum()),
               "complementary_suppressed": int((done.status == 2).sum()),
               "smallest_published_nonzero": int(published.min()) if published.size else None,
               "published_under_threshold": int(((done.status == 0) & (done.counts > 0)
                                                 & (done.counts < aggregate.threshold)).sum()),
               "recomputable_suppressed": len(bridges(done.status > 0)),
               "noise": "laplace" if budget else None}
    return long, figures, budget, done


def publish(subject: pa.Table, profile: Profile, *, person: pa.Table | None = None,
            key: PseudonymKey | None = None) -> Publication:
    """Publish ``subject`` (a canonical entity table, optionally with its ``person`` table) under ``profile``.

    Raises :class:`InputError` when the profile needs a key and none is given, or when a rule does
    not fit its column (the message names the column, never a value).
    """
    if profile.uses_key and key is None:
        raise InputError(f"profile {profile.name!r} pseudonymises or shifts dates and needs a pseudonym key: "
                         f"set {profile.key_env} or pass --key-file")
    view = build_view(subject, person)
    table = view.table
    rows: dict[str, int] = {"input": table.num_rows}
    if "\x00matched" in table.column_names:  # rows whose person_id found no person: kept, counted
        rows["without_person"] = int(pc.sum(pc.invert(table.column("\x00matched"))).as_py() or 0)
        table = table.drop_columns(["\x00matched"])
    if not profile.include_sealed:
        barred = pc.or_(flag_mask(table, "sealed"), flag_mask(table, "expunged"))
        table = table.filter(pc.invert(barred))
        rows["withheld_sealed_or_expunged"] = rows["input"] - table.num_rows
    juvenile = flag_mask(table, "juvenile_record")
    n_juvenile = int(pc.sum(juvenile).as_py() or 0)
    record_rows = table if profile.juvenile == "keep" else table.filter(pc.invert(juvenile))
    count_rows = table if profile.juvenile != "drop" else record_rows
    base = record_rows if profile.output == "records" else count_rows
    if profile.juvenile == "drop" or (profile.juvenile == "aggregate_only" and profile.output == "records"):
        rows["withheld_juvenile"] = n_juvenile
    log.info("publish %s: %d rows in, %d after the record flags", profile.name, rows["input"], table.num_rows)
    before = _measured(base, profile)
    published = _apply_rules(View(base, view.classes), profile, key)
    records = None
    aggregates: dict[str, pa.Table] = {}
    figures: list[dict[str, Any]] = []
    budgets: dict[str, Any] = {}
    if profile.output == "records":
        records, withheld, recoded = k_anonymity(published, profile.quasi_identifiers, profile.k, profile.recode)
        rows["withheld_k_anonymity"] = withheld
        rows["published"] = records.num_rows
        after = _measured(records, profile)
    else:
        for aggregate in profile.aggregates:
            long, figs, budget, _ = aggregate_table(published, aggregate)
            aggregates[aggregate.name] = long
            figures.append(figs)
            if budget:
                budgets[aggregate.name] = budget
        rows["counted"] = published.num_rows
        after = None
        recoded = {}
    log.info("publish %s: done (%s)", profile.name, ", ".join(f"{k} {v}" for k, v in rows.items()))
    report = RiskReport(profile.name, profile.version, profile.tier, before, after, tuple(figures), rows,
                        budgets or None, recoded)
    return Publication(profile, records, aggregates, report)


