"""Conformance kit for translator authors: run a translator on its samples and hold it to golden files.

A translator folder (the layout of the built-in ``justice_schema/vendors/<name>/``) holds::

    spec.toml        the mapping spec
    README.md        the format, its version and its source
    samples/         sample input files
    expected/        golden output: <entity>.jsonl, rejects.jsonl, summary.json

:func:`check_conformance` translates every file in ``samples/`` and checks

* that the spec loads and compiles;
* that the reconciliation balances (rows in = translated + instructions + rejected);
* that every output record is a valid record of its model (pydantic, the
  external contract) and that ids are unique within each entity;
* that the output, the rejects and the summary equal the golden files.

In a vendor's own test suite::

    from justice_schema.testing.conformance import assert_conformance

    def test_my_translator_conforms():
        assert_conformance("path/to/my_translator")

(or, in a ``tests/`` folder beside ``spec.toml``, start from :class:`VendorSamples`).

After a deliberate change, rewrite the golden files and review the diff::

    python -m justice_schema.testing.conformance --write path/to/my_translator

The command line takes translator folders or the names of installed
translators (built-in or plugins: installed plugins are loaded first, so the
transforms and readers they register are available). It exits 0 when every
translator conforms (or every golden file was written), 1 when one does not,
and 2 with one ``error:`` line when a folder, name or parameter cannot be used
(no ``spec.toml``, a spec error, an unknown or missing parameter, no samples).
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import warnings
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs
import pyarrow as pa

from justice_schema.arrow import from_table
from justice_schema.errors import InputError, JusticeSchemaError, RecordError
from justice_schema.files import files_in

if TYPE_CHECKING:
    from justice_schema.translation import TranslationResult

__all__ = [
    "GOLDEN_EXTRACTED_AT",
    "ConformanceReport",
    "check_conformance",
    "assert_conformance",
    "write_golden_files",
    "translate_samples",
    "canonical_json_lines",
    "assert_per_sample_goldens",
    "VendorSamples",
]

#: ``source.extracted_at`` of golden output, so that golden files do not change with the clock.
GOLDEN_EXTRACTED_AT = datetime(2000, 1, 1, tzinfo=UTC)


@attrs.frozen(slots=True)
class ConformanceReport:
    """The findings of :func:`check_conformance`; ``ok`` when there are none."""

    translator: str
    problems: tuple[str, ...]
    records_out: dict[str, int] = attrs.field(factory=dict)

    @property
    def ok(self) -> bool:
        """True when the translator conforms."""
        return not self.problems

    def __str__(self) -> str:
        if self.ok:
            return f"translator {self.translator!r} conforms ({self.records_out})"
        return f"translator {self.translator!r} does not conform:\n" + "\n".join(f"  - {p}" for p in self.problems)


def _sample_files(folder: Path) -> list[Path]:
    samples = folder / "samples"
    return files_in(samples) if samples.is_dir() else []


def canonical_json_lines(table: pa.Table) -> list[dict[str, Any]]:
    """Records of a canonical table as JSON-ready dicts (nulls and empty lists left out), validated by the model."""
    return [r.model_dump(mode="json", exclude_none=True, exclude_defaults=False) for r in from_table(table)]


def _reject_dicts(rejects: pa.Table) -> list[dict[str, Any]]:
    rows = rejects.to_pylist()
    for row in rows:
        row["source_file"] = Path(row["source_file"]).name if row["source_file"] else None
        row["reasons"] = sorted(row["reasons"] or [])
    return rows


def _instruction_dicts(instructions: pa.Table) -> list[dict[str, Any]]:
    rows = instructions.to_pylist()
    for row in rows:
        row["source_file"] = Path(row["source_file"]).name if row["source_file"] else None
    return rows


_conflict_dicts = _instruction_dicts  # the same: file names without their folder


def _run(folder: Path, samples: Sequence[Path] | None,  # type: ignore[no-untyped-def]
         params: Mapping[str, str] | None = None):
    from justice_schema.translation import Translator

    translator = Translator(folder / "spec.toml", extracted_at=GOLDEN_EXTRACTED_AT, params=params)
    files = list(samples) if samples is not None else _sample_files(folder)
    if not files:
        raise InputError("no sample files: samples/ is missing or empty", path=str(folder / "samples"))
    return translator, translator.translate(files)


def translate_samples(folder: str | Path, *names: str, params: Mapping[str, str] | None = None) -> TranslationResult:
    """Translate the translator in ``folder`` on its samples, as the golden files were made.

    ``names`` are file names in ``samples/`` (translated together, in that order);
    without any, every sample is. ``source.extracted_at`` is :data:`GOLDEN_EXTRACTED_AT`,
    so the result is comparable with ``expected/``. A translator's own tests use it
    to check what its golden files cannot show::

        result = translate_samples(HERE, "arrests.csv")
    """
    folder = Path(folder)
    _, result = _run(folder, [folder / "samples" / name for name in names] if names else None, params)
    return result


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _first_difference(expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> str:
    if len(expected) != len(actual):
        return f"{len(actual)} records where the golden file has {len(expected)}"
    for index, (want, got) in enumerate(zip(expected, actual), start=1):
        if want != got:
            keys = sorted(k for k in set(want) | set(got) if want.get(k) != got.get(k))
            ident = want.get("id") or want.get("source_line") or index
            details = "; ".join(f"{k}: expected {want.get(k)!r}, got {got.get(k)!r}" for k in keys[:3])
            return f"record {index} ({ident}) differs: {details}"
    return ""


def assert_per_sample_goldens(folder: str | Path, entities: Sequence[str]) -> None:
    """Check that the kit's golden files equal the per-sample goldens, concatenated in sample order.

    Some vendors derive the expected records of each sample by hand, in
    ``expected/<sample stem>/<entity>.jsonl``; the conformance kit compares the
    translator with ``expected/<entity>.jsonl`` (all samples in one run). This
    proves the two agree, so a golden file regenerated from the translator can
    never quietly replace a hand-derived one. Raises ``AssertionError`` naming
    the entity that differs.
    """
    from justice_schema.registry import parse

    root = Path(folder)
    samples = _sample_files(root)
    for entity in entities:
        hand = []
        for sample in samples:
            path = root / "expected" / sample.stem / f"{entity}.jsonl"
            for data in _read_jsonl(path) if path.exists() else []:
                data["source"]["extracted_at"] = GOLDEN_EXTRACTED_AT.isoformat()
                hand.append(parse(data).model_dump(mode="json", exclude_none=True))
        kit = _read_jsonl(root / "expected" / f"{entity}.jsonl")
        assert kit == hand, f"{root.name}: expected/{entity}.jsonl differs from the per-sample goldens"


def check_conformance(folder: str | Path, *, samples: Sequence[Path] | None = None,
                      params: Mapping[str, str] | None = None) -> ConformanceReport:
    """Check the translator in ``folder`` against its samples and golden files (see the module docs).

    ``params`` are the translator parameters to run the samples with (its ``[params]``).
    """
    folder = Path(folder)
    name = folder.name
    problems: list[str] = []
    try:
        translator, result = _run(folder, samples, params)
    except JusticeSchemaError as exc:
        return ConformanceReport(name, (f"the translator cannot run: {exc}",))
    name = translator.name
    if not (folder / "README.md").is_file():
        problems.append("README.md is missing (it names the format, its version and its source)")
    reconciliation = result.reconciliation
    if not reconciliation.balanced:
        problems.append(f"the reconciliation does not balance: {reconciliation.to_dict()['record_types']}")
    actual: dict[str, list[dict[str, Any]]] = {}
    for entity, table in result.tables.items():
        try:
            actual[entity] = canonical_json_lines(table)
        except RecordError as exc:
            problems.append(f"{entity} output is not valid against the schema: {exc}")
            continue
        ids = table.column("id").to_pylist()
        if len(ids) != len(set(ids)):
            problems.append(f"{entity} output repeats ids (set dedupe = true, or make the id keys unique)")
    expected_dir = folder / "expected"
    if not expected_dir.is_dir():
        problems.append(f"no golden files: {expected_dir} is missing (write them with --write)")
    else:
        for entity, records in actual.items():
            path = expected_dir / f"{entity}.jsonl"
            if not path.is_file():
                problems.append(f"golden file {path.name} is missing")
                continue
            difference = _first_difference(_read_jsonl(path), records)
            if difference:
                problems.append(f"{entity}: {difference}")
        for extra in sorted(expected_dir.glob("*.jsonl")):
            if extra.stem not in actual and extra.stem not in ("rejects", "instructions", "conflicts"):
                problems.append(f"golden file {extra.name} names an entity the translator does not produce")
        for label, rows in (("rejects", _reject_dicts(result.rejects)),
                            ("instructions", _instruction_dicts(result.instructions)),
                            ("conflicts", _conflict_dicts(result.conflicts))):
            path = expected_dir / f"{label}.jsonl"
            want = _read_jsonl(path) if path.is_file() else []
            difference = _first_difference(want, rows)
            if difference:
                problems.append(f"{label}: {difference}")
        summary_path = expected_dir / "summary.json"
        if summary_path.is_file():
            want_summary = json.loads(summary_path.read_text(encoding="utf-8"))
            got_summary = json.loads(result.summary_json())
            for key in sorted(set(want_summary) | set(got_summary)):
                if want_summary.get(key) != got_summary.get(key):
                    problems.append(f"summary.json {key}: expected {want_summary.get(key)!r}, "
                                    f"got {got_summary.get(key)!r}")
        else:
            problems.append("golden file summary.json is missing")
    return ConformanceReport(name, tuple(problems), dict(reconciliation.records_out))


def assert_conformance(folder: str | Path, *, samples: Sequence[Path] | None = None,
                       params: Mapping[str, str] | None = None) -> ConformanceReport:
    """:func:`check_conformance`, raising ``AssertionError`` listing every problem when there is one."""
    report = check_conformance(folder, samples=samples, params=params)
    if not report.ok:
        raise AssertionError(str(report))
    return report


@functools.cache
def _translated_once(folder: Path, names: tuple[str, ...]) -> TranslationResult:
    return translate_samples(folder, *names)


@attrs.frozen(slots=True)
class VendorSamples:
    """A translator folder and the samples its own tests read: the golden test and the cached result in one.

    A translator's ``tests/test_<name>.py`` (beside ``spec.toml`` one folder up) starts::

        SAMPLES = VendorSamples.beside(__file__, "arrests.csv")

        def test_conforms_to_golden_files() -> None:
            SAMPLES.assert_conformance()

    and its other tests read ``SAMPLES.result()``: the samples translated once per
    process, exactly as the golden files were made (:func:`translate_samples`), or
    ``SAMPLES.by_id("arrest")``: one entity's records keyed by id.
    """

    folder: Path
    names: tuple[str, ...]

    @classmethod
    def beside(cls, test_file: str | Path, *names: str) -> VendorSamples:
        """The translator whose ``tests/`` folder holds ``test_file``, reading the samples ``names`` (all if none)."""
        return cls(Path(test_file).resolve().parents[1], names)

    def result(self) -> TranslationResult:
        """The samples translated (once per process; later calls return the same result)."""
        return _translated_once(self.folder, self.names)

    def assert_conformance(self) -> ConformanceReport:
        """:func:`assert_conformance` on the translator folder (every sample, all golden files)."""
        return assert_conformance(self.folder)

    def by_id(self, entity: str) -> dict[str, dict[str, Any]]:
        """The translated records of ``entity`` (:meth:`result`'s table, as dicts) keyed by their ``id``."""
        return {record["id"]: record for record in self.result().tables[entity].to_pylist()}


def write_golden_files(folder: str | Path, *, samples: Sequence[Path] | None = None,
                       params: Mapping[str, str] | None = None) -> list[Path]:
    """Translate the samples (with the translator ``params``) and (re)write ``expected/``; review the diff."""
    folder = Path(folder)
    _, result = _run(folder, samples, params)
    expected = folder / "expected"
    expected.mkdir(exist_ok=True)
    for old in expected.glob("*.jsonl"):
        old.unlink()
    written = []
    for entity, table in result.tables.items():
        path = expected / f"{entity}.jsonl"
        lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in canonical_json_lines(table)]
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        written.append(path)
    for label, rows in (("rejects", _reject_dicts(result.rejects)),
                        ("instructions", _instruction_dicts(result.instructions)),
                        ("conflicts", _conflict_dicts(result.conflicts))):
        if rows:
            path = expected / f"{label}.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows),
                            encoding="utf-8")
            written.append(path)
    summary = expected / "summary.json"
    summary.write_text(result.summary_json() + "\n", encoding="utf-8")
    written.append(summary)
    return written


def load_plugins() -> list[str]:
    """Load every installed translator plugin (entry-point group ``justice_schema.translators``).

    Loading runs the plugin's entry point, which registers the transforms and
    readers its spec uses. Returns the warnings of plugins that failed to load.
    """
    from justice_schema.translation.registry import available_translators

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        available_translators()
    return [str(w.message) for w in caught]


def resolve_folder(target: str) -> Path:
    """A translator folder from a path or the name of an installed translator.

    Raises :class:`~justice_schema.errors.InputError` when ``target`` is neither
    a folder holding ``spec.toml`` nor an installed translator's name.
    """
    path = Path(target)
    if path.is_dir():
        if not (path / "spec.toml").is_file():
            raise InputError("not a translator folder: it has no spec.toml", path=str(path))
        return path
    if path.exists():
        raise InputError("not a folder (give a translator folder or an installed translator's name)",
                         path=str(path))
    from justice_schema.translation.registry import UnknownTranslatorError, find_translator

    try:
        return find_translator(target).spec_path.parent
    except UnknownTranslatorError as exc:
        raise InputError(f"no such folder, and {exc}", path=target) from None


def main(argv: Sequence[str] | None = None) -> int:
    """Check (or with ``--write``, rewrite) the golden files of translator folders; the exit status."""
    prog = "python -m justice_schema.testing.conformance"
    parser = argparse.ArgumentParser(prog=prog, description="Check translators against their samples and golden "
                                                            "files.")
    parser.add_argument("targets", nargs="+", metavar="FOLDER_OR_NAME",
                        help="translator folders (spec.toml, samples/, expected/) or installed translators' names")
    parser.add_argument("--write", action="store_true", help="rewrite expected/ from the current output")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                        help="a translator parameter (its spec's [params]); repeat for several")
    args = parser.parse_args(argv)
    params: dict[str, str] = {}
    for item in args.param:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            sys.stderr.write(f"{prog}: error: --param {item!r}: give NAME=VALUE\n")
            return 2
        params[name.strip()] = value
    for text in load_plugins():
        sys.stderr.write(f"warning: {text}\n")
    status = 0
    try:
        folders = [resolve_folder(t) for t in args.targets]
        for folder in folders:
            if args.write:
                for path in write_golden_files(folder, params=params or None):
                    print(f"wrote {path}")
            else:
                from justice_schema.translation import Translator

                Translator(folder / "spec.toml", params=params or None)  # a spec or parameter error: exit 2
                report = check_conformance(folder, params=params or None)
                print(report)
                status = status or (0 if report.ok else 1)
    except JusticeSchemaError as exc:
        sys.stderr.write(f"{prog}: error: {exc}\n")
        return 2
    except OSError as exc:
        sys.stderr.write(f"{prog}: error: {exc.filename or ''}: {exc.strerror}\n")
        return 2
    return status


if __name__ == "__main__":
    raise SystemExit(main())
