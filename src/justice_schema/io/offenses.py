"""Classify the offense texts of a stored CSV or Parquet file, writing the classifications safely.

:func:`classify_file` is what ``justice-schema classify-offenses`` runs. It reads the input
(every CSV column as text), classifies the description column and/or the statute column
(:func:`justice_schema.offenses.classify_offenses`, each distinct text once), and writes
every input row with the classification columns appended, through a temporary file renamed
into place when the run succeeds. Nothing is dropped: rows that no rule classifies are
written with ``offense_status = unclassified`` and the reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.errors import InputError
from justice_schema.files.atomic import AtomicFile
from justice_schema.files.safety import check_outputs, require_file, require_output_folder
from justice_schema.files.sinks import TableSink, table_format
from justice_schema.io.readers import read_whole_table
from justice_schema.offenses import (
    OUTPUT_SCHEMA,
    CoverageSummary,
    classify_offenses,
    coverage_summary,
    load_crosswalk,
    load_vocabulary,
)
from justice_schema.progress import Progress

__all__ = ["ClassifySummary", "classify_file", "STATE_CODE"]

PathLike = str | os.PathLike[str]
#: What ``--state`` accepts: a two-letter state code.
STATE_CODE = "two-letter state code"


@attrs.frozen(slots=True)
class ClassifySummary:
    """What :func:`classify_file` did: the coverage summary and the file written."""

    coverage: CoverageSummary
    written: Path
    vocabulary: str



def _column(table: pa.Table, name: str, option: str, file: Path) -> pa.Array:
    if name not in table.column_names:
        raise InputError(f"no column {name!r} ({option}); columns: {', '.join(table.column_names) or 'none'}",
                         path=str(file), field=name)
    column = table.column(name)
    if pa.types.is_binary(column.type) or pa.types.is_large_binary(column.type):
        raise InputError("holds bytes, not text", path=str(file), field=name)
    try:
        return pc.cast(column, pa.string()).combine_chunks()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise InputError(f"cannot be read as text ({column.type})", path=str(file), field=name) from None


def classify_file(path: PathLike, out: PathLike, *, column: str | None = "description",
                  statute_column: str | None = None, state: str | None = None, state_column: str | None = None,
                  crosswalk: PathLike | None = None, vocabulary: PathLike | None = None, top: int = 20,
                  progress: Progress | None = None, csv_raw: bool = False) -> ClassifySummary:
    """Classify ``column`` (and/or ``statute_column``) of ``path``; write rows + classification to ``out``.

    ``state`` is the two-letter code of every row (or ``state_column`` names a column with
    it); ``crosswalk`` a statute crosswalk CSV; ``vocabulary`` a replacement vocabulary TOML.
    ``out`` is ``.csv`` or ``.parquet`` and may not be an input. Raises
    :class:`~justice_schema.errors.InputError` naming the file, row or column for input
    that cannot be used; returns the coverage summary (``top`` commonest unclassified texts).
    """
    if column is None and statute_column is None:
        raise InputError("nothing to classify: give --column and/or --statute-column")
    if state is not None and (len(state) != 2 or not state.isalpha()):
        raise InputError(f"--state {state!r} is not a {STATE_CODE}")
    table_format(out, "--out")
    require_output_folder(out, "--out")
    file = require_file(path)
    extra = [Path(p) for p in (crosswalk, vocabulary) if p is not None]
    for p in extra:
        require_file(p)
    check_outputs([file, *extra], {"--out": out})
    vocab = load_vocabulary(vocabulary) if vocabulary is not None else load_vocabulary()
    cross = load_crosswalk(crosswalk, vocab) if crosswalk is not None else None
    table = read_whole_table(file)
    clash = [name for name in OUTPUT_SCHEMA.names if name in table.column_names]
    if clash:
        raise InputError(f"already has column(s) {', '.join(clash)} that the classification writes; rename them",
                         path=str(file))
    descriptions = _column(table, column, "--column", file) if column is not None else None
    statutes = _column(table, statute_column, "--statute-column", file) if statute_column is not None else None
    states: pa.Array | str | None = state.upper() if state else None
    if state_column is not None:
        states = _column(table, state_column, "--state-column", file)
    result = classify_offenses(descriptions, statutes, states, vocabulary=vocab, crosswalk=cross)
    if progress is not None:
        progress.advance(table.num_rows)
    shown = descriptions if descriptions is not None else statutes
    if descriptions is not None and statutes is not None:
        shown = pc.binary_join_element_wise(pc.fill_null(statutes, ""), pc.fill_null(descriptions, ""),
                                            pa.scalar(" "))
        shown = pc.utf8_trim_whitespace(shown)
    assert shown is not None
    summary = coverage_summary(shown, result, top=top)
    output = table
    for field in OUTPUT_SCHEMA:
        output = output.append_column(field, result.column(field.name))
    with AtomicFile(out, "--out") as atomic:
        with TableSink(atomic.temp, output.schema, name=atomic.target, csv_raw=csv_raw, option="--out") as sink:
            sink.write(output)
        written = atomic.commit()
    return ClassifySummary(summary, written, f"{vocab.name} {vocab.version}")
