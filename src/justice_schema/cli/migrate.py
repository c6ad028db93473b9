"""``justice-schema migrate``: carry a stored file of records to another schema version.

Reads JSON Lines (``.jsonl``/``.ndjson``), a JSON array (``.json``), Parquet
(``.parquet``) or Arrow IPC (``.arrow``/``.feather``/``.ipc``) and writes the same
format. Every input record ends up either in the output or in the reject file
(JSON Lines: where, reason, the record), and the counts are printed so they
reconcile: ``read = written + rejected``. Parquet and Arrow files are streamed batch
by batch (each batch migrated column-wise), so files bigger than memory migrate too;
JSON Lines is streamed line by line.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.cli import EXIT_DATA_ERRORS, EXIT_OK
from justice_schema.errors import InputError, JusticeSchemaError
from justice_schema.progress import Progress
from justice_schema.registry import SCHEMA_VERSIONS, check_version, parse
from justice_schema.v1 import version_key

__all__ = ["register", "run"]

_JSON_LINES = (".jsonl", ".ndjson")
_JSON = (".json",)
_PARQUET = (".parquet",)
_IPC = (".arrow", ".feather", ".ipc")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``migrate`` sub-command."""
    parser = sub.add_parser("migrate", help="upgrade or downgrade a stored file of records to another schema version")
    parser.add_argument("path", help="input file: .jsonl, .json, .parquet or .arrow")
    parser.add_argument("--to", required=True, choices=SCHEMA_VERSIONS, help="target schema version")
    parser.add_argument("--out", required=True, help="output file, same format as the input")
    parser.add_argument(
        "--policy", choices=("error", "extension", "drop"), default="error",
        help="downgrade only: a value the target version cannot hold is rejected (error, the default), "
             "kept in the _extensions field (extension), or removed and counted (drop)",
    )
    parser.add_argument("--rejects", help="reject file (JSON Lines); default: OUT with .rejects.jsonl")
    parser.add_argument("--entity", help="entity type of a Parquet/Arrow file that carries no metadata")
    parser.set_defaults(func=run)


def _kind(path: Path) -> str:
    name = path.name.lower()
    for kind, suffixes in (("jsonl", _JSON_LINES), ("json", _JSON), ("parquet", _PARQUET), ("ipc", _IPC)):
        if name.endswith(suffixes):
            return kind
    raise InputError("unknown file type; use .jsonl, .ndjson, .json, .parquet, .arrow, .feather or .ipc", path=str(path))


class _Counts:
    def __init__(self) -> None:
        self.read = 0
        self.written = 0
        self.rejected = 0
        self.removed: dict[str, int] = {}

    def add_removed(self, removed: dict[str, int]) -> None:
        for key, n in removed.items():
            self.removed[key] = self.removed.get(key, 0) + n


def _migrate_one(data: Any, to: str, policy: str, counts: _Counts, where: str) -> dict[str, Any]:
    from justice_schema.versioning import EXTENSIONS, downgrade, upgrade

    if not isinstance(data, dict):
        raise InputError(f"expected a JSON object, got {type(data).__name__}", path=where)
    declared = data.get("schema_version")
    if isinstance(declared, str) and declared in SCHEMA_VERSIONS and version_key(declared) > version_key(to):
        result = downgrade(data, to=to, policy=policy)
        out = result.records
        counts.add_removed(result.removed)
    else:
        out = upgrade(data, to=to)
    parse({k: v for k, v in out.items() if k != EXTENSIONS}, location=where)  # the output must be valid
    return out


def _json_records(path: Path, kind: str) -> Iterator[tuple[str, str, Any]]:
    """``(where, original text, parsed value or exception)`` per record."""
    if kind == "jsonl":
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{path}, line {number}"
                try:
                    yield where, line.rstrip("\n"), json.loads(line)
                except json.JSONDecodeError as exc:
                    yield where, line.rstrip("\n"), InputError(f"not valid JSON: {exc.msg} at column {exc.colno}")
        return
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", path=str(path)) from None
    items = doc if isinstance(doc, list) else [doc]
    for number, item in enumerate(items, start=1):
        yield f"{path}, record {number}", json.dumps(item, ensure_ascii=False), item


def _reject(handle: Any, where: str, reason: str, original: Any) -> None:
    handle.write(json.dumps({"where": where, "reason": reason, "record": original}, ensure_ascii=False, default=str) + "\n")


def _run_json(path: Path, out: Path, rejects: Any, kind: str, args: argparse.Namespace, counts: _Counts) -> None:
    migrated: list[dict[str, Any]] = []
    with Progress("migrate", total_bytes=path.stat().st_size) as progress, \
            (out.open("w", encoding="utf-8") if kind == "jsonl" else _NullWriter()) as sink:
        for where, text, value in _json_records(path, kind):
            counts.read += 1
            progress.advance(rows=1)
            if isinstance(value, Exception):
                counts.rejected += 1
                _reject(rejects, where, str(value), text)
                continue
            try:
                record = _migrate_one(value, args.to, args.policy, counts, where)
            except JusticeSchemaError as exc:
                counts.rejected += 1
                _reject(rejects, where, str(exc), value)
                continue
            counts.written += 1
            if kind == "jsonl":
                sink.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                migrated.append(record)
    if kind == "json":
        out.write_text(json.dumps(migrated, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


class _NullWriter:
    def __enter__(self) -> _NullWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def write(self, text: str) -> int:
        return 0


#: Rows per batch when streaming a Parquet or Arrow file.
BATCH_ROWS = 65_536


def _open_batches(path: Path, kind: str) -> tuple[pa.Schema, Iterator[pa.RecordBatch]]:
    """The file's schema and an iterator over its record batches (the file is read as it goes)."""
    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            parquet = pq.ParquetFile(path)
            return parquet.schema_arrow, parquet.iter_batches(batch_size=BATCH_ROWS)
        source = pa.memory_map(str(path), "r")
        try:
            reader = pa.ipc.open_file(source)
            return reader.schema, (reader.get_batch(i) for i in range(reader.num_record_batches))
        except pa.ArrowInvalid:
            source.seek(0)
            stream = pa.ipc.open_stream(source)
            return stream.schema, iter(stream)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"cannot read as {'Parquet' if kind == 'parquet' else 'Arrow IPC'}: {exc}", path=str(path)) from None


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


def _run_table(path: Path, out: Path, rejects: Any, kind: str, args: argparse.Namespace, counts: _Counts) -> None:
    """Stream the file batch by batch; each batch is migrated column-wise and written at once."""
    from justice_schema.versioning import downgrade, rows_losing_values, upgrade
    from justice_schema.versioning.migrations import table_entity_version

    schema, batches = _open_batches(path, kind)
    writer = _TableWriter(out, kind)
    entity: str | None = args.entity
    version: str | None = None
    try:
        with Progress("migrate", total_bytes=path.stat().st_size) as progress:
            for batch in batches:
                table = pa.Table.from_batches([batch], schema=schema)
                start = counts.read
                counts.read += table.num_rows
                progress.advance(rows=table.num_rows)
                if version is None:
                    entity, version = table_entity_version(table, entity)
                if version_key(version) > version_key(args.to):
                    if args.policy == "error":
                        losing = rows_losing_values(table, args.to, entity_type=entity)
                        if pc.any(losing).as_py():
                            bad = table.filter(losing)
                            indices = pc.indices_nonzero(losing).to_pylist()
                            for index, row in zip(indices, bad.to_pylist(), strict=True):
                                _reject(rejects, f"{path}, row {start + index + 1}",
                                        f"holds values schema {args.to} has no field for; "
                                        f"use --policy extension or drop", row)
                            counts.rejected += bad.num_rows
                            table = table.filter(pc.invert(losing))
                    result = downgrade(table, to=args.to, policy=args.policy, entity_type=entity)
                    counts.add_removed(result.removed)
                    migrated = result.records
                else:
                    migrated = upgrade(table, to=args.to, entity_type=entity)
                counts.written += migrated.num_rows
                writer.write(migrated)
            if writer.writer is None:  # no rows at all: still write an empty file in the target layout
                from justice_schema.arrow import arrow_schema

                empty = schema.empty_table()
                entity, _ = table_entity_version(empty, entity)
                writer.write(arrow_schema(entity, args.to).empty_table())
    finally:
        writer.close()


def run(args: argparse.Namespace) -> int:
    """Migrate one file; exit 1 when records were rejected."""
    check_version(args.to)
    path, out = Path(args.path), Path(args.out)
    if not path.is_file():
        raise InputError("no such file", path=str(path))
    kind = _kind(path)
    if _kind(out) != kind:
        raise InputError(f"write the same format as the input ({path.suffix})", path=str(out))
    rejects_path = Path(args.rejects) if args.rejects else out.with_name(out.name + ".rejects.jsonl")
    counts = _Counts()
    with rejects_path.open("w", encoding="utf-8") as rejects:
        if kind in ("jsonl", "json"):
            _run_json(path, out, rejects, kind, args, counts)
        else:
            _run_table(path, out, rejects, kind, args, counts)
    if not counts.rejected:
        rejects_path.unlink()
    removed = ", ".join(f"{k} {v}" for k, v in sorted(counts.removed.items())) or "none"
    verb = "kept in _extensions" if args.policy == "extension" else "removed"
    sys.stderr.write(
        f"migrate {path} -> {out} (schema {args.to}): read {counts.read}, written {counts.written}, "
        f"rejected {counts.rejected}" + (f" (see {rejects_path})" if counts.rejected else "")
        + f"; values {verb}: {removed}\n"
    )
    return EXIT_DATA_ERRORS if counts.rejected else EXIT_OK
