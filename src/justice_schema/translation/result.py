"""What a translation gives back: canonical tables, rejects, instructions and the reconciliation."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import attrs
import pyarrow as pa

__all__ = ["TranslationResult", "Reconciliation", "RecordTypeCounts", "REJECT_SCHEMA", "REJECT_ISSUE_TYPE",
           "INSTRUCTION_SCHEMA",
           "CONFLICT_SCHEMA", "FileCounts", "BatchOutput"]

#: The coded form of one reject reason: the issue record (:mod:`justice_schema.issues`) of a source row.
REJECT_ISSUE_TYPE = pa.struct([
    pa.field("code", pa.string(), metadata={"description": "a JS-T reject code or the broken rule's code"}),
    pa.field("entity", pa.string(), metadata={"description": "the entity of the record it is about, if any"}),
    pa.field("field", pa.string(), metadata={"description": "field path, list levels dropped, if any"}),
    pa.field("message", pa.string(), metadata={"description": "the reason's text (as in reasons)"}),
])
#: One row per rejected source row: ``reasons`` are the texts, ``issues`` the same reasons coded, in the same order.
REJECT_SCHEMA = pa.schema([
    pa.field("source_file", pa.string()),
    pa.field("source_line", pa.int64(), metadata={"description": "1-based physical line in source_file"}),
    pa.field("record_type", pa.string()),
    pa.field("reasons", pa.list_(pa.string())),
    pa.field("raw", pa.string(), metadata={"description": "the source row as JSON text"}),
    pa.field("issues", pa.list_(REJECT_ISSUE_TYPE), metadata={"description": "each reason with its code and field"}),
])
#: One row per source row that is an instruction (delete, replace, zero report...), not a record.
INSTRUCTION_SCHEMA = pa.schema([
    pa.field("source_file", pa.string()),
    pa.field("source_line", pa.int64()),
    pa.field("record_type", pa.string()),
    pa.field("kind", pa.string()),
    pa.field("raw", pa.string()),
])
#: One row per value a ``dedupe`` merge dropped: a duplicate record whose field differs from the kept record's.
CONFLICT_SCHEMA = pa.schema([
    pa.field("entity", pa.string()),
    pa.field("id", pa.string(), metadata={"description": "the merged record's id"}),
    pa.field("field", pa.string(), metadata={"description": "dotted path of the field, e.g. sex or address.city"}),
    pa.field("kept_value", pa.string(), metadata={"description": "the value of the record kept (null: none)"}),
    pa.field("other_value", pa.string(), metadata={"description": "the value the dropped duplicate had"}),
    pa.field("source_file", pa.string(), metadata={"description": "where the dropped duplicate came from"}),
    pa.field("source_line", pa.int64()),
])


@attrs.define(slots=True)
class FileCounts:
    """Row counts of one input file.

    A main input file balances like a record type: ``rows_in == translated +
    instructions + not_mapped + rejected``. A joined or gathered file has a
    ``role`` (``join:<name>`` or ``gather:<name>``); a joined file's rows are
    looked up, not translated, so only ``rows_in`` is counted for it.
    """

    role: str = "main"
    rows_in: int = 0
    translated: int = 0
    instructions: int = 0
    rejected: int = 0
    not_mapped: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready counts (``role`` and ``not_mapped`` only when they say something)."""
        out: dict[str, Any] = {} if self.role == "main" else {"role": self.role}
        out["rows_in"] = self.rows_in
        if not self.role.startswith("join:"):
            out.update(translated=self.translated, instructions=self.instructions, rejected=self.rejected)
            if self.not_mapped:
                out["not_mapped"] = self.not_mapped
        return out


@attrs.define(slots=True)
class RecordTypeCounts:
    """Row counts of one source record type.

    ``rows_in == translated + instructions + not_mapped + rejected``: a row is
    translated into records (for gathered child rows: attached to a translated
    parent), an instruction, of a record type the spec declares ``not_mapped``
    (no canonical entity exists for it), or rejected. A row that is an
    instruction *and* translated (``translate = true``) counts as translated.
    """

    rows_in: int = 0
    translated: int = 0
    instructions: int = 0
    rejected: int = 0
    not_mapped: int = 0

    @property
    def balanced(self) -> bool:
        """True when every row in is accounted for."""
        return self.rows_in == self.translated + self.instructions + self.not_mapped + self.rejected


def _counts_dict(counts: RecordTypeCounts) -> dict[str, int]:
    """A record type's counts as JSON; ``not_mapped`` only when there are such rows."""
    out = {"rows_in": counts.rows_in, "translated": counts.translated, "instructions": counts.instructions,
           "rejected": counts.rejected}
    if counts.not_mapped:
        out["not_mapped"] = counts.not_mapped
    return out


@attrs.define(slots=True)
class Reconciliation:
    """The accounting of a translation: nothing goes missing without a trace.

    * ``record_types``: per source record type, rows in, rows translated into
      records, rows that are instructions, rows rejected;
    * ``records_out``: records per entity (after ``dedupe``), and
      ``duplicates_merged``: records dropped because an earlier one had the same id;
    * ``superseded``: records per entity dropped because a later action of the same
      run replaced or deleted them (actions apply in file order), or because the
      record they name was so dropped;
    * ``instruction_kinds``: instruction rows per kind;
    * ``unused_columns``: per record type (or ``join:<name>``), source columns the spec never reads;
    * ``unmapped_values``: per map or lookup, vendor values with no mapping and their counts;
    * ``warnings``: counted warnings (e.g. raw values kept with no code);
    * ``joins``: per joined input, rows read, rows matched, duplicate keys;
    * ``not_mapped``: per record type the spec declares ``not_mapped``, the reason;
    * ``gathers``: per gathered input read from other files, rows read, attached,
      and (with ``orphans = "report"``) rows that matched no parent;
    * ``files``: per input file (by name), its rows in, translated, instructions
      and rejected (see :class:`FileCounts`);
    * ``ignored_files``: files given but not read, each with the reason (the
      spec's ``[source] files`` does not match it, or its join was skipped);
    * ``dedupe_conflicts``: per entity and field, how many values a ``dedupe``
      merge dropped because they differed from the kept record's, and
      ``conflicts_listed`` how many of them are rows of ``TranslationResult.conflicts``
      (the first 1,000 of the run by default; every one with ``conflict_sample=None``);
    * ``params``: the translator parameters the run used.
    """

    record_types: dict[str, RecordTypeCounts] = attrs.field(factory=dict)
    records_out: Counter[str] = attrs.field(factory=Counter)
    duplicates_merged: Counter[str] = attrs.field(factory=Counter)
    superseded: Counter[str] = attrs.field(factory=Counter)
    instruction_kinds: Counter[str] = attrs.field(factory=Counter)
    unused_columns: dict[str, list[str]] = attrs.field(factory=dict)
    unmapped_values: dict[str, Counter[str]] = attrs.field(factory=dict)
    warnings: Counter[str] = attrs.field(factory=Counter)
    joins: dict[str, dict[str, int]] = attrs.field(factory=dict)
    not_mapped: dict[str, str] = attrs.field(factory=dict)
    gathers: dict[str, dict[str, int]] = attrs.field(factory=dict)
    files: dict[str, FileCounts] = attrs.field(factory=dict)
    ignored_files: dict[str, str] = attrs.field(factory=dict)
    dedupe_conflicts: dict[str, Counter[str]] = attrs.field(factory=dict)
    params: dict[str, str] = attrs.field(factory=dict)
    conflicts_listed: int = 0

    @property
    def conflicts(self) -> int:
        """Values dropped by ``dedupe`` merges because they conflicted with the kept record's."""
        return sum(sum(c.values()) for c in self.dedupe_conflicts.values())

    @property
    def rows_in(self) -> int:
        """Source rows read, over all record types."""
        return sum(c.rows_in for c in self.record_types.values())

    @property
    def rows_rejected(self) -> int:
        """Source rows rejected, over all record types."""
        return sum(c.rejected for c in self.record_types.values())

    @property
    def balanced(self) -> bool:
        """True when every record type's rows in are all accounted for (see :class:`RecordTypeCounts`)."""
        return all(c.balanced for c in self.record_types.values())

    def to_dict(self) -> dict[str, Any]:
        """The reconciliation as JSON-ready data (what ``summary.json`` holds)."""
        return {
            "balanced": self.balanced,
            "rows_in": self.rows_in,
            "rows_rejected": self.rows_rejected,
            "record_types": {k: _counts_dict(c) for k, c in sorted(self.record_types.items())},
            "records_out": dict(sorted(self.records_out.items())),
            "duplicates_merged": dict(sorted(self.duplicates_merged.items())),
            **({"superseded": dict(sorted(self.superseded.items()))} if +self.superseded else {}),
            "instruction_kinds": dict(sorted(self.instruction_kinds.items())),
            "unused_columns": {k: v for k, v in sorted(self.unused_columns.items())},
            "unmapped_values": {k: dict(sorted(v.items(), key=lambda kv: (-kv[1], kv[0])))
                                for k, v in sorted(self.unmapped_values.items())},
            "warnings": dict(sorted(self.warnings.items())),
            "joins": {k: dict(v) for k, v in sorted(self.joins.items())},
            # Only present when a spec uses [[not_mapped]] or [[gather]] (sparse, so summaries of
            # specs that do not are unchanged).
            **({"not_mapped": dict(sorted(self.not_mapped.items()))} if self.not_mapped else {}),
            **({"gathers": {k: dict(v) for k, v in sorted(self.gathers.items())}} if self.gathers else {}),
            "files": {k: v.to_dict() for k, v in sorted(self.files.items())},
            **({"ignored_files": dict(sorted(self.ignored_files.items()))} if self.ignored_files else {}),
            **({"dedupe_conflicts": {k: dict(sorted(v.items())) for k, v in sorted(self.dedupe_conflicts.items())}}
               if self.dedupe_conflicts else {}),
            # only when the conflict rows are a sample (so summaries that list every conflict are unchanged)
            **({"dedupe_conflicts_listed": self.conflicts_listed} if self.conflicts_listed < self.conflicts else {}),
            **({"params": dict(sorted(self.params.items()))} if self.params else {}),
        }


@attrs.frozen(slots=True)
class TranslationResult:
    """The outcome of translating some files: tables per entity, rejects, instructions, reconciliation.

    ``tables`` maps each entity type the translator produces to a table in the
    canonical Arrow schema (:func:`justice_schema.arrow_schema`); ``rejects``
    has :data:`REJECT_SCHEMA`, ``instructions`` :data:`INSTRUCTION_SCHEMA` and
    ``conflicts`` :data:`CONFLICT_SCHEMA` (the values ``dedupe`` merges dropped).
    """

    translator: str
    tables: dict[str, pa.Table]
    rejects: pa.Table
    instructions: pa.Table
    reconciliation: Reconciliation
    conflicts: pa.Table = attrs.field(factory=CONFLICT_SCHEMA.empty_table)

    @property
    def clean(self) -> bool:
        """True when no row was rejected."""
        return self.rejects.num_rows == 0

    def summary(self) -> dict[str, Any]:
        """The reconciliation plus the translator name, as JSON-ready data."""
        return {"translator": self.translator, **self.reconciliation.to_dict()}

    def summary_json(self) -> str:
        """:meth:`summary` as indented JSON text."""
        return json.dumps(self.summary(), indent=2, ensure_ascii=False)


@attrs.frozen(slots=True)
class BatchOutput:
    """What one source batch gave: records per entity, rejects, instructions and dedupe conflicts.

    ``conflicts`` (:data:`~justice_schema.translation.result.CONFLICT_SCHEMA`)
    holds the values that ``dedupe`` merges of this batch dropped because they
    differed from the kept record's.
    """

    tables: dict[str, pa.Table]
    rejects: pa.Table
    instructions: pa.Table
    conflicts: pa.Table = attrs.field(factory=CONFLICT_SCHEMA.empty_table)
