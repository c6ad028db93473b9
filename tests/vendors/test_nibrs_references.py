"""Children of a rejected or replaced incident leave the output with it (issue 13, part A, items 1-2).

Minimal flat files built segment by segment at the FBI's positions: an incident refused by an edit
takes its victims, offenders and Group A arrestees with it (JS-T05, naming the incident and its
reason); I, D, I of one incident and A, D, A of one Group B arrest keep the last add. The engine
does this for any spec (``translation/references.py``); the XML twin is pinned by its goldens.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pyarrow.compute as pc
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from justice_schema.testing.nibrs_submissions import ORI, flat_segment
from justice_schema.translation import TranslationResult, Translator, builtin_spec_path
from tests.vendors.nibrs_golden import EXTRACTED_AT
from tests.vendors.test_nibrs_correctness import admin, group_b, offense


def victim(incident: str, seq: int) -> str:
    """A business victim of offense 290 (no person data elements needed)."""
    return flat_segment("4", {38: f"{seq:03d}", 41: "290", 71: "B"}, incident)


def offender(incident: str, seq: int) -> str:
    """An offender of unknown age, sex and race."""
    return flat_segment("5", {38: f"{seq:02d}", 40: "00  ", 44: "U", 45: "U", 46: "U"}, incident)


def arrestee(incident: str, seq: int) -> str:
    """A Group A arrestee (adult, on view) for 290."""
    return flat_segment("6", {38: f"{seq:02d}", 40: f"A{seq:011d}", 52: "20190614", 60: "O", 61: "N", 62: "290",
                          65: "01", 71: "30  ", 75: "M", 76: "W", 77: "N", 78: "R"}, incident)


@cache
def translator() -> Translator:
    return Translator(builtin_spec_path("nibrs_flatfile"), extracted_at=EXTRACTED_AT, threads=1)


def run(tmp_path: Path, *lines: str) -> TranslationResult:
    path = tmp_path / "submission.txt"
    path.write_text("\n".join(lines) + "\n", encoding="latin-1")
    result = translator().translate([path])
    assert result.reconciliation.balanced
    return result


def incident_id(number: str) -> str:
    return f"nibrs-incident:{ORI}:{number}"


def orphan_issues(result: TranslationResult) -> list[dict[str, object]]:
    """The JS-T05 reasons given for a reference (gathered offense segments have their own, with no field)."""
    return [i for row in result.rejects.to_pylist() for i in row["issues"]
            if i["code"] == "JS-T05" and i["field"] == "incident_id"]


def test_children_of_a_refused_incident_are_rejected_naming_it_and_its_reason(tmp_path: Path) -> None:
    # Cargo theft N with a single 290: refused by edit 119 (JS-I28).
    result = run(tmp_path, admin("I", "BAD", "N"), offense("BAD", "290"), victim("BAD", 1), offender("BAD", 1),
                 arrestee("BAD", 1), admin("I", "GOOD"), offense("GOOD", "290"), victim("GOOD", 1),
                 offender("GOOD", 1), arrestee("GOOD", 1))
    for entity in ("incident", "victim", "offender", "arrest"):
        table = result.tables[entity]
        assert table.num_rows == 1, entity
        ref = table.column("id" if entity == "incident" else "incident_id").to_pylist()
        assert ref == [incident_id("GOOD")], entity
    assert result.tables["person"].num_rows == 1  # the refused incident's arrestee person goes with its row
    issues = orphan_issues(result)
    assert Counter(i["entity"] for i in issues) == {"victim": 1, "offender": 1, "arrest": 1}
    for issue in issues:
        assert incident_id("BAD") in issue["message"] and "submission.txt line 1" in issue["message"]
        assert "JS-I28" in issue["message"] and issue["field"] == "incident_id"
    counts = result.reconciliation.record_types
    assert (counts["4"].translated, counts["4"].rejected) == (1, 1)
    assert (counts["6"].translated, counts["6"].rejected) == (1, 1)
    assert result.reconciliation.records_out["person"] == 1
    files = result.reconciliation.files["submission.txt"]
    assert files.rows_in == files.translated + files.rejected + files.instructions + files.not_mapped


def test_children_of_an_incident_not_in_the_run_are_kept(tmp_path: Path) -> None:
    """A segment that updates an incident of an earlier submission names no record of this run."""
    result = run(tmp_path, victim("EARLIER", 1), offender("EARLIER", 1))
    assert result.rejects.num_rows == 0
    assert result.tables["victim"].column("incident_id").to_pylist() == [incident_id("EARLIER")]


def test_i_d_i_of_one_incident_keeps_the_last_add_and_its_own_children(tmp_path: Path) -> None:
    result = run(tmp_path, admin("I", "INC-1"), offense("INC-1", "290"), victim("INC-1", 1), victim("INC-1", 2),
                 admin("D", "INC-1"),
                 admin("I", "INC-1"), offense("INC-1", "23H"), victim("INC-1", 1), offender("INC-1", 1))
    assert result.rejects.num_rows == 0
    (incident,) = result.tables["incident"].to_pylist()
    assert [o["ucr_offense_code"] for o in incident["offenses"]] == ["23H"]
    for entity, table in result.tables.items():
        ids = table.column("id").to_pylist()
        assert len(ids) == len(set(ids)), entity
    victims = result.tables["victim"].to_pylist()
    assert [v["source"]["record_key"] for v in victims] == ["INC-1:1"] and result.tables["offender"].num_rows == 1
    assert result.reconciliation.superseded == {"incident": 1, "victim": 2}
    assert [i["kind"] for i in result.instructions.to_pylist()] == ["delete_incident"]


def test_a_refused_resubmission_does_not_take_the_first_submission_s_children(tmp_path: Path) -> None:
    """I (refused), D, I (accepted): the refused add's victim is rejected, the accepted add's kept."""
    result = run(tmp_path, admin("I", "INC-1", "N"), offense("INC-1", "290"), victim("INC-1", 1),
                 admin("D", "INC-1"), admin("I", "INC-1"), offense("INC-1", "290"), victim("INC-1", 1))
    assert result.tables["incident"].num_rows == 1 and result.tables["victim"].num_rows == 1
    assert [i["entity"] for i in orphan_issues(result)] == ["victim"]
    assert result.tables["victim"].to_pylist()[0]["source"]["record_key"] == "INC-1:1"


def test_group_b_add_delete_add_of_one_arrest_keeps_the_last_add(tmp_path: Path) -> None:
    result = run(tmp_path, group_b("A", "GB-1", "25"), group_b("D", "GB-1"), group_b("A", "GB-1", "30"))
    assert result.rejects.num_rows == 0
    (arrest,) = result.tables["arrest"].to_pylist()
    assert arrest["arrestee_age"]["raw"] == "30"
    assert result.tables["person"].num_rows == 1
    assert result.reconciliation.superseded == {"arrest": 1, "person": 1}


def test_a_group_b_delete_after_the_add_removes_it(tmp_path: Path) -> None:
    result = run(tmp_path, group_b("A", "GB-1"), group_b("D", "GB-1"))
    assert result.tables["arrest"].num_rows == 0 and result.tables["person"].num_rows == 0
    assert [i["kind"] for i in result.instructions.to_pylist()] == ["delete_group_b_arrest"]


@settings(max_examples=8, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(plan=st.lists(st.tuples(st.booleans(), st.integers(0, 2), st.integers(0, 2), st.booleans()),
                     min_size=1, max_size=5))
def test_no_output_names_a_refused_incident(tmp_path_factory: pytest.TempPathFactory,
                                            plan: list[tuple[bool, int, int, bool]]) -> None:
    """Random incidents, each refused or not, with victims, offenders and an arrestee: every child of a
    refused incident is rejected naming it, every child of an accepted one is kept, counts reconcile."""
    lines = []
    for n, (refused, victims, offenders, arrested) in enumerate(plan):
        number = f"INC-{n}"
        lines += [admin("I", number, "N" if refused else " "), offense(number, "290")]
        lines += [victim(number, k + 1) for k in range(victims)]
        lines += [offender(number, k + 1) for k in range(offenders)]
        lines += [arrestee(number, 1)] if arrested else []
    result = run(tmp_path_factory.mktemp("refs"), *lines)
    accepted = {incident_id(f"INC-{n}") for n, p in enumerate(plan) if not p[0]}
    assert set(result.tables["incident"].column("id").to_pylist()) == accepted
    for entity, k in (("victim", 1), ("offender", 2)):
        refs = result.tables[entity].column("incident_id").to_pylist()
        assert Counter(refs) == Counter({incident_id(f"INC-{n}"): p[k] for n, p in enumerate(plan)
                                         if not p[0] and p[k]}), entity
    assert set(result.tables["arrest"].column("incident_id").to_pylist()) == {
        incident_id(f"INC-{n}") for n, p in enumerate(plan) if not p[0] and p[3]}
    expected_orphans = sum(p[1] + p[2] + int(p[3]) for p in plan if p[0])
    issues = orphan_issues(result)
    assert len(issues) == expected_orphans
    refused = {incident_id(f"INC-{n}") for n, p in enumerate(plan) if p[0]}
    assert all(any(i in issue["message"] for i in refused) for issue in issues)
    counts = result.reconciliation.record_types
    assert sum(counts[t].rejected for t in ("4", "5", "6") if t in counts) == expected_orphans
    produced = sum(result.tables[e].num_rows for e in ("victim", "offender")) + result.tables["arrest"].num_rows
    assert produced + expected_orphans == sum(p[1] + p[2] + int(p[3]) for p in plan)


def test_rows_gathered_into_a_record_rejected_with_its_incident_are_rejected_too(tmp_path: Path) -> None:
    """XML items grouped into property records: when the incident is refused, no item row stays 'translated'.

    The FBI's NIBRS_Test_Sample.xml with its cargo theft indicator set to true on a 35A incident is
    refused (edit 119); its property records are rejected by the reference stage, and the item rows
    gathered into them must follow, or the counts would say rows were translated that are in no output.
    """
    original = builtin_spec_path("nibrs_xml").parent / "samples" / "NIBRS_Test_Sample.xml"
    text = original.read_text(encoding="utf-8")
    assert "<j:OffenseCargoTheftIndicator>false<" in text
    sample = tmp_path / original.name
    sample.write_text(text.replace("<j:OffenseCargoTheftIndicator>false<", "<j:OffenseCargoTheftIndicator>true<"),
                      encoding="utf-8")
    result = Translator(builtin_spec_path("nibrs_xml"), extracted_at=EXTRACTED_AT, threads=1).translate([sample])
    items = result.reconciliation.record_types["item"]
    assert items.rows_in > 1 and items.translated == 0 and items.rejected == items.rows_in
    assert result.tables.get("property") is None or result.tables["property"].num_rows == 0
    item_rejects = result.rejects.filter(pc.equal(result.rejects.column("record_type"), "item"))
    assert item_rejects.num_rows == items.rows_in
    assert all("JS-T05" in {i["code"] for i in issues} for issues in item_rejects.column("issues").to_pylist())
    assert result.reconciliation.balanced


def test_a_run_that_spills_what_it_holds_gives_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    """Held tables written to disk (a budget of 0 bytes spills every batch) change nothing a user sees."""
    from justice_schema.translation import references

    lines = [admin("I", "INC-1", "N"), offense("INC-1", "13B"), victim("INC-1", 1), offender("INC-1", 1),
             arrestee("INC-1", 1),                                       # refused (119): all go with it
             admin("I", "INC-2"), offense("INC-2", "290"), victim("INC-2", 1), offender("INC-2", 1),
             admin("D", "INC-3"), admin("I", "INC-3"), offense("INC-3", "290"), victim("INC-3", 1),
             group_b("A", "GB-1"), group_b("D", "GB-1"), group_b("A", "GB-1")]
    kept = run(tmp_path, *lines)
    written: list[Path] = []
    put = references._Spool.put

    def spy(self: references._Spool, table: object) -> Path:
        path = put(self, table)  # type: ignore[arg-type]
        written.append(path)
        return path

    monkeypatch.setattr(references, "SPILL_BYTES", 0)
    monkeypatch.setattr(references._Spool, "put", spy)
    spilled = run(tmp_path, *lines)
    assert written and not any(p.exists() for p in written)  # spilled, then the folder removed
    for entity in kept.tables:
        assert spilled.tables[entity].equals(kept.tables[entity]), entity
    assert spilled.rejects.equals(kept.rejects) and spilled.rejects.num_rows >= 5
    assert spilled.reconciliation.to_dict() == kept.reconciliation.to_dict()


def test_spilled_tables_are_removed_when_a_run_stops_before_handing_them_on() -> None:
    """A run that raises after spilling never reaches ``resolve``: its spool folder goes with the spool."""
    import gc

    import pyarrow as pa

    from justice_schema.translation import references

    spool = references._Spool()
    path = spool.put(pa.table({"id": ["a", "b"]}))
    assert references._Spool.get(path).column("id").to_pylist() == ["a", "b"]
    folder = path.parent
    del spool
    gc.collect()
    assert not folder.exists()
