"""Pipeline verbs on the package's front: ``translate``, ``validate`` and ``match``.

Each is a thin door into its subpackage (:mod:`justice_schema.translation`,
:mod:`justice_schema.validation`, :mod:`justice_schema.identity`), imported on
first use so that ``import justice_schema`` stays light::

    import justice_schema as js

    result = js.translate(["arrests.csv"], vendor="acme_rms")
    report = js.validate(result.tables["arrest"], "arrest", schema_version="1.0")
    people = js.match(result.tables["person"])
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

if TYPE_CHECKING:
    from justice_schema.identity.match import MatchResult
    from justice_schema.translation.result import TranslationResult
    from justice_schema.validation.report import ValidationReport

__all__ = ["translate", "validate", "match"]


def translate(
    paths: str | Path | Iterable[str | Path],
    vendor: str | None = None,
    *,
    spec: str | Path | None = None,
    **options: Any,
) -> TranslationResult:
    """Translate vendor export files with an installed translator or a spec file.

    Give either ``vendor`` (a name from ``justice-schema translators``) or ``spec``
    (the path of a TOML mapping spec). ``options`` go to
    :class:`~justice_schema.translation.Translator` (``validate=``, ``extracted_at=``,
    ``threads=``). Returns a :class:`~justice_schema.translation.TranslationResult`
    holding one Arrow table per entity, the rejects with reasons and the
    reconciliation of the counts.
    """
    from justice_schema.translation import Translator, find_translator

    if (vendor is None) == (spec is None):
        raise TypeError("translate() needs exactly one of vendor= or spec=")
    spec_path = Path(spec) if spec is not None else find_translator(str(vendor)).spec_path
    files = [paths] if isinstance(paths, (str, Path)) else list(paths)
    return Translator(spec_path, **options).translate(files)


def validate(
    data: pa.Table | pa.RecordBatch | str | Path | Iterable[Any],
    entity_type: str | None = None,
    *,
    schema_version: str | None = None,
    **options: Any,
) -> ValidationReport:
    """Validate a table, a file, or records, and return a :class:`~justice_schema.validation.ValidationReport`.

    * an Arrow table or batch goes to :func:`~justice_schema.validation.validate_table`;
    * a path (CSV in the flat layout, Parquet, JSON Lines) to
      :func:`~justice_schema.validation.validate_file` (``entity_type`` and the
      version default to what the file declares: Parquet metadata, or the
      ``entity_type`` / ``schema_version`` of its first record);
    * anything else (dicts or models) to :func:`~justice_schema.validation.validate_records`.

    ``schema_version`` pins the version the data is validated against.
    """
    from justice_schema import validation

    if schema_version is not None:
        options["schema_version"] = schema_version
    if isinstance(data, (pa.Table, pa.RecordBatch)):
        return validation.validate_table(data, entity_type, **options)
    if isinstance(data, (str, Path)):
        if entity_type is None or "schema_version" not in options:
            from justice_schema.io import infer_entity

            found_entity, found_version = infer_entity(data)
            entity_type = entity_type or found_entity
            if entity_type is None:
                raise TypeError("validate(path) needs the entity_type of a file that does not declare it")
            if found_version is not None:
                options.setdefault("schema_version", found_version)
        return validation.validate_file(data, entity_type, **options)
    records: Iterable[Any] = data  # not a table, a batch or a path: records
    return validation.validate_records(records, entity_type, **options)


def match(data: pa.Table | Iterable[Any], **options: Any) -> MatchResult:
    """Resolve person records into people: :func:`justice_schema.identity.match_persons`."""
    from justice_schema.identity import match_persons

    return match_persons(data, **options)
