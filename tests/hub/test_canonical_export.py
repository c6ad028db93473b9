"""Canonical exports (issue 19): the hub reads records a Spark job (or any pipeline) already made canonical.

The Parquet files are written with pyarrow, as Spark writes them (no pyarrow metadata, part files),
so these tests need no Spark.
"""

from __future__ import annotations

import io
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from justice_schema.errors import InputError
from justice_schema.hub import HubConfigError, build_hub, load_config
from justice_schema.hub.store import duckdb_module
from justice_schema.translation import Translator, find_translator
from tests.hub.conftest import write_config

#: The police export is translated by the hub; the jail's records arrive already canonical.
VENDOR = [("slc-pd", "acme_rms", "Salt Lake City PD")]
CANONICAL_EXPORT = '''
[[export]]
name = "jail-spark"
translator = "canonical"
agency = "County Jail"
files = {files}
'''
BAD_ID = "cellblock:person:SO000501"


@pytest.fixture(scope="module")
def jail_records() -> pa.Table:
    """The jail's people and bookings as one table of canonical records (a file of two entities),
    one person made invalid (sex 'X')."""
    spec = find_translator("cellblock_jms").spec_path
    result = Translator(spec).translate(sorted((spec.parent / "samples").glob("*")))
    person = result.tables["person"]
    bad = pc.equal(person.column("id"), BAD_ID)
    assert pc.any(bad).as_py()
    sex = pc.if_else(bad, pa.scalar("X"), person.column("sex"))
    person = person.set_column(person.schema.get_field_index("sex"), person.schema.field("sex"), sex)
    table = pa.concat_tables([person, result.tables["booking"]], promote_options="default")
    # in a file of two entities every column is nullable (each is null in the other entity's rows)
    return table.cast(pa.schema([field.with_nullable(True) for field in table.schema]))


def _hub(folder: Path, files: list[str]) -> Path:
    config = write_config(folder, VENDOR)
    config.write_text(config.read_text(encoding="utf-8") + CANONICAL_EXPORT.format(files=files).replace("'", '"'),
                      encoding="utf-8")
    return config


def _rows(database: Path, sql: str) -> list[tuple]:
    con = duckdb_module().connect(str(database), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def _spark_parts(table: pa.Table, folder: Path) -> None:
    """``table`` written as Spark writes a DataFrame: part files, no pyarrow schema or metadata."""
    folder.mkdir(parents=True)
    half = table.num_rows // 2
    for number, part in enumerate((table.slice(0, half), table.slice(half))):
        pq.write_table(part.replace_schema_metadata(None), folder / f"part-0000{number}-c0ffee.snappy.parquet",
                       store_schema=False)


def test_a_canonical_export_beside_a_vendor_export(tmp_path: Path, jail_records: pa.Table) -> None:
    pq.write_table(jail_records, tmp_path / "jail.parquet")
    config = _hub(tmp_path, ["jail.parquet"])
    assert load_config(config).exports[1].spec_path is None
    build_hub(config, quiet=True)
    database = tmp_path / "out" / "hub.duckdb"
    people = jail_records.filter(pc.equal(jail_records.column("entity_type"), "person")).num_rows
    bookings = jail_records.num_rows - people
    counts = dict(_rows(database, "SELECT entity_type, count(*) FROM (SELECT entity_type FROM person "
                                  "WHERE hub_export = 'jail-spark' UNION ALL SELECT entity_type FROM booking "
                                  "WHERE hub_export = 'jail-spark') GROUP BY ALL"))
    assert counts == {"person": people - 1, "booking": bookings}
    assert _rows(database, "SELECT DISTINCT hub_agency FROM booking WHERE hub_export = 'jail-spark'") == [
        ("County Jail",)]
    assert not _rows(database, f"SELECT * FROM person WHERE id = '{BAD_ID}'")
    # the vendor export is there as ever
    assert _rows(database, "SELECT count(*) FROM arrest WHERE hub_export = 'slc-pd'")[0][0] > 0
    rejects = _rows(database, "SELECT source_file, source_line, record_type, reasons, raw, issues "
                              "FROM hub_rejects WHERE hub_export = 'jail-spark'")
    assert len(rejects) == 1
    source_file, line, record_type, reasons, raw, issues = rejects[0]
    assert source_file.endswith("jail.parquet") and record_type == "person"
    assert jail_records.column("id")[line - 1].as_py() == BAD_ID and BAD_ID in raw
    assert reasons == ["person.sex: 'X' is not a code of Sex (JS-P04)"]
    assert issues == [{"code": "JS-P04", "entity": "person", "field": "sex", "message": reasons[0]}]
    # the rejected row shows in the views the site reads, as a translation reject does
    assert ("JS-P04", 1) in _rows(database, "SELECT code, rows FROM reject_reasons WHERE hub_agency = 'County Jail'")
    rows_in, records, rejected, translator = _rows(
        database, "SELECT rows_in, records_out, rows_rejected, translator FROM hub_exports "
                  "WHERE hub_export = 'jail-spark'")[0]
    assert (rows_in, records, rejected, translator) == (jail_records.num_rows, jail_records.num_rows - 1, 1,
                                                        "canonical")
    assert rows_in == records + rejected


def test_spark_part_files_without_metadata_give_the_same_hub(tmp_path: Path, jail_records: pa.Table) -> None:
    one, parts = tmp_path / "one", tmp_path / "parts"
    one.mkdir()
    pq.write_table(jail_records, one / "jail.parquet")
    _spark_parts(jail_records, parts / "spark-out" / "jail")
    build_hub(_hub(one, ["jail.parquet"]), quiet=True)
    build_hub(_hub(parts, ["spark-out/jail/*.parquet"]), quiet=True)
    for sql in ("SELECT * EXCLUDE (hub_row) FROM person ORDER BY id, hub_export",
                "SELECT * EXCLUDE (hub_row) FROM booking ORDER BY id",
                "SELECT rows_in, records_out, rows_rejected FROM hub_exports ORDER BY hub_export",
                "SELECT record_type, reasons, raw, issues FROM hub_rejects ORDER BY hub_export, raw"):
        assert _rows(one / "out" / "hub.duckdb", sql) == _rows(parts / "out" / "hub.duckdb", sql), sql


def _error(tmp_path: Path, table: pa.Table | bytes) -> InputError:
    if isinstance(table, bytes):
        (tmp_path / "jail.parquet").write_bytes(table)
    else:
        pq.write_table(table, tmp_path / "jail.parquet")
    with pytest.raises(InputError) as caught:
        build_hub(_hub(tmp_path, ["jail.parquet"]), quiet=True)
    assert caught.value.path is not None and caught.value.path.endswith("jail.parquet")
    return caught.value


def test_a_file_without_entity_type_is_a_clear_error(tmp_path: Path, jail_records: pa.Table) -> None:
    error = _error(tmp_path, jail_records.drop_columns(["entity_type"]))
    assert error.field == "entity_type" and "no entity_type column" in str(error)


def test_an_unknown_entity_type_names_the_row(tmp_path: Path, jail_records: pa.Table) -> None:
    kinds = jail_records.column("entity_type").to_pylist()
    kinds[3] = "spaceship"
    table = jail_records.set_column(0, "entity_type", pa.array(kinds, pa.string()))
    error = _error(tmp_path, table)
    assert (error.row, error.field) == (4, "entity_type") and "'spaceship'" in str(error)


def test_an_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    error = _error(tmp_path, b"PAR1 this is not parquet at all")
    assert "Parquet" in str(error)


def test_a_column_of_the_wrong_type_names_the_field(tmp_path: Path, jail_records: pa.Table) -> None:
    index = jail_records.schema.get_field_index("date_of_birth")
    table = jail_records.set_column(index, "date_of_birth", pa.array([[1]] * jail_records.num_rows))
    error = _error(tmp_path, table)
    assert error.field == "date_of_birth"


def test_canonical_takes_no_spec(tmp_path: Path) -> None:
    (tmp_path / "jail.parquet").write_bytes(b"")
    path = tmp_path / "hub.toml"
    path.write_text('[hub]\noutput = "out"\n[[export]]\nname = "x"\ntranslator = "canonical"\nspec = "s.toml"\n'
                    'files = ["jail.parquet"]\n', encoding="utf-8")
    with pytest.raises(HubConfigError, match=r"export\[1\]\.translator"):
        load_config(path)


def test_an_unchanged_canonical_export_is_reused(tmp_path: Path, jail_records: pa.Table) -> None:
    _spark_parts(jail_records, tmp_path / "spark-out")
    config = _hub(tmp_path, ["spark-out/*.parquet"])
    build_hub(config, quiet=True)
    first = _rows(tmp_path / "out" / "hub.duckdb", "SELECT * FROM person ORDER BY hub_row")
    log = io.StringIO()
    report = build_hub(config, force=True, log=log)
    assert report.exports_reused == ("slc-pd", "jail-spark")
    assert "jail-spark: unchanged, reused" in log.getvalue()
    assert _rows(tmp_path / "out" / "hub.duckdb", "SELECT * FROM person ORDER BY hub_row") == first
