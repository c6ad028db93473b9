"""The readers never crash on hostile input and always name the physical line (issue 11)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from justice_schema import parse
from justice_schema.errors import InputError, RecordError
from justice_schema.translation.expressions import file_names
from justice_schema.translation.sources import SOURCE_ERROR, SOURCE_LINE, SourceBatch
from justice_schema.translation.sources.csv import read_csv
from justice_schema.translation.sources.json import read_json, read_jsonl
from justice_schema.translation.sources.presence import ColumnCheck, spec_key_of
from justice_schema.translation.sources.xml import read_xml

# -- CSV physical lines: a property against a plain-Python reference -------------------------------

_TEXT = st.text(alphabet="abcXYZ 09,\n\"", min_size=0, max_size=6)


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


@st.composite
def _csv_file(draw: st.DrawFn) -> tuple[str, list[tuple[int, bool]]]:
    """A CSV text of 3 columns and, per record, (its first physical line, whether it is ragged)."""
    lines = ["ID,A,B"]
    expected: list[tuple[int, bool]] = []
    line = 2
    for number in range(draw(st.integers(0, 40))):
        kind = draw(st.sampled_from(["good", "good", "good", "ragged", "blank"]))
        if kind == "blank":
            lines.append("")
            line += 1
            continue
        width = 3 if kind == "good" else draw(st.sampled_from([1, 2, 4, 5]))
        fields = [str(number)] + [_quoted(draw(_TEXT)) for _ in range(width - 1)]
        text = ",".join(fields)
        lines.append(text)
        expected.append((line, kind == "ragged"))
        line += 1 + text.count("\n")
    return "\n".join(lines) + "\n", expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=_csv_file(), block=st.sampled_from([64, 256, 1 << 20]))
def test_csv_every_row_and_reject_names_its_physical_line(tmp_path: Path, case, block: int) -> None:
    text, expected = case
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8", newline="")
    batches = list(read_csv([path], {"block_size": block}))
    table = pa.concat_tables([b.table for b in batches], promote_options="permissive") if batches else None
    got = [] if table is None else sorted(
        zip(table.column(SOURCE_LINE).to_pylist(),
            (table.column(SOURCE_ERROR).to_pylist() if SOURCE_ERROR in table.column_names
             else [None] * table.num_rows), strict=True))
    assert [(line, error is not None) for line, error in got] == expected


def test_csv_rejects_come_in_file_order_within_the_batch(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("ID,A\n1,a\n2\n3,c\n4,d,e\n5,e\n", encoding="utf-8")
    [batch] = list(read_csv([path], {}))
    assert batch.table.column(SOURCE_LINE).to_pylist() == [2, 3, 4, 5, 6]
    assert batch.columns == ("ID", "A") and batch.file == str(path)


def test_csv_undecodable_byte_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b"ID,A\n" + b"".join(b"%d,x\n" % i for i in range(1, 46)) + b"46,\xe9\n")
    with pytest.raises(InputError, match=r"f\.csv, row 47: byte 0xe9 is not utf-8 text"):
        list(read_csv([path], {}))


def test_csv_header_only_still_declares_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("ID,A\n", encoding="utf-8")
    [batch] = list(read_csv([path], {}))
    assert batch.table.num_rows == 0 and batch.columns == ("ID", "A")


# -- JSON -----------------------------------------------------------------------------------------


def test_jsonl_hostile_lines_are_rows_with_reasons(tmp_path: Path) -> None:
    path = tmp_path / "f.jsonl"
    path.write_text('{"a": 1}\n' + "[" * 10_000 + "]" * 10_000 + "\n" + '{"a": ' + "7" * 999 + "}\n",
                    encoding="utf-8")
    [batch] = list(read_jsonl([path], {}))
    errors = batch.table.column(SOURCE_ERROR).to_pylist()
    assert errors[0] is None
    assert "nested too deeply" in errors[1] and "999 digits" in errors[2]
    assert batch.table.column(SOURCE_LINE).to_pylist() == [1, 2, 3]


def test_json_document_too_deep_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    with pytest.raises(InputError, match=r"f\.json: nested too deeply"):
        list(read_json([path], {}))


@pytest.mark.parametrize(("text", "reason"), [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"entity_type": "person", "schema_version": "1.0", "n": ' + "1" * 5000 + "}", "5,000 digits"),
    (b'{"entity_type": "person\xff"}', "not UTF-8"),
    ("{", "not valid JSON"),
    ("[]", "expected a JSON object"),
])
def test_parse_raises_record_error_never_the_decoder_error(text: str | bytes, reason: str) -> None:
    with pytest.raises(RecordError, match=reason) as caught:
        parse(text, location="in.jsonl, line 9")
    assert str(caught.value).startswith("in.jsonl, line 9: ")


# -- XML root and namespace -----------------------------------------------------------------------

_XML_OPTIONS = {"namespaces": {"a": "urn:a"}, "unit": "a:root/a:item",
                "records": {"item": {"path": ".", "fields": {"name": "a:name"}}}}


def test_xml_right_root_reads(tmp_path: Path) -> None:
    path = tmp_path / "f.xml"
    path.write_text('<root xmlns="urn:a"><item><name>Ann</name></item></root>', encoding="utf-8")
    [batch] = list(read_xml([path], _XML_OPTIONS))
    assert batch.table.column("name").to_pylist() == ["Ann"]


@pytest.mark.parametrize(("document", "found"), [
    ('<root xmlns="urn:b"><item/></root>', "<root> in namespace 'urn:b'"),
    ('<other xmlns="urn:a"><item/></other>', "<other> in namespace 'urn:a'"),
    ("<root><item/></root>", "<root> in no namespace"),
])
def test_xml_wrong_root_or_namespace_is_an_input_error(tmp_path: Path, document: str, found: str) -> None:
    path = tmp_path / "f.xml"
    path.write_text(document, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(read_xml([path], _XML_OPTIONS))
    message = str(caught.value)
    assert message.startswith(f"{path}, row 1: ") and found in message and "<root> in namespace 'urn:a'" in message


def test_xml_root_option_without_a_unit(tmp_path: Path) -> None:
    options = {"namespaces": {"a": "urn:a"}, "root": "a:doc",
               "records": {"item": {"path": "a:item", "fields": {"name": "a:name"}}}}
    path = tmp_path / "f.xml"
    path.write_text('<list xmlns="urn:a"><item><name>Ann</name></item></list>', encoding="utf-8")
    with pytest.raises(InputError, match="<list>"):
        list(read_xml([path], options))


def test_xml_root_option_must_agree_with_the_unit() -> None:
    with pytest.raises(InputError, match="source.root"):
        list(read_xml([], {**_XML_OPTIONS, "root": "a:other"}))


# -- spec columns a file lacks --------------------------------------------------------------------


def _batch(columns: tuple[str, ...]) -> SourceBatch:
    return SourceBatch("default", pa.table({c: pa.array([], pa.string()) for c in columns}), columns, "in.csv")


def test_column_check_names_column_file_and_spec_key() -> None:
    data = {"entity": [{"id": {"id": ["ID"]}, "fields": {"family_name": "LAST", "given_name": {"column": "FIRST"}}}]}
    check = ColumnCheck.build(data, {"ID", "LAST", "FIRST"}, label="main input")
    check.check(_batch(("ID", "LAST", "FIRST")))
    with pytest.raises(InputError) as caught:
        check.check(_batch(("ID", "LAST", "FRIST")))
    assert caught.value.path == "in.csv" and caught.value.field == "FIRST"
    assert "entity[0].fields.given_name.column" in str(caught.value)


def test_column_check_optional_and_undeclared() -> None:
    check = ColumnCheck.build({}, {"A", "B"}, optional=["B"])
    check.check(_batch(("A",)))  # B may be absent
    check.check(SourceBatch("default", pa.table({"x": ["1"]})))  # no declared columns: JSON keys come and go
    with pytest.raises(InputError, match="'A'"):
        check.check(_batch(("B",)))


def test_spec_key_of_repeat_templates() -> None:
    data = {"entity": [{"each": {"present": ["VIOL{n}_DT"]}}]}
    assert spec_key_of(data, "VIOL2_DT") == "entity[0].each.present[0]"
    assert spec_key_of(data, "VIOLX_DT") is None


def test_file_names_drop_the_folder() -> None:
    paths = pa.array(["/data/arrests/people.csv", "C:\\exports\\arrests\\b.csv", "c.csv", None] * 3)
    assert file_names(paths).to_pylist() == ["people.csv", "b.csv", "c.csv", None] * 3


def test_csv_one_column_file_counts_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("ID\n1\n\n\n2\n", encoding="utf-8")
    [batch] = list(read_csv([path], {}))
    assert batch.table.column("ID").to_pylist() == ["1", "2"]
    assert batch.table.column(SOURCE_LINE).to_pylist() == [2, 5]
