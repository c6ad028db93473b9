"""A record type per file (``[source.record_types]``): each main input file is read as the type its name matches.

A relational export (the FBI CDE download: one CSV per table) has one kind of row per file;
the spec names the record type of each file pattern, scopes its joins to the record types
they serve, and holds each file only to the columns of its own record type.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from justice_schema.errors import InputError
from justice_schema.translation import SpecError, load_spec_text
from justice_schema.translation.compiler import compile_spec, file_record_types
from tests.translate.helpers import run, spec_text

SOURCE = """
[source.record_types]
arrest = "arrests*.csv"
person = ["people.csv", "more_people.csv"]
"""

BODY = """
[[join]]
name = "atype"
files = "types.csv"
on = ["T"]
required = true
record_types = ["arrest"]

[[entity]]
type = "arrest"
record_type = "arrest"
id = { id = ["ID"], prefix = "a" }
[entity.fields]
person_id = { id = ["PID"], prefix = "p" }
arrest_date = { date = "D", formats = ["%Y-%m-%d"] }
arrest_type_raw = "atype.CODE"

[[entity]]
type = "person"
record_type = "person"
id = { id = ["PID"], prefix = "p" }
[entity.fields]
sex_raw = "SEX"
"""

FILES = {
    "arrests_2024.csv": "ID,PID,D,T\n1,7,2024-01-02,1\n2,8,2024-01-03,2\n",
    "people.csv": "PID,SEX\n7,M\n",
    "more_people.csv": "PID,SEX\n8,F\n",
    "types.csv": "T,CODE\n1,O\n2,S\n",
    "README.txt": "not data\n",
}


def test_each_file_is_read_as_the_record_type_its_name_matches(tmp_path):
    result = run(tmp_path, BODY, FILES, source=SOURCE)
    assert result.rejects.num_rows == 0
    assert result.tables["arrest"].column("arrest_type_raw").to_pylist() == ["O", "S"]
    assert sorted(result.tables["person"].column("sex_raw").to_pylist()) == ["F", "M"]
    rec = result.reconciliation
    assert {k: (v.rows_in, v.translated) for k, v in rec.record_types.items()} == {
        "arrest": (2, 2), "person": (2, 2)}
    assert set(rec.ignored_files) == {"README.txt"}
    assert rec.files["types.csv"].role == "join:atype"


def test_a_join_without_record_types_needs_its_key_in_every_record_type(tmp_path):
    # Unscoped, the join reads T from every file: the people file has none, which is an input error
    # naming the join's key in the spec (scoping it with record_types is the fix).
    with pytest.raises(InputError) as caught:
        run(tmp_path, BODY.replace('record_types = ["arrest"]\n', ""), FILES, source=SOURCE)
    text = str(caught.value)
    assert "people.csv" in text and "join[0].on[0]" in text and "record type 'person'" in text


def test_a_file_is_held_to_the_columns_of_its_own_record_type(tmp_path):
    # The arrests file has no SEX column, and needs none; the people file lacking SEX is an input error.
    files = {**FILES, "people.csv": "PID,GENDER\n7,M\n"}
    with pytest.raises(InputError) as caught:
        run(tmp_path, BODY, files, source=SOURCE)
    text = str(caught.value)
    assert "people.csv" in text and "'SEX'" in text and "record type 'person'" in text


def test_the_first_matching_pattern_wins():
    source = {"record_types": {"victim_offense": "NIBRS_VICTIM_OFFENSE*.csv", "victim": "NIBRS_VICTIM*.csv"}}
    assert file_record_types(source) == (("NIBRS_VICTIM_OFFENSE*.csv", "victim_offense"),
                                         ("NIBRS_VICTIM*.csv", "victim"))


@pytest.mark.parametrize(("source", "body", "key", "words"), [
    ('files = "a*.csv"\n' + SOURCE, BODY, "source.files", "not both"),
    (SOURCE, BODY.replace('record_type = "person"', 'record_type = "persn"'), "entity[1].record_type",
     "'persn' is not one of [source.record_types]"),
    (SOURCE, BODY.replace('record_type = "arrest"\n', ""), "entity[0].record_type", "'default'"),
    (SOURCE, BODY.replace('record_types = ["arrest"]', 'record_types = ["arrests"]'), "join[0].record_types[0]",
     "'arrests' is not one of"),
    ("[source.record_types]\n", BODY, "source.record_types", ""),
])
def test_refused_specs_name_the_key(source, body, key, words):
    with pytest.raises(SpecError) as caught:
        compile_spec(load_spec_text(spec_text(body, source=source), "spec.toml"))
    assert f"spec.toml: {key}" in str(caught.value)
    assert words in str(caught.value)


@settings(max_examples=8, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["arrests_a.csv", "arrests_b.csv", "people.csv", "more_people.csv"]),
                          st.integers(1, 99)), min_size=1, max_size=12))
def test_rows_spread_over_files_reconcile_per_record_type(tmp_path_factory, rows):
    """However the rows are spread over the files, each is translated once, as its file's record type."""
    tmp = tmp_path_factory.mktemp("spread")
    files = {"types.csv": "T,CODE\n1,O\n"}
    for name in ("arrests_a.csv", "arrests_b.csv"):
        files[name] = "ID,PID,D,T\n"
    for name in ("people.csv", "more_people.csv"):
        files[name] = "PID,SEX\n"
    for n, (name, pid) in enumerate(rows):
        files[name] += f"{n},{pid},2024-01-02,1\n" if name.startswith("arrests") else f"{pid},M\n"
    result = run(tmp, BODY, files, source=SOURCE)
    arrests = sum(1 for name, _ in rows if name.startswith("arrests"))
    counts = result.reconciliation.record_types
    assert result.tables["arrest"].num_rows == arrests
    assert counts.get("person") is None or counts["person"].rows_in == len(rows) - arrests
    assert result.rejects.num_rows == 0
    assert result.tables["person"].num_rows == len(rows) - arrests  # no dedupe: one record per row


def test_a_join_serving_only_record_types_not_given_needs_no_file(tmp_path):
    # Only the people files: the arrest-only join 'atype' needs no types.csv.
    files = {"people.csv": FILES["people.csv"]}
    result = run(tmp_path, BODY, files, source=SOURCE)
    assert result.tables["person"].num_rows == 1
    assert "atype" not in result.reconciliation.joins


def test_a_table_that_is_both_a_record_type_and_a_lookup_counts_its_rows_once(tmp_path):
    # people.csv holds person records and is the lookup the arrests join for the arrestee's sex.
    body = BODY + '''
[[join]]
name = "who"
files = "people.csv"
on = ["PID"]
record_types = ["arrest"]
'''
    body = body.replace('arrest_type_raw = "atype.CODE"', 'arrest_type_raw = "atype.CODE"\nresident_status_raw = "who.SEX"')
    result = run(tmp_path, body, FILES, source=SOURCE)
    assert result.rejects.num_rows == 0
    assert result.tables["arrest"].column("resident_status_raw").to_pylist() == ["M", None]
    # PID 8 is in more_people.csv, which the join does not read
    people = result.reconciliation.files["people.csv"]
    assert (people.role, people.rows_in, people.translated) == ("main", 1, 1)
    assert result.reconciliation.balanced
