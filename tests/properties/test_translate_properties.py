"""Invariants of translation, on arbitrary messy input.

* every source row is accounted for: rows in = translated + instructions + rejected;
* every record the engine emits is a valid record of its pydantic model (the
  columnar checks are at least as strict as the model);
* ids come from source keys only: shuffling the rows gives the same records;
* the number of worker threads and the batch size never change the output;
* canonical values written out and translated back come back unchanged.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from justice_schema.arrow import from_table
from justice_schema.testing import persons
from justice_schema.translation import Translator, builtin_spec_path, load_spec_text

STAMP = datetime(2024, 1, 1, tzinfo=UTC)
SAMPLE = Path(__file__).resolve().parents[2] / "src" / "justice_schema" / "vendors" / "acme_rms" / "samples" / "arrests.csv"
HEADER = next(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))
GOOD_ROWS = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8"))))[1:]
_RMS = Translator(builtin_spec_path("acme_rms"), extracted_at=STAMP, threads=1)

_MESS = st.one_of(
    st.sampled_from(["", " ", "UNK", "00/00/0000", "N/A", "Male", "white", "13/45/2023", "9", "-1", "2Y6M",
                     '"', ",", "SMITH, ", ", JOHN", "JR", "\t", "99:99", "12/31/1999"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=12),
)


@st.composite
def messy_rows(draw: st.DrawFn) -> list[list[str]]:
    """Rows of the RMS export: real rows with some cells replaced by junk."""
    rows = draw(st.lists(st.sampled_from(GOOD_ROWS), min_size=1, max_size=12))
    out = []
    for row in rows:
        row = list(row)
        for index in draw(st.lists(st.integers(0, len(row) - 1), max_size=4)):
            row[index] = draw(_MESS)
        out.append(row)
    return out


def _write(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


def _records(result) -> dict[str, list[dict[str, object]]]:  # type: ignore[no-untyped-def]
    return {e: sorted(t.to_pylist(), key=lambda r: r["id"]) for e, t in result.tables.items()}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=messy_rows())
def test_reconciliation_balances_and_output_is_valid(tmp_path: Path, rows: list[list[str]]) -> None:
    result = _RMS.translate([_write(tmp_path / "messy.csv", rows)])
    rec = result.reconciliation
    assert rec.balanced
    assert rec.rows_in == len(rows)
    assert rec.rows_rejected == result.rejects.num_rows
    assert all(r["reasons"] for r in result.rejects.to_pylist())
    for entity, table in result.tables.items():
        records = from_table(table)  # raises if any record is not valid against its model
        assert len(records) == rec.records_out[entity]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(order=st.permutations(range(len(GOOD_ROWS))))
def test_ids_do_not_depend_on_row_order(tmp_path: Path, order: list[int]) -> None:
    first = _RMS.translate([_write(tmp_path / "a.csv", GOOD_ROWS)])
    shuffled = _RMS.translate([_write(tmp_path / "b.csv", [GOOD_ROWS[i] for i in order])])
    for entity in ("person", "arrest", "charge"):
        assert sorted(first.tables[entity].column("id").to_pylist()) == sorted(
            shuffled.tables[entity].column("id").to_pylist())
    assert _records(first)["charge"] == _records(shuffled)["charge"]


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=messy_rows(), threads=st.integers(1, 4), block=st.sampled_from([1024, 4096, 1 << 20]))
def test_threads_and_batch_size_never_change_the_output(tmp_path: Path, rows: list[list[str]], threads: int,
                                                       block: int) -> None:
    path = _write(tmp_path / "m.csv", rows)
    spec_text = builtin_spec_path("acme_rms").read_text(encoding="utf-8").replace(
        'header = true', f'header = true\nblock_size = {block}')
    other = Translator(load_spec_text(spec_text, "acme_rms-small-blocks"), extracted_at=STAMP, threads=threads)
    one, many = _RMS.translate([path]), other.translate([path])
    assert {e: t.to_pylist() for e, t in one.tables.items()} == {e: t.to_pylist() for e, t in many.tables.items()}
    assert one.rejects.to_pylist() == many.rejects.to_pylist()
    assert one.reconciliation.to_dict() == many.reconciliation.to_dict()


ROUND_TRIP_SPEC = """
spec_version = 1
[translator]
name = "canonical_people"
title = "canonical person columns"
system = "round trip"
agency_ori = "ORI"
timezone = "UTC"
[source]
format = "csv"
[[entity]]
type = "person"
id = { id = ["ID"] }
source_key = "KEY"
[entity.fields]
given_name = "GIVEN"
middle_name = "MIDDLE"
family_name = "FAMILY"
name_suffix = "SUFFIX"
date_of_birth = { date = "DOB", formats = ["%Y-%m-%d"] }
sex = "SEX"
race = "RACE"
ethnicity = "ETHNICITY"
state_id = "SID"
fbi_number = "FBI"
"""
_FIELDS = {"ID": "id", "GIVEN": "given_name", "MIDDLE": "middle_name", "FAMILY": "family_name",
           "SUFFIX": "name_suffix", "DOB": "date_of_birth", "SEX": "sex", "RACE": "race", "ETHNICITY": "ethnicity",
           "SID": "state_id", "FBI": "fbi_number"}
_ROUND_TRIP = Translator(load_spec_text(ROUND_TRIP_SPEC, "round-trip"), extracted_at=STAMP, threads=1)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(people=st.lists(persons(), min_size=1, max_size=8, unique_by=lambda p: p.id))
def test_canonical_values_round_trip_through_a_translator(tmp_path: Path, people: list) -> None:  # type: ignore[type-arg]
    rows = []
    for person in people:
        row = {column: getattr(person, field) for column, field in _FIELDS.items()}
        row.update(ORI=person.source.agency_ori, KEY=person.source.record_key)
        rows.append({k: ("" if v is None else str(v)) for k, v in row.items()})
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "people.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = _ROUND_TRIP.translate([path])
    assert result.clean, result.rejects.to_pylist()
    back = {p.id: p for p in from_table(result.tables["person"])}
    for person in people:
        again = back[person.id]
        for field in _FIELDS.values():
            assert getattr(again, field) == getattr(person, field), field
        assert again.source.record_key == person.source.record_key
        assert again.source.agency_ori == person.source.agency_ori
    assert isinstance(result.tables["person"], pa.Table)
