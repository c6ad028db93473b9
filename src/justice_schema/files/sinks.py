"""Table sinks: the Parquet and CSV writers every verb uses.

CSV outputs are opened by people in spreadsheets, which run a cell starting
with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) as a
formula. By default :class:`TableSink` therefore writes such a text cell with
a leading apostrophe (``'=1+2``), which spreadsheets show as text; pass
``csv_raw=True`` (``--csv-raw`` on the command line) to keep the text exactly.
Numbers are typed columns and are never changed; Parquet is never changed.

Parquet files are written with Snappy compression and with dictionary encoding
only on the columns where it pays (:func:`dictionary_columns`, chosen from the
first table written): a column with few distinct values (codes, agency ORIs,
dates) gets a dictionary, a column of nearly unique values (ids, names, free
text) is written plain. Dictionary encoding a column of unique values costs a
hash of every value and then falls back to plain encoding anyway; skipping it
made writing translation's output about 30 % cheaper and the files smaller.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Self

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from justice_schema.errors import InputError

__all__ = ["TableSink", "dictionary_columns", "neutralise_formulas", "table_format", "FORMULA_START"]

#: The characters that make a spreadsheet read a cell as a formula.
FORMULA_START = "=+-@\t\r"
_STARTS = pa.array(list(FORMULA_START), pa.string())
_SUFFIXES = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv"}
#: Rows of the first table looked at to choose the dictionary-encoded columns.
DICTIONARY_SAMPLE = 8_192
#: A column is dictionary-encoded when its sampled values have at most this share of distinct values.
DICTIONARY_SHARE = 0.1


def table_format(path: str | os.PathLike[str], option: str = "output") -> str:
    """``"parquet"`` or ``"csv"`` from the file name; :class:`InputError` for any other ending."""
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise InputError(f"{option} must end in .csv or .parquet", path=str(path))
    return _SUFFIXES[suffix]


def _neutralise_array(array: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    kind = array.type
    if pa.types.is_dictionary(kind):
        array = array.cast(kind.value_type) if isinstance(array, pa.Array) else pc.cast(array, kind.value_type)
        kind = kind.value_type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return array
    # the first character of every cell, tested against the set: cheaper than a regex, and a
    # column with no such cell (the usual case) is returned as it is, without a copy
    risky = pc.is_in(pc.utf8_slice_codeunits(array, 0, 1), value_set=_STARTS)
    if not pc.any(risky).as_py():
        return array
    return pc.if_else(risky, pc.binary_join_element_wise("'", array, ""), array)


def neutralise_formulas(table: pa.Table) -> pa.Table:
    """``table`` with every text cell that a spreadsheet would run as a formula prefixed by ``'``.

    Whole-column work with :mod:`pyarrow.compute`; non-text columns are returned as they are.

    >>> import pyarrow as pa
    >>> neutralise_formulas(pa.table({"a": ["=1+2", "ok", "-3", None]})).column("a").to_pylist()
    ["'=1+2", 'ok', "'-3", None]
    """
    columns = [_neutralise_array(column) for column in table.columns]
    return pa.Table.from_arrays(columns, names=table.column_names, metadata=table.schema.metadata)


def dictionary_columns(table: pa.Table, sample: int = DICTIONARY_SAMPLE, share: float = DICTIONARY_SHARE) -> list[str]:
    """The Parquet column paths of ``table`` worth dictionary-encoding: few distinct values in its first rows.

    Every leaf column (a struct's parts as ``source.agency_ori``, a list's entries as
    ``armed_with.list.element.code``, the paths Parquet gives them) whose first
    ``sample`` rows hold at most ``share`` distinct values per non-null value (or
    no value at all) is listed; booleans never are (Parquet does not
    dictionary-encode them). Whole-column Arrow work on the sample only.

    >>> import pyarrow as pa
    >>> dictionary_columns(pa.table({"id": [f"a-{i}" for i in range(100)], "code": ["X", "Y"] * 50}))
    ['code']
    """
    found: list[str] = []

    def walk(path: str, values: pa.Array) -> None:
        kind = values.type
        if pa.types.is_struct(kind):
            for i, field in enumerate(kind):
                walk(f"{path}.{field.name}", values.field(i))
        elif pa.types.is_list(kind) or pa.types.is_large_list(kind):
            walk(f"{path}.list.element", pc.list_flatten(values))
        elif pa.types.is_dictionary(kind):
            found.append(path)  # the writer keeps a dictionary array's dictionary anyway
        elif not (pa.types.is_boolean(kind) or pa.types.is_null(kind) or pa.types.is_nested(kind)):
            present = len(values) - values.null_count
            try:
                few = not present or pc.count_distinct(values).as_py() <= share * present
            except pa.ArrowNotImplementedError:  # a type Arrow cannot count: written plain
                few = False
            if few:
                found.append(path)

    head = table.slice(0, sample)
    for name, column in zip(head.column_names, head.columns):
        walk(name, column.combine_chunks())
    return found


class TableSink:
    """Writes tables to one Parquet or CSV file (format from the name), opened on the first write.

    ``schema`` fixes the columns; a sink closed without any write still writes
    an empty file with that schema. ``path`` may be a temporary file whose
    format comes from ``name`` (the user's file name). CSV text cells are
    neutralised against formula injection unless ``csv_raw`` is true.
    Parquet columns are dictionary-encoded where the first table written shows
    few distinct values (:func:`dictionary_columns`).
    """

    def __init__(self, path: str | os.PathLike[str], schema: pa.Schema, *, name: str | os.PathLike[str] | None = None,
                 csv_raw: bool = False, option: str = "output") -> None:
        self.path = Path(path)
        self.name = str(name if name is not None else path)
        self.format = table_format(self.name, option)
        self.csv = self.format == "csv"
        self.schema = schema
        self.csv_raw = csv_raw
        self.rows = 0
        self._writer: Any = None

    def _csv_schema(self) -> pa.Schema:
        fields = [pa.field(f.name, f.type.value_type if pa.types.is_dictionary(f.type) else f.type, f.nullable)
                  for f in self.schema]
        return pa.schema(fields, metadata=self.schema.metadata)

    def write(self, table: pa.Table | pa.RecordBatch) -> None:
        """Append ``table`` (its columns are selected and cast to the sink's schema)."""
        if isinstance(table, pa.RecordBatch):
            table = pa.Table.from_batches([table])
        if not table.num_rows:
            return
        table = table.select(self.schema.names).cast(self.schema)
        if self._writer is None:
            self._open(table)
        if self.csv:
            table = table.cast(self._csv_schema())
            if not self.csv_raw:
                table = neutralise_formulas(table)
        try:
            self._writer.write_table(table)
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror or exc}", path=self.name) from None
        self.rows += table.num_rows

    def _open(self, first: pa.Table | None = None) -> None:
        try:
            self._writer = (pacsv.CSVWriter(self.path, self._csv_schema()) if self.csv
                            else pq.ParquetWriter(self.path, self.schema, use_dictionary=(
                                dictionary_columns(first) if first is not None else True)))
        except OSError as exc:
            raise InputError(f"cannot write: {exc.strerror or exc}", path=self.name) from None

    def close(self) -> None:
        """Finish the file (an empty file with the header or schema when nothing was written)."""
        if self._writer is None:
            self._open()
        self._writer.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
