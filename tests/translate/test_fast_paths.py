"""The engine's shortcuts give exactly what the plain computation gives.

Each shortcut (running a step once per distinct value, the one-pass name
split, the byte-level text kernels) is compared with the direct computation it
replaces, on generated values that include the awkward cases: nulls, blanks,
line breaks, tabs and other spaces, suffixes and stray commas. (The schema
checks are the validation engine's; their shortcuts are tested in
``tests/validation/test_fast_paths.py``.)
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import example, given
from hypothesis import strategies as st

from justice_schema._toolkit.arrays import per_unique
from justice_schema.translation.expressions import _LAST_FIRST, _split_names

_SPACES = [" ", "\t", "\n", "\r", "\f", "\v", "\u00a0", "\u2003"]


@given(values=st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", " a", ""])), max_size=5000),
       costly=st.booleans())
def test_per_unique_is_the_function_applied_to_every_row(values: list[str | None], costly: bool) -> None:
    array = pa.array(values, pa.string())

    def function(v: pa.Array) -> pa.Array:
        return pc.utf8_upper(pc.utf8_trim_whitespace(v))

    assert per_unique(array, function, costly=costly).to_pylist() == function(array).to_pylist()


_WORDS = ["SMITH", "de", "la", "CRUZ", "John", "A", "V", "JR", "Jr.", "SR", "iii", "IV", "2ND", ",", " ", "  ", "."]
_SUFFIXES = ["", " JR", " Jr.", " sr", " III", " V", " 2nd"]
_GAPS = ["", " ", "  ", "\t"]
# "FAMILY [SFX], GIVEN [MIDDLE] [SFX]" with uneven spacing, and word salad for everything else.
shaped = st.tuples(st.sampled_from(["SMITH", "de la Cruz", "O'NEIL", ""]), st.sampled_from(_SUFFIXES),
                   st.sampled_from(_GAPS), st.sampled_from(["JOHN", "Mary", ""]),
                   st.sampled_from(["", " A", " ANN MARIE", " V"]), st.sampled_from(_SUFFIXES),
                   st.sampled_from(_GAPS)).map(lambda p: f"{p[2]}{p[0]}{p[1]}{p[2]},{p[2]}{p[3]}{p[4]}{p[5]}{p[6]}")
salad = st.lists(st.sampled_from(_WORDS), max_size=7).map("".join)
names = st.lists(st.one_of(st.none(), shaped, salad), max_size=30)
_PATTERN = re.compile(_LAST_FIRST.replace("(?i)", ""), re.IGNORECASE)


def _split_one(name: str | None) -> dict[str, str | None]:
    """The split of one name, written row by row with Python's re (the reference)."""
    def tidy(value: str | None) -> str | None:
        return (value or "").strip() or None

    text = tidy(re.sub(r"\s{2,}", " ", name.strip())) if name is not None else None
    match = _PATTERN.match(text) if text is not None else None
    if match is None:
        return {"text": text, "family": tidy(text), "given": None, "middle": None, "suffix": None}
    suffix = tidy(match.group("sfx1")) or tidy(match.group("sfx2"))
    return {"text": text, "family": tidy(match.group("family")), "given": tidy(match.group("given")),
            "middle": tidy(match.group("middle")),
            "suffix": tidy(suffix.replace(".", "").upper()) if suffix else None}


@given(values=names)
def test_name_split_matches_a_row_by_row_split(values: list[str | None]) -> None:
    split = _split_names(pa.array(values, pa.string())).to_pylist()
    assert split == [_split_one(v) for v in values]


def _digits(low: int, high: int) -> st.SearchStrategy[str]:
    return st.one_of(st.integers(low, high).map(str), st.integers(low, high).map(lambda v: f"{v:02d}"))


dates = st.one_of(st.tuples(_digits(0, 13), _digits(0, 32), st.sampled_from(["2023", "2024", "1999", "23"]))
                  .map(lambda p: f"{p[0]}/{p[1]}/{p[2]}"),
                  st.sampled_from(["3/12/2023", "11/5/2023", "02/29/2024", "02/29/2023"]),  # DST changes, leap days
                  st.sampled_from(["", "00/00/0000", "6/1 /2023", "x"]))
times = st.one_of(st.tuples(_digits(0, 25), _digits(0, 61)).map(lambda p: f"{p[0]}:{p[1]}"),
                  st.sampled_from(["", "7", "19:40:00", "2:30", "1:30"]))


@example(pairs=[("11/5/2023", "1:30"), ("3/12/2023", "2:30"), ("02/30/2024", "10:00"), ("13/01/2023", "1:5")],
         whole=True, formats=("%m/%d/%Y %H:%M",))  # ambiguous and skipped local times, impossible dates
@given(pairs=st.lists(st.tuples(dates, times), min_size=1, max_size=40), whole=st.booleans(),
       formats=st.sampled_from([("%m/%d/%Y %H:%M",), ("%m/%d/%Y %H:%M", "%m/%d/%y %H:%M:%S")]))
def test_date_and_time_parsed_apart_give_what_the_joined_text_gives(pairs: list[tuple[str, str]], whole: bool,
                                                                   formats: tuple[str, ...]) -> None:
    from collections import Counter

    from justice_schema.translation.context import EvalContext
    from justice_schema.translation.expressions import Column, Concat, ParseDatetime
    from justice_schema.translation.reasons import Reasons

    if whole:  # every row has both parts, so the parts are parsed apart (a blank sends all to the joined path)
        pairs = [(d if d.strip() else "1/2/2023", t if t.strip() else "0:00") for d, t in pairs]
    table = pa.table({"D": [d for d, _ in pairs], "T": [t for _, t in pairs],
                      "J": [" ".join(x for x in p if x.strip()) for p in pairs]})

    def run(step: ParseDatetime) -> tuple[list[object], list[object]]:
        problems: list[Reasons] = []
        ctx = EvalContext(table, pa.array(range(len(pairs)), pa.int64()), "default", problems, {}, Counter())
        value = step.evaluate(ctx)
        return value.array.to_pylist(), sorted((r, t) for p in problems
                                               for r, t in zip(p.rows.to_pylist(), p.messages.to_pylist()))

    apart = ParseDatetime(Concat((Column("D"), Column("T")), " "), formats, "America/Denver", "at")
    joined = ParseDatetime(Column("J"), formats, "America/Denver", "at")
    assert run(apart) == run(joined)
    if whole:
        from justice_schema.translation.context import EvalContext as Ctx

        ctx = Ctx(table, pa.array(range(len(pairs)), pa.int64()), "default", [], {}, Counter())
        assert (apart._parse_pieces(ctx) is None) == any(" " in d or " " in t for d, t in pairs)


any_text = st.lists(st.one_of(st.none(), st.text(max_size=8),
                              st.text(alphabet=st.sampled_from(["a", "B", "é", "ß", "İ", *_SPACES]), max_size=5)),
                    max_size=30)


@given(values=any_text, start=st.integers(0, 3))
def test_byte_shortcuts_give_what_the_arrow_kernels_give(values: list[str | None], start: int) -> None:
    from justice_schema.translation import textops
    from justice_schema.translation.expressions import _ID_BYTES

    array = pa.array(values, pa.string())
    for part in (array, array.slice(min(start, len(values)))):
        assert textops.trim(part).to_pylist() == pc.utf8_trim_whitespace(part).to_pylist()
        assert textops.upper(part).to_pylist() == pc.utf8_upper(part).to_pylist()
        assert textops.lower(part).to_pylist() == pc.utf8_lower(part).to_pylist()
        for needle in ("\n", " ", "é"):
            assert textops.contains(part, needle) == bool(pc.any(pc.match_substring(part, needle)).as_py())
        if textops.only_bytes(part, _ID_BYTES):  # then the id sanitiser would change nothing
            sanitised = pc.replace_substring_regex(part, r"[^A-Za-z0-9._:-]", "_")
            assert sanitised.to_pylist() == part.to_pylist()
    plain = pa.array([v for v in values if v is not None and v.isascii() and v.isalnum()], pa.string())
    assert textops.only_bytes(plain, _ID_BYTES) or len(plain) == 0
