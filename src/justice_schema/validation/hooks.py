"""Adapters that put the validation engine inside other stages of the pipeline.

:func:`translation_hook` lets a :class:`~justice_schema.translation.Translator`
validate every batch it produces with the columnar engine: a record with a rule
*error* becomes a reject of the translation, with the rule codes and messages as
its reasons; warnings never reject::

    from justice_schema.translation import Translator
    from justice_schema.validation.hooks import translation_hook

    translator = Translator("spec.toml", validate=translation_hook())
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.registry import CURRENT_SCHEMA_VERSION

__all__ = ["translation_hook"]


def translation_hook(*, as_of: date | None = None) -> Callable[[str, pa.Table], pa.Array | None]:
    """A translator ``validate=`` hook running the record-level rules on each output table.

    It returns, per record, the ``;``-joined ``CODE field: message`` texts of its
    errors (null for a record without errors), or ``None`` when the whole table
    is clean. ``as_of`` fixes "today" for the future-date rules (default: today).
    The duplicate-id rule is left to the translator, which merges the repeated
    records a source produces (the same person on every arrest row).
    """
    from justice_schema.validation.columnar import ColumnarValidator

    def hook(entity_type: str, table: pa.Table) -> pa.Array | None:
        version = (table.schema.metadata or {}).get(b"justice_schema.schema_version")
        validator = ColumnarValidator(entity_type, version.decode() if version else CURRENT_SCHEMA_VERSION,
                                      as_of=as_of, check_duplicates=False)
        issues = validator.validate_batch(table).issues
        if not issues.num_rows:
            return None
        errors = issues.filter(pc.equal(issues.column("severity"), pa.scalar("error")))
        if not errors.num_rows:
            return None
        texts = pc.binary_join_element_wise(
            errors.column("code"), pa.scalar(" "),
            pc.fill_null(errors.column("field"), pa.scalar("<record>")), pa.scalar(": "),
            errors.column("message"), pa.scalar(""))
        grouped = (pa.table({"row": errors.column("row"), "text": texts})
                   .group_by("row", use_threads=False).aggregate([("text", "list")]))
        reasons: list[str | None] = [None] * table.num_rows
        for row, parts in zip(grouped.column("row").to_pylist(), grouped.column("text_list").to_pylist(), strict=True):
            reasons[row - 1] = "; ".join(parts)
        return pa.array(reasons, pa.string())

    return hook
