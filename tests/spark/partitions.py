"""The partition counts every Spark result is checked at, run at once."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

#: The input partition counts every Spark result is checked at against the single-machine result.
PARTITION_COUNTS = (1, 2, 7)


def each_partition_count(check: Callable[[int], None]) -> None:
    """Run ``check(partitions)`` for 1, 2 and 7 partitions concurrently; re-raise the first failure."""
    with ThreadPoolExecutor(max_workers=len(PARTITION_COUNTS)) as pool:
        for future in [pool.submit(check, n) for n in PARTITION_COUNTS]:
            future.result()
