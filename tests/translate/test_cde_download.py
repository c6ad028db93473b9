"""The FBI CDE translator on a download as users have it: a whole folder, with or without the agency tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from justice_schema.errors import InputError
from justice_schema.translation import Translator, builtin_spec_path
from tests.translate.helpers import STAMP

SAMPLES = builtin_spec_path("fbi_cde").parent / "samples"
AGENCY_TABLES = ("NIBRS_incident_CONSTRUCTED.csv", "agencies_CONSTRUCTED.csv")


def download(tmp: Path, *, agency_tables: bool) -> Path:
    """A CDE download folder: the samples (with a table the spec does not read), with or without the agency tables."""
    folder = tmp / "OK-2017"
    folder.mkdir()
    for path in SAMPLES.iterdir():
        if agency_tables or path.name not in AGENCY_TABLES:
            shutil.copy(path, folder / path.name)
    (folder / "README_CDE.md").write_text("# ABOUT THIS DATA\n", encoding="utf-8")
    return folder


def translator(**params: str) -> Translator:
    return Translator(builtin_spec_path("fbi_cde"), extracted_at=STAMP, params=params or None)


def test_a_download_without_the_agency_tables_translates_with_the_agency_param(tmp_path: Path) -> None:
    result = translator(agency_ori="OK0140200").translate([download(tmp_path, agency_tables=False)])
    rec = result.reconciliation
    assert result.clean and rec.balanced
    assert rec.records_out == {"arrest": 300, "person": 300, "victim": 4, "offender": 4, "property": 5}
    assert {s["agency_ori"] for s in result.tables["arrest"].column("source").to_pylist()} == {"OK0140200"}
    assert set(rec.ignored_files) == {"NIBRS_BIAS_LIST.csv", "README_CDE.md"}
    assert rec.files["NIBRS_ARRESTEE.csv"].rows_in == 300 and rec.files["NIBRS_ARRESTEE.csv"].translated == 300
    assert result.summary()["params"] == {"agency_ori": "OK0140200"}


def test_without_the_tables_or_the_param_the_error_says_what_to_give(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        translator().translate([download(tmp_path, agency_tables=False)])
    message = str(caught.value)
    assert "'NIBRS_incident*.csv'" in message and "or give the parameter 'agency_ori'" in message


def test_the_whole_folder_reads_only_the_tables_of_the_spec(tmp_path: Path) -> None:
    result = translator().translate([download(tmp_path, agency_tables=True)])
    assert result.clean and result.reconciliation.records_out == {
        "arrest": 300, "person": 300, "victim": 4, "offender": 4, "property": 5}
    assert {s["agency_ori"] for s in result.tables["arrest"].column("source").to_pylist()} == {"OKCDETEST"}
    ignored = result.reconciliation.ignored_files
    assert ignored["NIBRS_BIAS_LIST.csv"] == ("not read: the main input is files matching 'NIBRS_ARRESTEE*.csv, "
                                              "NIBRS_VICTIM.csv, NIBRS_OFFENDER.csv, NIBRS_PROPERTY.csv'")
    assert result.reconciliation.files["agencies_CONSTRUCTED.csv"].role == "join:agency"


def test_the_param_wins_over_the_agency_tables_and_they_are_listed_as_ignored(tmp_path: Path) -> None:
    result = translator(agency_ori="OK0140200").translate([download(tmp_path, agency_tables=True)])
    assert {s["agency_ori"] for s in result.tables["arrest"].column("source").to_pylist()} == {"OK0140200"}
    assert result.reconciliation.ignored_files["agencies_CONSTRUCTED.csv"] == (
        "join 'agency' is skipped: parameter 'agency_ori' was given")


def test_the_agency_row_is_the_one_of_the_incidents_data_year(tmp_path: Path) -> None:
    folder = download(tmp_path, agency_tables=True)
    agencies = folder / "agencies_CONSTRUCTED.csv"
    header, row = agencies.read_text(encoding="utf-8").splitlines()[:2]
    # The same agency a year earlier, under another ORI, listed first: a join on the id alone took it.
    earlier = row.replace("9999992017,999999,2017,\"OKCDETEST\"", "9999992016,999999,2016,\"OKCDEOLD0\"")
    assert earlier != row
    agencies.write_text("\n".join([header, earlier, row]) + "\n", encoding="utf-8")
    result = translator().translate([folder])
    assert result.clean
    assert {s["agency_ori"] for s in result.tables["person"].column("source").to_pylist()} == {"OKCDETEST"}
    assert result.reconciliation.joins["agency"]["rows_in"] == 2


@pytest.mark.parametrize("value", ["ok0140200", "OK014020", "OK01402000"])
def test_an_agency_param_that_is_not_an_ori_is_refused(value: str) -> None:
    with pytest.raises(InputError) as caught:
        translator(agency_ori=value)
    assert caught.value.field == "agency_ori" and "does not match" in str(caught.value)
