"""Small inputs the bad-input cases share: canonical person records, Parquet, a corrupt page, a vendor export."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

from justice_schema import parse, to_table

#: The acme_rms sample export (60 rows, 2 of them rejected), shipped with the package.
ACME = Path(__file__).resolve().parents[2] / "src" / "justice_schema" / "vendors" / "acme_rms" / "samples" / "arrests.csv"


def person(i: int, **extra: object) -> dict:
    """A valid canonical person record (schema 1.1)."""
    return {"entity_type": "person", "schema_version": "1.1", "id": f"p-{i}",
            "source": {"agency_ori": "UT0180000", "system": "test", "record_key": str(i),
                       "extracted_at": "2024-05-01T12:00:00Z"},
            "given_name": f"Name{i}", "family_name": "Smith", **extra}


def person_lines(n: int = 3) -> str:
    """``n`` person records as JSON Lines text."""
    return "".join(json.dumps(person(i)) + "\n" for i in range(1, n + 1))


def person_parquet(path: Path, n: int = 200) -> Path:
    """A canonical person Parquet file (with the justice_schema metadata) of ``n`` records."""
    pq.write_table(to_table([parse(person(i)) for i in range(1, n + 1)]), path)
    return path


def corrupt_parquet(path: Path) -> Path:
    """Flip 16 bytes a third of the way into the largest column chunk: the footer stays intact."""
    meta = pq.ParquetFile(path).metadata
    columns = [meta.row_group(0).column(i) for i in range(meta.num_columns)]
    chunk = max(columns, key=lambda c: c.total_compressed_size)
    data = bytearray(path.read_bytes())
    start = chunk.data_page_offset + chunk.total_compressed_size // 3
    for k in range(start, start + 16):
        data[k] ^= 0xFF
    path.write_bytes(bytes(data))
    pq.ParquetFile(path)  # the footer still reads: only a data page is broken
    return path


FLAT_PEOPLE = ("id,given_name,family_name,date_of_birth,sex\n"
               "1,John,Smith,1970-01-01,M\n2,Johnny,Smith,1970-01-01,M\n3,=HYPERLINK(\"http://x\"),Jones,,F\n")
