"""Publication profiles as data: a TOML file says, per sensitivity class and per field, what happens.

A profile is versioned (``name`` + ``version``) and replaceable: the three shipped ones
(``public``, ``research``, ``restricted``) live in ``privacy/profiles/`` and any file of the same
language can stand in for them (:func:`load_profile`). The language is described in
``docs/privacy.md``; every mistake in a profile file is an :class:`~justice_schema.errors.InputError`
naming the file and the key.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from justice_schema.errors import InputError
from justice_schema.privacy.risk import Recode
from justice_schema.v1 import Sensitivity

__all__ = [
    "ACTIONS", "TIERS", "JUVENILE_RULES", "FieldRule", "Aggregate", "Profile",
    "load_profile", "shipped_profiles", "profile_from_dict",
]

#: What a rule may do to a column: keep it, drop it, or one of the transforms of :mod:`.transforms`.
ACTIONS = ("keep", "drop", "pseudonym", "age_band", "month", "year", "date_shift", "geography", "merge_rare")
#: The tiers a profile belongs to; only ``restricted`` may include sealed or expunged records.
TIERS = ("public", "research", "restricted")
#: What happens to rows flagged ``juvenile_record``: withheld, kept, or counted in aggregates only.
JUVENILE_RULES = ("drop", "keep", "aggregate_only")
LANGUAGE = 1

_OPTIONS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "keep": {}, "drop": {}, "pseudonym": {},
    "age_band": {"bands": list},
    "month": {}, "year": {},
    "date_shift": {"max_days": int, "then": str},
    "geography": {"level": str},
    "merge_rare": {"min_count": int, "other": str},
}


@attrs.frozen(slots=True)
class FieldRule:
    """What happens to one column: an action from :data:`ACTIONS` and its options."""

    action: str
    options: dict[str, Any] = attrs.field(factory=dict)


@attrs.frozen(slots=True)
class Aggregate:
    """A count table: ``rows`` dimensions by one ``column`` dimension, with totals.

    Cells from 1 to ``threshold - 1`` are suppressed, and enough others that no suppressed cell
    can be recomputed from the totals. ``epsilon`` (optional) adds differential-privacy noise.
    """

    name: str
    rows: tuple[str, ...]
    column: str
    threshold: int = 10
    epsilon: float | None = None


@attrs.frozen(slots=True)
class Profile:
    """A parsed publication profile (see ``docs/privacy.md`` for the language)."""

    name: str
    version: str
    tier: str
    output: str
    classes: dict[str, FieldRule]
    fields: dict[str, FieldRule]
    juvenile: str = "drop"
    include_sealed: bool = False
    key_env: str = "JUSTICE_SCHEMA_PSEUDONYM_KEY"
    k: int = 0
    quasi_identifiers: tuple[str, ...] = ()
    sensitive_attribute: str | None = None
    aggregates: tuple[Aggregate, ...] = ()
    source: str = "<dict>"
    recode: tuple[Recode, ...] = ()

    def rule_for(self, column: str, sensitivity: Sensitivity | None) -> FieldRule:
        """The rule for ``column``: its own rule, else its parent's, else its class's (unclassed: drop)."""
        parts = column.split(".")
        for end in range(len(parts), 0, -1):
            rule = self.fields.get(".".join(parts[:end]))
            if rule is not None:
                return rule
        if sensitivity is None:
            return FieldRule("drop")
        return self.classes[sensitivity.value]

    @property
    def uses_key(self) -> bool:
        """True when some rule needs the pseudonym key (pseudonyms or date shifting)."""
        rules = list(self.fields.values()) + list(self.classes.values())
        return any(rule.action in ("pseudonym", "date_shift") for rule in rules)


def _fail(source: str, key: str, message: str) -> InputError:
    return InputError(message, path=source, field=key)


def _rule(source: str, key: str, value: Any) -> FieldRule:
    if isinstance(value, str):
        value = {"action": value}
    if not isinstance(value, dict) or "action" not in value:
        raise _fail(source, key, "a rule is an action name or a table with 'action'")
    action = value["action"]
    if action not in ACTIONS:
        raise _fail(source, key, f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    options = {k: v for k, v in value.items() if k != "action"}
    allowed = _OPTIONS[action]
    for option, given in options.items():
        if option not in allowed:
            known = ", ".join(allowed) or "none"
            raise _fail(source, f"{key}.{option}", f"{action} takes no option {option!r} (options: {known})")
        if not isinstance(given, allowed[option]) or isinstance(given, bool):
            raise _fail(source, f"{key}.{option}", f"{option} must be a {allowed[option].__name__}")  # type: ignore[union-attr]
    if action == "age_band":
        bands = options.get("bands", [0, 18, 25, 35, 45, 55, 65])
        if len(bands) < 2 or any(not isinstance(b, int) or isinstance(b, bool) for b in bands) or bands != sorted(set(bands)):
            raise _fail(source, f"{key}.bands", "bands must be increasing whole ages, at least two")
        options["bands"] = bands
    if action == "geography" and options.setdefault("level", "county") not in ("county", "state"):
        raise _fail(source, f"{key}.level", "level must be 'county' or 'state'")
    if action == "date_shift":
        if options.setdefault("max_days", 30) < 1:
            raise _fail(source, f"{key}.max_days", "max_days must be 1 or more")
        if options.setdefault("then", "day") not in ("day", "month", "year"):
            raise _fail(source, f"{key}.then", "then must be 'day', 'month' or 'year'")
    if action == "merge_rare":
        if options.setdefault("min_count", 10) < 1:
            raise _fail(source, f"{key}.min_count", "min_count must be 1 or more")
        options.setdefault("other", "other")
    return FieldRule(action, options)


def _int(source: str, key: str, value: Any, low: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise _fail(source, key, f"must be a whole number of at least {low}")
    return value


def profile_from_dict(data: dict[str, Any], source: str = "<dict>") -> Profile:
    """Check and parse a profile given as a dict (the content of a profile TOML file)."""
    known = {"language", "name", "version", "tier", "output", "juvenile", "include_sealed", "key_env",
             "classes", "fields", "k_anonymity", "risk", "aggregates"}
    for key in data:
        if key not in known:
            raise _fail(source, key, f"unknown key; a profile has {', '.join(sorted(known))}")
    if data.get("language", LANGUAGE) != LANGUAGE:
        raise _fail(source, "language", f"this release reads profile language {LANGUAGE}")
    for key in ("name", "version", "tier", "output"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise _fail(source, key, "required, a non-empty string")
    tier, output = data["tier"], data["output"]
    if tier not in TIERS:
        raise _fail(source, "tier", f"one of {', '.join(TIERS)}")
    if output not in ("records", "aggregates"):
        raise _fail(source, "output", "'records' or 'aggregates'")
    if tier == "public" and output != "aggregates":
        raise _fail(source, "output", "a public profile publishes aggregates only")
    juvenile = data.get("juvenile", "drop")
    if juvenile not in JUVENILE_RULES:
        raise _fail(source, "juvenile", f"one of {', '.join(JUVENILE_RULES)}")
    include_sealed = data.get("include_sealed", False)
    if not isinstance(include_sealed, bool):
        raise _fail(source, "include_sealed", "true or false")
    if include_sealed and tier != "restricted":
        raise _fail(source, "include_sealed", "sealed and expunged records never leave the restricted tier")
    classes_in = data.get("classes", {})
    if not isinstance(classes_in, dict):
        raise _fail(source, "classes", "a table of sensitivity class = rule")
    classes = {}
    for level in Sensitivity:
        if level.value not in classes_in:
            raise _fail(source, f"classes.{level.value}", "every sensitivity class needs a rule")
        classes[level.value] = _rule(source, f"classes.{level.value}", classes_in[level.value])
    for key in classes_in:
        if key not in classes:
            raise _fail(source, f"classes.{key}", f"not a sensitivity class ({', '.join(s.value for s in Sensitivity)})")
    fields_in = data.get("fields", {})
    if not isinstance(fields_in, dict):
        raise _fail(source, "fields", "a table of column = rule")
    fields = {name: _rule(source, f"fields.{name}", value) for name, value in fields_in.items()}
    kanon = data.get("k_anonymity", {})
    risk = data.get("risk", {})
    if not isinstance(kanon, dict) or not isinstance(risk, dict):
        raise _fail(source, "k_anonymity", "a table")
    k = _int(source, "k_anonymity.k", kanon.get("k", 0), 0)
    recode = []
    for index, step in enumerate(kanon.get("recode", [])):
        where = f"k_anonymity.recode[{index}]"
        if not isinstance(step, dict) or not isinstance(step.get("column"), str) or (
                ("keep_chars" in step) == ("value" in step)) or set(step) - {"column", "keep_chars", "value"}:
            raise _fail(source, where, "a step is {column = NAME, keep_chars = N} or {column = NAME, value = TEXT}")
        if "keep_chars" in step:
            recode.append(Recode(step["column"], keep_chars=_int(source, f"{where}.keep_chars", step["keep_chars"], 1)))
        elif not isinstance(step["value"], str):
            raise _fail(source, f"{where}.value", "a text")
        else:
            recode.append(Recode(step["column"], value=step["value"]))
    qis = risk.get("quasi_identifiers", [])
    if not isinstance(qis, list) or any(not isinstance(q, str) for q in qis):
        raise _fail(source, "risk.quasi_identifiers", "a list of column names")
    sensitive = risk.get("sensitive")
    if sensitive is not None and not isinstance(sensitive, str):
        raise _fail(source, "risk.sensitive", "a column name")
    aggregates = []
    for index, item in enumerate(data.get("aggregates", [])):
        where = f"aggregates[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise _fail(source, where, "each aggregate is a table with name, rows and column")
        rows = item.get("rows")
        if not isinstance(rows, list) or not rows or any(not isinstance(r, str) for r in rows):
            raise _fail(source, f"{where}.rows", "a non-empty list of column names")
        if not isinstance(item.get("column"), str):
            raise _fail(source, f"{where}.column", "a column name")
        epsilon = item.get("epsilon")
        if epsilon is not None and (not isinstance(epsilon, (int, float)) or isinstance(epsilon, bool) or epsilon <= 0):
            raise _fail(source, f"{where}.epsilon", "a positive number")
        aggregates.append(Aggregate(item["name"], tuple(rows), item["column"],
                                    _int(source, f"{where}.threshold", item.get("threshold", 10), 1),
                                    float(epsilon) if epsilon is not None else None))
    if output == "aggregates" and not aggregates:
        raise _fail(source, "aggregates", "an aggregates profile needs at least one aggregate")
    key_env = data.get("key_env", "JUSTICE_SCHEMA_PSEUDONYM_KEY")
    if not isinstance(key_env, str) or not key_env:
        raise _fail(source, "key_env", "the name of an environment variable")
    return Profile(data["name"], data["version"], tier, output, classes, fields, juvenile, include_sealed, key_env,
                   k, tuple(qis), sensitive, tuple(aggregates), source, tuple(recode))


def load_profile(profile: str | Path) -> Profile:
    """A shipped profile by name (``public``, ``research``, ``restricted``) or a profile TOML file."""
    text: str
    if isinstance(profile, str) and profile in shipped_profiles():
        source = f"profiles/{profile}.toml"
        text = resources.files("justice_schema.privacy").joinpath(source).read_text(encoding="utf-8")
    else:
        path = Path(profile)
        source = str(path)
        if not path.is_file():
            raise InputError(f"no such profile (shipped: {', '.join(shipped_profiles())}) and no such file",
                             path=source)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the profile: {exc}", path=source) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", path=source) from None
    return profile_from_dict(data, source)


def shipped_profiles() -> tuple[str, ...]:
    """The names of the profiles shipped with the library."""
    return ("public", "research", "restricted")
