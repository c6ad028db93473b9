"""A spec is checked on load: every error names the spec file, the key and the problem."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from justice_schema.translation import SpecError, Translator, load_spec, spec_json_schema
from justice_schema.translation.spec_schema import build_spec_json_schema
from tests.translate.helpers import PERSON, spec_text


def compile_error(tmp_path: Path, body: str, **kwargs: str) -> SpecError:
    path = tmp_path / "bad.toml"
    path.write_text(spec_text(body, **kwargs), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        Translator(path)
    return caught.value


def test_published_schema_file_matches_the_builder() -> None:
    assert spec_json_schema() == build_spec_json_schema()
    text = resources.files("justice_schema.translation").joinpath("mapping-spec.schema.json").read_text()
    assert json.loads(text)["$id"] == "urn:justice-schema:mapping-spec:1"


def test_builtin_specs_validate_against_the_published_schema() -> None:
    import tomllib

    from justice_schema.translation import available_translators

    validator = jsonschema.Draft202012Validator(spec_json_schema())
    for info in available_translators(include_plugins=False):
        validator.validate(tomllib.loads(info.spec_path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("body", "key", "problem"),
    [
        (PERSON + 'family_name = { colum = "X" }\n', "entity[0].fields.family_name", "exactly one kind"),
        (PERSON + 'nickname = "X"\n', "entity[0].fields.nickname", "no field 'nickname'"),
        (PERSON + 'sex = { map = "Sex", using = "sexx" }\n', "entity[0].fields.sex.using", "no map 'sexx'"),
        (PERSON + 'date_of_birth = "DOB"\n', "entity[0].fields.date_of_birth", "formats"),
        (PERSON + 'family_name = { transform = "nope" }\n', "entity[0].fields.family_name.transform",
         "no transform 'nope'"),
        (PERSON + 'family_name = { lookup = "X", table = "colours" }\n', "entity[0].fields.family_name.table",
         "no code table 'colours'"),
        (PERSON + 'address = "X"\n', "entity[0].fields.address", "group of fields"),
        (PERSON + 'family_name = { index = true }\n', "entity[0].fields.family_name.index", "no each"),
        (PERSON + 'id = "X"\n', "entity[0].fields.id", "set by the entity block"),
        ('[[entity]]\ntype = "arrest"\nid = "X"\nfields = { arrest_date = { date = "D", formats = ["%Y"] } }\n',
         "entity[0].fields", "requires field 'person_id'"),
        ('[[entity]]\ntype = "warrant"\nid = "X"\nfields = {}\n', "entity[0].type", "is not one of"),
        (PERSON + 'family_name = { date = "D" }\n', "entity[0].fields.family_name", "formats"),
    ],
)
def test_compile_errors_name_file_key_and_problem(tmp_path: Path, body: str, key: str, problem: str) -> None:
    error = compile_error(tmp_path, body)
    assert error.spec.endswith("bad.toml")
    assert error.key == key, str(error)
    assert problem in error.problem, str(error)
    assert str(error).startswith(str(tmp_path / "bad.toml"))
    assert "\n" not in str(error)


def test_bad_time_zone_is_named(tmp_path: Path) -> None:
    path = tmp_path / "tz.toml"
    path.write_text(spec_text(PERSON + 'family_name = "X"\n').replace("America/Denver", "Mars/Olympus"))
    with pytest.raises(SpecError, match=r"translator\.timezone: 'Mars/Olympus' is not an IANA time zone"):
        Translator(path)


def test_toml_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("spec_version = = 1")
    with pytest.raises(SpecError, match="broken.toml: <top level>: not valid TOML"):
        load_spec(path)


def test_unknown_top_level_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "extra.toml"
    path.write_text(spec_text(PERSON + 'family_name = "X"\n') + "\n[colour]\nx = 1\n")
    with pytest.raises(SpecError, match="colour"):
        load_spec(path)


def test_unsupported_schema_version_is_named(tmp_path: Path) -> None:
    path = tmp_path / "v.toml"
    path.write_text(spec_text(PERSON + 'family_name = "X"\n').replace(
        'timezone = "America/Denver"', 'timezone = "America/Denver"\nschema_version = "9.9"'))
    with pytest.raises(SpecError, match=r"translator\.schema_version: schema '9\.9' is not supported"):
        Translator(path)


def test_attach_preceding_needs_children_of_the_main_input(tmp_path: Path) -> None:
    body = PERSON + """
[[gather]]
name = "alias"
files = "aliases*.csv"
into = "default"
on = ["ID"]
max = 3
attach = "preceding"
"""
    error = compile_error(tmp_path, body)
    assert "gather" in str(error) and "attach" in str(error) and "record_type" in str(error)
