"""The registry of expression kinds: the one place a kind of the mapping language is declared.

An expression in a spec is a TOML table naming exactly one *kind* (``{ date = "DOB",
formats = ["%m/%d/%Y"] }``). Each kind is registered here once, with

* its **options**: the JSON Schema of each key it takes, its own key first, each with a
  description (the published ``mapping-spec.schema.json`` is built from them by
  :mod:`~justice_schema.translation.spec_schema`);
* which options are **required** besides its own key;
* a one-line **doc** (the generated translator catalogue's table and the kind key's
  description in the JSON Schema);
* whether it **parses** text (``case`` and ``null_if`` then apply to the text as read);
* its **compile function**: spec table to expression step
  (:mod:`~justice_schema.translation.compiler` dispatches through :func:`get_kind`).

To add a kind, write its :class:`~justice_schema.translation.expressions.Step` in
``expressions.py`` and register it below with :func:`_kind`; the JSON Schema, the compiler
and the generated catalogue follow. Describe it in ``docs/mapping-spec.rst`` and give it a
test spec in ``tests/translate/kind_samples.py`` (``tests/translate/test_kinds.py`` fails
until both exist), then rewrite the published ``mapping-spec.schema.json`` with
``PYTHONPATH=src python tools/write_mapping_spec_schema.py``.

The registry is closed: kinds are part of the language (``spec_version``), not plugins; the
escape hatch for a vendor's own logic is a registered transform
(:func:`~justice_schema.translation.register_transform`).
"""

from __future__ import annotations

import copy
import zoneinfo
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

import attrs

from justice_schema.codes import code_table, code_table_names
from justice_schema.translation import expressions as ex
from justice_schema.translation.expressions import CompiledMap, Condition, Step
from justice_schema.translation.transforms import get_transform, transform_names

__all__ = [
    "CONDITION_REF",
    "EXPRESSION_REF",
    "MODIFIERS",
    "CompileFunction",
    "Kind",
    "KindContext",
    "SpecErrors",
    "get_kind",
    "kind_names",
    "kinds",
    "names_a_kind",
    "schema_text",
]

#: JSON Schema reference to an expression (where an option is itself an expression).
EXPRESSION_REF: Mapping[str, Any] = MappingProxyType({"$ref": "#/$defs/expression"})
#: JSON Schema reference to a condition.
CONDITION_REF: Mapping[str, Any] = MappingProxyType({"$ref": "#/$defs/condition"})
_EXPR = dict(EXPRESSION_REF)
_COND = dict(CONDITION_REF)
_STRINGS: dict[str, Any] = {"type": "array", "items": {"type": "string"}}
_SCALAR: dict[str, Any] = {"type": ["string", "integer", "number", "boolean"]}
_UNMAPPED: dict[str, Any] = {"enum": ["reject", "unknown", "keep_raw_warn"]}
_FORMATS: dict[str, Any] = {**_STRINGS, "minItems": 1}

#: Keys any expression may carry, applied in this order after the kind (JSON Schema per key).
MODIFIERS: Mapping[str, Mapping[str, Any]] = MappingProxyType({
    "trim": {"type": "boolean"},
    "case": {"enum": ["upper", "lower", "title"]},
    "null_if": _STRINGS,
    "default": _SCALAR,
})


class SpecErrors(Protocol):
    """What a compile function needs of the spec being compiled (a :class:`~justice_schema.translation.Spec`)."""

    @property
    def data(self) -> Mapping[str, Any]:
        """The spec's TOML content."""
        ...  # pragma: no cover - interface

    def error(self, key: Any, problem: str) -> Exception:
        """An error naming the spec file, ``key`` (a path tuple) and ``problem``, to raise."""
        ...  # pragma: no cover - interface

    @property
    def base_dir(self) -> Path | None:
        """The folder of the spec file (relative paths in a spec are read from it), if it has one."""
        ...  # pragma: no cover - interface


class KindContext(Protocol):
    """What a kind's compile function may use of the compiler compiling a spec."""

    @property
    def spec(self) -> SpecErrors:
        """The spec being compiled (``spec.error(key, problem)`` makes an error naming the key)."""
        ...  # pragma: no cover - interface

    @property
    def timezone(self) -> str:
        """The translator's IANA time zone (``[translator] timezone``)."""
        ...  # pragma: no cover - interface

    @property
    def maps(self) -> Mapping[str, CompiledMap]:
        """The compiled ``[maps.<name>]`` tables."""
        ...  # pragma: no cover - interface

    @property
    def params(self) -> Mapping[str, str]:
        """The parameter values the translator runs with (defaults filled in)."""
        ...  # pragma: no cover - interface

    @property
    def in_each(self) -> bool:
        """Whether the block being compiled has ``each`` (or is inside ``items``): ``index`` is allowed."""
        ...  # pragma: no cover - interface

    def expr(self, node: Any, key: tuple[Any, ...], label: str) -> Step:
        """Compile the expression ``node`` found at ``key`` (errors name the key)."""
        ...  # pragma: no cover - interface

    def condition(self, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Condition:
        """Compile the condition ``node`` found at ``key``."""
        ...  # pragma: no cover - interface

    def parsed_input(self, node: Mapping[str, Any], kind: str, key: tuple[Any, ...], label: str) -> Step:
        """The input ``node[kind]`` of a parsing kind, with ``case``/``null_if`` applied to its text."""
        ...  # pragma: no cover - interface


#: A kind's compile function: ``(context, spec table, key of the table, field label) -> step``.
CompileFunction = Callable[[KindContext, Mapping[str, Any], tuple[Any, ...], str], Step]


def schema_text(rst: str) -> str:
    """``rst`` (a doc with ````literal```` markup) as plain text for a JSON Schema description."""
    return rst.replace("``", "`")


@attrs.frozen(slots=True)
class Kind:
    """One kind of expression of the mapping language.

    ``options`` maps each key the kind takes (its own name first) to the key's JSON
    Schema; ``required`` names the options that must be given besides the kind's key;
    ``doc`` is one line of reStructuredText; ``parses`` marks kinds that read text
    (``case`` and ``null_if`` apply before parsing); ``compile`` turns a checked spec
    table into a :class:`~justice_schema.translation.expressions.Step`.
    """

    name: str
    options: Mapping[str, Mapping[str, Any]] = attrs.field(repr=False)
    required: tuple[str, ...]
    doc: str
    compile: CompileFunction = attrs.field(repr=False)
    parses: bool = False

    def property_schemas(self) -> dict[str, dict[str, Any]]:
        """The JSON Schema of each option; the kind's own key is described by :attr:`doc`."""
        found = {name: copy.deepcopy(dict(schema)) for name, schema in self.options.items()}
        found[self.name].setdefault("description", schema_text(self.doc))
        return found


_KINDS: dict[str, Kind] = {}


def _kind(name: str, options: Mapping[str, Mapping[str, Any]], doc: str, *, required: tuple[str, ...] = (),
          parses: bool = False) -> Callable[[CompileFunction], CompileFunction]:
    """Register the decorated compile function as kind ``name`` (its options: the kind's key first)."""

    def register(function: CompileFunction) -> CompileFunction:
        if name in _KINDS:
            raise ValueError(f"expression kind {name!r} is registered twice")
        if next(iter(options)) != name or not set(required) <= set(options) - {name}:
            raise ValueError(f"expression kind {name!r}: its own key comes first and required options "
                             "must be among its options")
        clashes = set(options) & set(MODIFIERS)
        if clashes:
            raise ValueError(f"expression kind {name!r}: option(s) {sorted(clashes)} are modifiers")
        _KINDS[name] = Kind(name, MappingProxyType(dict(options)), required, doc, function, parses)
        return function

    return register


def kinds() -> tuple[Kind, ...]:
    """Every expression kind, in the order the language documents them."""
    return tuple(_KINDS.values())


def kind_names() -> tuple[str, ...]:
    """The names of every expression kind, in registry order."""
    return tuple(_KINDS)


def get_kind(name: str) -> Kind | None:
    """The kind called ``name``, or ``None`` when the language has no such kind."""
    return _KINDS.get(name)


def names_a_kind(node: Any) -> bool:
    """Whether ``node`` is a table with a key naming an expression kind (else it is plain data)."""
    return isinstance(node, Mapping) and any(key in _KINDS for key in node)


def _time_zone(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], hint: str) -> str:
    tz = str(node.get("timezone", context.timezone))
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise context.spec.error(key + ("timezone",), f"{tz!r} is not an IANA time zone{hint}") from None
    return tz


def _parts(context: KindContext, node: Mapping[str, Any], kind: str, key: tuple[Any, ...],
           label: str) -> tuple[Step, ...]:
    return tuple(context.expr(p, key + (kind, i), label) for i, p in enumerate(node[kind]))


# -- the kinds, in the documented order ------------------------------------------------------------

@_kind("column", {"column": {"type": "string", "minLength": 1}},
       "A source column (or ``name.column`` of a joined input, or ``array.field`` of an array item). "
       "Trimmed; blank text is null. A bare string is short for ``{ column = ... }``.")
def _column(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    return ex.Column(node["column"], trim=bool(node.get("trim", True)))


@_kind("const", {"const": _SCALAR}, "The same value on every row.")
def _const(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    return ex.Const(node["const"])


@_kind("concat", {"concat": {"type": "array", "items": _EXPR, "minItems": 1},
                  "sep": {"type": "string", "description": "put between the parts (default: nothing)"}},
       "Parts joined with ``sep``; missing parts are skipped.")
def _concat(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    return ex.Concat(_parts(context, node, "concat", key, label), node.get("sep", ""))


@_kind("coalesce", {"coalesce": {"type": "array", "items": _EXPR, "minItems": 1}},
       "The first part that is not null.")
def _coalesce(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    return ex.Coalesce(_parts(context, node, "coalesce", key, label))


@_kind("name", {"name": _EXPR, "part": {"enum": ["family", "given", "middle", "suffix"],
                                        "description": "which part of the name"}},
       "A part (family, given, middle, suffix) of a ``LAST, FIRST MIDDLE`` name.", required=("part",))
def _name(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    return ex.NamePart(context.expr(node["name"], key + ("name",), label), node["part"])


@_kind("date", {"date": _EXPR, "formats": {**_FORMATS, "description": "strptime formats, tried in order; none "
                                                                       "may carry an offset (%z or Z)"}},
       "Text to a date with explicit strptime ``formats``, tried in order; impossible days are rejected; "
       "formats with an offset are refused (use ``local_date``).", required=("formats",), parses=True)
def _date(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    for i, fmt in enumerate(node["formats"]):
        if ex.carries_offset(fmt):
            raise context.spec.error(key + ("formats", i), f"{fmt!r} reads an instant (it has %z or Z), whose "
                                     "calendar date depends on the time zone; use { local_date = ..., "
                                     "formats = [...], timezone = \"America/Denver\" }")
    return ex.ParseDate(context.parsed_input(node, "date", key, label), tuple(node["formats"]), label)


@_kind("datetime", {"datetime": _EXPR,
                    "formats": {**_FORMATS, "description": "strptime formats, tried in order (%z reads an offset)"},
                    "timezone": {"type": "string", "description": "IANA time zone of local times (default: the "
                                                                  "translator's)"}},
       "Text to an instant: ``%z`` reads the offset in the text, a literal ``Z`` means UTC, other "
       "text is local time in the translator's (or the given) time zone.", required=("formats",), parses=True)
def _datetime(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    tz = _time_zone(context, node, key, "")
    return ex.ParseDatetime(context.parsed_input(node, "datetime", key, label), tuple(node["formats"]), tz, label)


@_kind("local_date", {"local_date": _EXPR,
                      "timezone": {"type": "string", "description": "IANA time zone whose calendar is meant "
                                                                    "(default: the translator's)"},
                      "formats": {**_FORMATS, "description": "for text input: strptime formats, each with an "
                                                             "offset (%z or Z)"}},
       "The calendar date of an instant in an IANA time zone (default: the translator's): the input "
       "is a ``datetime`` or text read with ``formats`` that carry the offset (``%z`` or ``Z``).", parses=True)
def _local_date(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    tz = _time_zone(context, node, key, " such as 'America/Denver'")
    inner = context.parsed_input(node, "local_date", key, label)
    formats = tuple(node.get("formats", ()))
    if inner.out == "timestamp":
        if formats:
            raise context.spec.error(key + ("formats",), "the value is an instant already; formats are for text")
    elif inner.out in ("string", "any"):
        if not formats:
            raise context.spec.error(key, "local_date of text needs formats with the offset, e.g. "
                                          "[\"%Y-%m-%dT%H:%M:%S%z\"]")
        for i, fmt in enumerate(formats):
            if not ex.carries_offset(fmt):
                raise context.spec.error(key + ("formats", i), f"{fmt!r} has no offset (%z or Z): a local time "
                                         "is already on the agency's calendar; use { date = ... }")
    else:
        raise context.spec.error(key + ("local_date",), f"local_date needs an instant or text; the expression "
                                                        f"gives {inner.out} values")
    return ex.LocalDate(inner, formats, tz, label)


@_kind("map", {"map": _EXPR, "using": {"type": "string", "description": "the name of a [maps.<name>] table"}},
       "Vendor words or codes to canonical codes through a ``[maps.<using>]`` table.", required=("using",),
       parses=True)
def _map(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    name = node["using"]
    if name not in context.maps:
        raise context.spec.error(key + ("using",), f"no map {name!r} in [maps]; defined: "
                                                    f"{', '.join(sorted(context.maps)) or 'none'}")
    return ex.MapValues(context.parsed_input(node, "map", key, label), context.maps[name], label)


@_kind("lookup", {
    "lookup": _EXPR,
    "table": {"type": "string", "description": "a code table of the library (e.g. ucr_offense)"},
    "by": {"enum": ["description", "code"], "description": "match the text to descriptions (default) or codes"},
    "unmapped": {**_UNMAPPED, "description": "what an unmatched value does (default: reject the row)"},
    "unknown": {"type": "string", "description": "the code for unmatched values when unmapped = \"unknown\""},
    "synonyms": {"type": "object", "additionalProperties": {"type": "string"},
                 "description": "extra words and the code each stands for"},
}, "A code-table lookup by description (or by code), with ``synonyms`` and an unmapped policy.",
    required=("table",), parses=True)
def _lookup(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    return ex.MapValues(context.parsed_input(node, "lookup", key, label), _lookup_table(context, node, key), label)


def _lookup_table(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...]) -> CompiledMap:
    name = node["table"]
    if name not in code_table_names():
        raise context.spec.error(key + ("table",), f"no code table {name!r}; known: {', '.join(code_table_names())}")
    table = code_table(name)
    by = node.get("by", "description")
    values = {(e.description if by == "description" else e.code): e.code for e in table.entries}
    for word, code in node.get("synonyms", {}).items():
        if code not in table.codes:
            raise context.spec.error(key + ("synonyms", word), f"{code!r} is not a code of table {name!r}")
        values[word] = code
    policy = node.get("unmapped", "reject")
    unknown = node.get("unknown")
    if policy == "unknown" and unknown is None:
        raise context.spec.error(key, "unmapped = \"unknown\" needs unknown = \"<code>\"")
    return CompiledMap.build(f"lookup:{name}", values, policy, unknown)


@_kind("if", {"if": _COND, "then": {**_EXPR, "description": "the value where the condition holds"},
              "else": {**_EXPR, "description": "the value elsewhere (default: null)"}},
       "A conditional: ``then`` where the condition holds, ``else`` (or null) elsewhere.", required=("then",))
def _if(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    test = context.condition(node["if"], key + ("if",), label)
    other = context.expr(node["else"], key + ("else",), label) if "else" in node else None
    return ex.IfElse(test, context.expr(node["then"], key + ("then",), label), other)


@_kind("transform", {"transform": {"type": "string"},
                     "args": {"type": "array", "items": _EXPR, "description": "the function's input arrays"},
                     "options": {"type": "object", "description": "keyword arguments of the function"}},
       "A registered Python function (the escape hatch), given ``args`` and ``options``.")
def _transform(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    name = node["transform"]
    function = get_transform(name)
    if function is None:
        raise context.spec.error(key + ("transform",), f"no transform {name!r} is registered; registered: "
                                                        f"{', '.join(transform_names()) or 'none'}")
    args = tuple(context.expr(a, key + ("args", i), label) for i, a in enumerate(node.get("args", ())))
    return ex.Transform(name, function, args, tuple(sorted(node.get("options", {}).items())), label)


@_kind("id", {"id": {"type": "array", "items": _EXPR, "minItems": 1},
              "prefix": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._:-]*$",
                         "description": "written before the key parts, e.g. acme-rms:person"}},
       "A deterministic record id: ``prefix:key1:key2`` from source keys.")
def _id(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    return ex.MakeId(_parts(context, node, "id", key, label), node.get("prefix", ""), label)


@_kind("int", {"int": _EXPR}, "Text to a whole number; other text rejects the row.", parses=True)
def _int(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    return ex.ToInt(context.parsed_input(node, "int", key, label), label)


@_kind("number", {"number": _EXPR}, "Text to a decimal number; other text rejects the row.", parses=True)
def _number(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    return ex.ToNumber(context.parsed_input(node, "number", key, label), label)


@_kind("bool", {"bool": _EXPR,
                "true": {**_STRINGS, "description": "words meaning yes (default: Y YES TRUE T 1)"},
                "false": {**_STRINGS, "description": "words meaning no (default: N NO FALSE F 0)"}},
       "Yes/no words to true/false (``true``/``false`` word lists).", parses=True)
def _bool(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    return ex.ToBool(context.parsed_input(node, "bool", key, label), tuple(node.get("true", ex.DEFAULT_TRUE)),
                     tuple(node.get("false", ex.DEFAULT_FALSE)), label)


@_kind("regex", {"regex": _EXPR, "pattern": {"type": "string", "description": "an RE2 regular expression"},
                 "group": {"type": ["integer", "string"], "description": "the group's number or name (default 1)"}},
       "The part of the text a regex group matches (RE2 syntax).", required=("pattern",))
def _regex(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    return ex.Regex(context.expr(node["regex"], key + ("regex",), label), node["pattern"], node.get("group", 1))


@_kind("index", {"index": {"const": True}},
       "The 1-based number of the item in ``each.repeat`` / ``each.array`` / ``items``.")
def _index(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    if not context.in_each:
        raise context.spec.error(key + ("index",), "index is the item number within each.repeat or each.array; "
                                                   "this entity has no each")
    return ex.ItemIndex()


@_kind("split", {"split": _EXPR, "sep": {"type": "string", "minLength": 1, "description": "the separator"}},
       "Text split on ``sep`` into a list.", required=("sep",))
def _split(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    return ex.Split(context.expr(node["split"], key + ("split",), label), node["sep"])


@_kind("source", {"source": {"enum": ["file", "line", "record_type"]}},
       "The row's ``file``, ``line`` number or ``record_type``.")
def _source(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    return ex.SourceInfo(node["source"])


@_kind("param", {"param": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}},
       "A translator parameter declared in ``[params]`` and given when the translator is made.")
def _param(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    name = node["param"]
    declared = context.spec.data.get("params", {})
    if name not in declared:
        raise context.spec.error(key + ("param",), f"no parameter {name!r} in [params]; declared: "
                                                    f"{', '.join(sorted(declared)) or 'none'}")
    return ex.Param(name, context.params.get(name))


@_kind("rank", {
    "rank": {"type": "array", "items": _EXPR},
    "order": {"type": "array", "minItems": 1, "items": {"anyOf": [
        _EXPR,
        {"type": "object", "required": ["value"], "additionalProperties": False,
         "properties": {"value": _EXPR, "descending": {"type": "boolean"}}},
    ]}, "description": "sort keys: expressions (ascending) or { value, descending }; nulls last"},
    "ties": {"enum": ["row_number", "min", "dense"], "description": "how equal rows are numbered "
                                                                     "(default: row_number)"},
}, "The 1-based place of each row within its group (``rank`` expressions), sorted by ``order`` "
   "(expressions or ``{ value, descending }``); ``ties``: row_number, min or dense.", required=("order",))
def _rank(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    by = _parts(context, node, "rank", key, label)
    order = []
    for i, item in enumerate(node["order"]):
        here = key + ("order", i)
        if isinstance(item, dict) and not names_a_kind(item):
            extra = sorted(set(item) - {"value", "descending"})
            if extra or "value" not in item:
                raise context.spec.error(here, "an order item is an expression or { value = <expression>, "
                                               "descending = true }"
                                               + (f"; unknown key(s): {', '.join(extra)}" if extra else ""))
            order.append((context.expr(item["value"], here + ("value",), label), bool(item.get("descending"))))
        else:
            order.append((context.expr(item, here, label), False))
    return ex.Rank(by, tuple(order), node.get("ties", "row_number"))


@_kind("classify_offense", {
    "classify_offense": _EXPR,
    "statute": {**_EXPR, "description": "the statute citation (optional)"},
    "state": {"type": "string", "pattern": "^[A-Za-z]{2}$",
              "description": "two-letter state code: the citation parser to use"},
    "output": {"enum": list(ex.OFFENSE_OUTPUTS), "description": "which level of the classification to give "
                                                                  "(default: nibrs_code)"},
    "crosswalk": {"type": "string", "minLength": 1,
                  "description": "a statute crosswalk CSV (state,statute,ncrp_category,...), relative to the spec"},
}, "The offense classification of a description and/or ``statute`` (NIBRS code, NCRP category, UCCS type, "
   "severity, ``severity_rank`` for the most serious charge...), one ``output`` level; unclassified texts "
   "give null and are counted as unmapped.")
def _classify_offense(context: KindContext, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Step:
    description = node["classify_offense"]
    desc = None if description is None or description == "" else context.expr(description, key + ("classify_offense",),
                                                                               label)
    statute = context.expr(node["statute"], key + ("statute",), label) if "statute" in node else None
    if desc is None and statute is None:
        raise context.spec.error(key, "classify_offense needs a description, a statute, or both")
    state = node.get("state")
    crosswalk = None
    if "crosswalk" in node:
        from justice_schema.errors import InputError
        from justice_schema.offenses import load_crosswalk, load_vocabulary

        path = Path(node["crosswalk"])
        base = context.spec.base_dir
        if not path.is_absolute() and base is not None:
            path = base / path
        if not path.is_file():
            raise context.spec.error(key + ("crosswalk",), f"no crosswalk file {str(path)!r}")
        try:
            crosswalk = load_crosswalk(path, load_vocabulary())
        except InputError as exc:
            raise context.spec.error(key + ("crosswalk",), str(exc)) from None
    return ex.ClassifyOffense(desc, statute, state.upper() if state else None, node.get("output", "nibrs_code"), label,
                              crosswalk)
