"""Bad input to ``justice-schema nibrs export``: refused records, malformed options and files, outputs that are inputs.

Each case runs the command as a user would and checks the promises of the bad-input suite: the
documented exit code, one error line naming the file and the line or option, no traceback, inputs
unchanged, nothing written outside the outputs named, and, when the run completes, counts that
reconcile (read = written + refused).
"""

from __future__ import annotations

import json
from pathlib import Path

from justice_schema.nibrs import normalise_segment
from tests.bad_input.harness import Sandbox
from tests.vendors.nibrs_golden import VENDORS

GOLDEN = VENDORS / "nibrs_flatfile" / "expected" / "NIBRS_Test_Sample"
SAMPLE = VENDORS / "nibrs_flatfile" / "samples" / "NIBRS_Test_Sample.txt"


def _records(entity: str, **change: object) -> str:
    out = []
    for line in (GOLDEN / f"{entity}.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        record["source"]["extracted_at"] = "2024-01-01T00:00:00Z"
        out.append(json.dumps(record | change))
    return "\n".join(out) + "\n"


def _inputs(sandbox: Sandbox, **incident_change: object) -> list[Path]:
    return [sandbox.write(f"{e}.jsonl", _records(e, **(incident_change if e == "incident" else {})))
            for e in ("incident", "property", "victim", "offender", "arrest", "person")]


def test_the_sample_exported_again_is_the_sample(sandbox: Sandbox) -> None:
    out = sandbox.path("out.txt")
    sandbox.cli("nibrs", "export", *_inputs(sandbox), "--out", out, "--submission", "2019-07").exits(
        0, "6 segments", "refused 0")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([out])
    want = [normalise_segment(line) for line in SAMPLE.read_text(encoding="latin-1").splitlines()]
    assert out.read_text(encoding="latin-1").splitlines() == want


def test_a_record_failing_an_edit_is_refused_listed_with_the_edit_and_exit_1(sandbox: Sandbox) -> None:
    out, refused = sandbox.path("out.txt"), sandbox.path("out.txt.refused.jsonl")
    run = sandbox.cli("nibrs", "export", *_inputs(sandbox, cargo_theft=True), "--out", out, "--submission", "2019-07")
    run.exits(1, "refused 6", "out.txt.refused.jsonl")
    sandbox.assert_written_only([out, refused])
    listed = [json.loads(line) for line in refused.read_text(encoding="utf-8").splitlines()]
    assert listed[0]["entity"] == "incident"
    assert any("FBI edit 119" in reason for reason in listed[0]["reasons"])
    assert out.read_text(encoding="latin-1") == ""


def test_allow_errors_writes_the_refused_record(sandbox: Sandbox) -> None:
    out = sandbox.path("out.txt")
    sandbox.cli("nibrs", "export", *_inputs(sandbox, cargo_theft=True), "--out", out, "--submission", "2019-07",
                "--allow-errors").exits(0, "refused 0")
    assert out.read_text(encoding="latin-1").splitlines()[0].endswith("Y")


def test_a_malformed_submission_month_names_the_option(sandbox: Sandbox) -> None:
    sandbox.cli("nibrs", "export", *_inputs(sandbox), "--out", sandbox.path("o.txt"), "--submission", "July").fails(
        2, "submission", "YYYY-MM")
    sandbox.assert_written_only([])


def test_the_output_may_not_be_an_input(sandbox: Sandbox) -> None:
    inputs = _inputs(sandbox)
    sandbox.cli("nibrs", "export", *inputs, "--out", inputs[0], "--submission", "2019-07").fails(
        2, "incident.jsonl", "is also an input")
    sandbox.assert_unchanged()


def test_a_broken_json_line_names_file_and_line(sandbox: Sandbox) -> None:
    broken = sandbox.write("incident.jsonl", _records("incident") + "{not json\n")
    sandbox.cli("nibrs", "export", broken, "--out", sandbox.path("o.txt"), "--submission", "2019-07").fails(
        2, "incident.jsonl", "2")
    sandbox.assert_written_only([])


def test_a_victim_without_its_incident_is_named(sandbox: Sandbox) -> None:
    victim = sandbox.write("victim.jsonl", _records("victim"))
    sandbox.cli("nibrs", "export", victim, "--out", sandbox.path("o.txt"), "--submission", "2019-07").fails(
        2, "nibrs-victim:HI0020000:19164156-3:1", "incident_id")
    sandbox.assert_written_only([])


def test_a_file_of_an_entity_no_segment_holds_is_refused(sandbox: Sandbox) -> None:
    charge = sandbox.write("charge.jsonl", json.dumps({"entity_type": "charge", "schema_version": "1.0"}) + "\n")
    sandbox.cli("nibrs", "export", charge, "--out", sandbox.path("o.txt"), "--submission", "2019-07").fails(2)
    sandbox.assert_written_only([])


def test_the_sample_exported_as_xml_reads_back_as_the_same_records(sandbox: Sandbox) -> None:
    from tests.vendors.nibrs_golden import translate

    out = sandbox.path("out.xml")
    sandbox.cli("nibrs", "export", *_inputs(sandbox), "--out", out, "--submission", "2019-07", "--format",
                "xml").exits(0, "1 reports", "refused 0")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([out])
    again = translate("nibrs_xml", out)
    assert again.tables["incident"].column("id").to_pylist() == ["nibrs-incident:HI0020000:19164156-3"]
    assert again.rejects.num_rows == 0


def test_xml_export_refuses_like_the_flat_file_and_writes_an_empty_submission(sandbox: Sandbox) -> None:
    out, refused = sandbox.path("out.xml"), sandbox.path("out.xml.refused.jsonl")
    sandbox.cli("nibrs", "export", *_inputs(sandbox, cargo_theft=True), "--out", out, "--submission", "2019-07",
                "--format", "xml").exits(1, "refused 6", "out.xml.refused.jsonl")
    sandbox.assert_written_only([out, refused])
    assert "nibrs:Report" not in out.read_text(encoding="utf-8")


def test_an_unknown_format_names_the_option(sandbox: Sandbox) -> None:
    sandbox.cli("nibrs", "export", *_inputs(sandbox), "--out", sandbox.path("o.x"), "--submission", "2019-07",
                "--format", "json").fails(2, "--format", "json")
    sandbox.assert_written_only([])


# -- nibrs check ---------------------------------------------------------------------------------------


def test_check_writes_the_error_data_set_and_exits_1_on_errors(sandbox: Sandbox) -> None:
    text = SAMPLE.read_text(encoding="latin-1")
    # Cargo theft N on the sample's only incident (35A cannot involve cargo theft): FBI edit 119.
    lines = text.splitlines()
    lines[0] = lines[0].ljust(88)[:87] + "N"
    bad = sandbox.write("bad.txt", "\n".join(lines) + "\n", encoding="latin-1")
    out = sandbox.path("checked")
    sandbox.cli("nibrs", "check", bad, "--out", out).exits(1, "1 errors", "119")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([out])
    import pyarrow.parquet as pq

    errors = pq.read_table(out / "errors.parquet").to_pylist()
    assert [(e["segment_level"], e["incident_number"], e["data_element"], e["error_number"]) for e in errors] == [
        ("1", "19164156-3", "2A", "119")]
    assert (out / "errors.csv").read_text(encoding="utf-8").count("\n") == 2
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["segments"] == summary["translation"]["rows_in"] and summary["translation"]["balanced"]
    assert "<html" in (out / "report.html").read_text(encoding="utf-8").lower()


def test_check_of_a_clean_submission_exits_0(sandbox: Sandbox) -> None:
    clean = sandbox.write("sample.txt", SAMPLE.read_bytes())
    sandbox.cli("nibrs", "check", clean, "--out", sandbox.path("ok")).exits(0, "0 errors")


def test_check_of_a_missing_file_names_it(sandbox: Sandbox) -> None:
    sandbox.cli("nibrs", "check", sandbox.path("nope.txt"), "--out", sandbox.path("o")).fails(2, "nope.txt")
    sandbox.assert_written_only([])


def test_check_of_an_empty_file_says_so(sandbox: Sandbox) -> None:
    empty = sandbox.write("empty.txt", "\n\n")
    sandbox.cli("nibrs", "check", empty, "--out", sandbox.path("o")).fails(2, "empty.txt", "empty")
    sandbox.assert_written_only([])


def test_check_output_may_not_be_the_input(sandbox: Sandbox) -> None:
    clean = sandbox.write("sample.txt", SAMPLE.read_bytes())
    sandbox.cli("nibrs", "check", clean, "--out", clean).fails(2, "sample.txt")
    sandbox.assert_unchanged()


def test_check_does_not_overwrite_an_earlier_run_unless_asked(sandbox: Sandbox) -> None:
    clean = sandbox.write("sample.txt", SAMPLE.read_bytes())
    out = sandbox.path("out")
    sandbox.cli("nibrs", "check", clean, "--out", out).exits(0)
    sandbox.cli("nibrs", "check", clean, "--out", out).fails(2, "--overwrite")
    sandbox.cli("nibrs", "check", clean, "--out", out, "--overwrite").exits(0)


def test_check_of_unreadable_lines_lists_them_with_their_line(sandbox: Sandbox) -> None:
    bad = sandbox.write("bad.txt", b"0043X\n" + SAMPLE.read_bytes())
    out = sandbox.path("o")
    sandbox.cli("nibrs", "check", bad, "--out", out).exits(1)
    import pyarrow.parquet as pq

    errors = pq.read_table(out / "errors.parquet").to_pylist()
    assert errors[0]["source_line"] == 1 and errors[0]["rule"] == "JS-T01"
