"""Bad input: output paths that would destroy an input, output folders, and CSV formula injection.

Every verb refuses an output that is one of its inputs, however it is spelled
(the same path, a symlink, ``x/../``, a hard link), before anything is written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from tests.bad_input.samples import ACME, FLAT_PEOPLE, person_lines


def test_validate_refuses_to_overwrite_its_input(sandbox):
    data = sandbox.write("people.csv", "id\n1\n")
    sandbox.cli("validate", data, "--entity", "person", "--valid", data).fails(2, "people.csv")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


# --------------------------------------------------------------------------- the same path


@pytest.mark.parametrize("option", ["--valid", "--rejects", "--report", "--html"])
def test_validate_output_is_the_input(sandbox, option):
    data = sandbox.write("people.jsonl", person_lines())
    sandbox.cli("validate", data, option, data).fails(2, "people.jsonl", f"{option} is also an input")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


@pytest.mark.parametrize("option", ["--out", "--explain", "--issues", "--golden"])
def test_match_output_is_the_input(sandbox, option):
    data = sandbox.write("people.csv", FLAT_PEOPLE)
    args = ["--out", sandbox.path("uids.csv")] if option != "--out" else []
    sandbox.cli("match", data, *args, option, data).fails(2, "people.csv", f"{option} is also an input")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_migrate_out_is_the_input(sandbox):
    data = sandbox.write("people.jsonl", person_lines())
    sandbox.cli("migrate", data, "--to", "1.0", "--out", data).fails(2, "people.jsonl", "--out is also an input")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_migrate_rejects_is_the_input(sandbox):
    data = sandbox.write("people.jsonl", person_lines())
    out = sandbox.path("down.jsonl")
    sandbox.cli("migrate", data, "--to", "1.0", "--out", out, "--rejects", data).fails(
        2, "people.jsonl", "--rejects is also an input")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_translate_out_is_the_input_file(sandbox):
    data = sandbox.write("arrests.csv", ACME.read_bytes())
    sandbox.cli("translate", data, "--vendor", "acme_rms", "--out", data, "--quiet").fails(2, "arrests.csv")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_translate_out_is_the_folder_holding_the_input(sandbox):
    data = sandbox.write("exports/arrests.csv", ACME.read_bytes())
    run = sandbox.cli("translate", data, "--vendor", "acme_rms", "--out", data.parent, "--overwrite", "--quiet")
    run.fails(2, "exports", "holds the input")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_validate_valid_and_rejects_name_the_same_file(sandbox):
    data = sandbox.write("people.jsonl", person_lines())
    out = sandbox.path("out.parquet")
    sandbox.cli("validate", data, "--valid", out, "--rejects", out).fails(2, "out.parquet", "the same file")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


# --------------------------------------------------------------------------- other spellings of the input


def _symlink(sandbox, name: str, target: Path) -> Path:
    link = sandbox.path(name)
    link.symlink_to(target)
    return link


@pytest.mark.parametrize("verb", ["validate", "match", "migrate-out", "migrate-rejects"])
def test_output_is_a_symlink_to_the_input(sandbox, verb):
    if verb == "match":
        data = sandbox.write("people.csv", FLAT_PEOPLE)
        link = _symlink(sandbox, "link.csv", data)
        run = sandbox.cli("match", data, "--out", link)
    else:
        data = sandbox.write("people.jsonl", person_lines())
        link = _symlink(sandbox, "link.jsonl", data)
        if verb == "validate":
            link = _symlink(sandbox, "link.parquet", data)
            run = sandbox.cli("validate", data, "--valid", link)
        elif verb == "migrate-out":
            run = sandbox.cli("migrate", data, "--to", "1.0", "--out", link)
        else:
            run = sandbox.cli("migrate", data, "--to", "1.0", "--out", sandbox.path("o.jsonl"), "--rejects", link)
    run.fails(2, "link.", "is also an input")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([sandbox.path("link.csv"), sandbox.path("link.jsonl"), sandbox.path("link.parquet")])


def test_translate_out_is_a_symlink_to_the_folder_holding_the_input(sandbox):
    data = sandbox.write("exports/arrests.csv", ACME.read_bytes())
    link = _symlink(sandbox, "out", data.parent)
    sandbox.cli("translate", data, "--vendor", "acme_rms", "--out", link, "--overwrite", "--quiet").fails(
        2, "out", "holds the input")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


@pytest.mark.parametrize("verb", ["validate", "match", "migrate-out", "migrate-rejects"])
def test_output_is_the_input_through_dotdot(sandbox, verb):
    sandbox.path("x").mkdir()
    if verb == "match":
        data = sandbox.write("a.csv", FLAT_PEOPLE)
        run = sandbox.cli("match", data, "--out", f"{sandbox.root}/x/../a.csv")
    else:
        data = sandbox.write("a.jsonl", person_lines())
        spelled = f"{sandbox.root}/./x/../a.jsonl"
        if verb == "validate":
            run = sandbox.cli("validate", data, "--rejects", f"{sandbox.root}/x/../a.jsonl.csv", "--valid",
                              sandbox.path("v.parquet"))
            run.exits(0)  # a different file: allowed, and written
            sandbox.cli("validate", data, "--html", spelled).fails(2, "a.jsonl", "is also an input")
            sandbox.assert_unchanged()
            return
        if verb == "migrate-out":
            run = sandbox.cli("migrate", data, "--to", "1.0", "--out", spelled)
        else:
            run = sandbox.cli("migrate", data, "--to", "1.0", "--out", sandbox.path("o.jsonl"), "--rejects", spelled)
    run.fails(2, "a.", "is also an input")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


@pytest.mark.parametrize("verb", ["match", "migrate"])
def test_output_is_a_hard_link_to_the_input(sandbox, verb):
    if verb == "match":
        data = sandbox.write("people.csv", FLAT_PEOPLE)
        other = sandbox.path("other.csv")
        os.link(data, other)
        run = sandbox.cli("match", data, "--out", other)
    else:
        data = sandbox.write("people.jsonl", person_lines())
        other = sandbox.path("other.jsonl")
        os.link(data, other)
        run = sandbox.cli("migrate", data, "--to", "1.0", "--out", other)
    run.fails(2, "other.", "is also an input")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([other])


# --------------------------------------------------------------------------- translation's output folder


def test_translate_refuses_a_folder_of_earlier_results(sandbox):
    data = sandbox.write("arrests.csv", ACME.read_bytes())
    sandbox.write("out/person.parquet", b"from yesterday")
    sandbox.cli("translate", data, "--vendor", "acme_rms", "--out", sandbox.path("out"), "--quiet").fails(
        2, "out", "--overwrite")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_translate_overwrite_replaces_the_earlier_files(sandbox):
    data = sandbox.write("arrests.csv", ACME.read_bytes())
    out = sandbox.path("out")
    out.mkdir()
    (out / "stale.parquet").write_bytes(b"old")
    run = sandbox.cli("translate", data, "--vendor", "acme_rms", "--out", out, "--overwrite", "--quiet")
    run.exits(1, "60 rows in", "2 rejected")
    assert not (out / "stale.parquet").exists()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["balanced"] and summary["rows_in"] == 60
    assert pq.read_table(out / "rejects.parquet").num_rows == summary["rows_rejected"] == 2
    for entity, n in summary["records_out"].items():
        assert pq.read_table(out / f"{entity}.parquet").num_rows == n
    sandbox.assert_unchanged()
    sandbox.assert_written_only([out])


def test_translate_overwrite_will_not_remove_subfolders(sandbox):
    data = sandbox.write("arrests.csv", ACME.read_bytes())
    sandbox.write("out/keep/notes.txt", "mine")
    sandbox.cli("translate", data, "--vendor", "acme_rms", "--out", sandbox.path("out"), "--overwrite",
                "--quiet").fails(2, "out", "holds folders")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_translate_out_is_an_existing_file(sandbox):
    data = sandbox.write("arrests.csv", ACME.read_bytes())
    other = sandbox.write("notes.txt", "not a folder")
    sandbox.cli("translate", data, "--vendor", "acme_rms", "--out", other, "--quiet").fails(
        2, "notes.txt", "is a file, not a folder")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_failed_translation_leaves_no_folder(sandbox):
    good = ACME.read_bytes()
    bad = good + b"UT0180000,A99,01/01/2023,10:00,Warrant,\xff\xfe BAD,01/01/1980,M\n"
    data = sandbox.write("arrests.csv", bad)
    out = sandbox.path("out")
    run = sandbox.cli("translate", data, "--vendor", "acme_rms", "--out", out, "--quiet")
    run.fails(2, "arrests.csv")
    assert not out.exists()
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_failed_translation_keeps_the_earlier_results(sandbox):
    data = sandbox.write("arrests.csv", ACME.read_bytes() + b"UT0180000,A99,\xff\xfe\n")
    old = sandbox.write("out/person.parquet", b"from yesterday")
    sandbox.cli("translate", data, "--vendor", "acme_rms", "--out", old.parent, "--overwrite", "--quiet").fails(
        2, "arrests.csv")
    sandbox.assert_unchanged()  # the earlier output is still there, byte for byte
    sandbox.assert_written_only([])


# --------------------------------------------------------------------------- CSV formula injection

_SOURCE = "UT0180000,test,k,2024-05-01T12:00:00Z"
_HOSTILE_PEOPLE = ("id,source_agency_ori,source_system,source_record_key,source_extracted_at,"
                   "given_name,family_name,date_of_birth\n"
                   f"=1+2,{_SOURCE},John,Smith,1970-01-01\n"
                   f"p-2,{_SOURCE},@SUM(A1),-Jones,not-a-date\n"
                   f"p-3,{_SOURCE},Mary,+Brown,1980-02-02\n")


def _csv_cells(path: Path) -> list[str]:
    table = pacsv.read_csv(path, convert_options=pacsv.ConvertOptions(strings_can_be_null=True))
    return [v for column in table.columns for v in column.to_pylist() if isinstance(v, str)]


def test_validate_csv_outputs_neutralise_formulas(sandbox):
    data = sandbox.write("people.csv", _HOSTILE_PEOPLE)
    valid, rejects = sandbox.path("valid.csv"), sandbox.path("rejects.csv")
    run = sandbox.cli("validate", data, "--entity", "person", "--valid", valid, "--rejects", rejects)
    run.exits(1, "3 rows in, 1 valid, 2 rejected")
    cells = _csv_cells(valid) + _csv_cells(rejects)
    assert "'=1+2" in cells and "'+Brown" in cells and "'@SUM(A1)" in cells and "'-Jones" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert pacsv.read_csv(valid).num_rows + pacsv.read_csv(rejects).num_rows == 3
    sandbox.assert_unchanged()
    sandbox.assert_written_only([valid, rejects])


def test_validate_csv_raw_keeps_the_text(sandbox):
    data = sandbox.write("people.csv", _HOSTILE_PEOPLE)
    valid, rejects = sandbox.path("valid.csv"), sandbox.path("rejects.csv")
    sandbox.cli("validate", data, "--entity", "person", "--valid", valid, "--rejects", rejects, "--csv-raw").exits(1)
    cells = _csv_cells(valid) + _csv_cells(rejects)
    assert "=1+2" in cells and "+Brown" in cells and "@SUM(A1)" in cells
    sandbox.assert_unchanged()
    sandbox.assert_written_only([valid, rejects])


def test_match_csv_output_neutralises_formulas(sandbox):
    data = sandbox.write("people.csv", "id,given_name,family_name\n=cmd|' /C calc'!A0,John,Smith\n2,Mary,Jones\n")
    out, raw = sandbox.path("uids.csv"), sandbox.path("raw.csv")
    sandbox.cli("match", data, "--out", out).exits(0, "matched 2 records")
    assert "'=cmd|' /C calc'!A0" in _csv_cells(out)
    sandbox.cli("match", data, "--out", raw, "--csv-raw").exits(0)
    assert "=cmd|' /C calc'!A0" in _csv_cells(raw)
    sandbox.assert_unchanged()
    sandbox.assert_written_only([out, raw])


def test_translate_csv_rejects_neutralise_formulas(sandbox):
    data = sandbox.write("=arrests.csv", ACME.read_bytes())
    out = sandbox.path("out")
    run = sandbox.cli("translate", data, "--vendor", "acme_rms", "--out", out, "--rejects-format", "csv", "--quiet")
    run.exits(1, "2 rejected", "top reject reasons")
    rejects = pacsv.read_csv(out / "rejects.csv")
    assert rejects.num_rows == 2
    assert set(rejects.column("source_file").to_pylist()) == {"'=arrests.csv"}
    assert (out / "instructions.csv").exists() and not (out / "rejects.parquet").exists()
    sandbox.assert_unchanged()
    sandbox.assert_written_only([out])
