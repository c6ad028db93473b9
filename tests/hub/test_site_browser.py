"""The hub site in a real headless Chromium (Debian's chromium + chromium-driver, driven by selenium).

Every page loads from file:// with no console error, every chart has drawn its marks,
every link resolves, every table has a caption and every chart a text alternative; a
screenshot of each page type goes under ``build/hub-screenshots/``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from tests.hub.conftest import EXPORTS

webdriver = pytest.importorskip("selenium.webdriver", reason="make test installs selenium (the [test] extra)")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "hub-screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,1600"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        pytest.fail("headless Chromium is missing: apt-get install -y chromium chromium-driver "
                    "(make test does this on a fresh machine)")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _console_errors(driver: object) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def _kind(path: Path, site: Path) -> str:
    return path.stem if path.parent == site else path.parent.name


def _check_page(browser: object, path: Path) -> int:
    """Load one page and check it as a reader would; returns how many charts it drew."""
    browser.get(path.as_uri())
    assert _console_errors(browser) == [], path
    assert browser.find_element("css selector", "h1").text.strip(), path
    # every chart drew marks: Chart.js has an element for every value (a null is a gap, not a value)
    marks = browser.execute_script("""
        return Array.from(document.querySelectorAll('canvas[data-chart]')).map(function (c) {
          var chart = Chart.getChart(c);
          if (!chart) { return [c.id, -1, 0, c.getAttribute('aria-label')]; }
          var drawn = 0, values = 0;
          chart.data.datasets.forEach(function (d, i) {
            values += d.data.filter(function (v) { return v !== null; }).length;
            drawn += chart.getDatasetMeta(i).data.filter(function (e, j) {
              return d.data[j] !== null && (e.width > 0 || e.height > 0 || e.x); }).length;
          });
          return [c.id, drawn, values, c.getAttribute('aria-label')];
        });""")
    for chart_id, drawn, values, label in marks:
        assert drawn == values and values > 0, (path.name, chart_id, drawn, values)
        assert label and len(label) > 20, (path.name, chart_id)
    # accessibility basics: one h1, captions on every table, a lang attribute
    assert len(browser.find_elements("css selector", "h1")) == 1
    tables = browser.find_elements("css selector", "table")
    captions = browser.find_elements("css selector", "table > caption")
    assert len(tables) == len(captions), path
    assert browser.find_element("css selector", "html").get_attribute("lang") == "en"
    # every link resolves: files exist, fragments name an element
    for href in browser.execute_script("return Array.from(document.links).map(function (a) { return a.href; });"):
        url = urlparse(href)
        assert url.scheme == "file", f"{path.name} links outside the site: {href}"
        assert Path(unquote(url.path)).is_file(), f"{path.name}: broken link {href}"
    return len(marks)


def test_every_page_loads_draws_its_charts_and_links_resolve(built_hub: Path, browser: object) -> None:
    site = built_hub.parent / "out" / "site"
    pages = _pages(site)
    kinds = {"index", "catalogue", "agency", "caseflow"}
    assert {_kind(p, site) for p in pages} == kinds
    assert len([p for p in pages if p.parent.name == "agency"]) == len(EXPORTS)
    assert len([p for p in pages if p.parent.name == "caseflow"]) == 4
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot: set[str] = set()
    charts_seen = 0
    for path in pages:
        drawn = _check_page(browser, path)
        charts_seen += drawn
        if path.parent.name == "caseflow":
            assert drawn >= 2, f"{path.name}: the funnel and the recidivism curve at least"
        kind = _kind(path, site)
        if kind not in shot:
            browser.save_screenshot(str(SCREENSHOTS / f"{kind}.png"))
            shot.add(kind)
    assert charts_seen >= 1 + 3 + 4 * 2  # the overview, a chart per agency, two per case-flow page at least
    assert shot == kinds


def test_the_restricted_site_adds_person_timelines_that_load(restricted_hub: Path, browser: object) -> None:
    site = restricted_hub.parent / "out" / "site"
    people = sorted((site / "person").glob("*.html"))
    assert people[0].name != "index.html" or len(people) > 1
    index = site / "person" / "index.html"
    # the index and a few of the timeline pages in the browser (all of them are linked from the index)
    for path in [index, *[p for p in people if p != index][:3], site / "index.html"]:
        _check_page(browser, path)
    # with incidents in this hub, every kind of case-flow chart is drawn on every case-flow page
    for path in sorted((site / "caseflow").glob("*.html")):
        _check_page(browser, path)
        ids = browser.execute_script("return Array.from(document.querySelectorAll('canvas[data-chart]'))"
                                     ".map(function (c) { return c.id; });")
        assert {i.removesuffix(f"-{path.stem}") for i in ids} == {"attrition", "median-days", "distribution", "recidivism", "clearance"}, (path.name, ids)
        if path.stem == "index":
            browser.save_screenshot(str(SCREENSHOTS / "caseflow-with-incidents.png"))
    browser.get(index.as_uri())
    linked = browser.execute_script("return Array.from(document.querySelectorAll('main a')).map(function (a) { "
                                    "return decodeURIComponent(new URL(a.href).pathname); });")
    assert sorted(Path(p) for p in linked) == [p for p in people if p != index]
    browser.get(next(p for p in people if p != index).as_uri())
    browser.save_screenshot(str(SCREENSHOTS / "person.png"))


def test_pages_ask_for_nothing_outside_the_site(built_hub: Path) -> None:
    for path in _pages(built_hub.parent / "out" / "site"):
        text = path.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text.replace("https://www.chartjs.org", ""), path


def test_tables_sort_when_a_header_is_clicked(built_hub: Path, browser: object) -> None:
    browser.get((built_hub.parent / "out" / "site" / "index.html").as_uri())
    table = browser.find_elements("css selector", "table.sortable")[0]
    header = table.find_elements("css selector", "th button")[2]  # Records
    header.click()
    values = [int(c.text.replace(",", "")) for c in table.find_elements("css selector", "tbody tr td:nth-child(3)")]
    assert values == sorted(values)
    header.click()
    values = [int(c.text.replace(",", "")) for c in table.find_elements("css selector", "tbody tr td:nth-child(3)")]
    assert values == sorted(values, reverse=True)
    assert _console_errors(browser) == []
