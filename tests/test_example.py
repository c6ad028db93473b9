"""The end-to-end example runs and reconciles (it is what `make demo` runs)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_end_to_end_example(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("end_to_end", ROOT / "examples" / "end_to_end.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "records in: 14  valid: 13  rejected: 1" in out
    assert "kept apart" in out and out.count("same person  rule:") == 4
    assert (tmp_path / "validation-report.html").exists() and (tmp_path / "golden_persons.parquet").exists()
    # the county's case flow: Mary Johnson's arrest to probation is one case; a mistyped number is explained
    assert "convicted 2024-05-20, in prison 2024-06-03 to 2024-09-05, probation from 2024-09-05" in out
    assert "no arrest carries arrest transaction number A24-00018" in out
    assert (tmp_path / "cases.parquet").exists() and (tmp_path / "unlinked.parquet").exists()
    for entity in ("person", "incident", "arrest", "charge", "disposition", "booking", "supervision"):
        assert (tmp_path / f"{entity}.parquet").exists() and (tmp_path / f"{entity}.csv").exists()
