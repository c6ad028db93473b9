"""match_persons never crashes on sparse or odd data, stays bounded on identical records,
reads the canonical nested person table, and reports 1-based rows."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import justice_schema as js
from justice_schema.arrow import to_table
from justice_schema.errors import InputError
from justice_schema.identity import match_persons
from justice_schema.identity.identical import IdenticalGroups
from justice_schema.identity.inputs import COMPARED_COLUMNS, NOT_UTF8, person_input
from justice_schema.identity.keys import PersonKeys
from justice_schema.identity.match import MatchResult, cluster, find_links
from justice_schema.identity.rules import load_rules
from justice_schema.identity.synthetic import generate_people
from justice_schema.translation import find_translator
from justice_schema.v1 import Person

# --- helpers ----------------------------------------------------------------------------------------

_VALUES = {
    "given_name": ["John", "Jon", "Bill", "William", "J", "José", "李", "O'Neil", "-", " "],
    "middle_name": ["Q", "Lee", "L"],
    "family_name": ["Smith", "Smith Jr", "Jr", "De La Cruz", "Garcia-Lopez", "O'Brien", "--"],
    "name_suffix": ["JR", "SR", "esq", "III"],
    "date_of_birth": ["1980-01-01", "1980-01-10", "banana", "1980-13-01", "1900-01-01", "3000-01-01",
                      "19800101", "1/2/1980", "1980-02-30"],
    "sex": ["M", "F", "U", "male", "x"],
    "race": ["W", "B"],
    "state_id": ["123", "124", "000000", "unknown"],
    "fbi_number": ["F1", "F2"],
    "drivers_license_number": ["D1", "D2"],
    "postal_code": ["84101", "84101-1234", "00000", "x"],
    "address_line1": ["1 Main St", "1 Main Street"],
    "address_line2": ["Apt 2"],
    "address_city": ["Provo", "---"],
    "address_state": ["UT"],
}


@st.composite
def sparse_tables(draw: st.DrawFn) -> pa.Table:
    """Person tables where any column may be absent, all null, all empty, or sparse, of any text type;
    sometimes tiled past 1,024 rows (the distinct-value fast paths)."""
    base = draw(st.integers(0, 40))
    repeat = draw(st.sampled_from([1, 1, 60]))
    n = base * repeat
    columns: dict[str, pa.Array] = {"id": pa.array([f"r{i:05d}" for i in range(n)], pa.string())}
    for name, pool in _VALUES.items():
        mode = draw(st.sampled_from(["absent", "null", "empty", "sparse", "sparse"]))
        if mode == "absent":
            continue
        if mode == "null":
            columns[name] = pa.nulls(n, draw(st.sampled_from([pa.string(), pa.null(), pa.large_string()])))
            continue
        if mode == "empty":
            values: list[str | None] = [""] * n
        else:
            row = st.one_of(st.none(), st.just(""), st.sampled_from(pool))
            values = draw(st.lists(row, min_size=base, max_size=base)) * repeat
        kind = draw(st.sampled_from(["string", "large_string", "dictionary", "binary", "bad_bytes"]))
        if kind == "dictionary":
            columns[name] = pa.array(values, pa.string()).dictionary_encode()
        elif kind in ("binary", "bad_bytes"):  # bad bytes: latin-1, as a CSV from an old system would hold
            encoding = "latin-1" if kind == "bad_bytes" else "utf-8"
            columns[name] = pa.array([None if v is None else v.encode(encoding, errors="replace") + (
                b"\xe9" if kind == "bad_bytes" else b"") for v in values], pa.binary())
        else:
            columns[name] = pa.array(values, getattr(pa, kind)())
    return pa.table(columns)


def partition(result: MatchResult) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for i, u in zip(result.ids.tolist(), result.person_uids.tolist(), strict=True):
        groups.setdefault(u, set()).add(i)
    return {frozenset(g) for g in groups.values()}


def uid_by_id(result: MatchResult) -> dict[str, str]:
    return dict(zip(result.ids.tolist(), result.person_uids.tolist(), strict=True))


def nibrs_person_table() -> pa.Table:
    folder = find_translator("nibrs_flatfile").spec_path.parent / "samples"
    return js.translate(sorted(p for p in folder.iterdir() if p.is_file()), "nibrs_flatfile").tables["person"]


# --- never crashes, and order never matters -------------------------------------------------------------

@settings(max_examples=40)
@given(table=sparse_tables())
def test_match_never_raises_on_sparse_tables(table: pa.Table) -> None:
    result = match_persons(table)
    n = table.num_rows
    assert len(result.person_uids) == n and result.person_count <= n
    assert all(1 <= issue.row <= n for issue in result.issues)  # 1-based rows
    assert all(result.ids[issue.row - 1] == issue.record_id for issue in result.issues)
    for name in table.column_names:  # every cell with bad bytes is reported, on its own row
        column = table.column(name)
        if pa.types.is_binary(column.type):
            expected = [row + 1 for row, v in enumerate(column.to_pylist()) if v is not None and b"\xe9" in v]
            assert [i.row for i in result.issues if i.field == name and i.message == NOT_UTF8] == expected
    links = result.links_table()
    assert links.num_rows == len(result.links)
    assert result.assignments().num_rows == n


@settings(max_examples=25)
@given(table=sparse_tables(), shuffle=st.randoms(use_true_random=False))
def test_sparse_tables_give_the_same_people_in_any_order(table: pa.Table, shuffle) -> None:
    order = list(range(table.num_rows))
    shuffle.shuffle(order)
    first, second = match_persons(table), match_persons(table.take(pa.array(order, pa.int64())))
    assert uid_by_id(first) == uid_by_id(second)
    assert sorted((i.record_id, i.field, i.message) for i in first.issues) == sorted(
        (i.record_id, i.field, i.message) for i in second.issues)


@pytest.mark.parametrize("rows", [1023, 1024, 1025, 3000])
@pytest.mark.parametrize("columns", [
    {"sex": "M", "race": "W"},  # a NIBRS person: no names, no birth date
    {"given_name": "", "family_name": "", "date_of_birth": ""},
    {"given_name": None, "family_name": "Smith", "date_of_birth": None},
])
def test_no_birth_dates_or_names_around_the_1024_row_boundary(rows: int, columns: dict) -> None:
    table = pa.table({"id": [str(i) for i in range(rows)],
                      **{k: pa.array([v] * rows, pa.string()) for k, v in columns.items()}})
    result = match_persons(table)
    assert len(result.person_uids) == rows
    if "sex" in columns:  # nothing to compare: every record is its own person
        assert result.person_count == rows and len(result.links) == 0


# --- identical records: compared once ----------------------------------------------------------------

def _match_without_grouping(table: pa.Table) -> MatchResult:
    from justice_schema.identity.uid import cluster_uids

    rules = load_rules(None)
    given = person_input(table)
    keys = PersonKeys.from_table(given.table)
    links, capped = find_links(keys, rules)  # every record compared (the obvious way)
    labels, ordered, status = cluster(keys, links, rules)
    return MatchResult(ids=keys.ids, person_uids=cluster_uids(labels, keys.ids, keys.key_rank), links=ordered,
                       link_status=status, rules=rules, capped_blocks=tuple(capped), issues=keys.issues, keys=keys,
                       data=given.table)


def rule_by_id(result: MatchResult) -> dict[str, str | None]:
    return dict(zip(result.ids.tolist(), result.record_rules(), strict=True))


@settings(max_examples=15)
@given(seed=st.integers(0, 10_000), rows=st.integers(5, 200), copies=st.lists(st.integers(0, 10_000), max_size=60),
       sparse=st.booleans())
def test_grouping_identical_records_gives_the_same_people(seed: int, rows: int, copies: list[int],
                                                          sparse: bool) -> None:
    table, _ = generate_people(rows, seed=seed)
    if sparse:  # drop most evidence, as in agency extracts
        table = table.select(["id", "given_name", "middle_name", "family_name", "sex", "postal_code"])
    picks = pa.array([c % rows for c in copies], pa.int64())
    duplicates = table.take(picks)
    duplicates = duplicates.set_column(0, "id", pa.array([f"copy{i}" for i in range(len(picks))], pa.string()))
    data = pa.concat_tables([table, duplicates.cast(table.schema)])
    grouped, every = match_persons(data), _match_without_grouping(data)
    assert uid_by_id(grouped) == uid_by_id(every)
    assert rule_by_id(grouped) == rule_by_id(every)  # the rule column of the output too


def test_thousands_of_identical_records_make_one_link_each() -> None:
    n = 2500
    table = pa.table({"id": [f"r{i:05d}" for i in range(n)], "given_name": ["JOHN"] * n,
                      "family_name": ["SMITH"] * n, "date_of_birth": ["1980-01-01"] * n})
    result = match_persons(table)
    assert result.person_count == 1
    assert len(result.links) == n - 1 and result.identical_records == result.identical_links == n - 1
    assert not result.capped_blocks  # one representative: no block is too big
    links = result.links_table()
    assert set(links.column("id_a").to_pylist()) == {"r00000"}  # the representative: smallest id
    assert set(links.column("rule").to_pylist()) == {"name_dob"}
    assert links.column("identical").to_pylist() == [True] * (n - 1)
    assert set(links.column("identical_group_size").to_pylist()) == {n}
    assert result.record_rules() == ["name_dob"] * n


def test_identical_records_with_nothing_to_compare_stay_apart() -> None:
    table = pa.table({"id": [str(i) for i in range(1500)], "sex": ["M"] * 1500, "race": ["W"] * 1500})
    result = match_persons(table)
    assert result.person_count == 1500 and len(result.links) == 0
    assert result.identical_records == 1499  # grouped, compared once, and no rule links them
    assert result.identical_links == 0


def test_an_identical_group_joins_the_person_its_representative_joins() -> None:
    n = 400
    table = pa.table({
        "id": ["a"] + [f"z{i:04d}" for i in range(n)],
        "given_name": ["Bill"] + ["William"] * n,
        "family_name": ["Smith"] * (n + 1),
        "date_of_birth": ["1980-01-01"] * (n + 1),
        "state_id": ["S1"] + [None] * n,
    })
    result = match_persons(table)
    assert result.person_count == 1
    links = result.links_table().to_pylist()
    assert sum(1 for row in links if row["identical"]) == n - 1
    assert [row["id_b"] for row in links if not row["identical"]] == ["z0000"]  # "a" meets the representative


def test_identical_groups_never_depend_on_input_order() -> None:
    codes = [np.array([5, 5, 1, 5, -1, 1]), np.array([0, 0, 0, 0, 0, 2])]
    rank = np.array([3, 1, 0, 2, 5, 4])
    groups = IdenticalGroups.from_codes(codes, rank)
    assert groups.representative.tolist() == [1, 1, 2, 1, 4, 5]
    assert groups.size.tolist() == [3, 3, 1, 3, 1, 1]
    order = np.array([5, 4, 3, 2, 1, 0])
    shuffled = IdenticalGroups.from_codes([c[order] for c in codes], rank[order])
    assert order[shuffled.representative].tolist() == groups.representative[order].tolist()


def test_links_batches_are_bounded_and_make_the_table() -> None:
    table, _ = generate_people(400, seed=3)
    result = match_persons(table)
    batches = list(result.links_batches(batch_rows=7))
    assert all(b.num_rows <= 7 for b in batches)
    assert pa.Table.from_batches(batches).equals(result.links_table())
    empty = match_persons(pa.table({"id": ["a"], "sex": ["M"]}))
    assert [b.num_rows for b in empty.links_batches()] == [0]  # one empty batch carries the columns


# --- the canonical nested table ----------------------------------------------------------------------

def _people() -> list[Person]:
    src = {"agency_ori": "UT0180000", "system": "t", "extracted_at": "2024-05-01T12:00:00Z"}
    rows = [("Ann", "Lee", "1970-01-01", "84101", "1 Main St"), ("Anne", "Lee", "1970-01-01", "84101", None),
            ("Bo", "Ek", None, "84102", "9 Elm"), ("Bo", "Ek", None, "84102", "9 Elm Street")]
    return [Person(id=f"p{i}", source=dict(src, record_key=str(i)), given_name=g, family_name=f,
                   middle_name=None if d else "Q", date_of_birth=d, address={"postal_code": z, "line1": line} if line else {"postal_code": z})
            for i, (g, f, d, z, line) in enumerate(rows)]


def test_the_canonical_nested_table_matches_like_the_flat_one() -> None:
    nested = to_table(_people())
    assert pa.types.is_struct(nested.schema.field("address").type)
    flat = person_input(nested).table
    assert flat.column("postal_code").to_pylist() == ["84101", "84101", "84102", "84102"]
    assert flat.column("source_agency_ori").to_pylist() == ["UT0180000"] * 4
    from_nested, from_records = match_persons(nested), match_persons(_people())
    assert uid_by_id(from_nested) == uid_by_id(from_records)
    assert from_nested.person_count == 2  # the postal code (inside address) is what links Bo Ek


def test_a_nested_table_without_metadata_or_some_columns_is_read() -> None:
    nested = to_table(_people()).replace_schema_metadata(None)
    nested = nested.drop_columns(["aliases", "other_identifiers", "ethnicity", "ethnicity_raw", "entity_type"])
    assert match_persons(nested).person_count == 2


def test_the_nibrs_translator_person_table_is_matched() -> None:
    people = nibrs_person_table()
    assert people.num_rows > 0 and "source" in people.column_names
    result = match_persons(people)
    assert result.person_count == people.num_rows  # sex, race, age only: nothing links
    assert not result.issues


def test_a_nested_part_of_the_wrong_shape_is_named() -> None:
    table = pa.table({"id": ["a"], "source": pa.array([{"agency_ori": "X"}]), "address": ["1 Main St"]})
    with pytest.raises(InputError, match=r"field 'address': column 'address' should be a struct"):
        match_persons(table)


# --- clear errors and repaired cells -------------------------------------------------------------------

def test_a_table_of_another_layout_names_what_was_expected_and_found() -> None:
    with pytest.raises(InputError, match=r"none of the columns matching compares.*found: id, first, last"):
        match_persons(pa.table({"id": ["a"], "first": ["Ann"], "last": ["Lee"]}))
    with pytest.raises(InputError, match=r"missing required column: id .*found: person_id, given_name"):
        match_persons(pa.table({"person_id": ["a"], "given_name": ["Ann"]}))


def test_a_column_that_cannot_be_text_is_named() -> None:
    table = pa.table({"id": ["a"], "given_name": pa.array([["Ann"]])})
    with pytest.raises(InputError, match=r"field 'given_name': column 'given_name' holds list"):
        match_persons(table)


def test_not_utf8_bytes_are_repaired_and_reported_with_1_based_rows() -> None:
    table = pa.table({"id": ["a", "b", "c"], "family_name": pa.array([b"Lee", b"M\xfcller", b"M\xfcller"]),
                      "given_name": pa.array([b"Ann", b"Jo", b"Jo"])})
    result = match_persons(table)
    assert [(i.row, i.record_id, i.field, i.message) for i in result.issues] == [
        (2, "b", "family_name", NOT_UTF8), (3, "c", "family_name", NOT_UTF8)]
    assert result.issues_table().column("row").to_pylist() == [2, 3]


def test_issue_rows_are_1_based() -> None:
    result = match_persons(pa.table({"id": ["a", "b"], "date_of_birth": ["banana", "1980-01-01"]}))
    assert [(i.row, i.record_id) for i in result.issues] == [(1, "a")]


def test_numbers_dates_and_text_types_are_read() -> None:
    table = pa.table({
        "id": pa.array([1, 2], pa.int64()),
        "given_name": pa.array(["Ann", "Ann"], pa.large_string()),
        "family_name": pa.array(["Lee", "Lee"]).dictionary_encode(),
        "date_of_birth": pa.array([dt.date(1970, 1, 1)] * 2, pa.date32()),
        "postal_code": pa.array([84101, 84101], pa.int64()),
    })
    result = match_persons(table)
    assert result.person_count == 1 and result.ids.tolist() == ["1", "2"]


def test_every_compared_column_is_in_the_flat_layout() -> None:
    from justice_schema.flat import flat_columns

    assert set(COMPARED_COLUMNS) <= {c.name for c in flat_columns("person")}


# --- incremental matching with identical and repaired records ----------------------------------------------

@settings(max_examples=10)
@given(seed=st.integers(0, 10_000), copies=st.lists(st.integers(0, 10_000), min_size=1, max_size=40),
       cut=st.floats(0.1, 0.9))
def test_incremental_with_identical_copies_equals_batch(seed: int, copies: list[int], cut: float) -> None:
    from justice_schema.identity import match_incremental

    table, _ = generate_people(120, seed=seed)
    duplicates = table.take(pa.array([c % 120 for c in copies], pa.int64()))
    duplicates = duplicates.set_column(0, "id", pa.array([f"copy{i:03d}" for i in range(len(copies))], pa.string()))
    data = pa.concat_tables([table, duplicates.cast(table.schema)])
    split = max(1, int(data.num_rows * cut))
    inc = match_incremental(match_persons(data.slice(0, split)), data.slice(split))
    assert partition(inc.result) == partition(match_persons(data))


def test_incremental_reports_repaired_cells_of_old_and_new_records() -> None:
    from justice_schema.identity import match_incremental

    old = pa.table({"id": ["a", "b"], "family_name": pa.array([b"Lee", b"M\xfcller"])})
    new = pa.table({"id": ["c"], "family_name": pa.array([b"Gr\xfcn"])})
    inc = match_incremental(match_persons(old), new)
    assert [(i.row, i.record_id, i.message) for i in inc.result.issues] == [(2, "b", NOT_UTF8), (3, "c", NOT_UTF8)]


@settings(max_examples=10)
@given(table=sparse_tables())
def test_records_in_one_identical_group_agree_on_every_normalised_column(table: pa.Table) -> None:
    """Grouping skips the columns derived from others: they must agree whenever their sources do."""
    keys = PersonKeys.from_table(person_input(table).table)
    groups = IdenticalGroups.of(keys)
    rep = groups.representative
    for name in keys.table.column_names:
        column = keys.table.column(name).combine_chunks()
        assert column.take(pa.array(rep)).to_pylist() == column.to_pylist(), name
    assert (keys.dob_typed[rep] == keys.dob_typed).all()


@pytest.mark.parametrize(("data", "message"), [
    ("people.csv", r"got the path 'people.csv': read the file first"),
    ([{"id": "a"}], r"row 1: .*item 1 is a dict"),
    (5, r"Person records; got int"),
    (None, r"Person records; got NoneType"),
])
def test_data_that_is_not_person_data_is_named(data, message: str) -> None:
    with pytest.raises(InputError, match=message):
        match_persons(data)


def test_a_record_batch_and_an_arrow_stream_are_tables() -> None:
    table = pa.table({"id": ["a", "b"], "given_name": ["Ann", "Ann"], "family_name": ["Lee", "Lee"],
                      "date_of_birth": ["1970-01-01", "1970-01-01"]})
    assert match_persons(table.to_batches()[0]).person_count == 1
    assert match_persons(table.to_reader()).person_count == 1  # speaks the Arrow C stream interface


def test_lists_of_a_nested_table_read_as_the_flat_layout_writes_them() -> None:
    from justice_schema.flat import flatten

    src = {"agency_ori": "UT0180000", "system": "t", "extracted_at": "2024-05-01T12:00:00Z"}
    people = [Person(id="p1", source=dict(src, record_key="1"), given_name="Ann",
                     aliases=[{"given_name": "Annie", "family_name": "Lee"}],
                     other_identifiers=[{"type": "DOC_NUMBER", "value": "D-1"},
                                        {"type": "SSN", "value": "1", "issuer": "US"}]),
              Person(id="p2", source=dict(src, record_key="2"), given_name="Bo")]
    nested = to_table(people)
    ours, theirs = person_input(nested).table, flatten(nested, "person")
    for name in ("aliases", "other_identifiers", "source_extracted_at", "given_name"):
        assert ours.column(name).to_pylist() == theirs.column(name).to_pylist(), name
