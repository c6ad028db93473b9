"""Person timelines on the hub site: written only when the hub is built with the restricted profile.

``[hub] profile = "restricted"`` (a :mod:`justice_schema.privacy` profile of tier ``restricted``)
adds ``person/index.html`` and one page per group of people (``person/<two characters>.html``,
people grouped by the first characters of their ``person_uid`` so that a million people make 256
pages, not a million). Each person's section gives the golden record's name and date of birth and
every event in date order with its case and agency. Under ``public`` or ``research`` the kind
writes no page, and no page of the site names a person (the hub tests check both).
"""

from __future__ import annotations

from typing import Any

from justice_schema.hub.site.html import esc, table
from justice_schema.hub.site.pages import QUERIES, PageKind, SitePage, register_page, site_tier
from justice_schema.hub.store import query

__all__ = ["timeline_pages", "TIMELINE_QUERIES", "BUCKET"]

#: Characters of ``person_uid`` (after its first letter) that name a person's page.
BUCKET = 2

TIMELINE_QUERIES: dict[str, str] = {
    "timeline_buckets": f"SELECT substr(person_uid, 2, {BUCKET}) AS bucket, count(DISTINCT person_uid) AS people, "
                        "count(*) AS events FROM person_timeline GROUP BY bucket ORDER BY bucket",
    "timeline_bucket": "SELECT t.*, g.given_name, g.family_name, g.date_of_birth FROM person_timeline t "
                       "LEFT JOIN golden_person g USING (person_uid) "
                       f"WHERE substr(t.person_uid, 2, {BUCKET}) = ? ORDER BY t.person_uid, t.sequence",
}
QUERIES.update(TIMELINE_QUERIES)

_WORDS = {"prosecution_decision": "prosecution decision", "court_case": "court case", "custody_period": "custody"}


def _rows(con: Any, name: str, *params: Any) -> list[dict[str, Any]]:
    return list(query(con, QUERIES[name], list(params) or None).to_pylist())


def _person(uid: str, events: list[dict[str, Any]]) -> str:
    first = events[0]
    name = " ".join(p for p in (first["given_name"], first["family_name"]) if p) or "(no name)"
    born = f", born {first['date_of_birth']}" if first["date_of_birth"] else ""
    heading = f'<h2 id="{esc(uid)}">{esc(name)}{esc(born)} <small><code>{esc(uid)}</code></small></h2>'
    rows = [[e["sequence"], e["event_date"], e["end_date"], _WORDS.get(e["event_type"], e["event_type"]),
             e["hub_agency"], e["case_uid"], e["ucr_code"] or e["statute_code"], e["outcome"]] for e in events]
    return heading + table(f"Timeline of {name} ({uid})", ["#", "Date", "Until", "Event", "Agency", "Case",
                                                           "Offense", "Outcome"], rows, numeric=(0,))


def timeline_pages(con: Any) -> list[SitePage]:
    """The person-timeline pages, or none unless the hub's profile is restricted."""
    if site_tier(con) != "restricted":
        return []
    buckets = _rows(con, "timeline_buckets")
    index = ["<h1>Person timelines</h1>",
             "<p><strong>Restricted.</strong> This site was built with the restricted publication profile: these "
             "pages name people and list their records across agencies. Share them only with authorised users.</p>"]
    index.append(table("People by page", ["Page", "People", "Events"],
                       [[f'<a href="{esc(b["bucket"])}.html">{esc(b["bucket"])}</a>', b["people"], b["events"]]
                        for b in buckets], numeric=(1, 2), raw=(0,)))
    pages = [SitePage("person/index.html", "Person timelines", "\n".join(index))]
    for bucket in buckets:
        events = _rows(con, "timeline_bucket", bucket["bucket"])
        people: dict[str, list[dict[str, Any]]] = {}
        for event in events:
            people.setdefault(event["person_uid"], []).append(event)
        body = [f"<h1>Person timelines: {esc(bucket['bucket'])}</h1>",
                '<p><a href="index.html">All timeline pages</a>. Restricted: names people.</p>',
                *(_person(uid, mine) for uid, mine in people.items())]
        pages.append(SitePage(f"person/{bucket['bucket']}.html", f"Person timelines {bucket['bucket']}",
                              "\n".join(body)))
    return pages


register_page(PageKind("person", "Person timelines", timeline_pages))
