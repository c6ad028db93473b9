"""``justice-schema match``: resolve person records into people.

``justice-schema match PATH --out OUT [--explain LINKS] [--rules RULES.toml]``

PATH is a CSV or Parquet file in the flat person layout, or the canonical
(nested) ``person.parquet`` that ``translate`` writes; only ``id`` is
required, and the usual minimum is ``id, given_name, middle_name, family_name,
name_suffix, date_of_birth, sex, race, state_id, fbi_number,
drivers_license_number, postal_code`` (empty means missing). OUT (``.csv`` or
``.parquet``) gets one row per input record: ``id``, ``person_uid``, ``rule``.
``--explain`` writes every link with both ids, the rule, what clustering did
with it, and the field scores. Values that cannot be used (a date that is no
date) are data issues: reported per row (``--issues``), never a crash; the exit
code is then 1.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from justice_schema.errors import InputError
from justice_schema.flat import flat_columns
from justice_schema.identity.inputs import is_nested_person_table
from justice_schema.progress import Progress

__all__ = ["register", "run", "read_person_file", "write_table", "write_batches"]

_FORMATS = (".csv", ".parquet")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``match`` sub-command."""
    parser = sub.add_parser(
        "match", help="resolve person records into people (person_uid per record)",
        description="Match person records (CSV or Parquet, flat person layout) into people, deterministically.",
    )
    parser.add_argument("path", metavar="PATH", help="input file: .csv or .parquet, flat person layout")
    parser.add_argument("--out", required=True, metavar="OUT",
                        help="output: .csv or .parquet with id, person_uid, rule")
    parser.add_argument("--explain", metavar="LINKS", help="also write every link with its rule and field scores")
    parser.add_argument("--rules", metavar="RULES.toml", help="rules file (default: the packaged rules)")
    parser.add_argument("--issues", metavar="ISSUES", help="write the data issues (row, id, field, value, problem)")
    parser.add_argument("--golden", metavar="GOLDEN", help="also write one golden record per person")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show progress on standard error (default: when it is a terminal)")
    parser.set_defaults(func=run)


def _check_format(path: str, option: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in _FORMATS:
        raise InputError(f"{option} must end in .csv or .parquet", path=path)
    return suffix


def read_person_file(path: str) -> pa.Table:
    """Read a flat-layout person file (CSV as text columns, so a bad value is a data issue, not a crash)."""
    suffix = _check_format(path, "PATH")
    known = {c.name for c in flat_columns("person")}
    if suffix == ".parquet":
        try:
            table = pq.read_table(path)
        except (OSError, pa.ArrowException) as exc:
            raise InputError(f"cannot read as Parquet: {exc}", path=path) from None
        header = table.column_names
        if is_nested_person_table(table):  # the canonical table translate writes: matching flattens it
            return table
    else:
        try:
            with open(path, "rb") as handle:
                first = handle.readline()
            header = next(csv.reader([first.decode("utf-8-sig")]), [])
        except UnicodeDecodeError as exc:
            raise InputError(f"header is not UTF-8 ({exc.reason} at byte {exc.start})", path=path, row=1) from None
        except (OSError, csv.Error) as exc:
            raise InputError(f"cannot read as CSV: {exc}", path=path) from None
        if not header:
            raise InputError("empty file: no header row", path=path)
        table = None
    unknown = [name for name in header if name not in known]
    if unknown:
        raise InputError(f"unknown column(s) for the flat person layout: {', '.join(unknown)}", path=path)
    if "id" not in header:
        raise InputError("missing required column: id", path=path)
    if table is None:
        try:
            table = pacsv.read_csv(
                path,
                # bytes, not text: a cell that is not UTF-8 becomes a data issue of its row, not a lost file
                convert_options=pacsv.ConvertOptions(column_types={name: pa.binary() for name in header},
                                                     strings_can_be_null=True, null_values=[""],
                                                     quoted_strings_can_be_null=True),
            )
        except (pa.ArrowInvalid, OSError) as exc:
            raise InputError(f"cannot read CSV: {str(exc).splitlines()[0]}", path=path) from None
    return table


def write_table(table: pa.Table, path: str, option: str) -> None:
    """Write ``table`` as CSV or Parquet by the extension of ``path``."""
    suffix = _check_format(path, option)
    try:
        if suffix == ".parquet":
            pq.write_table(table, path)
        else:
            pacsv.write_csv(table, path)
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"cannot write {option}: {exc}", path=path) from None


def write_batches(batches: Iterator[pa.RecordBatch], path: str, option: str) -> None:
    """Write record batches one at a time as CSV or Parquet (memory for one batch, whatever the total)."""
    suffix = _check_format(path, option)
    writer: Any = None
    try:
        for batch in batches:
            if writer is None:
                writer = pq.ParquetWriter(path, batch.schema) if suffix == ".parquet" else pacsv.CSVWriter(path, batch.schema)
            writer.write_batch(batch)
    except (OSError, pa.ArrowException) as exc:
        raise InputError(f"cannot write {option}: {exc}", path=path) from None
    finally:
        if writer is not None:
            writer.close()


def run(args: argparse.Namespace) -> int:
    """Run ``justice-schema match``."""
    from justice_schema.identity import golden_records, load_rules, match_persons

    for option, value in (("--out", args.out), ("--explain", args.explain), ("--issues", args.issues),
                          ("--golden", args.golden)):
        if value:
            _check_format(value, option)
    rules = load_rules(args.rules)
    table = read_person_file(args.path)
    with Progress("match: candidate pairs compared", enabled=args.progress) as progress:
        result = match_persons(table, rules=rules, progress=progress, path=args.path)
    write_table(result.assignments(), args.out, "--out")
    if args.explain:
        write_batches(result.links_batches(), args.explain, "--explain")
    if args.issues:
        write_table(result.issues_table(), args.issues, "--issues")
    if args.golden:
        golden = golden_records(result)
        if Path(args.golden).suffix.lower() == ".csv":
            golden = golden.set_column(golden.column_names.index("member_ids"), "member_ids",
                                       pa.array([" ".join(m) for m in golden.column("member_ids").to_pylist()]))
        write_table(golden, args.golden, "--golden")
    err = sys.stderr
    err.write(f"matched {len(result.ids):,} records into {result.person_count:,} people "
              f"({len(result.links):,} links, rules {rules.label})\n")
    if result.identical_records:
        apart = result.identical_records - result.identical_links
        err.write(f"{result.identical_records:,} records identical on every compared field to another record "
                  f"were compared once, through their group's representative: {result.identical_links:,} linked "
                  f"to it (column 'identical' of --explain)"
                  + (f", {apart:,} not (no rule links two such records)" if apart else "") + "\n")
    for block in result.capped_blocks[:10]:
        err.write(f"capped block: rule {block.rule}, key {block.key!r}, {block.size:,} records, "
                  f"{block.pairs_skipped:,} pairs not compared\n")
    if len(result.capped_blocks) > 10:
        err.write(f"... and {len(result.capped_blocks) - 10} more capped blocks\n")
    if result.issues:
        for issue in result.issues[:10]:
            err.write(f"{args.path}, row {issue.row}, field {issue.field!r}: {issue.value!r}: {issue.problem}\n")
        more = f"; all of them in {args.issues}" if args.issues else "; write them all with --issues FILE"
        err.write(f"{len(result.issues):,} data issue(s){more}\n")
        return 1
    return 0
