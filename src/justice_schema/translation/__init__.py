"""Translators: a declarative mapping language from vendor exports to canonical records.

A translator is a TOML spec (see :doc:`/translators`). It compiles once into
whole-array Arrow operations and streams input files batch by batch::

    from justice_schema.translation import Translator, find_translator

    translator = Translator(find_translator("acme_rms").spec_path)
    result = translator.translate(["arrests.csv"])
    result.tables["arrest"]           # canonical Arrow table
    result.rejects                    # rejected source rows, with reasons
    result.reconciliation.balanced    # rows in == translated + instructions + rejected

The language's JSON Schema is :func:`spec_json_schema`; new source formats plug
in with :func:`register_reader`, and Python escape-hatch functions with
:func:`register_transform`.
"""

from justice_schema.translation.engine import TranslationRun, Translator, ValidateHook
from justice_schema.translation.registry import (
    ENTRY_POINT_GROUP,
    TranslatorInfo,
    UnknownTranslatorError,
    available_translators,
    builtin_spec_path,
    find_translator,
    vendors_root,
)
from justice_schema.translation.result import (
    INSTRUCTION_SCHEMA,
    REJECT_SCHEMA,
    BatchOutput,
    Reconciliation,
    RecordTypeCounts,
    TranslationResult,
)
from justice_schema.translation.sources import SourceBatch, read_source, register_reader
from justice_schema.translation.spec import Spec, SpecError, load_spec, load_spec_text
from justice_schema.translation.spec_schema import spec_json_schema
from justice_schema.translation.transforms import register_transform

__all__ = [
    "Translator",
    "TranslationRun",
    "BatchOutput",
    "ValidateHook",
    "TranslationResult",
    "Reconciliation",
    "RecordTypeCounts",
    "REJECT_SCHEMA",
    "INSTRUCTION_SCHEMA",
    "Spec",
    "SpecError",
    "load_spec",
    "load_spec_text",
    "spec_json_schema",
    "SourceBatch",
    "register_reader",
    "read_source",
    "register_transform",
    "TranslatorInfo",
    "ENTRY_POINT_GROUP",
    "available_translators",
    "find_translator",
    "builtin_spec_path",
    "vendors_root",
    "UnknownTranslatorError",
]

