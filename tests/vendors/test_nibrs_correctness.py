"""NIBRS correctness (issue 13): cargo theft, delete-then-resubmit, Group B delete-then-add, arrestee edits.

Each cause has a minimal flat file of its own, built here segment by segment at the FBI's
positions (NIBRS Technical Specification 2019.1), so a test names exactly what it feeds in.
``tests/vendors/data/nibrs_resubmit_groupb_cargo.txt`` puts the three submission patterns
of real state files in one file, as the issue asks.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from justice_schema.io import translate_files
from justice_schema.testing.nibrs_submissions import flat_segment
from justice_schema.translation import TranslationResult, Translator, builtin_spec_path
from tests.vendors.nibrs_golden import EXTRACTED_AT

DATA = Path(__file__).parent / "data"


def segment(level: str, action: str, fields: dict[int, str], key: str = "") -> str:
    """One flat-file segment: the header, ``key`` at 26-37, and ``fields`` by 1-based start position."""
    return flat_segment(level, fields, key, action)


def admin(action: str, incident: str, cargo: str = " ") -> str:
    """An 88-character administrative segment; ``cargo`` is position 88 (blank: not applicable)."""
    return segment("1", action, {38: "20190601", 47: "10", 49: "N", 88: cargo}, incident)


def offense(incident: str, code: str = "13B", attempted: str = "C") -> str:
    """An offense segment of ``incident`` (residence): personal weapons where DE 13 is required (221) and
    only there (222), 'possessing' where DE 12 is required (220)."""
    weapon = "40 " if code in ("13A", "13B", "120") else "   "
    activity = "P" if code in ("250", "280", "35A", "35B") else " "
    return segment("2", "I", {38: code, 41: attempted, 42: "N", 45: "20", 50: activity, 53: weapon, 62: "88"},
                   incident)


def group_b(action: str, atn: str, age: str = "25", sex: str = "M", disposition: str = " ") -> str:
    """A Group B arrest (level 7): 90D (driving under the influence), taken into custody."""
    return segment("7", action, {38: "01", 40: "20190614", 48: "T", 49: "90D", 52: "01", 58: f"{age:<4}",
                                 62: sex, 63: "W", 64: "N", 65: "R", 66: disposition}, atn)


def run(tmp_path: Path, *lines: str, validate: object = "default") -> TranslationResult:
    path = tmp_path / "submission.txt"
    path.write_text("\n".join(lines) + "\n", encoding="latin-1")
    options = {} if validate == "default" else {"validate": validate}
    translator = Translator(builtin_spec_path("nibrs_flatfile"), extracted_at=EXTRACTED_AT, threads=1, **options)
    result = translator.translate([path])
    assert result.reconciliation.balanced
    return result


def reasons(result: TranslationResult) -> list[str]:
    return [r for rs in result.rejects.column("reasons").to_pylist() for r in rs]


# -- cargo theft ------------------------------------------------------------------------------------


def test_blank_cargo_theft_in_an_88_character_segment_stays_null(tmp_path: Path) -> None:
    result = run(tmp_path, admin("I", "INC-1"), offense("INC-1", "13B"))
    assert result.rejects.num_rows == 0
    assert result.tables["incident"].column("cargo_theft").to_pylist() == [None]


@pytest.mark.parametrize(("cargo", "code", "accepted"), [("Y", "23F", True), ("N", "23F", True),
                                                         ("N", "13B", False), ("Y", "13B", False)])
def test_cargo_theft_answered_only_for_a_cargo_theft_offense(tmp_path: Path, cargo: str, code: str,
                                                             accepted: bool) -> None:
    """Edit 119: DE 2A must be blank unless an offense can involve cargo theft; Y and N are both answers."""
    result = run(tmp_path, admin("I", "INC-1", cargo), offense("INC-1", code))
    assert (result.tables["incident"].num_rows == 1) is accepted
    if not accepted:
        assert any("(JS-I28, FBI edit 119)" in r for r in reasons(result)), reasons(result)
        assert result.rejects.num_rows == 2  # the incident and its offense, nothing lost


def test_an_unreadable_cargo_theft_value_rejects_the_incident(tmp_path: Path) -> None:
    result = run(tmp_path, admin("I", "INC-1", "X"), offense("INC-1", "23F"))
    assert result.tables["incident"].num_rows == 0
    assert any("'X' is not a yes/no value" in r for r in reasons(result))


# -- delete then resubmit -----------------------------------------------------------------------------


def test_delete_then_resubmit_in_one_file_keeps_the_resubmitted_offenses(tmp_path: Path) -> None:
    result = run(tmp_path, admin("D", "INC-1"), admin("I", "INC-1"), offense("INC-1", "13B"),
                 offense("INC-1", "290"))
    assert result.rejects.num_rows == 0
    (incident,) = result.tables["incident"].to_pylist()
    assert [o["ucr_offense_code"] for o in incident["offenses"]] == ["13B", "290"]
    (delete,) = result.instructions.to_pylist()
    assert delete["kind"] == "delete_incident" and delete["source_line"] == 1
    assert incident["source"]["record_key"] == "INC-1"


def test_offenses_follow_the_administrative_segment_before_them(tmp_path: Path) -> None:
    """Each submission keeps its own offenses; a delete later in the file removes the add before it."""
    result = run(tmp_path, admin("I", "INC-1"), offense("INC-1", "13B"), admin("D", "INC-1"),
                 admin("R", "INC-2"), offense("INC-2", "290"), admin("I", "INC-3"), offense("INC-3", "23H"))
    assert result.rejects.num_rows == 0
    by_key = {r["incident_number"]: r for r in result.tables["incident"].to_pylist()}
    assert sorted(by_key) == ["INC-2", "INC-3"]
    assert [o["ucr_offense_code"] for o in by_key["INC-2"]["offenses"]] == ["290"]
    assert [o["ucr_offense_code"] for o in by_key["INC-3"]["offenses"]] == ["23H"]
    assert result.reconciliation.superseded == {"incident": 1}


def test_an_offense_before_any_administrative_segment_is_rejected_with_the_reason(tmp_path: Path) -> None:
    result = run(tmp_path, offense("INC-1", "13B"), admin("I", "INC-1"), offense("INC-1", "290"))
    assert result.tables["incident"].num_rows == 1
    assert any("before it in its file" in r for r in reasons(result)), reasons(result)


@settings(max_examples=12, deadline=None)
@given(plan=st.lists(st.tuples(st.sampled_from(["I", "D"]), st.integers(1, 3)), min_size=1, max_size=6))
def test_each_offense_belongs_to_the_submission_it_follows(tmp_path_factory: pytest.TempPathFactory,
                                                           plan: list[tuple[str, int]]) -> None:
    """Any sequence of adds and deletes of one incident number: actions apply in file order, so the
    output holds the last action's incident (none when it is a delete) with exactly the offenses written
    after its own administrative segment; the earlier adds are counted as superseded, nothing is lost."""
    lines = []
    for action, offenses in plan:
        lines.append(admin(action, "INC-1"))
        codes = ["13B", "290", "23H"][:offenses]
        lines.extend(offense("INC-1", code) for code in codes)
    last_action, last_count = plan[-1]
    expected = [["13B", "290", "23H"][:last_count]] if last_action == "I" else []
    result = run(tmp_path_factory.mktemp("seq"), *lines)
    got = [[o["ucr_offense_code"] for o in r["offenses"]] for r in result.tables["incident"].to_pylist()]
    assert got == expected
    adds = sum(1 for a, _ in plan if a == "I")
    assert result.reconciliation.superseded.get("incident", 0) == adds - len(expected)
    counts = result.reconciliation.record_types
    deleted_offenses = sum(k for a, k in plan if a == "D")
    # segments after a delete travel with it as part of the instruction: reported, not translated, not lost
    assert counts["2"].instructions == deleted_offenses and counts["2"].rejected == 0


# -- Group B delete then add ----------------------------------------------------------------------------


def test_group_b_delete_then_add_of_the_same_arrest_gives_one_arrest(tmp_path: Path) -> None:
    result = run(tmp_path, group_b("D", "GB-1"), group_b("A", "GB-1"))
    assert result.rejects.num_rows == 0
    ids = result.tables["arrest"].column("id").to_pylist()
    assert len(ids) == 1 == len(set(ids))
    assert result.tables["person"].num_rows == 1
    assert [i["kind"] for i in result.instructions.to_pylist()] == ["delete_group_b_arrest"]


def test_the_issue_file_translates_with_no_false_reject_and_no_duplicate_id() -> None:
    """delete-then-resubmit, Group B delete-then-add and blank cargo theft, in 88-character segments."""
    path = DATA / "nibrs_resubmit_groupb_cargo.txt"
    assert {len(line) for line in path.read_text(encoding="latin-1").splitlines() if line[4] == "1"} == {88}
    translator = Translator(builtin_spec_path("nibrs_flatfile"), extracted_at=EXTRACTED_AT)
    result = translator.translate([path])
    assert result.reconciliation.balanced
    assert result.rejects.num_rows == 0, reasons(result)
    for entity, table in result.tables.items():
        ids = table.column("id").to_pylist()
        assert len(ids) == len(set(ids)), entity
    assert result.tables["incident"].num_rows == 2
    assert result.tables["incident"].column("cargo_theft").to_pylist() == [None, True]
    assert Counter(result.instructions.column("kind").to_pylist()) == {"delete_incident": 1,
                                                                      "delete_group_b_arrest": 1}


# -- arrestee data elements --------------------------------------------------------------------------------


@pytest.mark.parametrize(("age", "sex", "disposition", "reason"), [
    ("NN", "M", " ", "(JS-A27, FBI edits 664/757)"),
    ("BB", "F", " ", "(JS-A27, FBI edits 664/757)"),
    ("25", "U", " ", "FBI edits 667/758"),
    ("0025", "M", " ", "(JS-A28, FBI edits 622/722)"),
    ("3X", "M", " ", "(JS-A29, FBI edits 609/664/709/757)"),
    ("-5", "M", " ", "(JS-A29, FBI edits 609/664/709/757)"),
    ("2525", "M", " ", "(JS-A22, FBI edits 610/710)"),
    ("3025", "M", " ", "(JS-A22, FBI edits 610/710)"),
    ("1719", "M", "H", "(JS-A21, FBI edits 653/753)"),
    ("16", "M", " ", "(JS-A20, FBI edits 652/752)"),
    ("1517", "M", " ", "(JS-A20, FBI edits 652/752)"),
])
def test_an_arrestee_the_fbi_would_refuse_is_rejected_with_the_edit(tmp_path: Path, age: str, sex: str,
                                                                    disposition: str, reason: str) -> None:
    result = run(tmp_path, group_b("A", "GB-1", age, sex, disposition))
    assert result.tables["arrest"].num_rows == 0 and result.tables["person"].num_rows == 0
    assert any(reason in r for r in reasons(result)), reasons(result)


@pytest.mark.parametrize(("age", "disposition", "low", "high"), [
    ("25", " ", 25, 25), ("2530", " ", 25, 30), ("1619", " ", 16, 19), ("1619", "H", 16, 19),
    ("17", "R", 17, 17), ("00", " ", None, None), ("99", " ", None, None)])
def test_an_arrestee_the_fbi_would_accept_is_translated(tmp_path: Path, age: str, disposition: str,
                                                        low: int | None, high: int | None) -> None:
    """A range across 18 with an average under 18 (16-19) and no disposition is the FBI's warning 640/740."""
    result = run(tmp_path, group_b("A", "GB-1", age, "F", disposition))
    assert result.rejects.num_rows == 0, reasons(result)
    (arrest,) = result.tables["arrest"].to_pylist()
    assert (arrest["arrestee_age"]["min_years"], arrest["arrestee_age"]["max_years"]) == (low, high)
    assert arrest["arrestee_age"]["raw"] == age


def test_an_incident_with_eleven_offenses_is_refused_whole(tmp_path: Path) -> None:
    codes = ["13B", "290", "23H", "23F", "23D", "240", "250", "26A", "270", "280", "35A"]
    result = run(tmp_path, admin("I", "INC-1"), *(offense("INC-1", c) for c in codes))
    assert result.tables["incident"].num_rows == 0
    assert any("(JS-I30, FBI edit 263)" in r for r in reasons(result)), reasons(result)
    assert result.reconciliation.record_types["2"].rejected == 11
    ten = run(tmp_path, admin("I", "INC-1"), *(offense("INC-1", c) for c in codes[:10]))
    assert ten.tables["incident"].num_rows == 1


# -- the library applies the record rules as the command does ----------------------------------------------


def test_library_translation_gives_the_rejects_of_the_command(tmp_path: Path) -> None:
    lines = [admin("I", "INC-1", "N"), offense("INC-1", "13B"), group_b("A", "GB-1", "BB"), group_b("A", "GB-2")]
    library = run(tmp_path, *lines)
    summary = translate_files([tmp_path / "submission.txt"], tmp_path / "out", vendor="nibrs_flatfile",
                              extracted_at=EXTRACTED_AT)
    assert summary.rows_rejected == library.rejects.num_rows == 3
    import pyarrow.parquet as pq

    command = pq.read_table(tmp_path / "out" / "rejects.parquet")
    assert sorted(map(tuple, command.column("reasons").to_pylist())) == sorted(
        map(tuple, library.rejects.column("reasons").to_pylist()))


def test_validate_none_is_the_explicit_opt_out(tmp_path: Path) -> None:
    result = run(tmp_path, admin("I", "INC-1", "N"), offense("INC-1", "13B"), validate=None)
    assert result.rejects.num_rows == 0
    assert result.tables["incident"].column("cargo_theft").to_pylist() == [False]
