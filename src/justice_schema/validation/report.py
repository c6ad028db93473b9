"""The validation report: issues as rows, summaries by code, field and agency, completeness, JSON and HTML.

>>> from justice_schema.validation import validate_records
>>> report = validate_records([{"id": "p-1", "source": {"agency_ori": "UT0180000", "system": "rms",
...     "record_key": "1", "extracted_at": "2024-05-01T12:00:00Z"}, "sex": "X"}], "person")
>>> report.rows_in, report.rows_valid, report.rows_rejected
(1, 0, 1)
>>> report.by_code().to_pylist()[0]["code"]
'JS-P04'
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.issues import ISSUE_SCHEMA
from justice_schema.validation.completeness import COMPLETENESS_SCHEMA
from justice_schema.validation.html import render_html
from justice_schema.validation.rules import rule

__all__ = ["ValidationReport", "DEFAULT_JSON_ISSUE_LIMIT"]

#: How many issue rows the JSON report lists by default (the rejects file has them all).
DEFAULT_JSON_ISSUE_LIMIT = 10_000


def _check_counts(instance: ValidationReport, attribute: Any, value: int) -> None:
    if instance.rows_in != instance.rows_valid + instance.rows_rejected:
        raise ValueError(
            f"counts do not reconcile: rows_in {instance.rows_in} != rows_valid {instance.rows_valid} "
            f"+ rows_rejected {instance.rows_rejected}"
        )


@attrs.frozen(slots=True, eq=False)
class ValidationReport:
    """What validating a batch found.

    ``issues`` is an Arrow table with one row per issue (see
    :data:`~justice_schema.validation.issues.ISSUE_SCHEMA`); values are
    redacted unless validation ran with ``redact=False``. ``completeness`` is
    the profile per agency and field. ``rows_in == rows_valid + rows_rejected``
    always holds: a row is rejected when it has at least one error (warnings
    do not reject). ``notes`` are remarks about the input itself (a removed
    byte-order mark, mixed line endings).
    """

    entity: str
    schema_version: str
    rows_in: int
    rows_valid: int
    rows_rejected: int = attrs.field(validator=_check_counts)
    issues: pa.Table = attrs.field(factory=ISSUE_SCHEMA.empty_table)
    completeness: pa.Table = attrs.field(factory=COMPLETENESS_SCHEMA.empty_table)
    source: str | None = None
    notes: tuple[str, ...] = ()
    redacted: bool = True
    as_of: date = attrs.field(factory=date.today)
    engine: str = "columnar"

    # ------------------------------------------------------------------ numbers

    @property
    def error_count(self) -> int:
        """Number of error issues."""
        return int(pc.sum(pc.equal(self.issues.column("severity"), "error")).as_py() or 0)

    @property
    def warning_count(self) -> int:
        """Number of warning issues."""
        return int(pc.sum(pc.equal(self.issues.column("severity"), "warning")).as_py() or 0)

    @property
    def ok(self) -> bool:
        """True when no row was rejected and there are no errors (warnings allowed)."""
        return self.rows_rejected == 0 and self.error_count == 0

    def error_rows(self, entity: str | None = None) -> pa.Array:
        """Row numbers (1-based) of the rejected rows, ascending (of one entity in a multi-table report)."""
        mask = pc.equal(self.issues.column("severity"), "error")
        if entity is not None:
            mask = pc.and_(mask, pc.equal(self.issues.column("entity"), entity))
        rows = pc.unique(self.issues.filter(mask).column("row").combine_chunks()) if self.issues.num_rows else None
        if rows is None or not len(rows):
            return pa.array([], pa.int64())
        return pc.take(rows, pc.sort_indices(rows))

    # ------------------------------------------------------------------ summaries

    def by_code(self) -> pa.Table:
        """Issues and distinct rows per rule code, most frequent first, with severity and message."""
        if not self.issues.num_rows:
            return pa.table({"code": pa.array([], pa.string()), "severity": pa.array([], pa.string()),
                             "message": pa.array([], pa.string()), "issues": pa.array([], pa.int64()),
                             "rows": pa.array([], pa.int64())})
        grouped = self.issues.group_by(["code", "severity"], use_threads=False).aggregate([
            ("code", "count", pc.CountOptions(mode="all")),
            ("row", "count_distinct"),
            ("row", "count", pc.CountOptions(mode="only_null")),
            ("message", "first"),
        ])
        messages = []
        for code, first in zip(grouped.column("code").to_pylist(), grouped.column("message_first").to_pylist()):
            try:
                messages.append(rule(code, self.schema_version).message)
            except KeyError:
                messages.append(first)
        rows = pc.add(grouped.column("row_count_distinct"), grouped.column("row_count"))
        table = pa.table({"code": grouped.column("code"), "severity": grouped.column("severity"),
                          "message": pa.array(messages, pa.string()),
                          "issues": pc.cast(grouped.column("code_count"), pa.int64()),
                          "rows": pc.cast(rows, pa.int64())})
        return table.sort_by([("issues", "descending"), ("code", "ascending")])

    def by_field(self) -> pa.Table:
        """Issues per entity, field and code, most frequent first."""
        if not self.issues.num_rows:
            return pa.table({"entity": pa.array([], pa.string()), "field": pa.array([], pa.string()),
                             "code": pa.array([], pa.string()), "issues": pa.array([], pa.int64())})
        grouped = self.issues.group_by(["entity", "field", "code"]).aggregate(
            [("code", "count", pc.CountOptions(mode="all"))])
        grouped = grouped.rename_columns(["entity", "field", "code", "issues"])
        return grouped.sort_by([("issues", "descending"), ("field", "ascending")])

    def by_agency(self) -> pa.Table:
        """Per agency ORI: rows (from the completeness profile), errors, warnings and rejected rows."""
        rows: dict[str, int] = {}
        for item in self.completeness.select(["agency_ori", "rows"]).to_pylist():
            rows[item["agency_ori"]] = item["rows"]
        stats: dict[str, dict[str, Any]] = {}
        issues = self.issues.select(["agency_ori", "severity", "row", "entity"]).to_pylist() if self.issues.num_rows <= 2_000_000 else []
        rejected: dict[str, set[tuple[str, int]]] = {}
        for item in issues:
            ori = item["agency_ori"] or "(none)"
            entry = stats.setdefault(ori, {"errors": 0, "warnings": 0})
            entry["errors" if item["severity"] == "error" else "warnings"] += 1
            if item["severity"] == "error":
                rejected.setdefault(ori, set()).add((item["entity"], item["row"]))
        out = []
        for ori in sorted(set(rows) | set(stats)):
            entry = stats.get(ori, {"errors": 0, "warnings": 0})
            out.append({"agency_ori": ori, "rows": rows.get(ori), "errors": entry["errors"],
                        "warnings": entry["warnings"], "rows_rejected": len(rejected.get(ori, ()))})
        schema = pa.schema([("agency_ori", pa.string()), ("rows", pa.int64()), ("errors", pa.int64()),
                            ("warnings", pa.int64()), ("rows_rejected", pa.int64())])
        return pa.Table.from_pylist(out, schema=schema)

    def completeness_profile(self, agency_ori: str | None = None) -> pa.Table:
        """The completeness profile, optionally of one agency."""
        if agency_ori is None:
            return self.completeness
        return self.completeness.filter(pc.equal(self.completeness.column("agency_ori"), agency_ori))

    # ------------------------------------------------------------------ output

    def to_dict(self, max_issues: int | None = DEFAULT_JSON_ISSUE_LIMIT) -> dict[str, Any]:
        """The report as JSON-compatible data; at most ``max_issues`` issue rows (``None``: all)."""
        issues = self.issues if max_issues is None else self.issues.slice(0, max_issues)
        codes = []
        for item in self.by_code().to_pylist():
            try:
                found = rule(item["code"], self.schema_version)
                item.update(rationale=found.rationale, nibrs_edits=list(found.nibrs_edits))
            except KeyError:
                pass
            codes.append(item)
        return {
            "entity": self.entity,
            "schema_version": self.schema_version,
            "source": self.source,
            "engine": self.engine,
            "as_of": self.as_of.isoformat(),
            "redacted": self.redacted,
            "rows_in": self.rows_in,
            "rows_valid": self.rows_valid,
            "rows_rejected": self.rows_rejected,
            "errors": self.error_count,
            "warnings": self.warning_count,
            "notes": list(self.notes),
            "by_code": codes,
            "by_field": self.by_field().to_pylist(),
            "by_agency": self.by_agency().to_pylist(),
            "completeness": self.completeness.to_pylist(),
            "issues": issues.to_pylist(),
            "issues_listed": issues.num_rows,
            "issues_total": self.issues.num_rows,
        }

    def to_json(self, path: str | Path | None = None, *, max_issues: int | None = DEFAULT_JSON_ISSUE_LIMIT) -> str:
        """The report as JSON text; also written to ``path`` when given."""
        text = json.dumps(self.to_dict(max_issues), indent=2, ensure_ascii=False, default=str)
        if path is not None:
            Path(path).write_text(text + "\n", encoding="utf-8")
        return text

    def to_html(self, path: str | Path | None = None) -> str:
        """A readable HTML page with charts (inline SVG, no scripts); also written to ``path`` when given."""
        text = render_html(self)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def summary(self) -> str:
        """A few lines for a terminal: counts and the most frequent rules (no personal data)."""
        lines = [
            f"{self.entity} ({self.source or 'records'}): {self.rows_in:,} rows in, {self.rows_valid:,} valid, "
            f"{self.rows_rejected:,} rejected; {self.error_count:,} errors, {self.warning_count:,} warnings",
        ]
        lines.extend(f"note: {note}" for note in self.notes)
        for item in self.by_code().slice(0, 10).to_pylist():
            lines.append(f"  {item['code']}  {item['severity']:<7}  {item['issues']:>9,}  {item['message']}")
        return "\n".join(lines)
