"""``justice-schema translate`` and ``justice-schema translators``: vendor exports to canonical Parquet."""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from datetime import datetime
from pathlib import Path

from justice_schema.cli.options import add_csv_raw
from justice_schema.errors import InputError
from justice_schema.io.translate import REJECT_FORMATS, translate_files
from justice_schema.progress import Progress

__all__ = ["register", "run_translate", "run_translators"]


def _instant(text: str) -> datetime:
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 instant: {text!r}") from None
    if stamp.tzinfo is None:
        raise argparse.ArgumentTypeError(f"the instant needs a time zone (Z or +hh:mm): {text!r}")
    return stamp


def _param(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``translate`` and ``translators`` sub-commands."""
    parser = sub.add_parser(
        "translate",
        help="translate vendor export files into canonical Parquet tables",
        description="Translate vendor export files into DIR/<entity>.parquet, DIR/rejects.parquet, "
                    "DIR/instructions.parquet, DIR/conflicts.parquet (values dropped by merging duplicates) and DIR/summary.json. The folder appears only when the run "
                    "finishes. Exit 0 when clean, 1 when rows were rejected, 2 on bad usage or unreadable input.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="input files")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--vendor", help="name of an installed translator (see `justice-schema translators`)")
    source.add_argument("--spec", type=Path, help="path of a translator spec file (TOML)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR",
                        help="output folder (created; refused when it holds files, unless --overwrite)")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace the files of an earlier run in --out")
    parser.add_argument("--extracted-at", type=_instant, metavar="INSTANT",
                        help="extraction instant stamped on every record (ISO 8601 with time zone), "
                             "for reproducible runs (default: now)")
    parser.add_argument("--param", type=_param, action="append", default=[], metavar="NAME=VALUE",
                        help="a named parameter of the translator (repeatable)")
    parser.add_argument("--rejects-format", choices=REJECT_FORMATS, default="parquet",
                        help="format of rejects and instructions (default: %(default)s; csv opens in a spreadsheet)")
    add_csv_raw(parser)
    parser.add_argument("--all-conflicts", action="store_true",
                        help="list every value dropped by merging duplicates in DIR/conflicts.parquet "
                             "(default: the first 1,000; all are counted in summary.json)")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    parser.add_argument("--no-validate", dest="validate", action="store_false",
                        help="skip the validation engine's record rules (field constraints are always checked)")
    parser.set_defaults(func=run_translate)

    listing = sub.add_parser("translators", help="list the installed translators")
    listing.add_argument("--json", action="store_true", help="print as JSON")
    listing.set_defaults(func=run_translators)


def run_translate(args: argparse.Namespace) -> int:
    """Translate the files (:func:`justice_schema.io.translate_files`); print the summary; 0 clean, 1 rejects."""
    params = dict(args.param)
    if len(params) != len(args.param):
        raise InputError("--param names a parameter twice")
    label = args.vendor or args.spec.stem
    with Progress(f"translate {label}", enabled=False if args.quiet else None) as progress:
        summary = translate_files(
            args.paths, args.out, vendor=args.vendor, spec=args.spec, overwrite=args.overwrite,
            validate=args.validate, extracted_at=args.extracted_at, params=params or None, progress=progress,
            rejects_format=args.rejects_format, csv_raw=args.csv_raw, all_conflicts=args.all_conflicts,
        )
    print(summary.line())
    return 1 if summary.rows_rejected else 0


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
