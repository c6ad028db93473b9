"""NIBRS both ways: canonical records written back as an FBI NIBRS submission.

:func:`export_flatfile` writes incidents with their offenses, property,
victims, offenders and arrestees, and Group B arrests, as the fixed-width flat
file of the FBI NIBRS Technical Specification (2019.1 segment lengths).
Records that fail an edit are refused with the rule and FBI edit number,
unless ``allow_errors``. See ``docs/nibrs-export.md``.
"""

from __future__ import annotations

from justice_schema.nibrs.flatfile import (
    SEGMENT_LENGTHS,
    ExportResult,
    Refusal,
    export_flatfile,
    normalise_segment,
)

__all__ = ["SEGMENT_LENGTHS", "ExportResult", "Refusal", "export_flatfile", "normalise_segment"]
