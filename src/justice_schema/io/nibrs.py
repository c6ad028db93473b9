"""The ``nibrs`` verbs file to file.

``nibrs export``: canonical record files in, a NIBRS flat file or XML document and a refusal list out.
``nibrs check``: a submission in, its errors in the FBI Error Data Set layout (CSV and
Parquet), the HTML report and the counts out (:func:`check_nibrs_file`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import attrs
import pyarrow as pa

from justice_schema.errors import InputError
from justice_schema.files import AtomicFile, AtomicFolder, TableSink, check_outputs
from justice_schema.io.readers import infer_entity, read_canonical
from justice_schema.nibrs import export_flatfile, export_xml
from justice_schema.nibrs.check import ERROR_SCHEMA, CheckResult, check_submission
from justice_schema.progress import Progress

__all__ = ["CHECK_OUTPUTS", "ExportSummary", "check_nibrs_file", "export_nibrs_file"]

#: The files ``nibrs check`` writes in its output folder.
CHECK_OUTPUTS = ("errors.csv", "errors.parquet", "report.html", "summary.json")


def check_nibrs_file(path: str | Path, out: str | Path, *, overwrite: bool = False,
                     progress: Progress | None = None) -> CheckResult:
    """Check the NIBRS submission at ``path`` and write :data:`CHECK_OUTPUTS` into the folder ``out``.

    ``errors.csv``/``errors.parquet`` hold one row per error
    (:data:`~justice_schema.nibrs.check.ERROR_SCHEMA`), ``report.html`` the page
    ``validate --html`` writes, ``summary.json`` the counts (segments read, refused,
    errors per FBI number) and the translation's reconciliation. The folder appears only
    when the run succeeds; ``out`` may not be the input.
    """
    check_outputs([path], {"--out": Path(out)})
    result = check_submission(path, progress=progress)
    counts: dict[str, int] = {}
    for number in result.errors.column("error_number").to_pylist():
        counts[number or "none"] = counts.get(number or "none", 0) + 1
    summary = {"file": Path(path).name, "format": result.format, "segments": result.segments,
               "segments_refused": result.segments_refused, "errors": result.errors.num_rows,
               "errors_by_fbi_number": dict(sorted(counts.items())),
               "translation": result.translation.summary()}
    with AtomicFolder(out, overwrite=overwrite) as folder:
        for name in ("errors.csv", "errors.parquet"):
            with TableSink(folder.temp / name, ERROR_SCHEMA, option="--out") as sink:
                sink.write(result.errors)
        result.report().to_html(folder.temp / "report.html")
        (folder.temp / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n",
                                                  encoding="utf-8")
        folder.commit()
    return result


@attrs.frozen(slots=True)
class ExportSummary:
    """Counts of one export; ``read == sum(written) + refused`` per entity."""

    read: dict[str, int]
    written: dict[str, int]
    refused: int
    #: Segments written (flat file) or reports (XML).
    segments: int
    refusals: Path | None


def export_nibrs_file(paths: Sequence[str | Path], out: str | Path, *, submission: str, city: str = "",
                      replacements: Iterable[str] = (), allow_errors: bool = False,
                      refusals: str | Path | None = None, format: str = "flat") -> ExportSummary:
    """Write canonical record files (one entity each: incident, property, victim, offender, arrest, person) as NIBRS.

    ``format`` is ``"flat"`` (the fixed-width flat file, Latin-1) or ``"xml"``
    (the IEPD 2019.1 XML document, UTF-8; ``city`` does not apply to it).

    Records failing an edit are refused and listed, one JSON object per line
    (entity, id, reasons naming the rule and FBI edit number), in ``refusals``
    (default: ``OUT`` with ``.refused.jsonl``), written only when there are
    some. Both outputs appear only when the run succeeds.
    """
    if format not in ("flat", "xml"):
        raise InputError(f"the format is flat or xml, got {format!r}", field="format")
    if not paths:
        raise InputError("give at least one canonical record file", field="paths")
    target = Path(out)
    refused_path = Path(refusals) if refusals is not None else target.with_suffix(target.suffix + ".refused.jsonl")
    check_outputs(paths, {"--out": target, "--refused": refused_path})
    tables: dict[str, list[pa.Table]] = {}
    for path in paths:
        entity, _ = infer_entity(path)
        table = read_canonical(path, entity)
        name = entity or (table.schema.metadata or {}).get(b"justice_schema.entity_type", b"").decode() or None
        if name is None:
            raise InputError("cannot tell which entity this file holds (no entity_type)", path=str(path))
        tables.setdefault(name, []).append(table)
    merged = {name: pa.concat_tables(parts, promote_options="permissive") if len(parts) > 1 else parts[0]
              for name, parts in tables.items()}
    if format == "xml":
        document = export_xml(merged, submission=submission, replacements=replacements, allow_errors=allow_errors)
        refused, written, count = document.refused, document.written, document.reports
        data = document.text().encode("utf-8")
    else:
        result = export_flatfile(merged, submission=submission, city=city, replacements=replacements,
                                 allow_errors=allow_errors)
        refused, written, count = result.refused, result.written, len(result.lines)
        text = result.text()
        try:
            data = text.encode("latin-1")
        except UnicodeEncodeError as exc:
            line = text.count("\n", 0, exc.start) + 1
            raise InputError(f"segment {line} holds {text[exc.start]!r}, which the NIBRS flat file (Latin-1) cannot "
                             "carry", path=str(target)) from None
    with AtomicFile(target, "--out") as handle:
        handle.temp.write_bytes(data)
        if refused:
            with AtomicFile(refused_path, "--refused") as listing:
                listing.temp.write_text("".join(r.json_line() for r in refused), encoding="utf-8")
                listing.commit()
        handle.commit()
    return ExportSummary({k: v.num_rows for k, v in merged.items()}, dict(written), len(refused), count,
                         refused_path if refused else None)
