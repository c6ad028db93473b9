"""One local[2] SparkSession for every Spark test, and the partition counts every Spark test checks.

Starting a session costs seconds, and every Spark job a fixed overhead, so: one session per test process
(the Spark tests are one ``xdist_group``, so ``--dist loadgroup`` keeps them on one worker), adaptive
query execution off (it splits each query into several jobs), two shuffle partitions, and the partition
counts of one check run at once from threads (``tests.spark.partitions.each_partition_count``), so Spark interleaves
their jobs instead of paying each job's latency three times.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """A ``local[2]`` session, two shuffle partitions (the inputs are small), no adaptive execution, no
    whole-stage code generation (compiling Java for every small query costs more than it saves)."""
    from justice_schema.spark import local_session

    session = local_session(2, shuffle_partitions=2, driver_memory="1g", spark_sql_adaptive_enabled="false",
                            spark_sql_codegen_wholeStage="false")
    yield session
    session.stop()
