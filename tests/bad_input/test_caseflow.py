"""Bad input to ``justice-schema caseflow``: missing columns, bad values, bad rules, outputs that are inputs."""

from __future__ import annotations

import pyarrow.parquet as pq

from tests.bad_input.harness import Sandbox

EVENTS = ("event_id,event_type,person_uid,event_date,offense_tracking_number,charge_sequence,ucr_code,outcome\n"
          "A1,arrest,P1,2020-01-05,T1,,13A,\n"
          "C1,charge,P1,2020-01-05,T1,1,13A,\n"
          "X1,disposition,P1,2020-06-01,T1,1,13A,CONVICTED\n"
          "X2,disposition,P2,2020-06-01,,,13A,DISMISSED\n")


def test_a_run_writes_every_measure_and_reports_unlinked_events(sandbox: Sandbox) -> None:
    source = sandbox.write("events.csv", EVENTS)
    out = sandbox.path("flow")
    sandbox.cli("caseflow", source, "--out", out, "--explain", "--as-of", "2021-12-31").exits(
        0, "4 events -> 2 cases", "disposition_charge: 1 links", "2 events not linked")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([out])
    links = pq.read_table(out / "links.parquet")
    assert links.column("evidence").to_pylist()[0].startswith("OTN T1")
    causes = {u["event_id"]: u["cause"] for u in pq.read_table(out / "unlinked.parquet").to_pylist()}
    assert causes["A1"] == "arrest not linked to an incident: it carries no incident number"
    assert causes["X2"].startswith("disposition not linked to a charge: it carries no OTN and no court case number")
    cases = pq.read_table(out / "case_events.parquet")
    assert cases.num_rows == 4   # every event is in the output, linked or not


def test_a_missing_column_names_the_file_and_the_columns(sandbox: Sandbox) -> None:
    source = sandbox.write("events.csv", "event_id,event_type\nA1,arrest\n")
    out = sandbox.path("flow")
    sandbox.cli("caseflow", source, "--out", out).fails(2, "events.csv", "missing column(s) event_date")
    sandbox.assert_written_only([])


def test_a_bad_date_names_the_field(sandbox: Sandbox) -> None:
    source = sandbox.write("events.csv", "event_id,event_type,event_date\nA1,arrest,2020-13-45\n")
    sandbox.cli("caseflow", source, "--out", sandbox.path("flow")).fails(2, "events.csv", "field 'event_date'", "cannot read as date32")
    sandbox.assert_written_only([])


def test_an_unknown_stage_names_the_row(sandbox: Sandbox) -> None:
    source = sandbox.write("events.csv", "event_id,event_type,event_date\nA1,arrest,2020-01-01\nW1,warrant,2020-01-02\n")
    sandbox.cli("caseflow", source, "--out", sandbox.path("flow")).fails(2, "events.csv", "row 2", "'warrant' is not a stage")


def test_a_repeated_event_id_names_the_row(sandbox: Sandbox) -> None:
    source = sandbox.write("events.csv", "event_id,event_type,event_date\nA1,arrest,2020-01-01\nA1,charge,2020-01-02\n")
    sandbox.cli("caseflow", source, "--out", sandbox.path("flow")).fails(2, "row 1", "'A1' appears more than once")


def test_a_bad_rules_file_names_the_file_and_key(sandbox: Sandbox) -> None:
    source = sandbox.write("events.csv", EVENTS)
    rules = sandbox.write("rules.toml", 'version = "x"\n[most_serious]\nseverity = "FELONY"\n')
    sandbox.cli("caseflow", source, "--out", sandbox.path("flow"), "--rules", rules).fails(
        2, "rules.toml", "most_serious.severity must be a list")
    broken = sandbox.write("broken.toml", "version = \n")
    sandbox.cli("caseflow", source, "--out", sandbox.path("flow"), "--rules", broken).fails(2, "broken.toml", "not valid TOML")
    sandbox.assert_written_only([])


def test_bad_options(sandbox: Sandbox) -> None:
    source = sandbox.write("events.csv", EVENTS)
    sandbox.cli("caseflow", source, "--out", sandbox.path("flow"), "--as-of", "soon").fails(2, "--as-of 'soon' is not a date")
    sandbox.cli("caseflow", source, "--out", sandbox.path("flow"), "--by", "shoe_size").fails(2, "--by shoe_size")
    sandbox.cli("caseflow", sandbox.path("none.csv"), "--out", sandbox.path("flow")).fails(2, "none.csv")
    sandbox.assert_written_only([])


def test_the_output_may_not_hold_the_input(sandbox: Sandbox) -> None:
    source = sandbox.write("flow/events.csv", EVENTS)
    sandbox.cli("caseflow", source, "--out", source.parent).fails(2, "events.csv")
    sandbox.assert_unchanged()


def test_an_event_without_a_date_is_reported_with_its_cause_not_a_traceback(sandbox: Sandbox) -> None:
    source = sandbox.write("events.csv", EVENTS + "C2,charge,P1,,T1,2,13B,\n")
    out = sandbox.path("flow")
    sandbox.cli("caseflow", source, "--out", out, "--as-of", "2021-12-31").exits(
        0, "5 events -> 3 cases", "3 events not linked")
    unlinked = {u["event_id"]: u for u in pq.read_table(out / "unlinked.parquet").to_pylist()}
    assert unlinked["C2"]["link_type"] == "undated"
    assert unlinked["C2"]["cause"] == "charge not linked: it has no filing date, so it cannot be placed in a case"
    links = pq.read_table(out / "links.parquet")
    assert links.num_rows + pq.read_table(out / "unlinked.parquet").num_rows == 5   # every event accounted for once
    timeline = pq.read_table(out / "timeline.parquet")
    p1 = [row["event_id"] for row in timeline.to_pylist() if row["person_uid"] == "P1"]
    assert p1 == ["A1", "C1", "X1", "C2"]                                           # undated: last in the person's timeline


def test_an_event_without_an_id_or_stage_names_the_row(sandbox: Sandbox) -> None:
    source = sandbox.write("events.csv", "event_id,event_type,event_date\nA1,arrest,2020-01-01\n,charge,\n")
    sandbox.cli("caseflow", source, "--out", sandbox.path("flow")).fails(2, "events.csv", "row 2", "field 'event_id'", "empty")
    source = sandbox.write("events2.csv", "event_id,event_type,event_date\nA1,,2020-01-01\n")
    sandbox.cli("caseflow", source, "--out", sandbox.path("flow")).fails(2, "events2.csv", "row 1", "field 'event_type'", "empty")
    sandbox.assert_written_only([])
