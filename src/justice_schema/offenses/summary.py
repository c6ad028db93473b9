"""The coverage summary of a classification run: how much was classified, and what was not, commonest first."""

from __future__ import annotations

import attrs
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["CoverageSummary", "coverage_summary"]


@attrs.frozen(slots=True)
class CoverageSummary:
    """Counts of a run (rows and distinct texts) and the commonest unclassified texts.

    ``rows = classified + unclassified``; ``blank`` rows (no description and no statute)
    are among the unclassified.
    """

    rows: int
    classified: int
    unclassified: int
    blank: int
    distinct_texts: int
    distinct_unclassified: int
    top_unclassified: tuple[tuple[str, int], ...]

    @property
    def coverage(self) -> float:
        """Share of the rows with text that were classified (1.0 when there is none)."""
        with_text = self.rows - self.blank
        return self.classified / with_text if with_text else 1.0

    def lines(self) -> list[str]:
        """The summary as lines for a terminal."""
        out = [f"{self.rows} rows: {self.classified} classified, {self.unclassified} unclassified "
               f"({self.blank} without text); coverage {self.coverage:.1%} of rows with text; "
               f"{self.distinct_texts} distinct texts, {self.distinct_unclassified} of them unclassified"]
        if self.top_unclassified:
            out.append("commonest unclassified texts (add them to your crosswalk or vocabulary):")
            out.extend(f"  {count:>8}  {text}" for text, count in self.top_unclassified)
        return out


def coverage_summary(texts: pa.Array, result: pa.Table, top: int = 20) -> CoverageSummary:
    """Summarise ``result`` (from :func:`~justice_schema.offenses.classify_offenses`) of the input ``texts``.

    ``texts`` is what identifies a text to its user (the description, or statute and description);
    the ``top`` commonest unclassified ones are listed with their row counts, ties by text.
    """
    status = result.column("offense_status")
    unclassified = pc.equal(status, "unclassified")
    reason = result.column("offense_reason")
    blank = pc.fill_null(pc.equal(reason, "no description and no statute"), False)
    missed = pc.filter(texts, pc.and_(unclassified, pc.invert(blank)))
    counts = pc.value_counts(missed) if len(missed) else pa.array([], pa.struct([("values", pa.string()),
                                                                                 ("counts", pa.int64())]))
    pairs = sorted(((str(c["values"]), int(c["counts"])) for c in counts.to_pylist()), key=lambda p: (-p[1], p[0]))
    n_unclassified = int(pc.sum(unclassified).as_py() or 0)
    return CoverageSummary(result.num_rows, result.num_rows - n_unclassified, n_unclassified,
                           int(pc.sum(blank).as_py() or 0), int(pc.count_distinct(texts).as_py() or 0),
                           len(pairs), tuple(pairs[:top]))
