"""Progress reporting for long work (validating, translating, matching big files).

A :class:`Progress` prints a one-line status to standard error at most every
``interval`` seconds: rows done, rows per second, and the share of bytes read
when the total is known. It is silent when standard error is not a terminal,
unless forced, so logs and CI output stay clean.

>>> import io
>>> out = io.StringIO()
>>> with Progress("validate", total_bytes=100, stream=out, enabled=True, interval=0) as progress:
...     progress.advance(rows=10, bytes_done=50)
>>> "10 rows" in out.getvalue()
True
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """A throttled progress line on standard error; use as a context manager."""

    def __init__(
        self,
        label: str,
        *,
        total_bytes: int | None = None,
        stream: TextIO | None = None,
        enabled: bool | None = None,
        interval: float = 0.5,
    ) -> None:
        self.label = label
        self.total_bytes = total_bytes
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled if enabled is not None else bool(getattr(self.stream, "isatty", lambda: False)())
        self.interval = interval
        self.rows = 0
        self.bytes_done = 0
        self._start = time.perf_counter()
        self._last = 0.0
        self._drawn = False

    def advance(self, rows: int = 0, bytes_done: int | None = None) -> None:
        """Count ``rows`` more rows; ``bytes_done`` is the absolute position in the input."""
        self.rows += rows
        if bytes_done is not None:
            self.bytes_done = bytes_done
        now = time.perf_counter()
        if self.enabled and now - self._last >= self.interval:
            self._last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self._start, 1e-9)
        parts = [f"{self.label}: {self.rows:,} rows", f"{self.rows / elapsed:,.0f} rows/s"]
        if self.total_bytes:
            parts.append(f"{100 * min(self.bytes_done / self.total_bytes, 1):.0f}%")
        self.stream.write("\r" + "  ".join(parts) + " ")
        self.stream.flush()
        self._drawn = True

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.enabled:
            self._draw(time.perf_counter())
            self.stream.write("\n")
            self.stream.flush()
