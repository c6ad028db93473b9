"""Hub builds: incremental equals a full rebuild, twice is a no-op, a killed load changes nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from justice_schema.hub import HISTORY_TABLES, HubConfigError, build_hub, load_config
from justice_schema.hub.store import duckdb_module, query
from tests.hub.conftest import EXPORTS, write_config

SRC = Path(__file__).resolve().parents[2] / "src"


def _contents(database: Path) -> dict[str, list[tuple]]:
    """Every data table of a hub database, rows sorted (history tables left out)."""
    con = duckdb_module().connect(str(database), read_only=True)
    try:
        names = query(con, "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'")
        out = {}
        for name in sorted(names.column("table_name").to_pylist()):
            if name not in HISTORY_TABLES:
                out[name] = sorted(map(repr, con.sql(f'SELECT * FROM "{name}"').fetchall()))
        return out
    finally:
        con.close()


def _uids(database: Path) -> set[tuple[str, str]]:
    con = duckdb_module().connect(str(database), read_only=True)
    try:
        return set(con.sql("SELECT id, person_uid FROM person_match").fetchall())
    finally:
        con.close()


def test_incremental_build_equals_full_rebuild_and_ids_are_stable(tmp_path: Path) -> None:
    first, second = tmp_path / "incremental", tmp_path / "full"
    first.mkdir(), second.mkdir()
    build_hub(write_config(first, EXPORTS[:2]), quiet=True)
    before = _uids(first / "out" / "hub.duckdb")
    cases_before = _contents(first / "out" / "hub.duckdb")["cases"]
    report = build_hub(write_config(first, EXPORTS), quiet=True)
    added = tuple(name for name, _, _ in EXPORTS[2:])
    assert report.exports_reused == ("slc-pd", "county-jail") and report.exports_added == added
    build_hub(write_config(second, EXPORTS), quiet=True)
    incremental, full = _contents(first / "out" / "hub.duckdb"), _contents(second / "out" / "hub.duckdb")
    assert incremental.keys() == full.keys()
    # the link and case_flow stages' tables are compared too, and hold something
    for name in ("case_links", "case_events", "case_unlinked", "cases", "case_attrition", "person_timeline_events"):
        assert full[name], name
    for name in full:
        assert incremental[name] == full[name], name
    # person ids of the first month's records did not change when the second month came in (the rule
    # that links them may: the prosecutor's records of a person arrested in the first month join her),
    # nor did the case ids: the later exports are later stages, so they join the existing cases
    assert before <= _uids(first / "out" / "hub.duckdb")
    first_cases = {row.split("'")[1] for row in cases_before}
    assert first_cases and first_cases <= {row.split("'")[1] for row in incremental["cases"]}
    con = duckdb_module().connect(str(first / "out" / "hub.duckdb"), read_only=True)
    loads = con.sql("SELECT build, exports_added, exports_reused FROM hub_loads ORDER BY build").fetchall()
    con.close()
    assert loads == [(1, ["slc-pd", "county-jail"], []), (2, list(added), ["slc-pd", "county-jail"])]


def test_exports_pinned_at_different_schema_versions_stack_at_the_newest(built_hub: Path) -> None:
    con = duckdb_module().connect(str(built_hub.parent / "out" / "hub.duckdb"), read_only=True)
    try:
        rows = con.sql("SELECT hub_export, schema_version, count(*) FROM person GROUP BY ALL ORDER BY 1").fetchall()
    finally:
        con.close()
    # the police, jail and court exports write schema 1.0 people, the prosecutor and prison 1.2 ones
    assert {export for export, _, _ in rows} == {name for name, _, _ in EXPORTS}
    assert {version for _, version, _ in rows} == {"1.2"}


def test_building_twice_changes_nothing(built_hub: Path) -> None:
    database = built_hub.parent / "out" / "hub.duckdb"
    before = (database.read_bytes(), database.stat().st_mtime_ns)
    report = build_hub(built_hub, quiet=True)
    assert report.unchanged
    assert (database.read_bytes(), database.stat().st_mtime_ns) == before


def test_a_forced_rebuild_gives_the_same_tables(tmp_path: Path) -> None:
    config = write_config(tmp_path, EXPORTS[:1])
    build_hub(config, quiet=True)
    first = _contents(tmp_path / "out" / "hub.duckdb")
    report = build_hub(config, force=True, quiet=True)
    assert not report.unchanged and report.exports_reused == ("slc-pd",)
    assert _contents(tmp_path / "out" / "hub.duckdb") == first


_SLOW_LOAD = """
import sys, time
import justice_schema.hub.store as store
real = store.write_database
def slow(database, tables, on_table=None):
    def each(name):
        on_table(name)
        if name == "cases":  # a table of the case_flow stage, after the canonical tables
            sys.stderr.write("PAUSED\\n"); sys.stderr.flush(); time.sleep(60)
    return real(database, tables, on_table=each)
store.write_database = slow
import justice_schema.hub.build as build
build.write_database = slow
build.build_hub(sys.argv[1], force=True)
"""


def test_a_load_killed_midway_leaves_the_previous_database_intact(tmp_path: Path) -> None:
    config = write_config(tmp_path, EXPORTS[:1])
    build_hub(config, quiet=True)
    database = tmp_path / "out" / "hub.duckdb"
    before_bytes, before = database.read_bytes(), _contents(database)
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    child = subprocess.Popen([sys.executable, "-c", _SLOW_LOAD, str(config)], stderr=subprocess.PIPE, text=True,
                             env=env)
    try:
        deadline = time.monotonic() + 120
        assert child.stderr is not None
        for line in child.stderr:
            if "PAUSED" in line or time.monotonic() > deadline:
                break
        partial = list(database.parent.glob(".hub.*.partial.duckdb"))
        assert partial, "the load writes a new file beside the database"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL
    assert database.read_bytes() == before_bytes
    assert _contents(database) == before
    build_hub(config, force=True, quiet=True)  # the next build clears the leftover and succeeds
    assert not list(database.parent.glob(".hub.*.partial.duckdb*"))


@pytest.mark.parametrize(("text", "expected"), [
    ('[hub]\noutput = "o"\n', "export: name at least one export"),
    ('[hub]\noutput = "o"\n[[export]]\nname = "a"\ntranslator = "acme_rms"\nfiles = ["missing/*.csv"]\n',
     "export[1].files: 'missing/*.csv' names no file"),
    ('[hub]\noutput = "o"\n[[export]]\nname = "a"\ntranslator = "nope"\nfiles = ["x"]\n',
     "export[1].translator: no translator 'nope'"),
    ('[hub]\noutput = "o"\ncolour = 1\n', "hub.colour: unknown key"),
    ('[hub]\noutput = "o"\nas_of = "soon"\n[[export]]\n', "hub.as_of: must be a date"),
    ("[hub\n", "not valid TOML"),
])
def test_a_bad_config_names_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "hub.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HubConfigError, match=expected.replace("[", r"\[").replace("]", r"\]").replace("*", r"\*")) as info:
        load_config(path)
    assert str(path) in str(info.value)


def test_the_command_answers_a_bad_config_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "hub.toml"
    path.write_text('[hub]\noutput = "o"\n[[export]]\nname = "a"\nfiles = ["x"]\n', encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run([sys.executable, "-m", "justice_schema.cli", "hub", "build", str(path)],
                          capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 2
    assert done.stderr.strip() == (f"justice-schema hub: error: {path}: export[1].translator: "
                                   "give exactly one of translator = NAME or spec = PATH")
