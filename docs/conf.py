"""Sphinx configuration for the justice_schema documentation.

The entity, field and code-list reference is generated from the models at
build time (``justice_schema.docgen``), never written by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

import justice_schema  # noqa: E402
from justice_schema import docgen  # noqa: E402

project = "justice_schema"
author = "justice_schema developers"
copyright = "2026, justice_schema developers"
release = justice_schema.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
    "myst_parser",
]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
myst_heading_anchors = 3

autodoc_typehints = "description"
autodoc_member_order = "bysource"
autodoc_default_options = {"members": True, "show-inheritance": False}
napoleon_google_docstring = True
napoleon_numpy_docstring = False

html_theme = "furo"
html_title = f"justice_schema {release}"


#: Functions of other subpackages that render generated pages: (module, function, file name).
GENERATED_PAGES: list[tuple[str, str, str]] = [
    ("justice_schema.versioning", "support_matrix_rst", "support-matrix.inc"),
    ("justice_schema.versioning", "rules_rst", "compatibility-rules.inc"),
    ("justice_schema.identity.docs", "rules_rst", "identity-rules.inc"),
    ("justice_schema.translation.docs", "translator_catalogue_rst", "translator-catalogue.rst"),
    ("justice_schema.validation.docs", "render_rule_catalogue", "rule-catalogue.inc"),
]


def _generate(app) -> None:  # type: ignore[no-untyped-def]
    target = HERE / "reference" / "generated"
    docgen.write_reference(target)
    import importlib

    for module_name, function_name, file_name in GENERATED_PAGES:
        text = getattr(importlib.import_module(module_name), function_name)()
        path = target / file_name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")


def setup(app) -> None:  # type: ignore[no-untyped-def]
    app.connect("builder-inited", _generate)
