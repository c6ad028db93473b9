"""``justice-schema schema``: show the published schemas of an entity."""

from __future__ import annotations

import argparse
import sys

from justice_schema.arrow import arrow_schema
from justice_schema.flat import flat_columns
from justice_schema.registry import CURRENT_SCHEMA_VERSION, ENTITY_TYPES
from justice_schema.schema_json import dumps, json_schema

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``schema`` sub-command group."""
    parser = sub.add_parser("schema", help="show published schemas")
    actions = parser.add_subparsers(dest="schema_command", metavar="ACTION")
    show = actions.add_parser("show", help="print an entity's JSON Schema, Arrow schema or flat layout")
    show.add_argument("entity", choices=ENTITY_TYPES, help="entity type")
    show.add_argument("--schema-version", default=CURRENT_SCHEMA_VERSION, help="schema version (default: %(default)s)")
    show.add_argument("--format", choices=("json", "arrow", "flat"), default="json",
                      help="JSON Schema, Arrow schema, or flat CSV columns (default: %(default)s)")
    show.set_defaults(func=run_show)
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
    return 0
