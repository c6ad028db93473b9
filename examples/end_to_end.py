"""End-to-end example: canonical records, vendor translation, validation and identity matching.

Run it with ``make demo`` (which sets up the environment), or directly::

    python examples/end_to_end.py --out build/demo

It walks the whole pipeline of a statewide hub, on the sample data bundled with the
package (all people and numbers are invented):

1. **Records.** One connected case history — an incident, the arrest of a person, the
   charges, the jail booking, the court disposition with its sentence, and the probation
   that followed — as four agencies would send it. Every record is checked against the
   schema; a bad one is rejected with its reasons. Each entity is written as Parquet, flat
   CSV and JSON Lines and read back to prove nothing was lost.
2. **Translation.** The bundled exports of a police records system, a jail, a court, a
   probation department and an FBI NIBRS flat file are translated into canonical tables;
   the rows in, out and rejected reconcile for every source.
3. **Validation.** The translated tables are validated together (record rules, references
   and chronology across entities); the report is written as JSON and HTML.
4. **Identity.** The people of every source are matched into one ``person_uid`` each,
   and golden records are built.
5. **Case flow.** The samples are one county: the prosecutor's referrals, the court's
   convictions, prison and probation continue the stories of people the police arrested. Their
   events are linked into cases (``justice_schema.linking``), and the case table and attrition
   are measured (``justice_schema.caseflow``); unlinked events are listed with their cause.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow.parquet as pq

import justice_schema as js
from justice_schema.errors import RecordError
from justice_schema.flat import from_flat_table, read_flat_csv, write_flat_csv

DENVER = ZoneInfo("America/Denver")  # the agencies' time zone: local times become instants


def source(ori: str, system: str, key: str) -> dict:
    return {"agency_ori": ori, "system": system, "record_key": key, "extracted_at": "2024-06-01T06:00:00Z"}


def sample_records() -> list[dict]:
    """One case history as four agencies would send it (dicts, as parsed from their exports)."""
    police, jail, court, probation = "UT0180000", "UT018013C", "UT018015J", "UT018025G"
    return [
        {"entity_type": "person", "schema_version": "1.0", "id": "rms-p-77120",
         "source": source(police, "acme-rms", "MNI-77120"),
         "given_name": "DANIEL", "middle_name": "RAY", "family_name": "OKAFOR", "name_suffix": "JR",
         "aliases": [{"given_name": "DANNY", "family_name": "OKAFOR"}],
         "date_of_birth": "1991-08-14", "sex": "M", "sex_raw": "Male", "race": "B", "race_raw": "Black",
         "ethnicity": "N", "ethnicity_raw": "Non-Hispanic", "state_id": "UT4417382",
         "drivers_license_number": "188204711", "drivers_license_state": "UT",
         "other_identifiers": [{"type": "LOCAL_PERSON_ID", "value": "MNI-77120", "issuer": police}],
         "address": {"line1": "412 E 900 S", "city": "SALT LAKE CITY", "state": "UT", "postal_code": "84111", "country": "US"}},
        {"entity_type": "incident", "schema_version": "1.0", "id": "rms-i-24-003311",
         "source": source(police, "acme-rms", "24-003311"),
         "incident_number": "24-003311", "incident_date": "2024-03-09", "incident_hour": 23,
         "cleared_exceptionally": "N", "cleared_exceptionally_raw": "N",
         "offenses": [
             {"ucr_offense_code": "13A", "ucr_offense_code_raw": "AGG ASSLT W/ WEAPON", "attempted_completed": "C",
              "location_type": "03", "location_type_raw": "BAR", "suspected_of_using": ["A"],
              "weapons": [{"code": "20", "raw": "KNIFE"}]},
             {"ucr_offense_code": "290", "attempted_completed": "C", "location_type": "03"}]},
        {"entity_type": "arrest", "schema_version": "1.0", "id": "rms-a-24-1187",
         "source": source(police, "acme-rms", "ARR-24-1187"),
         "person_id": "rms-p-77120", "incident_id": "rms-i-24-003311", "arrest_transaction_number": "24-1187",
         "arrestee_sequence_number": 1, "arrest_date": "2024-03-10",
         "arrested_at": datetime(2024, 3, 10, 0, 40, tzinfo=DENVER).isoformat(),
         "arrest_type": "T", "arrest_type_raw": "Custodial", "multiple_arrestee_indicator": "N",
         "ucr_arrest_offense_code": "13A", "armed_with": [{"code": "16", "raw": "KNIFE"}],
         "arrestee_age": {"min_years": 32, "max_years": 32, "raw": "32"}, "resident_status": "R"},
        *[
            {"entity_type": "charge", "schema_version": "1.0", "id": f"rms-c-24-1187-{n}",
             "source": source(police, "acme-rms", f"ARR-24-1187/{n}"),
             "person_id": "rms-p-77120", "arrest_id": "rms-a-24-1187", "booking_id": "jms-b-2024-004512",
             "charge_sequence": n, "statute_code": statute, "statute_jurisdiction": "UT", "description": text,
             "ucr_offense_code": ucr, "severity": sev, "severity_raw": raw_sev, "counts": 1,
             "offense_date": "2024-03-09"}
            for n, statute, text, ucr, sev, raw_sev in (
                (1, "76-5-103", "AGGRAVATED ASSAULT", "13A", "FELONY", "F3"),
                (2, "76-6-106", "CRIMINAL MISCHIEF", "290", "MISDEMEANOR", "MB"),
            )
        ],
        {"entity_type": "booking", "schema_version": "1.0", "id": "jms-b-2024-004512",
         "source": source(jail, "county-jms", "2024-004512"),
         "person_id": "rms-p-77120", "arrest_id": "rms-a-24-1187", "booking_number": "2024-004512",
         "facility_name": "SALT LAKE COUNTY METRO JAIL", "facility_ori": jail,
         "booked_at": datetime(2024, 3, 10, 1, 55, tzinfo=DENVER).isoformat(),
         "released_at": datetime(2024, 3, 12, 16, 5, tzinfo=DENVER).isoformat(),
         "release_reason": "BAIL", "release_reason_raw": "BONDED OUT"},
        {"entity_type": "disposition", "schema_version": "1.0", "id": "crt-d-241900877-1",
         "source": source(court, "state-courts", "241900877/1"),
         "charge_id": "rms-c-24-1187-1", "court_case_number": "241900877", "court_name": "THIRD DISTRICT COURT",
         "disposition_date": "2024-09-23", "disposition_type": "CONVICTED", "disposition_type_raw": "GUILTY PLEA",
         "plea": "GUILTY", "plea_raw": "G", "disposed_statute_code": "76-5-102", "disposed_severity": "MISDEMEANOR",
         "disposed_severity_raw": "MA",
         "sentence": {"imposed_date": "2024-11-04", "confinement_type": "JAIL", "confinement_days": 365,
                      "suspended_days": 335, "credit_days": 3, "probation_days": 730, "fine_amount": 1500.0,
                      "restitution_amount": 312.5, "raw": "365D JAIL, 335 SUSP, 24M PROB"}},
        {"entity_type": "disposition", "schema_version": "1.0", "id": "crt-d-241900877-2",
         "source": source(court, "state-courts", "241900877/2"),
         "charge_id": "rms-c-24-1187-2", "court_case_number": "241900877", "disposition_date": "2024-09-23",
         "disposition_type": "DISMISSED", "disposition_type_raw": "DISMISSED W/ PREJUDICE"},
        {"entity_type": "supervision", "schema_version": "1.0", "id": "doc-s-88123",
         "source": source(probation, "doc-supervision", "88123"),
         "person_id": "rms-p-77120", "disposition_id": "crt-d-241900877-1", "case_number": "P-88123",
         "supervision_type": "PROBATION", "supervision_type_raw": "PROB", "start_date": "2024-11-04",
         "expected_end_date": "2026-11-04",
         "violations": [{"violation_date": "2025-04-02", "violation_type": "TECHNICAL", "violation_type_raw": "MISSED UA",
                         "response": "SANCTION", "response_raw": "2 DAY JAIL SANCTION", "response_date": "2025-04-10"}]},
        # The same man as the jail, the court and probation know him, and his father: identity
        # matching must join the first three to the police record and keep the father apart.
        {"entity_type": "person", "schema_version": "1.0", "id": "jms-p-2024-004512",
         "source": source(jail, "county-jms", "INMATE-553190"), "given_name": "DANNY", "family_name": "OKAFOR",
         "date_of_birth": "1991-08-14", "sex": "M", "state_id": "UT4417382"},
        {"entity_type": "person", "schema_version": "1.0", "id": "crt-p-241900877",
         "source": source(court, "state-courts", "PARTY-88120"), "given_name": "DANIEL", "middle_name": "R",
         "family_name": "OKAFOR JR", "date_of_birth": "1991-08-14", "sex": "M", "drivers_license_number": "188204711",
         "drivers_license_state": "UT"},
        {"entity_type": "person", "schema_version": "1.0", "id": "doc-p-88123",
         "source": source(probation, "doc-supervision", "OFFENDER-88123"), "given_name": "DANIEL",
         "family_name": "OKAFOR", "name_suffix": "JR", "date_of_birth": "1991-08-14", "state_id": "UT4417382"},
        {"entity_type": "person", "schema_version": "1.0", "id": "rms-p-30022",
         "source": source(police, "acme-rms", "MNI-30022"), "given_name": "DANIEL", "family_name": "OKAFOR",
         "name_suffix": "SR", "date_of_birth": "1964-02-02", "sex": "M", "state_id": "UT0981734"},
        # A record as agencies really send them: an ORI with a typo and an impossible date.
        {"entity_type": "person", "schema_version": "1.0", "id": "rms-p-77121",
         "source": source("UT018000", "acme-rms", "MNI-77121"),
         "given_name": "MARIA", "family_name": "LOPEZ", "date_of_birth": "1988-02-30"},
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="build/demo", help="folder for the output files (default: %(default)s)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    print(f"justice_schema {js.__version__}: schema versions {', '.join(js.SCHEMA_VERSIONS)}")
    records, rejects = [], []
    for number, data in enumerate(sample_records(), start=1):
        try:
            records.append(js.parse(data, location=f"sample record {number}"))
        except RecordError as error:
            rejects.append({"record": number, "entity_type": error.entity_type,
                            "problems": [{"field": f, "message": m} for f, m in error.problems]})

    by_entity: dict[str, list] = {}
    for record in records:
        by_entity.setdefault(record.entity_type, []).append(record)

    for entity, batch in by_entity.items():
        pq.write_table(js.to_table(batch), out / f"{entity}.parquet")
        write_flat_csv(batch, out / f"{entity}.csv")
        with open(out / f"{entity}.jsonl", "w", encoding="utf-8") as handle:
            handle.writelines(record.model_dump_json() + "\n" for record in batch)
        # Read every form back and prove nothing was lost.
        assert js.from_table(pq.read_table(out / f"{entity}.parquet")) == batch
        assert from_flat_table(read_flat_csv(out / f"{entity}.csv", entity), entity) == batch
        with open(out / f"{entity}.jsonl", encoding="utf-8") as handle:
            assert [js.parse(line) for line in handle] == batch
    (out / "rejects.json").write_text(json.dumps(rejects, indent=2) + "\n", encoding="utf-8")

    print("\n1. records")
    counts = Counter(record.entity_type for record in records)
    total = len(records) + len(rejects)
    print(f"records in: {total}  valid: {len(records)}  rejected: {len(rejects)}")
    assert total == len(records) + len(rejects)
    for entity in js.ENTITY_TYPES:
        print(f"  {entity:<12} {counts.get(entity, 0):>3}  -> {entity}.parquet, {entity}.csv, {entity}.jsonl")
    for reject in rejects:
        for problem in reject["problems"]:
            print(f"  rejected record {reject['record']} ({reject['entity_type']}): {problem['field']}: {problem['message']}")
    print(f"round trips through Parquet, flat CSV and JSON Lines: exact. Output in {out}/")

    tables = translate_vendor_samples(out / "translated")
    validate_translated(tables, out)
    match_people(tables, records, out)
    case_flow(out)
    return 0


#: The bundled vendor translators the example runs, with what each one stands for.
VENDORS = {
    "acme_rms": "police records system (CSV)",
    "cellblock_jms": "county jail (JSON Lines)",
    "justiceware_courts": "court case system (two joined CSV files)",
    "fieldline_supervision": "probation and parole (pipe-delimited, Latin-1)",
    "casebook_prosecutor": "prosecutor's referrals and charging decisions (JSON)",
    "keystone_doc": "state prison admissions and releases (fixed width)",
    "nibrs_flatfile": "FBI NIBRS flat-file submission",
}


def translate_vendor_samples(out: Path) -> dict[str, list]:
    """Translate every bundled vendor sample; return the output tables by entity."""
    from justice_schema.translation import Translator, find_translator
    from justice_schema.validation.hooks import translation_hook

    print("\n2. translation of vendor exports")
    out.mkdir(parents=True, exist_ok=True)
    tables: dict[str, list] = {}
    for vendor, what in VENDORS.items():
        info = find_translator(vendor)
        samples = sorted(p for p in (info.spec_path.parent / "samples").iterdir() if p.is_file())
        result = Translator(info.spec_path, validate=translation_hook()).translate(samples)
        recon = result.reconciliation
        assert recon.balanced, f"{vendor}: counts do not reconcile"
        written = {entity: table.num_rows for entity, table in result.tables.items() if table.num_rows}
        for entity, table in result.tables.items():
            if table.num_rows:
                pq.write_table(table, out / f"{vendor}.{entity}.parquet")
                tables.setdefault(entity, []).append(table)
        if result.rejects.num_rows:
            pq.write_table(result.rejects, out / f"{vendor}.rejects.parquet")
        outputs = ", ".join(f"{n} {entity}" for entity, n in written.items())
        print(f"  {vendor:<22} {what}: {recon.rows_in} rows in -> {outputs}; "
              f"{recon.rows_rejected} rejected, {result.instructions.num_rows} instructions")
    return tables


def validate_translated(tables: dict[str, list], out: Path) -> None:
    """Validate the translated tables together and write the report."""
    import pyarrow as pa

    from justice_schema.validation import validate_tables

    print("\n3. validation across entities")
    from justice_schema.v1 import version_key
    from justice_schema.versioning import upgrade

    # the exports are pinned at different schema versions: bring each entity to its newest one
    newest = {entity: max((p.schema.metadata[b"justice_schema.schema_version"].decode() for p in parts),
                          key=version_key) for entity, parts in tables.items()}
    combined = {entity: pa.concat_tables([upgrade(p, newest[entity], entity_type=entity) for p in parts])
                for entity, parts in tables.items()}
    report = validate_tables(combined)
    report.to_json(out / "validation-report.json")
    report.to_html(out / "validation-report.html")
    print(f"  {sum(t.num_rows for t in combined.values())} records: {report.error_count} errors, "
          f"{report.warning_count} warnings -> validation-report.json, validation-report.html")
    for row in report.by_code().slice(0, 5).to_pylist():
        print(f"  {row['code']:<8} {row['severity']:<8} {row['issues']:>5}  {row['message']}")


def match_people(tables: dict[str, list], records: list, out: Path) -> None:
    """Match the people of every source into person_uids; build golden records."""
    import pyarrow as pa

    from justice_schema.identity import golden_persons, match_persons

    print("\n4. identity matching")
    from justice_schema.versioning import upgrade

    parts = [*tables.get("person", []), js.to_table([r for r in records if r.entity_type == "person"])]
    people = pa.concat_tables([upgrade(part, "1.2", entity_type="person") for part in parts])
    result = match_persons(people)
    pq.write_table(result.assignments(), out / "person_uids.parquet")
    golden = golden_persons(result)
    pq.write_table(js.to_table(golden), out / "golden_persons.parquet")
    shared = sum(1 for size in Counter(result.person_uids.tolist()).values() if size > 1)
    print(f"  {people.num_rows} person records from {len(VENDORS) + 1} sources -> {result.person_count} people "
          f"({shared} seen more than once); {len(golden)} golden records -> golden_persons.parquet")
    uid = dict(zip(result.ids.tolist(), result.person_uids.tolist(), strict=True))
    rules = dict(zip(result.ids.tolist(), result.record_rules(), strict=True))
    son = uid["rms-p-77120"]
    for record_id in ("rms-p-77120", "jms-p-2024-004512", "crt-p-241900877", "doc-p-88123", "rms-p-30022"):
        same = "same person" if uid[record_id] == son else "kept apart"
        print(f"  {record_id:<20} person_uid {uid[record_id]}  {same:<12} rule: {rules[record_id] or '-'}")
    assert len({uid[i] for i in ("rms-p-77120", "jms-p-2024-004512", "crt-p-241900877", "doc-p-88123")}) == 1
    assert uid["rms-p-30022"] != son, "the father must not merge with his son"


def case_flow(out: Path) -> None:
    """Link the county's events into cases; write the case table and attrition; tell one story."""
    import pyarrow.compute as pc

    from justice_schema.caseflow import attrition, case_table
    from justice_schema.linking import link_events
    from justice_schema.testing.county import county_events

    print("\n5. case flow across agencies")
    events = county_events()
    linked = link_events(events)
    cases = case_table(events, linked)
    pq.write_table(events, out / "events.parquet")
    pq.write_table(linked.links, out / "links.parquet")
    pq.write_table(linked.unlinked, out / "unlinked.parquet")
    pq.write_table(cases, out / "cases.parquet")
    pq.write_table(attrition(cases), out / "attrition.parquet")
    print(f"  {events.num_rows} events -> {linked.links.num_rows} links, {cases.num_rows} cases; "
          f"{linked.unlinked.num_rows} events unlinked -> cases.parquet, attrition.parquet, unlinked.parquet")
    case_of = dict(zip(linked.cases["event_id"].to_pylist(), linked.cases["case_uid"].to_pylist(), strict=True))
    mary = case_of["arrest:acme-rms:arrest:A24-000029"]
    [row] = cases.filter(pc.equal(cases["case_uid"], mary)).to_pylist()
    print(f"  Mary Johnson's case {mary}: arrested {row['arrest_date']}, charges filed {row['charges_filed_date']}, "
          f"convicted {row['conviction_date']}, in prison {row['admission_date']} to {row['release_date']}, "
          f"probation from {row['supervision_date']}")
    for event_id in ("prosecution_decision:casebook:decision:R24-00140:1", "custody_period:keystone:custody:245040:01"):
        [cause] = linked.unlinked.filter(pc.equal(linked.unlinked["event_id"], event_id))["cause"].to_pylist()
        print(f"  {cause}")


if __name__ == "__main__":
    sys.exit(main())
