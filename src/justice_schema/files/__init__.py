"""Safe file output, below every pipeline: the pieces each verb writes its files with.

* :func:`check_outputs` refuses an output that is an input, before anything is written;
* :class:`AtomicFile` / :class:`AtomicFolder`: outputs appear whole, or not at all;
* :func:`reading`: the faults of reading a text file as one input error naming it;
* :class:`TableSink`: Parquet and CSV writers (CSV text neutralised against spreadsheet formulas).

They depend on nothing but Arrow and :mod:`justice_schema.errors`, so validation,
translation and the file-to-file verbs of :mod:`justice_schema.io` share them;
:mod:`justice_schema.io` re-exports them for users.
"""

from justice_schema.files.atomic import AtomicFile, AtomicFolder
from justice_schema.files.reading import reading
from justice_schema.files.safety import (
    check_outputs,
    files_in,
    require_file,
    require_output_folder,
    same_file,
)
from justice_schema.files.sinks import TableSink, neutralise_formulas, table_format

__all__ = [
    "check_outputs", "files_in", "require_file", "require_output_folder", "same_file", "AtomicFile", "AtomicFolder",
    "TableSink", "neutralise_formulas", "table_format", "reading",
]
