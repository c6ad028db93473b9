"""Connected components of a graph held as a Spark DataFrame of edges: large-star / small-star.

The alternating algorithm of Kiveris, Lattanzi, Mirrokni, Rastogi and Vassilvitskii
("Connected Components in MapReduce and Beyond", SoCC 2014). Each node's label is the
smallest node of its component (compared as text, Spark's binary string order, which is the
order ``person_uid`` uses). Every step is a DataFrame join and aggregation: no edge is ever
collected to the driver. Rounds are logarithmic in the graph's diameter in practice; each
round's edges are checkpointed locally so the plan does not grow with the rounds.

* **large-star**: each node ``u`` connects every *larger* neighbour to the smallest node of
  its neighbourhood (itself included);
* **small-star**: each node ``u`` connects itself and its *smaller* neighbours to the
  smallest of them.

It stops when the edges form stars: every node that has a smaller neighbour has exactly one,
and that one has none (it is the component's smallest node).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import DataFrame

__all__ = ["connected_components", "MAX_ROUNDS"]

_log = logging.getLogger(__name__)

#: Rounds after which the algorithm gives up (each round at least halves the work in practice).
MAX_ROUNDS = 64


def _large_star(edges: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F

    both = edges.select(F.col("big").alias("u"), F.col("small").alias("v")).unionAll(
        edges.select(F.col("small").alias("u"), F.col("big").alias("v")))
    low = both.groupBy("u").agg(F.min("v").alias("m")).select("u", F.least("u", "m").alias("m"))
    return (both.join(low, "u").where(F.col("v") > F.col("u"))
            .select(F.col("v").alias("big"), F.col("m").alias("small")).distinct())


def _small_star(edges: DataFrame) -> DataFrame:
    from pyspark.sql import functions as F

    low = edges.groupBy("big").agg(F.min("small").alias("m"))
    spokes = edges.join(low, "big").select(F.col("small").alias("node"), "m")
    hubs = low.select(F.col("big").alias("node"), "m")
    out = spokes.unionAll(hubs).where(F.col("node") != F.col("m"))
    return out.select(F.col("node").alias("big"), F.col("m").alias("small")).distinct()


def _is_star(edges: DataFrame) -> bool:
    """True when every node with a smaller neighbour has exactly one and that one has none (one Spark job)."""
    from pyspark.sql import functions as F

    bigs = edges.groupBy("big").agg(F.count("*").alias("n"))
    many = bigs.where(F.col("n") > 1).select(F.lit(1).alias("bad"))
    centres_with_parent = (edges.select(F.col("small").alias("big")).join(bigs.select("big"), "big", "left_semi")
                           .select(F.lit(1).alias("bad")))
    return not many.unionAll(centres_with_parent).limit(1).collect()


def connected_components(edges: DataFrame, a: str = "a", b: str = "b") -> DataFrame:
    """Label every node that has an edge with its component's smallest node.

    ``edges`` has two string columns ``a`` and ``b`` (an undirected edge each; self-loops
    and repeats are allowed). Returns a DataFrame ``(node, component)``, one row per node
    that appears in an edge; a node alone in its component has no row.
    Raises :class:`RuntimeError` if the edges are not stars after :data:`MAX_ROUNDS` rounds.
    """
    from pyspark.sql import functions as F

    current = (edges.select(F.greatest(a, b).alias("big"), F.least(a, b).alias("small"))
               .where(F.col("big") != F.col("small")).distinct().localCheckpoint(eager=True))
    _log.info("edges")
    for rounds in range(1, MAX_ROUNDS + 1):
        if _is_star(current):
            break
        current = _small_star(_large_star(current)).localCheckpoint(eager=True)
        _log.info("large-star / small-star round %d", rounds)
    else:
        raise RuntimeError(f"connected components did not converge in {MAX_ROUNDS} rounds")
    current = current.localCheckpoint(eager=True)
    members = current.select(F.col("big").alias("node"), F.col("small").alias("component"))
    centres = current.select(F.col("small").alias("node"), F.col("small").alias("component")).distinct()
    return members.unionAll(centres)
