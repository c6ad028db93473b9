"""The hub's link and case_flow stages: nothing lost, links with their evidence, causes in a clerk's words,
person timelines only under the restricted profile and no identifying data on any other site."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from justice_schema.hub import HubConfigError, build_hub, load_config
from justice_schema.hub.events import hub_events
from justice_schema.hub.site import build_site
from justice_schema.hub.store import duckdb_module
from justice_schema.linking import default_rules
from tests.hub.conftest import EXPORTS, write_config

STAGE_TABLES = ("incident", "arrest", "charge", "prosecution_decision", "court_case", "disposition", "custody_period",
                "supervision")
CASE_TABLES = {"case_links", "case_events", "case_unlinked", "case_parent_gaps", "cases", "case_attrition",
               "case_intervals", "case_interval_histogram", "case_recidivism", "case_clearance",
               "person_timeline_events", "hub_profile"}


def _sql(database: Path, sql: str) -> list[tuple]:
    con = duckdb_module().connect(str(database), read_only=True)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def _text(path: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


def test_every_stage_record_is_an_event_or_set_aside_with_its_cause(built_hub: Path) -> None:
    database = built_hub.parent / "out" / "hub.duckdb"
    tables = {name for (name,) in _sql(database, "SELECT table_name FROM information_schema.tables")}
    assert tables >= CASE_TABLES
    present = [t for t in STAGE_TABLES if t in tables]
    records = sum(_sql(database, f"SELECT count(DISTINCT id) FROM {t}")[0][0] for t in present)
    events = _sql(database, "SELECT count(*), count(DISTINCT event_id) FROM case_events")[0]
    undated = _sql(database, "SELECT count(*) FROM case_unlinked WHERE link_type = 'undated'")[0][0]
    assert events[0] == events[1]
    assert records == events[0] + undated > 0
    # every unlinked event is known, says why, and belongs to an agency
    orphans = _sql(database, "SELECT count(*) FROM case_unlinked u WHERE link_type <> 'undated' AND NOT EXISTS "
                             "(SELECT 1 FROM case_events e WHERE e.event_id = u.event_id)")[0][0]
    assert orphans == 0
    assert _sql(database, "SELECT count(*) FROM case_unlinked WHERE cause IS NULL OR reason IS NULL "
                          "OR hub_agency IS NULL")[0][0] == 0
    # an event is linked as a child, or unlinked, never both
    both = _sql(database, "SELECT count(*) FROM case_links l JOIN case_unlinked u ON u.event_id = l.child_id "
                          "AND u.link_type = l.link_type")[0][0]
    assert both == 0


def test_links_name_their_rule_and_evidence(built_hub: Path) -> None:
    database = built_hub.parent / "out" / "hub.duckdb"
    rules = {(lt.name, r.name) for lt in default_rules().links for r in lt.rules}
    links = _sql(database, "SELECT link_type, rule, evidence, days FROM case_links")
    assert links, "the sample court exports link dispositions to their charges"
    for link_type, rule, evidence, days in links:
        assert (link_type, rule) in rules
        assert evidence and f"{days} days after" in evidence
    # every case of the case_flow view is in the cases table, with its stage dates
    assert _sql(database, "SELECT count(*) FROM case_flow")[0][0] == _sql(database, "SELECT count(*) FROM cases")[0][0]


def test_the_agency_page_counts_what_it_says(built_hub: Path) -> None:
    """The jail's charges carry no filing date: the page's sentence gives their number, counted here apart."""
    database = built_hub.parent / "out" / "hub.duckdb"
    undated = _sql(database, "SELECT count(DISTINCT id) FROM charge WHERE hub_agency = 'County Jail' "
                             "AND filed_date IS NULL")[0][0]
    assert undated > 0
    text = _text(built_hub.parent / "out" / "site" / "agency" / "county-jail.html")
    assert f"{undated:,} charges could not be linked to an arrest because they had no filing date." in text
    court = _text(built_hub.parent / "out" / "site" / "agency" / "third-district-court.html")
    unlinked = _sql(database, "SELECT count(*) FROM case_unlinked WHERE hub_agency = 'Third District Court' "
                              "AND event_type = 'charge'")[0][0]
    assert f"{unlinked:,} charges could not be linked to an arrest because" in court


def test_case_flow_pages_show_each_dimension(built_hub: Path) -> None:
    site = built_hub.parent / "out" / "site"
    database = built_hub.parent / "out" / "hub.duckdb"
    for stem, dimension in (("offense-group", "offense_group"), ("agency", "agency"), ("year", "year")):
        text = _text(site / "caseflow" / f"{stem}.html")
        for (value,) in _sql(database, f"SELECT DISTINCT value FROM attrition WHERE dimension = '{dimension}'"):
            assert value in text, (stem, value)
    overview = _text(site / "caseflow" / "index.html")
    assert "Censoring:" in overview
    cases = _sql(database, "SELECT count(*) FROM cases")[0][0]
    assert f"{cases:,} cases" in overview


def _identifying(database: Path) -> set[str]:
    """Strings that identify a person: record ids, person_uids, state ids, full names, dates of birth."""
    found: set[str] = set()
    for first, family, born, state_id, ident in _sql(
            database, "SELECT given_name, family_name, date_of_birth, state_id, id FROM person"):
        found.add(ident)
        if first and family:
            found.add(f"{first} {family}")
        if born:
            found.add(str(born))
        if state_id:
            found.add(state_id)
    found |= {uid for (uid,) in _sql(database, "SELECT DISTINCT person_uid FROM person_match")}
    return {f for f in found if f and len(f) >= 6}


def _site_text(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def test_no_page_of_a_public_site_names_a_person(built_hub: Path) -> None:
    database = built_hub.parent / "out" / "hub.duckdb"
    assert _sql(database, "SELECT tier FROM hub_profile") == [("public",)]
    pages = _site_text(built_hub.parent / "out" / "site")
    assert not any(name.startswith("person") for name in pages)
    assert all("Person timelines" not in text for text in pages.values())
    secrets = _identifying(database)
    assert len(secrets) > 50
    leaks = {(name, s) for name, text in pages.items() for s in secrets if s in text}
    assert leaks == set()


def test_a_restricted_site_has_person_timelines(restricted_hub: Path) -> None:
    database = restricted_hub.parent / "out" / "hub.duckdb"
    assert _sql(database, "SELECT name, tier FROM hub_profile") == [("restricted", "restricted")]
    pages = _site_text(restricted_hub.parent / "out" / "site")
    person_pages = {n: t for n, t in pages.items() if n.startswith("person/")}
    assert "person/index.html" in person_pages and len(person_pages) > 1
    everyone = {uid for (uid,) in _sql(database, "SELECT DISTINCT person_uid FROM person_timeline")}
    shown = "\n".join(person_pages.values())
    assert everyone and all(uid in shown for uid in everyone)
    # the same check that finds no leak on the public site finds the names here
    assert any(s in shown for s in _identifying(database))
    assert "Person timelines" in pages["index.html"]


def test_a_research_profile_writes_no_timeline(tmp_path: Path) -> None:
    config = write_config(tmp_path, EXPORTS[2:])
    config.write_text(config.read_text(encoding="utf-8").replace("[hub]\n", '[hub]\nprofile = "research"\n', 1),
                      encoding="utf-8")
    build_hub(config, quiet=True)
    build_site(tmp_path / "out" / "hub.duckdb", tmp_path / "out" / "site")
    assert not (tmp_path / "out" / "site" / "person").exists()
    pages = _site_text(tmp_path / "out" / "site")
    secrets = _identifying(tmp_path / "out" / "hub.duckdb")
    assert secrets and not {s for text in pages.values() for s in secrets if s in text}


def test_a_hub_without_linkable_events_still_builds(tmp_path: Path) -> None:
    """The jail alone: every charge undated, no event to link; the case tables are empty, the pages say so."""
    config = write_config(tmp_path, EXPORTS[1:2])
    build_hub(config, quiet=True)
    database = tmp_path / "out" / "hub.duckdb"
    assert _sql(database, "SELECT count(*) FROM case_events")[0][0] == 0
    assert _sql(database, "SELECT count(*) FROM cases")[0][0] == 0
    assert _sql(database, "SELECT count(*) FROM case_unlinked")[0][0] > 0
    build_site(database, tmp_path / "out" / "site")
    text = _text(tmp_path / "out" / "site" / "caseflow" / "index.html")
    assert "0 cases" in text and "No incidents in this hub." in text


@pytest.mark.parametrize(("value", "expected"), [
    ('profile = "secret"', "hub.profile: 'secret': .*no such profile"),
    ("profile = 3", "hub.profile: must be a non-empty string"),
    ('link_rules = "nowhere.toml"', "hub.link_rules: no such rules file"),
    ('link_rules = "bad.toml"', "hub.link_rules: .*bad.toml"),
])
def test_a_bad_profile_or_rules_file_names_the_key(tmp_path: Path, value: str, expected: str) -> None:
    (tmp_path / "bad.toml").write_text('version = "1"\n[[link]]\nname = 3\n', encoding="utf-8")
    config = write_config(tmp_path, EXPORTS[:1])
    config.write_text(config.read_text(encoding="utf-8").replace("[hub]\n", f"[hub]\n{value}\n", 1),
                      encoding="utf-8")
    with pytest.raises(HubConfigError, match=expected):
        load_config(config)


def test_link_rules_from_the_config_are_used(tmp_path: Path) -> None:
    rules = tmp_path / "links.toml"
    text = default_rules().source
    source = Path(text).read_text(encoding="utf-8")
    rules.write_text(re.sub(r'(?m)^version = "[^"]*"', 'version = "9.9"', source, count=1), encoding="utf-8")
    assert 'version = "9.9"' in rules.read_text(encoding="utf-8")
    config = write_config(tmp_path, EXPORTS[2:])
    config.write_text(config.read_text(encoding="utf-8").replace("[hub]\n", '[hub]\nlink_rules = "links.toml"\n', 1),
                      encoding="utf-8")
    assert load_config(config).link_rules == rules
    first = build_hub(config, quiet=True)
    assert not first.unchanged and first.counts["links"] > 0
    # changing the rules file changes the build (the rules are an input)
    rules.write_text(rules.read_text(encoding="utf-8").replace('version = "9.9"', 'version = "9.10"'), encoding="utf-8")
    assert not build_hub(config, quiet=True).unchanged


def _table(rows: list[dict], names: list[str]) -> pa.Table:
    columns = {n: [r.get(n) for r in rows] for n in names}
    return pa.table({n: pa.array(v, pa.int64() if n == "hub_row" else pa.date32() if n.endswith("date") else pa.string())
                     for n, v in columns.items()})


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A1", "A2", "A9", None]), st.sampled_from([None, "OWN"]),
                          st.booleans()), min_size=1, max_size=12))
def test_a_child_takes_only_its_own_parents_numbers(children: list[tuple[str | None, str | None, bool]]) -> None:
    """A charge keeps its own arrest transaction number; without one it takes its arrest's; an arrest not in the
    hub gives nothing; a charge without a filing date takes its arrest's date, and one whose arrest is not in the
    hub is set aside, with its cause, not dropped."""
    import datetime as dt

    day = dt.date(2024, 1, 1)
    arrests = _table([{"id": "A1", "arrest_date": day, "arrest_transaction_number": "ATN-1", "hub_agency": "pd",
                       "hub_export": "pd", "hub_row": 1},
                      {"id": "A2", "arrest_date": day, "arrest_transaction_number": None, "hub_agency": "pd",
                       "hub_export": "pd", "hub_row": 2}],
                     ["id", "arrest_date", "arrest_transaction_number", "hub_agency", "hub_export", "hub_row"])
    charges = _table([{"id": f"C{i}", "arrest_id": parent, "arrest_transaction_number": own,
                       "filed_date": day if dated else None, "hub_agency": "court", "hub_export": "court",
                       "hub_row": i + 1} for i, (parent, own, dated) in enumerate(children)],
                     ["id", "arrest_id", "arrest_transaction_number", "filed_date", "hub_agency", "hub_export",
                      "hub_row"])
    built = hub_events({"arrest": arrests, "charge": charges}, None)
    got = {r["event_id"]: r["arrest_transaction_number"] for r in built.events.to_pylist()}
    for i, (parent, own, dated) in enumerate(children):
        event = f"charge:C{i}"
        if not dated and parent not in ("A1", "A2"):     # no date of its own and no dated arrest to take one from
            assert event not in got
            continue
        assert got[event] == (own or {"A1": "ATN-1"}.get(parent or ""))
    undated = {r["event_id"]: r["cause"] for r in built.undated.to_pylist()}
    assert set(undated) == {f"charge:C{i}" for i, (parent, _, dated) in enumerate(children)
                            if not dated and parent not in ("A1", "A2")}
    assert built.carried.get("charge.filed_date", 0) == sum(not dated and parent in ("A1", "A2")
                                                            for parent, _, dated in children)
    assert all("no filing date" in cause for cause in undated.values())
    assert built.origin.num_rows == 2 + len(children)


def test_intervals_by_group_when_no_case_has_an_interval() -> None:
    """caseflow.intervals grouped: an interval no case has still gives text rows (it gave a null-typed column)."""
    import datetime as dt

    from justice_schema import caseflow as cf

    names = {c for _, a, b in cf.INTERVALS for c in (a, b)}
    cases = pa.table({"agency": ["a", "b"], **{n: pa.array([dt.date(2024, 1, 1), None], pa.date32()) for n in names}})
    cases = cases.set_column(cases.column_names.index("release_date"), "release_date",
                             pa.array([None, None], pa.date32()))
    out = cf.intervals(cases, ["agency"])
    assert out.schema.field("interval").type == pa.string()
    assert set(out.column("interval").to_pylist()) == {name for name, _, _ in cf.INTERVALS} - {"disposition_to_release"}
