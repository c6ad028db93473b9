"""A local SparkSession set up for this library, and the check that Spark can run here.

On a cluster, build the session as your platform says (``spark-submit``, Databricks, EMR...):
the functions of :mod:`justice_schema.spark` take any session's DataFrames. The workers need
``justice-schema[spark]`` installed in the Python they run (``spark.pyspark.python``).
"""

from __future__ import annotations

import os
import sys
from typing import Any

__all__ = ["local_session"]


def local_session(cores: int = 2, *, shuffle_partitions: int | None = None, app_name: str = "justice_schema",
                  driver_memory: str = "2g", **config: str) -> Any:
    """A ``local[cores]`` SparkSession whose Python workers run this interpreter.

    ``shuffle_partitions`` defaults to ``2 * cores`` (Spark's 200 costs seconds of task
    overhead on small data). Extra ``config`` keys use underscores for dots
    (``spark_sql_adaptive_enabled="false"``). The Spark UI is off. Needs Java 17 or newer
    on the ``PATH`` (or ``JAVA_HOME``); pyspark says so when it is missing.
    """
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = (SparkSession.builder.master(f"local[{cores}]").appName(app_name)
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.memory", driver_memory)
               .config("spark.sql.shuffle.partitions", str(shuffle_partitions or 2 * cores))
               .config("spark.pyspark.python", sys.executable)
               .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
    for key, value in config.items():
        builder = builder.config(key.replace("_", "."), value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
