"""``justice-schema info``: the package version, schema versions and entities."""

from __future__ import annotations

import argparse
import json
import sys

from justice_schema import __version__
from justice_schema.registry import CURRENT_SCHEMA_VERSION, ENTITY_TYPES, SCHEMA_VERSIONS

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``info`` sub-command."""
    parser = sub.add_parser("info", help="show the package version, schema versions and entities")
    parser.add_argument("--json", action="store_true", help="print as JSON")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print what this installation ships."""
    info = {
        "package_version": __version__,
        "schema_versions": list(SCHEMA_VERSIONS),
        "current_schema_version": CURRENT_SCHEMA_VERSION,
        "entities": list(ENTITY_TYPES),
    }
    if args.json:
        json.dump(info, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"justice-schema {__version__}")
        print(f"schema versions: {', '.join(SCHEMA_VERSIONS)} (current {CURRENT_SCHEMA_VERSION})")
        print(f"entities: {', '.join(ENTITY_TYPES)}")
    return 0
