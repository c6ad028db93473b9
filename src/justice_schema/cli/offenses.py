"""``justice-schema classify-offenses``: charge descriptions and statutes to NIBRS, NCRP, UCCS and severity.

``justice-schema classify-offenses INPUT --out OUT [--column NAME] [--statute-column NAME]
[--state XX | --state-column NAME] [--crosswalk FILE.csv] [--vocabulary FILE.toml]``

INPUT is a CSV or Parquet file; OUT (``.csv`` or ``.parquet``) gets every input row with the
classification columns appended (:data:`justice_schema.offenses.OUTPUT_SCHEMA`). The summary on
standard error gives the coverage and the commonest unclassified texts, so a state sees what to
add to its crosswalk. Unclassified rows are written with their reason, never dropped; the exit
code is 0 when the run finished (whatever the coverage) and 2 for unusable input.
"""

from __future__ import annotations

import argparse
import sys

from justice_schema.cli.options import add_csv_raw, add_progress, file_verb
from justice_schema.io.offenses import classify_file
from justice_schema.progress import Progress

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``classify-offenses`` sub-command."""
    parser = file_verb(
        sub, "classify-offenses", summary="classify charge descriptions/statutes (NIBRS, NCRP, UCCS, severity)",
        description="Classify a column of offense descriptions and/or statute citations, deterministically, "
                    "with the evidence of each answer.",
        source=("INPUT", "input file: .csv or .parquet"),
        out=("OUT", "output: .csv or .parquet (not the input)"),
    )
    parser.add_argument("--column", default="description", metavar="NAME",
                        help="the description column (default: description); --column '' for statutes only")
    parser.add_argument("--statute-column", metavar="NAME", help="a column of statute citations")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--state", metavar="XX", help="two-letter state code of every row (citation parser, crosswalk)")
    where.add_argument("--state-column", metavar="NAME", help="a column holding each row's state code")
    parser.add_argument("--crosswalk", metavar="FILE.csv", help="statute crosswalk: state,statute,ncrp_category,...")
    parser.add_argument("--vocabulary", metavar="FILE.toml", help="a replacement vocabulary (default: the packaged one)")
    parser.add_argument("--top", type=int, default=20, metavar="N", help="list the N commonest unclassified texts")
    add_csv_raw(parser)
    add_progress(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``justice-schema classify-offenses`` (:func:`justice_schema.io.classify_file`)."""
    if args.top < 0:
        sys.stderr.write("justice-schema classify-offenses: error: --top must be 0 or more\n")
        return 2
    with Progress("classify-offenses", enabled=args.progress) as progress:
        summary = classify_file(args.path, args.out, column=args.column or None, statute_column=args.statute_column,
                                state=args.state, state_column=args.state_column, crosswalk=args.crosswalk,
                                vocabulary=args.vocabulary, top=args.top, progress=progress, csv_raw=args.csv_raw)
    sys.stderr.write(f"classify-offenses {args.path} -> {summary.written} ({summary.vocabulary})\n")
    for line in summary.coverage.lines():
        sys.stderr.write(line + "\n")
    return 0
