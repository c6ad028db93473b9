"""The hub's static site: HTML files that open from disk, with no network, CDN or server.

:func:`build_site` reads the hub database and writes every page of every kind in
:data:`~justice_schema.hub.site.pages.PAGES`, plus the assets (Chart.js, the site's
script and style sheet), into a folder that appears whole (the old site stays until the
new one is complete).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from justice_schema.errors import InputError

# the case-flow pages and the person timelines (restricted profile only) register themselves
from justice_schema.hub.site import caseflow_pages as _caseflow_pages
from justice_schema.hub.site import timeline_pages as _timeline_pages
from justice_schema.hub.site.html import page
from justice_schema.hub.site.pages import PAGES, QUERIES, PageKind, SitePage, register_page, slug
from justice_schema.hub.store import open_read_only

del _caseflow_pages, _timeline_pages

__all__ = ["build_site", "PAGES", "QUERIES", "PageKind", "SitePage", "register_page", "slug", "ASSETS"]

#: The files copied into ``assets/`` of every site.
ASSETS = ("chart.umd.min.js", "chart.js-LICENSE.md", "site.js", "site.css")


def build_site(database: str | Path, out: str | Path) -> Path:
    """Write the site of the hub ``database`` into the folder ``out``; returns the path of ``index.html``."""
    database, out = Path(database), Path(out)
    if not database.is_file():
        raise InputError("no hub database here; run `justice-schema hub build hub.toml` first", path=str(database))
    con = open_read_only(database)
    try:
        pages: list[SitePage] = [p for kind in PAGES for p in kind.build(con)]
    finally:
        con.close()
    firsts = {kind.name: next((q for q in pages if q.path.split("/")[0].split(".")[0] == kind.name), None)
              for kind in PAGES}
    # a kind that wrote no page (person timelines outside the restricted profile) has no link
    nav = [(first.path, kind.nav_title) for kind in PAGES if kind.nav_title
           for first in [firsts[kind.name]] if first is not None]
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        assets = temp / "assets"
        assets.mkdir()
        source = resources.files(__package__).joinpath("assets")
        for name in ASSETS:
            with resources.as_file(source.joinpath(name)) as path:
                shutil.copyfile(path, assets / name)
        for item in pages:
            target = temp / item.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page(item.title, item.body, depth=item.path.count("/"), nav=nav), encoding="utf-8")
        _swap(temp, out)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    return out / "index.html"


def _swap(new: Path, out: Path) -> None:
    """Put the finished folder ``new`` in place of ``out`` (a site folder, or nothing)."""
    if out.exists() and not (out / "index.html").is_file() and any(out.iterdir()):
        raise InputError("the site folder holds files that are not a hub site; choose an empty or new folder",
                         path=str(out))
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
        os.rmdir(old)
        os.replace(out, old)
    os.replace(new, out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
