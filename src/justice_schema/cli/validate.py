"""``justice-schema validate``: check a file of one entity, write clean rows, rejects and a report.

Exit codes: 0 no errors (warnings allowed), 1 rule errors or rejected rows,
2 bad usage or unreadable input (one line on standard error, no traceback).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from justice_schema.cli import EXIT_DATA_ERRORS, EXIT_OK
from justice_schema.cli.options import add_csv_raw, add_progress
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
    parser.add_argument("--entity", choices=ENTITY_TYPES,
                        help="entity type of the records (default: what the file declares, in its Parquet "
                             "metadata or its entity_type column)")
    parser.add_argument("--schema-version",
                        help="schema version to validate against (default: what the file declares, "
                             f"else {CURRENT_SCHEMA_VERSION})")
    parser.add_argument("--report", metavar="REPORT.json", help="write the report as JSON")
    parser.add_argument("--html", metavar="REPORT.html", help="write the report as an HTML page with charts")
    parser.add_argument("--valid", metavar="VALID.parquet", help="write valid rows (.parquet or .csv)")
    parser.add_argument("--rejects", metavar="REJECTS.parquet",
                        help="write rejected rows with their issue codes (.parquet, or .csv to read without Python)")
    parser.add_argument("--rejects-format", choices=("parquet", "csv"),
                        help="format of --rejects (default: from its name; a name without .parquet or .csv "
                             "gets the ending)")
    add_csv_raw(parser)
    parser.add_argument("--as-of", type=_date, help="date after which dates count as 'in the future' (default: today)")
    parser.add_argument("--show-values", action="store_true",
                        help="show offending personal values in the report (default: redacted)")
    parser.add_argument("--no-duplicate-check", action="store_true",
                        help="do not remember ids to catch duplicates (JS-X01), for streams too large to hold every id")
    parser.add_argument("--batch-size", type=int, default=65_536, help="rows per batch (default: %(default)s)")
    add_progress(parser)
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    parser.set_defaults(func=run)


def _entity_and_version(args: argparse.Namespace) -> tuple[str, str]:
    """The entity and version from the options, else from what the file declares."""
    from justice_schema.io import infer_entity, require_file

    entity, version = args.entity, args.schema_version
    if entity is None or version is None:
        require_file(args.path)
        found_entity, found_version = infer_entity(args.path)
        if entity is None:
            if found_entity not in ENTITY_TYPES:
                said = f" (it says {found_entity!r})" if found_entity else ""
                raise InputError(f"cannot tell the entity type from the file{said}: no justice_schema.entity "
                                 f"metadata or entity_type value; give --entity", path=args.path)
            entity = found_entity
        version = version or found_version or CURRENT_SCHEMA_VERSION
    return entity, version


def _rejects_path(rejects: str | None, fmt: str | None) -> str | None:
    """``--rejects`` with ``--rejects-format`` applied: the ending added, or checked against the name."""
    if fmt is None:
        return rejects
    if rejects is None:
        raise InputError("--rejects-format needs --rejects FILE")
    suffix = Path(rejects).suffix.lower()
    if suffix in (".csv", ".parquet", ".pq"):
        if (suffix == ".csv") != (fmt == "csv"):
            raise InputError(f"--rejects ends in {suffix} but --rejects-format is {fmt}", path=rejects)
        return rejects
    return f"{rejects}.{fmt}"


def _write_report(report: object, method: str, target: str, option: str) -> None:
    from justice_schema.io import AtomicFile

    with AtomicFile(target, option) as file:
        try:
            getattr(report, method)(file.temp)
        except OSError as exc:
            raise InputError(f"cannot write the report: {exc.strerror or exc}", path=target) from None
        file.commit()


def run(args: argparse.Namespace) -> int:
    """Validate the file and write the requested outputs."""
    from justice_schema.io import check_outputs, require_output_folder
    from justice_schema.validation import validate_file

    if args.batch_size < 1:
        raise InputError(f"--batch-size must be at least 1, got {args.batch_size}")
    args.rejects = _rejects_path(args.rejects, args.rejects_format)
    check_outputs([args.path], {"--report": args.report, "--html": args.html, "--valid": args.valid,
                                "--rejects": args.rejects})
    for option in ("report", "html"):
        if getattr(args, option):
            require_output_folder(getattr(args, option), f"--{option}")
    entity, version = _entity_and_version(args)
    report = validate_file(
        args.path, entity, schema_version=version, valid=args.valid, rejects=args.rejects,
        as_of=args.as_of, redact=not args.show_values, batch_size=args.batch_size, progress=args.progress,
        check_duplicates=not args.no_duplicate_check, csv_raw=args.csv_raw,
    )
    if args.report:
        _write_report(report, "to_json", args.report, "--report")
    if args.html:
        _write_report(report, "to_html", args.html, "--html")
    if not args.quiet or not report.ok:
        sys.stdout.write(report.summary() + "\n")
    return EXIT_OK if report.ok else EXIT_DATA_ERRORS
