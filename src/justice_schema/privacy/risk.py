"""Disclosure-risk measures on quasi-identifiers: k-anonymity, l-diversity and the share of unique rows.

Each measure is one Arrow group-by over the quasi-identifier columns (a null is a value of its
own, as an attacker sees it). The measures follow the usual definitions (Sweeney's k-anonymity;
Machanavajjhala et al.'s distinct l-diversity); ``tests/privacy/test_risk.py`` checks them against
counts worked by hand. pycanon was the library the issue suggested; its release pins exact
versions of numpy and typing-extensions that pydantic cannot share, so the measures are computed
here and checked by hand instead (docs/privacy.md).
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["RiskMeasures", "measure", "k_anonymity", "Recode", "RiskReport", "class_sizes"]


@attrs.frozen(slots=True)
class RiskMeasures:
    """The risk of one table on its quasi-identifiers (``k`` and ``l`` are 0 for an empty table)."""

    rows: int
    quasi_identifiers: tuple[str, ...]
    k: int
    l_diversity: int | None
    classes: int
    unique_rows: int
    rows_in_classes_under_5: int

    @property
    def share_unique(self) -> float:
        """The share of rows alone in their class (0 to 1)."""
        return self.unique_rows / self.rows if self.rows else 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready figures."""
        return {"rows": self.rows, "quasi_identifiers": list(self.quasi_identifiers), "k": self.k,
                "l_diversity": self.l_diversity, "classes": self.classes, "unique_rows": self.unique_rows,
                "share_unique": round(self.share_unique, 6),
                "rows_in_classes_under_5": self.rows_in_classes_under_5}


def _keys(table: pa.Table, columns: Sequence[str]) -> pa.Table:
    return pa.table({f"q{i}": pc.fill_null(table.column(name).cast(pa.string()), "\x00null")
                     for i, name in enumerate(columns)})


def class_sizes(table: pa.Table, quasi_identifiers: Sequence[str]) -> pa.Array:
    """The size of the equivalence class of every row (rows equal on every quasi-identifier)."""
    keys = _keys(table, quasi_identifiers)
    names = keys.column_names
    keyed = keys.append_column("row", pa.array(range(table.num_rows), pa.int64()))
    sizes = keys.group_by(names).aggregate([([], "count_all")])
    joined = keyed.join(sizes, names, join_type="left outer").sort_by("row")
    return joined.column("count_all").combine_chunks()


def measure(table: pa.Table, quasi_identifiers: Sequence[str], sensitive: str | None = None) -> RiskMeasures:
    """k-anonymity, distinct l-diversity of ``sensitive`` and unique rows of ``table`` on ``quasi_identifiers``."""
    qis = tuple(q for q in quasi_identifiers if q in table.column_names)
    if table.num_rows == 0:
        return RiskMeasures(0, qis, 0, 0 if sensitive else None, 0, 0, 0)
    keys = _keys(table, qis) if qis else pa.table({"q": pa.array([""] * table.num_rows)})
    names = keys.column_names
    aggregations: list[Any] = [([], "count_all")]
    if sensitive is not None and sensitive in table.column_names:
        keys = keys.append_column("s", pc.fill_null(table.column(sensitive).cast(pa.string()), "\x00null"))
        aggregations.append(("s", "count_distinct"))
    grouped = keys.group_by(names).aggregate(aggregations)
    sizes = grouped.column("count_all")
    l_value = None
    if "s_count_distinct" in grouped.column_names:
        l_value = int(pc.min(grouped.column("s_count_distinct")).as_py())
    small = pc.less(sizes, 5)
    return RiskMeasures(
        rows=table.num_rows, quasi_identifiers=qis, k=int(pc.min(sizes).as_py()), l_diversity=l_value,
        classes=grouped.num_rows, unique_rows=int(pc.sum(pc.equal(sizes, 1)).as_py() or 0),
        rows_in_classes_under_5=int(pc.sum(pc.if_else(small, sizes, 0)).as_py() or 0),
    )


@attrs.frozen(slots=True)
class Recode:
    """One step of local recoding: in rows whose class is still under ``k``, ``column`` is cut to its
    first ``keep_chars`` characters (``"06037"`` to ``"06"``, ``"2024-03"`` to ``"2024"``) or set to
    ``value`` (an offense to ``"other"``)."""

    column: str
    keep_chars: int | None = None
    value: str | None = None

    def apply(self, values: pa.Array) -> pa.Array:
        """The recoded values of the whole column (the caller picks the rows)."""
        text = values.cast(pa.string())
        if self.keep_chars is not None:
            return pc.utf8_slice_codeunits(text, 0, self.keep_chars)
        return pc.if_else(pc.is_null(text), text, pa.scalar(self.value, pa.string()))


def k_anonymity(table: pa.Table, quasi_identifiers: Sequence[str], k: int,
                recode: Sequence[Recode] = ()) -> tuple[pa.Table, int, dict[str, int]]:
    """``table`` made ``k``-anonymous on ``quasi_identifiers``, the rows withheld, and the rows recoded per step.

    Rows in classes of fewer than ``k`` rows are first recoded step by step (each step touches only
    the rows still in small classes, so large classes keep their detail), then any row still in a
    small class is withheld (local suppression of whole rows).
    """
    qis = [q for q in quasi_identifiers if q in table.column_names]
    recoded: dict[str, int] = {}
    if k <= 1 or table.num_rows == 0 or not qis:
        return table, 0, recoded
    for step in recode:
        if step.column not in table.column_names:
            continue
        small = pc.less(class_sizes(table, qis), k)
        if not pc.any(small).as_py():
            break
        index = table.column_names.index(step.column)
        old = table.column(step.column).combine_chunks().cast(pa.string())
        table = table.set_column(index, step.column, pc.if_else(small, step.apply(old), old))
        label = f"{step.column}: " + (f"first {step.keep_chars} characters" if step.keep_chars is not None
                                      else f"set to {step.value!r}")
        recoded[label] = int(pc.sum(small).as_py() or 0)
    keep = pc.greater_equal(class_sizes(table, qis), k)
    kept = table.filter(keep)
    return kept, table.num_rows - kept.num_rows, recoded


@attrs.frozen(slots=True)
class RiskReport:
    """The disclosure-risk report of one publication: measures before and after, the suppression
    figures of each aggregate, and the reconciliation of rows. It holds figures and column names,
    never a value of a record."""

    profile: str
    profile_version: str
    tier: str
    before: RiskMeasures | None
    after: RiskMeasures | None
    aggregates: tuple[dict[str, Any], ...] = ()
    rows: dict[str, int] = attrs.field(factory=dict)
    privacy_budget: dict[str, Any] | None = None
    recoded: dict[str, int] = attrs.field(factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {"profile": self.profile, "profile_version": self.profile_version, "tier": self.tier,
                "rows": self.rows,
                "before": self.before.as_dict() if self.before else None,
                "after": self.after.as_dict() if self.after else None,
                "aggregates": list(self.aggregates), "privacy_budget": self.privacy_budget,
                "recoded_for_k_anonymity": self.recoded}

    def to_json(self) -> str:
        """The report as indented JSON text."""
        return json.dumps(self.as_dict(), indent=2, sort_keys=True)

    def to_html(self) -> str:
        """The report as a self-contained HTML page."""
        e = html.escape
        parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>Disclosure risk: {e(self.profile)}"
                 "</title></head><body>",
                 f"<h1>Disclosure risk: profile {e(self.profile)} {e(self.profile_version)} ({e(self.tier)})</h1>",
                 "<h2>Rows</h2><table>"]
        parts += [f"<tr><th>{e(k)}</th><td>{v:,}</td></tr>" for k, v in self.rows.items()]
        parts.append("</table>")
        if self.before or self.after:
            parts.append("<h2>Quasi-identifiers, before and after</h2><table><tr><th>measure</th>"
                         "<th>before</th><th>after</th></tr>")
            before = self.before.as_dict() if self.before else {}
            after = self.after.as_dict() if self.after else {}
            for name in ("rows", "k", "l_diversity", "classes", "unique_rows", "share_unique",
                         "rows_in_classes_under_5"):
                parts.append(f"<tr><th>{e(name)}</th><td>{e(str(before.get(name, '')))}</td>"
                             f"<td>{e(str(after.get(name, '')))}</td></tr>")
            qis = (self.after or self.before).quasi_identifiers  # type: ignore[union-attr]
            parts.append(f"</table><p>Quasi-identifiers: {e(', '.join(qis))}</p>")
        for agg in self.aggregates:
            parts.append(f"<h2>Aggregate {e(str(agg['name']))}</h2><table>")
            parts += [f"<tr><th>{e(str(k))}</th><td>{e(str(v))}</td></tr>" for k, v in agg.items() if k != "name"]
            parts.append("</table>")
        if self.recoded:
            parts.append("<h2>Rows recoded for k-anonymity</h2><table>")
            parts += [f"<tr><th>{e(k)}</th><td>{v:,}</td></tr>" for k, v in self.recoded.items()]
            parts.append("</table>")
        if self.privacy_budget:
            parts.append(f"<h2>Privacy budget</h2><pre>{e(json.dumps(self.privacy_budget, indent=2))}</pre>")
        parts.append("</body></html>")
        return "\n".join(parts)
