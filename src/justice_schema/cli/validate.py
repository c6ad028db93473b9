"""``justice-schema validate``: check a file of one entity, write clean rows, rejects and a report.

Exit codes: 0 no errors (warnings allowed), 1 rule errors or rejected rows,
2 bad usage or unreadable input (one line on standard error, no traceback).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from justice_schema.cli import EXIT_DATA_ERRORS, EXIT_OK
from justice_schema.errors import InputError
from justice_schema.registry import CURRENT_SCHEMA_VERSION, ENTITY_TYPES

__all__ = ["register", "run"]


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date written YYYY-MM-DD: {text!r}") from None


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``validate`` sub-command."""
    parser = sub.add_parser(
        "validate",
        help="validate a CSV (flat layout), Parquet or JSON Lines file of one entity",
        description="Validate a file of canonical records. Exit 0: no errors; 1: rule errors "
                    "(rows rejected); 2: bad usage or unreadable input.",
    )
    parser.add_argument("path", help="input file: .csv (flat layout), .parquet, or .jsonl")
    parser.add_argument("--entity", required=True, choices=ENTITY_TYPES, help="entity type of the records")
    parser.add_argument("--schema-version", default=CURRENT_SCHEMA_VERSION,
                        help="schema version to validate against (default: %(default)s)")
    parser.add_argument("--report", metavar="REPORT.json", help="write the report as JSON")
    parser.add_argument("--html", metavar="REPORT.html", help="write the report as an HTML page with charts")
    parser.add_argument("--valid", metavar="VALID.parquet", help="write valid rows (.parquet or .csv)")
    parser.add_argument("--rejects", metavar="REJECTS.parquet",
                        help="write rejected rows with their issue codes (.parquet or .csv)")
    parser.add_argument("--as-of", type=_date, help="date after which dates count as 'in the future' (default: today)")
    parser.add_argument("--show-values", action="store_true",
                        help="show offending personal values in the report (default: redacted)")
    parser.add_argument("--no-duplicate-check", action="store_true",
                        help="do not remember ids to catch duplicates (JS-X01), for streams too large to hold every id")
    parser.add_argument("--batch-size", type=int, default=65_536, help="rows per batch (default: %(default)s)")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show progress on standard error (default: when it is a terminal)")
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Validate the file and write the requested outputs."""
    from justice_schema.validation import validate_file

    if args.batch_size < 1:
        raise InputError(f"--batch-size must be at least 1, got {args.batch_size}")
    for option in ("report", "html", "valid", "rejects"):
        target = getattr(args, option)
        if target and target == args.path:
            raise InputError(f"--{option} would overwrite the input file", path=args.path)
    report = validate_file(
        args.path, args.entity, schema_version=args.schema_version, valid=args.valid, rejects=args.rejects,
        as_of=args.as_of, redact=not args.show_values, batch_size=args.batch_size, progress=args.progress,
        check_duplicates=not args.no_duplicate_check,
    )
    try:
        if args.report:
            report.to_json(args.report)
        if args.html:
            report.to_html(args.html)
    except OSError as exc:
        raise InputError(f"cannot write the report: {exc.strerror or exc}", path=exc.filename) from None
    if not args.quiet or not report.ok:
        sys.stdout.write(report.summary() + "\n")
    return EXIT_OK if report.ok else EXIT_DATA_ERRORS
