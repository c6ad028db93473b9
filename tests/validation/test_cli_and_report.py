"""The ``justice-schema validate`` command, the report outputs, cross-entity rules and the catalogue."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from justice_schema.arrow import to_table
from justice_schema.cli import main
from justice_schema.registry import parse
from justice_schema.validation import (
    RULES,
    rejected_rows,
    rule,
    valid_rows,
    validate_record_batches,
    validate_records,
    validate_table,
    validate_tables,
)
from justice_schema.validation.docs import render_rule_catalogue
from justice_schema.validation.issues import REDACTED

AS_OF = date(2026, 1, 1)


def src(key: str = "1", ori: str = "UT0180000") -> dict[str, Any]:
    return {"agency_ori": ori, "system": "rms", "record_key": key, "extracted_at": "2024-05-01T12:00:00Z"}


def person(pid: str, **extra: Any) -> dict[str, Any]:
    return {"entity_type": "person", "schema_version": "1.0", "id": pid, "source": src(pid),
            "family_name": "DOE", "state_id": "UT1234567", "date_of_birth": "1990-01-02", **extra}


def arrest(aid: str, pid: str, **extra: Any) -> dict[str, Any]:
    return {"entity_type": "arrest", "schema_version": "1.0", "id": aid, "source": src(aid), "person_id": pid,
            "arrest_date": "2024-03-01", **extra}


CSV_HEADER = "id,source_agency_ori,source_system,source_record_key,source_extracted_at,person_id,arrest_date"


def test_cli_exit_codes_and_outputs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "good.csv"
    good.write_text(CSV_HEADER + "\na-1,UT0180000,rms,1,2024-05-01T12:00:00Z,p-1,2024-03-01\n")
    assert main(["validate", str(good), "--entity", "arrest", "--quiet"]) == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_HEADER + "\na-1,UT0180000,rms,1,2024-05-01T12:00:00Z,p-1,2024-03-01\n"
                   "a-2,UT0180000,rms,2,2024-05-01T12:00:00Z,p-2,2020-02-30\n")
    out = {name: tmp_path / name for name in ("r.json", "r.html", "v.csv", "x.parquet")}
    code = main(["validate", str(bad), "--entity", "arrest", "--report", str(out["r.json"]), "--html",
                 str(out["r.html"]), "--valid", str(out["v.csv"]), "--rejects", str(out["x.parquet"]),
                 "--as-of", "2026-01-01"])
    assert code == 1
    report = json.loads(out["r.json"].read_text())
    assert (report["rows_in"], report["rows_valid"], report["rows_rejected"]) == (2, 1, 1)
    assert report["by_code"][0]["code"] == "JS-A05"
    assert "<svg" in out["r.html"].read_text()
    assert pq.read_table(out["x.parquet"]).column("issue_codes").to_pylist() == ["JS-A05"]
    assert out["v.csv"].read_text().count("\n") == 2  # header + one row
    assert "JS-A05" in capsys.readouterr().out


def run_cli(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.mark.parametrize("argv", [
    ["validate", "missing.csv", "--entity", "arrest"],
    ["validate", "x.csv"],  # --entity is required
    ["validate", "x.csv", "--entity", "warrant"],
    ["validate", "x.csv", "--entity", "arrest", "--schema-version", "9.9"],
    ["validate", "x.csv", "--entity", "arrest", "--as-of", "02/30/2020"],
    ["validate", "x.csv", "--entity", "arrest"],  # only a header
    ["validate", "x.csv", "--entity", "arrest", "--valid", "out.xlsx"],
])
def test_cli_bad_usage_is_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    (tmp_path / "x.csv").write_text(CSV_HEADER + "\n")
    argv = [str(tmp_path / a) if a.endswith((".csv", ".xlsx")) else a for a in argv]
    assert run_cli(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip()
    assert err.strip().splitlines()[-1].startswith(("justice-schema", "usage"))


def test_values_are_redacted_unless_asked() -> None:
    record = person("p-1", date_of_birth="1800-01-01", sex="X")
    redacted = validate_records([record], "person", as_of=AS_OF).issues.to_pylist()
    by_code = {i["code"]: i["value"] for i in redacted}
    assert by_code["JS-P04"] == "X"  # a code is not personal data
    shown = validate_records([person("p-1", date_of_birth="1800-01-01")], "person", as_of=AS_OF, redact=False)
    hidden = validate_records([person("p-1", date_of_birth="1800-01-01")], "person", as_of=AS_OF)
    assert shown.issues.to_pylist()[0]["value"] == "1800-01-01"
    assert hidden.issues.to_pylist()[0]["value"] == REDACTED
    assert "1800-01-01" not in json.dumps(hidden.to_dict()["issues"]) and "1800-01-01" not in hidden.to_html()


def test_report_summaries_and_split() -> None:
    rows = [person("p-1"), person("p-2", source=src("2", "MT0010000"), sex="Q"), person("p-3", race="U")]
    table = to_table([parse(r) for r in (rows[0], rows[2])])
    table = pa.concat_tables([table.slice(0, 1), pa.Table.from_pylist([{**parse(rows[0]).model_dump(), "id": "p-2", "sex": "Q"}], schema=table.schema), table.slice(1)])
    report = validate_table(table, "person", as_of=AS_OF)
    assert (report.rows_in, report.rows_valid, report.rows_rejected) == (3, 2, 1)
    assert report.by_code().to_pylist()[0]["code"] in {"JS-P04", "JS-P50"}
    assert valid_rows(table, report).column("id").to_pylist() == ["p-1", "p-3"]
    rejected = rejected_rows(table, report)
    assert rejected.column("issue_codes").to_pylist() == ["JS-P04"] and rejected.column("row").to_pylist() == [2]
    profile = {(r["agency_ori"], r["field"]): r for r in report.completeness.to_pylist()}
    assert profile[("UT0180000", "race")]["pct_unknown"] == pytest.approx(100 / 3, abs=0.01)
    assert "prosecutor" in profile[("UT0180000", "date_of_birth")]["impact"]
    agencies = report.by_agency().to_pylist()
    assert agencies[0]["agency_ori"] == "UT0180000" and agencies[0]["rows_rejected"] == 1


def test_cross_entity_rules_both_engines() -> None:
    persons = [person("p-1"), person("p-2")]
    incidents = [{"entity_type": "incident", "schema_version": "1.0", "id": "i-1", "source": src("i1"),
                  "incident_number": "24-1", "incident_date": "2024-03-05", "cleared_exceptionally": "B",
                  "exceptional_clearance_date": "2024-03-20", "offenses": [{"ucr_offense_code": "13B",
                                                                            "attempted_completed": "C"}]}]
    arrests = [arrest("a-1", "p-1", incident_id="i-1"),              # before incident: X30, and X31
               arrest("a-2", "p-9"),                                 # unknown person: X10
               arrest("a-3", "p-2", incident_id="i-1", arrest_date="2024-04-01")]
    charges = [{"entity_type": "charge", "schema_version": "1.0", "id": "c-1", "source": src("c1"),
                "person_id": "p-2", "arrest_id": "a-1", "filed_date": "2024-03-10"}]  # X35 wrong person
    dispositions = [{"entity_type": "disposition", "schema_version": "1.0", "id": "d-1", "source": src("d1"),
                     "charge_id": "c-1", "disposition_date": "2024-03-01", "disposition_type": "DISMISSED"}]
    data = {"person": persons, "incident": incidents, "arrest": arrests, "charge": charges,
            "disposition": dispositions}
    per_record = validate_record_batches(data, as_of=AS_OF)
    tables = {k: to_table([parse(r) for r in v]) for k, v in data.items()}
    columnar = validate_tables(tables, as_of=AS_OF)

    def key(report: Any) -> set[tuple[str, int, str]]:
        return {(i["entity"], i["row"], i["code"]) for i in report.issues.to_pylist() if i["code"].startswith("JS-X")}

    assert key(columnar) == key(per_record) == {
        ("arrest", 1, "JS-X30"), ("arrest", 1, "JS-X31"), ("arrest", 2, "JS-X10"),
        ("charge", 1, "JS-X35"), ("disposition", 1, "JS-X32")}
    assert columnar.rows_in == columnar.rows_valid + columnar.rows_rejected == 8


def test_catalogue_is_complete_data() -> None:
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes)) > 100
    for r in RULES:
        assert r.message and r.rationale and r.example and r.severity in {"error", "warning"}
        assert r.fields
    assert rule("JS-A20").nibrs_edits == ("652", "752")
    with pytest.raises(KeyError, match="JS-Q99"):
        rule("JS-Q99")


def test_rule_catalogue_page_has_every_rule() -> None:
    text = render_rule_catalogue()
    for r in RULES:
        assert r.code in text
    assert "NIBRS" in text and "Example" in text


def test_dates_in_future_follow_as_of() -> None:
    record = arrest("a-1", "p-1", arrested_at=datetime(2025, 12, 31, 23, tzinfo=UTC).isoformat(),
                    arrest_date="2025-12-31")
    assert validate_records([record], "arrest", as_of=date(2026, 1, 1)).ok
    assert not validate_records([record], "arrest", as_of=date(2025, 12, 30)).ok


def test_validate_table_refuses_tables_that_are_not_canonical() -> None:
    from justice_schema.errors import InputError

    with pytest.raises(InputError, match="missing column"):
        validate_table(pa.table({"id": ["p-1"]}), "person")
    with pytest.raises(InputError, match="unknown column"):
        validate_table(pa.table({"idd": ["p-1"]}), "person")


def test_property_of_an_incident_without_a_property_offense_both_engines() -> None:
    """FBI edit 076: a property record needs an incident with a kidnapping, property, drug or gambling offense."""
    def incident(key: str, *codes: str) -> dict[str, Any]:
        return {"entity_type": "incident", "schema_version": "1.2", "id": key, "source": src(key),
                "incident_number": key, "incident_date": "2024-03-05",
                "offenses": [{"ucr_offense_code": c, "attempted_completed": "C"} for c in codes]}

    def item(key: str, incident_id: str) -> dict[str, Any]:
        return {"entity_type": "property", "schema_version": "1.2", "id": key, "source": src(key),
                "incident_id": incident_id, "loss_type": "7"}

    data = {"incident": [incident("i-1", "13B"), incident("i-2", "13B", "23H"), incident("i-3", "35A")],
            "property": [item("pr-1", "i-1"), item("pr-2", "i-2"), item("pr-3", "i-3"), item("pr-4", "i-9")]}
    per_record = validate_record_batches(data, as_of=AS_OF)
    columnar = validate_tables({k: to_table([parse(r) for r in v]) for k, v in data.items()}, as_of=AS_OF)

    def key(report: Any) -> set[tuple[str, int, str]]:
        return {(i["entity"], i["row"], i["code"]) for i in report.issues.to_pylist() if i["code"] == "JS-X38"}

    # only the assault-only incident's property; a property naming no incident of the batch is not judged here
    assert key(columnar) == key(per_record) == {("property", 1, "JS-X38")}
    assert rule("JS-X38").nibrs_edits == ("076",)
