"""Bad input to ``justice-schema classify-offenses``: missing columns, bad crosswalks, outputs that are inputs.

Each case runs the command as a user would and checks the promises of the bad-input suite:
the documented exit code, one error line naming the file and the row or column, no traceback,
inputs unchanged, nothing written outside the output named, and, when the run completes, one
output row per input row (unclassified rows kept with their reason).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from tests.bad_input.harness import Sandbox

CHARGES = "id,description,statute\n1,POSS CS SCH I/II,18.2-250\n2,PWID COCAINE,\n3,XYZZY,\n4,,\n5,XYZZY,\n"
CROSSWALK = "state,statute,ncrp_category,nibrs_code,severity,severity_degree\n"


def test_a_run_keeps_every_row_and_lists_the_commonest_unclassified_texts(sandbox: Sandbox) -> None:
    source = sandbox.write("charges.csv", CHARGES)
    out = sandbox.path("out.csv")
    run = sandbox.cli("classify-offenses", source, "--out", out, "--state", "VA")
    run.exits(0, "5 rows: 2 classified, 3 unclassified (1 without text)", "commonest unclassified", "XYZZY")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([out])
    table = pacsv.read_csv(out, convert_options=pacsv.ConvertOptions(column_types={"id": pa.string()}))
    assert table.column("id").to_pylist() == ["1", "2", "3", "4", "5"]
    assert table.column("offense_status").to_pylist() == ["classified", "classified", "unclassified",
                                                          "unclassified", "unclassified"]


def test_parquet_in_and_out_with_a_crosswalk(sandbox: Sandbox) -> None:
    source = sandbox.path("charges.parquet")
    pq.write_table(pa.table({"charge": ["SOMETHING", None], "code": ["18.2-250", "18.2-250(A)"]}), source)
    sandbox.keep(source)
    crosswalk = sandbox.write("cw.csv", CROSSWALK + "VA,18.2-250,POSSESSION/USE - OTHER CONTROLLED SUBSTANCES,,FELONY,5\n")
    out = sandbox.path("out.parquet")
    sandbox.cli("classify-offenses", source, "--out", out, "--column", "charge", "--statute-column", "code",
                "--state", "VA", "--crosswalk", crosswalk).exits(0, "2 classified")
    table = pq.read_table(out)
    assert table.column("severity").to_pylist() == ["FELONY", "FELONY"]
    sandbox.assert_unchanged()


def test_a_missing_column_names_it_and_the_columns_there_are(sandbox: Sandbox) -> None:
    source = sandbox.write("charges.csv", CHARGES)
    out = sandbox.path("out.csv")
    sandbox.cli("classify-offenses", source, "--out", out, "--column", "charge").fails(
        2, "charges.csv", "'charge'", "columns: id, description, statute")
    sandbox.assert_written_only([])


def test_the_output_may_not_be_the_input(sandbox: Sandbox) -> None:
    source = sandbox.write("charges.csv", CHARGES)
    sandbox.cli("classify-offenses", source, "--out", source).fails(2, "charges.csv", "is also an input")
    sandbox.assert_unchanged()


def test_a_bad_crosswalk_row_names_file_row_and_column(sandbox: Sandbox) -> None:
    source = sandbox.write("charges.csv", CHARGES)
    crosswalk = sandbox.write("cw.csv", CROSSWALK + "VA,18.2-250,NO SUCH CATEGORY,,,\n")
    sandbox.cli("classify-offenses", source, "--out", sandbox.path("out.csv"), "--crosswalk", crosswalk).fails(
        2, "cw.csv", "row 2", "'ncrp_category'")
    sandbox.assert_written_only([])


def test_a_bad_vocabulary_names_the_file(sandbox: Sandbox) -> None:
    source = sandbox.write("charges.csv", CHARGES)
    vocabulary = sandbox.write("vocab.toml", "[vocabulary\n")
    sandbox.cli("classify-offenses", source, "--out", sandbox.path("out.csv"), "--vocabulary", vocabulary).fails(
        2, "vocab.toml", "is not valid TOML")


def test_a_bad_state_code_and_a_missing_input(sandbox: Sandbox) -> None:
    source = sandbox.write("charges.csv", CHARGES)
    sandbox.cli("classify-offenses", source, "--out", sandbox.path("o.csv"), "--state", "Virginia").fails(
        2, "--state", "two-letter")
    sandbox.cli("classify-offenses", sandbox.path("nope.csv"), "--out", sandbox.path("o.csv")).fails(2, "nope.csv")
    sandbox.cli("classify-offenses", source, "--out", sandbox.path("o.txt")).fails(2, "o.txt")
    sandbox.assert_written_only([])


def test_an_input_that_already_has_the_output_columns_is_refused(sandbox: Sandbox) -> None:
    source = sandbox.write("charges.csv", "description,severity\nTHEFT,F\n")
    sandbox.cli("classify-offenses", source, "--out", sandbox.path("o.csv")).fails(2, "charges.csv", "severity")


def test_a_file_that_is_not_utf8_or_not_csv(sandbox: Sandbox) -> None:
    source = sandbox.write("charges.csv", b"description\nTH\xe9FT\n")
    sandbox.cli("classify-offenses", source, "--out", sandbox.path("o.csv")).fails(2, "charges.csv")
    broken = sandbox.write("charges.parquet", b"PAR1 not really parquet")
    sandbox.cli("classify-offenses", broken, "--out", sandbox.path("o.csv")).fails(2, "charges.parquet")
    sandbox.assert_written_only([])
