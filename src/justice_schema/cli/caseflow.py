"""``justice-schema caseflow``: link events across agencies into cases and write the case-flow measures.

``justice-schema caseflow EVENTS --out FOLDER [--rules FILE.toml] [--as-of YYYY-MM-DD] [--by COL,...]
[--explain] [--overwrite]``

EVENTS is a CSV, Parquet or Arrow file in the event layout (``justice_schema.linking.EVENT_SCHEMA``).
FOLDER gets one Parquet file per output (:data:`justice_schema.io.caseflow.OUTPUT_FILES`); every event
no rule links is in ``unlinked.parquet`` with its cause. Exit 0 when the run finished, 2 for unusable input.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from justice_schema.cli.options import add_progress, file_verb
from justice_schema.errors import InputError
from justice_schema.io.caseflow import caseflow_file
from justice_schema.progress import Progress

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``caseflow`` sub-command."""
    parser = file_verb(
        sub, "caseflow", summary="link events into cases; write attrition, intervals, recidivism, clearance",
        description="Link incident, arrest, charge, prosecution, court, disposition, custody and supervision events "
                    "into cases by the rule cascade, and write the case-flow measures as Parquet.",
        source=("EVENTS", "events file: .csv, .parquet or .arrow in the event layout"),
        out=("FOLDER", "output folder (created; must not hold files)"),
    )
    parser.add_argument("--rules", metavar="FILE.toml", help="linking rules (default: the packaged default_rules.toml)")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="end of the recidivism follow-up (default: latest event)")
    parser.add_argument("--by", default="", metavar="COL,...", help="group attrition and intervals by case columns")
    parser.add_argument("--explain", action="store_true", help="write each link's days and evidence in links.parquet")
    parser.add_argument("--overwrite", action="store_true", help="replace the files of an earlier run in FOLDER")
    add_progress(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``justice-schema caseflow`` (:func:`justice_schema.io.caseflow.caseflow_file`)."""
    as_of = None
    if args.as_of:
        try:
            as_of = dt.date.fromisoformat(args.as_of)
        except ValueError:
            raise InputError(f"--as-of {args.as_of!r} is not a date (YYYY-MM-DD)") from None
    by = [b.strip() for b in args.by.split(",") if b.strip()]
    with Progress("caseflow", enabled=args.progress) as progress:
        summary = caseflow_file(args.path, args.out, rules=args.rules, as_of=as_of, by=by, explain=args.explain,
                                overwrite=args.overwrite, progress=progress)
    for line in summary.lines():
        sys.stderr.write(line + "\n")
    return 0
