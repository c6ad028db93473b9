"""Source readers: turn vendor files into batches of raw string columns.

Provisional copy of the reader contract defined by the translation engine
(branch ``issue-4``); replaced by the engine's module on merge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa

__all__ = ["SourceBatch", "Reader", "register_reader", "read_source", "reader_names"]


@attrs.frozen(slots=True)
class SourceBatch:
    """Raw rows of one record type read from one file."""

    record_type: str
    table: pa.Table


Reader = Callable[[Sequence[Path], Mapping[str, Any]], Iterator[SourceBatch]]
_READERS: dict[str, Reader] = {}


def register_reader(format_name: str, reader: Reader) -> None:
    """Register ``reader`` for the source format ``format_name``."""
    _READERS[format_name] = reader


def reader_names() -> tuple[str, ...]:
    """The registered source format names."""
    _load_builtin()
    return tuple(sorted(_READERS))


def read_source(format_name: str, paths: Sequence[Path], options: Mapping[str, Any]) -> Iterator[SourceBatch]:
    """Read ``paths`` with the reader registered for ``format_name``."""
    _load_builtin()
    return _READERS[format_name](paths, options)


def _load_builtin() -> None:
    from justice_schema.translate.sources import fixed_width, xml  # noqa: F401
