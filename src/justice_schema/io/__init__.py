"""File input and output for every verb: safe outputs, table sinks, one canonical reader.

* :func:`check_outputs` refuses an output that is an input, before anything is written;
* :class:`AtomicFile` / :class:`AtomicFolder`: outputs appear whole, or not at all;
* :class:`TableSink`: Parquet and CSV writers (CSV text neutralised against spreadsheet formulas);
  these three live in :mod:`justice_schema.files`, a layer below the pipelines, so that
  :func:`~justice_schema.validation.validate_file` writes through them too;
* :func:`read_canonical`: Parquet, Arrow, flat CSV or JSON Lines into an Arrow table;
* :func:`translate_files`, :func:`match_file`, :func:`migrate_file`, :func:`classify_file` (and
  :func:`justice_schema.validation.validate_file`), :func:`publish_file`: the file-to-file verbs.
"""

from justice_schema.files import (
    AtomicFile,
    AtomicFolder,
    TableSink,
    check_outputs,
    neutralise_formulas,
    require_file,
    require_output_folder,
    same_file,
)
from justice_schema.io.match import MatchSummary, match_file
from justice_schema.io.migrate import MigrateSummary, migrate_file
from justice_schema.io.offenses import ClassifySummary, classify_file
from justice_schema.io.publish import PublishSummary, publish_file
from justice_schema.io.readers import infer_entity, open_table, read_canonical
from justice_schema.io.translate import TranslateSummary, translate_files

__all__ = [
    "check_outputs", "require_file", "require_output_folder", "same_file", "AtomicFile", "AtomicFolder", "TableSink",
    "neutralise_formulas", "read_canonical", "open_table", "infer_entity", "translate_files",
    "TranslateSummary", "match_file", "MatchSummary", "migrate_file", "MigrateSummary",
    "classify_file", "ClassifySummary", "publish_file", "PublishSummary",
]
