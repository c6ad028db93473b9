"""The fixed-width reader: positions, record types, padding, line numbers and reader verdicts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from justice_schema.errors import InputError
from justice_schema.translation.sources import read_source

LAYOUTS = {
    "A": {"lengths": [12], "min_length": 4, "fields": [["key", 2, 4], ["name", 5, 9], ["flag", 10, 12]]},
    "B": {"lengths": [8, 10], "fields": [["key", 2, 4], ["amount", 5, 10]]},
}
OPTIONS = {"record_type": [1, 1], "length_field": None, "layouts": LAYOUTS, "other_record_types": ["9"]}


def _read(path: Path, **extra: object) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = {}
    for batch in read_source("fixed_width", [path], {**OPTIONS, **extra}):
        out.setdefault(batch.record_type, []).extend(batch.table.to_pylist())
    return out


def test_fields_are_cut_by_1_based_inclusive_positions(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"A001ANN  Y  \r\nB002  1234\r\nA003BOB\n")
    rows = _read(path)
    assert [(r["key"], r["name"], r["flag"]) for r in rows["A"]] == [("001", "ANN", "Y"), ("003", "BOB", None)]
    assert rows["B"][0]["amount"] == "1234"
    assert [r["_source_line"] for r in rows["A"]] == [1, 3]
    assert rows["B"][0]["_source_line"] == 2
    # CR is the terminator's, not the record's; stripped trailing blanks read as blanks.
    assert rows["A"][0]["_source_text"] == "A001ANN  Y  "
    assert all(r["_source_error"] is None for r in rows["A"] + rows["B"])


def test_unknown_blank_and_truncated_lines_carry_an_error_with_their_line(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"A001ANN\nX001\n\nA0\n9whatever\n")
    rows = _read(path)
    assert rows["X"][0]["_source_error"].startswith("unknown record type 'X'")
    assert rows["X"][0]["_source_line"] == 2
    assert rows[""][0]["_source_error"] == "blank line" and rows[""][0]["_source_line"] == 3
    truncated = [r for r in rows["A"] if r["_source_error"]]
    assert [r["_source_line"] for r in truncated] == [4]
    assert "truncated line: 2 characters" in truncated[0]["_source_error"]
    # Listed as another record type: kept whole, no error, for the spec to decide.
    assert rows["9"][0]["_source_error"] is None and rows["9"][0]["_source_text"] == "9whatever"


def test_declared_length_conflicts_are_warnings_not_errors(tmp_path: Path) -> None:
    layouts = {"A": {"lengths": [12], "fields": [["len", 2, 3], ["name", 4, 12]]}}
    path = tmp_path / "f.txt"
    # 1: stripped blanks (fine); 2: longer than declared; 3: not a length A allows; 4: not a number
    path.write_bytes(b"A12ANN\nA05ANNABEL\nA10ANN\nAxxANN\n")
    rows = _read(path, layouts=layouts, length_field=[2, 3])["A"]
    warnings = [r["_source_warning"] for r in rows]
    assert warnings[0] is None
    assert warnings[1] == (
        "declared length 5 but the line has 10 characters; declared length 5 is not a length of record type 'A' (12)"
    )
    assert warnings[2] == "declared length 10 is not a length of record type 'A' (12)"
    assert warnings[3] == "declared length 'xx' is not a number"
    assert all(r["_source_error"] is None for r in rows)
    assert [r["name"] for r in rows] == ["ANN", "ANNABEL", "ANN", "ANN"]


def test_bad_options_name_the_key() -> None:
    with pytest.raises(InputError, match="source.layouts.A.fields\\[0\\]"):
        list(read_source("fixed_width", [Path(__file__)], {"record_type": [1, 1],
                                                           "layouts": {"A": {"fields": [["x", 0, 2]]}}}))
    with pytest.raises(InputError, match="not options of format 'fixed_width'"):
        list(read_source("fixed_width", [Path(__file__)], {**OPTIONS, "delimiter": ","}))
    with pytest.raises(InputError, match="must be 1 character"):
        list(read_source("fixed_width", [Path(__file__)], {"record_type": [1, 1],
                                                           "layouts": {"AB": {"fields": [["x", 1, 2]]}}}))


def test_undecodable_bytes_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"A001ANN\nA002\xe9\n")
    with pytest.raises(InputError, match=r"f\.txt, row 2: byte 0xe9 cannot be decoded as utf-8"):
        _read(path)
    assert _read(path, encoding="latin-1")["A"][1]["name"] == "\xe9"


_field_text = st.text(alphabet="ABC xyz019-é", max_size=11)


@given(
    lines=st.lists(st.tuples(st.sampled_from("AB9Q"), _field_text), max_size=40),
    crlf=st.booleans(),
    final_newline=st.booleans(),
    chunk=st.integers(min_value=1, max_value=64),
)
def test_matches_python_slicing_and_every_line_comes_back_once(
    tmp_path_factory: pytest.TempPathFactory, lines: list[tuple[str, str]], crlf: bool, final_newline: bool,
    chunk: int,
) -> None:
    texts = [code + rest for code, rest in lines]
    newline = "\r\n" if crlf else "\n"
    body = newline.join(texts) + (newline if final_newline and texts else "")
    path = tmp_path_factory.mktemp("fw") / "f.txt"
    path.write_bytes(body.encode())
    seen: dict[int, dict[str, object]] = {}
    for batch in read_source("fixed_width", [path], {**OPTIONS, "chunk_bytes": chunk}):
        for row in batch.table.to_pylist():
            assert row["_source_line"] not in seen
            seen[row["_source_line"]] = {**row, "_type": batch.record_type}
    assert sorted(seen) == list(range(1, len(texts) + 1))
    for number, text in enumerate(texts, start=1):
        row = seen[number]
        assert row["_source_text"] == text
        if text.strip() == "":
            assert row["_source_error"] == "blank line"
            continue
        assert row["_type"] == text[0]
        layout = LAYOUTS.get(text[0])
        if layout is None:
            assert (row["_source_error"] is None) == (text[0] == "9")
            continue
        for name, start, end in layout["fields"]:
            expected = text[start - 1 : end].strip(" ") or None
            assert row[name] == expected
