"""The case-flow pages of the hub site (registered on import), and the linking section of agency pages.

* ``caseflow/index.html`` — every case: the attrition funnel, the days between stages and their
  distribution, the recidivism curve with its censoring stated, and clearance;
* ``caseflow/offense-group.html``, ``caseflow/agency.html``, ``caseflow/year.html`` — the same
  measures side by side for each offense group, agency and year;
* on every agency page, **what could not be linked, in a clerk's words**: the agency's own records
  the linker could not place ("166 charges could not be linked because they had no filing date"),
  and the records of other agencies that needed this agency's records, with the tracking numbers
  this agency's records lack.

The pages read the views of :mod:`justice_schema.hub.case_views` through :data:`QUERIES` (timed by
``benchmarks/hub.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from justice_schema.hub.measures import DAY_BINS
from justice_schema.hub.reasons import plural, sentence, word
from justice_schema.hub.site.html import chart, esc, table
from justice_schema.hub.site.pages import AGENCY_SECTIONS, QUERIES, PageKind, SitePage, register_page
from justice_schema.hub.store import query

__all__ = ["CASEFLOW_QUERIES", "DIMENSION_PAGES", "caseflow_pages", "linking_section"]

#: The dimension pages: (dimension, file stem, title words).
DIMENSION_PAGES: tuple[tuple[str, str, str], ...] = (
    ("offense_group", "offense-group", "offense group"), ("agency", "agency", "agency"), ("year", "year", "year"))

_STAGE_WORDS = {"arrest": "Arrest", "charges_filed": "Charges filed", "court_filing": "Court filing",
                "disposition": "Disposition", "conviction": "Conviction", "custody": "Custody"}
_INTERVAL_WORDS = {"incident_to_arrest": "Incident to arrest", "arrest_to_filing": "Arrest to court filing",
                   "filing_to_disposition": "Court filing to disposition",
                   "disposition_to_release": "Disposition to release"}
_NUMBER_WORDS = {"offense_tracking_number": "OTN", "arrest_transaction_number": "arrest transaction number",
                 "court_case_number": "court case number", "incident_number": "incident number",
                 "booking_number": "booking number"}

#: The queries behind the case-flow pages and the agency pages' linking section (``?``: a dimension or agency).
CASEFLOW_QUERIES: dict[str, str] = {
    "case_count": "SELECT count(*) AS cases FROM cases",
    "attrition": "SELECT * FROM attrition WHERE dimension = ? ORDER BY value, "
                 "list_position(['arrest','charges_filed','court_filing','disposition','conviction','custody'], stage)",
    "intervals": "SELECT * FROM intervals WHERE dimension = ? ORDER BY value, interval",
    "distribution": "SELECT * FROM interval_distribution WHERE dimension = ? ORDER BY value, interval, bin_order",
    "recidivism": "SELECT * FROM recidivism_curve WHERE dimension = ? ORDER BY value, months",
    "clearance_by": "SELECT {column} AS value, sum(incidents)::BIGINT AS incidents, "
                    "sum(cleared_by_arrest)::BIGINT AS cleared_by_arrest, "
                    "sum(cleared_exceptionally)::BIGINT AS cleared_exceptionally FROM clearance "
                    "GROUP BY {column} ORDER BY {column}",
    "unlinked_own": "SELECT event_type, parent_type, reason, sum(events)::BIGINT AS events FROM unlinked_causes "
                    "WHERE hub_agency = ? GROUP BY ALL ORDER BY events DESC, event_type, reason",
    "parent_gaps": "SELECT parent_type, number, events, missing FROM case_parent_gaps "
                   "WHERE hub_agency = ? AND missing > 0 ORDER BY parent_type, number",
    "downstream": "SELECT parent_type, hub_agency AS child_agency, event_type, reason, sum(events)::BIGINT AS events "
                  "FROM unlinked_causes WHERE parent_type IN (SELECT parent_type FROM case_parent_gaps "
                  "WHERE hub_agency = ?) AND hub_agency IS DISTINCT FROM ? GROUP BY ALL "
                  "ORDER BY parent_type, events DESC, child_agency, reason",
}
for _name in ("offense_group", "agency", "year"):
    CASEFLOW_QUERIES[f"clearance_{_name}"] = CASEFLOW_QUERIES["clearance_by"].format(
        column="hub_agency" if _name == "agency" else _name)
del CASEFLOW_QUERIES["clearance_by"]
QUERIES.update(CASEFLOW_QUERIES)


def _rows(con: Any, name: str, *params: Any) -> list[dict[str, Any]]:
    return list(query(con, QUERIES[name], list(params) or None).to_pylist())


def _pct(share: float | None) -> str:
    return "" if share is None else f"{100 * share:.1f}%"


def _days(value: float | None) -> str:
    return "" if value is None else f"{value:,.1f}"


def _by_value(rows: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(str(row["value"]), []).append(row)
    return out


def _funnel(con: Any, dimension: str, ident: str, what: str) -> str:
    rows = _rows(con, "attrition", dimension)
    groups = _by_value(rows)
    stages = list(_STAGE_WORDS)
    series = [(value, [next((r["reached"] for r in mine if r["stage"] == s), 0) for s in stages])
              for value, mine in groups.items()]
    parts = ["<h2>Attrition</h2><p>Cases that reached each stage. A case counts at a stage when it has that "
             "stage's date; the share that went on is of the cases that reached the stage before.</p>"]
    if series:
        summary = f"Cases reaching each stage, {what}: " + "; ".join(
            f"{label}: " + ", ".join(f"{_STAGE_WORDS[s]} {v:,}" for s, v in zip(stages, values, strict=True))
            for label, values in series)
        parts.append(chart(f"attrition-{ident}", "bar", [_STAGE_WORDS[s] for s in stages], series, summary=summary))
    parts.append(table(f"Attrition by stage, {what}", ["Group", "Stage", "Reached", "Reached the stage before",
                                                       "Went on", "Share that went on"],
                       [[r["value"], _STAGE_WORDS.get(r["stage"], r["stage"]), r["reached"], r["previous"],
                         r["continued"], _pct(r["continued_share"])] for r in rows], numeric=(2, 3, 4, 5)))
    return "\n".join(parts)


def _intervals(con: Any, dimension: str, ident: str, what: str) -> str:
    rows = _rows(con, "intervals", dimension)
    spread = _rows(con, "distribution", dimension)
    parts = ["<h2>Time between stages</h2><p>Days from one stage to the next, for cases with both dates. "
             "Intervals dated backwards (a release before its disposition) are data errors, counted apart.</p>"]
    names = list(_interval_names(rows))
    groups = _by_value(rows)
    if names and groups:
        series = [(value, [next((r["median_days"] for r in mine if r["interval"] == n), None) for n in names])
                  for value, mine in groups.items()]
        if any(v is not None for _, values in series for v in values):
            parts.append(chart(f"median-days-{ident}", "bar", [_INTERVAL_WORDS.get(n, n) for n in names], series,
                               summary=f"Median days between stages, {what}: " + "; ".join(
                                   f"{label}: " + ", ".join(f"{_INTERVAL_WORDS.get(n, n)} {_days(v) or 'no cases'}"
                                                            for n, v in zip(names, values, strict=True))
                                   for label, values in series)))
    parts.append(table(f"Days between stages, {what}", ["Group", "Interval", "Cases", "Median days",
                                                        "90th percentile days", "Dated backwards"],
                       [[r["value"], _INTERVAL_WORDS.get(r["interval"], r["interval"]), r["cases"],
                         _days(r["median_days"]), _days(r["p90_days"]), r["negative"]] for r in rows],
                       numeric=(2, 3, 4, 5)))
    if spread:
        bins = list(enumerate(label for label, _, _ in DAY_BINS))
        totals: dict[str, list[float | None]] = {}
        for name in dict.fromkeys(r["interval"] for r in spread):
            mine = [r for r in spread if r["interval"] == name]
            totals[_INTERVAL_WORDS.get(name, name)] = [float(sum(r["cases"] for r in mine if r["bin_order"] == order))
                                                       for order, _ in bins]
        parts.append("<h3>Distribution</h3>")
        parts.append(chart(f"distribution-{ident}", "bar", [label for _, label in bins], list(totals.items()),
                           summary=f"Cases by days between stages, {what}, all groups together: " + "; ".join(
                               f"{name}: " + ", ".join(f"{label} {int(v or 0):,}"
                                                       for (_, label), v in zip(bins, values, strict=True))
                               for name, values in totals.items())))
        parts.append(table(f"Cases by days between stages, {what}", ["Group", "Interval", "Days", "Cases"],
                           [[r["value"], _INTERVAL_WORDS.get(r["interval"], r["interval"]), r["bin"], r["cases"]]
                            for r in spread], numeric=(3,)))
    return "\n".join(parts)


def _interval_names(rows: Sequence[dict[str, Any]]) -> list[str]:
    present = {r["interval"] for r in rows}
    return [n for n in _INTERVAL_WORDS if n in present]


def _recidivism(con: Any, dimension: str, ident: str, what: str) -> str:
    rows = _rows(con, "recidivism", dimension)
    parts = ["<h2>Recidivism</h2><p>Cases that start a follow-up (a release from custody, or a conviction "
             "without custody), re-arrested within each window (Bureau of Justice Statistics definitions, "
             "NCJ 255947). <strong>Censoring:</strong> a case not yet followed for the whole window (the data end "
             "before the window does) is left out of that window's rate, never counted as not re-arrested; the "
             "table says how many were censored at each window.</p>"]
    if not rows:
        parts.append("<p>No case starts a follow-up: no release or conviction is linked in this hub.</p>")
        return "\n".join(parts)
    months = sorted({r["months"] for r in rows})
    groups = _by_value(rows)
    series: list[tuple[str, list[float | None]]] = []
    for value, mine in groups.items():
        by_month = {r["months"]: r for r in mine}
        series.append((value, [None if by_month.get(m) is None or by_month[m]["rearrest_rate"] is None
                               else round(100 * by_month[m]["rearrest_rate"], 1) for m in months]))
    drawn = [(label, values) for label, values in series if any(v is not None for v in values)]
    if drawn:
        parts.append(chart(f"recidivism-{ident}", "line", [f"{m} months" for m in months], drawn, percent=True,
                           summary=f"Share re-arrested by months since release or conviction, {what}, over the "
                                   "cases followed for the whole window: " + "; ".join(
                               f"{label}: " + ", ".join(f"{m} months {v}%" for m, v in zip(months, values, strict=True)
                                                        if v is not None) for label, values in drawn)))
    else:
        parts.append("<p>Every follow-up is still censored: no case has been followed for three months yet.</p>")
    parts.append(table(f"Recidivism by follow-up window, {what}",
                       ["Group", "Months", "Cohort", "Censored", "Followed", "Re-arrested", "Re-convicted",
                        "Re-arrest rate", "Re-conviction rate"],
                       [[r["value"], r["months"], r["cohort"], r["censored"], r["followed"], r["rearrested"],
                         r["reconvicted"], _pct(r["rearrest_rate"]), _pct(r["reconviction_rate"])] for r in rows],
                       numeric=(1, 2, 3, 4, 5, 6, 7, 8)))
    return "\n".join(parts)


def _clearance(con: Any, dimension: str, ident: str, what: str) -> str:
    name = "offense_group" if dimension == "all" else dimension
    rows = _rows(con, f"clearance_{name}")
    label = {"offense_group": "offense group", "agency": "agency", "year": "year"}[name]
    parts = ["<h2>Clearance</h2><p>Incidents cleared by arrest (an arrest linked to the incident) or exceptionally "
             "(NIBRS data element 4, codes A-E), the FBI's way: an incident is cleared once, however many arrests.</p>"]
    if not rows:
        parts.append("<p>No incidents in this hub.</p>")
        return "\n".join(parts)
    labels = [str(r["value"]) for r in rows]
    rates = [round(100 * (r["cleared_by_arrest"] + r["cleared_exceptionally"]) / r["incidents"], 1)
             if r["incidents"] else 0.0 for r in rows]
    parts.append(chart(f"clearance-{ident}", "bar", labels, [("% cleared", rates)], percent=True,
                       summary=f"Share of incidents cleared by {label}: "
                       + "; ".join(f"{lbl} {v}%" for lbl, v in zip(labels, rates, strict=True))))
    parts.append(table(f"Clearance by {label}", [label.capitalize(), "Incidents", "Cleared by arrest",
                                                 "Cleared exceptionally", "Clearance rate"],
                       [[r["value"], r["incidents"], r["cleared_by_arrest"], r["cleared_exceptionally"], f"{v}%"]
                        for r, v in zip(rows, rates, strict=True)], numeric=(1, 2, 3, 4)))
    return "\n".join(parts)


def _nav() -> str:
    links = "".join(f'<li><a href="{stem}.html">By {esc(words)}</a></li>' for _, stem, words in DIMENSION_PAGES)
    return f'<nav aria-label="Case-flow views"><ul class="subnav"><li><a href="index.html">All cases</a></li>{links}</ul></nav>'


def caseflow_pages(con: Any) -> list[SitePage]:
    """The case-flow overview and one page per dimension."""
    count = _rows(con, "case_count")[0]
    intro = (f"<p>{count['cases']:,} cases, linked across agencies from arrest to release. How the links were "
             "made and which events could not be linked is in the database (<code>case_links</code>, "
             "<code>unlinked_causes</code>) and on each agency's page.</p>")
    pages = []
    for dimension, stem, what in (("all", "index", "all cases"), *((d, s, f"by {w}") for d, s, w in DIMENSION_PAGES)):
        title = "Case flow" if dimension == "all" else f"Case flow by {what.removeprefix('by ')}"
        body = [f"<h1>{esc(title)}</h1>", _nav(), intro,
                _funnel(con, dimension, stem, what), _intervals(con, dimension, stem, what),
                _recidivism(con, dimension, stem, what), _clearance(con, dimension, stem, what)]
        pages.append(SitePage(f"caseflow/{stem}.html", title, "\n".join(body)))
    return pages


def _number(name: str) -> str:
    return _NUMBER_WORDS.get(name, name.replace("_", " "))


def linking_section(con: Any, agency: str) -> str:
    """The agency page's section on linking: its records that could not be linked, and the downstream impact."""
    own = _rows(con, "unlinked_own", agency)
    gaps = _rows(con, "parent_gaps", agency)
    downstream = _rows(con, "downstream", agency, agency)
    parts = ["<h2>Records that could not be linked</h2><p>The case linker joins each agency's records to the "
             "earlier stages of the same case (a charge to its arrest, a disposition to its charge). What it could "
             "not join, and why:</p>"]
    if own:
        parts.append('<ul class="impact">' + "".join(
            f"<li>{esc(sentence(r['events'], r['event_type'], r['parent_type'] or None, r['reason']))}.</li>"
            for r in own) + "</ul>")
    else:
        parts.append("<p>Every record of this agency was linked.</p>")
    parts.append("<h2>Downstream impact</h2>")
    if not downstream and not gaps:
        parts.append("<p>No other agency's records were left unlinked for want of this agency's records.</p>")
        return "\n".join(parts)
    items = []
    by_parent: dict[str, list[dict[str, Any]]] = {}
    for row in downstream:
        by_parent.setdefault(row["parent_type"], []).append(row)
    for parent, rows in by_parent.items():
        total = sum(r["events"] for r in rows)
        children = sorted({r["event_type"] for r in rows})
        whose = ", ".join(f"{r['events']:,} from {r['child_agency']} ({r['reason']})" for r in rows[:6])
        missing = [g for g in gaps if g["parent_type"] == parent]
        lack = "; ".join(f"{g['missing']:,} of this agency's {g['events']:,} {plural(parent, g['events'])} "
                         f"have no {_number(g['number'])}" for g in missing)
        text = (f"{total:,} {' and '.join(plural(c, total) for c in children)} of other agencies could not be linked "
                f"to {'an' if word(parent)[0] in 'aeiou' else 'a'} {word(parent)}: {whose}.")
        if lack:
            text += f" {lack[0].upper()}{lack[1:]}: filling them in lets the linker join these records by number."
        items.append(f"<li>{esc(text)}</li>")
    for parent in sorted({g["parent_type"] for g in gaps} - set(by_parent)):
        lack = "; ".join(f"{g['missing']:,} of this agency's {g['events']:,} {plural(parent, g['events'])} have no "
                         f"{_number(g['number'])}" for g in gaps if g["parent_type"] == parent)
        items.append(f"<li>{esc(lack[0].upper() + lack[1:])}; no other agency's record needed them in this build.</li>")
    parts.append('<ul class="impact">' + "".join(items) + "</ul>")
    parts.append(table(f"Tracking numbers missing from this agency's records, {agency}",
                       ["Stage", "Number", "Records", "Without the number"],
                       [[word(g["parent_type"]), _number(g["number"]), g["events"], g["missing"]] for g in gaps],
                       numeric=(2, 3)))
    return "\n".join(parts)


register_page(PageKind("caseflow", "Case flow", caseflow_pages))
if linking_section not in AGENCY_SECTIONS:
    AGENCY_SECTIONS.append(linking_section)
