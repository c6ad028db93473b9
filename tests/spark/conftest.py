"""One local[2] SparkSession for every Spark test (starting one costs seconds; a session each would cost minutes)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A ``local[2]`` session, two shuffle partitions (the inputs are small)."""
    from justice_schema.spark import local_session

    session = local_session(2, shuffle_partitions=2, driver_memory="1g")
    yield session
    session.stop()
