"""HTML building blocks of the hub site: the page frame, sortable tables and charts.

Charts are drawn by Chart.js (``assets/chart.umd.min.js``, MIT licence, vendored from
the npm package ``chart.js``): a page only carries the chart's data as JSON and a
``<canvas>`` with a text alternative; ``assets/site.js`` hands them to Chart.js. No
geometry is computed here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from typing import Any

__all__ = ["page", "table", "chart", "esc"]


def esc(value: Any) -> str:
    """``value`` as HTML text (None is an empty cell)."""
    return "" if value is None else escape(str(value))


def page(title: str, body: str, *, depth: int = 0, nav: Sequence[tuple[str, str]] = ()) -> str:
    """A whole page: ``depth`` is how many folders below the site root it lives (for asset paths)."""
    up = "../" * depth
    links = "".join(f'<li><a href="{up}{href}">{esc(text)}</a></li>' for href, text in nav)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{esc(title)}</title><link rel="stylesheet" href="{up}assets/site.css"></head>\n'
            f'<body><header><nav aria-label="Site"><ul>{links}</ul></nav></header>\n'
            f'<main id="main">\n{body}\n</main>\n'
            f'<footer><p>Built by justice_schema. Charts: Chart.js (MIT).</p></footer>\n'
            f'<script src="{up}assets/chart.umd.min.js"></script><script src="{up}assets/site.js"></script>'
            f'</body></html>\n')


def table(caption: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], *, numeric: Sequence[int] = (),
          raw: Sequence[int] = (), table_id: str | None = None) -> str:
    """A sortable table with a caption; columns in ``numeric`` sort as numbers, ``raw`` cells are HTML."""
    ident = f' id="{esc(table_id)}"' if table_id else ""
    head = "".join(
        f'<th scope="col" data-type="{"number" if i in numeric else "text"}">'
        f'<button type="button">{esc(h)}</button></th>' for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = "".join(f'<td{" class=num" if i in numeric else ""}>{cell if i in raw else esc(cell)}</td>'
                        for i, cell in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    if not rows:
        body.append(f'<tr><td colspan="{len(headers)}">none</td></tr>')
    return (f'<table class="sortable"{ident}><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def chart(chart_id: str, kind: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *,
          summary: str, horizontal: bool = False, stacked: bool = False, percent: bool = False) -> str:
    """A Chart.js chart: its data as JSON and a ``<canvas>`` whose ``aria-label`` is ``summary``.

    ``kind`` is a Chart.js chart type (``"bar"``, ``"line"``); ``series`` are (label, values); a
    ``None`` value is a gap (no data for that label, e.g. a follow-up window nobody completed).
    """
    spec = {"type": kind, "labels": list(labels), "horizontal": horizontal, "stacked": stacked,
            "percent": percent, "series": [{"label": label, "values": [None if v is None else float(v) for v in values]}
                       for label, values in series]}
    data = json.dumps(spec).replace("</", "<\\/")
    height = max(160, 22 * len(labels) + 60) if horizontal else 280
    return (f'<figure class="chart"><div class="chart-box" style="height:{height}px">'
            f'<canvas id="{esc(chart_id)}" data-chart="{esc(chart_id)}-data" role="img" '
            f'aria-label="{esc(summary)}"><p>{esc(summary)}</p></canvas></div>'
            f'<figcaption>{esc(summary)}</figcaption>'
            f'<script type="application/json" id="{esc(chart_id)}-data">{data}</script></figure>')
