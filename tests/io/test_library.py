"""translate_files, match_file, migrate_file: the file-to-file verbs as library calls returning counts."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest

from justice_schema.errors import InputError
from justice_schema.io import match_file, migrate_file, translate_files
from justice_schema.translation import Translator
from tests.bad_input.samples import ACME, person, person_lines


def test_translate_files_returns_counts_that_reconcile(tmp_path):
    out = tmp_path / "out"
    summary = translate_files([ACME], out, vendor="acme_rms", extracted_at=datetime(2024, 1, 1, tzinfo=UTC))
    assert summary.rows_in == 60 and summary.rows_rejected == 2 and not summary.clean
    assert summary.reconciliation["balanced"]
    assert set(summary.files) == {"arrest.parquet", "charge.parquet", "person.parquet", "rejects.parquet",
                                  "instructions.parquet", "conflicts.parquet", "summary.json"}
    conflicts = pq.read_table(out / "conflicts.parquet")
    assert conflicts.num_rows == sum(n for fields in summary.reconciliation["dedupe_conflicts"].values()
                                     for n in fields.values())
    for entity, n in summary.records_out.items():
        assert pq.read_table(out / f"{entity}.parquet").num_rows == n
    assert sum(n for _, n in summary.top_reasons) >= summary.rows_rejected
    assert json.loads((out / "summary.json").read_text())["rows_in"] == 60
    assert "top reject reasons" in summary.line()


def test_translate_files_needs_one_of_vendor_or_spec(tmp_path):
    with pytest.raises(InputError, match="exactly one"):
        translate_files([ACME], tmp_path / "o")


def test_translate_files_refuses_a_naive_instant(tmp_path):
    with pytest.raises(InputError, match="time zone"):
        translate_files([ACME], tmp_path / "o", vendor="acme_rms", extracted_at=datetime(2024, 1, 1))
    assert not (tmp_path / "o").exists()


def test_params_for_a_translator_without_parameters(tmp_path, monkeypatch):
    from justice_schema import translation

    class WithoutParams(Translator):  # a Translator as it was before it took params=
        def __init__(self, spec, *, validate=None, extracted_at=None, threads=None):
            super().__init__(spec, validate=validate, extracted_at=extracted_at, threads=threads)

    monkeypatch.setattr(translation, "Translator", WithoutParams)
    with pytest.raises(InputError, match="takes no parameters"):
        translate_files([ACME], tmp_path / "o", vendor="acme_rms", params={"ORI": "UT0180000"})
    assert not (tmp_path / "o").exists()


def test_match_file_writes_every_output_and_counts(tmp_path):
    source = tmp_path / "people.jsonl"
    source.write_text(person_lines(3) + json.dumps(person(4, given_name="Name1")) + "\n")
    out, links = tmp_path / "uids.parquet", tmp_path / "links.csv"
    summary = match_file(source, out, explain=links, golden=tmp_path / "golden.csv")
    assert summary.records == 4 and summary.people <= 4 and summary.clean
    assert pq.read_table(out).num_rows == 4
    assert {p.name for p in summary.written} == {"uids.parquet", "links.csv", "golden.csv"}


def test_migrate_file_counts_reconcile(tmp_path):
    source = tmp_path / "people.jsonl"
    source.write_text(person_lines(2) + json.dumps(person(3, gender_identity="FEMALE")) + "\nnot json\n")
    summary = migrate_file(source, tmp_path / "down.jsonl", to="1.0")
    assert (summary.read, summary.written, summary.rejected) == (4, 2, 2)
    assert summary.read == summary.written + summary.rejected
    assert summary.rejects == tmp_path / "down.jsonl.rejects.jsonl"
    assert len(summary.rejects.read_text().splitlines()) == 2


def test_migrate_file_bad_policy(tmp_path):
    source = tmp_path / "people.jsonl"
    source.write_text(person_lines(1))
    with pytest.raises(InputError, match="policy"):
        migrate_file(source, tmp_path / "o.jsonl", to="1.0", policy="keep")


def test_facade_validate_reads_entity_and_version_from_the_file(tmp_path):
    import justice_schema as js
    from tests.bad_input.samples import person_parquet

    path = person_parquet(tmp_path / "p.parquet", n=4)
    report = js.validate(path)
    assert (report.entity, report.schema_version, report.rows_in, report.rows_valid) == ("person", "1.1", 4, 4)
    (tmp_path / "q.csv").write_text("id\nx\n")
    with pytest.raises(TypeError, match="does not declare"):
        js.validate(tmp_path / "q.csv")
