"""The NIBRS XML (IEPD 2019) translator: goldens, report kinds and actions, counts, the flat-file twin."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from justice_schema.errors import InputError
from justice_schema.translation import Translator
from tests.vendors.nibrs_golden import EXTRACTED_AT, VENDORS, actual_records, expected_records, translate

VENDOR = "nibrs_xml"
SAMPLES_DIR = VENDORS / VENDOR / "samples"
#: The shipped replace sample is not well-formed XML (a comment before the declaration); kept as test data.
NOT_WELL_FORMED = Path(__file__).parent / "data" / "nibrs_GroupAReplace_Sample.xml"
DATA = Path(__file__).parent / "data"
#: The replacement of nibrs_GroupAIncident_Sample.xml (same incident, same ids): kept apart from the
#: vendor samples, which the conformance kit translates together.
REPLACE = DATA / "nibrs_GroupAReplace_Sample_wellformed.xml"
SAMPLES = sorted(SAMPLES_DIR.glob("*.xml"))
NS = {
    "nibrs": "http://fbi.gov/cjis/nibrs/2019",
    "j": "http://release.niem.gov/niem/domains/jxdm/5.2/",
    "nc": "http://release.niem.gov/niem/niem-core/3.0/",
}


#: The FBI's IEPD sample instances show the XML structure, not an edit-clean submission: what the FBI
#: (and the record rules) refuse in them, by rule code. Their hand-derived goldens hold what is left.
REFUSED = {
    # 240 with a method of entry (254) and premises entered (252); an adult arrestee (25) with a
    # juvenile disposition (653); an officer victim whose other-agency ORI has 7 characters (DE 25C: 9);
    # gang information N (219) and a weapon 11A (222) on that motor vehicle theft.
    "nibrs_AllFields_Sample.xml": {"JS-I23", "JS-I25", "JS-A21", "JS-V03", "JS-I34", "JS-I43"},
    # 13A at location 58 with one premises entered (252).
    "nibrs_GroupAIncident_Sample.xml": {"JS-I25"},
    "nibrs_GroupAReplace_Sample_wellformed.xml": {"JS-I25"},
}


@pytest.mark.parametrize("sample", [*SAMPLES, REPLACE], ids=lambda p: p.name)
def test_sample_gives_the_hand_derived_records(sample: Path) -> None:
    result = translate(VENDOR, sample)
    folder = VENDORS / VENDOR / "expected" / sample.stem if sample != REPLACE else DATA / f"expected_{sample.stem}"
    for entity in ("incident", "arrest", "person", "victim", "offender"):
        assert actual_records(result, entity) == expected_records(folder, entity), entity
    codes = {code for reasons in result.rejects.column("reasons").to_pylist() for r in reasons
             for code in re.findall(r"\((JS-[A-Z][0-9]+)", r)}
    assert codes == REFUSED.get(sample.name, set())
    assert result.reconciliation.balanced


@pytest.mark.parametrize(
    ("sample", "kind"),
    [
        ("nibrs_ZeroReport_Sample.xml", "zero_report"),
        ("nibrs_IncidentDelete_Sample.xml", "delete_incident"),
        ("nibrs_GroupBArrestDelete_Sample.xml", "delete_group_b_arrest"),
        ("nibrs_GroupAReplace_Sample_wellformed.xml", "replace_incident"),
    ],
)
def test_report_kinds_and_actions_are_reported(sample: str, kind: str) -> None:
    path = REPLACE if sample == REPLACE.name else SAMPLES_DIR / sample
    # Field rules only: the replacement sample's incident is refused by the record rules (REFUSED), and a
    # refused replacement is a reject, not an instruction; the report kinds are what is tested here.
    result = Translator(VENDORS / VENDOR / "spec.toml", extracted_at=EXTRACTED_AT, validate=None).translate([path])
    assert result.instructions.column("kind").to_pylist() == [kind]
    produced = sum(t.num_rows for t in result.tables.values())
    # Only the replacement carries records; deletes and zero reports are instructions only.
    assert (produced > 0) == (kind == "replace_incident")
    assert result.reconciliation.balanced


def test_victims_offenders_and_property_translate_and_officers_are_counted_as_not_mapped() -> None:
    sample = SAMPLES_DIR / "nibrs_AllFields_Sample.xml"
    root = ET.parse(sample).getroot()
    report = root.find("nibrs:Report", NS)
    assert report is not None
    counts = {
        "victim": len(report.findall("j:Victim", NS)),
        "offender": len(report.findall("j:Subject", NS)),
        "item": len(report.findall("nc:Item", NS)) + len(report.findall("nc:Substance", NS)),
        "law_enforcement_officer": len(report.findall("j:EnforcementOfficial", NS)),
    }
    assert all(counts.values())
    result = translate(VENDOR, sample)
    recon = result.reconciliation
    for part in ("victim", "offender"):
        assert recon.record_types[part].not_mapped == 0
        assert recon.record_types[part].translated + recon.record_types[part].rejected == counts[part]
    assert recon.record_types["law_enforcement_officer"].not_mapped == counts["law_enforcement_officer"]
    # The sample's incident is refused, so every item and substance row goes with the property records
    # they were gathered into (JS-T05), none counted as translated without output.
    assert recon.record_types["item"].rejected == counts["item"] and recon.record_types["item"].translated == 0
    assert not actual_records(result, "property")
    # With the record rules off, every item and substance is translated into the property record of its
    # loss type, none is lost.
    unchecked = Translator(VENDORS / VENDOR / "spec.toml", extracted_at=EXTRACTED_AT, validate=None).translate([sample])
    assert unchecked.reconciliation.record_types["item"].translated == counts["item"]
    properties = {r["loss_type"]: r for r in actual_records(unchecked, "property")}
    assert sorted(properties) == ["1", "2", "3", "4", "5"]
    # Three RECOVERED items: descriptions 01 (twice: the first is kept) and 03, a motor vehicle with its count.
    assert [d["description"] for d in properties["5"]["descriptions"]] == ["01", "03", "10"]
    assert properties["5"]["recovered_vehicle_count"] == 41
    assert properties["5"]["drugs"] == [{"drug_type": "X", "drug_type_raw": "X", "quantity": 1.5, "measure": "XX",
                                         "measure_raw": "XX"}]
    assert recon.balanced
    # The sample's incident is refused (REFUSED), so its victim 2 and offender are too (JS-T05, naming it);
    # victim 1 is refused for its own reason.
    assert not actual_records(result, "victim") and not actual_records(result, "offender")
    orphaned = [i for row in result.rejects.to_pylist() if row["record_type"] in ("victim", "offender")
                for i in row["issues"] if i["code"] == "JS-T05"]
    assert len(orphaned) == 2 and all("nibrs-incident:WVNDX0100:54236732" in i["message"] for i in orphaned)
    # The mapping itself, with the record rules off: every association pointing at a victim is followed,
    # in document order: its offense and offender.
    result = Translator(VENDORS / VENDOR / "spec.toml", extracted_at=EXTRACTED_AT, validate=None).translate([sample])
    victims = {r["victim_sequence_number"]: r for r in actual_records(result, "victim")}
    assert victims[2]["offense_codes"] == ["240"]
    assert victims[2]["relationships"] == [{"offender_sequence_number": 1, "relationship": "ST",
                                            "relationship_raw": "Stranger"}]
    assert victims[2]["victim_age"]["code"] == "BB"
    # Victim 1 is an officer whose other-agency ORI has 7 characters (DE 25C is 9): refused, with the rule.
    reasons = [r for row in result.rejects.to_pylist() if row["record_type"] == "victim" for r in row["reasons"]]
    assert len(reasons) == 1 and "officer_other_ori" in reasons[0]
    assert 1 not in victims
    assert actual_records(result, "offender")[0]["offender_age"] == {"min_years": 25, "max_years": 30,
                                                                    "code": None, "raw": "25-30"}


def test_a_document_that_is_not_well_formed_names_file_and_line() -> None:
    with pytest.raises(InputError, match=r"nibrs_GroupAReplace_Sample\.xml, row 18: not well-formed XML"):
        translate(VENDOR, NOT_WELL_FORMED)


def test_the_xml_twin_gives_the_same_records_as_the_flat_file() -> None:
    flat = translate("nibrs_flatfile", VENDORS / "nibrs_flatfile" / "samples" / "NIBRS_Test_Sample.txt")
    # As users get them (record rules on): the twin answers cargo theft 'false' where the flat file
    # leaves position 88 blank, and both mean "not applicable" for an incident whose only offense is 35A.
    xml = translate(VENDOR, SAMPLES_DIR / "NIBRS_Test_Sample.xml")
    assert xml.rejects.num_rows == 0
    # What the two formats really spell differently: the system and two raw texts.
    known = {
        ("incident", "source.system"): ("FBI NIBRS flat file", "FBI NIBRS XML"),
        ("incident", "offenses.0.attempted_completed_raw"): ("C", "false"),
        ("arrest", "source.system"): ("FBI NIBRS flat file", "FBI NIBRS XML"),
        ("arrest", "armed_with.0.raw"): ("01", "1"),
        ("person", "source.system"): ("FBI NIBRS flat file", "FBI NIBRS XML"),
    }
    differences = {}
    for entity in ("incident", "arrest", "person"):
        a, b = actual_records(flat, entity), actual_records(xml, entity)
        assert len(a) == len(b) == 1, entity
        for path, (x, y) in _diff(a[0], b[0]):
            differences[(entity, path)] = (x, y)
    assert differences == known
    assert [r["id"] for r in actual_records(flat, "arrest")] == [r["id"] for r in actual_records(xml, "arrest")]


@pytest.mark.parametrize(
    ("offense", "indicator", "cargo_theft", "refused"),
    [
        ("35A", "false", None, set()),  # no offense can involve cargo theft: 'false' is "not applicable"
        ("23D", "false", False, set()),  # a theft can: 'false' is a real "no"
        ("23D", "true", True, set()),
        ("35A", "true", True, {"JS-I28"}),  # cargo theft reported where it cannot be (FBI edit 119)
    ],
)
def test_xml_cargo_theft_false_means_not_applicable_only_where_no_offense_can_involve_it(
    tmp_path: Path, offense: str, indicator: str, cargo_theft: bool | None, refused: set[str]
) -> None:
    text = (SAMPLES_DIR / "NIBRS_Test_Sample.xml").read_text(encoding="utf-8")
    text = text.replace("<j:OffenseCargoTheftIndicator>false<", f"<j:OffenseCargoTheftIndicator>{indicator}<")
    text = text.replace("<nibrs:OffenseUCRCode>35A</nibrs:OffenseUCRCode>", f"<nibrs:OffenseUCRCode>{offense}</nibrs:OffenseUCRCode>")
    sample = tmp_path / "cargo.xml"
    sample.write_text(text, encoding="utf-8")
    raw = Translator(VENDORS / VENDOR / "spec.toml", extracted_at=EXTRACTED_AT, validate=None).translate([sample])
    assert [r["cargo_theft"] for r in actual_records(raw, "incident")] == [cargo_theft]
    result = translate(VENDOR, sample)
    codes = {code for reasons in result.rejects.column("reasons").to_pylist() for r in reasons
             for code in re.findall(r"\((JS-[A-Z][0-9]+)", r)}
    # Swapping the 35A for a 23D sets off other edits of the sample's drug property; only 119 is at stake.
    assert codes & {"JS-I28"} == refused


def _diff(a: object, b: object, path: str = "") -> list[tuple[str, tuple[object, object]]]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            out += _diff(a.get(key), b.get(key), f"{path}.{key}" if path else key)
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += _diff(x, y, f"{path}.{i}")
        return out
    return [] if a == b else [(path, (a, b))]
