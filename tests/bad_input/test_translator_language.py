"""Bad input: the translator language as a vendor writing a new spec met it (issue 11).

Each case is a problem that used to give no error (or a traceback): a wrong time zone, a
literal Z, a rank with no order, merged duplicates that disagree, parameters, the conformance
command line, a CDE download folder with tables the spec does not read.
"""

from __future__ import annotations

import contextlib
import io
import json
import textwrap
import traceback
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from justice_schema.errors import InputError
from justice_schema.testing import conformance
from justice_schema.translation import Translator, builtin_spec_path, registry
from justice_schema.translation.transforms import register_transform
from tests.bad_input.harness import CliRun, Sandbox

HEADER = """
spec_version = 1
[translator]
name = "vendor_x"
title = "Vendor X RMS"
system = "Vendor X"
agency_ori = { const = "UT0180000" }
timezone = "America/Denver"
[source]
format = "csv"
"""

ARREST = """
[[entity]]
type = "arrest"
id = {{ id = ["ID"], prefix = "a" }}
[entity.fields]
person_id = {{ const = "p-1" }}
arrest_date = {arrest_date}
"""

LOCAL = '{ local_date = "AT", formats = ["%Y-%m-%dT%H:%M:%S%z"] }'


def write_spec(sandbox: Sandbox, body: str, *, source: str = "") -> Path:
    return sandbox.write("spec.toml", HEADER + source + textwrap.dedent(body))


def translate(sandbox: Sandbox, spec: Path, *inputs: Path) -> CliRun:
    return sandbox.cli("translate", *inputs, "--spec", spec, "--out", sandbox.path("out"), "--quiet",
                       "--no-validate")


def summary(sandbox: Sandbox) -> dict:
    return json.loads((sandbox.path("out") / "summary.json").read_text(encoding="utf-8"))


def spec_refused(sandbox: Sandbox, body: str, *mentions: str) -> None:
    """The spec is refused before any input is read: exit 2, one line naming spec.toml and the key."""
    spec = write_spec(sandbox, body)
    data = sandbox.write("arrests.csv", "ID,AT,D\n1,2024-04-17T02:10:00Z,2024-04-16\n")
    translate(sandbox, spec, data).fails(2, "spec.toml", *mentions)
    sandbox.assert_unchanged()
    sandbox.assert_written_only([sandbox.path("out")])


# -- local_date and Z: refused specs -----------------------------------------------------------------

def test_local_date_with_a_zone_that_is_not_iana(sandbox):
    spec_refused(sandbox, ARREST.format(arrest_date=LOCAL.replace(" }", ', timezone = "MST7" }').replace(
        'timezone = "MST7"', 'timezone = "Mountain Time"')), "arrest_date.timezone", "not an IANA time zone")


def test_local_date_with_a_misspelt_zone(sandbox):
    spec_refused(sandbox, ARREST.format(arrest_date=LOCAL.replace(" }", ', timezone = "America/Denvr" }')),
                 "entity[0].fields.arrest_date.timezone", "'America/Denvr'")


def test_local_date_format_without_an_offset(sandbox):
    spec_refused(sandbox, ARREST.format(arrest_date='{ local_date = "AT", formats = ["%Y-%m-%d %H:%M"] }'),
                 "arrest_date.formats[0]", "has no offset")


def test_local_date_of_text_without_formats(sandbox):
    spec_refused(sandbox, ARREST.format(arrest_date='{ local_date = "AT" }'), "arrest_date", "needs formats")


def test_local_date_of_an_instant_with_formats(sandbox):
    expr = ('{ local_date = { datetime = "AT", formats = ["%Y-%m-%dT%H:%M:%S%z"] }, '
            'formats = ["%Y-%m-%dT%H:%M:%S%z"] }')
    spec_refused(sandbox, ARREST.format(arrest_date=expr), "arrest_date.formats", "an instant already")


def test_local_date_of_a_number(sandbox):
    spec_refused(sandbox, ARREST.format(arrest_date='{ local_date = { int = "ID" } }'), "arrest_date.local_date",
                 "gives int values")


def test_date_with_a_literal_z_format(sandbox):
    spec_refused(sandbox, ARREST.format(arrest_date='{ date = "AT", formats = ["%Y-%m-%dT%H:%M:%SZ"] }'),
                 "arrest_date.formats[0]", "use { local_date")


def test_date_with_an_offset_format(sandbox):
    spec_refused(sandbox, ARREST.format(arrest_date='{ date = "AT", formats = ["%m/%d/%Y", "%Y-%m-%dT%H:%M%z"] }'),
                 "arrest_date.formats[1]", "reads an instant")


# -- local_date and Z: data --------------------------------------------------------------------------

def test_local_date_rejects_text_without_an_offset_by_line(sandbox):
    spec = write_spec(sandbox, ARREST.format(arrest_date=LOCAL))
    data = sandbox.write("arrests.csv", "ID,AT\n1,2024-04-17T02:10:00Z\n2,04/17/2024 02:10\n3,2024-04-17T06:00:00Z\n")
    translate(sandbox, spec, data).exits(1, "1 rejected")
    rejects = pq.read_table(sandbox.path("out") / "rejects.parquet").to_pylist()
    assert [r["source_line"] for r in rejects] == [3]
    assert any("arrest.arrest_date: '04/17/2024 02:10' is not a date-time with an offset" in reason
               for reason in rejects[0]["reasons"])
    dates = pq.read_table(sandbox.path("out") / "arrest.parquet").column("arrest_date").to_pylist()
    assert [d.isoformat() for d in dates] == ["2024-04-16", "2024-04-17"]
    counts = summary(sandbox)["record_types"]["default"]
    assert counts == {"rows_in": 3, "translated": 2, "instructions": 0, "rejected": 1}
    sandbox.assert_unchanged()
    sandbox.assert_written_only([sandbox.path("out")])


def test_a_literal_z_with_an_offset_in_the_data_is_rejected_not_misread(sandbox):
    body = ARREST.format(arrest_date='{ date = "D", formats = ["%Y-%m-%d"] }') + \
        'arrested_at = { datetime = "AT", formats = ["%Y-%m-%dT%H:%M:%SZ"] }\n'
    spec = write_spec(sandbox, body)
    data = sandbox.write("arrests.csv", "ID,D,AT\n1,2024-04-16,2024-04-17T02:10:00Z\n2,2024-04-16,"
                                        "2024-04-17T02:10:00+02:00\n")
    translate(sandbox, spec, data).exits(1)
    rejects = pq.read_table(sandbox.path("out") / "rejects.parquet").to_pylist()
    assert [r["source_line"] for r in rejects] == [3]
    (instant,) = pq.read_table(sandbox.path("out") / "arrest.parquet").column("arrested_at").to_pylist()
    assert instant.isoformat() == "2024-04-17T02:10:00+00:00"  # UTC, as the Z says: not 08:10 UTC
    sandbox.assert_unchanged()


# -- rank --------------------------------------------------------------------------------------------

def rank_body(rank: str) -> str:
    return ARREST.format(arrest_date='{ date = "D", formats = ["%Y-%m-%d"] }') + \
        f"arrestee_sequence_number = {rank}\n"


def test_rank_without_an_order_key(sandbox):
    spec_refused(sandbox, rank_body('{ rank = ["PERSON"] }'), "arrestee_sequence_number",
                 "'order' is a required property")


def test_rank_with_an_empty_order(sandbox):
    spec_refused(sandbox, rank_body('{ rank = ["PERSON"], order = [] }'), "arrestee_sequence_number.order",
                 "should be non-empty")


def test_rank_with_unknown_ties(sandbox):
    spec_refused(sandbox, rank_body('{ rank = ["PERSON"], order = ["D"], ties = "first" }'),
                 "arrestee_sequence_number.ties", "'first'")


def test_rank_order_item_with_a_misspelt_key(sandbox):
    spec_refused(sandbox, rank_body('{ rank = ["PERSON"], order = [{ value = "D", desc = true }] }'),
                 "arrestee_sequence_number.order[0]")


def test_rank_into_a_text_field_is_allowed_but_a_date_field_is_not(sandbox):
    body = ARREST.format(arrest_date='{ rank = ["PERSON"], order = ["D"] }')
    spec_refused(sandbox, body, "arrest_date", "gives int values")


def test_rank_with_a_bad_order_value_rejects_the_row_and_the_rest_still_rank(sandbox):
    spec = write_spec(sandbox, rank_body('{ rank = ["PERSON"], order = [{ int = "N" }] }'))
    data = sandbox.write("arrests.csv", "ID,PERSON,D,N\n1,P1,2024-04-16,2\n2,P1,2024-04-16,x\n3,P1,2024-04-16,1\n")
    translate(sandbox, spec, data).exits(1)
    arrests = pq.read_table(sandbox.path("out") / "arrest.parquet").to_pylist()
    assert [(a["id"], a["arrestee_sequence_number"]) for a in arrests] == [("a:1", 2), ("a:3", 1)]
    assert summary(sandbox)["files"]["arrests.csv"] == {"rows_in": 3, "translated": 2, "instructions": 0,
                                                        "rejected": 1}
    sandbox.assert_unchanged()


# -- dedupe conflicts ---------------------------------------------------------------------------------

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
"""


def test_conflicting_duplicates_are_reported_not_dropped_silently(sandbox):
    spec = write_spec(sandbox, PEOPLE)
    data = sandbox.write("people.csv", "MNI,LAST,SEX\n7,DOE,M\n7,DOE,F\n8,ROE,F\n")
    translate(sandbox, spec, data).exits(0)
    done = summary(sandbox)
    assert done["duplicates_merged"] == {"person": 1}
    assert done["dedupe_conflicts"] == {"person": {"sex": 1, "sex_raw": 1}}
    people = pq.read_table(sandbox.path("out") / "person.parquet").to_pylist()
    assert [(p["id"], p["sex"]) for p in people] == [("p:7", "M"), ("p:8", "F")]
    sandbox.assert_unchanged()
    sandbox.assert_written_only([sandbox.path("out")])


def test_conflicting_duplicates_keep_the_dropped_values_with_their_line(sandbox):
    spec = write_spec(sandbox, PEOPLE)
    data = sandbox.write("people.csv", "MNI,LAST,SEX\n7,DOE,M\n7,DOW,F\n7,DOE,M\n")
    result = Translator(spec).translate([data])
    rows = sorted((r["field"], r["kept_value"], r["other_value"], r["source_line"])
                  for r in result.conflicts.to_pylist())
    assert rows == [("family_name", "DOE", "DOW", 3), ("sex", "M", "F", 3), ("sex_raw", "M", "F", 3)]
    assert result.reconciliation.conflicts == 3 and result.reconciliation.balanced
    sandbox.assert_unchanged()


def test_agreeing_duplicates_are_no_conflict(sandbox):
    spec = write_spec(sandbox, PEOPLE)
    data = sandbox.write("people.csv", "MNI,LAST,SEX\n7,DOE,M\n7,DOE,\n7,DOE,M\n")
    translate(sandbox, spec, data).exits(0)
    done = summary(sandbox)
    assert done["duplicates_merged"] == {"person": 2} and "dedupe_conflicts" not in done
    sandbox.assert_unchanged()


# -- params --------------------------------------------------------------------------------------------

PARAMS = """
[params]
agency = { description = "the agency's ORI", required = true }

[[entity]]
type = "person"
id = { id = ["MNI"], prefix = "p" }
agency_ori = { param = "agency" }
[entity.fields]
family_name = "LAST"
"""


def test_a_missing_required_param_is_one_line_naming_it(sandbox):
    spec = write_spec(sandbox, PARAMS)
    data = sandbox.write("people.csv", "MNI,LAST\n7,DOE\n")
    translate(sandbox, spec, data).fails(2, "spec.toml", "'agency'", "is required", "--param agency=VALUE")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_an_unknown_param_names_the_known_ones(sandbox):
    spec = write_spec(sandbox, PARAMS)
    data = sandbox.write("people.csv", "MNI,LAST\n7,DOE\n")
    with pytest.raises(InputError) as caught:
        Translator(spec, params={"agency": "UT0180000", "agnecy": "UT0180000"}).translate([data])
    assert str(caught.value).endswith("unknown parameter 'agnecy'; translator 'vendor_x' takes: agency")
    assert caught.value.field == "agnecy" and "spec.toml" in str(caught.value)
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_a_param_the_spec_does_not_declare(sandbox):
    spec_refused(sandbox, PARAMS.replace('{ param = "agency" }', '{ param = "agncy" }'), "agency_ori.param",
                 "no parameter 'agncy' in [params]")


def test_a_param_without_a_description(sandbox):
    spec_refused(sandbox, PARAMS.replace('description = "the agency\'s ORI", ', ""), "params.agency",
                 "'description' is a required property")


def test_a_join_unless_param_naming_no_param(sandbox):
    body = PARAMS + '\n[[join]]\nname = "agency"\nfiles = "agency*.csv"\non = ["AG"]\nunless_param = "ori"\n'
    spec_refused(sandbox, body, "join[0].unless_param", "no parameter 'ori'")


# -- files the spec does not read ---------------------------------------------------------------------

def test_unrelated_files_are_ignored_and_listed(sandbox):
    spec = write_spec(sandbox, PEOPLE, source='files = "people*.csv"\n')
    data = sandbox.write("people.csv", "MNI,LAST,SEX\n7,DOE,M\n")
    other = sandbox.write("BIAS_LIST.csv", b'"ID","DESC"\n1,"Anti-\xbfMale"\n')
    translate(sandbox, spec, data, other).exits(0)
    done = summary(sandbox)
    assert done["ignored_files"] == {"BIAS_LIST.csv": "not read: the main input is files matching 'people*.csv'"}
    assert done["files"] == {"people.csv": {"rows_in": 1, "translated": 1, "instructions": 0, "rejected": 0}}
    sandbox.assert_unchanged()
    sandbox.assert_written_only([sandbox.path("out")])


def test_no_file_matching_the_main_input(sandbox):
    spec = write_spec(sandbox, PEOPLE, source='files = "people*.csv"\n')
    other = sandbox.write("arrests.csv", "MNI,LAST,SEX\n7,DOE,M\n")
    translate(sandbox, spec, other).fails(2, "'vendor_x'", "files matching 'people*.csv'")
    sandbox.assert_unchanged()


def test_per_file_counts_reconcile_over_two_files(sandbox):
    spec = write_spec(sandbox, PEOPLE.replace("dedupe = true\n", ""))
    first = sandbox.write("a.csv", "MNI,LAST,SEX\n1,DOE,M\n2,ROE,Q\n")
    second = sandbox.write("b.csv", "MNI,LAST,SEX\n3,POE,F\n4,,Z\n5,LOE,M\n")
    translate(sandbox, spec, first, second).exits(1)
    done = summary(sandbox)
    files = done["files"]
    assert files["a.csv"]["rejected"] == 1 and files["b.csv"]["rejected"] == 1
    assert sum(f["rows_in"] for f in files.values()) == done["rows_in"] == 5
    assert sum(f["rejected"] for f in files.values()) == done["rows_rejected"]
    assert all(f["rows_in"] == f["translated"] + f["instructions"] + f["rejected"] for f in files.values())
    sandbox.assert_unchanged()


# -- the FBI CDE download -----------------------------------------------------------------------------

def cde_download(sandbox: Sandbox, *, agency_tables: bool) -> list[Path]:
    samples = builtin_spec_path("fbi_cde").parent / "samples"
    return [sandbox.write(p.name, p.read_bytes()) for p in sorted(samples.iterdir())
            if agency_tables or "CONSTRUCTED" not in p.name]


def test_cde_download_with_unrelated_tables(sandbox):
    files = cde_download(sandbox, agency_tables=True)
    sandbox.cli("translate", *files, "--vendor", "fbi_cde", "--out", sandbox.path("out"), "--quiet").exits(0)
    done = summary(sandbox)
    assert "NIBRS_BIAS_LIST.csv" in done["ignored_files"]
    assert done["records_out"] == {"arrest": 300, "person": 300, "victim": 4, "offender": 4, "property": 5}
    assert done["balanced"]
    sandbox.assert_unchanged()
    sandbox.assert_written_only([sandbox.path("out")])


def test_cde_download_without_the_agency_tables(sandbox):
    files = cde_download(sandbox, agency_tables=False)
    sandbox.cli("translate", *files, "--vendor", "fbi_cde", "--out", sandbox.path("out"), "--quiet").fails(
        2, "'NIBRS_incident*.csv'", "or give the parameter 'agency_ori'")
    sandbox.assert_unchanged()


def test_cde_folder_with_the_agency_param(sandbox):
    cde_download(sandbox, agency_tables=False)
    result = Translator(builtin_spec_path("fbi_cde"), params={"agency_ori": "OK0140200"}).translate([sandbox.root])
    assert result.reconciliation.balanced and result.reconciliation.records_out["arrest"] == 300
    assert list(result.reconciliation.ignored_files) == ["NIBRS_BIAS_LIST.csv"]
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


# -- the conformance command line ---------------------------------------------------------------------

def conformance_cli(*args: str | Path) -> CliRun:
    argv = tuple(str(a) for a in args)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = conformance.main(list(argv))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
        except BaseException:  # noqa: BLE001 - the traceback is what the case checks for
            err.write(traceback.format_exc())
            code = 99
    return CliRun(argv, code, out.getvalue(), err.getvalue())


def test_conformance_write_on_a_missing_folder(sandbox):
    conformance_cli("--write", sandbox.path("nowhere")).fails(2, "nowhere", "no such folder")
    sandbox.assert_written_only([])


def test_conformance_write_on_a_folder_without_a_spec(sandbox):
    sandbox.write("vendor/samples/a.csv", "x\n1\n")
    conformance_cli("--write", sandbox.root / "vendor").fails(2, "vendor", "no spec.toml")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_conformance_write_with_a_broken_spec(sandbox):
    sandbox.write("vendor/spec.toml", HEADER + "[[entity]]\ntype = \"persn\"\n")
    sandbox.write("vendor/samples/a.csv", "x\n1\n")
    conformance_cli("--write", sandbox.root / "vendor").fails(2, "spec.toml", "entity[0]")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_conformance_write_with_no_samples(sandbox):
    sandbox.write("vendor/spec.toml", HEADER + PEOPLE)
    conformance_cli("--write", sandbox.root / "vendor").fails(2, "samples", "no sample files")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_conformance_with_an_unknown_name(sandbox):
    conformance_cli("acme_rmz").fails(2, "acme_rmz", "installed: acme_rms")


def test_conformance_write_then_check_round_trips(sandbox):
    sandbox.write("vendor/spec.toml", HEADER + PEOPLE)
    sandbox.write("vendor/README.md", "# Vendor X\n")
    sandbox.write("vendor/samples/people.csv", "MNI,LAST,SEX\n7,DOE,M\n7,DOE,F\n8,ROE,Q\n")
    conformance_cli("--write", sandbox.root / "vendor").exits(0, "conflicts.jsonl", "summary.json")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([sandbox.root / "vendor" / "expected"])
    conflicts = (sandbox.root / "vendor" / "expected" / "conflicts.jsonl").read_text(encoding="utf-8")
    assert '"other_value": "F"' in conflicts and '"source_file": "people.csv"' in conflicts
    conformance_cli(sandbox.root / "vendor").exits(0, "conforms")


def test_conformance_loads_installed_plugins_and_takes_their_names(sandbox, monkeypatch):
    spec = HEADER.replace('name = "vendor_x"', 'name = "plugin_x"') + PEOPLE.replace(
        'family_name = "LAST"', 'family_name = { transform = "plugin_x_upper", args = ["LAST"] }')
    folder = sandbox.root / "plugin_x"
    sandbox.write("plugin_x/spec.toml", spec)
    sandbox.write("plugin_x/README.md", "# Plugin X\n")
    sandbox.write("plugin_x/samples/people.csv", "MNI,LAST,SEX\n7,doe,M\n")

    def entry_point_target() -> Path:
        import pyarrow.compute as pc

        register_transform("plugin_x_upper", lambda values: pc.utf8_upper(values))
        return folder / "spec.toml"

    class EntryPoint:
        name, value = "plugin_x", "plugin_x:spec"

        @staticmethod
        def load() -> object:
            return entry_point_target

    monkeypatch.setattr(registry.metadata, "entry_points", lambda group: [EntryPoint()])
    conformance_cli("--write", "plugin_x").exits(0, "person.jsonl")
    assert '"family_name": "DOE"' in (folder / "expected" / "person.jsonl").read_text(encoding="utf-8")
    conformance_cli("plugin_x").exits(0, "conforms")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([folder / "expected"])


def test_conformance_param_without_a_value_separator(sandbox):
    conformance_cli("acme_rms", "--param", "agency_ori").fails(2, "--param 'agency_ori'", "NAME=VALUE")


def test_conformance_with_an_unknown_param(sandbox):
    conformance_cli("acme_rms", "--param", "agency=UT0180000").fails(2, "spec.toml", "unknown parameter 'agency'")


def test_conformance_runs_the_samples_with_the_params_given(sandbox):
    sandbox.write("vendor/spec.toml", HEADER + PARAMS)
    sandbox.write("vendor/README.md", "# Vendor X\n")
    sandbox.write("vendor/samples/people.csv", "MNI,LAST\n7,DOE\n")
    conformance_cli("--write", sandbox.root / "vendor").fails(2, "'agency'", "is required")
    conformance_cli("--write", sandbox.root / "vendor", "--param", "agency=OK0140200").exits(0, "person.jsonl")
    written = (sandbox.root / "vendor" / "expected" / "person.jsonl").read_text(encoding="utf-8")
    assert '"agency_ori": "OK0140200"' in written
    conformance_cli(sandbox.root / "vendor", "--param", "agency=OK0140200").exits(0, "conforms")
    conformance_cli(sandbox.root / "vendor", "--param", "agency=UT0180000").exits(1, "agency_ori")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([sandbox.root / "vendor" / "expected"])


def test_an_empty_download_folder(sandbox):
    folder = sandbox.path("download")
    folder.mkdir()
    with pytest.raises(InputError) as caught:
        Translator(builtin_spec_path("fbi_cde"), params={"agency_ori": "OK0140200"}).translate([folder])
    assert str(caught.value) == f"{folder}: no input files: the folder holds none"
    sandbox.assert_written_only([])


def test_rank_in_an_instruction_condition(sandbox):
    body = PEOPLE + ('\n[[instruction]]\nkind = "delete"\n'
                     'when = { test = { rank = ["MNI"], order = ["LAST"] }, equals = 2 }\n')
    spec_refused(sandbox, body, "instruction[0].when", "rank is not available")


# -- a record type per file ([source.record_types]) ----------------------------------------------------

PER_FILE = """
[source.record_types]
person = "people*.csv"
arrest = "arrests*.csv"

[[entity]]
type = "person"
record_type = "person"
id = { id = ["MNI"], prefix = "p" }
[entity.fields]
family_name = "LAST"

[[entity]]
type = "arrest"
record_type = "arrest"
id = { id = ["ID"], prefix = "a" }
[entity.fields]
person_id = { id = ["MNI"], prefix = "p" }
arrest_date = { date = "D", formats = ["%Y-%m-%d"] }
"""


def test_a_block_naming_a_record_type_no_file_pattern_gives(sandbox):
    spec_refused(sandbox, PER_FILE.replace('record_type = "arrest"', 'record_type = "arrests"'),
                 "entity[1].record_type", "'arrests' is not one of [source.record_types]: person, arrest")


def test_record_types_beside_a_main_files_pattern(sandbox):
    spec = write_spec(sandbox, PER_FILE, source='files = "people*.csv"\n')
    data = sandbox.write("people.csv", "MNI,LAST\n7,DOE\n")
    translate(sandbox, spec, data).fails(2, "spec.toml", "source.files", "not both")
    sandbox.assert_unchanged()


def test_a_file_lacking_a_column_of_its_own_record_type(sandbox):
    spec = write_spec(sandbox, PER_FILE)
    people = sandbox.write("people.csv", "MNI,LAST\n7,DOE\n")
    arrests = sandbox.write("arrests.csv", "ID,MNI,DATE\n1,7,2024-01-02\n")  # D misnamed DATE
    translate(sandbox, spec, people, arrests).fails(2, "arrests.csv", "record type 'arrest'", "'D'",
                                                    "entity[1].fields.arrest_date")
    sandbox.assert_unchanged()


def test_two_record_types_from_a_folder_reconcile(sandbox):
    spec = write_spec(sandbox, PER_FILE)
    sandbox.write("people.csv", "MNI,LAST\n7,DOE\n8,ROE\n")
    sandbox.write("arrests.csv", "ID,MNI,D\n1,7,2024-01-02\n2,8,not a date\n")
    sandbox.write("notes.txt", "hello\n")
    translate(sandbox, spec, sandbox.root).exits(1, "1 rejected")  # exit 1: a row was rejected
    done = summary(sandbox)
    assert done["record_types"]["person"]["translated"] == 2
    assert done["record_types"]["arrest"] == {**done["record_types"]["arrest"], "rows_in": 2, "translated": 1,
                                              "rejected": 1}
    assert "notes.txt" in done["ignored_files"]
    sandbox.assert_unchanged()
