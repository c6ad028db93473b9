"""One or more examples for every normalisation rule of identity matching."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import JaroWinkler

from justice_schema.identity.compare import DOB_CLERICAL_ERROR_SCORE, PairScorer, dob_scores
from justice_schema.identity.keys import PersonKeys
from justice_schema.identity.nicknames import are_nicknames, canonical_given_name
from justice_schema.identity.normalize import (
    family_parts,
    normalize_identifier,
    normalize_name,
    normalize_postal_code,
    normalize_suffix,
    normalize_text,
    parse_dates,
    split_family_suffix,
)


def values(array: pa.Array) -> list:
    return array.to_pylist()


@pytest.mark.parametrize(("raw", "expected"), [
    ("smith", "SMITH"),                 # case
    ("  Smith  ", "SMITH"),             # surrounding space
    ("Müller", "MULLER"),               # umlaut
    ("José", "JOSE"),                   # acute accent
    ("Çelik", "CELIK"),                 # cedilla
    ("Strauß", "STRAUSS"),              # sharp s
    ("O'Brien", "OBRIEN"),              # apostrophe vanishes
    ("O’Brien", "OBRIEN"),              # typographic apostrophe
    ("St. John", "ST JOHN"),            # full stop vanishes
    ("Garcia-Lopez", "GARCIA LOPEZ"),   # hyphen is a space
    ("de  la   Cruz", "DE LA CRUZ"),    # runs of spaces collapse
    ("Smith3", "SMITH"),                # digits are not name letters
    ("", None),                         # empty is missing
    ("--", None),                       # punctuation only is missing
    (None, None),
])
def test_name_normalisation(raw: str | None, expected: str | None) -> None:
    assert values(normalize_name(pa.array([raw], pa.string()))) == [expected]


def test_text_keeps_digits() -> None:
    assert values(normalize_text(pa.array(["12 Main St.", "Apt #4-B"]))) == ["12 MAIN ST", "APT 4 B"]


@pytest.mark.parametrize(("raw", "expected"), [
    ("Jr", "JR"), ("jr.", "JR"), ("JUNIOR", "JR"), ("Jnr", "JR"), ("Sr.", "SR"), ("senior", "SR"),
    ("II", "II"), ("2nd", "II"), ("iii", "III"), ("3rd", "III"), ("IV", "IV"), ("4th", "IV"),
    ("Esq", None), ("MD", None), ("", None),
])
def test_suffix_spellings(raw: str, expected: str | None) -> None:
    assert values(normalize_suffix(pa.array([raw]))) == [expected]


def test_suffix_inside_family_name_moves_to_suffix() -> None:
    family = normalize_text(pa.array(["Smith Jr.", "Jones, III", "Brown Sr", "Jr", "Senior", "Lee 2nd"]))
    new_family, suffix = split_family_suffix(family, pa.nulls(6, pa.string()))
    assert values(new_family) == ["SMITH", "JONES", "BROWN", "JR", "SENIOR", "LEE"]
    assert values(suffix) == ["JR", "III", "SR", None, None, "II"]


def test_explicit_suffix_wins_over_one_in_the_family_name() -> None:
    family = normalize_name(pa.array(["Smith Jr"]))
    new_family, suffix = split_family_suffix(family, pa.array(["SR"]))
    assert values(new_family) == ["SMITH"] and values(suffix) == ["SR"]


def test_compound_family_names_have_key_first_and_last_parts() -> None:
    key, first, last = family_parts(normalize_name(pa.array(["Garcia-Lopez", "de la Cruz", "Van der Berg", "Smith"])))
    assert values(key) == ["GARCIALOPEZ", "DELACRUZ", "VANDERBERG", "SMITH"]
    assert values(first) == ["GARCIA", "CRUZ", "BERG", "SMITH"]
    assert values(last) == ["LOPEZ", "CRUZ", "BERG", "SMITH"]


def test_compound_family_name_meets_either_part() -> None:
    keys = PersonKeys.from_table(pa.table({"id": ["a", "b", "c", "d"],
                                           "family_name": ["Garcia-Lopez", "Lopez", "GARCIA", "Gomez"]}))
    scores = PairScorer(keys).score("family_name", np.array([0, 0, 0]), np.array([1, 2, 3]))
    assert scores[0] >= 0.95 and scores[1] >= 0.95 and scores[2] < 0.85


def test_compound_family_name_parts_are_compared_by_value_not_by_column_code() -> None:
    """The first part of one name against the last part of another: each column once had its own
    codes, so ADAMS (first and last part 0) "shared" a part with BENLIN ADAAMS (last part 0)."""
    keys = PersonKeys.from_table(pa.table({"id": ["a", "b", "c"],
                                           "family_name": ["Adams", "Benlin Adaams", "Lopez-Adams"]}))
    scores = PairScorer(keys).score("family_name", np.array([0, 2]), np.array([1, 0]))
    assert scores[0] < 0.85 and scores[1] >= 0.95


_NAME_PART = st.sampled_from(["ADAMS", "ADAAMS", "LOPEZ", "GARCIA", "BENLIN", "SMITH", "SMYTH", "O NEIL"])
_COMPOUND = st.tuples(_NAME_PART, st.sampled_from([" ", "-"]), _NAME_PART).map("".join)
_FAMILY = st.one_of(st.none(), _NAME_PART, _COMPOUND, _COMPOUND)  # compound names most often: their parts meet
_GIVEN = st.one_of(st.none(), st.sampled_from(["BILL", "WILLIAM", "WILMA", "J", "JOHN", "JON", "MARY"]))


@settings(max_examples=60, deadline=None)
@given(pair=st.lists(st.tuples(_FAMILY, _GIVEN, _GIVEN), min_size=2, max_size=2),
       others=st.lists(st.tuples(_FAMILY, _GIVEN, _GIVEN), max_size=12))
def test_a_pairs_scores_do_not_depend_on_the_other_records(pair: list, others: list) -> None:
    """Spark scores each batch of pairs on a table of just those records (spark/identity.py): a score
    must be a function of the two records' values, whatever else the table holds."""
    def scores(rows: list) -> list[float]:
        keys = PersonKeys.from_table(pa.table({
            "id": [f"r{i}" for i in range(len(rows))], "family_name": [r[0] for r in rows],
            "given_name": [r[1] for r in rows], "middle_name": [r[2] for r in rows]}))
        scorer = PairScorer(keys)
        return [float(scorer.score(field, np.array([0]), np.array([1]))[0])
                for field in ("family_name", "given_name", "middle_name", "name_swap")]

    alone, among = scores(pair), scores([*pair, *others])
    assert np.allclose(alone, among, equal_nan=True), (alone, among)
    # and the family score is what its definition says: Jaro-Winkler of the whole names, raised to the
    # compound score when the two names share a part (by value)
    keys = PersonKeys.from_table(pa.table({"id": ["a", "b"], "family_name": [pair[0][0], pair[1][0]]}))
    key, first, last = (keys.column(c).to_pylist() for c in ("family_key", "family_first", "family_last"))
    if key[0] is not None and key[1] is not None:
        want = JaroWinkler.normalized_similarity(key[0], key[1])
        if {first[0], last[0]} & {first[1], last[1]}:
            want = max(want, 0.95)
        assert alone[0] == pytest.approx(want, abs=1e-6), (pair, alone[0], want)


@pytest.mark.parametrize(("a", "b"), [("Bill", "William"), ("PEGGY", "Margaret"), ("bob", "Robert"),
                                      ("Liz", "Elizabeth"), ("Jim", "James")])
def test_nicknames(a: str, b: str) -> None:
    assert are_nicknames(a, b) and are_nicknames(b, a)


def test_nicknames_are_not_transitive_or_arbitrary() -> None:
    assert not are_nicknames("William", "Margaret")
    assert not are_nicknames("Bill", "Bill")  # the same name is equality, not a nickname
    assert canonical_given_name("Peggy") == "MARGARET"
    assert canonical_given_name("Zebulon") == "ZEBULON"


def test_nickname_scores_one_in_comparison() -> None:
    keys = PersonKeys.from_table(pa.table({"id": ["a", "b", "c"], "given_name": ["Bill", "William", "Wilma"]}))
    scores = PairScorer(keys).score("given_name", np.array([0, 0]), np.array([1, 2]))
    assert scores[0] == 1.0 and scores[1] < 0.85


def test_given_initial_scores_at_least_point_seven() -> None:
    keys = PersonKeys.from_table(pa.table({"id": ["a", "b", "c"], "given_name": ["J", "John", "Mary"]}))
    scores = PairScorer(keys).score("given_name", np.array([0, 0]), np.array([1, 2]))
    assert scores[0] >= 0.7 and scores[1] < 0.7


@pytest.mark.parametrize(("raw", "expected"), [
    ("12-345-678", "12345678"),     # punctuation dropped
    (" ab 123 ", "AB123"),         # case and spaces
    ("000000000", None), ("0", None), ("999999999", None), ("XXXXXX", None),  # sentinels
    ("UNKNOWN", None), ("unk", None), ("N/A", None), ("none", None), ("Refused", None), ("123456789", None),
    ("", None), (None, None),
    ("100000000", "100000000"),    # zeros inside a real number are fine
])
def test_identifier_normalisation(raw: str | None, expected: str | None) -> None:
    assert values(normalize_identifier(pa.array([raw], pa.string()))) == [expected]


def test_postal_codes_keep_five_characters() -> None:
    assert values(normalize_postal_code(pa.array(["84101-2234", "84101", "00000", "2250", None]))) == [
        "84101", "84101", None, "2250", None]


def test_date_formats() -> None:
    dates, problems = parse_dates(pa.array(["1985-12-25", "19851225", "12/25/1985", "1985-1-5"]))
    assert values(dates) == [dt.date(1985, 12, 25)] * 3 + [dt.date(1985, 1, 5)]
    assert problems == []


def test_dates_with_swapped_day_and_month_are_read_swapped_and_reported() -> None:
    dates, problems = parse_dates(pa.array(["1985-25-12"]))
    assert values(dates) == [dt.date(1985, 12, 25)]
    assert problems == [(0, "1985-25-12", "day and month look swapped; read as 1985-12-25")]


@pytest.mark.parametrize(("raw", "problem"), [
    ("banana", "not a date"), ("1985-02-30", "not a date"), ("1899-05-05", "implausible date of birth"),
    ("2999-01-01", "implausible date of birth"), ("1900-01-01", "a placeholder date"),
])
def test_bad_dates_are_missing_and_reported(raw: str, problem: str) -> None:
    dates, problems = parse_dates(pa.array(["1980-01-01", raw]), today=dt.date(2026, 1, 1))
    assert values(dates) == [dt.date(1980, 1, 1), None]
    assert len(problems) == 1 and problems[0][0] == 1 and problems[0][2].startswith(problem)


def test_date32_input_is_kept() -> None:
    dates, problems = parse_dates(pa.array([dt.date(1970, 1, 2), None], pa.date32()))
    assert values(dates) == [dt.date(1970, 1, 2), None] and problems == []


@pytest.mark.parametrize(("a", "b", "score"), [
    (19850312, 19850312, 1.0),                       # equal
    (19850312, 19851203, DOB_CLERICAL_ERROR_SCORE),  # day and month swapped
    (19850312, 19850321, DOB_CLERICAL_ERROR_SCORE),  # transposed digits (day)
    (19850312, 19580312, DOB_CLERICAL_ERROR_SCORE),  # transposed digits (year)
    (19850312, 19850313, DOB_CLERICAL_ERROR_SCORE),  # one wrong digit
    (19850312, 19860312, DOB_CLERICAL_ERROR_SCORE),  # one wrong digit in the year
    (19850312, 19860313, 0.0),                       # two wrong digits
    (19850312, 19750101, 0.0),
])
def test_birth_date_clerical_errors(a: int, b: int, score: float) -> None:
    assert dob_scores(np.array([a]), np.array([b]))[0] == pytest.approx(score)
    assert dob_scores(np.array([b]), np.array([a]))[0] == pytest.approx(score)  # symmetric


def test_missing_birth_date_scores_nan() -> None:
    assert np.isnan(dob_scores(np.array([0]), np.array([19850312]))[0])


def test_swapped_given_and_family_names_score_high() -> None:
    keys = PersonKeys.from_table(pa.table({"id": ["a", "b"], "given_name": ["Paris", "Parremore"],
                                           "family_name": ["Parremore", "Paris"]}))
    scorer = PairScorer(keys)
    assert scorer.score("name_swap", np.array([0]), np.array([1]))[0] == 1.0
    assert scorer.score("given_name", np.array([0]), np.array([1]))[0] < 0.85


def test_many_dates_parse_like_few() -> None:
    """Large columns are parsed per distinct value: the same dates and the same per-row problems."""
    values_ = ["1985-12-25", "1985-25-12", "banana", None, "1900-01-01", "19851225"] * 400
    dates, problems = parse_dates(pa.array(values_), today=dt.date(2026, 1, 1))
    one_by_one = [parse_dates(pa.array([v], pa.string()), today=dt.date(2026, 1, 1)) for v in values_[:6]]
    assert dates.to_pylist() == [d.to_pylist()[0] for d, _ in one_by_one] * 400
    expected = [(row * 6 + i, p[0][1], p[0][2]) for row in range(400) for i, (_, p) in enumerate(one_by_one) if p]
    assert sorted(problems) == sorted(expected)
