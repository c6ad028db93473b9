"""The XML reader: namespaced paths, attributes, NIEM references, units and line numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from justice_schema.errors import InputError
from justice_schema.translation.sources import read_source

DOC = """<?xml version="1.0"?>
<x:Batch xmlns:x="urn:x" xmlns:s="urn:s">
  <x:Head><x:Sender>AGENCY</x:Sender></x:Head>
  <x:Case>
    <x:Number>C-1</x:Number>
    <x:Person s:id="P1"><x:Sex>F</x:Sex></x:Person>
    <x:Person s:id="P2"><x:Sex>M</x:Sex></x:Person>
    <x:Role s:id="R1"><x:Of s:ref="P2"/><x:Seq>1</x:Seq></x:Role>
    <x:Charge s:id="K1"><x:Code>13A</x:Code><x:Weapon>11</x:Weapon><x:Weapon>12</x:Weapon><x:Weapon>13</x:Weapon></x:Charge>
    <x:Link><x:Charge s:ref="K1"/><x:Role s:ref="R1"/></x:Link>
  </x:Case>
  <x:Case>
    <x:Number>  </x:Number>
  </x:Case>
</x:Batch>
"""

OPTIONS = {
    "namespaces": {"x": "urn:x", "s": "urn:s"},
    "unit": "x:Batch/x:Case",
    "id_attribute": "s:id",
    "records": {
        "case": {"path": ".", "fields": {
            "number": "x:Number",
            "sender": {"from": "document", "path": "x:Head/x:Sender"},
        }},
        "charge": {"path": "x:Charge", "fields": {
            "id": "@s:id",
            "code": "x:Code",
            "case_number": {"from": "unit", "path": "x:Number"},
            "weapon": {"path": "x:Weapon", "repeat": 2},
            "role_seq": "@s:id <= x:Link[x:Charge/@s:ref] x:Role/@s:ref => x:Seq",
            "sex": "@s:id <= x:Link[x:Charge/@s:ref] x:Role/@s:ref => x:Of/@s:ref => x:Sex",
        }},
    },
}


def _read(path: Path, options: dict[str, object] = OPTIONS) -> dict[str, list[dict[str, object]]]:
    out: dict[str, list[dict[str, object]]] = {}
    for batch in read_source("xml", [path], options):
        out.setdefault(batch.record_type, []).extend(batch.table.to_pylist())
    return out


def test_paths_attributes_and_references(tmp_path: Path) -> None:
    path = tmp_path / "doc.xml"
    path.write_text(DOC)
    rows = _read(path)
    assert [(r["number"], r["sender"], r["_source_unit"], r["_source_line"]) for r in rows["case"]] == [
        ("C-1", "AGENCY", 1, 4),
        (None, "AGENCY", 2, 12),
    ]
    (charge,) = rows["charge"]
    assert charge["id"] == "K1" and charge["code"] == "13A" and charge["case_number"] == "C-1"
    assert (charge["weapon_1"], charge["weapon_2"]) == ("11", "12")
    assert charge["_source_warning"] == "weapon: 3 values, only the first 2 kept"
    assert charge["role_seq"] == "1"
    assert charge["sex"] == "M"  # Link -> Role R1 -> Person P2
    assert charge["_source_line"] == 9


def test_not_well_formed_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.xml"
    path.write_text(DOC.replace("<x:Seq>1</x:Seq>", "<x:Seq>1</x:Sq>"))
    with pytest.raises(InputError, match=r"bad\.xml, row 8: not well-formed XML: mismatched tag"):
        _read(path)


def test_bad_options_name_the_key() -> None:
    bad = {**OPTIONS, "records": {"c": {"path": "y:Case", "fields": {"n": "x:Number"}}}}
    with pytest.raises(InputError, match="field 'source.records.c.path': namespace prefix 'y'"):
        _read(Path(__file__), bad)
    no_ids = {**OPTIONS, "id_attribute": None}
    with pytest.raises(InputError, match="needs source.id_attribute"):
        _read(Path(__file__), no_ids)
    with pytest.raises(InputError, match="'<=' is followed by ASSOC\\[REF\\] PATH"):
        _read(Path(__file__), {**OPTIONS, "records": {"c": {"path": ".", "fields": {"n": "@s:id <= x:Link"}}}})


@given(
    numbers=st.lists(st.one_of(st.none(), st.text(alphabet="AZ09-", min_size=1, max_size=8)), max_size=30),
    batch_rows=st.integers(min_value=1, max_value=7),
)
def test_every_unit_is_read_once_in_order(
    tmp_path_factory: pytest.TempPathFactory, numbers: list[str | None], batch_rows: int
) -> None:
    cases = "".join(
        f"<x:Case><x:Number>{n}</x:Number></x:Case>\n" if n is not None else "<x:Case/>\n" for n in numbers
    )
    path = tmp_path_factory.mktemp("xml") / "d.xml"
    path.write_text(f'<x:Batch xmlns:x="urn:x" xmlns:s="urn:s">\n{cases}</x:Batch>')
    options = {**OPTIONS, "batch_rows": batch_rows,
               "records": {"case": {"path": ".", "fields": {"number": "x:Number"}}}}
    rows = _read(path, options).get("case", [])
    assert [r["number"] for r in rows] == numbers
    assert [r["_source_unit"] for r in rows] == list(range(1, len(numbers) + 1))
    assert [r["_source_line"] for r in rows] == list(range(2, len(numbers) + 2))
