"""Bad input: folders given as files, corrupt Parquet pages, hostile JSON Lines, non-schema JSON,
and the path a new user walks (translate, then validate, then match the files each step wrote)."""

from __future__ import annotations

import json

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from justice_schema.errors import InputError
from justice_schema.validation import validate_file
from tests.bad_input.samples import ACME, FLAT_PEOPLE, corrupt_parquet, person, person_lines, person_parquet

FBI_CDE = ACME.parents[2] / "fbi_cde" / "samples"


# --------------------------------------------------------------------------- a folder where a file is expected


def test_validate_a_folder(sandbox):
    folder = sandbox.path("people.csv")
    folder.mkdir()
    sandbox.cli("validate", folder, "--entity", "person").fails(2, "people.csv", "is a folder")
    sandbox.assert_written_only([])


def test_validate_a_folder_without_entity(sandbox):
    folder = sandbox.path("people.parquet")
    folder.mkdir()
    sandbox.cli("validate", folder).fails(2, "people.parquet", "is a folder")
    sandbox.assert_written_only([])


def test_match_a_folder(sandbox):
    folder = sandbox.path("people.csv")
    folder.mkdir()
    sandbox.cli("match", folder, "--out", sandbox.path("o.csv")).fails(2, "people.csv", "is a folder")
    sandbox.assert_written_only([])


def test_migrate_a_folder(sandbox):
    folder = sandbox.path("people.jsonl")
    folder.mkdir()
    sandbox.cli("migrate", folder, "--to", "1.0", "--out", sandbox.path("o.jsonl")).fails(
        2, "people.jsonl", "is a folder")
    sandbox.assert_written_only([])


def test_translate_a_folder(sandbox):
    folder = sandbox.path("exports")
    folder.mkdir()
    sandbox.cli("translate", folder, "--vendor", "acme_rms", "--out", sandbox.path("out"), "--quiet").fails(
        2, "exports", "is a folder, not a file")
    sandbox.assert_written_only([])


def test_translate_a_folder_lists_the_files_a_multi_table_translator_reads(sandbox):
    folder = sandbox.path("cde")
    folder.mkdir()
    run = sandbox.cli("translate", folder, "--vendor", "fbi_cde", "--out", sandbox.path("out"), "--quiet")
    run.fails(2, "cde", "holds no files", "matching", "NIBRS_ARRESTEE")
    sandbox.assert_written_only([])


def test_validate_a_missing_file_is_not_called_a_folder(sandbox):
    sandbox.cli("validate", sandbox.path("gone.csv"), "--entity", "person").fails(2, "gone.csv", "no such file")
    sandbox.assert_written_only([])


# --------------------------------------------------------------------------- a corrupt Parquet data page


@pytest.fixture
def broken(sandbox):
    path = corrupt_parquet(person_parquet(sandbox.path("people.parquet")))
    return sandbox.keep(path)


def test_validate_corrupt_parquet_page(sandbox, broken):
    valid = sandbox.path("valid.parquet")
    sandbox.cli("validate", broken, "--entity", "person", "--valid", valid).fails(2, "people.parquet", "corrupt")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])  # no half-written valid file either


def test_validate_corrupt_parquet_page_entity_from_metadata(sandbox, broken):
    sandbox.cli("validate", broken).fails(2, "people.parquet", "corrupt")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_match_corrupt_parquet_page(sandbox, broken):
    sandbox.cli("match", broken, "--out", sandbox.path("o.parquet")).fails(2, "people.parquet", "corrupt")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_migrate_corrupt_parquet_page(sandbox, broken):
    sandbox.cli("migrate", broken, "--to", "1.0", "--out", sandbox.path("o.parquet")).fails(
        2, "people.parquet", "corrupt")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_validate_file_api_corrupt_parquet_page(sandbox, broken):
    with pytest.raises(InputError, match="people.parquet.*corrupt"):
        validate_file(broken, "person")
    sandbox.assert_unchanged()


# --------------------------------------------------------------------------- hostile JSON Lines

_DEEP = "[" * 50_000 + "]" * 50_000
_HUGE = '{"id": "p-9", "count": ' + "9" * 5000 + "}"


@pytest.mark.parametrize(("bad", "reason"), [(_DEEP, "nested too deeply"), (_HUGE, "5,000 digits")])
def test_validate_jsonl_bad_line_is_one_reject(sandbox, bad, reason):
    lines = person_lines(2).splitlines()
    data = sandbox.write("people.jsonl", "\n".join([lines[0], bad, lines[1]]) + "\n")
    rejects = sandbox.path("rejects.csv")
    run = sandbox.cli("validate", data, "--rejects", rejects)
    run.exits(1, "3 rows in, 2 valid, 1 rejected")
    table = pacsv.read_csv(rejects)
    assert table.num_rows == 1 and table.column("row").to_pylist() == [2]
    assert reason in table.column("issue_messages")[0].as_py() and "line 2" in table.column("issue_messages")[0].as_py()
    sandbox.assert_unchanged()
    sandbox.assert_written_only([rejects])


@pytest.mark.parametrize(("bad", "reason"), [(_DEEP, "nested too deeply"), (_HUGE, "5,000 digits")])
def test_migrate_jsonl_bad_line_is_one_reject(sandbox, bad, reason):
    lines = person_lines(2).splitlines()
    data = sandbox.write("people.jsonl", "\n".join([lines[0], bad, lines[1]]) + "\n")
    out = sandbox.path("down.jsonl")
    run = sandbox.cli("migrate", data, "--to", "1.0", "--out", out)
    run.exits(1, "read 3, written 2, rejected 1")
    assert len(out.read_text().splitlines()) == 2
    rejects = [json.loads(line) for line in sandbox.path("down.jsonl.rejects.jsonl").read_text().splitlines()]
    assert len(rejects) == 1 and reason in rejects[0]["reason"] and rejects[0]["where"].endswith("line 2")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([out, sandbox.path("down.jsonl.rejects.jsonl")])


def test_migrate_json_array_nested_too_deeply(sandbox):
    data = sandbox.write("people.json", "[" + _DEEP + "]")
    sandbox.cli("migrate", data, "--to", "1.0", "--out", sandbox.path("o.json")).fails(
        2, "people.json", "nested too deeply")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_migrate_clean_run_leaves_no_reject_file(sandbox):
    data = sandbox.write("people.jsonl", person_lines(3))
    out = sandbox.path("down.jsonl")
    sandbox.cli("migrate", data, "--to", "1.0", "--out", out).exits(0, "read 3, written 3, rejected 0")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([out])


# --------------------------------------------------------------------------- schema diff on JSON that is no schema


@pytest.mark.parametrize(("content", "reason"), [
    ('{"a": 1}', "no 'properties'"),
    ('{"properties": 5}', "'properties' is not an object"),
    ('{"type": "object", "properties": {"a": {"type": "string"}}}', "which 1.0 does not have"),
    ("[1, 2]", "expected a JSON object"),
    ('{"properties": {}', "not valid JSON"),
])
def test_schema_diff_on_json_that_is_no_schema(sandbox, content, reason):
    data = sandbox.write("some.json", content)
    sandbox.cli("schema", "diff", "1.0", data).fails(2, "some.json", reason)
    sandbox.cli("schema", "diff", data, "1.1").fails(2, "some.json")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_schema_diff_on_an_entity_schema_file_still_compares(sandbox):
    from justice_schema import json_schema

    data = sandbox.write("person.schema.json", json.dumps(json_schema("person", "1.1")))
    sandbox.cli("schema", "diff", "1.0", data).exits(0, "compatible under BACKWARD")
    sandbox.assert_unchanged()


# --------------------------------------------------------------------------- the entity a file declares


def test_validate_csv_that_declares_no_entity(sandbox):
    data = sandbox.write("people.csv", "id,given_name\np-1,Ann\n")
    sandbox.cli("validate", data).fails(2, "people.csv", "--entity")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_validate_jsonl_declaring_an_unknown_entity(sandbox):
    data = sandbox.write("w.jsonl", json.dumps({**person(1), "entity_type": "warrant"}) + "\n")
    sandbox.cli("validate", data).fails(2, "w.jsonl", "'warrant'", "--entity")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_validate_infers_entity_and_version_from_parquet_metadata(sandbox):
    data = sandbox.keep(person_parquet(sandbox.path("people.parquet"), n=5))
    sandbox.cli("validate", data).exits(0, "person", "5 rows in, 5 valid, 0 rejected")
    sandbox.assert_unchanged()


def test_validate_infers_entity_from_jsonl(sandbox):
    data = sandbox.write("people.jsonl", person_lines(4))
    sandbox.cli("validate", data).exits(0, "4 rows in, 4 valid, 0 rejected")
    sandbox.assert_unchanged()


def test_match_refuses_a_canonical_table_of_another_entity(sandbox):
    out = sandbox.path("out")
    sandbox.cli("translate", sandbox.keep(ACME), "--vendor", "acme_rms", "--out", out, "--quiet").exits(1)
    sandbox.cli("match", out / "arrest.parquet", "--out", sandbox.path("m.csv")).fails(2, "arrest.parquet")
    assert not sandbox.path("m.csv").exists()
    sandbox.assert_written_only([out])


# --------------------------------------------------------------------------- translate options


@pytest.mark.parametrize(("args", "mention"), [
    (["--extracted-at", "2024-01-01T00:00:00"], "time zone"),
    (["--extracted-at", "yesterday"], "not an ISO 8601 instant"),
    (["--param", "ORI"], "NAME=VALUE"),
    (["--param", "=x"], "NAME=VALUE"),
    (["--rejects-format", "xlsx"], "--rejects-format"),
    (["--param", "ORI=UT0180000", "--param", "ORI=UT0180001"], "twice"),
])
def test_translate_bad_options(sandbox, args, mention):
    data = sandbox.write("arrests.csv", ACME.read_bytes())
    sandbox.cli("translate", data, "--vendor", "acme_rms", "--out", sandbox.path("out"), "--quiet", *args).fails(
        2, mention)
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_translate_extracted_at_makes_runs_reproducible(sandbox):
    data = sandbox.write("arrests.csv", ACME.read_bytes())
    first, second = sandbox.path("a"), sandbox.path("b")
    for out in (first, second):
        sandbox.cli("translate", data, "--vendor", "acme_rms", "--out", out, "--quiet",
                    "--extracted-at", "2024-01-31T00:00:00Z").exits(1)
    for name in ("person.parquet", "arrest.parquet", "charge.parquet"):
        assert pq.read_table(first / name).equals(pq.read_table(second / name))
    stamps = pq.read_table(first / "person.parquet").column("source").combine_chunks().field("extracted_at")
    assert {str(s) for s in stamps.to_pylist()} == {"2024-01-31 00:00:00+00:00"}
    sandbox.assert_unchanged()
    sandbox.assert_written_only([first, second])


def test_translate_rejects_name_files_relative_to_the_input(sandbox):
    data = sandbox.write("exports/arrests.csv", ACME.read_bytes())
    out = sandbox.path("out")
    sandbox.cli("translate", data, "--vendor", "acme_rms", "--out", out, "--quiet").exits(1)
    assert set(pq.read_table(out / "rejects.parquet").column("source_file").to_pylist()) == {"arrests.csv"}


# --------------------------------------------------------------------------- the path a new user walks


def test_translate_then_validate_then_match_the_written_files(sandbox):
    data = sandbox.write("arrests.csv", ACME.read_bytes())
    out, valid, uids = sandbox.path("out"), sandbox.path("valid.parquet"), sandbox.path("uids.csv")
    sandbox.cli("translate", data, "--vendor", "acme_rms", "--out", out, "--quiet").exits(1, "16 person")
    persons = pq.read_table(out / "person.parquet").num_rows
    sandbox.cli("validate", out / "person.parquet", "--valid", valid).exits(0, f"{persons} rows in, {persons} valid")
    sandbox.cli("match", valid, "--out", uids).exits(0, f"matched {persons} records")
    assert pacsv.read_csv(uids).num_rows == persons
    sandbox.cli("match", out / "person.parquet", "--out", sandbox.path("direct.parquet")).exits(0)
    direct = pq.read_table(sandbox.path("direct.parquet"))
    via_validate = pacsv.read_csv(uids)
    assert sorted(direct.column("id").to_pylist()) == sorted(via_validate.column("id").to_pylist())
    assert direct.column("person_uid").to_pylist() == via_validate.column("person_uid").to_pylist()
    sandbox.assert_unchanged()
    sandbox.assert_written_only([out, valid, uids, sandbox.path("direct.parquet")])


def test_match_reads_canonical_json_lines(sandbox):
    data = sandbox.write("people.jsonl", person_lines(3))
    out = sandbox.path("uids.csv")
    sandbox.cli("match", data, "--out", out).exits(0, "matched 3 records")
    assert pacsv.read_csv(out).column("id").to_pylist() == ["p-1", "p-2", "p-3"]
    sandbox.assert_unchanged()


def test_match_flat_csv_still_works(sandbox):
    data = sandbox.write("people.csv", FLAT_PEOPLE)
    out = sandbox.path("uids.parquet")
    sandbox.cli("match", data, "--out", out).exits(0, "matched 3 records")
    assert pq.read_table(out).num_rows == 3
    sandbox.assert_unchanged()
    sandbox.assert_written_only([out])


def test_match_jsonl_with_a_line_nested_too_deeply(sandbox):
    lines = person_lines(2).splitlines()
    data = sandbox.write("people.jsonl", "\n".join([lines[0], lines[1], _DEEP]) + "\n")
    sandbox.cli("match", data, "--out", sandbox.path("o.csv")).fails(2, "people.jsonl", "row 3", "nested too deeply")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_match_jsonl_with_a_value_of_the_wrong_type(sandbox):
    data = sandbox.write("people.jsonl", json.dumps(person(1, given_name=7)) + "\n")
    sandbox.cli("match", data, "--out", sandbox.path("o.csv")).fails(2, "people.jsonl", "row 1", "given_name")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


@pytest.mark.parametrize("option", ["--out", "--explain", "--issues", "--golden"])
def test_match_output_of_an_unknown_format(sandbox, option):
    data = sandbox.write("people.csv", FLAT_PEOPLE)
    args = ["--out", sandbox.path("o.csv")] if option != "--out" else []
    sandbox.cli("match", data, *args, option, sandbox.path("x.xlsx")).fails(2, "x.xlsx", option)
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_validate_output_in_a_missing_folder_writes_nothing(sandbox):
    data = sandbox.write("people.jsonl", person_lines(2))
    valid = sandbox.path("valid.parquet")
    sandbox.cli("validate", data, "--valid", valid, "--rejects", sandbox.path("nowhere/r.csv")).fails(
        2, "r.csv", "does not exist")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


@pytest.mark.parametrize("option", ["--report", "--html"])
def test_validate_report_in_a_missing_folder_fails_before_any_output(sandbox, option):
    data = sandbox.write("people.jsonl", person_lines(2))
    valid = sandbox.path("valid.parquet")
    sandbox.cli("validate", data, "--valid", valid, option, sandbox.path("nowhere/report.x")).fails(
        2, "report.x", "does not exist")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])  # not even the valid rows: nothing ran


@pytest.mark.parametrize("option", ["--out", "--explain", "--issues", "--golden"])
def test_match_output_in_a_missing_folder_fails_before_matching(sandbox, option):
    data = sandbox.write("people.csv", FLAT_PEOPLE)
    args = ["--out", sandbox.path("o.csv")] if option != "--out" else []
    sandbox.cli("match", data, *args, option, sandbox.path("nowhere/x.csv")).fails(2, "x.csv", "does not exist")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_validate_report_is_a_folder(sandbox):
    data = sandbox.write("people.jsonl", person_lines(2))
    folder = sandbox.path("reports")
    folder.mkdir()
    sandbox.cli("validate", data, "--report", folder).fails(2, "reports", "is a folder")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_validate_rejects_format_csv_adds_the_ending(sandbox):
    lines = person_lines(2).splitlines()
    data = sandbox.write("people.jsonl", "\n".join([lines[0], "{not json", lines[1]]) + "\n")
    run = sandbox.cli("validate", data, "--rejects", sandbox.path("rejects"), "--rejects-format", "csv")
    run.exits(1, "3 rows in, 2 valid, 1 rejected")
    table = pacsv.read_csv(sandbox.path("rejects.csv"))
    assert table.num_rows == 1 and "line 2" in table.column("issue_messages")[0].as_py()
    sandbox.assert_unchanged()
    sandbox.assert_written_only([sandbox.path("rejects.csv")])


@pytest.mark.parametrize(("args", "mention"), [
    (["--rejects-format", "csv"], "needs --rejects"),
    (["--rejects", "r.parquet", "--rejects-format", "csv"], "ends in .parquet"),
    (["--rejects-format", "xlsx"], "--rejects-format"),
])
def test_validate_rejects_format_misuse(sandbox, args, mention):
    data = sandbox.write("people.jsonl", person_lines(2))
    args = [str(sandbox.path(a)) if a.endswith(".parquet") else a for a in args]
    sandbox.cli("validate", data, *args).fails(2, mention)
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_translate_a_whole_cde_download_folder_ignores_tables_it_does_not_read(sandbox):
    import json
    import shutil

    from justice_schema.translation import find_translator

    samples = find_translator("fbi_cde").spec_path.parent / "samples"
    folder = sandbox.path("download")
    shutil.copytree(samples, folder)
    for path in folder.iterdir():
        sandbox.keep(path)
    out = sandbox.path("out")
    run = sandbox.cli("translate", folder, "--vendor", "fbi_cde", "--out", out, "--quiet")
    assert run.code in (0, 1), run.err
    run.no_traceback()
    summary = json.loads((out / "summary.json").read_text())
    assert "NIBRS_BIAS_LIST.csv" in summary["ignored_files"]
    assert summary["balanced"]
    counts = summary["record_types"].values()
    assert summary["rows_in"] == sum(c["translated"] + c["instructions"] + c["rejected"] + c.get("not_mapped", 0)
                                     for c in counts)
    assert (out / "conflicts.parquet").is_file()
    sandbox.assert_unchanged()
    sandbox.assert_written_only([out])


# --------------------------------------------------------------------------- schema 1.2 entities downgraded below 1.2

_VICTIM = {"entity_type": "victim", "schema_version": "1.2", "source": {
    "agency_ori": "UT0180000", "system": "t", "record_key": "1", "extracted_at": "2024-01-01T00:00:00Z"},
    "incident_id": "i-1", "victim_sequence_number": 1}


@pytest.mark.parametrize("policy", ["error", "extension", "drop"])
def test_migrate_victims_below_1_2_rejects_every_record_with_its_reason(sandbox, policy):
    lines = [json.dumps({**_VICTIM, "id": f"v-{i}"}) for i in (1, 2)]
    data = sandbox.write("victims.jsonl", "\n".join(lines) + "\n")
    out = sandbox.path("down.jsonl")
    run = sandbox.cli("migrate", data, "--to", "1.1", "--policy", policy, "--out", out)
    run.exits(1, "read 2, written 0, rejected 2")
    rejects = [json.loads(line) for line in sandbox.path("down.jsonl.rejects.jsonl").read_text().splitlines()]
    assert [r["where"].rsplit(",", 1)[-1].strip() for r in rejects] == ["line 1", "line 2"]
    assert all("entity 'victim' was added in schema 1.2; schema 1.1 has no victim records" in r["reason"]
               for r in rejects)
    assert [r["record"]["id"] for r in rejects] == ["v-1", "v-2"]  # nothing lost: each record is in the rejects
    sandbox.assert_unchanged()


@pytest.mark.parametrize("policy", ["error", "drop"])
def test_migrate_a_victim_parquet_below_1_2_rejects_every_row_naming_the_entity(sandbox, policy):
    import pyarrow as pa

    from justice_schema import parse, to_table

    buffer = pa.BufferOutputStream()
    pq.write_table(to_table([parse({**_VICTIM, "id": f"v-{i}"}) for i in (1, 2, 3)]), buffer)
    data = sandbox.write("victims.parquet", buffer.getvalue().to_pybytes())
    out, rejects = sandbox.path("o.parquet"), sandbox.path("o.parquet.rejects.jsonl")
    sandbox.cli("migrate", data, "--to", "1.0", "--policy", policy, "--out", out).exits(
        1, "read 3, written 0, rejected 3")
    found = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert [r["record"]["id"] for r in found] == ["v-1", "v-2", "v-3"]
    assert all("entity 'victim' was added in schema 1.2; schema 1.0 has no victim records" in r["reason"]
               for r in found)
    sandbox.assert_written_only([rejects])
