"""One synthetic county end to end: the bundled vendor samples translated, matched and turned into events.

The samples of six bundled formats tell the stories of the same invented people: police arrests
(``acme_rms``), the prosecutor's referrals and decisions (``casebook_prosecutor``), the court's
dispositions (``justiceware_courts``), prison admissions and releases (``keystone_doc``) and
probation (``fieldline_supervision``). :func:`county_events` gives the event table
(:data:`~justice_schema.linking.EVENT_SCHEMA`) a hub would link, and
:func:`county_tables` the translated tables it comes from; ``examples/end_to_end.py`` and the
county test (``tests/linking/test_county.py``) run linking and the case-flow measures on it.

Two choices a hub makes, made here the same way:

* **Charges filed in court are the charge stage.** The prosecutor's charge lines with a filing date
  are the charge events; police arrest charges, jail booking charges, referred-only lines and the
  court's copies of the filed counts carry no filing date of their own that is the prosecutor's, or
  none at all, and are left out (the court's dispositions find the prosecutor's charges by court case
  number and count).
* **Custody and supervision take the offense of their own export.** Schema 1.2's ``custody_period``
  and ``supervision`` have no offense fields, yet linking them to a conviction checks the offense. The
  corrections extract gives the offense of commitment, and probation the offenses of conviction, as
  charge records under the same court case number: the first of them (lowest count) is the event's
  offense.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.linking import events_from_tables

__all__ = ["COUNTY_VENDORS", "CountyTables", "county_tables", "county_events"]

#: The bundled translators whose samples make up the county, and what each stands for.
COUNTY_VENDORS: dict[str, str] = {
    "acme_rms": "police records (arrests)",
    "casebook_prosecutor": "prosecutor (referrals, decisions, filed charges)",
    "justiceware_courts": "court (dispositions and sentences)",
    "keystone_doc": "state prison (admissions and releases)",
    "fieldline_supervision": "probation and parole",
}


@attrs.frozen
class CountyTables:
    """The county's translated tables: ``tables[vendor][entity]``, and ``person_uids`` (``person_id``,
    ``person_uid``) from matching the people of every vendor."""

    tables: dict[str, dict[str, pa.Table]]
    person_uids: pa.Table


def county_tables(vendors: dict[str, str] | None = None) -> CountyTables:
    """Translate the bundled samples of ``vendors`` (default :data:`COUNTY_VENDORS`) and match their people."""
    from justice_schema.identity import match_persons
    from justice_schema.testing.conformance import translate_samples
    from justice_schema.translation import find_translator

    tables: dict[str, dict[str, pa.Table]] = {}
    for vendor in vendors or COUNTY_VENDORS:
        folder = find_translator(vendor).spec_path.parent
        samples = sorted(p.name for p in (folder / "samples").iterdir() if p.is_file())
        result = translate_samples(Path(folder), *samples)
        tables[vendor] = {entity: table for entity, table in result.tables.items() if table.num_rows}
    people = pa.concat_tables([t["person"] for t in tables.values() if "person" in t], promote_options="default")
    matched = match_persons(people)
    uids = matched.assignments().select(["id", "person_uid"]).rename_columns(["person_id", "person_uid"])
    return CountyTables(tables=tables, person_uids=uids)


def _with_offense(events: pa.Table, charges: pa.Table) -> pa.Table:
    """Events (custody or supervision) given the statute, severity and degree of the first charge of
    the same person and court case number."""
    if charges.num_rows == 0 or events.num_rows == 0:
        return events
    if "severity_degree" not in charges.column_names:  # a 1.0 export: no degree
        charges = charges.append_column("severity_degree", pa.nulls(charges.num_rows, pa.string()))
    first = charges.select(["person_id", "court_case_number", "charge_sequence", "statute_code", "severity",
                            "severity_degree"]).filter(pc.is_valid(pc.field("court_case_number")))
    first = first.sort_by([("person_id", "ascending"), ("court_case_number", "ascending"),
                           ("charge_sequence", "ascending")])
    first = first.group_by(["person_id", "court_case_number"], use_threads=False).aggregate(
        [("statute_code", "first"), ("severity", "first"), ("severity_degree", "first")])
    first = first.rename_columns(["person_id", "court_case_number", "_statute", "_severity", "_degree"])
    keys = events.select(["person_id", "court_case_number"]).append_column(
        "_row", pa.array(range(events.num_rows), pa.int64()))
    joined = keys.join(first, ["person_id", "court_case_number"], join_type="left outer").sort_by("_row")
    for target, source in (("statute_code", "_statute"), ("severity", "_severity"), ("severity_degree", "_degree")):
        values = pc.cast(joined.column(source), pa.string())
        if target in events.column_names:
            events = events.set_column(events.column_names.index(target), target, values)
        else:
            events = events.append_column(target, values)
    return events


def county_events(county: CountyTables | None = None) -> pa.Table:
    """The county's events (:data:`~justice_schema.linking.EVENT_SCHEMA`), each with its matched ``person_uid``."""
    county = county or county_tables()
    t = county.tables
    stages: dict[str, list[pa.Table]] = {}

    def add(entity: str, table: pa.Table | None) -> None:
        if table is not None and table.num_rows:
            stages.setdefault(entity, []).append(table)

    add("arrest", t.get("acme_rms", {}).get("arrest"))
    prosecutor = t.get("casebook_prosecutor", {})
    for entity in ("prosecution_decision", "court_case", "disposition"):
        add(entity, prosecutor.get(entity))
    charges = prosecutor.get("charge")
    if charges is not None:
        add("charge", charges.filter(pc.is_valid(pc.field("filed_date"))))
    add("disposition", t.get("justiceware_courts", {}).get("disposition"))
    doc = t.get("keystone_doc", {})
    if "custody_period" in doc:
        add("custody_period", _with_offense(doc["custody_period"], doc.get("charge", pa.table({}))))
    supervision = t.get("fieldline_supervision", {})
    if "supervision" in supervision:
        periods = supervision["supervision"].append_column(
            "court_case_number", supervision["supervision"].column("case_number"))
        periods = _with_offense(periods, supervision.get("charge", pa.table({})))
        add("supervision", periods.drop_columns(["court_case_number"]))
    parts = []
    for entity, tables in stages.items():
        parts.append(events_from_tables({entity: pa.concat_tables(tables, promote_options="default")},
                                        county.person_uids))
    return pa.concat_tables(parts)
