"""``justice-schema hub build|site``: the hub in a box.

``justice-schema hub build hub.toml [--force] [--quiet]`` runs the hub's stages over the
exports the configuration names and swaps in the new DuckDB database (the load report on
standard error; exit 0, or 2 for a bad configuration or unreadable input).
``justice-schema hub site hub.toml [--out DIR]`` writes the static site and prints the
path of its ``index.html``.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["register", "run_build", "run_site"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``hub`` sub-command with its ``build`` and ``site`` verbs."""
    parser = sub.add_parser("hub", help="build the embedded justice-data hub and its site",
                            description="Build a DuckDB justice-data hub from vendor exports (hub.toml), "
                                        "and publish its static data-quality site.")
    verbs = parser.add_subparsers(dest="hub_command", metavar="VERB", parser_class=type(parser))
    build = verbs.add_parser("build", help="translate, validate, match and load every export of hub.toml")
    build.add_argument("config", metavar="HUB.toml", help="the hub configuration")
    build.add_argument("--force", action="store_true", help="rebuild even when no input changed")
    build.add_argument("--quiet", action="store_true", help="no progress lines, only the load report")
    build.set_defaults(func=run_build)
    site = verbs.add_parser("site", help="write the static HTML site of a built hub")
    site.add_argument("config", metavar="HUB.toml", help="the hub configuration (names the database and site)")
    site.add_argument("--out", metavar="DIR", help="the site folder (default: [hub] site of the configuration)")
    site.set_defaults(func=run_site)
    parser.set_defaults(func=lambda args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    sys.stderr.write("justice-schema hub: error: name a verb: build or site\n")
    return 2


def run_build(args: argparse.Namespace) -> int:
    """Run ``justice-schema hub build`` (:func:`justice_schema.hub.build_hub`)."""
    from justice_schema.hub import build_hub

    report = build_hub(args.config, force=args.force, quiet=args.quiet)
    sys.stderr.write(report.text() + "\n")
    return 0


def run_site(args: argparse.Namespace) -> int:
    """Run ``justice-schema hub site`` (:func:`justice_schema.hub.site.build_site`)."""
    from justice_schema.hub import load_config
    from justice_schema.hub.site import build_site

    config = load_config(args.config)
    index = build_site(config.database, args.out or config.site)
    print(index.resolve())
    return 0
