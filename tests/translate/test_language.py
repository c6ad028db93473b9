"""The mapping language as a vendor found it: local dates of instants, a literal Z, ranks, params."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from justice_schema.errors import InputError
from justice_schema.translation import SpecError, Translator, load_spec_text
from tests.translate.helpers import STAMP, run, spec_text

ARREST = """
[[entity]]
type = "arrest"
id = {{ id = ["ID"], prefix = "a" }}
[entity.fields]
person_id = {{ const = "p-1" }}
arrest_date = {arrest_date}
"""


def arrests(tmp: Path, arrest_date: str, csv: str, **options: object):
    return run(tmp, ARREST.format(arrest_date=arrest_date), {"in.csv": csv}, **options)


def spec_problem(tmp: Path, body: str, **options: object) -> SpecError:
    path = tmp / "spec.toml"
    path.write_text(spec_text(body), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        Translator(path, **options)  # type: ignore[arg-type]
    return caught.value


# -- local_date ------------------------------------------------------------------------------------

def test_local_date_puts_an_instant_on_the_agency_calendar(tmp_path: Path) -> None:
    csv = "ID,AT\n1,2024-04-17T02:10:00Z\n2,2024-04-17T12:10:00-06:00\n3,2024-04-17T05:59:59+0000\n4,2024-04-17T06:00:00Z\n"
    result = arrests(tmp_path, '{ local_date = "AT", formats = ["%Y-%m-%dT%H:%M:%S%z"] }', csv)
    assert result.clean
    # Denver is UTC-6 in April: 02:10Z is the evening before, 06:00Z is midnight.
    assert [a["arrest_date"] for a in result.tables["arrest"].to_pylist()] == [
        date(2024, 4, 16), date(2024, 4, 17), date(2024, 4, 16), date(2024, 4, 17)]


def test_local_date_takes_its_own_time_zone_and_datetime_values(tmp_path: Path) -> None:
    expr = ('{ local_date = { datetime = "AT", formats = ["%Y-%m-%dT%H:%M:%SZ"] }, '
            'timezone = "Pacific/Auckland" }')
    result = arrests(tmp_path, expr, "ID,AT\n1,2024-04-17T13:00:00Z\n2,2024-04-17T11:00:00Z\n")
    assert [a["arrest_date"] for a in result.tables["arrest"].to_pylist()] == [date(2024, 4, 18), date(2024, 4, 17)]


def test_local_date_rejects_text_without_the_offset_naming_field_and_value(tmp_path: Path) -> None:
    result = arrests(tmp_path, '{ local_date = "AT", formats = ["%Y-%m-%dT%H:%M:%S%z"] }',
                     "ID,AT\n1,2024-04-17T02:10:00Z\n2,2024-04-17 02:10\n")
    assert result.reconciliation.record_types["default"].rejected == 1
    (reasons,) = result.rejects.column("reasons").to_pylist()
    assert ("arrest.arrest_date: '2024-04-17 02:10' is not a date-time with an offset in format "
            "%Y-%m-%dT%H:%M:%S%z") in reasons
    assert result.rejects.column("source_line").to_pylist() == [3]


@settings(max_examples=60, deadline=None)
# Arrow's zone rules end with 2037 (it does not extend the last rule as zoneinfo does): see docs/mapping-spec.rst.
@given(st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2037, 12, 31), timezones=st.just(UTC)),
       st.sampled_from(["America/Denver", "America/New_York", "Asia/Kolkata", "Pacific/Chatham", "UTC",
                        "Australia/Lord_Howe", "America/St_Johns"]))
def test_local_date_agrees_with_zoneinfo(tmp_path_factory, instant: datetime, zone: str) -> None:
    instant = instant.replace(microsecond=0)
    tmp = tmp_path_factory.mktemp("ld")
    text = instant.strftime("%Y-%m-%dT%H:%M:%SZ")
    result = arrests(tmp, f'{{ local_date = "AT", formats = ["%Y-%m-%dT%H:%M:%S%z"], timezone = "{zone}" }}',
                     f"ID,AT\n1,{text}\n")
    assert result.tables["arrest"].column("arrest_date").to_pylist() == [
        instant.astimezone(zoneinfo.ZoneInfo(zone)).date()]


def test_local_date_needs_an_offset_in_its_formats(tmp_path: Path) -> None:
    error = spec_problem(tmp_path, ARREST.format(arrest_date='{ local_date = "AT", formats = ["%Y-%m-%d %H:%M"] }'))
    assert error.key == "entity[0].fields.arrest_date.formats[0]"
    assert "has no offset" in error.problem and "use { date = ... }" in error.problem


def test_local_date_refuses_a_zone_that_is_not_iana(tmp_path: Path) -> None:
    error = spec_problem(tmp_path, ARREST.format(
        arrest_date='{ local_date = "AT", formats = ["%Y-%m-%dT%H:%M:%S%z"], timezone = "Mountain" }'))
    assert error.key == "entity[0].fields.arrest_date.timezone"
    assert "'Mountain' is not an IANA time zone" in error.problem


def test_date_refuses_a_format_with_an_offset(tmp_path: Path) -> None:
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%z"):
        error = spec_problem(tmp_path, ARREST.format(arrest_date=f'{{ date = "AT", formats = ["{fmt}"] }}'))
        assert error.key == "entity[0].fields.arrest_date.formats[0]"
        assert "local_date" in error.problem


# -- a literal Z -----------------------------------------------------------------------------------

def test_a_literal_z_is_read_as_utc_not_local_time(tmp_path: Path) -> None:
    body = """
[[entity]]
type = "arrest"
id = { id = ["ID"], prefix = "a" }
[entity.fields]
person_id = { const = "p-1" }
arrest_date = { date = "D", formats = ["%Y-%m-%d"] }
arrested_at = { datetime = "AT", formats = ["%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M"] }
"""
    csv = "ID,D,AT\n1,2024-04-16,2024-04-17T02:10:00Z\n2,2024-04-16,2024-04-16 20:10\n"
    result = run(tmp_path, body, {"in.csv": csv})
    times = result.tables["arrest"].column("arrested_at").to_pylist()
    # The same instant: Z is UTC; the local time is Denver's (UTC-6).
    assert times == [datetime(2024, 4, 17, 2, 10, tzinfo=UTC)] * 2


def test_a_literal_z_in_joined_date_and_time_columns_is_utc(tmp_path: Path) -> None:
    body = """
[[entity]]
type = "arrest"
id = { id = ["ID"], prefix = "a" }
[entity.fields]
person_id = { const = "p-1" }
arrest_date = { date = "D", formats = ["%Y-%m-%d"] }
arrested_at = { datetime = { concat = ["D", "T"], sep = " " }, formats = ["%Y-%m-%d %H:%MZ"] }
"""
    result = run(tmp_path, body, {"in.csv": "ID,D,T\n1,2024-04-17,02:10Z\n2,2024-04-17,02:10Z\n"})
    assert result.tables["arrest"].column("arrested_at").to_pylist() == [datetime(2024, 4, 17, 2, 10, tzinfo=UTC)] * 2


# -- rank ------------------------------------------------------------------------------------------

CHARGES = """
[maps.severity]
values = { "F1" = "1", "F2" = "2", "F3" = "3", "MA" = "4", "MB" = "5" }

[[entity]]
type = "charge"
id = { id = ["ARREST", "SEQ"], prefix = "c" }
[entity.fields]
person_id = { const = "p-1" }
charge_sequence = { int = "SEQ" }
statute_code = "STATUTE"
description = { if = { test = { rank = ["ARREST"], order = [{ int = { map = "DEGREE", using = "severity" } }, { value = { int = "SEQ" }, descending = true }] }, equals = 1 }, then = { const = "MOST SERIOUS" } }
"""


def test_rank_picks_the_most_serious_charge_of_each_arrest(tmp_path: Path) -> None:
    csv = ("ARREST,SEQ,STATUTE,DEGREE\n"
           "A1,1,76-6-404,MB\nA1,2,76-6-302,F1\nA1,3,76-5-102,MA\n"
           "A2,1,41-6a-502,MB\nA2,2,58-37-8,MB\n"
           "A3,1,76-8-305,F3\n")
    result = run(tmp_path, CHARGES, {"in.csv": csv})
    assert result.clean
    picked = sorted(c["id"] for c in result.tables["charge"].to_pylist() if c["description"])
    # A2's two charges tie on degree: the later sequence number wins (order descending).
    assert picked == ["c:A1:2", "c:A2:2", "c:A3:1"]


def test_rank_sees_groups_across_batches(tmp_path: Path) -> None:
    rows = [f"A{n % 7},{n},S{n},{['MB', 'F2', 'MA'][n % 3]}" for n in range(1, 400)]
    csv = "ARREST,SEQ,STATUTE,DEGREE\n" + "\n".join(rows) + "\n"
    result = run(tmp_path, CHARGES, {"in.csv": csv}, threads=2)
    small = run(tmp_path / "small", CHARGES, {"in.csv": csv}, source="block_size = 1024") if (
        tmp_path / "small").mkdir() is None else None
    picked = sorted(c["id"] for c in result.tables["charge"].to_pylist() if c["description"])
    assert len(picked) == 7  # exactly one per arrest
    assert small is not None
    assert sorted(c["id"] for c in small.tables["charge"].to_pylist() if c["description"]) == picked
    assert small.reconciliation.balanced and small.reconciliation.records_out["charge"] == 399


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", ""]), st.one_of(st.none(), st.integers(0, 4))),
                min_size=1, max_size=30),
       st.sampled_from(["row_number", "min", "dense"]), st.booleans())
def test_rank_matches_a_python_reference(tmp_path_factory, rows, ties, descending) -> None:
    from collections import Counter

    import pyarrow as pa

    from justice_schema.translation import expressions as ex
    from justice_schema.translation.context import EvalContext

    table = pa.table({"g": [g or None for g, _ in rows], "o": [None if o is None else str(o) for _, o in rows]})
    ctx = EvalContext(table, pa.array(range(len(rows)), pa.int64()), "default", [], {}, Counter())
    step = ex.Rank((ex.Column("g"),), ((ex.ToInt(ex.Column("o"), "o"), descending),), ties)
    got = step.evaluate(ctx).array.to_pylist()
    for i, (g, o) in enumerate(rows):
        group = [(j, oo) for j, (gg, oo) in enumerate(rows) if (gg or None) == (g or None)]

        def key(item):
            j, value = item
            missing = value is None
            return (missing, (-value if descending else value) if not missing else 0, j)

        ordered = sorted(group, key=key)
        place = [j for j, _ in ordered].index(i) + 1
        if ties != "row_number":
            equal = [j for j, oo in ordered if oo == o]
            first = [j for j, _ in ordered].index(equal[0]) + 1
            distinct = []
            for _, oo in ordered:
                if oo not in distinct:
                    distinct.append(oo)
            place = first if ties == "min" else distinct.index(o) + 1
        assert got[i] == place, (rows, ties, descending, got)


def test_rank_needs_an_order(tmp_path: Path) -> None:
    error = spec_problem(tmp_path, ARREST.format(arrest_date='{ date = "D", formats = ["%Y-%m-%d"] }') +
                         'arrestee_sequence_number = { rank = ["PERSON"] }\n')
    assert "arrestee_sequence_number" in error.key
    assert "'order' is a required property" in error.problem


# -- params ----------------------------------------------------------------------------------------

PARAMS = """
[params]
agency = { description = "the agency's ORI", required = true, pattern = "^[A-Z]{2}[A-Z0-9]{7}$" }
unit = { description = "a unit name", default = "PATROL" }

[[entity]]
type = "person"
id = { id = ["ID"], prefix = "p" }
agency_ori = { param = "agency" }
[entity.fields]
family_name = { concat = ["LAST", { param = "unit" }], sep = "-" }
"""


def test_params_are_constants_given_to_the_translator(tmp_path: Path) -> None:
    result = run(tmp_path, PARAMS, {"in.csv": "ID,LAST\n1,DOE\n"}, params={"agency": "OK0140200"})
    (person,) = result.tables["person"].to_pylist()
    assert person["source"]["agency_ori"] == "OK0140200" and person["family_name"] == "DOE-PATROL"
    assert result.reconciliation.params == {"agency": "OK0140200", "unit": "PATROL"}
    assert result.summary()["params"] == {"agency": "OK0140200", "unit": "PATROL"}


@pytest.mark.parametrize(("params", "field", "words"), [
    ({"agency": "OK0140200", "agnecy": "x"}, "agnecy", "unknown parameter 'agnecy'; translator 't' takes: agency, unit"),
    ({}, "agency", "parameter 'agency' is required (the agency's ORI); give --param agency=VALUE"),
    ({"agency": "ok"}, "agency", "parameter 'agency' = 'ok' does not match"),
])
def test_bad_params_are_one_clear_error(tmp_path: Path, params, field, words) -> None:
    with pytest.raises(InputError) as caught:
        run(tmp_path, PARAMS, {"in.csv": "ID,LAST\n1,DOE\n"}, params=params)
    assert caught.value.field == field and caught.value.path.endswith("spec.toml")
    assert words in str(caught.value) and "\n" not in str(caught.value)


def test_a_param_the_spec_does_not_declare_is_a_spec_error(tmp_path: Path) -> None:
    error = spec_problem(tmp_path, PARAMS.replace('{ param = "unit" }', '{ param = "shift" }'),
                         params={"agency": "OK0140200"})
    assert error.key == "entity[0].fields.family_name.concat[1].param"
    assert "no parameter 'shift' in [params]; declared: agency, unit" in error.problem


def test_params_declare_a_description(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        load_spec_text(spec_text('[params]\nagency = { required = true }\n' + PARAMS.split("\n", 4)[4]))
    assert caught.value.key == "params.agency" and "'description' is a required property" in caught.value.problem


# -- dedupe conflicts ------------------------------------------------------------------------------

PEOPLE = """
[maps.sex]
values = { "M" = "M", "F" = "F" }

[[entity]]
type = "person"
dedupe = true
id = { id = ["MNI"], prefix = "p" }
[entity.fields]
family_name = "LAST"
sex = { map = "SEX", using = "sex" }
date_of_birth = { date = "DOB", formats = ["%Y-%m-%d"] }
"""


def test_dedupe_reports_every_value_it_drops(tmp_path: Path) -> None:
    csv = ("MNI,LAST,SEX,DOB\n"
           "1,DOE,M,\n"
           "1,DOE,F,1980-02-03\n"  # sex conflicts; date of birth fills a gap the kept record has
           "1,DOE,M,\n"            # the same as the kept record: nothing lost
           "2,ROE,F,1990-01-01\n")
    result = run(tmp_path, PEOPLE, {"in.csv": csv})
    rec = result.reconciliation
    assert rec.duplicates_merged["person"] == 2 and rec.records_out["person"] == 2
    assert rec.dedupe_conflicts == {"person": {"sex": 1, "sex_raw": 1, "date_of_birth": 1}}
    assert result.summary()["dedupe_conflicts"] == {"person": {"date_of_birth": 1, "sex": 1, "sex_raw": 1}}
    rows = [(r["id"], r["field"], r["kept_value"], r["other_value"], r["source_line"])
            for r in result.conflicts.to_pylist()]
    assert sorted(rows) == [("p:1", "date_of_birth", None, "1980-02-03", 3), ("p:1", "sex", "M", "F", 3),
                            ("p:1", "sex_raw", "M", "F", 3)]
    assert result.conflicts.num_rows == rec.conflicts


def test_dedupe_compares_across_batches_and_nested_values(tmp_path: Path) -> None:
    body = PEOPLE + 'address = { city = "CITY" }\n'
    rows = [f"{n},DOE,M,,OGDEN" for n in range(300)] + ["7,DOE,M,,PROVO", "7,DOE,M,,OGDEN"]
    result = run(tmp_path, body, {"in.csv": "MNI,LAST,SEX,DOB,CITY\n" + "\n".join(rows) + "\n"},
                 source="block_size = 512")
    assert [(r["id"], r["field"], r["kept_value"], r["other_value"]) for r in result.conflicts.to_pylist()] == [
        ("p:7", "address.city", "OGDEN", "PROVO")]


# -- files -----------------------------------------------------------------------------------------

def test_summary_counts_rows_per_input_file(tmp_path: Path) -> None:
    body = PEOPLE.replace("dedupe = true\n", "")
    files = {"a.csv": "MNI,LAST,SEX,DOB\n1,DOE,M,\n2,ROE,X,\n", "b.csv": "MNI,LAST,SEX,DOB\n3,POE,F,\n",
             "empty.csv": "MNI,LAST,SEX,DOB\n"}
    result = run(tmp_path, body, files)
    files_out = result.summary()["files"]
    assert files_out == {
        "a.csv": {"rows_in": 2, "translated": 1, "instructions": 0, "rejected": 1},
        "b.csv": {"rows_in": 1, "translated": 1, "instructions": 0, "rejected": 0},
        "empty.csv": {"rows_in": 0, "translated": 0, "instructions": 0, "rejected": 0},
    }
    assert sum(f["rows_in"] for f in files_out.values()) == result.reconciliation.rows_in
    assert sum(f["rejected"] for f in files_out.values()) == result.rejects.num_rows


def test_source_files_glob_ignores_other_files_and_says_so(tmp_path: Path) -> None:
    body = PEOPLE.replace("dedupe = true\n", "")
    files = {"people.csv": "MNI,LAST,SEX,DOB\n1,DOE,M,\n", "codes.csv": "\xff\xfe not text at all",
             "README.md": "# notes\n"}
    result = run(tmp_path, body, files, source='files = "people*.csv"')
    assert result.clean and result.reconciliation.records_out["person"] == 1
    assert result.reconciliation.ignored_files == {
        "codes.csv": "not read: the main input is files matching 'people*.csv'",
        "README.md": "not read: the main input is files matching 'people*.csv'"}
    assert set(result.summary()["files"]) == {"people.csv"}


def test_a_folder_stands_for_its_files(tmp_path: Path) -> None:
    folder = tmp_path / "download"
    folder.mkdir()
    (folder / "people.csv").write_text("MNI,LAST,SEX,DOB\n1,DOE,M,\n2,ROE,F,\n", encoding="utf-8")
    (folder / "other.txt").write_text("x\n", encoding="utf-8")
    (tmp_path / "spec.toml").write_text(spec_text(PEOPLE, source='files = "*.csv"'), encoding="utf-8")
    result = Translator(tmp_path / "spec.toml", extracted_at=STAMP).translate([folder])
    assert result.reconciliation.records_out["person"] == 2
    assert list(result.reconciliation.ignored_files) == ["other.txt"]


def test_a_folder_is_refused_by_a_spec_that_does_not_name_its_main_input(tmp_path: Path) -> None:
    # every file of the folder would be read as the main input (a README as arrest rows)
    folder = tmp_path / "download"
    folder.mkdir()
    (folder / "people.csv").write_text("MNI,LAST,SEX,DOB\n1,DOE,M,\n", encoding="utf-8")
    (tmp_path / "spec.toml").write_text(spec_text(PEOPLE), encoding="utf-8")
    with pytest.raises(InputError, match="is a folder, not a file; give the export file"):
        Translator(tmp_path / "spec.toml", extracted_at=STAMP).translate([folder])


def test_a_join_with_unless_param_is_skipped_when_the_param_is_given(tmp_path: Path) -> None:
    body = """
[params]
ori = { description = "the agency" }

[[join]]
name = "agency"
files = "agency*.csv"
on = ["AG"]
required = true
unless_param = "ori"

[[entity]]
type = "person"
id = { id = ["MNI"], prefix = "p" }
agency_ori = { coalesce = ["agency.ORI", { param = "ori" }] }
[entity.fields]
family_name = "LAST"
"""
    people = "MNI,LAST,AG\n1,DOE,7\n"
    joined = run(tmp_path, body, {"people.csv": people, "agency.csv": "AG,ORI\n7,UT0180000\n"})
    assert joined.tables["person"].column("source").to_pylist()[0]["agency_ori"] == "UT0180000"
    given = run(tmp_path, body, {"people.csv": people, "agency.csv": "AG,ORI\n7,UT0180000\n"},
                params={"ori": "OK0140200"})
    assert given.tables["person"].column("source").to_pylist()[0]["agency_ori"] == "OK0140200"
    assert given.reconciliation.ignored_files == {"agency.csv": "join 'agency' is skipped: parameter 'ori' was given"}
    with pytest.raises(InputError) as caught:
        run(tmp_path, body, {"people.csv": people})
    assert "or give the parameter 'ori'" in str(caught.value)


def test_the_docs_rank_example_keeps_one_arrest_per_arrest_number(tmp_path: Path) -> None:
    body = """
[maps.degree_rank]
values = { "F1" = "1", "F2" = "2", "F3" = "3", "MA" = "4", "MB" = "5" }

[[entity]]
type = "charge"
id = { id = ["ArrestNo", "ChargeSeq"], prefix = "acme:charge" }
[entity.fields]
person_id = { const = "p-1" }
ucr_offense_code = { lookup = "Offense", table = "ucr_offense", by = "code" }

[[entity]]
type = "arrest"
id = { id = ["ArrestNo"], prefix = "acme:arrest" }
when = { test = { rank = ["ArrestNo"], order = [{ int = { map = "Degree", using = "degree_rank" } }, { int = "ChargeSeq" }] }, equals = 1 }
[entity.fields]
person_id = { const = "p-1" }
arrest_date = { date = "D", formats = ["%Y-%m-%d"] }
ucr_arrest_offense_code = { lookup = "Offense", table = "ucr_offense", by = "code" }
"""
    csv = ("ArrestNo,ChargeSeq,Degree,Offense,D\n"
           "A1,1,MB,90D,2024-01-02\nA1,2,F2,220,2024-01-02\nA2,1,MA,13B,2024-01-03\nA2,2,MA,90Z,2024-01-03\n")
    result = run(tmp_path, body, {"in.csv": csv})
    assert result.clean and result.reconciliation.balanced
    assert [(a["id"], a["ucr_arrest_offense_code"]) for a in result.tables["arrest"].to_pylist()] == [
        ("acme:arrest:A1", "220"), ("acme:arrest:A2", "13B")]


def test_the_mapping_spec_reference_names_every_key_of_the_language() -> None:
    """docs/mapping-spec.rst is the reference in the source tree: every kind, option, modifier, condition and key."""
    from justice_schema.translation.spec_schema import EXPRESSION_KINDS, MODIFIERS, build_spec_json_schema

    text = (Path(__file__).parents[2] / "docs" / "mapping-spec.rst").read_text(encoding="utf-8")
    schema = build_spec_json_schema()
    names: set[str] = set(MODIFIERS)
    for kind, options in EXPRESSION_KINDS.items():
        names |= {kind, *options}
    names |= set(schema["properties"]) | set(schema["properties"]["translator"]["properties"])
    for section in ("join", "gather", "instruction", "not_mapped"):
        names |= set(schema["properties"][section]["items"]["properties"])
    names |= set(schema["properties"]["params"]["additionalProperties"]["properties"])
    names |= set(schema["properties"]["entity"]["items"]["properties"])
    names |= set(schema["properties"]["maps"]["additionalProperties"]["properties"])
    for branch in schema["$defs"]["condition"]["oneOf"]:
        names |= set(branch["properties"])
    import re

    literal_words = {w for literal in re.findall(r"``(.+?)``", text, re.S) for w in re.findall(r"[a-z_]+", literal)}
    # a key of a TOML example block counts too
    literal_words |= set(re.findall(r"^\s*([a-z_]+) =", text, re.M))
    assert sorted(names - literal_words) == []


def test_dedupe_compares_lists_entry_by_entry(tmp_path: Path) -> None:
    body = PEOPLE + ('other_identifiers = [{ type = { const = "LOCAL_PERSON_ID" }, value = "MNI", '
                     'issuer = "AGENCY" }]\n')
    csv = ("MNI,LAST,SEX,DOB,AGENCY\n"
           "1,DOE,M,,UT0180000\n"
           "1,DOE,M,,UT0180300\n"   # the same identifier, issued by another agency: a conflict
           "1,DOE,M,,UT0180000\n"   # the same list: none
           "2,ROE,F,,\n2,ROE,F,,UT0180000\n")  # the issuer was missing from the kept record: a conflict
    result = run(tmp_path, body, {"in.csv": csv})
    rows = [(r["id"], r["field"], r["kept_value"], r["other_value"], r["source_line"])
            for r in result.conflicts.to_pylist()]
    assert rows == [
        ("p:1", "other_identifiers", "type=LOCAL_PERSON_ID; value=1; issuer=UT0180000",
         "type=LOCAL_PERSON_ID; value=1; issuer=UT0180300", 3),
        ("p:2", "other_identifiers", "type=LOCAL_PERSON_ID; value=2", "type=LOCAL_PERSON_ID; value=2; issuer=UT0180000",
         6)]
    assert result.reconciliation.dedupe_conflicts == {"person": {"other_identifiers": 2}}


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.sampled_from(["M", "F", ""]), st.sampled_from(["DOE", "ROE", ""])),
                min_size=1, max_size=40),
       st.integers(1, 3))
def test_dedupe_conflicts_match_a_python_reference(tmp_path_factory, rows, files) -> None:
    """Every value a merge drops is a conflict: a later row's value differing from (or missing in) the kept one."""
    tmp = tmp_path_factory.mktemp("dd")
    body = PEOPLE.replace('date_of_birth = { date = "DOB", formats = ["%Y-%m-%d"] }\n', "")
    chunks: dict[str, str] = {}
    for k in range(files):
        part = rows[k::files]
        chunks[f"f{k}.csv"] = "MNI,LAST,SEX\n" + "".join(f"{i},{last},{sex}\n" for i, sex, last in part)
    result = run(tmp, body, chunks, threads=2)
    ordered = [r for k in range(files) for r in rows[k::files]]  # files are read in the order given
    kept: dict[int, dict[str, str]] = {}
    expected = []
    for i, sex, last in ordered:
        record = {"family_name": last or None, "sex": sex or None, "sex_raw": sex or None}
        if i not in kept:
            kept[i] = record
            continue
        for field, value in record.items():
            if value is not None and kept[i][field] != value:
                expected.append((f"p:{i}", field, kept[i][field], value))
    got = [(r["id"], r["field"], r["kept_value"], r["other_value"]) for r in result.conflicts.to_pylist()]
    assert sorted(got, key=str) == sorted(expected, key=str)
    rec = result.reconciliation
    assert rec.conflicts == len(expected)
    assert rec.records_out["person"] == len(kept) and rec.duplicates_merged["person"] == len(ordered) - len(kept)
    per_file = result.summary()["files"]
    assert sum(f["rows_in"] for f in per_file.values()) == rec.rows_in == len(rows)
    assert all(f["rows_in"] == f["translated"] + f["instructions"] + f["rejected"] for f in per_file.values())


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 4), st.sampled_from(["M", "F", ""]), st.sampled_from(["DOE", "ROE", ""])),
                min_size=1, max_size=40),
       st.integers(0, 6), st.integers(1, 3))
def test_the_conflict_sample_is_the_first_conflicts_and_every_one_is_counted(tmp_path_factory, rows, sample,
                                                                            files) -> None:
    """``conflict_sample=k`` lists the first k conflict rows of the full list, in order; the counts are the same."""
    tmp = tmp_path_factory.mktemp("ds")
    body = PEOPLE.replace('date_of_birth = { date = "DOB", formats = ["%Y-%m-%d"] }\n', "")
    chunks = {f"f{k}.csv": "MNI,LAST,SEX\n" + "".join(f"{i},{last},{sex}\n" for i, sex, last in rows[k::files])
              for k in range(files)}
    full = run(tmp, body, chunks, threads=2, conflict_sample=None)
    capped = run(tmp, body, chunks, threads=2, conflict_sample=sample)
    assert capped.conflicts.to_pylist() == full.conflicts.to_pylist()[:sample]
    assert capped.reconciliation.dedupe_conflicts == full.reconciliation.dedupe_conflicts
    assert capped.reconciliation.conflicts == full.conflicts.num_rows
    listed = capped.summary().get("dedupe_conflicts_listed")
    assert listed == (min(sample, full.conflicts.num_rows) if sample < full.conflicts.num_rows else None)
    assert "dedupe_conflicts_listed" not in full.summary()


def test_a_negative_conflict_sample_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="conflict_sample must be 0 or more"):
        run(tmp_path, PEOPLE, {"in.csv": "MNI,LAST,SEX,DOB\n1,DOE,M,\n"}, conflict_sample=-1)
