"""nibrs export --format xml: XML -> canonical -> XML -> canonical is identical, flat -> XML keeps every code."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from justice_schema.arrow import from_table
from justice_schema.nibrs import export_flatfile, export_xml
from justice_schema.nibrs.xml import NAMESPACES
from justice_schema.translation import TranslationResult, Translator
from tests.vendors.nibrs_golden import VENDORS, translate

XML_SAMPLES = sorted((VENDORS / "nibrs_xml" / "samples").glob("*.xml")) + [
    Path(__file__).parents[1] / "vendors" / "data" / "nibrs_GroupAReplace_Sample_wellformed.xml"]
FLAT_SAMPLES = sorted((VENDORS / "nibrs_flatfile" / "samples").glob("*.txt")) + [
    Path(__file__).parents[1] / "vendors" / "data" / "nibrs_resubmit_groupb_cargo.txt"]


@cache
def _raw_translator(vendor: str) -> Translator:
    """The built-in translator without the record rules: the FBI's own samples break some edits on purpose."""
    return Translator(VENDORS / vendor / "spec.toml", extracted_at=datetime(2024, 1, 1, tzinfo=UTC), validate=None)


def records(result: TranslationResult) -> dict[str, list[dict[str, Any]]]:
    """Canonical records per entity, sorted by id, without ``source`` (file, line and system differ by design)."""
    out = {}
    for entity, table in result.tables.items():
        rows = [r.model_dump(mode="json") for r in from_table(table)]
        for row in rows:
            row.pop("source")
        if rows:
            out[entity] = sorted(rows, key=lambda r: r["id"])
    return out


def without_raw(value: Any) -> Any:
    """``value`` with every source spelling (``*_raw``, ``raw``) left out: what the codes say."""
    if isinstance(value, dict):
        return {k: without_raw(v) for k, v in value.items() if k != "raw" and not k.endswith("_raw")}
    if isinstance(value, list):
        return [without_raw(v) for v in value]
    return value


def read_back(tables: dict[str, pa.Table], tmp_path: Path, name: str) -> TranslationResult:
    out = export_xml(tables, submission="2019-07", allow_errors=True)
    assert out.refused == ()
    path = tmp_path / name
    path.write_text(out.text(), encoding="utf-8")
    return _raw_translator("nibrs_xml").translate([path])


@pytest.mark.parametrize("sample", XML_SAMPLES, ids=lambda p: p.name)
def test_xml_canonical_xml_canonical_is_identical(sample: Path, tmp_path: Path) -> None:
    first = _raw_translator("nibrs_xml").translate([sample])
    again = read_back(first.tables, tmp_path, "again.xml")
    assert records(again) == records(first)
    assert again.rejects.num_rows == 0


@pytest.mark.parametrize("sample", FLAT_SAMPLES, ids=lambda p: p.name)
def test_flat_canonical_xml_canonical_keeps_every_code(sample: Path, tmp_path: Path) -> None:
    first = _raw_translator("nibrs_flatfile").translate([sample])
    again = read_back(first.tables, tmp_path, "from_flat.xml")
    assert without_raw(records(again)) == without_raw(records(first))
    assert again.rejects.num_rows == 0


def test_the_document_has_the_iepd_structure() -> None:
    result = translate("nibrs_flatfile", VENDORS / "nibrs_flatfile" / "samples" / "actions_and_group_b.txt")
    out = export_xml(result.tables, submission="2019-07")
    root = ET.fromstring(out.text())
    assert root.tag == f"{{{NAMESPACES['nibrs']}}}Submission"
    reports = root.findall("nibrs:Report", NAMESPACES)
    categories = [r.findtext("nibrs:ReportHeader/nibrs:NIBRSReportCategoryCode", namespaces=NAMESPACES)
                  for r in reports]
    assert categories == ["GROUP A INCIDENT REPORT"] + ["GROUP B ARREST REPORT"] * (len(reports) - 1)
    assert out.reports == len(reports)
    incident = reports[0]
    victim = incident.find("j:Victim", NAMESPACES)
    assert victim is not None
    # Every s:ref points at an s:id of its report.
    ref, sid = f"{{{NAMESPACES['s']}}}ref", f"{{{NAMESPACES['s']}}}id"
    for report in reports:
        ids = {e.get(sid) for e in report.iter() if e.get(sid)}
        assert {e.get(ref) for e in report.iter() if e.get(ref)} <= ids


def test_both_writers_refuse_the_same_records_for_the_same_reasons() -> None:
    result = translate("nibrs_flatfile", VENDORS / "nibrs_flatfile" / "samples" / "NIBRS_Test_Sample.txt")
    incident = result.tables["incident"]
    bad = incident.set_column(incident.schema.get_field_index("cargo_theft"), "cargo_theft",
                              pa.array([True], pa.bool_()))
    tables = {**result.tables, "incident": bad}
    flat = export_flatfile(tables, submission="2019-07")
    xml = export_xml(tables, submission="2019-07")
    assert xml.refused == flat.refused and "FBI edit 119" in " ".join(xml.refused[0].reasons)
    assert xml.reports == 0 and xml.written == flat.written
    assert export_xml(tables, submission="2019-07", allow_errors=True).reports == 1


def test_a_replacement_is_written_with_action_r() -> None:
    result = translate("nibrs_flatfile", VENDORS / "nibrs_flatfile" / "samples" / "NIBRS_Test_Sample.txt")
    incident_id = result.tables["incident"].column("id")[0].as_py()
    root = ET.fromstring(export_xml(result.tables, submission="2019-07", replacements=[incident_id]).text())
    assert root.findtext("nibrs:Report/nibrs:ReportHeader/nibrs:ReportActionCategoryCode",
                         namespaces=NAMESPACES) == "R"
