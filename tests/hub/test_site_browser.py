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


def test_every_page_loads_draws_its_charts_and_links_resolve(built_hub: Path, browser: object) -> None:
    site = built_hub.parent / "out" / "site"
    pages = _pages(site)
    kinds = {"index", "catalogue", "agency"}
    assert {p.stem if p.parent == site else p.parent.name for p in pages} == kinds
    assert len([p for p in pages if p.parent.name == "agency"]) == len(EXPORTS)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot: set[str] = set()
    charts_seen = 0
    for path in pages:
        browser.get(path.as_uri())
        assert _console_errors(browser) == [], path
        assert browser.find_element("css selector", "h1").text.strip(), path
        # every chart drew marks: Chart.js has elements for every value of every data set
        marks = browser.execute_script("""
            return Array.from(document.querySelectorAll('canvas[data-chart]')).map(function (c) {
              var chart = Chart.getChart(c);
              if (!chart) { return [c.id, -1, 0, c.getAttribute('aria-label')]; }
              var drawn = 0, values = 0;
              chart.data.datasets.forEach(function (d, i) {
                values += d.data.length;
                drawn += chart.getDatasetMeta(i).data.filter(function (e) { return e.width > 0 || e.height > 0 || e.x; }).length;
              });
              return [c.id, drawn, values, c.getAttribute('aria-label')];
            });""")
        for chart_id, drawn, values, label in marks:
            assert drawn == values and values > 0, (path.name, chart_id, drawn, values)
            assert label and len(label) > 20, (path.name, chart_id)
        charts_seen += len(marks)
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
        kind = path.stem if path.parent == site else path.parent.name
        if kind not in shot:
            browser.save_screenshot(str(SCREENSHOTS / f"{kind}.png"))
            shot.add(kind)
    assert charts_seen >= 1 + 3  # the overview's chart and one completeness chart per agency at least
    assert shot == kinds


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
