"""``justice-schema match``: the minimal columns, CSV and Parquet, explanations, clear errors."""

from __future__ import annotations

from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from justice_schema.cli import main
from justice_schema.identity.synthetic import GENERATED_COLUMNS, generate_people

MINIMAL_HEADER = ("id,given_name,middle_name,family_name,name_suffix,date_of_birth,sex,race,state_id,fbi_number,"
                  "drivers_license_number,postal_code")


def write_minimal(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([MINIMAL_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_exactly_the_minimal_columns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_minimal(tmp_path / "people.csv", [
        "1,John,,Smith,,1970-01-01,M,W,123,,,84101",
        "2,Johnny,Q,Smith,,1970-01-01,M,,123,,,",
        "3,Mary,,Jones,,,F,,,,,",
        "4,John,,Smith,JR,1995-01-01,M,W,,,,84101",
    ])
    out, links = tmp_path / "out.csv", tmp_path / "links.csv"
    assert main(["match", str(source), "--out", str(out), "--explain", str(links)]) == 0
    table = pacsv.read_csv(out)
    assert table.column_names == ["id", "person_uid", "rule"]
    uid = dict(zip(table.column("id").to_pylist(), table.column("person_uid").to_pylist(), strict=True))
    assert uid[1] == uid[2] and len({uid[1], uid[3], uid[4]}) == 3
    assert table.column("rule").to_pylist()[:2] == ["state_id", "state_id"]
    explained = pacsv.read_csv(links)
    assert explained.num_rows >= 1 and {"id_a", "id_b", "rule", "status"} <= set(explained.column_names)
    assert "matched 4 records into 3 people" in capsys.readouterr().err


def test_parquet_in_and_out_with_golden_records(tmp_path: Path) -> None:
    table, _ = generate_people(300, seed=4)
    assert table.column_names == list(GENERATED_COLUMNS)
    source = tmp_path / "people.parquet"
    pq.write_table(table, source)
    out, golden = tmp_path / "out.parquet", tmp_path / "golden.parquet"
    code = main(["match", str(source), "--out", str(out), "--golden", str(golden), "--no-progress"])
    assert code in (0, 1)  # generated data carries bad dates on purpose
    result = pq.read_table(out)
    assert result.num_rows == 300
    assert pq.read_table(golden).num_rows == len(set(result.column("person_uid").to_pylist()))


def test_bad_dates_are_reported_per_row_with_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_minimal(tmp_path / "p.csv", ["1,Ann,,Lee,,1980-02-31,,,,,,", "2,Ann,,Lee,,banana,,,,,,"])
    issues = tmp_path / "issues.csv"
    assert main(["match", str(source), "--out", str(tmp_path / "o.csv"), "--issues", str(issues)]) == 1
    err = capsys.readouterr().err
    assert "row 1, field 'date_of_birth': '1980-02-31': not a date" in err
    assert pacsv.read_csv(issues).column("id").to_pylist() == [1, 2]


@pytest.mark.parametrize(("content", "args", "message"), [
    (MINIMAL_HEADER + ",shoe_size\n", [], "unknown column(s) for the flat person layout: shoe_size"),
    ("given_name\nAnn\n", [], "missing required column: id"),
    (MINIMAL_HEADER + "\n1,Ann,,,,,,,,,,\n1,Bo,,,,,,,,,,\n", [], "row 2, field 'id': id '1' is repeated"),
    ("", [], "empty file"),
    (MINIMAL_HEADER + "\n", ["--rules", "/nonexistent/rules.toml"], "cannot read rules file"),
])
def test_bad_input_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str,
                                         args: list[str], message: str) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(content, encoding="utf-8")
    assert main(["match", str(source), "--out", str(tmp_path / "o.csv"), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_output_format_is_checked_before_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write_minimal(tmp_path / "p.csv", ["1,Ann,,Lee,,,,,,,,"])
    assert main(["match", str(source), "--out", str(tmp_path / "o.json")]) == 2
    assert "--out must end in .csv or .parquet" in capsys.readouterr().err
    assert not (tmp_path / "o.json").exists()
