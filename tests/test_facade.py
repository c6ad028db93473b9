"""The pipeline verbs on the package front dispatch to their subpackages."""

from __future__ import annotations

import justice_schema as js
from justice_schema.translation import find_translator


def _samples(vendor):
    folder = find_translator(vendor).spec_path.parent / "samples"
    return sorted(p for p in folder.iterdir() if p.is_file())


def test_translate_validate_match_from_the_front(tmp_path):
    result = js.translate(_samples("acme_rms"), "acme_rms")
    assert result.reconciliation.balanced
    arrests = result.tables["arrest"]
    table_report = js.validate(arrests, "arrest", schema_version="1.0")
    assert table_report.rows_in == arrests.num_rows
    records = js.from_table(arrests)
    record_report = js.validate(records, "arrest")
    assert record_report.rows_in == len(records)
    path = tmp_path / "arrests.parquet"
    import pyarrow.parquet as pq

    pq.write_table(arrests, path)
    assert js.validate(path, "arrest").rows_in == arrests.num_rows
    people = js.match(result.tables["person"])
    assert len(people.person_uids) == result.tables["person"].num_rows
