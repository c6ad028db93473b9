"""Carry a stored file of records to another schema version, writing the result safely.

:func:`migrate_file` is what ``justice-schema migrate`` runs. It reads JSON
Lines, a JSON array, Parquet or Arrow IPC and writes the same format. Every
record read ends up in the output or in the reject file (JSON Lines: where,
reason, the record): ``read == written + rejected``. Parquet and Arrow files
stream batch by batch (each migrated column-wise), JSON Lines line by line; a
line that cannot be a record (bad JSON, nesting too deep, a huge integer) is
one reject, not an aborted run. Both outputs go through temporary files that
are renamed into place only when the run finishes.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any, TextIO

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.errors import InputError, JusticeSchemaError
from justice_schema.files.atomic import AtomicFile
from justice_schema.files.safety import check_outputs, require_file
from justice_schema.io.readers import file_kind, iter_json_records, open_table
from justice_schema.progress import Progress
from justice_schema.registry import SCHEMA_VERSIONS, check_version, parse
from justice_schema.v1 import version_key

__all__ = ["MigrateSummary", "migrate_file", "POLICIES"]

#: What a downgrade does with a value the target version has no field for.
POLICIES = ("error", "extension", "drop")
_KINDS = ("jsonl", "json", "parquet", "ipc")

PathLike = str | os.PathLike[str]


@attrs.frozen(slots=True)
class MigrateSummary:
    """The counts of :func:`migrate_file`: ``read == written + rejected``.

    ``removed`` counts, per field, the values a downgrade removed (or, with the
    ``extension`` policy, kept in ``_extensions``); ``rejects`` is the reject
    file, ``None`` when nothing was rejected.
    """

    source: Path
    out: Path
    to: str
    read: int
    written: int
    rejected: int
    removed: dict[str, int]
    rejects: Path | None


class _Counts:
    def __init__(self) -> None:
        self.read = self.written = self.rejected = 0
        self.removed: Counter[str] = Counter()


def _reject(handle: TextIO, where: str, reason: str, original: Any) -> None:
    handle.write(json.dumps({"where": where, "reason": reason, "record": original}, ensure_ascii=False,
                            default=str) + "\n")


def _migrate_one(data: Any, to: str, policy: str, counts: _Counts, where: str) -> dict[str, Any]:
    from justice_schema.versioning import EXTENSIONS, downgrade, upgrade

    if not isinstance(data, dict):
        raise InputError(f"expected a JSON object, got {type(data).__name__}", path=where)
    declared = data.get("schema_version")
    if isinstance(declared, str) and declared in SCHEMA_VERSIONS and version_key(declared) > version_key(to):
        result = downgrade(data, to=to, policy=policy)
        out = result.records
        counts.removed.update(result.removed)
    else:
        out = upgrade(data, to=to)
    parse({k: v for k, v in out.items() if k != EXTENSIONS}, location=where)  # the output must be valid
    return out


def _run_json(source: Path, out: Path, rejects: TextIO, kind: str, to: str, policy: str, counts: _Counts,
              progress: Progress) -> None:
    migrated: list[dict[str, Any]] = []
    with out.open("w", encoding="utf-8") as sink:
        for record in iter_json_records(source):
            counts.read += 1
            progress.advance(rows=1)
            if record.problem is not None:
                counts.rejected += 1
                _reject(rejects, record.where, record.problem, record.text)
                continue
            try:
                value = _migrate_one(record.value, to, policy, counts, record.where)
            except JusticeSchemaError as exc:
                counts.rejected += 1
                _reject(rejects, record.where, str(exc), record.value)
                continue
            counts.written += 1
            if kind == "jsonl":
                sink.write(json.dumps(value, ensure_ascii=False) + "\n")
            else:
                migrated.append(value)
        if kind == "json":
            sink.write(json.dumps(migrated, ensure_ascii=False, indent=2) + "\n")


class _TableWriter:
    """Writes migrated batches to Parquet or an Arrow IPC file, opened on the first batch."""

    def __init__(self, out: Path, kind: str) -> None:
        self.out, self.kind = out, kind
        self.writer: Any = None
        self.sink: Any = None

    def write(self, table: pa.Table) -> None:
        if self.writer is None:
            if self.kind == "parquet":
                import pyarrow.parquet as pq

                self.writer = pq.ParquetWriter(self.out, table.schema)
            else:
                self.sink = pa.OSFile(str(self.out), "wb")
                self.writer = pa.ipc.new_file(self.sink, table.schema)
        self.writer.write_table(table)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        if self.sink is not None:
            self.sink.close()


def _run_table(source: Path, out: Path, rejects: TextIO, kind: str, to: str, policy: str, entity: str | None,
               counts: _Counts, progress: Progress) -> None:
    """Stream the file batch by batch; each batch is migrated column-wise and written at once."""
    from justice_schema.registry import entity_since
    from justice_schema.versioning import downgrade, entity_exists_in, rows_losing_values, upgrade
    from justice_schema.versioning.migrations import table_entity_version

    table_source = open_table(source)
    schema = table_source.schema
    writer = _TableWriter(out, kind)
    version: str | None = None
    try:
        for batch in table_source.batches():
            table = pa.Table.from_batches([batch], schema=schema)
            start = counts.read
            counts.read += table.num_rows
            progress.advance(rows=table.num_rows)
            if version is None:
                entity, version = table_entity_version(table, entity)
            if entity is not None and not entity_exists_in(entity, to):
                # the target version has no such entity: every row goes to the rejects, under any policy
                reason = (f"entity {entity!r} was added in schema {entity_since(entity)}; schema {to} has no "
                          f"{entity} records, so no policy can carry this row")
                for index, row in enumerate(table.to_pylist()):
                    _reject(rejects, f"{source}, row {start + index + 1}", reason, row)
                counts.rejected += table.num_rows
                continue
            if version_key(version) > version_key(to):
                if policy == "error":
                    losing = rows_losing_values(table, to, entity_type=entity)
                    if pc.any(losing).as_py():
                        bad = table.filter(losing)
                        indices = pc.indices_nonzero(losing).to_pylist()
                        for index, row in zip(indices, bad.to_pylist(), strict=True):
                            _reject(rejects, f"{source}, row {start + index + 1}",
                                    f"holds values schema {to} has no field for; use --policy extension or drop", row)
                        counts.rejected += bad.num_rows
                        table = table.filter(pc.invert(losing))
                result = downgrade(table, to=to, policy=policy, entity_type=entity)
                counts.removed.update(result.removed)
                migrated = result.records
            else:
                migrated = upgrade(table, to=to, entity_type=entity)
            counts.written += migrated.num_rows
            writer.write(migrated)
        if writer.writer is None:  # no rows at all: still write an empty file in the target layout
            from justice_schema.arrow import arrow_schema

            entity, _ = table_entity_version(schema.empty_table(), entity)
            if entity_exists_in(entity, to):  # (an entity the target lacks has no layout there)
                writer.write(arrow_schema(entity, to).empty_table())
    finally:
        writer.close()


def migrate_file(
    path: PathLike,
    out: PathLike,
    *,
    to: str,
    policy: str = "error",
    rejects: PathLike | None = None,
    entity: str | None = None,
    progress: Progress | None = None,
) -> MigrateSummary:
    """Migrate the records of ``path`` to schema version ``to``; write them to ``out`` (same format).

    ``policy`` (downgrades only): a value the target cannot hold rejects the
    record (``"error"``), is kept in ``_extensions`` (``"extension"``), or is
    removed and counted (``"drop"``). Rejected records go to ``rejects``
    (default: ``OUT.rejects.jsonl``), which is only left behind when something
    was rejected. ``entity`` names the entity of a Parquet/Arrow file without metadata.
    Neither output may be the input; both appear only when the run finishes.
    """
    check_version(to)
    if policy not in POLICIES:
        raise InputError(f"policy must be one of {', '.join(POLICIES)}, not {policy!r}")
    source, target = require_file(path), Path(out)
    kind = file_kind(source, _KINDS)
    if file_kind(target, _KINDS) != kind:
        raise InputError(f"write the same format as the input ({source.suffix})", path=str(target))
    rejects_path = Path(rejects) if rejects else target.with_name(target.name + ".rejects.jsonl")
    check_outputs([source], {"--out": target, "--rejects": rejects_path})
    counts = _Counts()
    with AtomicFile(target, "--out") as out_file, AtomicFile(rejects_path, "--rejects") as rejects_file, \
            Progress("migrate", total_bytes=source.stat().st_size, enabled=None if progress is None else False) as bar:
        meter = progress or bar
        with rejects_file.temp.open("w", encoding="utf-8") as handle:
            if kind in ("jsonl", "json"):
                _run_json(source, out_file.temp, handle, kind, to, policy, counts, meter)
            else:
                _run_table(source, out_file.temp, handle, kind, to, policy, entity, counts, meter)
        if kind in ("jsonl", "json") or out_file.temp.stat().st_size:
            out_file.commit()
        else:  # a table of an entity the target version lacks: no layout to write, every row rejected
            out_file.discard()
        if counts.rejected:
            rejects_file.commit()
        else:
            rejects_file.discard()
            if rejects_path.is_file():  # a reject file of an earlier run would now mislead
                rejects_path.unlink()
    return MigrateSummary(source, target, to, counts.read, counts.written, counts.rejected, dict(counts.removed),
                          rejects_path if counts.rejected else None)
