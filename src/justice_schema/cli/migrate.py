"""``justice-schema migrate``: carry a stored file of records to another schema version.

Reads JSON Lines (``.jsonl``/``.ndjson``), a JSON array (``.json``), Parquet
(``.parquet``) or Arrow IPC (``.arrow``/``.feather``/``.ipc``) and writes the same
format (:func:`justice_schema.io.migrate_file`). Every input record ends up
either in the output or in the reject file (JSON Lines: where, reason, the
record), and the counts are printed so they reconcile: ``read = written +
rejected``. Neither output may be the input; both appear only when the run
finishes.
"""

from __future__ import annotations

import argparse
import sys

from justice_schema.cli import EXIT_DATA_ERRORS, EXIT_OK
from justice_schema.io.migrate import POLICIES, migrate_file
from justice_schema.registry import SCHEMA_VERSIONS

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``migrate`` sub-command."""
    parser = sub.add_parser("migrate", help="upgrade or downgrade a stored file of records to another schema version")
    parser.add_argument("path", help="input file: .jsonl, .json, .parquet or .arrow")
    parser.add_argument("--to", required=True, choices=SCHEMA_VERSIONS, help="target schema version")
    parser.add_argument("--out", required=True, help="output file, same format as the input (not the input)")
    parser.add_argument(
        "--policy", choices=POLICIES, default="error",
        help="downgrade only: a value the target version cannot hold is rejected (error, the default), "
             "kept in the _extensions field (extension), or removed and counted (drop)",
    )
    parser.add_argument("--rejects", help="reject file (JSON Lines); default: OUT with .rejects.jsonl")
    parser.add_argument("--entity", help="entity type of a Parquet/Arrow file that carries no metadata")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Migrate one file; exit 1 when records were rejected."""
    summary = migrate_file(args.path, args.out, to=args.to, policy=args.policy, rejects=args.rejects,
                           entity=args.entity)
    removed = ", ".join(f"{k} {v}" for k, v in sorted(summary.removed.items())) or "none"
    verb = "kept in _extensions" if args.policy == "extension" else "removed"
    sys.stderr.write(
        f"migrate {args.path} -> {args.out} (schema {args.to}): read {summary.read}, written {summary.written}, "
        f"rejected {summary.rejected}" + (f" (see {summary.rejects})" if summary.rejects else "")
        + f"; values {verb}: {removed}\n"
    )
    return EXIT_DATA_ERRORS if summary.rejected else EXIT_OK
