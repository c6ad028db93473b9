"""Match a stored file of person records into people, writing the assignments safely.

:func:`match_file` is what ``justice-schema match`` runs. It reads the flat
person layout (CSV or Parquet, as text so a bad value is a data issue) or the
canonical person table that ``translate`` and ``validate`` write (Parquet or
JSON Lines), and writes each output through a temporary file renamed into
place when the run succeeds.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.errors import InputError
from justice_schema.files.atomic import AtomicFile
from justice_schema.files.safety import check_outputs, require_file, require_output_folder
from justice_schema.files.sinks import TableSink, table_format
from justice_schema.io.readers import file_kind, read_canonical, read_csv_columns
from justice_schema.progress import Progress

if TYPE_CHECKING:
    from justice_schema.identity.match import MatchResult

__all__ = ["MatchSummary", "match_file", "read_person_file"]

PathLike = str | os.PathLike[str]


@attrs.frozen(slots=True)
class MatchSummary:
    """The outcome of :func:`match_file`: the counts, the written files, and the full result."""

    records: int
    people: int
    links: int
    issues: int
    written: tuple[Path, ...]
    result: MatchResult = attrs.field(repr=False)

    @property
    def clean(self) -> bool:
        """True when no value had to be set aside as a data issue."""
        return self.issues == 0


def read_person_file(path: PathLike) -> pa.Table:
    """Person records for matching: a flat-layout CSV/Parquet (text is fine) or a canonical person table.

    Raises :class:`InputError` naming the file for unknown columns, a missing
    ``id`` column, or a file that cannot be read.
    """
    from justice_schema.flat import flat_columns

    file = require_file(path)
    kind = file_kind(file, ("csv", "parquet", "ipc", "jsonl", "json"))
    # CSV cells as bytes: a name that is not UTF-8 is a data issue of its row, not a lost file
    table = read_csv_columns(file, as_bytes=True) if kind == "csv" else read_canonical(file, "person", keep_flat=True)
    nested = "source" in table.column_names and pa.types.is_struct(table.schema.field("source").type)
    if nested:
        kinds = [k for k in pc.unique(table.column("entity_type")).to_pylist() if k] if "entity_type" in table.column_names else []
        if kinds and kinds != ["person"]:
            raise InputError(f"holds {', '.join(map(str, kinds))} records, not person records", path=str(path))
        return table
    known = {c.name for c in flat_columns("person")}
    unknown = [name for name in table.column_names if name not in known]
    if unknown:
        raise InputError(f"unknown column(s) for the flat person layout: {', '.join(unknown)}", path=str(path))
    if "id" not in table.column_names:
        raise InputError("missing required column: id", path=str(path))
    return table


def _write(table: pa.Table, target: AtomicFile, option: str, csv_raw: bool) -> None:
    if table_format(target.target, option) == "csv":
        for index, field in enumerate(table.schema):
            if pa.types.is_list(field.type):
                joined = pc.binary_join(pc.cast(table.column(index), pa.list_(pa.string())), " ")
                table = table.set_column(index, field.name, joined)
    with TableSink(target.temp, table.schema, name=target.target, csv_raw=csv_raw, option=option) as sink:
        sink.write(table)


def _write_batches(batches: Iterator[pa.RecordBatch], empty: Callable[[], pa.Table], target: AtomicFile,
                   option: str, csv_raw: bool) -> None:
    """Write record batches one at a time (memory for one batch, however many links there are)."""
    first = next(batches, None)
    if first is None:  # no batch at all: the empty table gives the header
        _write(empty(), target, option, csv_raw)
        return
    with TableSink(target.temp, first.schema, name=target.target, csv_raw=csv_raw, option=option) as sink:
        sink.write(first)
        for batch in batches:
            sink.write(batch)


def match_file(
    path: PathLike,
    out: PathLike,
    *,
    explain: PathLike | None = None,
    issues: PathLike | None = None,
    golden: PathLike | None = None,
    rules: PathLike | None = None,
    progress: Progress | None = None,
    csv_raw: bool = False,
) -> MatchSummary:
    """Match the person records in ``path``; write ``id, person_uid, rule`` per record to ``out``.

    ``explain`` gets every link with its rule and field scores, ``issues`` the
    values that could not be used, ``golden`` one golden record per person.
    Each output is ``.csv`` or ``.parquet``; none may be an input. Outputs are
    written to temporary files and renamed into place together at the end.
    """
    from justice_schema.identity import golden_records, load_rules, match_persons

    outputs = {"--out": out, "--explain": explain, "--issues": issues, "--golden": golden}
    for option, target in outputs.items():
        if target is not None:
            table_format(target, option)
            require_output_folder(target, option)
    inputs = [Path(path)] + ([Path(rules)] if rules else [])
    check_outputs(inputs, outputs)
    ruleset = load_rules(Path(rules) if rules is not None else None)
    table = read_person_file(path)
    result = match_persons(table, rules=ruleset, progress=progress, path=str(path))
    tables = {"--out": lambda: result.assignments(),
              "--issues": lambda: result.issues_table(), "--golden": lambda: golden_records(result)}
    written: list[Path] = []
    with ExitStack() as stack:
        pending = []
        for option, target in outputs.items():
            if target is None:
                continue
            atomic = stack.enter_context(AtomicFile(target, option))
            if option == "--explain":
                _write_batches(result.links_batches(), result.links_table, atomic, option, csv_raw)
            else:
                _write(tables[option](), atomic, option, csv_raw)
            pending.append(atomic)
        for atomic in pending:
            written.append(atomic.commit())
    return MatchSummary(len(result.ids), result.person_count, len(result.links), len(result.issues),
                        tuple(written), result)
