"""Bad input to ``justice-schema match``: sparse, hostile and malformed person files.

Each case runs the command as a user would and checks the promises of the
bad-input suite: the documented exit code, one error line naming the file and
the row or field, no traceback, inputs unchanged, nothing written outside the
outputs named, and, when the run completes, one output row per input record.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

import justice_schema as js
from justice_schema.translation import find_translator
from tests.bad_input.harness import Sandbox

HEADER = ("id,given_name,middle_name,family_name,name_suffix,date_of_birth,sex,race,state_id,fbi_number,"
          "drivers_license_number,postal_code")


def csv_text(rows: list[str], header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def run_ok(sandbox: Sandbox, source: Path, *extra: str, code: int = 0, explain: bool = False) -> pa.Table:
    """Run match to completion; check exit code, hygiene and that every input record has one output row."""
    out = sandbox.path("out.csv")
    links = sandbox.path("links.csv")
    args = ["match", source, "--out", out, "--no-progress", *extra]
    if explain:
        args += ["--explain", links]
    sandbox.cli(*args).exits(code, "matched")
    sandbox.assert_unchanged()
    written = [out, links] + [Path(e) for e in extra if str(e).startswith(str(sandbox.root))]
    sandbox.assert_written_only(written)
    return pacsv.read_csv(out, convert_options=pacsv.ConvertOptions(column_types={"id": pa.string()}))


def input_ids(source: Path) -> list[str]:
    if source.suffix == ".parquet":
        return [str(i) for i in pq.read_table(source).column("id").to_pylist()]
    table = pacsv.read_csv(source, convert_options=pacsv.ConvertOptions(column_types={"id": pa.string()}))
    return table.column("id").to_pylist()


def reconciles(source: Path, out: pa.Table) -> None:
    assert sorted(out.column("id").to_pylist()) == sorted(input_ids(source))


# --- sparse data that used to crash --------------------------------------------------------------------

@pytest.mark.parametrize("rows", [1023, 1024, 1500])
def test_many_rows_without_birth_date(sandbox: Sandbox, rows: int) -> None:
    source = sandbox.write("people.csv", csv_text([f"{i},Ann{i % 50},,Lee,,,F,,,,," for i in range(rows)]))
    reconciles(source, run_ok(sandbox, source))


@pytest.mark.parametrize("rows", [3, 1024, 2000])
def test_empty_names(sandbox: Sandbox, rows: int) -> None:
    source = sandbox.write("people.csv", csv_text([f"{i},,,,,1980-01-01,M,,,,," for i in range(rows)]))
    reconciles(source, run_ok(sandbox, source))


def test_names_of_spaces_and_punctuation(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", csv_text([f"{i},  ,,'-.,,1980-01-01,,,,,," for i in range(1200)]))
    out = run_ok(sandbox, source)
    reconciles(source, out)


def test_every_column_empty(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", csv_text([f"{i},,,,,,,,,,," for i in range(1100)]))
    out = run_ok(sandbox, source)
    reconciles(source, out)
    assert len(set(out.column("person_uid").to_pylist())) == 1100  # nothing to link on


def test_only_sex_and_race_like_nibrs(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", csv_text([f"{i},M,W" for i in range(1500)], header="id,sex,race"))
    out = run_ok(sandbox, source, explain=True)
    reconciles(source, out)
    assert len(set(out.column("person_uid").to_pylist())) == 1500
    assert pacsv.read_csv(sandbox.path("links.csv")).num_rows == 0
    run = sandbox.cli("match", source, "--out", sandbox.path("out.csv"), "--no-progress")
    run.exits(0, "1,499 records identical", "0 linked to it", "1,499 not (no rule links two such records)")


def test_only_an_id_column(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", "id\n" + "".join(f"{i}\n" for i in range(1100)))
    reconciles(source, run_ok(sandbox, source))


def test_all_null_parquet_columns(sandbox: Sandbox) -> None:
    path = sandbox.path("people.parquet")
    n = 1300
    pq.write_table(pa.table({"id": [str(i) for i in range(n)], "given_name": pa.nulls(n, pa.string()),
                             "family_name": pa.nulls(n), "date_of_birth": pa.nulls(n, pa.date32())}), path)
    source = sandbox.keep(path)
    reconciles(source, run_ok(sandbox, source))


def test_large_string_parquet_columns(sandbox: Sandbox) -> None:
    path = sandbox.path("people.parquet")
    names = pa.array(["Ann", "Ann", "Bo"], pa.large_string())
    pq.write_table(pa.table({"id": ["1", "2", "3"], "given_name": names, "family_name": names,
                             "date_of_birth": ["1970-01-01", "1970-01-01", None]}), path)
    source = sandbox.keep(path)
    out = run_ok(sandbox, source)
    reconciles(source, out)
    uid = dict(zip(out.column("id").to_pylist(), out.column("person_uid").to_pylist(), strict=True))
    assert uid["1"] == uid["2"] != uid["3"]


# --- identical records ------------------------------------------------------------------------------

def test_thousands_of_identical_records_explain_small(sandbox: Sandbox) -> None:
    n = 3000
    source = sandbox.write("people.csv", csv_text([f"r{i:05d},JOHN,,SMITH,,1980-01-01,,,,,," for i in range(n)]))
    out = run_ok(sandbox, source, explain=True)
    reconciles(source, out)
    assert len(set(out.column("person_uid").to_pylist())) == 1
    run = sandbox.cli("match", source, "--out", sandbox.path("out.csv"), "--no-progress")
    run.exits(0, f"{n - 1:,} records identical on every compared field", f"{n - 1:,} linked to it")
    assert "not (no rule" not in run.err
    links = pacsv.read_csv(sandbox.path("links.csv"))
    assert links.num_rows == n - 1  # one link per record, not one per pair of a window
    assert set(links.column("identical").to_pylist()) == {True}
    assert set(links.column("identical_group_size").to_pylist()) == {n}


# --- translator output --------------------------------------------------------------------------------

@pytest.mark.parametrize("vendor", ["nibrs_flatfile", "nibrs_xml"])
def test_person_table_from_a_nibrs_translator(sandbox: Sandbox, vendor: str) -> None:
    folder = find_translator(vendor).spec_path.parent / "samples"
    people = js.translate(sorted(p for p in folder.iterdir() if p.is_file()), vendor).tables["person"]
    assert pa.types.is_struct(people.schema.field("source").type)  # the canonical nested form
    path = sandbox.path("person.parquet")
    pq.write_table(people, path)
    source = sandbox.keep(path)
    out = run_ok(sandbox, source, explain=True)
    reconciles(source, out)


# --- size extremes ------------------------------------------------------------------------------------

def test_a_single_row(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", csv_text(["1,Ann,,Lee,,1970-01-01,F,,,,,84101"]))
    out = run_ok(sandbox, source, explain=True)
    reconciles(source, out)
    assert out.num_rows == 1


def test_zero_rows(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", csv_text([]))
    out = run_ok(sandbox, source, explain=True)
    assert out.num_rows == 0 and out.column_names == ["id", "person_uid", "rule"]


def test_very_long_names(sandbox: Sandbox) -> None:
    long = "A" * 100_000
    source = sandbox.write("people.csv", csv_text([f"1,{long},,{long},,1970-01-01,,,,,,",
                                                   f"2,{long},,{long},,1970-01-01,,,,,,",
                                                   f"3,{long}B,,{long},,,,,,,,"]))
    out = run_ok(sandbox, source, explain=True)
    reconciles(source, out)


# --- cells that needed repair: exit 1, each named ----------------------------------------------------------

def test_non_utf8_name_is_a_data_issue_of_its_row(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", csv_text(["1,Ann,,Lee,,,,,,,,", "2,J\xe9r\xf4me,,Brun,,,,,,,,"]),
                           encoding="latin-1")
    issues = sandbox.path("issues.csv")
    run = sandbox.cli("match", source, "--out", sandbox.path("out.csv"), "--issues", issues, "--no-progress")
    run.exits(1, "people.csv, row 2, field 'given_name'", "not valid UTF-8")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([sandbox.path("out.csv"), issues])
    reconciles(source, pacsv.read_csv(sandbox.path("out.csv"), convert_options=pacsv.ConvertOptions(
        column_types={"id": pa.string()})))
    assert pacsv.read_csv(issues).column("row").to_pylist() == [2]


def test_non_utf8_header_is_refused_naming_row_1(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", b"id,given_\xe9name\n1,Ann\n")
    run = sandbox.cli("match", source, "--out", sandbox.path("out.csv"))
    run.fails(2, "people.csv", "row 1", "not UTF-8")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_bad_birth_dates_are_issues_with_1_based_rows(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", csv_text(["1,Ann,,Lee,,banana,,,,,,", "2,Bo,,Ek,,1980-02-31,,,,,,",
                                                   "3,Cy,,Oz,,1980-01-01,,,,,,"]))
    issues = sandbox.path("issues.csv")
    run = sandbox.cli("match", source, "--out", sandbox.path("out.csv"), "--issues", issues)
    run.exits(1, "people.csv, row 1, field 'date_of_birth'", "people.csv, row 2, field 'date_of_birth'")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([sandbox.path("out.csv"), issues])
    assert pacsv.read_csv(issues).column("row").to_pylist() == [1, 2]


def test_placeholder_and_future_birth_dates(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", csv_text([f"{i},Ann,,Lee,,{d},,,,,," for i, d in
                                                   enumerate(["1900-01-01", "2999-01-01", "0000-00-00"] * 400)]))
    run = sandbox.cli("match", source, "--out", sandbox.path("out.csv"))
    run.exits(1, "row 1, field 'date_of_birth'", "1,200 data issue(s)")
    sandbox.assert_unchanged()


# --- unreadable input: exit 2, one line -----------------------------------------------------------------

def test_duplicate_record_ids(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", csv_text(["7,Ann,,Lee,,,,,,,,", "8,Bo,,Ek,,,,,,,,", "7,Cy,,Oz,,,,,,,,"]))
    sandbox.cli("match", source, "--out", sandbox.path("out.csv")).fails(
        2, "people.csv", "row 3", "field 'id'", "'7' is repeated")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_duplicate_ids_after_trimming(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", csv_text(["7,Ann,,Lee,,,,,,,,", " 7 ,Bo,,Ek,,,,,,,,"]))
    sandbox.cli("match", source, "--out", sandbox.path("out.csv")).fails(2, "people.csv", "row 2", "field 'id'")
    sandbox.assert_written_only([])


@pytest.mark.parametrize("value", ["", "   "])
def test_empty_record_id(sandbox: Sandbox, value: str) -> None:
    source = sandbox.write("people.csv", csv_text(["1,Ann,,Lee,,,,,,,,", f"{value},Bo,,Ek,,,,,,,,"]))
    sandbox.cli("match", source, "--out", sandbox.path("out.csv")).fails(
        2, "people.csv", "row 2", "field 'id'", "id is empty")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_missing_id_column(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", "given_name,family_name\nAnn,Lee\n")
    sandbox.cli("match", source, "--out", sandbox.path("out.csv")).fails(
        2, "people.csv", "missing required column: id")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_missing_id_column_in_parquet(sandbox: Sandbox) -> None:
    path = sandbox.path("people.parquet")
    pq.write_table(pa.table({"given_name": ["Ann"]}), path)
    sandbox.keep(path)
    sandbox.cli("match", path, "--out", sandbox.path("out.csv")).fails(
        2, "people.parquet", "missing required column: id")
    sandbox.assert_written_only([])


def test_nested_table_without_id(sandbox: Sandbox) -> None:
    path = sandbox.path("person.parquet")
    pq.write_table(pa.table({"source": [{"agency_ori": "UT0180000"}], "given_name": ["Ann"]}), path)
    sandbox.keep(path)
    sandbox.cli("match", path, "--out", sandbox.path("out.csv")).fails(
        2, "person.parquet", "missing required column: id")
    sandbox.assert_written_only([])


def test_nested_table_with_a_flat_address(sandbox: Sandbox) -> None:
    path = sandbox.path("person.parquet")
    pq.write_table(pa.table({"id": ["a"], "source": [{"agency_ori": "UT0180000"}], "address": ["1 Main St"]}),
                   path)
    sandbox.keep(path)
    sandbox.cli("match", path, "--out", sandbox.path("out.csv")).fails(
        2, "person.parquet", "field 'address'", "should be a struct")
    sandbox.assert_written_only([])


def test_a_list_where_a_name_belongs(sandbox: Sandbox) -> None:
    path = sandbox.path("people.parquet")
    pq.write_table(pa.table({"id": ["a"], "given_name": pa.array([["Ann", "Marie"]])}), path)
    sandbox.keep(path)
    sandbox.cli("match", path, "--out", sandbox.path("out.csv")).fails(
        2, "people.parquet", "field 'given_name'", "holds list")
    sandbox.assert_written_only([])


def test_unknown_column(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", "id,first_name\n1,Ann\n")
    sandbox.cli("match", source, "--out", sandbox.path("out.csv")).fails(2, "people.csv", "first_name")
    sandbox.assert_written_only([])


def test_empty_file(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", "")
    sandbox.cli("match", source, "--out", sandbox.path("out.csv")).fails(2, "people.csv", "empty file")
    sandbox.assert_written_only([])


def test_not_a_parquet_file(sandbox: Sandbox) -> None:
    source = sandbox.write("people.parquet", "id,given_name\n1,Ann\n")
    sandbox.cli("match", source, "--out", sandbox.path("out.csv")).fails(2, "people.parquet", "Parquet")
    sandbox.assert_written_only([])


# --- more hostile shapes -------------------------------------------------------------------------------

def test_byte_order_mark_and_crlf_line_ends(sandbox: Sandbox) -> None:
    text = "\ufeff" + csv_text(["1,Ann,,Lee,,1970-01-01,,,,,,", "2,Ann,,Lee,,1970-01-01,,,,,,"]).replace("\n", "\r\n")
    source = sandbox.write("people.csv", text)
    out = run_ok(sandbox, source)
    reconciles(source, out)
    assert len(set(out.column("person_uid").to_pylist())) == 1


def test_quoted_names_with_line_breaks_and_commas(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", csv_text(['1,"Ann\nMarie",,"Lee, Jr",,1970-01-01,,,,,,',
                                                   '2,"Ann Marie",,Lee,JR,1970-01-01,,,,,,']))
    out = run_ok(sandbox, source)
    assert sorted(out.column("id").to_pylist()) == ["1", "2"]


def test_control_characters_in_names(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", csv_text(["1,A\x01nn\x7f,,L\tee,,1970-01-01,,,,,,", "2,Ann,,Lee,,1970-01-01,,,,,,"]))
    reconciles(source, run_ok(sandbox, source))


def test_ids_that_differ_only_by_leading_zeros_are_different(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", csv_text(["007,Ann,,Lee,,,,,,,,", "7,Bo,,Ek,,,,,,,,"]))
    out = run_ok(sandbox, source)
    assert sorted(out.column("id").to_pylist()) == ["007", "7"]


def test_non_utf8_id_is_a_data_issue_of_its_row(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", b"id,given_name\nA1,Ann\nA\xff2,Bo\n")
    run = sandbox.cli("match", source, "--out", sandbox.path("out.csv"))
    run.exits(1, "people.csv, row 2, field 'id'", "not valid UTF-8")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([sandbox.path("out.csv")])


def test_placeholder_birth_dates_past_the_1024_row_boundary(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", csv_text([f"{i},Ann{i},,Lee,,0000-00-00,,,,,," for i in range(1100)]))
    run = sandbox.cli("match", source, "--out", sandbox.path("out.csv"))
    run.exits(1, "people.csv, row 1, field 'date_of_birth'", "1,100 data issue(s)")
    sandbox.assert_unchanged()


def test_parquet_dates_before_1900_are_issues(sandbox: Sandbox) -> None:
    path = sandbox.path("people.parquet")
    pq.write_table(pa.table({"id": ["a", "b"], "given_name": ["Ann", "Bo"],
                             "date_of_birth": pa.array([dt.date(1850, 1, 1), dt.date(1970, 1, 1)], pa.date32())}),
                   path)
    sandbox.keep(path)
    sandbox.cli("match", path, "--out", sandbox.path("out.csv")).exits(
        1, "people.parquet, row 1, field 'date_of_birth'", "implausible")
    sandbox.assert_written_only([sandbox.path("out.csv")])


def test_parquet_integer_ids_repeated(sandbox: Sandbox) -> None:
    path = sandbox.path("people.parquet")
    pq.write_table(pa.table({"id": pa.array([5, 6, 5], pa.int64()), "given_name": ["Ann", "Bo", "Cy"]}), path)
    sandbox.keep(path)
    sandbox.cli("match", path, "--out", sandbox.path("out.csv")).fails(
        2, "people.parquet", "row 3", "field 'id'", "'5' is repeated")
    sandbox.assert_written_only([])


def test_parquet_dictionary_columns(sandbox: Sandbox) -> None:
    path = sandbox.path("people.parquet")
    names = pa.array(["Ann", "Ann", "Bo"]).dictionary_encode()
    pq.write_table(pa.table({"id": ["1", "2", "3"], "given_name": names, "family_name": names,
                             "date_of_birth": ["1970-01-01", "1970-01-01", "1980-01-01"]}), path)
    source = sandbox.keep(path)
    reconciles(source, run_ok(sandbox, source))


def test_rules_file_with_a_score_out_of_range(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", csv_text(["1,Ann,,Lee,,,,,,,,"]))
    rules = sandbox.write("rules.toml", 'format = 1\nname = "x"\nversion = "1"\n[[rules]]\nname = "a"\n'
                                        'block = [["family_name"]]\nrequire = { given_name = 2.0 }\n')
    sandbox.cli("match", source, "--out", sandbox.path("out.csv"), "--rules", rules).fails(
        2, "rules.toml", "field 'rules[0].require'", "given_name")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_rules_file_that_is_not_toml(sandbox: Sandbox) -> None:
    source = sandbox.write("people.csv", csv_text(["1,Ann,,Lee,,,,,,,,"]))
    rules = sandbox.write("rules.toml", 'format = 1\nname = "x\n')
    sandbox.cli("match", source, "--out", sandbox.path("out.csv"), "--rules", rules).fails(
        2, "rules.toml", "line 2")
    sandbox.assert_written_only([])
