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
from justice_schema.translation.result import INSTRUCTION_SCHEMA, REJECT_SCHEMA
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


def reject_table(source: pa.Table, record_type: str, problems: list[tuple[pa.Array, pa.Array]],
                 rejected_rows: pa.Array) -> pa.Table:
    """The rejects of a batch: one row per rejected source row, with each of its reasons once, sorted.

    ``problems`` are ``(row positions, reason texts)`` pairs over ``source``;
    ``rejected_rows`` the positions rejected.
    """
    if len(rejected_rows) == 0:
        return REJECT_SCHEMA.empty_table()
    # Each reason once per row, in a stable (sorted) order whatever the batching.
    pairs = pa.table({"row": pa.concat_arrays([r for r, _ in problems]),
                      "text": pa.concat_arrays([as_text(t) for _, t in problems])})
    pairs = pairs.group_by(["row", "text"], use_threads=False).aggregate([]).sort_by(
        [("row", "ascending"), ("text", "ascending")])
    grouped = pairs.group_by("row", use_threads=False).aggregate([("text", "list")])
    positions = grouped.column("row").combine_chunks()
    picked = source.take(positions)
    return pa.table({
        "source_file": picked.column(SOURCE_FILE),
        "source_line": picked.column(SOURCE_LINE),
        "record_type": pa.repeat(scalar(record_type), len(positions)),
        "reasons": grouped.column("text_list"),
        "raw": pa.array(raw_rows(source, positions), pa.string()),
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
