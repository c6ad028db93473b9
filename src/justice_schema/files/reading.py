"""Reading a text file from outside: the OS and decoding faults as one :class:`~justice_schema.errors.InputError`.

>>> from pathlib import Path
>>> with reading(Path("/no/such/file.csv")):
...     _ = Path("/no/such/file.csv").read_text(encoding="utf-8")
Traceback (most recent call last):
...
justice_schema.errors.InputError: /no/such/file.csv: cannot read: No such file or directory
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from justice_schema.errors import InputError

__all__ = ["reading"]


@contextmanager
def reading(path: str | os.PathLike[str]) -> Iterator[None]:
    """Run the block that reads ``path``; an ``OSError`` or a byte that is not UTF-8 becomes an InputError naming it.

    The block's own :class:`InputError` (a bad row, a missing column) passes
    through unchanged; format errors (CSV, TOML) are the caller's to word.
    """
    try:
        yield
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text", path=str(path)) from None
