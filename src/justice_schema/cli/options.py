"""Options several verbs share, declared once so their flag and help read the same in every verb."""

from __future__ import annotations

import argparse

__all__ = ["add_csv_raw", "add_progress"]


def add_csv_raw(parser: argparse.ArgumentParser) -> None:
    """``--csv-raw``: CSV outputs written exactly, without neutralising formula-like cells (``args.csv_raw``)."""
    parser.add_argument("--csv-raw", action="store_true",
                        help="write CSV text exactly, without neutralising cells a spreadsheet would run as formulas")


def add_progress(parser: argparse.ArgumentParser) -> None:
    """``--progress/--no-progress``: progress on standard error; by default only on a terminal (``args.progress``)."""
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show progress on standard error (default: when it is a terminal)")
