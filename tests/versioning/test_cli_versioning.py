"""The command line: schema list / export / diff, and migrate."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from justice_schema import SCHEMA_VERSIONS, from_table, json_schema, parse, to_table
from justice_schema.cli import main
from justice_schema.registry import entity_types
from justice_schema.versioning import EXTENSIONS, check_compatibility

from ..conftest import source


def person(i: int, **extra):
    return {"entity_type": "person", "schema_version": "1.1", "id": f"p-{i}", "source": source(str(i)), **extra}


def test_schema_list_shows_every_version_and_status(capsys):
    assert main(["schema", "list"]) == 0
    out = capsys.readouterr().out
    assert "1.0      supported" in out and "1.1      supported" in out and "1.2      current" in out
    assert main(["schema", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["version"] for r in rows] == list(SCHEMA_VERSIONS)
    assert [r["status"] for r in rows].count("current") == 1


def test_schema_show_still_works(capsys):
    assert main(["schema", "show", "person", "--schema-version", "1.0"]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema("person", "1.0")


@pytest.mark.parametrize("version", SCHEMA_VERSIONS)
def test_schema_export_writes_files_other_tools_read(tmp_path, capsys, version):
    assert main(["schema", "export", "--version", version, "--out", str(tmp_path)]) == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["schema_version"] == version and set(manifest["entities"]) == set(entity_types(version))
    for entity in entity_types(version):
        assert json.loads((tmp_path / f"{entity}.schema.json").read_text()) == json_schema(entity, version)
        with pa.OSFile(str(tmp_path / f"{entity}.arrow"), "rb") as handle:
            schema = pa.ipc.open_stream(handle).schema
        assert schema.metadata[b"justice_schema.schema_version"] == version.encode()
    # the exported folder is itself a schema the checker reads, identical to the release
    assert check_compatibility(version, str(tmp_path), "FULL").findings == ()


def test_schema_diff_exit_codes(capsys, tmp_path):
    assert main(["schema", "diff", "1.0", "1.1"]) == 0
    assert "compatible under BACKWARD" in capsys.readouterr().out
    assert main(["schema", "diff", "1.0", "1.1", "--mode", "FULL"]) == 1
    assert "NOT compatible under FULL" in capsys.readouterr().out
    assert main(["schema", "diff", "1.1", "1.0", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["compatible"] is False
    assert main(["schema", "diff", "1.0", "7.3"]) == 2
    assert "not shipped by this release" in capsys.readouterr().err
    assert main(["schema", "diff", "1.0", "1.1", "--mode", "SIDEWAYS"]) == 2


def test_migrate_json_lines_with_rejects_that_reconcile(tmp_path, capsys):
    path = tmp_path / "people.jsonl"
    rows = [person(1), person(2, gender_identity="NON_BINARY"), person(3)]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n{oops\n")
    out = tmp_path / "people-1.0.jsonl"
    assert main(["migrate", str(path), "--to", "1.0", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "read 4, written 2, rejected 2" in err
    written = [json.loads(line) for line in out.read_text().splitlines()]
    assert [parse(r).schema_version for r in written] == ["1.0", "1.0"]
    rejects = [json.loads(line) for line in (tmp_path / "people-1.0.jsonl.rejects.jsonl").read_text().splitlines()]
    assert [r["where"] for r in rejects] == [f"{path}, line 2", f"{path}, line 4"]
    assert "gender_identity" in rejects[0]["reason"] and "not valid JSON" in rejects[1]["reason"]


def test_migrate_round_trip_keeps_values_in_extensions(tmp_path, capsys):
    path = tmp_path / "people.json"
    rows = [person(1, gender_identity="FEMALE", gender_identity_raw="f"), person(2)]
    path.write_text(json.dumps(rows))
    down, up = tmp_path / "down.json", tmp_path / "up.json"
    assert main(["migrate", str(path), "--to", "1.0", "--out", str(down), "--policy", "extension"]) == 0
    assert "values kept in _extensions: person.gender_identity 1, person.gender_identity_raw 1" in capsys.readouterr().err
    assert json.loads(down.read_text())[0][EXTENSIONS] == {"gender_identity": "FEMALE", "gender_identity_raw": "f"}
    assert main(["migrate", str(down), "--to", "1.1", "--out", str(up)]) == 0
    assert [parse(r) for r in json.loads(up.read_text())] == [parse(r) for r in rows]


@pytest.mark.parametrize("suffix", [".parquet", ".arrow"])
def test_migrate_tables(tmp_path, capsys, suffix):
    records = [parse(person(1, gender_identity="MALE")), parse(person(2))]
    path = tmp_path / f"people{suffix}"
    table = to_table(records)
    if suffix == ".parquet":
        pq.write_table(table, path)
    else:
        with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
    out = tmp_path / f"down{suffix}"
    assert main(["migrate", str(path), "--to", "1.0", "--out", str(out)]) == 1  # policy error: row 1 rejected
    assert "read 2, written 1, rejected 1" in capsys.readouterr().err
    rejects = (tmp_path / f"down{suffix}.rejects.jsonl").read_text().splitlines()
    assert json.loads(rejects[0])["where"].endswith("row 1")
    assert main(["migrate", str(path), "--to", "1.0", "--out", str(out), "--policy", "drop"]) == 0
    assert "values removed: person.gender_identity 1" in capsys.readouterr().err
    migrated = pq.read_table(out) if suffix == ".parquet" else pa.ipc.open_file(str(out)).read_all()
    assert [r.schema_version for r in from_table(migrated)] == ["1.0", "1.0"]


def test_migrate_bad_usage(tmp_path, capsys):
    assert main(["migrate", str(tmp_path / "none.jsonl"), "--to", "1.0", "--out", str(tmp_path / "o.jsonl")]) == 2
    assert "no such file" in capsys.readouterr().err
    path = tmp_path / "x.csv"
    path.write_text("a\n")
    assert main(["migrate", str(path), "--to", "1.0", "--out", str(tmp_path / "o.csv")]) == 2
    assert "unknown file type" in capsys.readouterr().err


def test_migrate_streams_batches_with_row_numbers_across_them(tmp_path, capsys, monkeypatch):
    from justice_schema.io import readers

    monkeypatch.setattr(readers, "BATCH_ROWS", 2)
    rows = [person(i, **({"gender_identity": "FEMALE"} if i in (2, 5) else {})) for i in range(1, 6)]
    path = tmp_path / "people.parquet"
    original = to_table([parse(r) for r in rows])
    pq.write_table(original, path, row_group_size=2)
    out = tmp_path / "down.parquet"
    assert main(["migrate", str(path), "--to", "1.0", "--out", str(out)]) == 1
    assert "read 5, written 3, rejected 2" in capsys.readouterr().err
    rejects = [json.loads(line)["where"] for line in (tmp_path / "down.parquet.rejects.jsonl").read_text().splitlines()]
    assert rejects == [f"{path}, row 2", f"{path}, row 5"]
    kept = tmp_path / "kept.parquet"
    assert main(["migrate", str(path), "--to", "1.0", "--out", str(kept), "--policy", "extension"]) == 0
    back = tmp_path / "back.parquet"
    assert main(["migrate", str(kept), "--to", "1.1", "--out", str(back)]) == 0
    assert from_table(pq.read_table(back)) == from_table(original)


def test_migrate_an_empty_table_writes_an_empty_file_in_the_target_layout(tmp_path, capsys):
    path = tmp_path / "none.parquet"
    pq.write_table(to_table([], entity_type="booking", schema_version="1.0"), path)
    out = tmp_path / "none-1.1.parquet"
    assert main(["migrate", str(path), "--to", "1.1", "--out", str(out)]) == 0
    table = pq.read_table(out)
    assert table.num_rows == 0 and "custody_level" in table.column_names
