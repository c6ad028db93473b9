"""Bad input to ``justice-schema publish``: one error line naming the file, field or option, exit 2,
no traceback, nothing written."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from justice_schema.testing.population import generate_population


@pytest.fixture
def arrests(sandbox):
    pop = generate_population(60, seed=5)
    path = sandbox.path("arrests.parquet")
    pq.write_table(pop.arrests, path)
    people = sandbox.path("people.parquet")
    pq.write_table(pop.people, people)
    sandbox.keep(path)
    sandbox.keep(people)
    return path, people


def test_unknown_profile_name(sandbox, arrests):
    path, _ = arrests
    out = sandbox.path("out")
    sandbox.cli("publish", path, "--profile", "secret", "--out", out).fails(2, "secret", "no such profile")
    sandbox.assert_unchanged()
    sandbox.assert_written_only([])


def test_profile_file_with_a_bad_rule(sandbox, arrests):
    path, _ = arrests
    profile = sandbox.write("p.toml", 'name = "p"\nversion = "1"\ntier = "research"\noutput = "records"\n'
                                      '[classes]\npublic = "keep"\ninternal = "drop"\npersonal = "drop"\n'
                                      'sensitive = "shred"\n')
    sandbox.cli("publish", path, "--profile", profile, "--out", sandbox.path("out")).fails(
        2, str(profile), "classes.sensitive", "unknown action 'shred'")
    sandbox.assert_written_only([])


def test_research_profile_trying_to_include_sealed(sandbox, arrests):
    path, _ = arrests
    profile = sandbox.write("p.toml", 'name = "p"\nversion = "1"\ntier = "research"\noutput = "records"\n'
                                      'include_sealed = true\n[classes]\npublic = "keep"\ninternal = "drop"\n'
                                      'personal = "drop"\nsensitive = "drop"\n')
    sandbox.cli("publish", path, "--profile", profile, "--out", sandbox.path("out")).fails(
        2, "include_sealed", "never leave the restricted tier")
    sandbox.assert_written_only([])


def test_missing_key_file(sandbox, arrests):
    path, people = arrests
    sandbox.cli("publish", path, "--person", people, "--profile", "research", "--key-file",
                sandbox.path("nokey"), "--out", sandbox.path("out")).fails(2, "nokey", "pseudonym key file")
    sandbox.assert_written_only([])


def test_short_key(sandbox, arrests):
    path, people = arrests
    key = sandbox.write("key", "tiny")
    run = sandbox.cli("publish", path, "--person", people, "--profile", "research", "--key-file", key,
                      "--out", sandbox.path("out"))
    run.fails(2, "shorter than 16 bytes")
    assert "tiny" not in run.err
    sandbox.assert_written_only([])


def test_output_is_an_input(sandbox, arrests):
    path, _ = arrests
    sandbox.cli("publish", path, "--profile", "restricted", "--out", sandbox.root).fails(2, "--out")
    sandbox.assert_unchanged()


def test_person_file_without_ids(sandbox, arrests):
    path, _ = arrests
    people = sandbox.write("people.jsonl", '{"entity_type": "person"}\n')
    sandbox.cli("publish", path, "--person", people, "--profile", "restricted", "--out", sandbox.path("out")).fails(
        2, "people.jsonl", "no person ids")
    sandbox.assert_written_only([])


def test_unreadable_input(sandbox):
    bad = sandbox.write("arrests.parquet", b"not parquet")
    sandbox.cli("publish", bad, "--profile", "restricted", "--out", sandbox.path("out")).fails(2, "arrests.parquet")
    sandbox.assert_written_only([])


def test_existing_output_needs_overwrite(sandbox, arrests):
    path, _ = arrests
    out = sandbox.path("out")
    sandbox.cli("publish", path, "--profile", "restricted", "--out", out).exits(0)
    sandbox.cli("publish", path, "--profile", "restricted", "--out", out).fails(2, "--overwrite")
    sandbox.cli("publish", path, "--profile", "restricted", "--out", out, "--overwrite").exits(0)
