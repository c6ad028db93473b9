"""Streaming CSV with bounded memory: Arrow's reader, paced to the code that uses its batches.

Arrow's streaming CSV reader reads up to 32 blocks of the file ahead in a
background thread; with 16 MiB blocks that is over half a gigabyte held in
memory whatever the consumer does. :class:`CsvStream` gives Arrow the
file through a wrapper whose reads wait while the reader is more than a few
blocks ahead of the batches taken, so memory stays at a few blocks however
large the file. While the consumer is waiting for a batch the wrapper never
holds the reader back, so a record longer than the window cannot stall it.

>>> import pyarrow.csv as pacsv, tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "a.csv")
>>> _ = open(path, "w").write("a,b\\n1,2\\n3,4\\n")
>>> with CsvStream(path, read_options=pacsv.ReadOptions(block_size=1 << 20)) as batches:
...     [b.num_rows for b in batches]
[2]
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

__all__ = ["CsvStream", "PacedFile"]

#: Blocks the reader may run ahead of the batches taken.
AHEAD_BLOCKS = 3
#: How long a read waits for the consumer to take a batch before going ahead anyway, when the consumer
#: is itself waiting for one.
_STALL_SECONDS = 0.25


class PacedFile(io.RawIOBase):
    """A binary file whose reads wait while they are more than ``ahead`` bytes past what was taken.

    ``taken(n)`` moves the mark forward; ``hungry`` (set while the consumer
    waits for a batch) lets reads through regardless, so the reader is never
    held back when it is the one being waited for.
    """

    def __init__(self, path: str | Path, ahead: int) -> None:
        super().__init__()
        self._file = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._ahead = ahead
        self._read = 0
        self._taken = 0
        self._hungry = False
        self._closed_by_consumer = False
        self._turn = threading.Condition()

    def readable(self) -> bool:
        """Always true: this is a file opened for reading."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Read into ``buffer``, first waiting while the reader is too far ahead."""
        with self._turn:
            # Within the window, read; when the consumer has waited a while for a batch (a record
            # longer than the window), read anyway: the window bounds memory, it must never stall.
            while not (self._closed_by_consumer or self._read - self._taken < self._ahead):
                if not self._turn.wait(timeout=_STALL_SECONDS) and self._hungry:
                    break
        count = self._file.readinto(buffer)
        self._read += count or 0
        return count or 0

    def taken(self, nbytes: int) -> None:
        """The consumer has taken ``nbytes`` more of the input: let the reader go that much further."""
        with self._turn:
            self._taken += nbytes
            self._turn.notify_all()

    def set_hungry(self, hungry: bool) -> None:
        """Whether the consumer is waiting for the next batch (reads are not held back meanwhile)."""
        with self._turn:
            self._hungry = hungry
            self._turn.notify_all()

    def close(self) -> None:
        """Release a reader waiting to read, then close the file."""
        with self._turn:
            self._closed_by_consumer = True
            self._turn.notify_all()
        self._file.close()
        super().close()


class CsvStream:
    """Arrow's streaming CSV reader over ``path``, with at most ``ahead_blocks`` blocks read ahead.

    It reads like :class:`pyarrow.csv.CSVStreamingReader` (``read_next_batch``,
    iteration); :meth:`open` starts the reader (Arrow reads the first block and
    the header then) and :meth:`close` releases the file. Errors are Arrow's own
    (``pyarrow.ArrowInvalid`` for malformed input).
    """

    def __init__(self, path: str | Path, *, read_options: pacsv.ReadOptions | None = None,
                 parse_options: pacsv.ParseOptions | None = None,
                 convert_options: pacsv.ConvertOptions | None = None, ahead_blocks: int = AHEAD_BLOCKS) -> None:
        self._options = (read_options or pacsv.ReadOptions(), parse_options, convert_options)
        self._block = self._options[0].block_size
        self._paced = PacedFile(path, ahead=max(2, ahead_blocks) * self._block)
        self._reader: pacsv.CSVStreamingReader | None = None

    def open(self) -> CsvStream:
        """Start Arrow's reader (reads the header and the first block); returns ``self``."""
        if self._reader is None:
            read, parse, convert = self._options
            self._paced.set_hungry(True)
            try:
                self._reader = pacsv.open_csv(self._paced, read_options=read, parse_options=parse,
                                              convert_options=convert)
            finally:
                self._paced.set_hungry(False)
        return self

    def read_next_batch(self) -> pa.RecordBatch:
        """The next record batch; raises ``StopIteration`` at the end of the file."""
        reader = self.open()._reader
        assert reader is not None
        self._paced.set_hungry(True)
        try:
            batch = reader.read_next_batch()
        finally:
            self._paced.set_hungry(False)
        self._paced.taken(self._block)
        return batch

    @property
    def schema(self) -> pa.Schema:
        """The schema of the batches (opens the reader if needed)."""
        reader = self.open()._reader
        assert reader is not None
        return reader.schema

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        while True:
            try:
                yield self.read_next_batch()
            except StopIteration:
                return

    def close(self) -> None:
        """Stop reading and close the file."""
        self._paced.close()

    def __enter__(self) -> CsvStream:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()
