"""One local[2] SparkSession for every Spark test, and the partition counts every Spark test checks.

Starting a session costs seconds, and every Spark job a fixed overhead, so: one session per test process
(the Spark tests are one ``xdist_group``, so ``--dist loadgroup`` keeps them on one worker), adaptive
query execution off (it splits each query into several jobs), two shuffle partitions, and the partition
counts of one check run at once from threads (``tests.spark.partitions.each_partition_count``), so Spark interleaves
their jobs instead of paying each job's latency three times.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest


def _one_worker_only(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Fail if, under ``--dist loadgroup``, a second xdist worker starts a Spark session.

    Every Spark test is in the ``spark`` group, so one worker should run them all. If grouping breaks
    (pytest-xdist issue 1386: on pytest 9.2 the group is silently ignored), each worker starts its own
    JVM, which costs a minute of the suite and a gigabyte of memory without any test failing. The
    workers share the parent of their temporary folders; each Spark session leaves its worker's name
    there."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not request.config.getoption("loadgroup", default=False):
        return
    shared = tmp_path_factory.getbasetemp().parent
    (shared / f"spark-session-{worker}").touch()
    others = sorted(p.name.removeprefix("spark-session-") for p in shared.glob("spark-session-*")
                    if p.name != f"spark-session-{worker}")
    if others:
        pytest.fail(f"Spark tests run on xdist workers {worker} and {', '.join(others)}: --dist loadgroup did "
                    "not keep the 'spark' group on one worker (pytest-xdist issue 1386; pyproject pins pytest "
                    "below 9.2 for it)")


@pytest.fixture(scope="session")
def spark(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A ``local[2]`` session, two shuffle partitions (the inputs are small), no adaptive execution, no
    whole-stage code generation (compiling Java for every small query costs more than it saves)."""
    from justice_schema.spark import local_session

    _one_worker_only(request, tmp_path_factory)

    session = local_session(2, shuffle_partitions=2, driver_memory="1g", spark_sql_adaptive_enabled="false",
                            spark_sql_codegen_wholeStage="false")
    yield session
    session.stop()
