"""``justice-schema translate`` / ``translators``, the registry and third-party plugins."""

from __future__ import annotations

import json
import warnings
from importlib import metadata
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from justice_schema.cli import main
from justice_schema.translation import available_translators, builtin_spec_path, find_translator, registry
from justice_schema.translation.registry import UnknownTranslatorError

VENDORS = Path(__file__).resolve().parents[2] / "src" / "justice_schema" / "vendors"


def test_translate_writes_parquet_summary_and_exits_1_on_rejects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code = main(["translate", str(VENDORS / "acme_rms" / "samples" / "arrests.csv"), "--vendor", "acme_rms",
                 "--out", str(out), "--quiet"])
    assert code == 1
    summary = json.loads((out / "summary.json").read_text())
    assert summary["balanced"] and summary["rows_in"] == 60 and summary["rows_rejected"] == 2
    assert pq.read_table(out / "charge.parquet").num_rows == summary["records_out"]["charge"]
    assert pq.read_table(out / "rejects.parquet").num_rows == 2
    assert "60 rows in" in capsys.readouterr().out


def test_translate_exits_0_when_clean(tmp_path: Path) -> None:
    source = VENDORS / "acme_rms" / "samples" / "arrests.csv"
    clean = tmp_path / "clean.csv"
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    clean.write_text("".join(lines[:6]), encoding="utf-8")
    assert main(["translate", str(clean), "--vendor", "acme_rms", "--out", str(tmp_path / "o"), "--quiet"]) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["translate", "missing.csv", "--vendor", "acme_rms", "--out", "o"], "missing.csv: no such file"),
        (["translate", "{sample}", "--vendor", "nobody", "--out", "o"], "no translator 'nobody' is installed"),
        (["translate", "{sample}", "--spec", "{bad_spec}", "--out", "o"], "bad.toml"),
    ],
)
def test_bad_usage_exits_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str],
                                          message: str) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("spec_version = 1\n")
    sample = VENDORS / "acme_rms" / "samples" / "arrests.csv"
    args = [a.format(sample=sample, bad_spec=bad) if "{" in a else a for a in args]
    args = [str(tmp_path / a) if a == "o" else a for a in args]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_unreadable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    binary = tmp_path / "bookings.jsonl"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert main(["translate", str(binary), "--vendor", "cellblock_jms", "--out", str(tmp_path / "o")]) == 2
    assert "not utf-8 text" in capsys.readouterr().err


def test_translators_lists_the_builtin_ones(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["translators", "--json"]) == 0
    names = {row["name"] for row in json.loads(capsys.readouterr().out)}
    assert {"acme_rms", "cellblock_jms", "justiceware_courts", "fieldline_supervision"} <= names


class _FakeEntryPoint:
    def __init__(self, name: str, value: str, target: object) -> None:
        self.name, self.value, self._target = name, value, target

    def load(self) -> object:
        if isinstance(self._target, Exception):
            raise self._target
        return self._target


def test_plugins_are_listed_and_a_broken_one_only_warns(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    good = builtin_spec_path("acme_rms")
    fakes = [
        _FakeEntryPoint("acme_copy", "acme_plugin:spec", lambda: good),
        _FakeEntryPoint("broken", "broken_plugin:spec", ImportError("No module named 'broken_plugin'")),
        _FakeEntryPoint("not_a_path", "odd_plugin:spec", 42),
    ]

    def entry_points(group: str) -> list[_FakeEntryPoint]:
        assert group == registry.ENTRY_POINT_GROUP
        return fakes

    monkeypatch.setattr(metadata, "entry_points", entry_points)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found = available_translators()
    assert [i.origin for i in found if i.origin.startswith("plugin")] == ["plugin:acme_plugin"]
    assert sum("could not be loaded" in str(w.message) for w in caught) == 2
    assert main(["translators"]) == 0
    captured = capsys.readouterr()
    assert "plugin" in captured.out and "broken" in captured.err and "warning:" in captured.err


def test_find_translator_names_the_installed_ones() -> None:
    assert find_translator("acme_rms").spec_path == builtin_spec_path("acme_rms")
    with pytest.raises(UnknownTranslatorError, match="installed: acme_rms"):
        find_translator("nope")


def test_a_latin1_file_declared_utf8_is_one_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = (VENDORS / "fieldline_supervision" / "spec.toml").read_text(encoding="utf-8").replace(
        'encoding = "latin-1"', 'encoding = "utf-8"')
    (tmp_path / "spec.toml").write_text(spec, encoding="utf-8")
    sample = VENDORS / "fieldline_supervision" / "samples" / "supervision.txt"
    code = main(["translate", str(sample), "--spec", str(tmp_path / "spec.toml"), "--out", str(tmp_path / "o")])
    err = capsys.readouterr().err
    assert code == 2 and "not utf-8 text" in err and err.count("\n") == 1 and "Traceback" not in err


def test_translate_lists_the_first_1000_conflicts_unless_all_conflicts(tmp_path: Path) -> None:
    """One person on 999 charge rows under three names: two of every three rows conflict on family and given
    name (1,332 conflicts); conflicts.parquet holds the first 1,000 unless --all-conflicts, the summary counts all."""
    import csv

    with open(VENDORS / "acme_rms" / "samples" / "arrests.csv", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        names, first = next(reader), next(reader)
    export = tmp_path / "export.csv"
    with open(export, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(names)
        for i in range(999):
            row = list(first)
            row[names.index("Arrestee Name")] = ("DOE, JOHN", "ROE, JANE", "POE, JIM")[i % 3]
            row[names.index("Charge Seq")] = str(i + 1)
            writer.writerow(row)
    found = {}
    for flag in ([], ["--all-conflicts"]):
        out = tmp_path / ("all" if flag else "sample")
        assert main(["translate", str(export), "--vendor", "acme_rms", "--out", str(out), "--quiet",
                     "--extracted-at", "2024-01-01T00:00:00Z", *flag]) in (0, 1)
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        found[bool(flag)] = (pq.read_table(out / "conflicts.parquet").to_pylist(), summary)
    (sample, summary), (every, full) = found[False], found[True]
    total = sum(n for fields in full["dedupe_conflicts"].values() for n in fields.values())
    assert total == len(every) > 1_000
    assert sample == every[:1_000]
    assert summary["dedupe_conflicts"] == full["dedupe_conflicts"]
    assert summary["dedupe_conflicts_listed"] == 1_000 and "dedupe_conflicts_listed" not in full
