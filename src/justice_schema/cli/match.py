"""``justice-schema match``: resolve person records into people.

``justice-schema match PATH --out OUT [--explain LINKS] [--rules RULES.toml]``

PATH is the canonical person table ``translate`` and ``validate`` write
(``person.parquet``, or JSON Lines), or a CSV or Parquet file in the flat person
layout; in the flat layout only ``id`` is required, and the usual minimum is
``id, given_name, middle_name, family_name, name_suffix, date_of_birth, sex,
race, state_id, fbi_number, drivers_license_number, postal_code`` (empty means
missing). OUT (``.csv`` or ``.parquet``) gets one row per input record: ``id``,
``person_uid``, ``rule``. ``--explain`` writes every link with both ids, the
rule, what clustering did with it, and the field scores. Values that cannot be
used (a date that is no date) are data issues: reported per row
(``--issues``), never a crash; the exit code is then 1. No output may be an
input; outputs appear only when the run succeeds.
"""

from __future__ import annotations

import argparse
import sys

from justice_schema.cli.options import add_csv_raw, add_progress, file_verb
from justice_schema.io.match import match_file
from justice_schema.progress import Progress

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``match`` sub-command."""
    parser = file_verb(
        sub, "match", summary="resolve person records into people (person_uid per record)",
        description="Match person records (canonical person table, or CSV/Parquet in the flat person layout) "
                    "into people, deterministically.",
        source=("PATH", "input file: canonical person .parquet/.jsonl, or .csv/.parquet in the flat person layout"),
        out=("OUT", "output: .csv or .parquet with id, person_uid, rule"),
    )
    parser.add_argument("--explain", metavar="LINKS", help="also write every link with its rule and field scores")
    parser.add_argument("--rules", metavar="RULES.toml", help="rules file (default: the packaged rules)")
    parser.add_argument("--issues", metavar="ISSUES", help="write the data issues (the issue table: row, record_id, field, code, "
                        "severity, message, value...)")
    parser.add_argument("--golden", metavar="GOLDEN", help="also write one golden record per person")
    add_csv_raw(parser)
    add_progress(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``justice-schema match`` (:func:`justice_schema.io.match_file`)."""
    with Progress("match: candidate pairs compared", enabled=args.progress) as progress:
        summary = match_file(args.path, args.out, explain=args.explain, issues=args.issues, golden=args.golden,
                             rules=args.rules, progress=progress, csv_raw=args.csv_raw)
    result = summary.result
    err = sys.stderr
    err.write(f"matched {summary.records:,} records into {summary.people:,} people "
              f"({summary.links:,} links, rules {result.rules.label})\n")
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
            err.write(f"{args.path}, row {issue.row}, field {issue.field!r}: {issue.value!r}: {issue.message} "
                      f"({issue.code})\n")
        more = f"; all of them in {args.issues}" if args.issues else "; write them all with --issues FILE"
        err.write(f"{len(result.issues):,} data issue(s){more}\n")
        return 1
    return 0
