"""The ``justice-schema`` command line.

Each sub-command lives in its own module of this package and registers itself
in :data:`COMMANDS`. Exit codes are the same for every command:

* ``0`` success, nothing wrong in the data;
* ``1`` the command ran, and the data has rule errors or rejects;
* ``2`` bad usage or unreadable input: one clear line on standard error, no traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from justice_schema import __version__
from justice_schema.errors import JusticeSchemaError

__all__ = ["main", "COMMANDS", "EXIT_OK", "EXIT_DATA_ERRORS", "EXIT_USAGE"]

EXIT_OK = 0
EXIT_DATA_ERRORS = 1
EXIT_USAGE = 2

#: Sub-command registrars: each adds its parser to the sub-parsers and sets ``func``.
COMMANDS: list[Callable[[argparse._SubParsersAction], None]] = []


def _load_commands() -> None:
    if COMMANDS:
        return
    from justice_schema.cli import (
        caseflow,
        hub,
        info,
        match,
        migrate,
        nibrs,
        offenses,
        publish,
        schema,
        translate,
        validate,
    )

    COMMANDS.extend(
        [info.register, schema.register, validate.register, translate.register, match.register, migrate.register,
         offenses.register, caseflow.register, nibrs.register, publish.register, hub.register]
    )


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(EXIT_USAGE)




def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered sub-command."""
    _load_commands()
    parser = _Parser(
        prog="justice-schema",
        description="Canonical criminal-justice data models: schemas, validation, translation, matching.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for register in COMMANDS:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (also used as the console script)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.func(args) or EXIT_OK)
    except JusticeSchemaError as exc:
        sys.stderr.write(f"justice-schema {args.command}: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("justice-schema: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
