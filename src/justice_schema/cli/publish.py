"""``justice-schema publish``: a tiered publication of canonical data with its disclosure-risk report.

``justice-schema publish INPUT --profile public|research|restricted|FILE.toml --out FOLDER
[--person PERSON.parquet] [--key-file FILE] [--overwrite]``

INPUT is a canonical file (Parquet, Arrow, flat CSV or JSON Lines) of one entity, e.g. arrests;
``--person`` joins the people's demographics on ``person_id``. The pseudonym key of the research
profile comes from ``--key-file`` or the environment variable the profile names
(``JUSTICE_SCHEMA_PSEUDONYM_KEY``); it is never written anywhere. Standard error gets the row
reconciliation and the risk figures; exit 0 when written, 2 for unusable input or a missing key.
"""

from __future__ import annotations

import argparse
import sys

from justice_schema.cli.options import add_progress
from justice_schema.io.publish import publish_file
from justice_schema.progress import Progress

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``publish`` sub-command."""
    parser = sub.add_parser(
        "publish", help="publish a public, research or restricted view with a disclosure-risk report",
        description="Apply a publication profile (de-identification, k-anonymity, suppressed counts) to a "
                    "canonical file and write the tables and the risk report (JSON and HTML).",
    )
    parser.add_argument("path", metavar="INPUT", help="canonical file of one entity (.parquet, .arrow, .csv, .jsonl)")
    parser.add_argument("--profile", required=True, metavar="NAME|FILE.toml",
                        help="public, research, restricted, or a profile TOML file")
    parser.add_argument("--out", required=True, metavar="FOLDER", help="output folder (created; see --overwrite)")
    parser.add_argument("--person", metavar="FILE", help="canonical person file joined on person_id (demographics)")
    parser.add_argument("--key-file", metavar="FILE",
                        help="pseudonym key file (default: the environment variable the profile names)")
    parser.add_argument("--overwrite", action="store_true", help="replace the files of an earlier run in --out")
    add_progress(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``justice-schema publish`` (:func:`justice_schema.io.publish_file`)."""
    with Progress("publish", enabled=args.progress) as progress:
        summary = publish_file(args.path, args.out, args.profile, person=args.person, key_file=args.key_file,
                               overwrite=args.overwrite, progress=progress)
    report = summary.publication.report
    sys.stderr.write(f"publish {args.path} -> {summary.folder} (profile {report.profile} {report.profile_version}, "
                     f"tier {report.tier}): {', '.join(summary.files)}\n")
    sys.stderr.write("rows: " + ", ".join(f"{k} {v:,}" for k, v in report.rows.items()) + "\n")
    for label, measures in (("before", report.before), ("after", report.after)):
        if measures is not None:
            sys.stderr.write(f"risk {label}: k={measures.k} l={measures.l_diversity} "
                             f"unique={measures.share_unique:.2%} of {measures.rows:,} rows\n")
    for agg in report.aggregates:
        sys.stderr.write(f"aggregate {agg['name']}: {agg['cells']} cells, {agg['primary_suppressed']} primary and "
                         f"{agg['complementary_suppressed']} complementary suppressions, "
                         f"{agg['recomputable_suppressed']} recomputable\n")
    return 0
