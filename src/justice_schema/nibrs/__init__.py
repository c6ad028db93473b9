"""NIBRS both ways: canonical records written back as an FBI NIBRS submission.

:func:`export_flatfile` writes incidents with their offenses, property,
victims, offenders and arrestees, and Group B arrests, as the fixed-width flat
file of the FBI NIBRS Technical Specification (2019.1 segment lengths).
Records that fail an edit are refused with the rule and FBI edit number,
unless ``allow_errors``. :func:`export_xml` writes the same records as the
FBI NIBRS XML (IEPD 2019.1). Both decide what to refuse through
:func:`~justice_schema.nibrs.records.prepare_submission`. See ``docs/nibrs-export.md``.
"""

from __future__ import annotations

from justice_schema.nibrs.flatfile import (
    SEGMENT_LENGTHS,
    ExportResult,
    export_flatfile,
    normalise_segment,
)
from justice_schema.nibrs.records import Refusal
from justice_schema.nibrs.xml import XmlExportResult, export_xml

__all__ = ["SEGMENT_LENGTHS", "ExportResult", "Refusal", "XmlExportResult", "export_flatfile", "export_xml",
           "normalise_segment"]
