"""Bad input on the reading side of translation: every case exits as documented and names where.

Each case runs ``justice-schema translate`` on a small hostile file and checks the
exit code, the one error line (file and line or field) when the run stops, that
rows in = translated + rejected when it completes, that each reject names its
physical line, that inputs are unchanged and that nothing is written outside
``--out``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from justice_schema.translation import builtin_spec_path
from tests.translate.helpers import HEADER

SPEC = HEADER + """
[[entity]]
type = "person"
{when}
id = {{ id = ["ID"], prefix = "p" }}
[entity.fields]
family_name = "LAST"
given_name = "FIRST"
{extra}
"""

HEADER = "ID,LAST,FIRST\n"


def write_spec(sandbox, fmt: str = "csv", source: str = "", when: str = "", extra: str = "") -> Path:
    return sandbox.write("spec.toml", SPEC.format(fmt=fmt, source=source, when=when, extra=extra))


def people(n: int, start: int = 1) -> str:
    return "".join(f"{i},Smith{i},Ann\n" for i in range(start, start + n))


def translate(sandbox, *paths: Path, spec: Path | None = None, vendor: str | None = None):
    out = sandbox.path("out")
    chosen = ("--vendor", vendor) if vendor else ("--spec", spec or sandbox.root / "spec.toml")
    run = sandbox.cli("translate", *paths, *chosen, "--out", out, "--quiet")
    return run, out


def summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def rejects(out: Path) -> list[dict]:
    return pq.read_table(out / "rejects.parquet").to_pylist()


def assert_reconciles(out: Path, rows_in: int, rejected: int) -> dict:
    """Rows in = translated + rejected, with the numbers the case expects."""
    found = summary(out)
    assert found["balanced"] is True
    assert found["rows_in"] == rows_in
    assert found["rows_rejected"] == rejected == len(rejects(out))
    counts = found["record_types"]
    assert sum(c["rows_in"] for c in counts.values()) == sum(
        c["translated"] + c["rejected"] + c["instructions"] + c.get("not_mapped", 0) for c in counts.values())
    return found


def finished_well(sandbox, out: Path) -> None:
    sandbox.assert_unchanged()
    sandbox.assert_written_only([out])


def stopped_well(sandbox, out: Path) -> None:
    sandbox.assert_unchanged()
    sandbox.assert_written_only([out])


# -- CSV: ragged rows, their line numbers, and the rows after them -------------------------------------


def test_csv_row_with_too_few_fields_is_a_reject_with_its_line(sandbox):
    write_spec(sandbox)
    data = sandbox.write("people.csv", HEADER + people(3) + "4,Jones\n" + people(2, 5))
    run, out = translate(sandbox, data)
    run.exits(1)
    assert_reconciles(out, 6, 1)
    [reject] = rejects(out)
    assert reject["source_line"] == 5 and "2 fields where 3 were expected" in reject["reasons"][0]
    assert reject["raw"] == "4,Jones"
    finished_well(sandbox, out)


def test_csv_row_with_too_many_fields_is_a_reject_with_its_line(sandbox):
    write_spec(sandbox)
    data = sandbox.write("people.csv", HEADER + people(1) + "2,Lee,Kim,extra\n" + people(1, 3))
    run, out = translate(sandbox, data)
    run.exits(1)
    assert_reconciles(out, 3, 1)
    assert [(r["source_line"], r["reasons"]) for r in rejects(out)] == [(3, ["4 fields where 3 were expected"])]
    finished_well(sandbox, out)


def test_csv_rows_after_ragged_rows_keep_their_own_lines(sandbox):
    """A reject after two skipped ragged rows names its own line, not one two lines up."""
    write_spec(sandbox)
    data = sandbox.write("people.csv", HEADER + "1,A,B\n2,short\n3,long,x,y\n,NoId,C\n")
    run, out = translate(sandbox, data)
    run.exits(1)
    assert_reconciles(out, 4, 3)
    assert [r["source_line"] for r in rejects(out)] == [3, 4, 5]
    finished_well(sandbox, out)


def test_csv_quoted_newlines_then_a_ragged_row(sandbox):
    write_spec(sandbox)
    data = sandbox.write("people.csv", HEADER + '1,"Smith\nJones\nLee",Ann\n2,bad\n' + people(1, 3))
    run, out = translate(sandbox, data)
    run.exits(1)
    assert_reconciles(out, 3, 1)
    assert [r["source_line"] for r in rejects(out)] == [5]
    finished_well(sandbox, out)


def test_csv_ragged_row_with_a_quoted_newline_moves_the_rows_after_it(sandbox):
    write_spec(sandbox)
    data = sandbox.write("people.csv", HEADER + '1,"two\nlines",x,y\n,NoId,C\n')
    run, out = translate(sandbox, data)
    run.exits(1)
    assert_reconciles(out, 2, 2)
    assert [r["source_line"] for r in rejects(out)] == [2, 4]
    finished_well(sandbox, out)


def test_csv_blank_lines_are_counted_as_lines(sandbox):
    write_spec(sandbox)
    data = sandbox.write("people.csv", HEADER + "1,A,B\n\n\n2,short\n")
    run, out = translate(sandbox, data)
    run.exits(1)
    assert_reconciles(out, 2, 1)
    assert [r["source_line"] for r in rejects(out)] == [5]
    finished_well(sandbox, out)


def test_csv_every_row_ragged(sandbox):
    write_spec(sandbox)
    data = sandbox.write("people.csv", HEADER + "1\n2\n3\n")
    run, out = translate(sandbox, data)
    run.exits(1)
    assert_reconciles(out, 3, 3)
    assert [r["source_line"] for r in rejects(out)] == [2, 3, 4]
    finished_well(sandbox, out)


def test_csv_skip_rows_then_a_ragged_row(sandbox):
    write_spec(sandbox, source="skip_rows = 2")
    data = sandbox.write("people.csv", "export of 2024-05-01\nby acme\n" + HEADER + people(2) + "3,x\n")
    run, out = translate(sandbox, data)
    run.exits(1)
    assert_reconciles(out, 3, 1)
    assert [r["source_line"] for r in rejects(out)] == [6]
    finished_well(sandbox, out)


def test_csv_ragged_rows_across_batches_keep_their_lines(sandbox):
    write_spec(sandbox, source="block_size = 4096")
    lines = [HEADER.rstrip("\n")] + [f"{i},S{i},A" if i % 250 else f"{i},ragged" for i in range(1, 2001)]
    data = sandbox.write("people.csv", "\n".join(lines) + "\n")
    run, out = translate(sandbox, data)
    run.exits(1)
    assert_reconciles(out, 2000, 8)
    assert [r["source_line"] for r in rejects(out)] == [i + 1 for i in range(250, 2001, 250)]
    finished_well(sandbox, out)


# -- CSV: bytes, encodings, line endings -------------------------------------------------------------


def test_csv_latin1_byte_on_line_47_names_line_47(sandbox):
    write_spec(sandbox)
    body = HEADER + people(44) + "45,Jos\xe9,Ann\n" + people(5, 46)
    data = sandbox.write("people.csv", body, encoding="latin-1")
    run, out = translate(sandbox, data)
    run.fails(2, "people.csv", "row 46", "0xe9", "encoding")
    stopped_well(sandbox, out)


def test_csv_latin1_byte_deep_in_a_large_file(sandbox):
    write_spec(sandbox, source="block_size = 4096")
    body = HEADER + people(3000) + "3001,Mu\xf1oz,Ann\n" + people(10, 3002)
    data = sandbox.write("people.csv", body, encoding="latin-1")
    run, out = translate(sandbox, data)
    run.fails(2, "people.csv", "row 3002", "0xf1")
    stopped_well(sandbox, out)


def test_csv_bad_byte_inside_a_multiline_value_names_its_line(sandbox):
    write_spec(sandbox)
    data = sandbox.write("people.csv", HEADER + '1,"first\nsecond \xe9",Ann\n', encoding="latin-1")
    run, out = translate(sandbox, data)
    run.fails(2, "people.csv", "row 3")
    stopped_well(sandbox, out)


def test_csv_bad_byte_in_the_header_names_line_1(sandbox):
    write_spec(sandbox)
    data = sandbox.write("people.csv", b"ID,LAST,FIRST\xff\n1,A,B\n")
    run, out = translate(sandbox, data)
    run.fails(2, "people.csv", "row 1", "header")
    stopped_well(sandbox, out)


def test_csv_latin1_declared_reads_the_same_file(sandbox):
    write_spec(sandbox, source='encoding = "latin-1"')
    data = sandbox.write("people.csv", HEADER + "1,Jos\xe9,Ann\n", encoding="latin-1")
    run, out = translate(sandbox, data)
    run.exits(0)
    assert_reconciles(out, 1, 0)
    assert pq.read_table(out / "person.parquet").column("family_name").to_pylist() == ["José"]
    finished_well(sandbox, out)


def test_csv_byte_order_mark_is_not_part_of_the_first_column(sandbox):
    write_spec(sandbox)
    data = sandbox.write("people.csv", "\ufeff" + HEADER + people(2))
    run, out = translate(sandbox, data)
    run.exits(0)
    assert_reconciles(out, 2, 0)
    assert pq.read_table(out / "person.parquet").column("id").to_pylist() == ["p:1", "p:2"]
    finished_well(sandbox, out)


def test_csv_crlf_line_endings_keep_line_numbers(sandbox):
    write_spec(sandbox)
    data = sandbox.write("people.csv", (HEADER + people(2) + "3,short\n" + ",NoId,X\n").replace("\n", "\r\n"))
    run, out = translate(sandbox, data)
    run.exits(1)
    assert_reconciles(out, 4, 2)
    found = rejects(out)
    assert [r["source_line"] for r in found] == [4, 5]
    assert pq.read_table(out / "person.parquet").column("given_name").to_pylist() == ["Ann", "Ann"]
    finished_well(sandbox, out)


# -- CSV: empty files, headers, columns --------------------------------------------------------------


def test_csv_empty_file(sandbox):
    write_spec(sandbox)
    data = sandbox.write("people.csv", "")
    run, out = translate(sandbox, data)
    run.fails(2, "people.csv", "empty")
    stopped_well(sandbox, out)


def test_csv_header_only_is_zero_rows_and_clean(sandbox):
    write_spec(sandbox)
    data = sandbox.write("people.csv", HEADER)
    run, out = translate(sandbox, data)
    run.exits(0)
    assert_reconciles(out, 0, 0)
    finished_well(sandbox, out)


def test_csv_header_only_with_a_misspelt_column_is_still_refused(sandbox):
    write_spec(sandbox)
    data = sandbox.write("people.csv", "ID,LAST,FRIST\n")
    run, out = translate(sandbox, data)
    run.fails(2, "people.csv", "'FIRST'", "entity[0].fields.given_name")
    stopped_well(sandbox, out)


def test_csv_duplicate_headers(sandbox):
    write_spec(sandbox)
    data = sandbox.write("people.csv", "ID,LAST,LAST,FIRST\n1,a,b,c\n")
    run, out = translate(sandbox, data)
    run.fails(2, "people.csv", "repeats column", "LAST")
    stopped_well(sandbox, out)


def test_csv_misspelt_header_names_column_file_and_spec_key(sandbox):
    write_spec(sandbox)
    data = sandbox.write("people.csv", "ID,LASTNAME,FIRST\n" + people(3))
    run, out = translate(sandbox, data)
    run.fails(2, "people.csv", "'LAST'", "entity[0].fields.family_name", "LASTNAME")
    stopped_well(sandbox, out)


def test_csv_missing_column_in_the_second_file_only(sandbox):
    write_spec(sandbox)
    good = sandbox.write("a.csv", HEADER + people(2))
    bad = sandbox.write("b.csv", "ID,LAST\n3,Smith\n")
    run, out = translate(sandbox, good, bad)
    run.fails(2, "b.csv", "'FIRST'", "given_name")
    stopped_well(sandbox, out)


def test_csv_missing_id_column(sandbox):
    write_spec(sandbox)
    data = sandbox.write("people.csv", "PERSON_ID,LAST,FIRST\n1,a,b\n")
    run, out = translate(sandbox, data)
    run.fails(2, "people.csv", "'ID'", "entity[0].id")
    stopped_well(sandbox, out)


def test_csv_column_used_in_a_condition_is_required(sandbox):
    write_spec(sandbox, when='when = { test = "KIND", equals = "P" }')
    data = sandbox.write("people.csv", HEADER + people(1))
    run, out = translate(sandbox, data)
    run.fails(2, "people.csv", "'KIND'", "entity[0].when")
    stopped_well(sandbox, out)


def test_csv_optional_column_absent_is_read_as_null(sandbox):
    write_spec(sandbox, source='optional_columns = ["MIDDLE"]', extra='middle_name = "MIDDLE"')
    data = sandbox.write("people.csv", HEADER + people(2))
    run, out = translate(sandbox, data)
    run.exits(0)
    assert_reconciles(out, 2, 0)
    assert pq.read_table(out / "person.parquet").column("middle_name").to_pylist() == [None, None]
    finished_well(sandbox, out)


def test_csv_optional_column_present_is_read(sandbox):
    write_spec(sandbox, source='optional_columns = ["MIDDLE"]', extra='middle_name = "MIDDLE"')
    data = sandbox.write("people.csv", "ID,LAST,FIRST,MIDDLE\n1,A,B,C\n")
    run, out = translate(sandbox, data)
    run.exits(0)
    assert pq.read_table(out / "person.parquet").column("middle_name").to_pylist() == ["C"]
    finished_well(sandbox, out)


def test_csv_optional_columns_do_not_excuse_other_columns(sandbox):
    write_spec(sandbox, source='optional_columns = ["MIDDLE"]', extra='middle_name = "MIDDLE"')
    data = sandbox.write("people.csv", "ID,LAST\n1,A\n")
    run, out = translate(sandbox, data)
    run.fails(2, "people.csv", "'FIRST'")
    stopped_well(sandbox, out)


def test_csv_optional_columns_must_be_a_list_of_names(sandbox):
    write_spec(sandbox, source='optional_columns = "MIDDLE"')
    data = sandbox.write("people.csv", HEADER + people(1))
    run, out = translate(sandbox, data)
    run.fails(2, "spec.toml", "optional_columns")
    stopped_well(sandbox, out)


# -- JSON Lines and JSON -----------------------------------------------------------------------------


def jsonl_spec(sandbox) -> Path:
    return write_spec(sandbox, fmt="jsonl")


def person_line(i: int) -> str:
    return json.dumps({"ID": str(i), "LAST": f"Smith{i}", "FIRST": "Ann"}) + "\n"


@pytest.mark.parametrize(("bad_line", "reason"), [
    ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ('{"ID": "9", "LAST": ' + "[" * 2000 + "]" * 2000 + "}", "nested too deeply"),
    ('{"ID": ' + "9" * 5000 + "}", "5,000 digits"),
    ('{"ID": "9", "LAST": "x"', "not valid JSON"),
    ('{"ID": NaN}', "NaN"),
    ("[1, 2, 3]", "not a JSON object"),
    ('"just text"', "not a JSON object"),
    ("42", "not a JSON object"),
])
def test_jsonl_bad_line_is_one_reject_with_its_line(sandbox, bad_line, reason):
    jsonl_spec(sandbox)
    data = sandbox.write("people.jsonl", person_line(1) + person_line(2) + bad_line + "\n" + person_line(4))
    run, out = translate(sandbox, data)
    run.exits(1)
    assert_reconciles(out, 4, 1)
    [reject] = rejects(out)
    assert reject["source_line"] == 3
    assert reason in reject["reasons"][0]
    assert len(reject["raw"]) <= 2000
    finished_well(sandbox, out)


def test_jsonl_bad_bytes_are_one_reject_with_their_line(sandbox):
    jsonl_spec(sandbox)
    data = sandbox.write("people.jsonl", (person_line(1) + '{"ID": "2", "LAST": "Jos\xe9"}\n' + person_line(3))
                         .encode("latin-1"))
    run, out = translate(sandbox, data)
    run.exits(1)
    assert_reconciles(out, 3, 1)
    [reject] = rejects(out)
    assert reject["source_line"] == 2 and "0xe9" in reject["reasons"][0]
    finished_well(sandbox, out)


def test_jsonl_blank_lines_keep_line_numbers(sandbox):
    jsonl_spec(sandbox)
    data = sandbox.write("people.jsonl", person_line(1) + "\n   \n" + "{broken\n")
    run, out = translate(sandbox, data)
    run.exits(1)
    assert_reconciles(out, 2, 1)
    assert [r["source_line"] for r in rejects(out)] == [4]
    finished_well(sandbox, out)


def test_jsonl_byte_order_mark(sandbox):
    jsonl_spec(sandbox)
    data = sandbox.write("people.jsonl", "\ufeff" + person_line(1))
    run, out = translate(sandbox, data)
    run.exits(0)
    assert_reconciles(out, 1, 0)
    finished_well(sandbox, out)


def test_jsonl_crlf_lines(sandbox):
    jsonl_spec(sandbox)
    data = sandbox.write("people.jsonl", (person_line(1) + "[]\n").replace("\n", "\r\n"))
    run, out = translate(sandbox, data)
    run.exits(1)
    assert_reconciles(out, 2, 1)
    assert [r["source_line"] for r in rejects(out)] == [2]
    finished_well(sandbox, out)


def test_json_document_nested_too_deeply_is_an_input_error(sandbox):
    write_spec(sandbox, fmt="json")
    data = sandbox.write("people.json", "[" * 100_000 + "]" * 100_000)
    run, out = translate(sandbox, data)
    run.fails(2, "people.json", "nested too deeply")
    stopped_well(sandbox, out)


def test_json_document_with_a_syntax_error_names_its_line(sandbox):
    write_spec(sandbox, fmt="json")
    data = sandbox.write("people.json", '[\n{"ID": "1"},\n{"ID": "2",,}\n]\n')
    run, out = translate(sandbox, data)
    run.fails(2, "people.json", "row 3", "not valid JSON")
    stopped_well(sandbox, out)


def test_json_document_with_a_huge_integer(sandbox):
    write_spec(sandbox, fmt="json")
    data = sandbox.write("people.json", '[{"ID": ' + "1" * 4500 + "}]")
    run, out = translate(sandbox, data)
    run.fails(2, "people.json", "4,500 digits")
    stopped_well(sandbox, out)


# -- XML ---------------------------------------------------------------------------------------------

NIBRS_XML = builtin_spec_path("nibrs_xml").parent / "samples" / "nibrs_GroupBArrest_Sample.xml"
NIBRS_NS = "http://fbi.gov/cjis/nibrs/2019"


def test_xml_submission_in_another_namespace_is_refused(sandbox):
    text = NIBRS_XML.read_text(encoding="utf-8").replace(NIBRS_NS, "http://fbi.gov/cjis/nibrs/2017")
    data = sandbox.write("submission.xml", text)
    run, out = translate(sandbox, data, vendor="nibrs_xml")
    run.fails(2, "submission.xml", "http://fbi.gov/cjis/nibrs/2017", NIBRS_NS, "<Submission>")
    stopped_well(sandbox, out)


def test_xml_with_another_root_element_is_refused(sandbox):
    data = sandbox.write("submission.xml", f'<?xml version="1.0"?>\n<nibrs:Report xmlns:nibrs="{NIBRS_NS}"/>\n')
    run, out = translate(sandbox, data, vendor="nibrs_xml")
    run.fails(2, "submission.xml", "row 2", "<Report>", "<Submission>")
    stopped_well(sandbox, out)


def test_xml_without_a_namespace_is_refused(sandbox):
    data = sandbox.write("submission.xml", "<Submission><Report/></Submission>")
    run, out = translate(sandbox, data, vendor="nibrs_xml")
    run.fails(2, "submission.xml", "in no namespace", NIBRS_NS)
    stopped_well(sandbox, out)


def test_xml_not_well_formed_names_its_line(sandbox):
    text = NIBRS_XML.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    lines[40] = lines[40].replace(">", "", 1) if ">" in lines[40] else "<broken\n"
    data = sandbox.write("submission.xml", "".join(lines))
    run, out = translate(sandbox, data, vendor="nibrs_xml")
    run.fails(2, "submission.xml", "not well-formed XML", "row ")
    stopped_well(sandbox, out)


def test_xml_empty_file(sandbox):
    data = sandbox.write("submission.xml", "")
    run, out = translate(sandbox, data, vendor="nibrs_xml")
    run.fails(2, "submission.xml", "not well-formed XML")
    stopped_well(sandbox, out)


def test_xml_right_namespace_still_reads(sandbox):
    data = sandbox.write("submission.xml", NIBRS_XML.read_bytes())
    run, out = translate(sandbox, data, vendor="nibrs_xml")
    run.exits(0)
    assert_reconciles(out, 1, 0)
    finished_well(sandbox, out)


# -- NIBRS flat file ---------------------------------------------------------------------------------

FLAT = builtin_spec_path("nibrs_flatfile").parent / "samples" / "actions_and_group_b.txt"


def group_b_line() -> bytes:
    return next(line for line in FLAT.read_bytes().splitlines() if line[4:5] == b"7")


@pytest.mark.parametrize("age", [b"-5  ", b"AB  ", b"5   ", b"1X  "])
def test_nibrs_malformed_arrestee_age_rejects_the_arrest(sandbox, age):
    line = group_b_line()
    bad = line[:57] + age + line[61:]
    data = sandbox.write("nibrs.txt", line + b"\r\n" + bad + b"\r\n")
    run, out = translate(sandbox, data, vendor="nibrs_flatfile")
    run.exits(1)
    assert_reconciles(out, 2, 1)
    [reject] = rejects(out)
    assert reject["source_line"] == 2
    # the reason names the field and the FBI edit (rule JS-A29); the raw line keeps the value
    assert any("arrestee_age" in reason and "FBI edits 609/664" in reason for reason in reject["reasons"])
    assert age.decode() in reject["raw"]
    finished_well(sandbox, out)


@pytest.mark.parametrize("age", [b"25  ", b"2530", b"00  ", b"99  "])
def test_nibrs_wellformed_arrestee_ages_still_translate(sandbox, age):
    line = group_b_line()
    data = sandbox.write("nibrs.txt", line[:57] + age + line[61:] + b"\r\n")
    run, out = translate(sandbox, data, vendor="nibrs_flatfile")
    run.exits(0)
    assert_reconciles(out, 1, 0)
    finished_well(sandbox, out)


def test_nibrs_truncated_line_is_a_reject_with_its_line(sandbox):
    line = group_b_line()
    data = sandbox.write("nibrs.txt", line + b"\r\n" + line[:40] + b"\r\n")
    run, out = translate(sandbox, data, vendor="nibrs_flatfile")
    run.exits(1)
    assert_reconciles(out, 2, 1)
    assert [r["source_line"] for r in rejects(out)] == [2]
    finished_well(sandbox, out)


# -- control characters in text ----------------------------------------------------------------------


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\x0b"])
def test_control_character_in_a_name_rejects_the_row(sandbox, char):
    write_spec(sandbox)
    data = sandbox.write("people.csv", HEADER + people(2) + f"3,SMI{char}TH,Ann\n")
    run, out = translate(sandbox, data)
    run.exits(1)
    assert_reconciles(out, 3, 1)
    [reject] = rejects(out)
    assert reject["source_line"] == 4
    assert any("JS-P13" in r and "family_name" in r for r in reject["reasons"])
    finished_well(sandbox, out)


def test_nul_in_a_jsonl_name_rejects_the_row(sandbox):
    jsonl_spec(sandbox)
    data = sandbox.write("people.jsonl", person_line(1) + json.dumps({"ID": "2", "LAST": "A", "FIRST": "B\u0000"})
                         + "\n")
    run, out = translate(sandbox, data)
    run.exits(1)
    assert_reconciles(out, 2, 1)
    [reject] = rejects(out)
    assert reject["source_line"] == 2
    assert any(r.startswith("person.given_name: ") and r.endswith("(JS-P13)") for r in reject["reasons"])
    finished_well(sandbox, out)


def test_tab_in_a_name_is_not_a_control_character_error(sandbox):
    write_spec(sandbox)
    data = sandbox.write("people.csv", HEADER + '1,"SMITH\tJONES",Ann\n')
    run, out = translate(sandbox, data)
    assert not any("JS-P13" in r for reject in (rejects(out) if (out / "rejects.parquet").exists() else [])
                   for r in reject["reasons"])
    run.exits(1 if summary(out)["rows_rejected"] else 0)
    finished_well(sandbox, out)


# -- file-name conditions ----------------------------------------------------------------------------

FILE_WHEN = 'when = { test = { source = "file" }, matches = "^arrest" }'


def test_file_name_condition_ignores_the_folder_name(sandbox):
    write_spec(sandbox, when=FILE_WHEN)
    data = sandbox.write("arrests/people.csv", HEADER + people(2))
    run, out = translate(sandbox, data)
    run.exits(1)
    found = assert_reconciles(out, 2, 2)
    assert found["records_out"]["person"] == 0
    assert all("no [[entity]] block" in r["reasons"][0] for r in rejects(out))
    finished_well(sandbox, out)


def test_file_name_condition_matches_the_file_name(sandbox):
    write_spec(sandbox, when=FILE_WHEN)
    data = sandbox.write("exports/arrests_2024.csv", HEADER + people(2))
    run, out = translate(sandbox, data)
    run.exits(0)
    assert_reconciles(out, 2, 0)
    finished_well(sandbox, out)


# -- joined files ------------------------------------------------------------------------------------

JOIN = """
[[join]]
name = "alias"
files = "alias*.csv"
on = ["ID"]
{source}
"""


def test_joined_file_missing_a_used_column_is_refused(sandbox):
    write_spec(sandbox, extra='middle_name = "alias.MIDDLE"')
    spec = sandbox.root / "spec.toml"
    sandbox.write("spec.toml", spec.read_text() + JOIN.format(source=""))
    main = sandbox.write("people.csv", HEADER + people(1))
    alias = sandbox.write("alias.csv", "ID,MIDDLE_NAME\n1,Q\n")
    run, out = translate(sandbox, main, alias)
    run.fails(2, "alias.csv", "joined input 'alias'", "'MIDDLE'", "entity[0].fields.middle_name")
    stopped_well(sandbox, out)


def test_joined_file_optional_column(sandbox):
    write_spec(sandbox, extra='middle_name = "alias.MIDDLE"')
    spec = sandbox.root / "spec.toml"
    sandbox.write("spec.toml", spec.read_text() + JOIN.format(
        source='source = { format = "csv", optional_columns = ["MIDDLE"] }'))
    main = sandbox.write("people.csv", HEADER + people(1))
    alias = sandbox.write("alias.csv", "ID,OTHER\n1,Q\n")
    run, out = translate(sandbox, main, alias)
    run.exits(0)
    assert_reconciles(out, 1, 0)
    finished_well(sandbox, out)


@pytest.mark.parametrize("content", [b"\xff\xfe{\x00}\x00\n\x00", "{\"ID\": \"Jos\xe9\"}\n".encode("latin-1")])
def test_jsonl_first_line_not_text_is_an_input_error(sandbox, content):
    """Bad bytes on the first line mean the file is in another encoding: stop, naming file and line."""
    jsonl_spec(sandbox)
    data = sandbox.write("people.jsonl", content)
    run, out = translate(sandbox, data)
    run.fails(2, "people.jsonl", "row 1", "not utf-8 text", "encoding")
    stopped_well(sandbox, out)


def test_jsonl_bad_bytes_right_after_a_batch_are_still_one_reject(sandbox):
    write_spec(sandbox, fmt="jsonl", source="batch_rows = 2")
    data = sandbox.write("people.jsonl", (person_line(1) + person_line(2) + '{"ID": "3", "LAST": "\xe9"}\n')
                         .encode("latin-1"))
    run, out = translate(sandbox, data)
    run.exits(1)
    assert_reconciles(out, 3, 1)
    assert [r["source_line"] for r in rejects(out)] == [3]
    finished_well(sandbox, out)


# -- gathered files (the FBI CDE weapons table) ------------------------------------------------------

CDE = builtin_spec_path("fbi_cde").parent / "samples"


def _cde_inputs(sandbox, weapon_text: str) -> list[Path]:
    paths = [sandbox.write(p.name, p.read_bytes()) for p in sorted(CDE.glob("*.csv"))
             if p.name != "NIBRS_ARRESTEE_WEAPON.csv"]
    return [*paths, sandbox.write("NIBRS_ARRESTEE_WEAPON.csv", weapon_text)]


def test_gathered_file_missing_a_used_column_is_refused(sandbox):
    original = (CDE / "NIBRS_ARRESTEE_WEAPON.csv").read_text(encoding="utf-8")
    paths = _cde_inputs(sandbox, original.replace('"WEAPON_ID"', '"WEAPON_CODE_ID"', 1))
    run, out = translate(sandbox, *paths, vendor="fbi_cde")
    run.fails(2, "NIBRS_ARRESTEE_WEAPON.csv", "gathered input 'weapon'", "'WEAPON_ID'")
    stopped_well(sandbox, out)


def test_gathered_file_intact_still_translates(sandbox):
    paths = _cde_inputs(sandbox, (CDE / "NIBRS_ARRESTEE_WEAPON.csv").read_text(encoding="utf-8"))
    run, out = translate(sandbox, *paths, vendor="fbi_cde")
    assert run.code in (0, 1)
    run.no_traceback()
    assert summary(out)["balanced"] is True
    finished_well(sandbox, out)


def test_csv_duplicate_headers_after_skipped_rows_name_the_header_line(sandbox):
    write_spec(sandbox, source="skip_rows = 3")
    data = sandbox.write("people.csv", "a\nb\nc\nID,LAST,FIRST,FIRST\n1,a,b,c\n")
    run, out = translate(sandbox, data)
    run.fails(2, "people.csv", "row 4", "FIRST")
    stopped_well(sandbox, out)
