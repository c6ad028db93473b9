"""Publication end to end: sealed and expunged records on no non-restricted path (tables, site, logs,
error messages, reports, command output), the juvenile rule, the key never written, DP metadata."""

from __future__ import annotations

import contextlib
import io
import json
import logging

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from justice_schema.cli import main
from justice_schema.errors import InputError
from justice_schema.io import publish_file
from justice_schema.privacy import load_profile, profile_from_dict, publish
from justice_schema.privacy.keys import pseudonymise
from tests.privacy.conftest import KEY, POISON

EVERYTHING = {"public": "keep", "internal": "keep", "personal": "keep", "sensitive": "keep"}


@pytest.fixture
def files(tmp_path, population):
    arrests, people = tmp_path / "arrests.parquet", tmp_path / "people.parquet"
    pq.write_table(population.arrests, arrests)
    pq.write_table(population.people, people)
    key = tmp_path / "key"
    key.write_bytes(KEY)
    return arrests, people, key


def _cli(*args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue() + err.getvalue()


def _all_bytes(folder):
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()))


def _barred_ids(population):
    a = population.arrests
    barred = pc.or_(pc.fill_null(a.column("sealed"), False), pc.fill_null(a.column("expunged"), False))
    people = population.people
    p_barred = pc.or_(pc.fill_null(people.column("sealed"), False), pc.fill_null(people.column("expunged"), False))
    barred_people = pc.filter(people.column("id"), p_barred)
    via_person = pc.is_in(a.column("person_id"), barred_people)
    return pc.filter(a.column("id"), pc.or_(barred, via_person))


@pytest.mark.parametrize("profile", ["public", "research"])
def test_sealed_and_expunged_on_no_path(tmp_path, files, population, profile, caplog):
    arrests, people, key = files
    out = tmp_path / "out"
    with caplog.at_level(logging.DEBUG):
        code, printed = _cli("publish", arrests, "--person", people, "--profile", profile, "--key-file", key,
                             "--out", out)
    assert code == 0, printed
    written = _all_bytes(out)
    assert POISON.encode() not in written  # tables (Parquet and CSV), risk.json, risk.html (the site)
    assert POISON not in printed  # command output
    assert POISON not in caplog.text  # logs
    report = json.loads((out / "risk.json").read_text())
    assert report["rows"]["withheld_sealed_or_expunged"] > 0
    if profile == "research":
        records = pq.read_table(out / "records.parquet")
        hidden = set(pseudonymise(_barred_ids(population), load_key_from(key)).to_pylist())
        assert hidden and not hidden & set(records.column("id").to_pylist())


def load_key_from(path):
    from justice_schema.privacy import load_key

    return load_key(path)


def test_restricted_does_carry_them(tmp_path, files):
    """The poison is findable: the check above would fail if the rows leaked."""
    arrests, people, _ = files
    out = tmp_path / "out"
    code, printed = _cli("publish", arrests, "--person", people, "--profile", "restricted", "--out", out)
    assert code == 0, printed
    assert POISON.encode() in (out / "records.parquet").read_bytes()


def test_a_research_profile_that_keeps_everything_still_withholds_them(population, key):
    profile = profile_from_dict({"name": "greedy", "version": "1", "tier": "research", "output": "records",
                                 "juvenile": "keep", "classes": EVERYTHING})
    result = publish(population.arrests, profile, person=population.people, key=key)
    assert result.records is not None
    assert not pc.any(pc.fill_null(result.records.column("sealed"), False)).as_py()
    assert POISON not in result.records.column("person.family_name").to_pylist()
    assert POISON not in result.report.to_json() and POISON not in result.report.to_html()


@pytest.mark.parametrize(("fields", "aggregate", "words"), [
    ({"location.county_fips": "keep", "location.city": "age_band"}, None, "age_band needs a column of ages"),
    ({"location.city": "drop"}, {"name": "t", "rows": ["location.city"], "column": "location.county_fips"},
     "does not publish"),
    ({"location.city": "month"}, None, "needs a date"),
])
def test_error_messages_hold_no_sealed_value(population, key, fields, aggregate, words, caplog):
    data = {"name": "bad", "version": "1", "tier": "research", "output": "records", "classes": EVERYTHING,
            "fields": fields}
    if aggregate:
        data.update(output="aggregates", aggregates=[aggregate])
    with caplog.at_level(logging.DEBUG), pytest.raises(InputError) as caught:
        publish(population.arrests, profile_from_dict(data), person=population.people, key=key)
    assert words in str(caught.value) and POISON not in str(caught.value) and POISON not in caplog.text


def test_cli_error_holds_no_sealed_value(tmp_path, files):
    arrests, people, _ = files
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\nversion = "1"\ntier = "research"\noutput = "records"\n'
                   '[classes]\npublic = "keep"\ninternal = "keep"\npersonal = "keep"\nsensitive = "keep"\n'
                   '[fields]\n"location.city" = "year"\n')
    code, printed = _cli("publish", arrests, "--person", people, "--profile", bad, "--out", tmp_path / "o")
    assert code == 2 and "location.city" in printed and POISON not in printed and "Traceback" not in printed
    assert not (tmp_path / "o").exists()


def test_juvenile_rule(population, key):
    research = publish(population.arrests, load_profile("research"), person=population.people, key=key)
    assert research.records is not None
    assert not pc.any(pc.fill_null(research.records.column("juvenile_record"), False)).as_py() \
        if "juvenile_record" in research.records.column_names else True
    assert "<18" not in research.records.column("arrestee_age.min_years").to_pylist()
    assert research.report.rows["withheld_juvenile"] > 0
    public = publish(population.arrests, load_profile("public"), person=population.people, key=key)
    ages = public.aggregates["arrests_by_age_band_and_sex"].column("arrestee_age.min_years").to_pylist()
    assert "<18" in ages  # aggregate_only: counted, never listed


def test_key_is_never_written(tmp_path, files, monkeypatch):
    arrests, people, _ = files
    secret = "env-secret-env-secret-0123456789"
    monkeypatch.setenv("JUSTICE_SCHEMA_PSEUDONYM_KEY", secret)
    out = tmp_path / "out"
    code, printed = _cli("publish", arrests, "--person", people, "--profile", "research", "--out", out)
    assert code == 0
    written = _all_bytes(out)
    for form in (secret.encode(), secret.encode().hex().encode()):
        assert form not in written and form.decode() not in printed


def test_missing_key_is_an_error_and_writes_nothing(tmp_path, files, monkeypatch):
    arrests, people, _ = files
    monkeypatch.delenv("JUSTICE_SCHEMA_PSEUDONYM_KEY", raising=False)
    code, printed = _cli("publish", arrests, "--person", people, "--profile", "research", "--out", tmp_path / "o")
    assert code == 2 and "JUSTICE_SCHEMA_PSEUDONYM_KEY" in printed and not (tmp_path / "o").exists()


def test_research_output_is_pseudonymised_generalised_and_k_anonymous(population, key):
    result = publish(population.arrests, load_profile("research"), person=population.people, key=key)
    records = result.records
    assert records is not None and records.num_rows > 0
    assert not {"person.family_name", "location.city", "location.latitude", "person.date_of_birth",
                "source.record_key"} & set(records.column_names)
    assert set(records.column("id").to_pylist()).isdisjoint(population.arrests.column("id").to_pylist())
    assert all(len(m) in (4, 7) for m in records.column("arrest_date").to_pylist())  # YYYY-MM or recoded YYYY
    assert result.report.after is not None and result.report.after.k >= 5
    assert result.report.before is not None and result.report.before.k == 1
    rows = result.report.rows
    assert rows["input"] == (rows["withheld_sealed_or_expunged"] + rows["withheld_juvenile"]
                             + rows["withheld_k_anonymity"] + rows["published"])


def test_differential_privacy_budget_in_metadata(tmp_path, files):
    arrests, people, _ = files
    profile = tmp_path / "dp.toml"
    profile.write_text('name = "public-dp"\nversion = "1"\ntier = "public"\noutput = "aggregates"\n'
                       '[classes]\npublic = "drop"\ninternal = "drop"\npersonal = "drop"\nsensitive = "drop"\n'
                       '[fields]\n"location.county_fips" = "keep"\n"arrest_type" = "keep"\n'
                       '[[aggregates]]\nname = "t"\nrows = ["location.county_fips"]\ncolumn = "arrest_type"\n'
                       'epsilon = 0.5\n')
    summary = publish_file(arrests, tmp_path / "out", profile, person=people)
    meta = json.loads(pq.read_schema(tmp_path / "out" / "t.parquet").metadata[b"justice_schema.publication"])
    assert meta["privacy_budget"]["t"]["epsilon"] == pytest.approx(0.5)
    assert meta["privacy_budget"]["t"]["library"] == "opendp"
    figures = summary.publication.report.aggregates[0]
    assert figures["published_under_threshold"] == 0 and figures["recomputable_suppressed"] == 0
    table = pq.read_table(tmp_path / "out" / "t.parquet")
    assert table.schema.field("count").type == pa.int64()
