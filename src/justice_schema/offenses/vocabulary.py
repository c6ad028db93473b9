"""The offense vocabulary: rules as data, loaded from a versioned TOML file and a category table.

The default vocabulary ships in ``offenses/data/vocabulary.toml`` (rewrites, abbreviations,
modifier and severity patterns, statute-citation parsers per state, classification rules) with
``offenses/data/categories.csv`` (each NCRP charge category with its UCCS broad type and
category, its default NIBRS code and its seriousness order). A state replaces or extends it by
passing its own file to :func:`load_vocabulary`. Every problem in a vocabulary file is an
:class:`~justice_schema.errors.InputError` naming the file and the key.

    >>> vocabulary = load_vocabulary()
    >>> vocabulary.version
    '2026.12.0'
    >>> vocabulary.category("MURDER").uccs_broad_type
    'VIOLENT'
"""

from __future__ import annotations

import csv
import os
import re
import tomllib
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.codes import code_table
from justice_schema.errors import InputError
from justice_schema.files import reading

__all__ = ["Category", "Rule", "SeverityPattern", "StatuteParser", "Vocabulary", "load_vocabulary",
           "SEVERITIES", "DEGREES"]

#: Severity classes a classification may give (the canonical ``charge_severity`` codes).
SEVERITIES = ("FELONY", "MISDEMEANOR", "INFRACTION")
#: Degrees or classes (the canonical ``charge_degree`` codes).
DEGREES = tuple(e.code for e in code_table("charge_degree").entries if e.code != "UNKNOWN")
_NIBRS = frozenset(e.code for e in code_table("ucr_offense").entries)
_MACRO = re.compile(r"\{([A-Z_]+)\}")


@attrs.frozen(slots=True)
class Category:
    """One NCRP charge category with the levels derived from it."""

    ncrp: str
    seriousness: int
    uccs_broad_type: str
    uccs_category: str
    nibrs_default: str


@attrs.frozen(slots=True)
class Rule:
    """One classification rule: every ``all`` pattern matches, no ``none`` pattern does."""

    id: str
    all: tuple[str, ...]
    none: tuple[str, ...]
    category: Category
    nibrs: str
    confidence: float


@attrs.frozen(slots=True)
class SeverityPattern:
    """A pattern stating the severity class and/or degree (groups ``sev`` and ``deg``)."""

    id: str
    pattern: str
    severity: str | None
    degree: str | None
    confidence: float
    not_after: tuple[str, ...] = ()


@attrs.frozen(slots=True)
class StatuteParser:
    """A state's citation pattern: group ``key`` is the canonical citation, ``base`` the section."""

    state: str
    pattern: str


@attrs.frozen(slots=True)
class Vocabulary:
    """A loaded, checked vocabulary (immutable; build once, classify many times)."""

    name: str
    version: str
    source: str
    rewrites: tuple[tuple[str, str], ...]
    abbreviations: Mapping[str, str] = attrs.field(repr=False)
    attempted: str = attrs.field(repr=False)
    conspiracy: str = attrs.field(repr=False)
    repeat: tuple[str, ...] = attrs.field(repr=False)
    repeat_word: str = attrs.field(repr=False)
    offense_degree: str | None = attrs.field(repr=False)
    repeat_words: Mapping[str, int] = attrs.field(repr=False)
    severities: tuple[SeverityPattern, ...] = attrs.field(repr=False)
    severity_words: Mapping[str, str] = attrs.field(repr=False)
    statutes: tuple[StatuteParser, ...] = attrs.field(repr=False)
    attempted_nibrs: Mapping[str, str] = attrs.field(repr=False)
    rules: tuple[Rule, ...] = attrs.field(repr=False)
    categories: Mapping[str, Category] = attrs.field(repr=False)
    known_words: tuple[str, ...] = attrs.field(repr=False)

    def category(self, ncrp: str) -> Category:
        """The category called ``ncrp`` (``KeyError`` when the vocabulary has none)."""
        return self.categories[ncrp]

    def statute_parser(self, state: str | None) -> StatuteParser | None:
        """The citation parser of ``state`` (two-letter code), else the generic ``*`` one."""
        fallback = None
        for parser in self.statutes:
            if parser.state == (state or "").upper():
                return parser
            if parser.state == "*":
                fallback = parser
        return fallback


def _default_path(name: str) -> Path:
    return Path(str(resources.files("justice_schema.offenses") / "data" / name))


def _re2_ok(pattern: str) -> str | None:
    """Why RE2 (Arrow's regex engine) refuses ``pattern``, or None when it compiles."""
    try:
        pc.match_substring_regex(pa.array([""], pa.string()), pattern)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        return str(exc).splitlines()[0]
    return None


def load_categories(path: str | os.PathLike[str] | None = None) -> dict[str, Category]:
    """The NCRP categories table (CSV: ncrp_category, seriousness, uccs_broad_type, uccs_category, nibrs_default)."""
    file = Path(path) if path is not None else _default_path("categories.csv")
    found: dict[str, Category] = {}
    with reading(file), file.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        need = {"ncrp_category", "seriousness", "uccs_broad_type", "uccs_category", "nibrs_default"}
        missing = need - set(reader.fieldnames or ())
        if missing:
            raise InputError(f"missing column(s): {', '.join(sorted(missing))}", path=str(file))
        for row_number, row in enumerate(reader, start=2):
            name = (row["ncrp_category"] or "").strip()
            if not name:
                raise InputError("empty category name", path=str(file), row=row_number, field="ncrp_category")
            if row["nibrs_default"] not in _NIBRS:
                raise InputError(f"{row['nibrs_default']!r} is not a NIBRS offense code", path=str(file),
                                 row=row_number, field="nibrs_default")
            try:
                seriousness = int(row["seriousness"])
            except ValueError:
                raise InputError(f"{row['seriousness']!r} is not a whole number", path=str(file),
                                 row=row_number, field="seriousness") from None
            found[name] = Category(name, seriousness, row["uccs_broad_type"].strip(),
                                   row["uccs_category"].strip(), row["nibrs_default"])
    return found


class _Reader:
    """Typed access to one TOML vocabulary, every error naming the file and key."""

    def __init__(self, path: Path, data: Mapping[str, Any]) -> None:
        self.path = path
        self.data = data

    def error(self, key: str, problem: str) -> InputError:
        return InputError(problem, path=str(self.path), field=key)

    def text(self, node: Mapping[str, Any], name: str, where: str, default: str | None = None) -> str:
        value = node.get(name, default)
        if not isinstance(value, str) or not value:
            raise self.error(f"{where}.{name}", "must be non-empty text")
        return value

    def pattern(self, value: Any, where: str, macros: Mapping[str, str]) -> str:
        if not isinstance(value, str) or not value:
            raise self.error(where, "must be a non-empty regular expression")
        expanded = value
        for _ in range(4):  # macros may name macros
            expanded = _MACRO.sub(lambda m: macros.get(m.group(1), m.group(0)), expanded)
        unknown = _MACRO.findall(expanded)
        if unknown:
            raise self.error(where, f"unknown macro {{{unknown[0]}}}; defined: {', '.join(sorted(macros)) or 'none'}")
        problem = _re2_ok(expanded)
        if problem:
            raise self.error(where, f"is not an RE2 regular expression ({problem})")
        return expanded

    def confidence(self, node: Mapping[str, Any], where: str, default: float) -> float:
        value = node.get("confidence", default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
            raise self.error(f"{where}.confidence", f"{value!r} must be a number in (0, 1]")
        return float(value)


def _words(patterns: list[str]) -> set[str]:
    return {w for p in patterns for w in re.findall(r"[A-Z]{4,}", p)}


def load_vocabulary(path: str | os.PathLike[str] | None = None,
                    categories: str | os.PathLike[str] | None = None) -> Vocabulary:
    """Load and check a vocabulary TOML file (default: the one shipped with the library).

    Raises :class:`~justice_schema.errors.InputError` naming the file and key for a file
    that cannot be read, a pattern RE2 refuses, an unknown category or NIBRS code, or a
    confidence outside (0, 1].
    """
    if path is None and categories is None:
        return _default_vocabulary()
    return _load(Path(path) if path is not None else _default_path("vocabulary.toml"), categories)


@lru_cache(maxsize=1)
def _default_vocabulary() -> Vocabulary:
    return _load(_default_path("vocabulary.toml"), None)


def _load(file: Path, categories_path: str | os.PathLike[str] | None) -> Vocabulary:
    try:
        with reading(file):
            text = file.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"is not valid TOML: {exc}", path=str(file)) from None
    r = _Reader(file, data)
    head = data.get("vocabulary")
    if not isinstance(head, dict):
        raise r.error("vocabulary", "missing [vocabulary] table with name and version")
    name, version = r.text(head, "name", "vocabulary"), r.text(head, "version", "vocabulary")
    categories = load_categories(categories_path)
    macros = data.get("macros", {})
    if not isinstance(macros, dict) or not all(isinstance(v, str) for v in macros.values()):
        raise r.error("macros", "must be a table of text")

    rewrites = []
    for i, node in enumerate(data.get("rewrite", [])):
        where = f"rewrite[{i}]"
        rewrites.append((r.pattern(node.get("pattern"), f"{where}.pattern", macros),
                         str(node.get("replace", ""))))
    abbreviations = data.get("abbreviations", {})
    if not isinstance(abbreviations, dict) or not all(isinstance(v, str) for v in abbreviations.values()):
        raise r.error("abbreviations", "must be a table of word = \"expansion\"")
    abbreviations = {k.upper(): v.upper() for k, v in abbreviations.items()}

    mods = data.get("modifiers", {})
    attempted = r.pattern(mods.get("attempted"), "modifiers.attempted", macros)
    conspiracy = r.pattern(mods.get("conspiracy"), "modifiers.conspiracy", macros)
    repeat = tuple(r.pattern(p, f"modifiers.repeat[{i}]", macros) for i, p in enumerate(mods.get("repeat", [])))
    for i, p in enumerate(repeat):
        if "(?P<n>" not in p:
            raise r.error(f"modifiers.repeat[{i}]", "needs a group named n holding the number")
    repeat_word = r.pattern(mods.get("repeat_word"), "modifiers.repeat_word", macros)
    offense_degree = None
    if "offense_degree" in mods:
        offense_degree = r.pattern(mods["offense_degree"], "modifiers.offense_degree", macros)
        if "(?P<deg>" not in offense_degree:
            raise r.error("modifiers.offense_degree", "needs a group named deg holding the degree")
    repeat_words = {str(k).upper(): int(v) for k, v in mods.get("repeat_words", {}).items()}

    severity_words = {str(k).upper(): str(v) for k, v in data.get("severity_words", {}).items()}
    for word, severity in severity_words.items():
        if severity not in SEVERITIES:
            raise r.error(f"severity_words.{word}", f"{severity!r} is not one of {', '.join(SEVERITIES)}")
    severities = []
    for i, node in enumerate(data.get("severity", [])):
        where = f"severity[{i}]"
        sev, deg = node.get("severity"), node.get("degree")
        if sev is not None and sev not in SEVERITIES:
            raise r.error(f"{where}.severity", f"{sev!r} is not one of {', '.join(SEVERITIES)}")
        if deg is not None and deg not in DEGREES:
            raise r.error(f"{where}.degree", f"{deg!r} is not a charge_degree code")
        severities.append(SeverityPattern(r.text(node, "id", where), r.pattern(node.get("pattern"), f"{where}.pattern",
                                                                                 macros),
                                          sev, deg, r.confidence(node, where, 0.9),
                                          tuple(str(w).upper() for w in node.get("not_after", ()))))

    statutes = []
    for i, node in enumerate(data.get("statute", [])):
        where = f"statute[{i}]"
        pattern = r.pattern(node.get("pattern"), f"{where}.pattern", macros)
        if "(?P<key>" not in pattern:
            raise r.error(f"{where}.pattern", "needs a group named key (the canonical citation)")
        statutes.append(StatuteParser(r.text(node, "state", where).upper(), pattern))

    attempted_nibrs = {str(k): str(v) for k, v in data.get("attempted_nibrs", {}).items()}
    for k, v in attempted_nibrs.items():
        if k not in _NIBRS or v not in _NIBRS:
            raise r.error(f"attempted_nibrs.{k}", "both sides must be NIBRS offense codes")

    rules, seen = [], set()
    for i, node in enumerate(data.get("rule", [])):
        where = f"rule[{i}]"
        rule_id = r.text(node, "id", where)
        if rule_id in seen:
            raise r.error(f"{where}.id", f"rule id {rule_id!r} is used twice")
        seen.add(rule_id)
        ncrp = r.text(node, "ncrp", where)
        if ncrp not in categories:
            raise r.error(f"{where}.ncrp", f"{ncrp!r} is not a category of the categories table")
        category = categories[ncrp]
        nibrs = node.get("nibrs", category.nibrs_default)
        if nibrs not in _NIBRS:
            raise r.error(f"{where}.nibrs", f"{nibrs!r} is not a NIBRS offense code")
        all_ = tuple(r.pattern(p, f"{where}.all[{j}]", macros) for j, p in enumerate(node.get("all", [])))
        if not all_:
            raise r.error(f"{where}.all", "a rule needs at least one pattern")
        none = tuple(r.pattern(p, f"{where}.none[{j}]", macros) for j, p in enumerate(node.get("none", [])))
        rules.append(Rule(rule_id, all_, none, category, nibrs, r.confidence(node, where, 0.85)))

    known = _words([p for rule in rules for p in rule.all]) | {w for v in abbreviations.values() for w in v.split()}
    known |= {w for w in head.get("words", data.get("words", [])) if isinstance(w, str)}
    return Vocabulary(name, version, str(file), tuple(rewrites), abbreviations, attempted, conspiracy, repeat,
                      repeat_word, offense_degree, repeat_words, tuple(severities), severity_words, tuple(statutes),
                      attempted_nibrs, tuple(rules), categories, tuple(sorted(w for w in known if len(w) >= 4)))
