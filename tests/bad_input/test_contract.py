"""Bad values in translated records: the schema's contract, enforced by the validation engine.

Each case runs ``justice-schema translate`` on a small export whose values break
one field rule (or a record rule) of the canonical schema, and checks that the
run finishes with exit 1, that the row is rejected on its own physical line with
a reason naming the entity, the field, the offending value and the rule code,
that the counts reconcile, that the clean rows are translated, that inputs are
unchanged and that nothing is written outside ``--out``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from justice_schema.arrow import from_table
from tests.translate.helpers import HEADER

PERSON_SPEC = HEADER.replace("{fmt}", "csv") + """
[[entity]]
type = "person"
id = {{ id = ["ID"], prefix = "p" }}
[entity.fields]
family_name = "LAST"
given_name = "FIRST"
sex = "SEX"
state_id = "SID"
drivers_license_state = "DLS"
date_of_birth = {{ date = "DOB", formats = ["%Y-%m-%d"] }}
"""
PERSON_HEADER = "ID,LAST,FIRST,SEX,SID,DLS,DOB\n"

ARREST_SPEC = """
spec_version = 1
[translator]
name = "t"
title = "test"
system = "Test RMS"
agency_ori = { const = "UT0180000" }
timezone = "America/Denver"
[source]
format = "csv"

[[entity]]
type = "arrest"
id = { id = ["NO"], prefix = "a" }
[entity.fields]
person_id = { id = ["PID"], prefix = "p" }
arrest_date = { date = "DATE", formats = ["%Y-%m-%d"] }
arrest_type = "TYPE"
arrestee_sequence_number = "SEQ"
"""
ARREST_HEADER = "NO,PID,DATE,TYPE,SEQ\n"

INCIDENT_SPEC = """
spec_version = 1
[translator]
name = "t"
title = "test"
system = "Test RMS"
agency_ori = { const = "UT0180000" }
timezone = "America/Denver"
[source]
format = "jsonl"

[[entity]]
type = "incident"
id = { id = ["no"], prefix = "i" }
[entity.fields]
incident_number = "no"
incident_date = { date = "date", formats = ["%Y-%m-%d"] }
offenses = { items = "offenses", entry = { ucr_offense_code = "offenses.code" } }
"""


def good_people(n: int, start: int = 1) -> str:
    return "".join(f"{i},SMITH{i},ANN,F,UT{i},UT,1980-01-0{1 + i % 9}\n" for i in range(start, start + n))


def translate(sandbox, data: Path, *options: str):
    out = sandbox.path("out")
    run = sandbox.cli("translate", data, "--spec", sandbox.root / "spec.toml", "--out", out, "--quiet",
                      "--extracted-at", "2024-06-01T00:00:00Z", *options)
    return run, out


def rejects(out: Path) -> list[dict]:
    return pq.read_table(out / "rejects.parquet").to_pylist()


def reconciled(sandbox, out: Path, rows_in: int, rejected: int) -> dict:
    """Counts reconcile, the translated records are valid, and only ``--out`` was written."""
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["balanced"] is True
    assert summary["rows_in"] == rows_in
    assert summary["rows_rejected"] == rejected == (len(rejects(out)) if rejected else 0)
    written = sum(summary["records_out"].values())
    for table in out.glob("*.parquet"):
        if table.stem not in ("rejects", "instructions", "conflicts"):
            assert len(from_table(pq.read_table(table))) == summary["records_out"][table.stem]
    assert written == rows_in - rejected
    sandbox.assert_unchanged()
    sandbox.assert_written_only([out])
    return summary


def the_reject(out: Path, line: int) -> list[str]:
    [reject] = rejects(out)
    assert reject["source_line"] == line
    return reject["reasons"]


# -- scalar field rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(("column", "value", "reason"), [
    ("SEX", "X", "person.sex: 'X' is not a code of Sex (JS-P04)"),
    ("SEX", "m", "person.sex: 'm' is not a code of Sex (JS-P04)"),
    ("LAST", "S" * 101, "person.family_name: longer than 100 characters (JS-P03)"),
    ("FIRST", "É" * 101, "person.given_name: longer than 100 characters (JS-P03)"),
    ("DLS", "UTA", "person.drivers_license_state: longer than 2 characters (JS-P03)"),
    ("DLS", "U", "person.drivers_license_state: shorter than 2 character(s) (JS-P03)"),
    ("SID", "UT 1", "person.state_id: 'UT 1' does not match the pattern ^[A-Z0-9][A-Z0-9-]{0,24}$ (JS-P07)"),
    ("SID", "-UT1", "person.state_id: '-UT1' does not match the pattern ^[A-Z0-9][A-Z0-9-]{0,24}$ (JS-P07)"),
    ("SID", "ut1", "person.state_id: 'ut1' does not match the pattern ^[A-Z0-9][A-Z0-9-]{0,24}$ (JS-P07)"),
    ("SID", "U" * 26, "person.state_id: longer than 25 characters (JS-P03)"),
])
def test_a_value_breaking_a_field_rule_rejects_its_row(sandbox, column, value, reason):
    sandbox.write("spec.toml", PERSON_SPEC.format(source=""))
    row = dict(zip(PERSON_HEADER.strip().split(","), ["9", "JONES", "BOB", "M", "UT9", "UT", "1970-05-05"]))
    row[column] = value
    data = sandbox.write("people.csv", PERSON_HEADER + good_people(2) + ",".join(row.values()) + "\n"
                         + good_people(1, 3))
    run, out = translate(sandbox, data)
    run.exits(1, "1 rejected")
    assert the_reject(out, 4) == [reason]
    reconciled(sandbox, out, 4, 1)


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f\x01"])
def test_a_control_character_is_refused_even_without_the_record_rules(sandbox, char):
    """JS-x13 is a field rule: ``--no-validate`` (record rules off) still refuses it."""
    sandbox.write("spec.toml", PERSON_SPEC.format(source=""))
    data = sandbox.write("people.csv", PERSON_HEADER + good_people(1) + f"2,SMI{char}TH,ANN,F,,,\n")
    run, out = translate(sandbox, data, "--no-validate")
    run.exits(1)
    [reason] = the_reject(out, 3)
    assert reason.startswith("person.family_name: holds a control character") and reason.endswith("(JS-P13)")
    reconciled(sandbox, out, 2, 1)


def test_every_problem_of_a_row_is_listed_once_in_order(sandbox):
    sandbox.write("spec.toml", PERSON_SPEC.format(source=""))
    data = sandbox.write("people.csv", PERSON_HEADER + "1,SMITH,ANN,Q,bad id,UTAH,1980-01-01\n")
    run, out = translate(sandbox, data)
    run.exits(1)
    assert the_reject(out, 2) == [
        "person.drivers_license_state: longer than 2 characters (JS-P03)",
        "person.sex: 'Q' is not a code of Sex (JS-P04)",
        "person.state_id: 'bad id' does not match the pattern ^[A-Z0-9][A-Z0-9-]{0,24}$ (JS-P07)",
    ]
    reconciled(sandbox, out, 1, 1)


def test_bad_values_across_many_batches_keep_their_physical_lines(sandbox):
    sandbox.write("spec.toml", PERSON_SPEC.format(source="block_size = 2048"))
    lines = [f"{i},SMITH{i},ANN,{'X' if i in (37, 901, 1999) else 'F'},UT{i},UT,1980-01-01\n" for i in range(1, 2001)]
    data = sandbox.write("people.csv", PERSON_HEADER + "".join(lines))
    run, out = translate(sandbox, data)
    run.exits(1, "3 rejected")
    assert [(r["source_line"], r["reasons"]) for r in rejects(out)] == [
        (line + 1, ["person.sex: 'X' is not a code of Sex (JS-P04)"]) for line in (37, 901, 1999)]
    reconciled(sandbox, out, 2000, 3)


def test_rejects_as_csv_carry_the_same_reasons(sandbox):
    sandbox.write("spec.toml", PERSON_SPEC.format(source=""))
    data = sandbox.write("people.csv", PERSON_HEADER + good_people(1) + "2,JONES,BOB,X,,,\n")
    out = sandbox.path("out")
    run = sandbox.cli("translate", data, "--spec", sandbox.root / "spec.toml", "--out", out, "--quiet",
                      "--rejects-format", "csv")
    run.exits(1)
    [row] = list(csv.DictReader(io.StringIO((out / "rejects.csv").read_text(encoding="utf-8"))))
    assert row["source_line"] == "3" and "person.sex: 'X' is not a code of Sex (JS-P04)" in row["reasons"]
    sandbox.assert_unchanged()
    sandbox.assert_written_only([out])


# -- required values, ranges ---------------------------------------------------------------------------


def test_a_missing_required_value_names_the_field_and_rule(sandbox):
    sandbox.write("spec.toml", ARREST_SPEC)
    data = sandbox.write("arrests.csv", ARREST_HEADER + "A1,P1,2024-01-02,O,1\nA2,P2,,O,1\nA3,,2024-01-03,T,2\n")
    run, out = translate(sandbox, data)
    run.exits(1, "2 rejected")
    assert [(r["source_line"], r["reasons"]) for r in rejects(out)] == [
        (3, ["arrest.arrest_date: required but missing (JS-A01, FBI edits 601/701)"]),
        (4, ["arrest.person_id: a key part of the record id is missing",
             "arrest.person_id: required but missing (JS-A01, FBI edits 601/701)"]),
    ]
    reconciled(sandbox, out, 3, 2)


@pytest.mark.parametrize(("seq", "reason"), [
    ("100", "arrest.arrestee_sequence_number: '100' is above 99 (JS-A08)"),
    ("0", "arrest.arrestee_sequence_number: '0' is below 1 (JS-A08)"),
    ("-5", "arrest.arrestee_sequence_number: '-5' is below 1 (JS-A08)"),
])
def test_a_number_out_of_range_names_the_bound(sandbox, seq, reason):
    sandbox.write("spec.toml", ARREST_SPEC)
    data = sandbox.write("arrests.csv", ARREST_HEADER + f"A1,P1,2024-01-02,O,{seq}\nA2,P2,2024-01-02,O,99\n")
    run, out = translate(sandbox, data)
    run.exits(1)
    assert the_reject(out, 2) == [reason]
    reconciled(sandbox, out, 2, 1)


def test_an_arrest_code_outside_its_code_list(sandbox):
    sandbox.write("spec.toml", ARREST_SPEC)
    data = sandbox.write("arrests.csv", ARREST_HEADER + "A1,P1,2024-01-02,Z,1\n")
    run, out = translate(sandbox, data)
    run.exits(1)
    assert the_reject(out, 2) == ["arrest.arrest_type: 'Z' is not a code of TypeOfArrest (JS-A04, FBI edits 604/704)"]
    reconciled(sandbox, out, 1, 1)


# -- record rules: on by default, off with --no-validate, one pass either way ----------------------------


@pytest.mark.parametrize(("dob", "code"), [("1850-01-01", "JS-P41"), ("2030-01-01", "JS-P40")])
def test_record_rules_reject_unless_no_validate(sandbox, dob, code):
    sandbox.write("spec.toml", PERSON_SPEC.format(source=""))
    data = sandbox.write("people.csv", PERSON_HEADER + good_people(1) + f"2,JONES,BOB,M,,,{dob}\n")
    run, out = translate(sandbox, data)
    run.exits(1)
    [reason] = the_reject(out, 3)
    assert reason.startswith("person.date_of_birth: ") and reason.endswith(f"({code})")
    reconciled(sandbox, out, 2, 1)
    run, plain = translate(sandbox, data, "--no-validate", "--overwrite")
    run.exits(0, "0 rejected")
    reconciled(sandbox, plain, 2, 0)


# -- nested values: repeated offenses ------------------------------------------------------------------


@pytest.mark.parametrize(("offenses", "reason"), [
    ([{"code": "23H"}, {"code": "XX"}],
     "incident.offenses.ucr_offense_code: 'XX' is not a code of UcrOffenseCode (JS-I04, FBI edits 104/204)"),
    ([], "incident.offenses: needs at least 1 item(s) (JS-I09)"),
])
def test_a_bad_nested_value_rejects_its_record(sandbox, offenses, reason):
    sandbox.write("spec.toml", INCIDENT_SPEC)
    # offenses that need no weapon/force (FBI edit 221 refuses an assault without one)
    lines = [{"no": "I-1", "date": "2024-05-01", "offenses": [{"code": "290"}]},
             {"no": "I-2", "date": "2024-05-02", "offenses": offenses}]
    data = sandbox.write("incidents.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    run, out = translate(sandbox, data)
    run.exits(1)
    assert the_reject(out, 2) == [reason]
    reconciled(sandbox, out, 2, 1)
