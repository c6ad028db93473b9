"""Real-shaped benchmark inputs: the translators' own output on the bundled real samples, tiled.

The benchmarks' generated rows flatter the engines: ids in sorted order, every column
distinct, flat structs. Rows a translator makes from a real export look different: ids such
as ``nibrs-arrest:HI0020000:19164156-3:1`` in no particular order, a few duplicate ids, nested
``source`` / age / weapon structs and lists, few distinct values per column. This module
translates the bundled samples of the built-in translators (FBI NIBRS flat file and XML test
files, FBI Crime Data Explorer extracts, the vendor exports) with those translators, and tiles
the records to any size: copy ``k`` of a record gets ``:k`` appended to its id and to every id
it refers to, the copies are put in a random order, and ``duplicates`` rows take the id of
another row (the duplicate-id rule, JS-X01, has something to find).

Shared by ``validate.py`` and ``translate.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import justice_schema
from justice_schema.arrow import arrow_schema

VENDORS = Path(justice_schema.__file__).resolve().parent / "vendors"
#: the translators whose bundled samples hold arrests (all but ``acme_rms`` are real public samples)
ARREST_SOURCES = ("nibrs_flatfile", "nibrs_xml", "fbi_cde", "acme_rms")
#: id columns rewritten per copy, so that every copy is a different record referring to its own people
ID_COLUMNS = ("id", "person_id", "incident_id")


def sample_records(entity: str, vendors: tuple[str, ...] = ARREST_SOURCES) -> tuple[pa.Table, dict[str, int]]:
    """The ``entity`` records the built-in translators make from their bundled samples, in the canonical schema
    of the version the translators declare.

    Returns the table and the number of records per translator.
    """
    from justice_schema.testing.conformance import translate_samples

    tables, counts = [], {}
    for vendor in vendors:
        table = translate_samples(VENDORS / vendor).tables.get(entity)
        if table is None or table.num_rows == 0:
            continue
        counts[vendor] = table.num_rows
        # the schema version the translator declared (the built-in arrest translators write 1.0)
        version = (table.schema.metadata or {}).get(b"justice_schema.schema_version", b"1.0").decode()
        schema = arrow_schema(entity, version)
        tables.append(table.select(schema.names).cast(schema))
    return pa.concat_tables(tables), counts


def tile(table: pa.Table, rows: int, *, seed: int = 7, duplicates: int = 0) -> pa.Table:
    """``rows`` records made by repeating ``table``, with unique ids in random order and ``duplicates`` repeated ids.

    Copy ``k`` (0, 1, ...) of a record gets ``:k`` (in base 36) appended to its id, its
    ``person_id`` and ``incident_id`` and its ``source.record_key``; the rows are then shuffled.
    ``duplicates`` rows, chosen at random, take the id of another row.
    """
    rng = np.random.default_rng(seed)
    base = table.num_rows
    copies = -(-rows // base)
    order = rng.permutation(base * copies)[:rows]
    source_row = pa.array(order % base)
    copy = order // base
    suffix = pa.array([":" + np.base_repr(k, 36).lower() for k in range(copies)]).take(pa.array(copy))
    out = table.take(source_row)
    columns = {name: out.column(name) for name in out.column_names}
    for name in ID_COLUMNS:
        if name in columns:
            columns[name] = pc.binary_join_element_wise(columns[name], suffix, "")
    if "source" in columns:
        source = columns["source"].combine_chunks()
        fields = {f.name: source.field(i) for i, f in enumerate(source.type)}
        fields["record_key"] = pc.binary_join_element_wise(fields["record_key"], suffix, "")
        columns["source"] = pa.StructArray.from_arrays(list(fields.values()), fields=list(source.type),
                                                       mask=pc.is_null(source))
    if duplicates:
        ids = columns["id"].combine_chunks().to_numpy(zero_copy_only=False).astype(object)
        targets = rng.choice(rows, size=duplicates * 2, replace=False)
        ids[targets[:duplicates]] = ids[targets[duplicates:]]
        columns["id"] = pa.array(ids, pa.string())
    return pa.table(columns, schema=table.schema)


def real_arrests(rows: int, *, seed: int = 7, duplicates: int | None = None) -> tuple[pa.Table, dict[str, int]]:
    """``rows`` real-shaped arrests (see the module docstring); ``duplicates`` defaults to one row in 10,000."""
    sample, counts = sample_records("arrest")
    return tile(sample, rows, seed=seed, duplicates=rows // 10_000 if duplicates is None else duplicates), counts


def tile_cde_download(folder: Path, rows: int, *, seed: int = 7) -> list[Path]:
    """Write an FBI Crime Data Explorer download of ``rows`` arrestees into ``folder``; return its files.

    The bundled real sample (``vendors/fbi_cde/samples``: 300 arrestees of a CDE download) is
    repeated: copy ``k`` of an arrestee gets the id ``<ARRESTEE_ID><k>`` (digits, as CDE writes them),
    in ``NIBRS_ARRESTEE.csv`` and in its weapon rows, and the arrestee rows are shuffled. Incidents,
    agencies and the lookup tables are copied as they are (each incident then has many arrestees).
    """
    import shutil

    import pyarrow.csv as pacsv

    samples = VENDORS / "fbi_cde" / "samples"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for path in sorted(samples.glob("*.csv")):
        if path.name not in ("NIBRS_ARRESTEE.csv", "NIBRS_ARRESTEE_WEAPON.csv"):
            files.append(Path(shutil.copy(path, folder / path.name)))
    text = pacsv.ConvertOptions(strings_can_be_null=False, column_types={})
    arrestees = pacsv.read_csv(samples / "NIBRS_ARRESTEE.csv", convert_options=text)
    weapons = pacsv.read_csv(samples / "NIBRS_ARRESTEE_WEAPON.csv", convert_options=text)
    base = arrestees.num_rows
    copies = -(-rows // base)
    width = len(str(copies))
    rng = np.random.default_rng(seed)
    order = rng.permutation(base * copies)[:rows]
    suffix = pa.array([f"{k:0{width}d}" for k in range(copies)])

    def tiled(table: pa.Table, source_row: np.ndarray, copy: np.ndarray) -> pa.Table:
        out = table.take(pa.array(source_row))
        ids = pc.binary_join_element_wise(pc.cast(out.column("ARRESTEE_ID"), pa.string()),
                                          suffix.take(pa.array(copy)), "")
        return out.set_column(out.schema.get_field_index("ARRESTEE_ID"), "ARRESTEE_ID", ids)

    arrest_file = folder / "NIBRS_ARRESTEE.csv"
    pacsv.write_csv(tiled(arrestees, order % base, order // base), arrest_file)
    # every weapon row of a kept arrestee, in every copy
    kept_copies = np.unique(order // base)
    w_rows = np.tile(np.arange(weapons.num_rows), len(kept_copies))
    w_copy = np.repeat(kept_copies, weapons.num_rows)
    weapon_file = folder / "NIBRS_ARRESTEE_WEAPON.csv"
    pacsv.write_csv(tiled(weapons, w_rows, w_copy), weapon_file)
    return [arrest_file, weapon_file, *files]
