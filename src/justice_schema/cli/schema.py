"""``justice-schema schema``: show, list, export and compare the published schemas."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from justice_schema.arrow import arrow_schema
from justice_schema.cli import EXIT_DATA_ERRORS, EXIT_OK
from justice_schema.flat import flat_columns
from justice_schema.registry import CURRENT_SCHEMA_VERSION, ENTITY_TYPES, check_version, entity_types
from justice_schema.schema_json import dumps, json_schema, schema_id

__all__ = ["register", "export_schemas"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``schema`` sub-command group."""
    parser = sub.add_parser("schema", help="show, list, export and compare published schemas")
    actions = parser.add_subparsers(dest="schema_command", metavar="ACTION")
    show = actions.add_parser("show", help="print an entity's JSON Schema, Arrow schema or flat layout")
    show.add_argument("entity", choices=ENTITY_TYPES, help="entity type")
    show.add_argument("--schema-version", default=CURRENT_SCHEMA_VERSION, help="schema version (default: %(default)s)")
    show.add_argument("--format", choices=("json", "arrow", "flat"), default="json",
                      help="JSON Schema, Arrow schema, or flat CSV columns (default: %(default)s)")
    show.set_defaults(func=run_show)

    listing = actions.add_parser("list", help="list the schema versions this release ships, with their status")
    listing.add_argument("--json", action="store_true", help="print as JSON")
    listing.set_defaults(func=run_list)

    export = actions.add_parser(
        "export", help="write a version's JSON Schema and Arrow schema files, for consumers outside Python"
    )
    export.add_argument("--version", dest="schema_version", default=CURRENT_SCHEMA_VERSION,
                        help="schema version (default: %(default)s)")
    export.add_argument("--out", required=True, help="folder to write into (created if missing)")
    export.set_defaults(func=run_export)

    diff = actions.add_parser(
        "diff", help="compare two schema versions (or schema files/folders); exit 1 when the change breaks the mode"
    )
    diff.add_argument("old", help="old schema: a version such as 1.0, a schema file, or an exported folder")
    diff.add_argument("new", help="new schema: a version, a schema file, or an exported folder")
    diff.add_argument("--mode", default="BACKWARD",
                      help="BACKWARD, FORWARD, FULL, their _TRANSITIVE forms, or NONE (default: %(default)s)")
    diff.add_argument("--json", action="store_true", help="print the report as JSON")
    diff.set_defaults(func=run_diff)
    parser.set_defaults(func=lambda args: (parser.print_help(sys.stderr), 2)[1])


def run_show(args: argparse.Namespace) -> int:
    """Print one schema of one entity."""
    if args.format == "json":
        sys.stdout.write(dumps(json_schema(args.entity, args.schema_version)))
    elif args.format == "arrow":
        print(arrow_schema(args.entity, args.schema_version).to_string(show_field_metadata=False, show_schema_metadata=False))
    else:
        for column in flat_columns(args.entity, args.schema_version):
            print(f"{column.name}\t{column.type}\t{'required' if column.required else 'optional'}\t{column.description}")
    return EXIT_OK


def run_list(args: argparse.Namespace) -> int:
    """Print the shipped schema versions and their support status."""
    from justice_schema.versioning import SUPPORT

    rows: list[dict[str, str | None]] = [
        {"version": s.version, "status": s.status, "since_package": s.since_package,
         "deprecated_in": s.deprecated_in, "summary": s.summary}
        for s in SUPPORT
    ]
    if args.json:
        json.dump(rows, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    print(f"{'version':<8} {'status':<11} {'since':<8} summary")
    for row in rows:
        status = f"{row['status']}" + (f" (in {row['deprecated_in']})" if row["deprecated_in"] else "")
        print(f"{row['version']:<8} {status:<11} {row['since_package']:<8} {row['summary']}")
    return EXIT_OK


def export_schemas(schema_version: str, folder: str | Path) -> list[Path]:
    """Write every entity's schemas of ``schema_version`` into ``folder``, and a ``manifest.json``.

    Per entity: ``<entity>.schema.json`` (JSON Schema, identical to the frozen
    published file), ``<entity>.arrow`` (an Arrow IPC stream holding the schema
    and no rows, readable by any Arrow library) and ``<entity>.arrow.json`` (the
    same Arrow schema described in JSON). Returns the paths written.
    """
    import pyarrow as pa

    from justice_schema import __version__
    from justice_schema.versioning import status_of
    from justice_schema.versioning.sources import arrow_schema_to_dict

    version = check_version(schema_version)
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    manifest: dict[str, object] = {
        "schema_version": version,
        "status": status_of(version),
        "package_version": __version__,
        "entities": {},
    }
    for entity in entity_types(version):
        files = {
            "json_schema": out / f"{entity}.schema.json",
            "arrow_ipc": out / f"{entity}.arrow",
            "arrow_json": out / f"{entity}.arrow.json",
        }
        files["json_schema"].write_text(dumps(json_schema(entity, version)), encoding="utf-8")
        schema = arrow_schema(entity, version)
        with pa.OSFile(str(files["arrow_ipc"]), "wb") as sink, pa.ipc.new_stream(sink, schema):
            pass
        files["arrow_json"].write_text(json.dumps(arrow_schema_to_dict(schema), indent=2) + "\n", encoding="utf-8")
        manifest["entities"][entity] = {  # type: ignore[index]
            "$id": schema_id(entity, version), **{k: p.name for k, p in files.items()}
        }
        written.extend(files.values())
    path = out / "manifest.json"
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    written.append(path)
    return written


def run_export(args: argparse.Namespace) -> int:
    """Write the schema files of one version."""
    written = export_schemas(args.schema_version, args.out)
    print(f"wrote {len(written)} files for schema {args.schema_version} to {args.out}")
    return EXIT_OK


def run_diff(args: argparse.Namespace) -> int:
    """Compare two schemas; exit 1 when the change breaks the mode."""
    from justice_schema.versioning import check_compatibility
    from justice_schema.versioning.sources import load_schema_set, require_shared_entities

    old, new = load_schema_set(args.old), load_schema_set(args.new)
    require_shared_entities(old, new)
    report = check_compatibility(args.old, args.new, args.mode)
    if args.json:
        json.dump(report.to_dict(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(report.to_text())
    return EXIT_OK if report.compatible else EXIT_DATA_ERRORS
