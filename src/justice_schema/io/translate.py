"""Translate vendor export files into a folder of canonical Parquet tables, safely.

:func:`translate_files` is what ``justice-schema translate`` runs. The folder
is written beside ``out`` under a temporary name and moved into place only
when the run finishes; an ``out`` that holds files from an earlier run is
refused unless ``overwrite`` is true.
"""

from __future__ import annotations

import inspect
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.errors import InputError, JusticeSchemaError
from justice_schema.files.atomic import AtomicFolder
from justice_schema.files.safety import check_outputs, files_in, require_file
from justice_schema.files.sinks import TableSink
from justice_schema.progress import Progress

__all__ = ["TranslateSummary", "translate_files", "reason_counts", "REJECT_FORMATS"]

#: Formats the rejects and instructions tables can be written in.
REJECT_FORMATS = ("parquet", "csv")
#: How many of the most frequent reject reasons the summary names.
TOP_REASONS = 3


@attrs.frozen(slots=True)
class TranslateSummary:
    """What :func:`translate_files` wrote, and the counts, which reconcile.

    ``rows_in == translated + instructions + not mapped + rows_rejected`` per
    record type (``reconciliation`` holds the detail, as ``summary.json`` does);
    ``top_reasons`` are the most frequent reject reasons with their counts.
    """

    translator: str
    out: Path
    rows_in: int
    records_out: dict[str, int]
    rows_rejected: int
    instructions: int
    top_reasons: tuple[tuple[str, int], ...]
    reconciliation: dict[str, Any]
    files: tuple[str, ...]

    @property
    def clean(self) -> bool:
        """True when no row was rejected."""
        return self.rows_rejected == 0

    def line(self) -> str:
        """The one-line summary the command line prints."""
        records = ", ".join(f"{n:,} {e}" for e, n in sorted(self.records_out.items())) or "no records"
        text = (f"{self.rows_in:,} rows in: {records}; {self.rows_rejected:,} rejected; "
                f"{self.instructions:,} instructions -> {self.out}")
        if self.top_reasons:
            text += "; top reject reasons: " + "; ".join(f"{reason} ({n:,})" for reason, n in self.top_reasons)
        return text


def reason_counts(reasons: pa.ChunkedArray | pa.Array, top: int = 5) -> list[tuple[str, int]]:
    """The ``top`` most frequent reasons of a ``list<string>`` reasons column, quoted values folded to ``…``."""
    flat = pc.list_flatten(reasons)
    if not len(flat):
        return []
    folded = pc.replace_substring_regex(flat, pattern="'[^']*'", replacement="…")
    counts = pc.value_counts(folded)
    pairs = sorted(zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist()),
                   key=lambda pair: (-pair[1], pair[0]))
    return pairs[:top]


def _relative_files(table: pa.Table, base: Path) -> pa.Table:
    """``source_file`` relative to the folder of the inputs (a few distinct values: done on the dictionary)."""
    if "source_file" not in table.column_names or not table.num_rows:
        return table
    encoded = table.column("source_file").combine_chunks().dictionary_encode()
    names = [None if n is None else _relative(n, base) for n in encoded.dictionary.to_pylist()]
    relative = pa.DictionaryArray.from_arrays(encoded.indices, pa.array(names, pa.string())).cast(pa.string())
    return table.set_column(table.column_names.index("source_file"), "source_file", relative)


def _relative(name: str, base: Path) -> str:
    try:
        return os.path.relpath(name, base)
    except ValueError:  # another drive on Windows
        return name


def _rejects_as_text(table: pa.Table) -> pa.Table:
    """Rejects for CSV: the ``reasons`` list joined by ``"; "``, the ``issues`` as ``issue_codes`` and ``issue_fields``.

    The two issue columns list each reason's code and field (``-`` for none) in the
    order of ``reasons``, ``"; "``-joined, as the rejects of ``validate`` do.
    """
    if "reasons" not in table.column_names:
        return table
    joined = pc.binary_join(table.column("reasons"), "; ")
    table = table.set_column(table.column_names.index("reasons"), "reasons", joined)
    if "issues" not in table.column_names:
        return table
    issues = table.column("issues").combine_chunks()
    where = table.column_names.index("issues")
    table = table.remove_column(where)
    for name, part in (("issue_fields", "field"), ("issue_codes", "code")):
        values = pc.fill_null(pc.struct_field(issues.values, part), "-")
        lists = pa.ListArray.from_arrays(issues.offsets, values)
        table = table.add_column(where, name, pc.binary_join(lists, "; "))
    return table


def _input_files(paths: list[Path], translator: Any) -> list[Path]:
    """The files a run may read, for the output check: a folder's files, or the file itself.

    Whether a folder is accepted at all is the translator's rule (:func:`assign_files`); an
    empty folder is named here, with the files the spec expects.
    """
    from justice_schema.translation.assign import folder_hint

    files: list[Path] = []
    for path in paths:
        if not path.is_dir():
            files.append(require_file(path))
            continue
        inside = files_in(path)
        if not inside and translator.program.main_files is not None:
            raise InputError(f"the folder holds no files; {folder_hint(translator.program)}", path=str(path))
        files.extend(inside)
    return files


def _make_translator(spec_path: Path, hook: Any, extracted_at: datetime | None,
                     params: Mapping[str, str] | None, all_conflicts: bool = False) -> Any:
    from justice_schema.translation import Translator

    options: dict[str, Any] = {"validate": hook, "extracted_at": extracted_at}
    if all_conflicts:
        options["conflict_sample"] = None
    if params:
        if "params" not in inspect.signature(Translator).parameters:
            raise InputError(f"this translator takes no parameters (got {', '.join(sorted(params))})")
        options["params"] = dict(params)
    try:
        return Translator(spec_path, **options)
    except JusticeSchemaError:
        raise
    except ValueError as exc:
        raise InputError(str(exc)) from None


def translate_files(
    paths: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    vendor: str | None = None,
    spec: str | os.PathLike[str] | None = None,
    overwrite: bool = False,
    validate: bool = True,
    extracted_at: datetime | None = None,
    params: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    rejects_format: str = "parquet",
    csv_raw: bool = False,
    all_conflicts: bool = False,
) -> TranslateSummary:
    """Translate vendor export ``paths`` into the folder ``out``; return the counts.

    Give ``vendor`` (an installed translator's name) or ``spec`` (a TOML spec
    path). ``out`` receives ``<entity>.parquet`` per entity,
    ``rejects.<fmt>`` and ``instructions.<fmt>`` (``rejects_format``
    ``"parquet"`` or ``"csv"``; CSV cells are neutralised against spreadsheet
    formulas unless ``csv_raw``) and ``summary.json``. The folder appears only
    when the run finishes; if ``out`` already holds files, ``overwrite=True``
    replaces them and anything else is an :class:`InputError`.
    ``extracted_at`` fixes the extraction instant (reproducible runs);
    ``params`` are the translator's named parameters. ``conflicts.<fmt>``
    lists the first 1,000 values dropped by merging duplicates (all are
    counted in ``summary.json``), or every one with ``all_conflicts``.
    """
    from justice_schema.translation import find_translator
    from justice_schema.translation.result import CONFLICT_SCHEMA, INSTRUCTION_SCHEMA, REJECT_SCHEMA

    if (vendor is None) == (spec is None):
        raise InputError("give exactly one of a vendor name or a spec file")
    if rejects_format not in REJECT_FORMATS:
        raise InputError(f"rejects format must be one of {', '.join(REJECT_FORMATS)}, not {rejects_format!r}")
    if extracted_at is not None and extracted_at.tzinfo is None:
        raise InputError("the extraction instant needs a time zone (for example 2024-01-31T00:00:00Z)")
    files = [Path(p) for p in paths]
    if not files:
        raise InputError("no input files given")
    spec_path = Path(spec) if spec is not None else find_translator(str(vendor)).spec_path
    hook = None
    if validate:
        from justice_schema.validation.hooks import translation_hook

        hook = translation_hook()
    translator = _make_translator(spec_path, hook, extracted_at, params, all_conflicts)
    inputs = _input_files(files, translator)
    target = Path(out)
    check_outputs([*inputs, spec_path], {"--out": target}, folders=["--out"])
    base = Path(os.path.commonpath([str(p.resolve() if p.is_dir() else p.resolve().parent) for p in files]))
    with AtomicFolder(target, overwrite=overwrite) as folder:
        schemas = {e.entity_type: e.schema for e in translator.program.entities}
        sinks = {entity: TableSink(folder.temp / f"{entity}.parquet", schema) for entity, schema in schemas.items()}
        reject_schema, instruction_schema = REJECT_SCHEMA, INSTRUCTION_SCHEMA
        if rejects_format == "csv":
            reject_schema = _rejects_as_text(REJECT_SCHEMA.empty_table()).schema
        rejects = TableSink(folder.temp / f"rejects.{rejects_format}", reject_schema, csv_raw=csv_raw)
        instructions = TableSink(folder.temp / f"instructions.{rejects_format}", instruction_schema, csv_raw=csv_raw)
        conflicts = TableSink(folder.temp / f"conflicts.{rejects_format}", CONFLICT_SCHEMA, csv_raw=csv_raw)
        reasons: Counter[str] = Counter()
        try:
            run = translator.stream(files, progress=progress)
            for batch in run:
                for entity, table in batch.tables.items():
                    sinks[entity].write(table)
                if batch.rejects.num_rows:
                    for reason, n in reason_counts(batch.rejects.column("reasons"), top=1000):
                        reasons[reason] += n
                    table = _relative_files(batch.rejects, base)
                    rejects.write(_rejects_as_text(table) if rejects_format == "csv" else table)
                if batch.instructions.num_rows:
                    instructions.write(_relative_files(batch.instructions, base))
                if batch.conflicts.num_rows:
                    conflicts.write(_relative_files(batch.conflicts, base))
        finally:
            for sink in [*sinks.values(), rejects, instructions, conflicts]:
                sink.close()
        rec = run.reconciliation
        summary = {"translator": translator.name, **rec.to_dict()}
        (folder.temp / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n",
                                                  encoding="utf-8")
        written = tuple(sorted(p.name for p in folder.temp.iterdir()))
        folder.commit()
    top = tuple(sorted(reasons.items(), key=lambda pair: (-pair[1], pair[0]))[:TOP_REASONS])
    return TranslateSummary(translator.name, target, rec.rows_in, dict(rec.records_out), rec.rows_rejected,
                            sum(rec.instruction_kinds.values()), top, summary, written)
