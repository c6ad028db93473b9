"""Completeness per agency and field: how often a field is filled, how often 'unknown', and why it matters.

Hubs show each agency how its gaps hurt others downstream. The profile counts,
per agency ORI and field, the rows where the field is present and where it is
coded as unknown, and attaches a sentence a records clerk understands about
what the gap breaks (:data:`IMPACT`).

The columnar :class:`CompletenessCounter` adds batches with group-by sums (no
per-row Python); :func:`count_records` does the same for a list of records.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.scalars import FALSE, scalar, value_set
from justice_schema.validation.constraints import FieldSpec, field_specs
from justice_schema.validation.expr import get_path
from justice_schema.validation.paths import BatchResolver

__all__ = ["IMPACT", "impact_of", "profiled_fields", "CompletenessCounter", "count_records", "profile_from_counts", "COMPLETENESS_SCHEMA"]

#: What a missing value breaks downstream, in plain words, by field name.
IMPACT: dict[str, str] = {
    "state_id": "Without the state id (SID), court dispositions and later arrests cannot be tied to this person "
                "with certainty, so their criminal history stays split across records.",
    "fbi_number": "Without the FBI number, out-of-state and federal records cannot be matched to this person.",
    "drivers_license_number": "Without the driver's licence number, this person is harder to match with court "
                              "and motor-vehicle records.",
    "date_of_birth": "Without a date of birth, age at arrest is unknown, juvenile records cannot be told apart, "
                     "and a prosecutor cannot find prior convictions to enhance a repeat charge.",
    "sex": "Missing or unknown sex leaves these records out of the demographic counts the state publishes "
           "and the FBI requires, and weakens identity matching.",
    "race": "Missing or unknown race leaves these records out of racial-disparity reports the legislature asks for.",
    "ethnicity": "Missing or unknown ethnicity leaves these records out of disparity reports.",
    "family_name": "Without a family name, the person can only be matched on identifiers.",
    "given_name": "Without a given name, name-based matching of this person fails.",
    "address": "Without an address, the person cannot be notified and residency-based reports leave them out.",
    "incident_id": "Without the incident, the arrest cannot be counted as clearing a reported crime.",
    "arrest_transaction_number": "Without the arrest transaction number, the prosecutor and the court cannot "
                                 "match the arrest to their case.",
    "ucr_arrest_offense_code": "Without the UCR arrest offense code, the arrest is left out of crime statistics "
                               "by offense.",
    "ucr_offense_code": "Without the UCR offense code, the record is left out of crime statistics by offense "
                        "and cannot be compared across agencies.",
    "arrestee_age": "Without the arrestee's age, juvenile arrests cannot be separated from adult arrests.",
    "arrest_type": "Without the type of arrest, on-view arrests and summonses cannot be told apart.",
    "arrested_at": "Without the time of arrest, time from arrest to booking cannot be measured.",
    "resident_status": "Without resident status, reports on non-resident arrests leave this record out.",
    "court_case_number": "Without the court case number, the charge cannot be matched to the court's disposition.",
    "statute_code": "Without the statute, the charge cannot be classified by severity or offense type across "
                    "agencies.",
    "severity": "Without the severity, felony and misdemeanor counts are wrong and pretrial risk tools lack input.",
    "filed_date": "Without the filing date, time from charge to disposition cannot be measured.",
    "offense_date": "Without the offense date, the charge cannot be lined up with the incident it came from.",
    "arrest_id": "Without the arrest id, the charge cannot be followed back to the arrest and the arresting agency.",
    "booking_id": "Without the booking id, the charge cannot be tied to the jail stay it held the person in.",
    "plea": "Without the plea, plea-bargaining and trial rates cannot be reported.",
    "sentence": "Without the sentence, sentencing outcomes and supervision terms cannot be reported.",
    "released_at": "Without release times, jail population and length-of-stay figures are wrong.",
    "release_reason": "Without the release reason, pretrial release and bail outcomes cannot be reported.",
    "facility_ori": "Without the facility ORI, the jail stay cannot be attributed to the right facility.",
    "end_date": "Without the end date, time on supervision and completion rates are wrong.",
    "termination_reason": "Without the termination reason, revocation and completion rates cannot be reported.",
    "disposition_id": "Without the disposition id, the supervision cannot be tied to the sentence that ordered it.",
    "exceptional_clearance_date": "Without the clearance date, time-to-clearance figures are wrong.",
    "cleared_exceptionally": "Without the clearance code, clearance rates are understated.",
    "location_type": "Without the location, reports by place of crime leave this record out.",
}

_SKIP = {"entity_type", "schema_version", "id"}

COMPLETENESS_SCHEMA = pa.schema([
    ("agency_ori", pa.string()),
    ("field", pa.string()),
    ("rows", pa.int64()),
    ("present", pa.int64()),
    ("unknown", pa.int64()),
    ("pct_present", pa.float64()),
    ("pct_unknown", pa.float64()),
    ("impact", pa.string()),
])


def impact_of(field: str, spec: FieldSpec | None = None) -> str:
    """The downstream impact of a gap in ``field``, in plain words."""
    name = field.split(".")[-1]
    if field in IMPACT:
        return IMPACT[field]
    if name in IMPACT:
        return IMPACT[name]
    what = (spec.description if spec else "") or field.replace("_", " ")
    what = what.rstrip(".").split(" (")[0]
    return f"Reports and counts that use this field ({what[0].lower() + what[1:]}) leave these records out."


def profiled_fields(entity_type: str, schema_version: str) -> list[FieldSpec]:
    """The fields the profile covers: every field and nested part outside lists, except ids, raws and provenance."""
    out = []
    for spec in field_specs(entity_type, schema_version):
        if "[]" in spec.steps or spec.steps[0] in _SKIP or spec.steps[0] == "source":
            continue
        if spec.steps[-1].endswith("_raw") or spec.steps[-1] == "raw":
            continue
        if spec.kind == "struct" and len(spec.steps) > 1:
            continue
        out.append(spec)
    return out


class CompletenessCounter:
    """Adds up present / unknown counts per agency and field over batches."""

    def __init__(self, entity_type: str, schema_version: str) -> None:
        self.specs = profiled_fields(entity_type, schema_version)
        self._parts: list[pa.Table] = []

    def add(self, batch: pa.RecordBatch, resolver: BatchResolver | None = None) -> None:
        """Count one canonical batch.

        Fields that are filled in every row (or in none) need no grouping:
        their count per agency is the agency's row count (or zero). Only the
        partly filled fields go through the group-by.
        """
        n = batch.num_rows
        if not n:
            return
        resolver = resolver or BatchResolver(batch)
        try:
            agency, _ = resolver.resolve_raw(("source", "agency_ori"))
        except KeyError:
            agency = pa.nulls(n, pa.string())
        if agency.null_count:
            agency = pc.fill_null(agency.dictionary_decode() if pa.types.is_dictionary(agency.type) else agency,
                                  scalar("(none)"))
        columns: dict[str, pa.Array | None] = {"agency_ori": agency}  # grouped as read: a dictionary stays encoded
        full: list[str] = []
        for i, spec in enumerate(self.specs):
            try:
                values, _ = resolver.resolve_raw(spec.steps)
            except KeyError:
                continue
            if spec.kind == "list":
                present = pc.fill_null(pc.greater(pc.list_value_length(values), scalar(0, pa.int32())), FALSE)
                filled = present.true_count
            else:
                present = None
                filled = n - values.null_count
            if filled == n:
                full.append(f"p{i}")
            elif filled == 0:
                columns[f"p{i}"] = None
            else:
                columns[f"p{i}"] = present if present is not None else pc.is_valid(values)
            if spec.unknown_codes and filled:
                plain = values.dictionary_decode() if pa.types.is_dictionary(values.type) else values
                unknown = pc.fill_null(pc.is_in(plain, value_set=value_set(frozenset(spec.unknown_codes))), FALSE)
                if unknown.true_count:
                    columns[f"u{i}"] = unknown
                else:
                    columns[f"u{i}"] = None
        zeros = [name for name, value in columns.items() if value is None]
        grouped = {name: value for name, value in columns.items() if value is not None}
        aggregations = [(name, "sum") for name in grouped if name != "agency_ori"] + [("agency_ori", "count")]
        table = pa.table(grouped).group_by("agency_ori").aggregate(aggregations)
        names = [c.removesuffix("_sum") for c in table.column_names]
        names = ["n" if c == "agency_ori_count" else c for c in names]
        table = table.rename_columns(names)
        count = pc.cast(table.column("n"), pa.int64())
        for name in full:
            table = table.append_column(name, count)
        for name in zeros:
            table = table.append_column(name, pc.multiply(count, 0))
        table = pa.table({name: pc.cast(table.column(name), pa.int64() if name != "agency_ori" else pa.string())
                          for name in table.column_names})
        self._parts.append(table)

    def partial(self) -> pa.Table:
        """The counts so far, one row per agency (``agency_ori``, ``n``, then ``p<i>`` present and
        ``u<i>`` unknown per profiled field ``i``; null where a field was not in the batches):
        partial counts of several counters add up, column by column, to the whole input's,
        and :func:`profile_from_counts` turns the sums into the profile."""
        if not self._parts:
            return pa.table({"agency_ori": pa.array([], pa.string()), "n": pa.array([], pa.int64())})
        merged = pa.concat_tables(self._parts, promote_options="default")
        sums = [(c, "sum") for c in merged.column_names if c != "agency_ori"]
        merged = merged.group_by("agency_ori").aggregate(sums)
        return merged.rename_columns([c.removesuffix("_sum") for c in merged.column_names])

    def result(self) -> pa.Table:
        """The profile: one row per agency and field, sorted by agency then field order."""
        if not self._parts:
            return COMPLETENESS_SCHEMA.empty_table()
        merged = pa.concat_tables(self._parts, promote_options="default")
        sums = [(c, "sum") for c in merged.column_names if c != "agency_ori"]
        merged = merged.group_by("agency_ori").aggregate(sums)
        merged = merged.rename_columns([c.removesuffix("_sum") for c in merged.column_names])
        rows = merged.to_pylist()  # one row per agency: small
        return _long_form(rows, self.specs)


def profile_from_counts(per_agency: list[dict[str, Any]], entity_type: str, schema_version: str) -> pa.Table:
    """The completeness profile from summed :meth:`CompletenessCounter.partial` rows (as dicts;
    a field whose count is absent or None was in none of the batches)."""
    rows = [{k: v for k, v in row.items() if v is not None} for row in per_agency]
    return _long_form(rows, profiled_fields(entity_type, schema_version))


def _long_form(per_agency: list[dict[str, Any]], specs: list[FieldSpec]) -> pa.Table:
    out: list[dict[str, Any]] = []
    for agency in sorted(per_agency, key=lambda r: r["agency_ori"]):
        n = int(agency.get("n") or 0)
        for i, spec in enumerate(specs):
            if f"p{i}" not in agency:
                continue
            present = int(agency.get(f"p{i}") or 0)
            unknown = int(agency.get(f"u{i}") or 0)
            out.append({
                "agency_ori": agency["agency_ori"], "field": spec.field, "rows": n, "present": present,
                "unknown": unknown,
                "pct_present": round(100.0 * present / n, 2) if n else 0.0,
                "pct_unknown": round(100.0 * unknown / n, 2) if n else 0.0,
                "impact": impact_of(spec.field, spec),
            })
    return pa.Table.from_pylist(out, schema=COMPLETENESS_SCHEMA)


def count_records(records: Iterable[Any], entity_type: str, schema_version: str) -> pa.Table:
    """The completeness profile of records (models or dicts), for the per-record engine."""
    specs = profiled_fields(entity_type, schema_version)
    agencies: dict[str, dict[str, Any]] = {}
    for record in records:
        ori = get_path(record, "source.agency_ori")
        key = ori if isinstance(ori, str) else "(none)"
        counts = agencies.setdefault(key, {"agency_ori": key, "n": 0})
        counts["n"] += 1
        for i, spec in enumerate(specs):
            value = get_path(record, spec.field)
            present = bool(value) if spec.kind == "list" else value is not None
            counts[f"p{i}"] = counts.get(f"p{i}", 0) + int(present)
            if spec.unknown_codes:
                counts[f"u{i}"] = counts.get(f"u{i}", 0) + int(value in spec.unknown_codes)
    return _long_form(list(agencies.values()), specs)
