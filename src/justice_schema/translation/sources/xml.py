"""XML reader: namespaced documents such as the NIEM-based NIBRS IEPD, one batch per record type.

A spec's ``[source]`` table names the namespaces by prefix, optionally a
*unit* (an element read whole and then freed, so large files stream: in a
NIBRS submission, each ``nibrs:Report``), and per record type the path of its
elements inside the unit and its fields::

    [source]
    format = "xml"
    unit = "nibrs:Submission/nibrs:Report"    # path from the document root
    id_attribute = "s:id"                     # the NIEM id of an object
    [source.namespaces]
    nibrs = "http://fbi.gov/cjis/nibrs/2019"
    nc = "http://release.niem.gov/niem/niem-core/3.0/"
    s = "http://release.niem.gov/niem/structures/3.0/"

    [source.records.arrest]
    path = "j:ArrestSubjectAssociation"       # relative to the unit
    [source.records.arrest.fields]
    arrest_transaction_number = "nc:Activity/@s:ref => nc:ActivityIdentification/nc:IdentificationID"
    sex = "j:Subject/@s:ref => nc:RoleOfPerson/@s:ref => j:PersonSexCode"
    ori = { from = "unit", path = "nibrs:ReportHeader/nibrs:ReportingAgency//nc:IdentificationID" }
    weapon = { path = "j:OffenseForce/j:ForceCategoryCode", repeat = 3 }   # weapon_1 .. weapon_3

The document's root element must be the first step of ``unit`` (or, without a
unit, the optional ``root = "prefix:name"``), in the namespace its prefix
names: a document with another root or namespace (another format, or another
version of it) raises :class:`~justice_schema.errors.InputError` naming the
file, the root found and the one expected, instead of giving no rows.

A field is a path expression, written as text or as a table with ``path``
and, optionally, ``from`` (``"record"``, the default; ``"unit"``; or
``"document"``, the root element as read so far: everything before the
current unit, and perhaps some of what follows it) and ``repeat`` (keep the first *n* values as
``<name>_1`` .. ``<name>_n``). A path expression is:

- an ElementTree path with namespace prefixes (``nc:ActivityDate/nc:Date``,
  ``.//nc:IdentificationID``), whose first match gives the value: the
  element's text, blanks removed, null when empty;
- optionally ending in ``@prefix:name`` (``nc:RoleOfPerson/@s:ref``) to take an
  attribute instead;
- followed by any number of NIEM reference hops:

  - ``=> PATH`` reads the current value as an id and continues from the
    element of the unit whose ``id_attribute`` equals it (``s:ref`` to ``s:id``);
  - ``<= ASSOC[REF] PATH`` continues from every element matching ``ASSOC``
    in the unit whose ``REF`` equals the current value (the associations that
    point *at* this record), in document order, then follows ``PATH`` from each
    (``.`` stays); a field without ``repeat`` keeps the first value reached.

Every batch carries ``_source_file``, ``_source_line`` (the line of the
record element's start tag), ``_source_unit`` (1-based ordinal of the unit in
the file: records of the same unit share it, so the spec can join them),
and ``_source_warning`` (a ``repeat`` field that had more values than it
keeps). A document that is not well-formed raises
:class:`~justice_schema.errors.InputError` naming file and line, since nothing
after that point can be trusted.

Parsing uses the standard library's expat (no external entities are fetched;
expat limits entity expansion), so no extra dependency is needed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any
from xml.parsers import expat

import attrs
import pyarrow as pa

from justice_schema.errors import InputError
from justice_schema.translation.sources import (
    SOURCE_FILE,
    SOURCE_LINE,
    SOURCE_UNIT,
    SOURCE_WARNING,
    SourceBatch,
    check_option_keys,
    register_reader,
)

__all__ = ["XmlOptions", "XmlRecord", "XmlField", "read_xml"]

#: Records collected before a batch is yielded.
DEFAULT_BATCH_ROWS = 50_000
_READ_BYTES = 1024 * 1024
XML_OPTIONS = {"namespaces", "unit", "id_attribute", "records", "batch_rows", "root"}

_REVERSE = re.compile(r"^(?P<assoc>[^\[]+)\[(?P<ref>[^\]]+)\](?P<rest>.*)$")


@attrs.frozen(slots=True)
class _Hop:
    """One step of a path expression."""

    kind: str  # "path", "id" (=>), "back" (<=)
    path: str = "."
    attribute: str | None = None
    assoc: str = ""
    ref: tuple[str, str | None] = ("", None)


@attrs.frozen(slots=True)
class XmlField:
    """A field of a record type: its column name, where it starts, and its hops."""

    name: str
    origin: str
    hops: tuple[_Hop, ...]
    repeat: int = 0

    def columns(self) -> tuple[str, ...]:
        """The column names this field fills."""
        if self.repeat:
            return tuple(f"{self.name}_{i}" for i in range(1, self.repeat + 1))
        return (self.name,)


@attrs.frozen(slots=True)
class XmlRecord:
    """A record type: the path of its elements inside the unit and its fields."""

    name: str
    path: str
    fields: tuple[XmlField, ...]


@attrs.frozen(slots=True)
class XmlOptions:
    """The ``[source]`` options of an XML spec, checked.

    Build it with :meth:`from_mapping`; a bad option raises
    :class:`~justice_schema.errors.InputError` naming the key.
    """

    namespaces: Mapping[str, str]
    records: tuple[XmlRecord, ...]
    unit: tuple[str, ...] | None = None
    id_attribute: str | None = None
    batch_rows: int = DEFAULT_BATCH_ROWS
    #: The root element every document must have (Clark spelling), from ``root`` or the unit's first step.
    root: str | None = None

    @classmethod
    def from_mapping(cls, options: Mapping[str, Any]) -> XmlOptions:
        """Check and convert the ``[source]`` table of a spec.

        >>> opts = XmlOptions.from_mapping({
        ...     "namespaces": {"a": "urn:a"},
        ...     "records": {"item": {"path": "a:item", "fields": {"name": "a:name"}}},
        ... })
        >>> opts.records[0].fields[0].columns()
        ('name',)
        """
        check_option_keys(options, XML_OPTIONS, "xml")
        raw_ns = options.get("namespaces", {})
        if not isinstance(raw_ns, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in raw_ns.items()
        ):
            raise InputError("a table of prefix = namespace URI", field="source.namespaces")
        namespaces = dict(raw_ns)
        unit = None
        if options.get("unit") is not None:
            unit = tuple(
                _clark(step, namespaces, "source.unit") for step in str(options["unit"]).split("/") if step
            )
            if not unit:
                raise InputError("an empty path", field="source.unit")
        id_attribute = None
        if options.get("id_attribute") is not None:
            id_attribute = _clark(str(options["id_attribute"]), namespaces, "source.id_attribute")
        raw_records = options.get("records")
        if not isinstance(raw_records, Mapping) or not raw_records:
            raise InputError("give at least one record type", field="source.records")
        records = []
        for name, raw in raw_records.items():
            key = f"source.records.{name}"
            if not isinstance(raw, Mapping) or not isinstance(raw.get("path"), str):
                raise InputError("a record type is a table with 'path' and 'fields'", field=key)
            _check_path(raw["path"], namespaces, f"{key}.path")
            raw_fields = raw.get("fields")
            if not isinstance(raw_fields, Mapping) or not raw_fields:
                raise InputError("give the fields as a table of name = path", field=f"{key}.fields")
            fields = tuple(
                _field(str(fname), spec, namespaces, id_attribute, f"{key}.fields.{fname}")
                for fname, spec in raw_fields.items()
            )
            seen: set[str] = set()
            for field in fields:
                for column in field.columns():
                    if column in seen:
                        raise InputError(f"column {column!r} is produced twice", field=f"{key}.fields")
                    seen.add(column)
            records.append(XmlRecord(str(name), raw["path"], fields))
        batch_rows = options.get("batch_rows", DEFAULT_BATCH_ROWS)
        if not isinstance(batch_rows, int) or isinstance(batch_rows, bool) or batch_rows < 1:
            raise InputError("a positive whole number", field="source.batch_rows")
        root = unit[0] if unit else None
        if options.get("root") is not None:
            root = _clark(str(options["root"]), namespaces, "source.root")
            if unit and unit[0] != root:
                raise InputError(f"source.unit starts at {options['unit']!r}, not at the root {options['root']!r}",
                                 field="source.root")
        return cls(namespaces, tuple(records), unit, id_attribute, batch_rows, root)


def _clark(name: str, namespaces: Mapping[str, str], key: str) -> str:
    """``prefix:local`` as ``{uri}local`` (ElementTree's spelling)."""
    name = name.strip()
    if ":" not in name:
        return name
    prefix, _, local = name.partition(":")
    if prefix not in namespaces:
        raise InputError(f"namespace prefix {prefix!r} is not declared in source.namespaces", field=key)
    return f"{{{namespaces[prefix]}}}{local}"


def _check_path(path: str, namespaces: Mapping[str, str], key: str) -> None:
    for prefix in re.findall(r"([A-Za-z_][\w.-]*):", path):
        if prefix not in namespaces:
            raise InputError(f"namespace prefix {prefix!r} is not declared in source.namespaces", field=key)
    try:
        ET.Element("probe").find(path, dict(namespaces)) if path.strip() else None
    except (SyntaxError, KeyError) as error:
        raise InputError(f"not a valid ElementTree path {path!r}: {error}", field=key) from None


def _split_attribute(path: str, namespaces: Mapping[str, str], key: str) -> tuple[str, str | None]:
    path = path.strip()
    if "@" not in path:
        return path or ".", None
    head, _, attribute = path.rpartition("@")
    head = head.rstrip("/") or "."
    _check_path(head, namespaces, key)
    return head, _clark(attribute, namespaces, key)


def _field(
    name: str, spec: Any, namespaces: Mapping[str, str], id_attribute: str | None, key: str
) -> XmlField:
    origin, repeat = "record", 0
    if isinstance(spec, Mapping):
        origin = str(spec.get("from", "record"))
        repeat = spec.get("repeat", 0)
        spec = spec.get("path")
        if origin not in ("record", "unit", "document"):
            raise InputError("'from' is record, unit or document", field=f"{key}.from")
        if not isinstance(repeat, int) or isinstance(repeat, bool) or repeat < 0:
            raise InputError("a whole number of values to keep", field=f"{key}.repeat")
    if not isinstance(spec, str) or not spec.strip():
        raise InputError("give a path expression", field=key)
    if name.startswith("_"):
        raise InputError("a field name may not start with '_'", field=key)
    hops: list[_Hop] = []
    tokens = re.split(r"\s+(=>|<=)\s+", spec.strip())
    first, attribute = _split_attribute(tokens[0], namespaces, key)
    _check_path(first, namespaces, key)
    hops.append(_Hop("path", first, attribute))
    for op, text in zip(tokens[1::2], tokens[2::2], strict=True):
        if id_attribute is None:
            raise InputError(f"'{op}' needs source.id_attribute (e.g. \"s:id\")", field=key)
        if op == "=>":
            path, attribute = _split_attribute(text, namespaces, key)
            _check_path(path, namespaces, key)
            hops.append(_Hop("id", path, attribute))
            continue
        match = _REVERSE.match(text.strip())
        if not match:
            raise InputError(f"'<=' is followed by ASSOC[REF] PATH, got {text!r}", field=key)
        assoc = match["assoc"].strip()
        _check_path(assoc, namespaces, key)
        ref = _split_attribute(match["ref"], namespaces, key)
        rest = match["rest"].strip().lstrip("/") or "."
        path, attribute = _split_attribute(rest, namespaces, key)
        _check_path(path, namespaces, key)
        hops.append(_Hop("back", path, attribute, assoc, ref))
    return XmlField(name, origin, tuple(hops), repeat)


def read_xml(paths: Sequence[Path], options: Mapping[str, Any]) -> Iterator[SourceBatch]:
    """Read XML files into one :class:`SourceBatch` per record type (and per batch of rows).

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "f.xml"
    >>> _ = path.write_text('<r xmlns="urn:a"><item><name> Ann </name></item><item/></r>')
    >>> opts = {"namespaces": {"a": "urn:a"},
    ...         "records": {"item": {"path": "a:item", "fields": {"name": "a:name"}}}}
    >>> [b.table.column("name").to_pylist() for b in read_xml([path], opts)]
    [['Ann', None]]
    """
    spec = XmlOptions.from_mapping(options)
    for path in paths:
        yield from _read_file(Path(path), spec)


register_reader("xml", read_xml)


class _Collector:
    """Rows per record type, flushed as batches."""

    def __init__(self, spec: XmlOptions, file_name: str) -> None:
        self.spec = spec
        self.file_name = file_name
        self.rows: dict[str, list[dict[str, Any]]] = {r.name: [] for r in spec.records}
        self.count = 0

    def add(self, record: str, row: dict[str, Any]) -> None:
        self.rows[record].append(row)
        self.count += 1

    def flush(self) -> Iterator[SourceBatch]:
        for record in self.spec.records:
            rows = self.rows[record.name]
            if not rows:
                continue
            columns: dict[str, pa.Array] = {}
            for field in record.fields:
                for column in field.columns():
                    columns[column] = pa.array([row.get(column) for row in rows], pa.string())
            columns[SOURCE_FILE] = pa.array([self.file_name] * len(rows), pa.string())
            columns[SOURCE_LINE] = pa.array([row[SOURCE_LINE] for row in rows], pa.int64())
            columns[SOURCE_UNIT] = pa.array([row[SOURCE_UNIT] for row in rows], pa.int64())
            columns[SOURCE_WARNING] = pa.array([row.get(SOURCE_WARNING) for row in rows], pa.string())
            yield SourceBatch(record_type=record.name, table=pa.table(columns))
            self.rows[record.name] = []
        self.count = 0


def _read_file(path: Path, spec: XmlOptions) -> Iterator[SourceBatch]:
    try:
        handle = path.open("rb")
    except OSError as error:
        raise InputError(f"cannot open: {error.strerror or error}", path=str(path)) from None
    builder = ET.TreeBuilder()
    lines: dict[int, int] = {}
    stack: list[ET.Element] = []
    tags: list[str] = []
    # (unit, document root, parent) as they stood when the unit ended.
    units: list[tuple[ET.Element, ET.Element, ET.Element | None]] = []
    parser = expat.ParserCreate(namespace_separator="}")

    def clark(name: str) -> str:
        return "{" + name if "}" in name else name

    def start(name: str, attrs_: dict[str, str]) -> None:
        if not stack and spec.root is not None and clark(name) != spec.root:
            raise InputError(_wrong_root(clark(name), spec), path=str(path), row=parser.CurrentLineNumber)
        element = builder.start(clark(name), {clark(k): v for k, v in attrs_.items()})
        lines[id(element)] = parser.CurrentLineNumber
        stack.append(element)
        tags.append(clark(name))

    def end(name: str) -> None:
        element = builder.end(clark(name))
        if spec.unit is not None and tuple(tags) == spec.unit:
            parent = stack[-2] if len(stack) > 1 else None
            units.append((element, stack[0], parent))
        stack.pop()
        tags.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    collector = _Collector(spec, str(path))
    unit_number = 0
    with handle:
        while True:
            try:
                block = handle.read(_READ_BYTES)
                parser.Parse(block, not block)
            except expat.ExpatError as error:
                raise InputError(
                    f"not well-formed XML: {expat.ErrorString(error.code)} (column {error.offset + 1})",
                    path=str(path),
                    row=error.lineno,
                ) from None
            for unit, root, parent in units:
                unit_number += 1
                _collect_unit(unit, root, unit_number, spec, lines, collector)
                if parent is not None:
                    parent.remove(unit)
                for element in unit.iter():
                    lines.pop(id(element), None)
                if collector.count >= spec.batch_rows:
                    yield from collector.flush()
            units.clear()
            if not block:
                break
    if spec.unit is None:
        root = builder.close()
        _collect_unit(root, root, 1, spec, lines, collector)
    yield from collector.flush()


def _namespace_and_name(clark_name: str) -> tuple[str | None, str]:
    if clark_name.startswith("{"):
        uri, _, local = clark_name[1:].partition("}")
        return uri, local
    return None, clark_name


def _wrong_root(found: str, spec: XmlOptions) -> str:
    """Why a document whose root is ``found`` is not what the spec reads (one line)."""
    assert spec.root is not None
    got_ns, got_name = _namespace_and_name(found)
    want_ns, want_name = _namespace_and_name(spec.root)

    def spelled(ns: str | None, name: str) -> str:
        return f"<{name}> in namespace {ns!r}" if ns else f"<{name}> in no namespace"

    return (f"the root element is {spelled(got_ns, got_name)}; this translator reads "
            f"{spelled(want_ns, want_name)} (is this the right file, or the right version of the format?)")


def _collect_unit(
    unit: ET.Element,
    root: ET.Element,
    number: int,
    spec: XmlOptions,
    lines: Mapping[int, int],
    collector: _Collector,
) -> None:
    ids: dict[str, ET.Element] = {}
    if spec.id_attribute is not None:
        for element in unit.iter():
            value = element.get(spec.id_attribute)
            if value is not None:
                ids.setdefault(value, element)
    context = _Context(unit, root, ids, spec.namespaces)
    for record in spec.records:
        if record.path.strip() in ("", "."):
            elements = [unit]
        else:
            elements = unit.findall(record.path, dict(spec.namespaces))
        for element in elements:
            row: dict[str, Any] = {
                SOURCE_LINE: lines.get(id(element), lines.get(id(unit), 0)),
                SOURCE_UNIT: number,
            }
            warnings = []
            for field in record.fields:
                values = context.evaluate(field, element)
                if field.repeat:
                    if len(values) > field.repeat:
                        warnings.append(
                            f"{field.name}: {len(values)} values, only the first {field.repeat} kept"
                        )
                    for index, value in enumerate(values[: field.repeat], start=1):
                        row[f"{field.name}_{index}"] = value
                else:
                    row[field.name] = values[0] if values else None
            if warnings:
                row[SOURCE_WARNING] = "; ".join(warnings)
            collector.add(record.name, row)


@attrs.frozen(slots=True)
class _Context:
    unit: ET.Element
    root: ET.Element
    ids: Mapping[str, ET.Element]
    namespaces: Mapping[str, str]

    def evaluate(self, field: XmlField, record: ET.Element) -> list[str]:
        """The non-empty values the field's expression reaches, in document order."""
        start = {"record": record, "unit": self.unit, "document": self.root}[field.origin]
        values = self._select(start, field.hops[0])
        for hop in field.hops[1:]:
            reached: list[str] = []
            for value in values:
                if hop.kind == "id":
                    target = self.ids.get(value)
                    if target is not None:
                        reached.extend(self._select(target, hop))
                else:
                    for candidate in self.unit.findall(hop.assoc, dict(self.namespaces)):
                        refs = self._select(candidate, _Hop("path", hop.ref[0], hop.ref[1]))
                        if value in refs:
                            reached.extend(self._select(candidate, hop))
            values = reached
        return values

    def _select(self, element: ET.Element, hop: _Hop) -> list[str]:
        if hop.path in ("", "."):
            found = [element]
        else:
            found = element.findall(hop.path, dict(self.namespaces))
        values = []
        for item in found:
            raw = item.get(hop.attribute) if hop.attribute is not None else item.text
            if raw is not None and raw.strip():
                values.append(raw.strip())
        return values
