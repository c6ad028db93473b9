"""``justice-schema nibrs export`` (canonical records back to an FBI NIBRS flat file or XML) and ``nibrs check``.

``export``: canonical records back to an FBI NIBRS flat-file submission. The logic is
:func:`justice_schema.io.nibrs.export_nibrs_file` (files) over
:func:`justice_schema.nibrs.export_flatfile` (records). Records that fail an
edit are refused and listed with the rule and FBI edit number (exit 1) unless
``--allow-errors``; the counts printed reconcile: read = written + refused.

``check``: a submission (flat file or XML) through the FBI edits, its errors in the layout of
the FBI Error Data Set (:func:`justice_schema.io.nibrs.check_nibrs_file`); exit 1 when there
are errors.
"""

from __future__ import annotations

import argparse
import sys

from justice_schema.cli import EXIT_DATA_ERRORS, EXIT_OK

__all__ = ["register", "run_check", "run_export"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``nibrs`` sub-command and its ``export`` verb."""
    parser = sub.add_parser("nibrs", help="FBI NIBRS submissions: check a submission with the FBI edits, or export "
                                          "canonical records as a NIBRS flat file or XML")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True, parser_class=type(parser))
    export = verbs.add_parser("export", help="write canonical records (incident, property, victim, offender, "
                                             "arrest, person files) as a NIBRS flat file (2019.1 layout) or XML "
                                             "(IEPD 2019.1)")
    export.add_argument("paths", nargs="+", help="canonical record files: .jsonl, .json, .parquet, .arrow or flat .csv")
    export.add_argument("--out", required=True, help="the file to write (not an input)")
    export.add_argument("--format", choices=("flat", "xml"), default="flat",
                        help="flat: the fixed-width flat file (default); xml: the NIBRS XML document (IEPD 2019.1)")
    export.add_argument("--submission", required=True, metavar="YYYY-MM", help="the submission month")
    export.add_argument("--city", default="", help="city indicator (flat file positions 13-16), blank by default")
    export.add_argument("--replace", action="append", default=[], metavar="INCIDENT_ID",
                        help="write this incident with action R (replacement); repeatable")
    export.add_argument("--allow-errors", action="store_true",
                        help="write records that fail an edit instead of refusing them")
    export.add_argument("--refused", help="where refused records are listed (JSON Lines); default: OUT.refused.jsonl")
    export.set_defaults(func=run_export)
    check = verbs.add_parser("check", help="run the FBI edits on a NIBRS submission (flat file or XML, told apart by "
                                           "content) and write its errors in the FBI Error Data Set layout")
    check.add_argument("path", metavar="FILE", help="the submission: a NIBRS flat file or a NIBRS XML document")
    check.add_argument("--out", required=True, metavar="FOLDER",
                       help="folder to write errors.csv, errors.parquet, report.html and summary.json into")
    check.add_argument("--overwrite", action="store_true", help="replace the files of an earlier run in --out")
    check.set_defaults(func=run_check)


def run_check(args: argparse.Namespace) -> int:
    """Check; exit 1 when the submission has errors."""
    from justice_schema.io.nibrs import check_nibrs_file
    from justice_schema.progress import Progress

    with Progress("nibrs check") as progress:
        result = check_nibrs_file(args.path, args.out, overwrite=args.overwrite, progress=progress)
    numbers: dict[str, int] = {}
    for number in result.errors.column("error_number").to_pylist():
        numbers[number or "other"] = numbers.get(number or "other", 0) + 1
    top = ", ".join(f"{n} x{c}" for n, c in sorted(numbers.items(), key=lambda kv: (-kv[1], kv[0]))[:5])
    sys.stderr.write(f"nibrs check {args.path} ({result.format}): {result.segments} segments, "
                     f"{result.segments_refused} refused, {result.errors.num_rows} errors"
                     + (f" (FBI {top})" if top else "") + f" -> {args.out}\n")
    return EXIT_DATA_ERRORS if result.errors.num_rows else EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    """Export; exit 1 when records were refused."""
    from justice_schema.io.nibrs import export_nibrs_file

    summary = export_nibrs_file(args.paths, args.out, submission=args.submission, city=args.city,
                                replacements=args.replace, allow_errors=args.allow_errors, refusals=args.refused,
                                format=args.format)
    read = ", ".join(f"{k} {v}" for k, v in sorted(summary.read.items()))
    written = ", ".join(f"{k} {v}" for k, v in sorted(summary.written.items()) if v)
    sys.stderr.write(f"nibrs export -> {args.out}: {summary.segments} {'reports' if args.format == 'xml' else 'segments'}; read {read}; written {written or 'none'}; "
                     f"refused {summary.refused}" + (f" (see {summary.refusals})" if summary.refusals else "") + "\n")
    return EXIT_DATA_ERRORS if summary.refused else EXIT_OK
