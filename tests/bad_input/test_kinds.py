"""Bad input: expressions a spec author gets wrong, kind by kind (issue 10, the kind registry).

A spec naming no kind, two kinds, another kind's option, or leaving out a required one is
refused before any row is read (exit 2, one line naming ``spec.toml`` and the key); the
cases that need a required option are derived from the registry, so a new kind is covered
when it is registered. Text a parsing kind cannot read rejects its row with a reason naming
the field, and the counts reconcile (exit 1).
"""

from __future__ import annotations

import csv
import json
import re
from typing import Any

import pyarrow.parquet as pq
import pytest

from justice_schema.translation.kinds import get_kind, kind_names, kinds
from tests.bad_input.harness import CliRun, Sandbox
from tests.translate.helpers import spec_text
from tests.translate.kind_samples import CSV, SAMPLES, KindSample, condition_body, sample_body, sample_toml


def _toml(value: Any) -> str:
    """``value`` as TOML inline text (enough for expressions: tables, arrays, text, numbers, booleans)."""
    if isinstance(value, dict):
        keys = [k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k) for k in value]
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in zip(keys, value.values(), strict=True)) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(value)


def translate(sandbox: Sandbox, sample: KindSample, expression: str | None = None,
              csv: str = CSV) -> CliRun:
    spec = sandbox.write("spec.toml", spec_text(sample_body(sample, expression)))
    data = sandbox.write("in.csv", csv)
    return sandbox.cli("translate", data, "--spec", spec, "--out", sandbox.path("out"), "--quiet", "--no-validate")


def refused(sandbox: Sandbox, sample: KindSample, expression: str, *mentions: str) -> CliRun:
    """The spec is refused before any input is read: exit 2, one line naming spec.toml and the key."""
    run = translate(sandbox, sample, expression).fails(2, "spec.toml", *mentions)
    sandbox.assert_unchanged()
    sandbox.assert_written_only([sandbox.path("out")])
    assert not sandbox.path("out").exists() or not any(sandbox.path("out").iterdir())
    return run


FIELD = "entity[0].fields.description"
TEXT = SAMPLES["const"]  # a text field (charge.description)


# -- which kind? ---------------------------------------------------------------------------------------

def test_a_misspelt_kind_lists_every_registered_kind(sandbox):
    run = refused(sandbox, TEXT, '{ colum = "NAME" }', FIELD, "names exactly one kind", "found none")
    line = next(line for line in run.error_lines if "error" in line)
    assert f"({', '.join(kind_names())})" in line


def test_two_kinds_in_one_table(sandbox):
    refused(sandbox, TEXT, '{ column = "NAME", const = "x" }', FIELD, "found ['column', 'const']")


def test_an_empty_table_is_no_expression(sandbox):
    refused(sandbox, TEXT, "{}", FIELD, "names exactly one kind", "found none")


def test_modifiers_without_a_kind(sandbox):
    refused(sandbox, TEXT, '{ trim = false, case = "upper" }', FIELD, "found none")


def test_an_option_of_another_kind(sandbox):
    refused(sandbox, SAMPLES["date"], '{ date = "D", formats = ["%m/%d/%Y"], using = "x" }',
            "entity[0].fields.offense_date", "'using' was unexpected")


def test_a_misspelt_modifier(sandbox):
    refused(sandbox, TEXT, '{ column = "NAME", null_iff = ["UNK"] }', FIELD, "'null_iff' was unexpected")


@pytest.mark.parametrize(("name", "option"), [(k.name, o) for k in kinds() for o in k.required])
def test_a_required_option_left_out(sandbox, name, option):
    sample = SAMPLES[name]
    node = sample_toml(sample.alone)
    del node[option]
    refused(sandbox, sample, _toml(node), f"entity[0].fields.{sample.field}", f"'{option}' is a required property")


@pytest.mark.parametrize("name", [k.name for k in kinds() if k.name not in ("const", "index", "source")])
def test_the_kinds_own_key_of_the_wrong_type(sandbox, name):
    """Every kind but the literal ones takes a name, an expression or a list at its key; a float is none."""
    sample = SAMPLES[name]
    node = sample_toml(sample.alone)
    node[name] = 1.5
    refused(sandbox, sample, _toml(node), f"entity[0].fields.{sample.field}")


# -- what each kind checks when it compiles ------------------------------------------------------------

@pytest.mark.parametrize(("name", "expression", "key", "problem"), [
    ("map", '{ map = "S", using = "sevrity" }', "severity.using", "no map 'sevrity' in [maps]; defined: severity"),
    ("lookup", '{ lookup = "OFF", table = "ucr_ofense" }', "ucr_offense_code.table", "no code table 'ucr_ofense'"),
    ("lookup", '{ lookup = "OFF", table = "ucr_offense", synonyms = { DUI = "99Z" } }',
     "ucr_offense_code.synonyms.DUI", "'99Z' is not a code of table 'ucr_offense'"),
    ("lookup", '{ lookup = "OFF", table = "ucr_offense", unmapped = "unknown" }', "ucr_offense_code",
     'needs unknown = "<code>"'),
    ("lookup", '{ lookup = "OFF", table = "ucr_offense", by = "name" }', "ucr_offense_code.by", "is not one of"),
    ("transform", '{ transform = "duration_dayz", args = ["N"] }', "counts.transform",
     "no transform 'duration_dayz' is registered"),
    ("param", '{ param = "whom" }', "description.param", "no parameter 'whom' in [params]; declared: who"),
    ("param", '{ param = "Who" }', "description.param", "does not match"),
    # (the sample of int: the same field, in a block without each)
    ("int", "{ index = true }", "counts.index", "this entity has no each"),
    ("index", "{ index = 1 }", "counts.index", "True was expected"),
    ("rank", '{ rank = ["S"], order = [{ value = "ID", descending = true, nulls = "first" }] }', "counts.order[0]",
     "unknown key(s): nulls"),
    ("rank", '{ rank = ["S"], order = [] }', "counts.order", "should be non-empty"),
    ("rank", '{ rank = ["S"], order = ["ID"], ties = "first" }', "counts.ties", "is not one of"),
    ("datetime", '{ datetime = "T", formats = ["%Y-%m-%dT%H:%M:%S%z"], timezone = "Mountain" }',
     "arrested_at.timezone", "'Mountain' is not an IANA time zone"),
    ("date", '{ date = "D", formats = ["%m/%d/%Y %z"] }', "offense_date.formats[0]", "reads an instant"),
    ("name", '{ name = "NAME", part = "first" }', "description.part", "is not one of"),
    ("source", '{ source = "path" }', "description.source", "is not one of"),
    ("id", '{ id = ["ID"], prefix = "-k" }', "description.prefix", "does not match"),
    ("regex", '{ regex = "OFF", pattern = "^([0-9]+)", group = 1.5 }', "description.group", "is not of type"),
    ("concat", "{ concat = [] }", "description.concat", "should be non-empty"),
    ("const", "{ const = [1] }", "description.const", "is not of type"),
    ("split", '{ split = "W", sep = "" }', "description.sep", "should be non-empty"),
    ("bool", '{ bool = "Y", true = "Y" }', "domestic_violence.true", "is not of type 'array'"),
    ("if", '{ if = { test = "Y", equals = "Y", in = ["Y"] }, then = "ID" }', "description.if", "too many properties"),
])
def test_a_kind_refuses_what_it_cannot_compile(sandbox, name, expression, key, problem):
    sample = SAMPLES[name]
    refused(sandbox, sample, expression, f"entity[0].fields.{key}", problem)


def test_a_split_into_a_list_of_entries_with_fields(sandbox):
    """Used to fail on the first row with an Arrow cast traceback; now the spec is refused."""
    sample = KindSample("arrest", "armed_with", '{ split = "W", sep = ";" }', None)
    refused(sandbox, sample, None, "entity[0].fields.armed_with", "lists of text", "code")


# -- text a parsing kind cannot read: the row is rejected, the counts reconcile -----------------------

_UNREADABLE = {"date": ("D", "02/30/2024"), "datetime": ("T", "yesterday"), "local_date": ("T", "2024-03-04 02:10"),
               "map": ("S", "X"), "lookup": ("OFF", "99Z"), "int": ("N", "4 2"), "number": ("N", "forty"),
               "bool": ("Y", "maybe")}


def test_every_parsing_kind_has_an_unreadable_case():
    assert set(_UNREADABLE) == {k.name for k in kinds() if k.parses}


@pytest.mark.parametrize("name", sorted(_UNREADABLE))
def test_unreadable_text_rejects_its_row_naming_the_field(sandbox, name):
    sample = SAMPLES[name]
    column, bad = _UNREADABLE[name]
    header, good = CSV.splitlines()
    values = next(csv.reader([good]))
    values[header.split(",").index(column)] = bad
    wrong = ",".join(f'"{v}"' if "," in v else v for v in ["2", *values[1:]])
    run = translate(sandbox, sample, csv=f"{header}\n{good}\n{wrong}\n{good.replace('1,', '3,', 1)}\n")
    run.exits(1, "1 rejected")
    rejects = pq.read_table(sandbox.path("out") / "rejects.parquet").to_pylist()
    assert [r["source_line"] for r in rejects] == [3]
    assert any(f"{sample.entity}.{sample.field}" in reason and bad.lower() in reason.lower() for reason in rejects[0]["reasons"]), \
        rejects[0]["reasons"]
    kept = pq.read_table(sandbox.path("out") / f"{sample.entity}.parquet").column(sample.field).to_pylist()
    assert kept == [sample.expected, sample.expected]
    counts = json.loads((sandbox.path("out") / "summary.json").read_text(encoding="utf-8"))["record_types"]["default"]
    assert counts == {"rows_in": 3, "translated": 2, "instructions": 0, "rejected": 1}
    assert get_kind(name) is not None and get_kind(name).parses
    sandbox.assert_unchanged()
    sandbox.assert_written_only([sandbox.path("out")])


# -- conditions ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("condition", "key", "problem"), [
    ('{ test = "S", equal = "F" }', "description.if", "'equal' was unexpected"),
    ('{ test = "S" }', "description.if", "does not have enough properties"),
    ('{ test = "S", equals = "F", in = ["F"] }', "description.if", "has too many properties"),
    ('{ test = "S", in = "F" }', "description.if.in", "is not of type 'array'"),
    ('{ test = "S", is_null = "yes" }', "description.if.is_null", "is not of type 'boolean'"),
    ('{ all = [] }', "description.if.all", "should be non-empty"),
    ('{ any = [{ test = "S", equals = "F" }], not = { test = "S", equals = "M" } }', "description.if", ""),
    # these three were a one-line dump of the whole condition schema ("[] is valid under each of ...")
    ('{ not = [] }', "description.if.not", "[] is not of type 'object'"),
    ('{ all = ["S"] }', "description.if.all[0]", "'S' is not of type 'object'"),
    ('{ any = [1] }', "description.if.any[0]", "1 is not of type 'object'"),
    ('{ test = { colum = "S" }, equals = "F" }', "description.if.test", "names exactly one kind"),
])
def test_a_condition_the_registry_does_not_know(sandbox, condition, key, problem):
    spec = sandbox.write("spec.toml", spec_text(condition_body(condition)))
    data = sandbox.write("in.csv", CSV)
    run = sandbox.cli("translate", data, "--spec", spec, "--out", sandbox.path("out"), "--quiet", "--no-validate")
    run = run.fails(2, "spec.toml", f"entity[0].fields.{key}", problem)
    assert "valid under each of" not in run.err and len(run.err) < 400, run.err
    sandbox.assert_unchanged()
    sandbox.assert_written_only([sandbox.path("out")])
