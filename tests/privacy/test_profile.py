"""Profiles as data: the shipped three load, and every mistake names the file and the key."""

from __future__ import annotations

import pytest

from justice_schema.errors import InputError
from justice_schema.privacy import load_profile, profile_from_dict, shipped_profiles
from justice_schema.v1 import Sensitivity

BASE = {"name": "mine", "version": "2", "tier": "research", "output": "records",
        "classes": {"public": "keep", "internal": "drop", "personal": "drop", "sensitive": "drop"}}


@pytest.mark.parametrize("name", shipped_profiles())
def test_shipped_profiles_load(name):
    profile = load_profile(name)
    assert profile.name == name and profile.tier == name and profile.version == "1.0"
    assert set(profile.classes) == {s.value for s in Sensitivity}


def test_only_restricted_includes_sealed_records():
    assert load_profile("restricted").include_sealed
    assert not load_profile("research").include_sealed and not load_profile("public").include_sealed


def test_rule_lookup_field_then_parent_then_class():
    profile = profile_from_dict({**BASE, "fields": {"source": "drop", "a.b": "keep"}})
    assert profile.rule_for("source.agency_ori", Sensitivity.PUBLIC).action == "drop"
    assert profile.rule_for("a.b", Sensitivity.PERSONAL).action == "keep"
    assert profile.rule_for("other", Sensitivity.PUBLIC).action == "keep"
    assert profile.rule_for("other", Sensitivity.INTERNAL).action == "drop"
    assert profile.rule_for("unclassed", None).action == "drop"


def test_a_replacement_profile_file_is_read(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text('name = "x"\nversion = "3"\ntier = "research"\noutput = "records"\n'
                    '[classes]\npublic = "keep"\ninternal = "drop"\npersonal = "drop"\nsensitive = "drop"\n')
    assert load_profile(path).version == "3"


@pytest.mark.parametrize(("change", "where", "words"), [
    ({"include_sealed": True}, "include_sealed", "never leave the restricted tier"),
    ({"tier": "open"}, "tier", "one of public"),
    ({"tier": "public"}, "output", "aggregates only"),
    ({"fields": {"x": "blur"}}, "fields.x", "unknown action 'blur'"),
    ({"fields": {"x": {"action": "age_band", "bands": [30, 18]}}}, "fields.x.bands", "increasing"),
    ({"fields": {"x": {"action": "keep", "min_count": 3}}}, "fields.x.min_count", "takes no option"),
    ({"fields": {"x": {"action": "geography", "level": "tract"}}}, "fields.x.level", "'county' or 'state'"),
    ({"juvenile": "sometimes"}, "juvenile", "one of drop"),
    ({"colour": 1}, "colour", "unknown key"),
    ({"classes": {"public": "keep"}}, "classes.internal", "every sensitivity class"),
    ({"output": "aggregates"}, "aggregates", "at least one aggregate"),
    ({"aggregates": [{"name": "a", "rows": [], "column": "c"}]}, "aggregates[0].rows", "non-empty"),
    ({"aggregates": [{"name": "a", "rows": ["r"], "column": "c", "epsilon": -1}]}, "aggregates[0].epsilon",
     "positive"),
    ({"k_anonymity": {"k": -2}}, "k_anonymity.k", "at least 0"),
])
def test_bad_profiles_name_the_key(change, where, words):
    with pytest.raises(InputError) as caught:
        profile_from_dict({**BASE, **change}, "my.toml")
    assert caught.value.path == "my.toml" and caught.value.field == where
    assert words in str(caught.value)


def test_bad_toml_and_missing_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("name = \n")
    with pytest.raises(InputError, match="not valid TOML") as caught:
        load_profile(bad)
    assert caught.value.path == str(bad)
    with pytest.raises(InputError, match="no such profile"):
        load_profile(tmp_path / "nowhere.toml")
