"""nibrs export: flat file -> canonical -> flat file reproduces every record segment, and edits refuse records."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from justice_schema.errors import InputError
from justice_schema.nibrs import export_flatfile, normalise_segment
from justice_schema.nibrs.flatfile import _quantity
from justice_schema.translation import TranslationResult
from tests.vendors.nibrs_golden import VENDORS, translate

SAMPLES = sorted((VENDORS / "nibrs_flatfile" / "samples").glob("*.txt")) + [
    Path(__file__).parents[1] / "vendors" / "data" / "nibrs_resubmit_groupb_cargo.txt"]


def _replacements(result: TranslationResult) -> set[str]:
    raws = [row["raw"] for row in result.instructions.to_pylist() if row["kind"] == "replace_incident"]
    return {f"nibrs-incident:{raw[16:25].strip()}:{raw[25:37].strip()}" for raw in raws}


def _record_segments(path: Path) -> list[str]:
    """The segments that are records (levels 1-7, not deletes), normalised, Group B arrests last."""
    lines = [normalise_segment(line) for line in path.read_text(encoding="latin-1").splitlines() if line.strip()]
    records = [line for line in lines if line[4] in "1234567" and line[5] != "D"]
    return [line for line in records if line[4] != "7"] + [line for line in records if line[4] == "7"]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_flat_canonical_flat_reproduces_every_record_segment_byte_for_byte(sample: Path) -> None:
    result = translate("nibrs_flatfile", sample)
    first = sample.read_text(encoding="latin-1").splitlines()[0]
    out = export_flatfile(result.tables, submission=f"{first[8:12]}-{first[6:8]}", replacements=_replacements(result))
    assert out.refused == ()
    assert list(out.lines) == _record_segments(sample)
    assert all(len(line) == int(line[:4]) for line in out.lines)


def test_the_legacy_lengths_grow_to_2019_1_and_trailing_blanks_come_back() -> None:
    assert normalise_segment("00455I072019    HI0020000X") == "00465I072019    HI0020000X".ljust(46)
    assert normalise_segment("0066A\r\n") == "0066A".ljust(66)


def test_a_record_failing_an_edit_is_refused_with_the_edit_number_and_its_children_with_it() -> None:
    result = translate("nibrs_flatfile", VENDORS / "nibrs_flatfile" / "samples" / "NIBRS_Test_Sample.txt")
    incident = result.tables["incident"]
    # Cargo theft 'Y' on an incident whose only offense (35A) cannot involve cargo theft: FBI edit 119.
    bad = incident.set_column(incident.schema.get_field_index("cargo_theft"), "cargo_theft",
                              pa.array([True], pa.bool_()))
    tables = {**result.tables, "incident": bad}
    out = export_flatfile(tables, submission="2019-07")
    refused = {r.entity: r for r in out.refused}
    assert "FBI edit 119" in " ".join(refused["incident"].reasons)
    assert {"property", "victim", "offender", "arrest"} <= set(refused)
    assert out.lines == ()
    # Read = written + refused, per entity (the refused arrest's person has no arrest left to carry it).
    assert sum(out.written.values()) + len(out.refused) == sum(t.num_rows for t in tables.values())
    allowed = export_flatfile(tables, submission="2019-07", allow_errors=True)
    assert allowed.refused == () and allowed.lines[0].endswith("Y")


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"submission": "2019-13"}, "YYYY-MM"),
    ({"submission": "07-2019"}, "YYYY-MM"),
    ({"submission": "2019-07", "city": "TOOLONG"}, "city indicator"),
])
def test_bad_options_are_refused_with_the_option_named(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(InputError, match=message):
        export_flatfile({}, **kwargs)  # type: ignore[arg-type]


def test_a_child_of_an_incident_not_given_names_both() -> None:
    result = translate("nibrs_flatfile", VENDORS / "nibrs_flatfile" / "samples" / "NIBRS_Test_Sample.txt")
    with pytest.raises(InputError, match=r"victim nibrs-victim:.* points at incident 'nibrs-incident:"):
        export_flatfile({"victim": result.tables["victim"]}, submission="2019-07")
    with pytest.raises(InputError, match="no NIBRS segment holds charge"):
        export_flatfile({"charge": result.tables["victim"]}, submission="2019-07")


@given(st.integers(min_value=0, max_value=999_999_999_999))
def test_a_drug_quantity_is_written_as_the_nine_digits_and_three_decimals_it_was_read_from(thousandths: int) -> None:
    text = f"{thousandths // 1000:09d}{thousandths % 1000:03d}"
    assert _quantity(float(f"{text[:9]}.{text[9:]}")) == text




def test_submission_edits_the_catalogue_only_warns_about_are_refused_on_export() -> None:
    result = translate("nibrs_flatfile", VENDORS / "nibrs_flatfile" / "samples" / "actions_and_group_b.txt")
    arrests = result.tables["arrest"]
    column = arrests.schema.get_field_index("ucr_arrest_offense_code")
    group_b = [i for i, v in enumerate(arrests.column("incident_id").to_pylist()) if v is None]
    codes = arrests.column("ucr_arrest_offense_code").to_pylist()
    codes[group_b[0]] = "13A"
    changed = arrests.set_column(column, arrests.schema.field(column), pa.array(codes, arrests.schema.field(column).type))
    out = export_flatfile({**result.tables, "arrest": changed}, submission="2019-07")
    assert [r.reasons for r in out.refused if r.entity == "arrest"] == [(
        "ucr_arrest_offense_code: a Group B arrest is reported for a Group A offense (JS-A53, FBI edit 760)",)]
    assert not any(line[4] == "7" for line in out.lines)
