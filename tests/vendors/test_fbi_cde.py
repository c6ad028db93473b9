"""The FBI Crime Data Explorer CSV translator: lookups by id, CDE dates, weapons, agency ORI, counts."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest

from justice_schema.errors import InputError
from tests.vendors.nibrs_golden import VENDORS, actual_records, expected_records, translate

VENDOR = "fbi_cde"
SAMPLES = VENDORS / VENDOR / "samples"
DATA = Path(__file__).parent / "data"
LOOKUPS = ["NIBRS_ARREST_TYPE.csv", "NIBRS_OFFENSE_TYPE.csv", "NIBRS_AGE.csv", "REF_RACE.csv",
           "NIBRS_ETHNICITY.csv", "NIBRS_WEAPON_TYPE.csv", "NIBRS_incident_CONSTRUCTED.csv",
           "agencies_CONSTRUCTED.csv"]


def _inputs(weapons: Path = SAMPLES / "NIBRS_ARRESTEE_WEAPON.csv", arrestees: Path = SAMPLES / "NIBRS_ARRESTEE.csv"
            ) -> list[Path]:
    return [arrestees, weapons, *(SAMPLES / name for name in LOOKUPS)]


def _rows(name: str) -> list[dict[str, str]]:
    with (SAMPLES / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_selected_rows_give_the_hand_derived_records() -> None:
    result = translate(VENDOR, *_inputs())
    folder = VENDORS / VENDOR / "expected" / "selected_rows"
    for entity in ("arrest", "person"):
        expected = expected_records(folder, entity)
        by_id = {r["id"]: r for r in actual_records(result, entity)}
        assert [by_id.get(r["id"]) for r in expected] == expected, entity


def test_every_arrestee_matches_a_plain_lookup_of_its_ids() -> None:
    """All 300 sample rows against an independent, per-row reading of the same CSV files."""
    result = translate(VENDOR, *_inputs())
    arrest_type = {r["ARREST_TYPE_ID"]: r["ARREST_TYPE_CODE"] for r in _rows("NIBRS_ARREST_TYPE.csv")}
    offense = {r["OFFENSE_TYPE_ID"]: r["OFFENSE_CODE"] for r in _rows("NIBRS_OFFENSE_TYPE.csv")}
    race = {r["RACE_ID"]: r["RACE_CODE"] for r in _rows("REF_RACE.csv")}
    ethnicity = {r["ETHNICITY_ID"]: r["ETHNICITY_CODE"] for r in _rows("NIBRS_ETHNICITY.csv")}
    arrests = {r["id"]: r for r in actual_records(result, "arrest")}
    persons = {r["id"]: r for r in actual_records(result, "person")}
    rows = _rows("NIBRS_ARRESTEE.csv")
    assert len(arrests) == len(persons) == len(rows) == 300
    for row in rows:
        arrest = arrests[f"fbi-cde-arrest:{row['ARRESTEE_ID']}"]
        person = persons[f"fbi-cde-person:{row['ARRESTEE_ID']}"]
        assert arrest["arrest_date"] == datetime.strptime(row["ARREST_DATE"], "%d-%b-%y").date().isoformat()
        assert arrest["arrest_type_raw"] == arrest_type[row["ARREST_TYPE_ID"]]
        assert arrest["ucr_arrest_offense_code_raw"] == offense[row["OFFENSE_TYPE_ID"]]
        assert arrest["arrestee_age"]["min_years"] == int(row["AGE_NUM"])
        assert arrest["source"]["agency_ori"] == "OKCDETEST"
        assert person["race_raw"] == race[row["RACE_ID"]]
        assert person["ethnicity_raw"] == ethnicity[row["ETHNICITY_ID"]]
        assert person["sex"] == row["SEX_CODE"]
    recon = result.reconciliation
    assert recon.balanced and recon.rows_rejected == 0
    # The sample's weapon rows belong to arrestees outside the 300-row extract: counted, not lost.
    assert recon.gathers["weapon"] == {"rows_in": 300, "attached": 0, "unmatched": 300}
    assert recon.record_types["gather:weapon"].not_mapped == 300


def test_weapons_are_gathered_with_the_automatic_flag_and_a_third_is_rejected() -> None:
    result = translate(VENDOR, *_inputs(weapons=DATA / "NIBRS_ARRESTEE_WEAPON_CONSTRUCTED.csv"))
    arrests = {r["id"]: r for r in actual_records(result, "arrest")}
    assert arrests["fbi-cde-arrest:27103769"]["armed_with"] == [{"code": "01", "automatic": False, "raw": "01"}]
    assert arrests["fbi-cde-arrest:27666228"]["armed_with"] == [
        {"code": "12", "automatic": True, "raw": "12A"},
        {"code": "16", "automatic": False, "raw": "16"},
    ]
    (reject,) = result.rejects.to_pylist()
    assert reject["record_type"] == "gather:weapon" and reject["source_line"] == 5
    assert reject["reasons"] == ["more than 2 'weapon' records for ARRESTEE_ID = '27666228'; this one is number 3"]
    recon = result.reconciliation
    assert recon.gathers["weapon"] == {"rows_in": 5, "attached": 3, "unmatched": 1}
    assert recon.balanced


def test_impossible_cde_dates_are_rejected_not_rolled_over(tmp_path: Path) -> None:
    text = (SAMPLES / "NIBRS_ARRESTEE.csv").read_text(encoding="utf-8").splitlines()
    bad = text[1].replace("03-MAR-17", "31-FEB-17")
    path = tmp_path / "NIBRS_ARRESTEE.csv"
    path.write_text("\n".join([text[0], bad, text[2]]) + "\n", encoding="utf-8")
    result = translate(VENDOR, *_inputs(arrestees=path))
    (reject,) = result.rejects.to_pylist()
    assert reject["source_line"] == 2
    assert any("'31-FEB-17' is not a date" in reason for reason in reject["reasons"])
    assert result.reconciliation.balanced


def test_without_the_incident_table_the_agency_cannot_be_known() -> None:
    inputs = [p for p in _inputs() if "incident" not in p.name]
    with pytest.raises(InputError, match="joins 'incident' from a file matching 'NIBRS_incident\\*.csv'"):
        translate(VENDOR, *inputs)


# -- victims, offenders and property (a record type per table) -----------------------------------------

def _by(name: str, key: str) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for row in _rows(name):
        found.setdefault(row[key], []).append(row)
    return found


def test_victims_offenders_and_property_match_a_plain_reading_of_their_tables() -> None:
    """Every victim, offender and property row against an independent per-row reading of the same tables."""
    result = translate(VENDOR, SAMPLES)
    assert result.clean and result.reconciliation.balanced
    offense_code = {r["OFFENSE_TYPE_ID"]: r["OFFENSE_CODE"] for r in _rows("NIBRS_OFFENSE_TYPE.csv")}
    offense_type = {r["OFFENSE_ID"]: r["OFFENSE_TYPE_ID"] for r in _rows("NIBRS_OFFENSE.csv")}
    victim_type = {r["VICTIM_TYPE_ID"]: r["VICTIM_TYPE_CODE"] for r in _rows("NIBRS_VICTIM_TYPE.csv")}
    injury = {r["INJURY_ID"]: r["INJURY_CODE"] for r in _rows("NIBRS_INJURY.csv")}
    relationship = {r["RELATIONSHIP_ID"]: r["RELATIONSHIP_CODE"] for r in _rows("NIBRS_RELATIONSHIP.csv")}
    offender_seq = {r["OFFENDER_ID"]: int(r["OFFENDER_SEQ_NUM"]) for r in _rows("NIBRS_OFFENDER.csv")}
    offenses, injuries, relations = (_by("NIBRS_VICTIM_OFFENSE.csv", "VICTIM_ID"),
                                     _by("NIBRS_VICTIM_INJURY.csv", "VICTIM_ID"),
                                     _by("NIBRS_VICTIM_OFFENDER_REL.csv", "VICTIM_ID"))
    victims = {r["id"]: r for r in actual_records(result, "victim")}
    rows = _rows("NIBRS_VICTIM.csv")
    assert len(victims) == len(rows)
    for row in rows:
        victim = victims[f"fbi-cde-victim:{row['VICTIM_ID']}"]
        assert victim["incident_id"] == f"fbi-cde-incident:{row['INCIDENT_ID']}"
        assert victim["victim_type"] == victim_type[row["VICTIM_TYPE_ID"]]
        assert victim["offense_codes"] == [offense_code[offense_type[o["OFFENSE_ID"]]]
                                           for o in offenses.get(row["VICTIM_ID"], [])]
        assert victim["injuries"] == [injury[i["INJURY_ID"]] for i in injuries.get(row["VICTIM_ID"], [])]
        assert [(r["offender_sequence_number"], r["relationship"]) for r in victim["relationships"]] == [
            (offender_seq[r["OFFENDER_ID"]], relationship[r["RELATIONSHIP_ID"]])
            for r in relations.get(row["VICTIM_ID"], [])]
        assert victim["sex"] == (row["SEX_CODE"] or None)
    offenders = {r["id"]: r for r in actual_records(result, "offender")}
    for row in _rows("NIBRS_OFFENDER.csv"):
        offender = offenders[f"fbi-cde-offender:{row['OFFENDER_ID']}"]
        assert offender["offender_sequence_number"] == int(row["OFFENDER_SEQ_NUM"])
        ranged = row["AGE_RANGE_HIGH_NUM"] not in ("", "0")
        assert (offender["offender_age"]["min_years"], offender["offender_age"]["max_years"]) == (
            (int(row["AGE_RANGE_LOW_NUM"]), int(row["AGE_RANGE_HIGH_NUM"])) if ranged
            else (int(row["AGE_NUM"]), int(row["AGE_NUM"])))
    desc_code = {r["PROP_DESC_ID"]: r["PROP_DESC_CODE"] for r in _rows("NIBRS_PROP_DESC_TYPE.csv")}
    drug_code = {r["SUSPECTED_DRUG_TYPE_ID"]: r["SUSPECTED_DRUG_CODE"] for r in _rows("NIBRS_SUSPECTED_DRUG_TYPE.csv")}
    descriptions, drugs = _by("NIBRS_PROPERTY_DESC.csv", "PROPERTY_ID"), _by("NIBRS_SUSPECTED_DRUG.csv", "PROPERTY_ID")
    properties = {r["id"]: r for r in actual_records(result, "property")}
    for row in _rows("NIBRS_PROPERTY.csv"):
        item = properties[f"fbi-cde-property:{row['PROPERTY_ID']}"]
        assert item["loss_type"] == row["PROP_LOSS_ID"]  # the loss-type id is the DE 14 code
        assert [(d["description"], d["value"]) for d in item["descriptions"]] == [
            (desc_code[d["PROP_DESC_ID"]], int(d["PROPERTY_VALUE"]) if d["PROPERTY_VALUE"] else None)
            for d in descriptions.get(row["PROPERTY_ID"], [])]
        assert [(d["drug_type"], d["quantity"]) for d in item["drugs"]] == [
            (drug_code[d["SUSPECTED_DRUG_TYPE_ID"]], float(d["EST_DRUG_QTY"])) for d in drugs.get(row["PROPERTY_ID"], [])]


def test_circumstance_codes_are_padded_and_the_justifiable_force_read(tmp_path: Path) -> None:
    """CDE writes DE 31 codes as numbers (1, 20): they become the two-digit NIBRS codes."""
    import shutil

    from justice_schema.translation import Translator, builtin_spec_path

    for path in SAMPLES.iterdir():
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "NIBRS_VICTIM_CIRCUMSTANCES.csv").write_text(
        '"DATA_YEAR","VICTIM_ID","CIRCUMSTANCES_ID","JUSTIFIABLE_FORCE_ID"\r\n2017,99000004,1,\r\n'
        '2017,99000002,11,3\r\n', encoding="utf-8", newline="")
    result = Translator(builtin_spec_path(VENDOR), validate=None).translate([tmp_path])
    victims = {r["id"]: r for r in actual_records(result, "victim")}
    assert victims["fbi-cde-victim:99000004"]["circumstances"] == ["01"]
    assert victims["fbi-cde-victim:99000002"]["circumstances"] == ["20"]
    assert victims["fbi-cde-victim:99000002"]["justifiable_homicide_circumstance"] == "C"
