"""The reject and instruction stage of translation: source rows set aside, with where they came from.

A row is translated or rejected whole: :func:`reject_table` lists each
rejected row once with every reason (each once, sorted, whatever the
batching), its file, physical line and raw text; :func:`instruction_table`
lists the rows the spec reads as instructions (deletes, replacements...).
"""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import arange, as_text
from justice_schema._toolkit.scalars import scalar
from justice_schema.translation.reasons import Reasons
from justice_schema.translation.result import INSTRUCTION_SCHEMA, REJECT_ISSUE_TYPE, REJECT_SCHEMA
from justice_schema.translation.sources import BOOKKEEPING_COLUMNS, SOURCE_FILE, SOURCE_LINE, SOURCE_TEXT

__all__ = ["instruction_table", "raw_rows", "reject_table"]


def raw_rows(source: pa.Table, positions: pa.Array) -> list[str]:
    """The source text of each row at ``positions`` (its line as read, else its cells as JSON)."""
    picked = source.take(positions)
    data = [c for c in picked.column_names if c not in BOOKKEEPING_COLUMNS]
    texts = picked.column(SOURCE_TEXT).to_pylist() if SOURCE_TEXT in picked.column_names else [None] * len(
        positions)
    rows = picked.select(data).to_pylist()
    out = []
    for row, text in zip(rows, texts):
        if text is not None:
            out.append(text)
        else:
            out.append(json.dumps({k: (v if not hasattr(v, "isoformat") else v.isoformat())
                                   for k, v in row.items()}, ensure_ascii=False, default=str))
    return out


def reject_table(source: pa.Table, record_type: str, problems: list[Reasons], rejected_rows: pa.Array) -> pa.Table:
    """The rejects of a batch: one row per rejected source row, with each of its reasons once, sorted.

    ``problems`` are the :class:`~justice_schema.translation.reasons.Reasons` found
    over ``source``; ``rejected_rows`` the positions rejected. ``reasons`` lists the
    texts, ``issues`` the same reasons in the same order with their codes and fields.
    """
    if len(rejected_rows) == 0:
        return REJECT_SCHEMA.empty_table()
    # Each reason once per row, in a stable (sorted) order whatever the batching.
    pairs = pa.table({
        "row": pa.concat_arrays([p.rows for p in problems]),
        "text": pa.concat_arrays([as_text(p.messages) for p in problems]),
        "code": pa.concat_arrays([p.column("code") for p in problems]),
        "entity": pa.concat_arrays([pa.repeat(scalar(p.entity, pa.string()), len(p.rows)) for p in problems]),
        "field": pa.concat_arrays([p.column("field") for p in problems]),
    })
    keys = ["row", "text", "code", "entity", "field"]
    pairs = pairs.group_by(keys, use_threads=False).aggregate([]).sort_by([(k, "ascending") for k in keys])
    # Sorted by row, each row's reasons are one run: the lists are cut at the run ends.
    grouped = pairs.group_by("row", use_threads=False).aggregate([("row", "count")])
    positions = grouped.column("row").combine_chunks()
    offsets = pa.concat_arrays([pa.array([0], pa.int32()),
                                pc.cumulative_sum(grouped.column("row_count").combine_chunks()).cast(pa.int32())])
    texts = pa.ListArray.from_arrays(offsets, pairs.column("text").combine_chunks())
    issues = pa.ListArray.from_arrays(offsets, pa.StructArray.from_arrays(
        [pairs.column(k).combine_chunks() for k in ("code", "entity", "field", "text")],
        fields=list(REJECT_ISSUE_TYPE)))
    picked = source.take(positions)
    return pa.table({
        "source_file": picked.column(SOURCE_FILE),
        "source_line": picked.column(SOURCE_LINE),
        "record_type": pa.repeat(scalar(record_type), len(positions)),
        "reasons": texts,
        "raw": pa.array(raw_rows(source, positions), pa.string()),
        "issues": issues,
    }, schema=REJECT_SCHEMA)


def instruction_table(source: pa.Table, record_type: str, kinds: pa.Array, is_instruction: pa.Array) -> pa.Table:
    """The instructions of a batch: the rows of ``source`` where ``is_instruction`` holds, with their kind."""
    if not pc.any(is_instruction).as_py():
        return INSTRUCTION_SCHEMA.empty_table()
    positions = pc.filter(arange(source.num_rows), is_instruction)
    picked = source.take(positions)
    return pa.table({
        "source_file": picked.column(SOURCE_FILE),
        "source_line": picked.column(SOURCE_LINE),
        "record_type": pa.repeat(scalar(record_type), len(positions)),
        "kind": pc.filter(kinds, is_instruction),
        "raw": pa.array(raw_rows(source, positions), pa.string()),
    }, schema=INSTRUCTION_SCHEMA)
