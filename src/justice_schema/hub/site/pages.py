"""The pages of the hub site, as a registry of page kinds, and the DuckDB queries behind them.

Each :class:`PageKind` turns the database into one or more pages. The built-in kinds are
the overview (``index.html``), one page per agency (``agency/<slug>.html``) and the data
catalogue (``catalogue.html``). Case-flow pages and (restricted profile only) person
timelines join with :func:`register_page`. :data:`QUERIES` are the SQL the pages run
(``benchmarks/hub.py`` times them).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import attrs

from justice_schema.hub.named import register_named
from justice_schema.hub.site.catalogue import catalogue_rows
from justice_schema.hub.site.html import chart, esc, table
from justice_schema.hub.store import query

__all__ = ["QUERIES", "SitePage", "PageKind", "PAGES", "register_page", "slug", "AGENCY_SECTIONS", "site_tier",
           "withhold_values"]

#: The queries behind the pages; ``?`` is the agency of an agency page.
QUERIES: dict[str, str] = {
    "agencies": "SELECT * FROM agency_quality ORDER BY hub_agency",
    "last_load": "SELECT * FROM hub_loads ORDER BY build DESC LIMIT 1",
    "exports": "SELECT hub_export, hub_agency, translator, rows_in, records_out, rows_rejected "
               "FROM hub_exports ORDER BY hub_export",
    "completeness": "SELECT * FROM field_completeness WHERE hub_agency = ? ORDER BY entity, field",
    "violations": "SELECT * FROM rule_violations WHERE hub_agency = ? ORDER BY records DESC, code",
    "rejects": "SELECT * FROM reject_reasons WHERE hub_agency = ? ORDER BY rows DESC, code",
    "sources": "SELECT entity, field, list(DISTINCT translator ORDER BY translator) AS translators "
               "FROM hub_source_fields GROUP BY entity, field",
    "profile": "SELECT name, version, tier FROM hub_profile",
}

#: Sections added to the end of every agency page: ``section(con, agency)`` returns HTML (or "").
AGENCY_SECTIONS: list[Callable[[Any, str], str]] = []


def site_tier(con: Any) -> str:
    """The publication tier the hub was built for (``[hub] profile``; ``public`` for older databases)."""
    present = query(con, "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'hub_profile'")
    if not present.column("n")[0].as_py():
        return "public"
    rows = _rows(con, "profile")
    return str(rows[0]["tier"]) if rows else "public"


def withhold_values(text: str | None, tier: str) -> str | None:
    """``text`` with quoted source values replaced, unless the tier is ``restricted``.

    A reject message quotes the cell it could not read, which may be a name or a date of birth; only
    a restricted site shows them.

    >>> withhold_values("person.date_of_birth: '13/45/1980' is not a date", "public")
    'person.date_of_birth: <value withheld> is not a date'
    """
    if text is None or tier == "restricted":
        return text
    return re.sub(r"'[^']*'", "<value withheld>", text)


@attrs.frozen(slots=True)
class SitePage:
    """One page to write: its path under the site root, title and body HTML."""

    path: str
    title: str
    body: str


@attrs.frozen(slots=True)
class PageKind:
    """A kind of page: ``build(con)`` returns the pages of that kind from the database connection."""

    name: str
    nav_title: str | None
    build: Callable[[Any], list[SitePage]]


def slug(text: str) -> str:
    """A file name for an agency: lower case letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "agency"


def _rows(con: Any, name: str, *params: Any) -> list[dict[str, Any]]:
    return list(query(con, QUERIES[name], list(params) or None).to_pylist())


def _pct(part: float | None, whole: float | None) -> str:
    return "" if not whole or part is None else f"{100 * part / whole:.1f}%"


def _index(con: Any) -> list[SitePage]:
    agencies = _rows(con, "agencies")
    load = _rows(con, "last_load")
    exports = _rows(con, "exports")
    parts = ["<h1>Justice data hub</h1>"]
    if load:
        last = load[0]
        parts.append(f"<p>Build {last['build']} (schema library {esc(last['library_version'])}, rules as of "
                     f"{esc(last['as_of'])}): {last['rows_in']:,} source rows from {last['exports']} exports became "
                     f"{last['records']:,} records; {last['rows_rejected']:,} rows were rejected; "
                     f"{last['people']:,} people after identity matching.</p>")
    parts.append("<h2>Agencies</h2>")
    names = [a["hub_agency"] for a in agencies]
    parts.append(chart("records-by-agency", "bar", names,
                       [("records", [a["records"] or 0 for a in agencies]),
                        ("rejected rows", [a["rejected"] or 0 for a in agencies])],
                       summary="Records loaded and source rows rejected, by agency: " + "; ".join(
                           f"{a['hub_agency']} {a['records'] or 0} records, {a['rejected'] or 0} rejected"
                           for a in agencies)))
    parts.append(table("Data quality by agency", ["Agency", "Source rows", "Records", "Rejected", "Rule errors",
                                                  "Warnings", "Completeness"],
                       [[f'<a href="agency/{slug(a["hub_agency"])}.html">{esc(a["hub_agency"])}</a>', a["rows_in"],
                         a["records"], a["rejected"], a["errors"], a["warnings"],
                         _pct(a["completeness"], 1)] for a in agencies],
                       numeric=(1, 2, 3, 4, 5, 6), raw=(0,)))
    parts.append("<h2>Exports</h2>")
    parts.append(table("Exports in this build", ["Export", "Agency", "Translator", "Source rows", "Records",
                                                 "Rejected"],
                       [[e["hub_export"], e["hub_agency"], e["translator"], e["rows_in"], e["records_out"],
                         e["rows_rejected"]] for e in exports],
                       numeric=(3, 4, 5)))
    parts.append('<h2>Reference</h2><p>The <a href="catalogue.html">data catalogue</a> lists every entity and '
                 'field, its code list and which sources fill it.</p>')
    return [SitePage("index.html", "Justice data hub", "\n".join(parts))]


def _impact(row: dict[str, Any]) -> str:
    field = f" {row['field']}" if row["field"] else ""
    return (f"{row['records']:,} {row['entity']} record{'s' if row['records'] != 1 else ''} "
            f"{'were' if row['records'] != 1 else 'was'} flagged on{field}: {row['example']}")


def _agency(con: Any) -> list[SitePage]:
    pages = []
    tier = site_tier(con)
    for agency in _rows(con, "agencies"):
        name = agency["hub_agency"]
        fields = _rows(con, "completeness", name)
        collected = [f for f in fields if f["status"] == "collected"]
        missing = [f for f in fields if f["status"] == "not collected"]
        absent = [f for f in fields if f["status"] == "does not apply"]
        violations = _rows(con, "violations", name)
        rejects = _rows(con, "rejects", name)
        ident = slug(name)
        parts = [f"<h1>{esc(name)}</h1>",
                 f"<p>{agency['rows_in']:,} source rows, {agency['records']:,} records, {agency['rejected']:,} rows "
                 f"rejected, {agency['errors']:,} rule errors and {agency['warnings']:,} warnings. Completeness over "
                 f"the fields this agency's format collects: {_pct(agency['completeness'], 1) or 'n/a'}.</p>",
                 "<h2>What to fix first</h2>"]
        top = [v for v in violations if v["severity"] == "error"][:5]
        parts.append("<ul class=impact>" + "".join(f"<li>{esc(_impact(v))}</li>" for v in top) + "</ul>"
                     if top else "<p>No rule errors.</p>")
        parts.append("<h2>Completeness by field</h2><p>Only fields the source format collects and that apply to "
                     "the record count here; fields the format does not have are listed below, apart.</p>")
        labels = [f"{f['entity']}.{f['field']}" for f in collected]
        values = [round(100 * f["filled"] / f["applicable"], 1) if f["applicable"] else 0 for f in collected]
        parts.append(chart(f"completeness-{ident}", "bar", labels, [("% filled", values)], horizontal=True,
                           percent=True, summary=f"Share of applicable records with each collected field filled, "
                           f"{name}: " + "; ".join(f"{lbl} {v}%" for lbl, v in zip(labels, values))))
        parts.append(table(f"Completeness of collected fields, {name}",
                           ["Entity", "Field", "Applies to", "Applicable", "Filled", "Left blank", "Filled %"],
                           [[f["entity"], f["field"], f["applies_to"], f["applicable"], f["filled"], f["blank"],
                             _pct(f["filled"], f["applicable"])] for f in collected], numeric=(3, 4, 5, 6)))
        parts.append(table(f"Not collected by this source format, {name}", ["Entity", "Field"],
                           [[f["entity"], f["field"]] for f in missing]))
        if absent:
            parts.append(table(f"Collected but applying to no record here, {name}", ["Entity", "Field", "Applies to"],
                               [[f["entity"], f["field"], f["applies_to"]] for f in absent]))
        parts.append("<h2>Rule violations</h2>")
        if violations:
            codes: dict[str, int] = {}
            for v in violations:
                codes[v["code"]] = codes.get(v["code"], 0) + v["records"]
            parts.append(chart(f"violations-{ident}", "bar", list(codes), [("records", list(codes.values()))],
                               summary=f"Records breaking each rule, {name}: "
                               + "; ".join(f"{c} {n}" for c, n in codes.items())))
        parts.append(table(f"Rule violations, {name}", ["Code", "Severity", "Entity", "Field", "Records", "Example"],
                           [[v["code"], v["severity"], v["entity"], v["field"], v["records"], v["example"]]
                            for v in violations], numeric=(4,)))
        parts.append("<h2>Rows translation rejected</h2>")
        parts.append(table(f"Rejected source rows by reason, {name}", ["Code", "Rows", "Example"],
                           [[r["code"], r["rows"], withhold_values(r["example"], tier)] for r in rejects],
                           numeric=(1,)))
        parts.extend(section(con, name) for section in AGENCY_SECTIONS)
        pages.append(SitePage(f"agency/{ident}.html", f"{name}: data quality", "\n".join(parts)))
    return pages


def _catalogue(con: Any) -> list[SitePage]:
    sources: dict[tuple[str, str], list[str]] = {
        (r["entity"], r["field"]): r["translators"] for r in _rows(con, "sources")}
    parts = ["<h1>Data catalogue</h1><p>Every entity and field of the canonical schema: what it means, its code "
             "list, its sensitivity class (where the schema gives one) and which source formats in this hub fill "
             "it. Generated from the schema.</p>"]
    for entity, fields in catalogue_rows().items():
        parts.append(f'<h2 id="{esc(entity)}">{esc(entity)}</h2>')
        rows = []
        for f in fields:
            codes = ("<details><summary>" + esc(f.code_list) + f" ({len(f.codes)} codes)</summary><ul>"
                     + "".join(f"<li><code>{esc(c)}</code> {esc(d)}</li>" for c, d in f.codes)
                     + "</ul></details>") if f.code_list else ""
            rows.append([f"<code>{esc(f.name)}</code>", esc(f.type_text), esc(f.description), codes,
                         esc(f.sensitivity or ""), esc(", ".join(sources.get((entity, f.name), [])))])
        parts.append(table(f"Fields of {entity}", ["Field", "Type", "Description", "Code list", "Sensitivity",
                                                   "Filled by"], rows, raw=(0, 1, 2, 3, 4, 5)))
    return [SitePage("catalogue.html", "Data catalogue", "\n".join(parts))]


#: The page kinds a site has, in navigation order. Extend with :func:`register_page`.
PAGES: list[PageKind] = [
    PageKind("index", "Overview", _index),
    PageKind("agency", None, _agency),
    PageKind("catalogue", "Data catalogue", _catalogue),
]


def register_page(kind: PageKind) -> PageKind:
    """Add (or replace, by name) a page kind every later site build writes."""
    return register_named(PAGES, kind)
