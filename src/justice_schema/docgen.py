"""Render reference documentation pages (reStructuredText) from the models and code tables.

The docs describe every entity, field and code list from the same source the
code uses, so they can never drift from it. ``docs/conf.py`` calls
:func:`write_reference` when Sphinx starts; the functions are usable on their
own, e.g. to print the reference of one entity::

    >>> from justice_schema.docgen import render_entity
    >>> print(render_entity("arrest").splitlines()[2])
    Arrest
"""

from __future__ import annotations

import re
import typing
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from justice_schema._toolkit.annotations import strip_annotated, unwrap
from justice_schema._toolkit.rst import list_table
from justice_schema.arrow import model_fields_as_of
from justice_schema.codes import code_table, code_table_names
from justice_schema.flat import flat_columns
from justice_schema.registry import CURRENT_SCHEMA_VERSION, SCHEMA_VERSIONS, entity_types, model_for
from justice_schema.v1 import field_sensitivity, field_since

__all__ = ["render_entity", "render_values", "render_code_lists", "render_entity_index", "write_reference"]


def _heading(text: str, char: str) -> str:
    return f"{text}\n{char * len(text)}\n"


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _plain(text: str | None) -> str:
    """Data text (code descriptions, sources) escaped so reStructuredText shows it as written."""
    escaped = _one_line(text).replace("\\", "\\\\")
    for char in "*`|":
        escaped = escaped.replace(char, "\\" + char)
    return re.sub(r"(\w)_(?=\W|$)", r"\1\\_", escaped)


def _type_text(annotation: Any) -> str:
    inner = unwrap(annotation).bare
    origin = typing.get_origin(inner)
    if origin is typing.Literal:
        text = " | ".join(repr(a) for a in typing.get_args(inner))
    elif origin in (tuple, list):
        (item,) = [a for a in typing.get_args(inner) if a is not Ellipsis]
        text = f"list of {_type_text(item)}"
    elif isinstance(inner, type) and issubclass(inner, Enum):
        text = f"code: :ref:`{inner.__name__} <code-{getattr(inner, '__code_table__', '')}>`"
    elif isinstance(inner, type) and issubclass(inner, BaseModel):
        text = f":ref:`{inner.__name__} <model-{inner.__name__.lower()}>`"
    elif isinstance(inner, type):
        text = {"str": "text", "int": "integer", "float": "number", "bool": "true/false",
                "date": "date (YYYY-MM-DD)", "datetime": "instant (UTC)"}.get(inner.__name__, inner.__name__)
    else:
        text = str(inner)
    return text


def _constraint_text(annotation: Any) -> str:
    found: list[str] = []

    def visit(node: Any) -> None:
        if typing.get_origin(node) is typing.Annotated:
            for meta in typing.get_args(node)[1:]:
                for item in getattr(meta, "metadata", [meta]):
                    for key, label in (("pattern", "pattern"), ("max_length", "max length"), ("ge", "≥"), ("le", "≤")):
                        value = getattr(item, key, None)
                        if value is not None:
                            found.append(f"{label} ``{value}``" if key == "pattern" else f"{label} {value}")
            visit(typing.get_args(node)[0])
        elif typing.get_origin(node) in (typing.Union, __import__("types").UnionType):
            for arg in typing.get_args(node):
                visit(arg)

    visit(annotation)
    return "; ".join(dict.fromkeys(found))


def _required_text(name: str, info: Any) -> str:
    if name in ("entity_type", "schema_version"):
        return "fixed"
    return "yes" if info.is_required() else "no"


def _field_table(model: type[BaseModel], version: str) -> list[str]:
    rows = []
    for name, info in model_fields_as_of(model, version).items():
        description = _one_line(info.description)
        constraint = _constraint_text(info.annotation)
        if constraint:
            description += f" ({constraint})"
        added = field_since(model, name)
        if added != SCHEMA_VERSIONS[0]:
            description += f" *Added in schema {added}.*"
        rows.append((f"``{name}``", _type_text(info.annotation), _required_text(name, info),
                     field_sensitivity(model, name).value, description))
    return list_table(("Field", "Type", "Required", "Sensitivity", "Description"), rows, (22, 18, 8, 10, 42)) + [""]


def _nested_models(model: type[BaseModel], seen: dict[str, type[BaseModel]]) -> None:
    for info in model.model_fields.values():
        def visit(node: Any) -> None:
            node = strip_annotated(node)
            if typing.get_origin(node) is not None:
                for arg in typing.get_args(node):
                    if arg is not Ellipsis:
                        visit(arg)
            elif isinstance(node, type) and issubclass(node, BaseModel) and node.__name__ not in seen:
                seen[node.__name__] = node
                _nested_models(node, seen)
        visit(info.annotation)


def render_entity(entity_type: str, schema_version: str = CURRENT_SCHEMA_VERSION) -> str:
    """The reference page of one entity: description, fields, nested values and flat columns."""
    model = model_for(entity_type, schema_version)
    out = [f".. _model-{model.__name__.lower()}:", "", _heading(model.__name__, "=")]
    out += [_one_line_paragraphs(model.__doc__), ""]
    out += [f"``entity_type``: ``{entity_type}`` · JSON Schema ``$id``: "
            f"``urn:justice-schema:{schema_version}:{entity_type}``", ""]
    if SCHEMA_VERSIONS[0] != model.SINCE:
        out += [f"*Added in schema {model.SINCE}*: the entity does not exist in earlier versions, and a "
                f"downgrade below {model.SINCE} refuses its records.", ""]
    out += ["The sensitivity column gives each field's class (public, internal, personal, sensitive; see "
            ":ref:`sensitivity-classes`); a nested value is classed at least as strictly as its strictest part.", ""]
    out += [_heading("Fields", "-")] + _field_table(model, schema_version)
    out += [_heading("Flat layout", "-"),
            "Columns of the flat (CSV / Parquet) layout, in order. Repeated values are JSON arrays.", ""]
    out += list_table(("Column", "Arrow type", "Required"),
                      [(f"``{column.name}``", f"``{column.type}``", "yes" if column.required else "no")
                       for column in flat_columns(entity_type, schema_version)], (30, 20, 10))
    return "\n".join(out) + "\n"


def render_values(schema_version: str = CURRENT_SCHEMA_VERSION) -> str:
    """The page of nested values shared by the entities (source, address, age, sentence...)."""
    nested: dict[str, type[BaseModel]] = {}
    for entity in entity_types(schema_version):
        _nested_models(model_for(entity, schema_version), nested)
    out = [_heading("Nested values", "="),
           "Values that live inside records. In the Arrow form they are structs (lists of structs when "
           "repeated); in the flat layout a single value becomes ``<field>_<part>`` columns and a repeated "
           "one a JSON array column.", ""]
    for name, sub in sorted(nested.items()):
        out += [f".. _model-{name.lower()}:", "", _heading(name, "-"), _one_line_paragraphs(sub.__doc__), ""]
        out += _field_table(sub, schema_version)
    return "\n".join(out) + "\n"


def _one_line_paragraphs(doc: str | None) -> str:
    paragraphs = [" ".join(p.split()) for p in (doc or "").strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def render_code_lists() -> str:
    """The page listing every code list: title, standard, data element, source and codes."""
    out = [_heading("Code lists", "="),
           "Every coded field takes its values from one of these lists. The value is the standard's own "
           "code (the FBI NIBRS code where NIBRS defines the element); the ``*_raw`` twin of the field keeps "
           "the source's text. Generated from the tables in ``justice_schema/codes/tables``.", ""]
    for name in code_table_names():
        table = code_table(name)
        out += [f".. _code-{name}:", "", _heading(f"{table.title} (``{name}``)", "-")]
        element = f", {table.data_element}" if table.data_element else ""
        out += [f"Standard: {_plain(table.standard)}{element}.", "", f"Source: {_plain(table.source)}", ""]
        rows = []
        for entry in table.entries:
            dated = []
            if entry.introduced:
                dated.append(f"introduced in {table.standard} {entry.introduced}")
            if entry.retired:
                dated.append(f"retired in {table.standard} {entry.retired}")
            note = f" *({'; '.join(dated)})*" if dated else ""
            rows.append((f"``{entry.code}``", f"{_plain(entry.description)}{note}"))
        out += list_table(("Code", "Meaning"), rows, (15, 85)) + [""]
    return "\n".join(out) + "\n"


def render_entity_index(schema_version: str = CURRENT_SCHEMA_VERSION) -> str:
    """The index page of the entity reference, with a toctree of one page per entity."""
    out = [_heading(f"Entities (schema {schema_version})", "="),
           "One page per canonical entity, generated from the pydantic models.", "",
           ".. toctree::", "   :maxdepth: 1", ""]
    out += [f"   {entity}" for entity in entity_types(schema_version)]
    out += ["   values", "   codes", ""]
    return "\n".join(out) + "\n"


def write_reference(folder: str | Path) -> list[Path]:
    """Write the generated reference pages into ``folder``; return the paths written.

    Files are rewritten only when their text changes, so Sphinx rebuilds stay incremental.
    """
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    pages = {"index.rst": render_entity_index(), "codes.rst": render_code_lists(), "values.rst": render_values()}
    pages.update({f"{entity}.rst": render_entity(entity) for entity in entity_types()})
    written = []
    for name, text in pages.items():
        path = target / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
