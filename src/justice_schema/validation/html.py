"""The HTML page of a validation report: counts, charts (inline SVG, no scripts), tables.

The page is self-contained (one file, no JavaScript, no external assets), so it
can be mailed to an agency or opened from a file share. It shows no personal
values unless the report was built with ``redact=False``.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any, Protocol

import pyarrow as pa

__all__ = ["ReportPage", "render_html", "bar_chart_svg", "heatmap_svg"]


class ReportPage(Protocol):
    """What the page reads from a report (a :class:`~justice_schema.validation.ValidationReport` has it all).

    The page depends on this shape only, so the report can render itself
    without the two modules importing each other.
    """

    @property
    def entity(self) -> str: ...

    @property
    def schema_version(self) -> str: ...

    @property
    def rows_in(self) -> int: ...

    @property
    def rows_valid(self) -> int: ...

    @property
    def rows_rejected(self) -> int: ...

    @property
    def issues(self) -> pa.Table: ...

    @property
    def completeness(self) -> pa.Table: ...

    @property
    def source(self) -> str | None: ...

    @property
    def notes(self) -> tuple[str, ...]: ...

    @property
    def redacted(self) -> bool: ...

    @property
    def as_of(self) -> date: ...

    @property
    def engine(self) -> str: ...

    @property
    def error_count(self) -> int: ...

    @property
    def warning_count(self) -> int: ...

    def by_code(self) -> pa.Table: ...

    def by_agency(self) -> pa.Table: ...

    def by_field(self) -> pa.Table: ...


_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#222;max-width:1200px}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:.85rem}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left}
th{background:#f4f4f4}.num{text-align:right}.error{color:#a40000}.warning{color:#8a5a00}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;padding:.75rem 1rem}
.card b{display:block;font-size:1.4rem}.note{color:#555}
"""


def _color(pct: float) -> str:
    """Red (0 %) to green (100 %)."""
    pct = max(0.0, min(100.0, pct))
    red = int(220 - 1.6 * pct)
    green = int(80 + 1.3 * pct)
    return f"rgb({red},{green},90)"


def bar_chart_svg(items: list[tuple[str, float, str]], *, width: int = 640, unit: str = "") -> str:
    """A horizontal bar chart: ``(label, value, css colour)`` per bar."""
    if not items:
        return "<p class='note'>Nothing to show.</p>"
    bar_h, gap, label_w = 18, 6, 260
    top = max(v for _, v, _ in items) or 1
    height = len(items) * (bar_h + gap) + gap
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img'>"]
    for i, (label, value, color) in enumerate(items):
        y = gap + i * (bar_h + gap)
        w = max(1, int((width - label_w - 80) * value / top))
        parts.append(f"<text x='{label_w - 6}' y='{y + 13}' font-size='12' text-anchor='end'>{escape(label)}</text>")
        parts.append(f"<rect x='{label_w}' y='{y}' width='{w}' height='{bar_h}' fill='{color}'>"
                     f"<title>{escape(label)}: {value:,.0f}{unit}</title></rect>")
        parts.append(f"<text x='{label_w + w + 4}' y='{y + 13}' font-size='12'>{value:,.0f}{unit}</text>")
    parts.append("</svg>")
    return "".join(parts)


def heatmap_svg(agencies: list[str], fields: list[str], pct: dict[tuple[str, str], float]) -> str:
    """Completeness by agency (rows) and field (columns), each cell coloured by percent present."""
    if not agencies or not fields:
        return "<p class='note'>Nothing to show.</p>"
    cell, label_w, label_h = 22, 110, 150
    width = label_w + cell * len(fields) + 140  # room for the last rotated labels
    height = label_h + cell * len(agencies) + 10
    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img'>"]
    for j, field in enumerate(fields):
        x = label_w + j * cell + cell // 2
        parts.append(f"<text transform='translate({x},{label_h - 6}) rotate(-60)' font-size='11'>{escape(field)}</text>")
    for i, agency in enumerate(agencies):
        y = label_h + i * cell
        parts.append(f"<text x='{label_w - 6}' y='{y + 15}' font-size='11' text-anchor='end'>{escape(agency)}</text>")
        for j, field in enumerate(fields):
            value = pct.get((agency, field))
            if value is None:
                continue
            x = label_w + j * cell
            parts.append(f"<rect x='{x}' y='{y}' width='{cell - 2}' height='{cell - 2}' fill='{_color(value)}'>"
                         f"<title>{escape(agency)} · {escape(field)}: {value:.1f}% present</title></rect>")
    parts.append("</svg>")
    return "".join(parts)


def _table(rows: list[dict[str, Any]], columns: list[str], numeric: set[str] = frozenset()) -> str:  # type: ignore[assignment]
    if not rows:
        return "<p class='note'>None.</p>"
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = []
    for row in rows:
        cells = []
        for c in columns:
            value = row.get(c)
            text = "" if value is None else (f"{value:,}" if isinstance(value, int) else str(value))
            css = " class='num'" if c in numeric else (f" class='{escape(str(value))}'" if c == "severity" else "")
            cells.append(f"<td{css}>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def render_html(report: ReportPage, *, max_issues: int = 500) -> str:
    """The report as one self-contained HTML page."""
    by_code = report.by_code().to_pylist()
    completeness = report.completeness.to_pylist()
    agencies = sorted({r["agency_ori"] for r in completeness})
    fields = list(dict.fromkeys(r["field"] for r in completeness))
    pct = {(r["agency_ori"], r["field"]): r["pct_present"] for r in completeness}
    top = [(f"{r['code']} {r['message'][:30]}", r["issues"], "#b03a2e" if r["severity"] == "error" else "#c9962b")
           for r in by_code[:15]]
    overall: dict[str, list[int]] = {}
    for r in completeness:
        acc = overall.setdefault(r["field"], [0, 0, 0, 0])
        acc[0] += r["rows"]
        acc[1] += r["present"]
        acc[2] += r["unknown"]
    gaps = []
    for field, (rows, present, unknown, _) in overall.items():
        if rows:
            gaps.append({"field": field, "pct_present": round(100 * present / rows, 1),
                         "pct_unknown": round(100 * unknown / rows, 1),
                         "impact": next(r["impact"] for r in completeness if r["field"] == field)})
    gaps.sort(key=lambda g: g["pct_present"])
    weakest = [g for g in gaps if g["pct_present"] < 100 or g["pct_unknown"] > 0][:15]
    issues = report.issues.slice(0, max_issues).to_pylist()
    cards = [("rows in", report.rows_in), ("valid", report.rows_valid), ("rejected", report.rows_rejected),
             ("errors", report.error_count), ("warnings", report.warning_count)]
    notes = "".join(f"<li>{escape(n)}</li>" for n in report.notes)
    redaction = ("Personal values are redacted." if report.redacted
                 else "<b>This report shows personal values: handle it as restricted data.</b>")
    return "".join([
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Validation report: {escape(report.entity)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Validation report: {escape(report.entity)} ({escape(report.source or 'records')})</h1>",
        f"<p class='note'>Schema {escape(report.schema_version)} · validated as of {report.as_of.isoformat()} · "
        f"{escape(report.engine)} engine · {redaction}</p>",
        "<div class='cards'>",
        *(f"<div class='card'><b>{value:,}</b>{escape(label)}</div>" for label, value in cards),
        "</div>",
        f"<ul class='note'>{notes}</ul>" if notes else "",
        "<h2>Top rule violations</h2>", bar_chart_svg(top),
        _table(by_code, ["code", "severity", "issues", "rows", "message"], {"issues", "rows"}),
        "<h2>Completeness by agency and field</h2>",
        "<p class='note'>Each cell is the share of the agency's rows where the field is filled "
        "(green 100 %, red 0 %). Hover for the figure.</p>",
        heatmap_svg(agencies, fields, pct),
        "<h2>Gaps that hurt downstream</h2>",
        _table(weakest, ["field", "pct_present", "pct_unknown", "impact"], {"pct_present", "pct_unknown"}),
        "<h2>By agency</h2>",
        _table(report.by_agency().to_pylist(), ["agency_ori", "rows", "errors", "warnings", "rows_rejected"],
               {"rows", "errors", "warnings", "rows_rejected"}),
        "<h2>By field</h2>",
        _table(report.by_field().slice(0, 50).to_pylist(), ["entity", "field", "code", "issues"], {"issues"}),
        f"<h2>Issues (first {min(max_issues, report.issues.num_rows):,} of {report.issues.num_rows:,})</h2>",
        _table(issues, ["row", "record_id", "agency_ori", "field", "code", "severity", "message", "value"], {"row"}),
        "</body></html>\n",
    ])
