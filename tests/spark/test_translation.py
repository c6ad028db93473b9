"""Translation on Spark: the result of Translator.translate on the same files, at 1, 2 and 7 partitions."""

from __future__ import annotations

import functools
import itertools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from justice_schema.errors import InputError
from justice_schema.spark.translation import translate_dataframe, translate_files
from justice_schema.translation import Translator, builtin_spec_path
from justice_schema.translation.result import CONFLICT_SCHEMA
from tests.spark.partitions import each_partition_count

pytestmark = pytest.mark.xdist_group("spark")

STAMP = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
SAMPLE = builtin_spec_path("acme_rms").parent / "samples" / "arrests.csv"


def _split(folder: Path, cuts: list[int]) -> list[Path]:
    """The sample's rows cut into files at ``cuts`` (a person and an arrest repeat across files), plus a
    file repeating the first rows with another sex and ZIP, so that dedupe merges across files conflict."""
    header, *rows = SAMPLE.read_text(encoding="utf-8").splitlines()
    bounds = [0, *sorted(set(cuts)), len(rows)]
    paths = []
    for i, (start, stop) in enumerate(itertools.pairwise(bounds)):
        if stop > start:
            path = folder / f"part{i:02d}.csv"
            path.write_text("\n".join([header, *rows[start:stop]]) + "\n", encoding="utf-8")
            paths.append(path)
    changed = [row.replace(",Female,", ",Male,").replace(",84401,", ",84999,") for row in rows[:6]]
    path = folder / "zz_repeat.csv"
    path.write_text("\n".join([header, *changed]) + "\n", encoding="utf-8")
    return [*paths, path]


def _assert_same_result(got: Any, want: Any) -> None:
    """The Spark result equals the one-machine result: reconciliation, tables, rejects, instructions and
    conflicts (Spark's come sorted by entity, id, field and place; one machine's in file order)."""
    assert got.reconciliation.to_dict() == want.reconciliation.to_dict()
    assert got.reconciliation.balanced
    for entity, table in want.tables.items():
        assert got.tables[entity].equals(table), entity
    assert got.rejects.equals(want.rejects)
    assert got.instructions.equals(want.instructions)
    order = [(c, "ascending") for c in ("entity", "id", "field", "source_file", "source_line")]
    assert got.conflicts.equals(want.conflicts.cast(CONFLICT_SCHEMA).sort_by(order))


def _same(spark: Any, paths: list[Path], partitions: int) -> None:
    spec = builtin_spec_path("acme_rms")
    want = Translator(spec, extracted_at=STAMP).translate(paths)
    got = translate_files(spark, spec, paths, partitions=partitions, extracted_at=STAMP).collect()
    assert want.conflicts.num_rows  # dedupe merges across files are exercised
    _assert_same_result(got, want)


@settings(max_examples=1, deadline=None, phases=[Phase.generate],  # no shrinking: each example is Spark jobs
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.integers(1, 59), min_size=3, max_size=6))
def test_same_result_as_one_machine_at_1_2_and_7_partitions(spark: Any, tmp_path: Path, cuts: list[int]) -> None:
    folder = tmp_path / "_".join(map(str, sorted(set(cuts))))
    folder.mkdir(exist_ok=True)
    each_partition_count(functools.partial(_same, spark, _split(folder, cuts)))


def test_input_errors_before_any_job(spark: Any, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no input"):
        translate_files(spark, builtin_spec_path("acme_rms"), [])
    assert pa  # the module's Arrow import is used by the helpers above


def _raw_rows(paths: list[Path]) -> pa.Table:
    """The files' rows as the CSV reader gives them (text, blanks null), with their file and line."""
    from justice_schema.translation.sources import SOURCE_FILE, SOURCE_LINE, read_source

    tables = [batch.table for batch in read_source("csv", paths, {})]
    whole = pa.concat_tables(tables, promote_options="permissive")
    names = [c for c in whole.column_names if not c.startswith("_")]
    return whole.select([*names, SOURCE_FILE, SOURCE_LINE])


def _same_from_rows(spark: Any, paths: list[Path], rows: pa.Table, partitions: int) -> None:
    spec = builtin_spec_path("acme_rms")
    want = Translator(spec, extracted_at=STAMP).translate(paths)
    shuffled = rows.take(pa.array(list(reversed(range(rows.num_rows)))))  # input order comes from file and line
    frame = spark.createDataFrame(shuffled).repartition(partitions)
    got = translate_dataframe(frame, spec, partitions=partitions, extracted_at=STAMP).collect()
    assert want.conflicts.num_rows and want.rejects.num_rows
    _assert_same_result(got, want)


def test_dataframe_of_raw_rows_gives_the_files_result_at_1_2_and_7_partitions(spark: Any, tmp_path: Path) -> None:
    """The sample cut into files (a repeated file makes dedupe conflicts), read into a DataFrame of text rows
    with their file and line, reversed: the same result as the files translated on one machine."""
    paths = _split(tmp_path, [13, 29, 41])
    rows = _raw_rows(paths)
    each_partition_count(functools.partial(_same_from_rows, spark, paths, rows))


def test_dataframe_input_errors_name_the_column(spark: Any) -> None:
    spec = builtin_spec_path("acme_rms")
    with pytest.raises(InputError, match=r"field 'Address': the main input has no column 'Address'"):
        translate_dataframe(spark.createDataFrame([("x",)], "OTHER string"), spec)
    with pytest.raises(InputError, match=r"field 'Sex': raw vendor rows are text"):
        translate_dataframe(spark.createDataFrame([(1,)], "Sex int"), spec)
    with pytest.raises(InputError, match=r"is a main input of the spec"):
        translate_dataframe(spark.createDataFrame([("x",)], "OTHER string"), spec, lookups=[SAMPLE])
