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
