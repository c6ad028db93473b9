"""Adapters that put the validation engine inside other stages of the pipeline.

Translation always holds its output to the schema's field rules through the
columnar engine (:func:`~justice_schema.validation.row_problems`), and by
default to the record-level rules too (:data:`RECORD_RULES`, the default of
``Translator(validate=...)``): a record with a rule *error* becomes a reject of
the translation, each reason coded with its rule (the ``issues`` of the reject); warnings
never reject. :func:`translation_hook` makes the same hook with "today" fixed
for the future-date rules; ``validate=None`` leaves the record rules out::

    from justice_schema.translation import Translator
    from justice_schema.validation.hooks import translation_hook

    translator = Translator("spec.toml", validate=translation_hook(as_of=date(2024, 1, 31)))
    field_rules_only = Translator("spec.toml", validate=None)

The translator recognises this hook and checks field and record rules in one
pass of the engine, instead of checking the field rules twice.
"""

from __future__ import annotations

from datetime import date

import attrs
import pyarrow as pa

from justice_schema.validation.columnar import row_problems
from justice_schema.validation.problems import RowProblems

__all__ = ["RECORD_RULES", "RecordRulesHook", "translation_hook"]


@attrs.frozen(slots=True)
class RecordRulesHook:
    """A translator ``validate=`` hook running every rule of the columnar engine on each output table.

    Called as ``hook(entity_type, table)``, it returns the
    :class:`~justice_schema.validation.problems.RowProblems` of the table: per
    record, each rule error with its code, field and text (``"end_date: ...
    (JS-S24)"``), so a translator rejects the record with coded reasons; an
    empty result when the whole table is clean. ``as_of`` fixes "today" for the future-date rules (``None``: the
    day of each call). The duplicate-id rule is left to the translator, which
    merges the repeated records a source produces (the same person on every
    arrest row).
    """

    as_of: date | None = None

    def __call__(self, entity_type: str, table: pa.Table) -> RowProblems:
        return row_problems(table, entity_type, record_rules=True, as_of=self.as_of)


def translation_hook(*, as_of: date | None = None) -> RecordRulesHook:
    """A translator ``validate=`` hook adding the record-level rules to translation's field rules.

    See :class:`RecordRulesHook`. ``as_of`` fixes "today" for the future-date
    rules (default: today).
    """
    return RecordRulesHook(as_of)


#: The record-rules hook translation uses by default (``as_of``: the day of each call).
RECORD_RULES = RecordRulesHook()
