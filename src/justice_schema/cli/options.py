"""Options several verbs share, declared once so their flag and help read the same in every verb."""

from __future__ import annotations

import argparse

__all__ = ["add_csv_raw", "add_progress", "file_verb"]


def add_csv_raw(parser: argparse.ArgumentParser) -> None:
    """``--csv-raw``: CSV outputs written exactly, without neutralising formula-like cells (``args.csv_raw``)."""
    parser.add_argument("--csv-raw", action="store_true",
                        help="write CSV text exactly, without neutralising cells a spreadsheet would run as formulas")


def add_progress(parser: argparse.ArgumentParser) -> None:
    """``--progress/--no-progress``: progress on standard error; by default only on a terminal (``args.progress``)."""
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show progress on standard error (default: when it is a terminal)")


def file_verb(sub: argparse._SubParsersAction, name: str, *, summary: str, description: str,
              source: tuple[str, str], out: tuple[str, str]) -> argparse.ArgumentParser:
    """The parser of a verb that reads one file and writes ``--out``: ``args.path`` and ``args.out`` declared.

    ``summary`` is the one line ``justice-schema --help`` lists, ``description`` the verb's own
    help; ``source`` and ``out`` are the (metavar, help) of the input path and the required output.
    The verb adds its own options to the parser returned, then ``set_defaults(func=run)``.
    """
    parser: argparse.ArgumentParser = sub.add_parser(name, help=summary, description=description)
    parser.add_argument("path", metavar=source[0], help=source[1])
    parser.add_argument("--out", required=True, metavar=out[0], help=out[1])
    return parser
