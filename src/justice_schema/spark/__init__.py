"""Run the library on Spark: translation, validation, identity matching and case-flow linking with the single-machine answers.

Install with ``pip install "justice-schema[spark]"`` (pyspark with its Arrow support; Spark
needs Java 17 or newer). Every function takes a Spark DataFrame and returns DataFrames plus
the small merged results (a :class:`~justice_schema.validation.ValidationReport`, capped blocks):

* :func:`translate_files`: the compiled translator on groups of input files, one task each, records
  deduplicated across tasks, one merged reconciliation (:class:`SparkTranslation`);
* :func:`validate_dataframe`: the columnar validator on every partition (``mapInArrow``), rejects
  and issues as DataFrames, one report whose counts reconcile;
* :func:`match_persons_spark`: identity matching whose ``person_uid`` equals
  :func:`~justice_schema.identity.match_persons`' on the same records;
* :func:`link_events_spark`: case-flow linking whose links, unlinked causes and case uids equal
  :func:`~justice_schema.linking.link_events`' on the same events (:class:`SparkLinkResult`);
* :func:`connected_components`: large-star / small-star on a DataFrame of edges;
* :func:`local_session`: a ``local[n]`` session for trying it on one machine.

See :doc:`/cluster` for what each step shuffles.
"""

from justice_schema.spark.components import connected_components
from justice_schema.spark.identity import SparkMatchResult, match_persons_spark
from justice_schema.spark.linking import SparkLinkResult, link_events_spark
from justice_schema.spark.session import local_session
from justice_schema.spark.translation import SparkTranslation, translate_files
from justice_schema.spark.validation import SparkValidation, validate_dataframe

__all__ = ["translate_files", "SparkTranslation", "validate_dataframe", "SparkValidation", "match_persons_spark", "SparkMatchResult",
           "link_events_spark", "SparkLinkResult", "connected_components", "local_session"]
