"""The engine: expressions, maps, joins, repeats, instructions, rejects and the reconciliation."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from justice_schema.arrow import from_table
from justice_schema.translation import SourceBatch, register_reader, register_transform
from justice_schema.translation.sources import with_bookkeeping
from tests.translate.helpers import PERSON, run


def test_name_parts_suffixes_and_names_without_a_comma(tmp_path: Path) -> None:
    body = PERSON + """
family_name = { name = "N", part = "family" }
given_name = { name = "N", part = "given" }
middle_name = { name = "N", part = "middle" }
name_suffix = { name = "N", part = "suffix" }
"""
    csv = ('ID,N\r\n1,"SMITH, JOHN ALLEN"\r\n2,"SMITH JR, JOHN"\r\n3,"  de la cruz ,  maria   luisa  jr. "\r\n'
           "4,MADONNA\r\n5,\r\n")
    people = {p["id"]: p for p in run(tmp_path, body, {"in.csv": csv}).tables["person"].to_pylist()}
    parts = {k: (p["family_name"], p["given_name"], p["middle_name"], p["name_suffix"]) for k, p in people.items()}
    assert parts == {
        "p:1": ("SMITH", "JOHN", "ALLEN", None),
        "p:2": ("SMITH", "JOHN", None, "JR"),
        "p:3": ("de la cruz", "maria", "luisa", "JR"),
        "p:4": ("MADONNA", None, None, None),
        "p:5": (None, None, None, None),
    }


def test_dates_refuse_impossible_days_and_sentinels_become_null(tmp_path: Path) -> None:
    body = PERSON + 'date_of_birth = { date = "DOB", formats = ["%m/%d/%Y", "%Y-%m-%d"], null_if = ["00/00/0000"] }\n'
    csv = "ID,DOB\n1,02/29/2024\n2,02/30/2024\n3,00/00/0000\n4,1990-07-04\n5,7/4/1990\n"
    result = run(tmp_path, body, {"in.csv": csv})
    born = {p["id"]: p["date_of_birth"] for p in result.tables["person"].to_pylist()}
    assert born == {"p:1": date(2024, 2, 29), "p:3": None, "p:4": date(1990, 7, 4), "p:5": date(1990, 7, 4)}
    (reject,) = result.rejects.to_pylist()
    assert reject["source_line"] == 3
    assert reject["reasons"] == ["person.date_of_birth: '02/30/2024' is not a date in format %m/%d/%Y or %Y-%m-%d"]
    assert '"DOB": "02/30/2024"' in reject["raw"]


def test_local_times_become_aware_instants_in_the_agency_zone(tmp_path: Path) -> None:
    body = """
[[entity]]
type = "booking"
id = { id = ["B"], prefix = "b" }
[entity.fields]
person_id = { const = "p-1" }
booking_number = "B"
booked_at = { datetime = "T", formats = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S%z"] }
"""
    csv = "B,T\n1,2024-01-15 08:00\n2,2024-07-15 08:00\n3,2024-11-03 01:30\n4,2024-07-15T08:00:00+00:00\n"
    booked = {b["booking_number"]: b["booked_at"] for b in run(tmp_path, body, {"in.csv": csv}).tables[
        "booking"].to_pylist()}
    assert booked == {
        "1": datetime(2024, 1, 15, 15, 0, tzinfo=UTC),   # MST, UTC-7
        "2": datetime(2024, 7, 15, 14, 0, tzinfo=UTC),   # MDT, UTC-6
        "3": datetime(2024, 11, 3, 7, 30, tzinfo=UTC),   # ambiguous: the earlier (MDT) instant
        "4": datetime(2024, 7, 15, 8, 0, tzinfo=UTC),    # already has an offset
    }


@pytest.mark.parametrize(
    ("policy", "extra", "codes", "rejected"),
    [
        ("reject", "", {"p:1": "M", "p:3": None}, ["p:2"]),
        ("unknown", 'unknown = "U"', {"p:1": "M", "p:2": "U", "p:3": None}, []),
        ("keep_raw_warn", "", {"p:1": "M", "p:2": None, "p:3": None}, []),
    ],
)
def test_unmapped_value_policies(tmp_path: Path, policy: str, extra: str, codes: dict[str, Any],
                                 rejected: list[str]) -> None:
    body = f"""
[maps.sex]
values = {{ "Male" = "M", "Female" = "F" }}
unmapped = "{policy}"
{extra}
""" + PERSON + 'sex = { map = "S", using = "sex" }\n'
    result = run(tmp_path, body, {"in.csv": "ID,S\n1, male \n2,Martian\n3,\n"})
    people = result.tables["person"].to_pylist()
    assert {p["id"]: p["sex"] for p in people} == codes
    raw = {p["id"]: p["sex_raw"] for p in people}
    assert raw.get("p:1") == "male" and raw.get("p:3") is None
    if "p:2" in raw:
        assert raw["p:2"] == "Martian"
    assert len(result.rejects) == len(rejected)
    assert dict(result.reconciliation.unmapped_values["person.sex (sex)"]) == {"Martian": 1}
    if policy == "keep_raw_warn":
        assert sum(result.reconciliation.warnings.values()) == 1


def test_code_table_lookup_by_description_with_synonyms(tmp_path: Path) -> None:
    body = """
[[entity]]
type = "charge"
id = { id = ["ID"], prefix = "c" }
[entity.fields]
person_id = { const = "p-1" }
ucr_offense_code = { lookup = "D", table = "ucr_offense", synonyms = { "DUI" = "90D" }, unmapped = "keep_raw_warn" }
"""
    csv = "ID,D\n1,simple   assault\n2,DUI\n3,Shoplifting\n4,Jaywalking\n"
    charges = run(tmp_path, body, {"in.csv": csv}).tables["charge"].to_pylist()
    assert [(c["ucr_offense_code"], c["ucr_offense_code_raw"]) for c in charges] == [
        ("13B", "simple   assault"), ("90D", "DUI"), ("23C", "Shoplifting"), (None, "Jaywalking")]


def test_conditional_branches_only_judge_their_own_rows(tmp_path: Path) -> None:
    body = """
[[entity]]
type = "arrest"
id = { id = ["ID"], prefix = "a" }
[entity.fields]
person_id = { const = "p-1" }
arrest_date = { if = { test = "KIND", equals = "US" }, then = { date = "D", formats = ["%m/%d/%Y"] }, else = { date = "D", formats = ["%d.%m.%Y"] } }
"""
    csv = "ID,KIND,D\n1,US,12/31/2024\n2,EU,31.12.2024\n"
    result = run(tmp_path, body, {"in.csv": csv})
    assert result.clean
    assert [a["arrest_date"] for a in result.tables["arrest"].to_pylist()] == [date(2024, 12, 31)] * 2


def test_repeating_columns_become_child_records_and_list_entries(tmp_path: Path) -> None:
    body = """
[[entity]]
type = "supervision"
id = { id = ["ID"], prefix = "s" }
[entity.fields]
person_id = { const = "p-1" }
supervision_type = { const = "PROBATION" }
start_date = { date = "START", formats = ["%Y-%m-%d"] }
[entity.fields.violations]
repeat = { from = 1, to = 2 }
present = ["V{n}"]
entry = { violation_date = { date = "V{n}", formats = ["%Y-%m-%d"] }, violation_type = { const = "TECHNICAL" } }

[[entity]]
type = "charge"
each = { repeat = { from = 1, to = 3 }, present = ["C{n}"] }
id = { id = ["ID", { index = true }], prefix = "c" }
[entity.fields]
person_id = { const = "p-1" }
charge_sequence = { index = true }
statute_code = "C{n}"
"""
    csv = "ID,START,V1,V2,C1,C2,C3\n1,2024-01-01,,2024-02-02,76-1,,76-3\n2,2024-01-01,,,,,\n"
    result = run(tmp_path, body, {"in.csv": csv})
    periods = {s["id"]: s for s in result.tables["supervision"].to_pylist()}
    assert [v["violation_date"] for v in periods["s:1"]["violations"]] == [date(2024, 2, 2)]
    assert periods["s:2"]["violations"] == []
    charges = result.tables["charge"].to_pylist()
    assert [(c["id"], c["charge_sequence"], c["statute_code"]) for c in charges] == [
        ("c:1:1", 1, "76-1"), ("c:1:3", 3, "76-3")]
    assert result.reconciliation.unused_columns["default"] == []


def test_json_arrays_become_child_records_and_lists(tmp_path: Path) -> None:
    body = """
[[entity]]
type = "incident"
id = { id = ["no"], prefix = "i" }
[entity.fields]
incident_number = "no"
incident_date = { date = "date", formats = ["%Y-%m-%d"] }
offenses = { items = "offenses", entry = { ucr_offense_code = "offenses.code", attempted_completed = "offenses.ac" } }

[[entity]]
type = "charge"
each = { array = "offenses" }
id = { id = ["no", { index = true }], prefix = "c" }
[entity.fields]
person_id = { const = "p-1" }
ucr_offense_code = "offenses.code"
charge_sequence = { index = true }
"""
    lines = ('{"no": "I-1", "date": "2024-05-01", "offenses": [{"code": "13A", "ac": "C", "x": 1}, {"code": "13B"}]}\n'
             '{"no": "I-2", "date": "2024-05-02", "offenses": [{"code": "XX"}]}\n'
             '{"no": "I-3", "date": "2024-05-03", "offenses": []}\n')
    result = run(tmp_path, body, {"in.jsonl": lines}, fmt="jsonl")
    incidents = result.tables["incident"].to_pylist()
    assert [[o["ucr_offense_code"] for o in i["offenses"]] for i in incidents] == [["13A", "13B"]]
    assert [c["id"] for c in result.tables["charge"].to_pylist()] == ["c:I-1:1", "c:I-1:2"]
    reasons = {r["source_line"]: r["reasons"] for r in result.rejects.to_pylist()}
    assert any("'XX' is not a code of UcrOffenseCode" in r for r in reasons[2])
    assert any("offenses: needs at least 1" in r for r in reasons[3])
    assert "offenses.x" in result.reconciliation.unused_columns["default"]
    assert result.reconciliation.balanced


def test_join_by_key_required_and_unused_rows_reported(tmp_path: Path) -> None:
    body = """
[[join]]
name = "people"
files = "people*.csv"
on = ["PID"]
keys = ["ID"]
required = true
source = { format = "csv", encoding = "latin-1", delimiter = ";" }
""" + PERSON.replace('["ID"]', '["PID"]') + 'family_name = "people.LAST"\n'
    people = "ID;LAST;NOTE\r\n1;MUÑOZ;x\r\n2;PEÑA;y\r\n2;DUPLICATE;z\r\n3;UNUSED;w\r\n".encode("latin-1")
    main = "PID\n1\n2\n9\n"
    result = run(tmp_path, body, {"people.csv": people, "main.csv": main})
    assert [p["family_name"] for p in result.tables["person"].to_pylist()] == ["MUÑOZ", "PEÑA"]
    (reject,) = result.rejects.to_pylist()
    assert "no row in joined input 'people' with PID = '9'" in reject["reasons"][0]
    assert result.reconciliation.joins["people"] == {"rows_in": 4, "rows_unreadable": 0, "duplicate_keys": 1,
                                                     "rows_matched": 2}
    assert result.reconciliation.unused_columns["join:people"] == ["NOTE"]


def test_instructions_are_reported_never_dropped(tmp_path: Path) -> None:
    body = """
[[instruction]]
kind = "delete"
when = { test = "ACTION", equals = "D" }

[[instruction]]
kind = "zero_report"
when = { test = "ID", is_null = true }
""" + PERSON + 'family_name = "N"\n'
    csv = "ID,ACTION,N\n1,I,A\n2,D,B\n,I,\n3,I,C\n"
    result = run(tmp_path, body, {"in.csv": csv})
    assert [p["id"] for p in result.tables["person"].to_pylist()] == ["p:1", "p:3"]
    assert [(i["source_line"], i["kind"]) for i in result.instructions.to_pylist()] == [(3, "delete"),
                                                                                          (4, "zero_report")]
    counts = result.reconciliation.record_types["default"]
    assert (counts.rows_in, counts.translated, counts.instructions, counts.rejected) == (4, 2, 2, 0)
    assert dict(result.reconciliation.instruction_kinds) == {"delete": 1, "zero_report": 1}


def _two_type_reader(paths: Sequence[Path], options: Mapping[str, Any]) -> Iterator[SourceBatch]:
    for path in paths:
        lines = path.read_text().splitlines()
        for kind in sorted({line[0] for line in lines}):
            mine = [(n, line) for n, line in enumerate(lines, 1) if line[0] == kind]
            table = pa.table({"ID": [line[1:4].strip() or None for _, line in mine],
                              "NAME": [line[4:].strip() or None for _, line in mine]})
            table = table.append_column("_source_file", pa.array([str(path)] * len(mine))).append_column(
                "_source_line", pa.array([n for n, _ in mine], pa.int64()))
            yield SourceBatch(kind, table)


def test_rows_are_mapped_per_record_type_and_unmapped_types_rejected(tmp_path: Path) -> None:
    register_reader("two_types_test", _two_type_reader)
    body = PERSON.replace('type = "person"', 'type = "person"\nrecord_type = "P"') + 'family_name = "NAME"\n' + """
[[instruction]]
kind = "header"
record_type = "H"
"""
    text = "H000HEADER\nP001SMITH\nP002JONES\nX003WHAT\n"
    result = run(tmp_path, body, {"in.txt": text}, fmt="two_types_test")
    rec = result.reconciliation
    assert {k: (c.rows_in, c.translated, c.instructions, c.rejected) for k, c in rec.record_types.items()} == {
        "H": (1, 0, 1, 0), "P": (2, 2, 0, 0), "X": (1, 0, 0, 1)}
    (reject,) = result.rejects.to_pylist()
    assert reject["record_type"] == "X" and "maps no record type 'X'" in reject["reasons"][0]


def test_validate_hook_rejects_rows_and_every_output_record_is_valid(tmp_path: Path) -> None:
    body = PERSON + 'family_name = "N"\nstate_id = "SID"\n'
    csv = "ID,N,SID\n1,SMITH,UT-1\n2,JONES,bad sid\n3,BOND,UT-3\n"

    def no_bond(entity: str, table: pa.Table) -> pa.Array:
        names = table.column("family_name").combine_chunks()
        return pc.if_else(pc.equal(names, "BOND"), pa.scalar("no spies"), pa.scalar(None, pa.string()))

    result = run(tmp_path, body, {"in.csv": csv}, validate=no_bond)
    assert [p.id for p in from_table(result.tables["person"])] == ["p:1"]
    reasons = {r["source_line"]: r["reasons"] for r in result.rejects.to_pylist()}
    assert reasons[3] == ["person.state_id: 'bad sid' does not match the pattern ^[A-Z0-9][A-Z0-9-]{0,24}$ (JS-P07)"]
    assert reasons[4] == ["person.no spies"]
    codes = {r["source_line"]: [(i["code"], i["entity"], i["field"]) for i in r["issues"]]
             for r in result.rejects.to_pylist()}
    assert codes == {3: [("JS-P07", "person", "state_id")], 4: [("JS-T06", "person", None)]}


def test_a_validate_hook_may_give_coded_row_problems(tmp_path: Path) -> None:
    """A hook returning RowProblems (as the validation engine's does) rejects with its codes and fields."""
    from justice_schema.validation.problems import PROBLEM_SCHEMA, RowProblems

    body = PERSON + 'family_name = "N"\n'

    def no_bond(entity: str, table: pa.Table) -> RowProblems:
        rows = pc.indices_nonzero(pc.equal(table.column("family_name").combine_chunks(), "BOND"))
        n = len(rows)
        return RowProblems(table.num_rows, pa.table({
            "row": rows.cast(pa.int64()), "code": pa.array(["X-1"] * n), "field": pa.array(["family_name"] * n),
            "text": pa.array(["family_name: no spies (X-1)"] * n)}, schema=PROBLEM_SCHEMA))

    result = run(tmp_path, body, {"in.csv": "ID,N\n1,SMITH\n2,BOND\n"}, validate=no_bond)
    assert [p["family_name"] for p in result.tables["person"].to_pylist()] == ["SMITH"]
    (reject,) = result.rejects.to_pylist()
    assert reject["reasons"] == ["person.family_name: no spies (X-1)"]
    assert reject["issues"] == [{"code": "X-1", "entity": "person", "field": "family_name",
                                 "message": "person.family_name: no spies (X-1)"}]


def test_registered_transform_and_its_rejects(tmp_path: Path) -> None:
    def initials(values: pa.Array) -> tuple[pa.Array, pa.Array, str]:
        first = pc.utf8_slice_codeunits(values, 0, 1)
        return first, pc.fill_null(pc.equal(first, "?"), False), "has no initial"

    register_transform("initial_test", initials)
    body = PERSON + 'middle_name = { transform = "initial_test", args = ["M"] }\n'
    result = run(tmp_path, body, {"in.csv": "ID,M\n1,Allen\n2,?x\n"})
    assert [p["middle_name"] for p in result.tables["person"].to_pylist()] == ["A"]
    assert result.rejects.to_pylist()[0]["reasons"] == ["person.middle_name: '?x' has no initial"]


def test_dedupe_keeps_the_first_record_of_an_id_across_batches(tmp_path: Path) -> None:
    body = PERSON.replace('type = "person"', 'type = "person"\ndedupe = true') + 'family_name = "N"\n'
    rows = "".join(f"{i % 3},N{i}\n" for i in range(10))
    result = run(tmp_path, body, {"in.csv": "ID,N\n" + rows}, source="block_size = 16")
    assert [(p["id"], p["family_name"]) for p in result.tables["person"].to_pylist()] == [
        ("p:0", "N0"), ("p:1", "N1"), ("p:2", "N2")]
    assert result.reconciliation.duplicates_merged["person"] == 7
    assert result.reconciliation.record_types["default"].translated == 10


def test_reader_errors_are_rejects_with_the_row_text(tmp_path: Path) -> None:
    body = PERSON + 'family_name = "N"\n'
    result = run(tmp_path, body, {"in.csv": "ID,N\n1,A\n2,B,EXTRA\n3,C\n"})
    assert len(result.tables["person"]) == 2
    (reject,) = result.rejects.to_pylist()
    assert reject["raw"] == "2,B,EXTRA" and "3 fields where 2 were expected" in reject["reasons"][0]
    assert result.reconciliation.balanced and result.reconciliation.rows_in == 3


def test_header_less_csv_with_named_columns(tmp_path: Path) -> None:
    body = PERSON + 'family_name = "N"\n'
    result = run(tmp_path, body, {"in.csv": "1|A\n2|B\n"}, source='header = false\ncolumns = ["ID", "N"]\n'
                                                                    'delimiter = "|"')
    assert [(p["id"], p["family_name"]) for p in result.tables["person"].to_pylist()] == [("p:1", "A"), ("p:2", "B")]
    assert result.rejects.num_rows == 0


def test_json_document_with_records_path(tmp_path: Path) -> None:
    body = PERSON + 'family_name = "name.last"\n'
    doc = '{"export": {"people": [{"ID": 1, "name": {"last": "A"}}, {"ID": 2, "name": {"last": ""}}, 7]}}'
    result = run(tmp_path, body, {"in.json": doc}, fmt="json", source='records = "export.people"')
    assert [(p["id"], p["family_name"]) for p in result.tables["person"].to_pylist()] == [("p:1", "A"), ("p:2", None)]
    assert "not an object" in result.rejects.to_pylist()[0]["reasons"][0]


def test_with_bookkeeping_numbers_lines() -> None:
    table = with_bookkeeping(pa.table({"a": ["x", "y"]}), Path("f.csv"), 2)
    assert table.column("_source_line").to_pylist() == [2, 3]


def test_byte_order_mark_and_header_spaces_do_not_leak_into_names(tmp_path: Path) -> None:
    body = PERSON + 'family_name = "N"\n'
    result = run(tmp_path, body, {"in.csv": "\ufeffID , N\r\n1,A\r\n".encode()})
    assert [(p["id"], p["family_name"]) for p in result.tables["person"].to_pylist()] == [("p:1", "A")]


def test_checks_proven_by_construction_are_skipped_but_not_others(tmp_path: Path) -> None:
    from justice_schema.translation import Translator, load_spec
    from tests.translate.helpers import spec_text

    body = """
[maps.sex]
values = { "Male" = "M", "Other" = "X" }
unmapped = "keep_raw_warn"

[maps.race]
values = { "White" = "W" }
unmapped = "unknown"
unknown = "U"
""" + PERSON + 'sex = { map = "S", using = "sex" }\nrace = { map = "R", using = "race" }\n'
    path = tmp_path / "spec.toml"
    path.write_text(spec_text(body), encoding="utf-8")
    (plan,) = Translator(load_spec(path)).program.entities
    # "X" is not a sex code, so sex is still checked; every race code is valid, and the id has a
    # prefix, so those checks are proven.
    assert {("id", "pattern"), ("race", "enum")} <= plan.proven_checks
    assert ("sex", "enum") not in plan.proven_checks
    result = run(tmp_path, body, {"in.csv": "ID,S,R\n1,Male,White\n2,Other,Martian\n"})
    assert [p["id"] for p in result.tables["person"].to_pylist()] == ["p:1"]
    assert "person.sex: 'X' is not a code of Sex (JS-P04)" in result.rejects.to_pylist()[0]["reasons"]


@pytest.mark.parametrize("block", ["block_size = 16", ""])  # many small batches, and one
def test_csv_line_numbers_count_line_breaks_inside_quoted_values(tmp_path: Path, block: str) -> None:
    body = PERSON + 'family_name = "N"\n'
    csv = 'ID,N\n1,"two\nlines"\n2,"three\r\nlines\nhere"\n,nobody\n4,ok\n'
    result = run(tmp_path, body, {"in.csv": csv}, source=block)
    reject = result.rejects.to_pylist()
    assert [r["source_line"] for r in reject] == [7]  # the row without an id starts on line 7


def test_every_reject_code_is_documented() -> None:
    from justice_schema.translation.reasons import REJECT_CODES

    page = (Path(__file__).parents[2] / "docs" / "translators.rst").read_text(encoding="utf-8")
    section = page[page.index("Reject codes"):]
    for code in REJECT_CODES:
        assert f"   * - ``{code}``\n" in section, f"docs/translators.rst does not list {code}"


def test_the_reject_reasons_of_each_stage_carry_their_code(tmp_path: Path) -> None:
    """A bad date (JS-T02), a row no block takes (JS-T04) and a broken field rule (its rule code)."""
    body = PERSON.replace('type = "person"', 'type = "person"\nwhen = { any = [{ test = "K", is_null = true }, '
        '{ not = { test = "K", equals = "skip" } }] }') + (
        'family_name = "N"\ndate_of_birth = { date = "D", formats = ["%m/%d/%Y"] }\nstate_id = "SID"\n')
    csv = "ID,N,D,SID,K\n1,A,13/45/2001,,\n2,B,,bad sid,\n3,C,,,skip\n"
    result = run(tmp_path, body, {"in.csv": csv})
    codes = {r["source_line"]: [(i["code"], i["field"]) for i in r["issues"]] for r in result.rejects.to_pylist()}
    assert codes == {2: [("JS-T02", "date_of_birth")], 3: [("JS-P07", "state_id")], 4: [("JS-T04", None)]}
