"""The engine's shortcuts give exactly what the plain computation gives.

Each shortcut (running a step once per distinct value, the non-regex check of
the free-text pattern, the one-pass name split) is compared with the direct
computation it replaces, on generated values that include the awkward cases:
nulls, blanks, line breaks, tabs and other spaces, suffixes and stray commas.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import given
from hypothesis import strategies as st

from justice_schema.translate.checks import TRIMMED_TEXT, pattern_matches
from justice_schema.translate.expressions import _LAST_FIRST, _split_names, per_unique

_SPACES = [" ", "\t", "\n", "\r", "\f", "\v", "\u00a0", "\u2003"]
texts = st.lists(st.one_of(st.none(), st.text(alphabet=st.sampled_from(["a", "Z", "0", ":", "-", "é", *_SPACES]),
                                              max_size=6)), max_size=40)


@given(values=texts)
def test_free_text_pattern_check_agrees_with_the_regex(values: list[str | None]) -> None:
    array = pa.array(values, pa.string())
    expected = pc.match_substring_regex(array, TRIMMED_TEXT)
    assert pattern_matches(array, TRIMMED_TEXT).to_pylist() == expected.to_pylist()
    # A slice carries bytes of its neighbours in its data buffer: still exact.
    if len(values) > 2:
        part = array.slice(1, len(values) - 2)
        assert pattern_matches(part, TRIMMED_TEXT).to_pylist() == pc.match_substring_regex(
            part, TRIMMED_TEXT).to_pylist()


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
