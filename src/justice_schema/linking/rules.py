"""The case-linking rule cascade, loaded from TOML (``default_rules.toml``) and checked.

A rules file has a ``version``, an ``[offense_agreement]`` table (lesser offenses a plea may reduce a
charge to), a ``[most_serious]`` table (:class:`~justice_schema.linking.seriousness.MostSeriousRule`)
and one ``[[link]]`` per link type, each with its rules in the order they are tried. Every mistake is a
:class:`~justice_schema.errors.InputError` naming the file and the key.
"""

from __future__ import annotations

import functools
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs

from justice_schema.errors import InputError
from justice_schema.linking.events import EVENT_SCHEMA, EVENT_TYPES
from justice_schema.linking.seriousness import MostSeriousRule

__all__ = ["LinkRule", "LinkType", "LinkRules", "load_rules", "default_rules", "DEFAULT_RULES_PATH"]

DEFAULT_RULES_PATH = Path(__file__).with_name("default_rules.toml")
_CARDINALITIES = ("many_to_one", "one_to_one")
_OFFENSE = ("any", "agree")
_TIES = ("first", "unlinked")
_PREFER = ("nearest", "most_serious")
_WINDOW_FROM = ("parent", "via")


@attrs.frozen
class LinkRule:
    """One rule: children and parents with equal ``keys`` (none null), ``agree`` columns equal or null,
    child date minus parent date within ``window`` days, and the offense test.

    With ``via`` (an earlier link type), the parent also offers the key values of the events that link
    ties to it (or to its own parent); with ``window_from = "via"`` the parent is offered only through
    those events and the window is counted from their date (a court case filed days after the
    prosecutor's decision on its arrest, however long after the arrest that decision came)."""

    name: str
    keys: tuple[str, ...]
    agree: tuple[str, ...]
    window: tuple[int, int]
    offense: str
    on_tie: str
    via: str | None
    window_from: str = "parent"


@attrs.frozen
class LinkType:
    """A link from each ``child`` event to at most one ``parent`` event, by the first rule that finds one.

    With ``within_case``, the parent a rule finds stands for its case: the link goes to the first
    qualifying parent of that case by ``prefer`` (the case as linked so far, e.g. a disposition's
    charge's arrest), when its date also fits the rule's window."""

    name: str
    child: str
    parent: str
    cardinality: str
    parent_outcome: tuple[str, ...] | None
    prefer: str
    rules: tuple[LinkRule, ...]
    within_case: bool = False


@attrs.frozen
class LinkRules:
    """A whole rules file."""

    version: str
    source: str
    lesser: Mapping[str, tuple[str, ...]]
    most_serious: MostSeriousRule
    links: tuple[LinkType, ...]

    def link(self, name: str) -> LinkType:
        """The link type called ``name``."""
        for link in self.links:
            if link.name == name:
                return link
        raise KeyError(name)


def _need(table: Mapping[str, Any], key: str, kind: type, where: str) -> Any:
    value = table.get(key)
    if not isinstance(value, kind):
        raise InputError(f"{where}: '{key}' must be a {kind.__name__}, got {value!r}")
    return value


def _choice(table: Mapping[str, Any], key: str, choices: tuple[str, ...], default: str, where: str) -> str:
    value = table.get(key, default)
    if value not in choices:
        raise InputError(f"{where}: '{key}' is {value!r}; expected one of {', '.join(choices)}")
    return str(value)


def _flag(table: Mapping[str, Any], key: str, where: str) -> bool:
    value = table.get(key, False)
    if not isinstance(value, bool):
        raise InputError(f"{where}: '{key}' must be true or false, got {value!r}")
    return value


def _columns(values: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise InputError(f"{where}: '{key}' must be a list of column names")
    unknown = [v for v in values if v not in EVENT_SCHEMA.names]
    if unknown:
        raise InputError(f"{where}: '{key}' names {', '.join(unknown)}, not columns of the event layout")
    return tuple(values)


def _rule(raw: Any, where: str, link_names: set[str]) -> LinkRule:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: each [[link.rule]] must be a table")
    name = _need(raw, "name", str, where)
    where = f"{where} rule {name!r}"
    keys = _columns(raw.get("keys"), where, "keys")
    if not keys:
        raise InputError(f"{where}: 'keys' names no column")
    window = raw.get("window")
    if (not isinstance(window, list) or len(window) != 2 or not all(isinstance(v, int) for v in window)
            or window[0] > window[1]):
        raise InputError(f"{where}: 'window' must be [lowest, highest] days, lowest <= highest, got {window!r}")
    via = raw.get("via")
    if via is not None and via not in link_names:
        raise InputError(f"{where}: 'via' names {via!r}, not an earlier [[link]]")
    window_from = _choice(raw, "window_from", _WINDOW_FROM, "parent", where)
    if window_from == "via" and via is None:
        raise InputError(f"{where}: 'window_from' is 'via' but the rule names no 'via' link")
    return LinkRule(name=name, keys=keys, agree=_columns(raw.get("agree", []), where, "agree"),
                    window=(window[0], window[1]), offense=_choice(raw, "offense", _OFFENSE, "any", where),
                    on_tie=_choice(raw, "on_tie", _TIES, "first", where), via=via, window_from=window_from)


def _parse(data: Mapping[str, Any], source: str) -> LinkRules:
    version = _need(data, "version", str, source)
    agreement = data.get("offense_agreement", {})
    lesser_raw = agreement.get("lesser", {}) if isinstance(agreement, dict) else None
    if not isinstance(lesser_raw, dict) or not all(isinstance(v, list) for v in lesser_raw.values()):
        raise InputError(f"{source}: offense_agreement.lesser must map a UCR code to a list of lesser UCR codes")
    try:
        most_serious = MostSeriousRule.from_mapping(_need(data, "most_serious", dict, source), source)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    links: list[LinkType] = []
    names: set[str] = set()
    raw_links = data.get("link")
    if not isinstance(raw_links, list) or not raw_links:
        raise InputError(f"{source}: no [[link]] tables; a rules file needs at least one")
    for i, raw in enumerate(raw_links, 1):
        where = f"{source} [[link]] {i}"
        name = _need(raw, "name", str, where)
        where = f"{source} link {name!r}"
        if name in names:
            raise InputError(f"{where}: the name is used twice")
        child, parent = _need(raw, "child", str, where), _need(raw, "parent", str, where)
        for role, value in (("child", child), ("parent", parent)):
            if value not in EVENT_TYPES:
                raise InputError(f"{where}: '{role}' is {value!r}; expected one of {', '.join(EVENT_TYPES)}")
        rules_raw = raw.get("rule")
        if not isinstance(rules_raw, list) or not rules_raw:
            raise InputError(f"{where}: no [[link.rule]]")
        outcome = raw.get("parent_outcome")
        if outcome is not None and (not isinstance(outcome, list) or not all(isinstance(v, str) for v in outcome)):
            raise InputError(f"{where}: 'parent_outcome' must be a list of outcomes")
        links.append(LinkType(
            name=name, child=child, parent=parent,
            cardinality=_choice(raw, "cardinality", _CARDINALITIES, "many_to_one", where),
            parent_outcome=tuple(outcome) if outcome is not None else None,
            prefer=_choice(raw, "prefer", _PREFER, "nearest", where),
            rules=tuple(_rule(r, where, names) for r in rules_raw),
            within_case=_flag(raw, "within_case", where)))
        names.add(name)
    return LinkRules(version=version, source=source, lesser={k: tuple(v) for k, v in lesser_raw.items()},
                     most_serious=most_serious, links=tuple(links))


def load_rules(path: str | os.PathLike[str]) -> LinkRules:
    """Load and check a rules file; errors name the file and the key."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the linking rules: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid TOML: {exc}") from None
    return _parse(data, str(path))


@functools.cache
def default_rules() -> LinkRules:
    """The rules shipped with the library (``default_rules.toml``)."""
    return load_rules(DEFAULT_RULES_PATH)
