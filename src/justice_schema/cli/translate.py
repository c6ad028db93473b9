"""``justice-schema translate`` and ``justice-schema translators``: vendor exports to canonical Parquet."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

import pyarrow.parquet as pq

from justice_schema.errors import InputError
from justice_schema.progress import Progress

__all__ = ["register", "run_translate", "run_translators"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``translate`` and ``translators`` sub-commands."""
    parser = sub.add_parser(
        "translate",
        help="translate vendor export files into canonical Parquet tables",
        description="Translate vendor export files into DIR/<entity>.parquet, DIR/rejects.parquet, "
                    "DIR/instructions.parquet and DIR/summary.json. Exit 0 when clean, 1 when rows were rejected.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="input files")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--vendor", help="name of an installed translator (see `justice-schema translators`)")
    source.add_argument("--spec", type=Path, help="path of a translator spec file (TOML)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder (created)")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    parser.add_argument("--no-validate", dest="validate", action="store_false",
                        help="skip the validation engine's record rules (field constraints are always checked)")
    parser.set_defaults(func=run_translate)

    listing = sub.add_parser("translators", help="list the installed translators")
    listing.add_argument("--json", action="store_true", help="print as JSON")
    listing.set_defaults(func=run_translators)


def run_translate(args: argparse.Namespace) -> int:
    """Translate the files; write Parquet and the summary; return 0 (clean) or 1 (rejects)."""
    from justice_schema.translation import Translator, find_translator
    from justice_schema.translation.result import INSTRUCTION_SCHEMA, REJECT_SCHEMA

    for path in args.paths:
        if not path.is_file():
            raise InputError("no such file", path=str(path))
    spec_path = args.spec if args.spec is not None else find_translator(args.vendor).spec_path
    hook = None
    if args.validate:
        from justice_schema.validation.hooks import translation_hook

        hook = translation_hook()
    translator = Translator(spec_path, validate=hook)
    out: Path = args.out
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder: {exc.strerror}", path=str(out)) from None
    schemas = {e.entity_type: e.schema for e in translator.program.entities}
    writers = {entity: pq.ParquetWriter(out / f"{entity}.parquet", schemas[entity]) for entity in schemas}
    rejects = pq.ParquetWriter(out / "rejects.parquet", REJECT_SCHEMA)
    instructions = pq.ParquetWriter(out / "instructions.parquet", INSTRUCTION_SCHEMA)
    try:
        with Progress(f"translate {translator.name}", enabled=False if args.quiet else None) as progress:
            run = translator.stream(args.paths, progress=progress)
            for batch in run:
                for entity, table in batch.tables.items():
                    writers[entity].write_table(table)
                if batch.rejects.num_rows:
                    rejects.write_table(batch.rejects)
                if batch.instructions.num_rows:
                    instructions.write_table(batch.instructions)
    finally:
        for writer in [*writers.values(), rejects, instructions]:
            writer.close()
    summary = {"translator": translator.name, **run.reconciliation.to_dict()}
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    rec = run.reconciliation
    records = ", ".join(f"{n:,} {e}" for e, n in sorted(rec.records_out.items())) or "no records"
    print(f"{rec.rows_in:,} rows in: {records}; {rec.rows_rejected:,} rejected; "
          f"{sum(rec.instruction_kinds.values()):,} instructions -> {out}")
    return 1 if rec.rows_rejected else 0


def run_translators(args: argparse.Namespace) -> int:
    """List the installed translators (built-in and plugins); broken plugins give a warning."""
    from justice_schema.translation import available_translators

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        installed = available_translators()
    for warning in caught:
        sys.stderr.write(f"warning: {warning.message}\n")
    if args.json:
        rows = [{"name": i.name, "title": i.title, "format_version": i.format_version, "origin": i.origin,
                 "spec": str(i.spec_path)} for i in installed]
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    width = max((len(i.name) for i in installed), default=4)
    for info in installed:
        print(f"{info.name:<{width}}  {info.origin:<8}  {info.title}")
    return 0
