"""The hub's embedded database: write a new DuckDB file beside the old one, then swap.

A build never writes into the database users read. It loads every table into a
temporary file in the same folder, checkpoints and closes it, and only then renames it
onto ``hub.duckdb`` (an atomic rename): a build that fails or is killed midway leaves
the previous database readable and unchanged (the temporary file is removed on the next
build). Parquet copies of the tables are written beside it (``parquet/``) after the swap.

DuckDB is the optional extra ``[hub]`` (``pip install 'justice-schema[hub]'``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from justice_schema.errors import InputError
from justice_schema.hub.views import VIEWS

__all__ = ["duckdb_module", "open_read_only", "read_tables", "write_database", "write_parquet", "query", "PARTIAL_SUFFIX"]

#: Suffix of the temporary database a build writes before the swap.
PARTIAL_SUFFIX = ".partial.duckdb"


def duckdb_module() -> Any:
    """The ``duckdb`` module, or a clear error saying how to install it."""
    try:
        import duckdb
    except ImportError:
        raise InputError("the hub needs DuckDB: pip install 'justice-schema[hub]'") from None
    return duckdb


def query(con: Any, sql: str, params: list[Any] | None = None) -> pa.Table:
    """Run ``sql`` on a DuckDB connection and return the result as an Arrow table."""
    return con.sql(sql, params=params or None).to_arrow_table()


def open_read_only(database: Path) -> Any:
    """A read-only DuckDB connection to an existing hub database, or a clear error naming the file."""
    duckdb = duckdb_module()
    try:
        return duckdb.connect(str(database), read_only=True)
    except duckdb.Error as exc:
        raise InputError(f"cannot open the hub database: {exc}", path=str(database)) from None


def read_tables(database: Path, names: list[str]) -> dict[str, pa.Table]:
    """The named tables of an existing hub database (those it has); empty when there is none."""
    if not database.is_file():
        return {}
    con = open_read_only(database)
    try:
        present = set(query(con, "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'")
                      .column("table_name").to_pylist())
        return {name: query(con, f'SELECT * FROM "{name}"') for name in names if name in present}
    finally:
        con.close()


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_database(database: Path, tables: Mapping[str, pa.Table], *, on_table: Any = None) -> None:
    """Load ``tables`` and the :data:`~justice_schema.hub.views.VIEWS` into a new file, then swap it in.

    ``on_table(name)`` is called before each table loads (progress).
    """
    duckdb = duckdb_module()
    database.parent.mkdir(parents=True, exist_ok=True)
    for stale in database.parent.glob(f".{database.stem}.*{PARTIAL_SUFFIX}*"):
        stale.unlink(missing_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{database.stem}.", suffix=PARTIAL_SUFFIX, dir=database.parent)
    os.close(handle)
    temp = Path(name)
    temp.unlink()  # DuckDB creates the file itself
    try:
        con = duckdb.connect(str(temp))
        try:
            for table_name, table in tables.items():
                if on_table is not None:
                    on_table(table_name)
                con.register("hub_source", table)
                con.execute(f'CREATE TABLE "{table_name}" AS SELECT * FROM hub_source').fetchall()
                con.unregister("hub_source")
            for view in VIEWS:
                con.execute(f'CREATE VIEW "{view.name}" AS {view.sql}').fetchall()
                con.execute(f'COMMENT ON VIEW "{view.name}" IS {_sql_text(view.description)}').fetchall()
            con.execute("CHECKPOINT").fetchall()
        finally:
            con.close()
        with open(temp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temp, database)
    finally:
        temp.unlink(missing_ok=True)
        Path(str(temp) + ".wal").unlink(missing_ok=True)


def write_parquet(folder: Path, tables: Mapping[str, pa.Table]) -> None:
    """Write each table as ``folder/<name>.parquet``; the folder appears whole or not at all."""
    from justice_schema.files import AtomicFolder

    folder.parent.mkdir(parents=True, exist_ok=True)
    with AtomicFolder(folder, overwrite=True, option="hub parquet folder") as out:
        for table_name, table in tables.items():
            pq.write_table(table, out.temp / f"{table_name}.parquet")
        out.commit()
