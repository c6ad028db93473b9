"""Measure the offense classifier on labelled data kept apart from its vocabulary's development set.

Every CSV file in ``benchmarks/data/offenses_eval/`` is a labelled set: a ``description`` column
and any of ``nibrs_code``, ``ncrp_category``, ``uccs_broad_type``, ``uccs_category``, ``severity``.
Reports, per labelled set and output level: coverage (share of texts classified), accuracy on
the classified texts, and accuracy against coverage at confidence cut-offs (as ROTA reports
its model), plus every error, so a reader can judge them. The labelled sets and their
provenance are in ``benchmarks/data/offenses_eval/SOURCE.md``.

    python benchmarks/offenses_eval.py
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pyarrow as pa

from justice_schema.offenses import classify_offenses

DATA = Path(__file__).parent / "data" / "offenses_eval"
CUTOFFS = (0.0, 0.8, 0.85, 0.9, 0.95)


def evaluate(name: str, texts: list[str], labels: dict[str, list[str | None]]) -> None:
    """Print coverage, accuracy and accuracy at confidence cut-offs for each labelled level."""
    table = classify_offenses(pa.array(texts, pa.string()))
    offense_confidence = table.column("offense_confidence").to_pylist()
    severity_confidence = table.column("severity_confidence").to_pylist()
    print(f"== {name}: {len(texts)} distinct labelled descriptions")
    for level, truth in labels.items():
        got = table.column(level).to_pylist()
        confidence = severity_confidence if level.startswith("severity") else offense_confidence
        scored = [(g, t, c) for g, t, c in zip(got, truth, confidence) if t is not None]
        print(f"  level {level}: {len(scored)} labelled")
        print("    cut-off  coverage  accuracy (on the covered)")
        for cut in CUTOFFS:
            covered = [(g, t) for g, t, c in scored if g is not None and c is not None and c >= cut]
            right = sum(g == t for g, t in covered)
            acc = right / len(covered) if covered else float("nan")
            print(f"    {cut:>7.2f}  {len(covered) / len(scored):>8.1%}  {acc:.3f} ({right}/{len(covered)})")
        for text, (g, t, _) in zip([x for x, tt in zip(texts, truth) if tt is not None], scored):
            if g != t:
                print(f"    {'unclassified' if g is None else 'wrong':<12} {text!r}: got {g}, label {t}")


LEVELS = ("nibrs_code", "ncrp_category", "uccs_broad_type", "uccs_category", "severity", "severity_degree")
#: A class marker ending a description, "(F4)", "(M2)", "- M1", "(F)": removed for the second pass
MARKER = re.compile(r"\s*-?\s*\(?\b[FMP][1-6]?\)?\s*$")


def main() -> None:
    for path in sorted(DATA.glob("*.csv")):
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        texts = [r["description"] for r in rows]
        labels: dict[str, list[str | None]] = {}
        for level in LEVELS:
            if rows and level in rows[0]:
                # "23*" is the FBI CDE's "Not Specified" pseudo-code, not a NIBRS offense code: no label
                labels[level] = [None if not r[level] or r[level] == "23*" else r[level] for r in rows]
        evaluate(path.name, texts, labels)
        if "severity" in labels:
            stripped = [MARKER.sub("", t) for t in texts]
            evaluate(f"{path.name}, class markers removed from the text", stripped, labels)


if __name__ == "__main__":
    main()
