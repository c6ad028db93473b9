"""The rule cascade as data: a versioned TOML file that a state can tune and pin.

A rules file has a format number, a name and a version of its own, limits,
the conflicts that veto a link, an ordered list of rules (strongest first), and
the survivorship of the golden record. The default file ships with the package
(``default_rules.toml``); :func:`load_rules` reads it or a file of your own.

A rule links two records when

* they share one of its blocking keys (``block``: a list of keys, each a list of
  fields, so one rule can search several ways),
* every comparison in ``require`` reaches its minimum score,
* at least ``min_any`` comparisons of ``any`` reach theirs,
* every comparison in ``if_present`` reaches its minimum score *or* has a
  side missing (evidence that must not disagree, but may be absent: a birth
  date left blank on one record),
* and no conflict vetoes the pair.

Scores are in ``[0, 1]``; :mod:`justice_schema.identity.compare` says how each
field is scored. A missing value passes nothing and vetoes nothing.

>>> rules = default_rules()
>>> rules.rules[0].name, rules.rules[0].strength
('state_id', 'strong')
>>> rules_from_toml('format = 1\\nname = "x"\\nversion = "1"\\n[[rules]]\\nname = "r"\\nblock = [["state_id"]]\\nmin_any = 1\\nany = {bogus = 0.9}\\n')
Traceback (most recent call last):
...
justice_schema.errors.InputError: <rules>, field 'rules[0].any': unknown field 'bogus'; known: ...
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from justice_schema.errors import InputError

__all__ = [
    "Comparison",
    "Rule",
    "Conflicts",
    "Limits",
    "Survivorship",
    "RuleSet",
    "COMPARABLE_FIELDS",
    "BLOCKING_FIELDS",
    "SURVIVORSHIP_STRATEGIES",
    "RULES_FORMAT",
    "default_rules",
    "load_rules",
    "rules_from_toml",
]

#: The rules-file format this release reads.
RULES_FORMAT = 1

#: Fields a comparison can score (see :mod:`justice_schema.identity.compare`).
COMPARABLE_FIELDS: tuple[str, ...] = (
    "given_name", "middle_name", "family_name", "name_suffix", "date_of_birth", "sex",
    "state_id", "fbi_number", "drivers_license_number", "postal_code",
    "address_line1", "address_line2", "address_city", "address_state", "name_swap",
)

#: Fields a blocking key can use. ``given_name_key`` resolves nicknames; ``family_first``
#: and ``family_last`` are the parts of a compound family name; ``birth_year`` and
#: ``birth_month_day`` are parts of the date of birth; ``name_set`` is the given and family
#: names in alphabetical order, the same when a clerk swapped them. ``field:N`` takes the first N characters.
BLOCKING_FIELDS: tuple[str, ...] = tuple(f for f in COMPARABLE_FIELDS if f != "name_swap") + (
    "given_name_key", "family_first", "family_last", "birth_year", "birth_month_day", "name_set",
)

#: Survivorship strategies of the golden record.
SURVIVORSHIP_STRATEGIES: tuple[str, ...] = ("most_frequent", "most_recent", "source_priority")

_STRENGTHS = ("strong", "weak")


@attrs.frozen(slots=True)
class Comparison:
    """One field compared, and the score it must reach (``0 < min_score <= 1``)."""

    field: str
    min_score: float


@attrs.frozen(slots=True)
class Rule:
    """One step of the cascade.

    ``strength`` is ``"strong"`` or ``"weak"``: a weak link may not join two
    clusters that strong links have already formed (see
    :mod:`justice_schema.identity.cluster`).
    """

    name: str
    strength: str
    blocks: tuple[tuple[str, ...], ...]
    require: tuple[Comparison, ...] = ()
    any: tuple[Comparison, ...] = ()
    min_any: int = 0
    description: str = ""
    if_present: tuple[Comparison, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field the rule compares, in order, without repeats."""
        return tuple(dict.fromkeys(c.field for c in self.require + self.any + self.if_present))


@attrs.frozen(slots=True)
class Conflicts:
    """What vetoes a link (and a merge of clusters) even when the names agree.

    ``different``: identifier fields that, present on both sides and different,
    mean two people. ``dob_max_years_apart``: birth dates this many years apart
    or more mean two people. ``generational_suffix``: ``JR`` against ``SR`` (or
    ``II`` against ``III``) means two people. ``sex``: ``M`` against ``F``.
    ``near_identifiers`` and ``clerical_dob_slip`` (off unless a rules file turns
    them on; the default rules do) excuse a typing slip in an identifier or a
    birth date, which would otherwise veto an otherwise agreeing pair.
    """

    different: tuple[str, ...] = ("state_id", "fbi_number")
    dob_max_years_apart: int = 10
    generational_suffix: bool = True
    sex: bool = True
    #: two ``different`` identifiers one edit apart (a digit mistyped, two neighbours swapped) are a typing
    #: slip, not two people, when the given name, family name and birth date agree (0.9, 0.9, 0.8)
    near_identifiers: bool = False
    #: birth dates one clerical error apart (``1985`` typed ``1995``) are never "years apart"
    clerical_dob_slip: bool = False


@attrs.frozen(slots=True)
class Limits:
    """Work limits: ``max_block_size`` caps a block (compared by sorted
    neighbourhood within that window, and reported); ``chunk_pairs`` bounds the
    pairs held in memory at once."""

    max_block_size: int = 300
    chunk_pairs: int = 400_000


@attrs.frozen(slots=True)
class Survivorship:
    """How the golden record picks each field's value among a cluster's records.

    ``default`` applies to fields not named in ``fields``. ``source_priority``
    lists agency ORIs or source system names, most trusted first.
    """

    default: str = "most_frequent"
    fields: tuple[tuple[str, str], ...] = ()
    source_priority: tuple[str, ...] = ()

    def strategy(self, field: str) -> str:
        """The strategy for ``field``."""
        return dict(self.fields).get(field, self.default)


@attrs.frozen(slots=True)
class RuleSet:
    """A complete, versioned matching configuration."""

    name: str
    version: str
    rules: tuple[Rule, ...]
    conflicts: Conflicts = Conflicts()
    limits: Limits = Limits()
    survivorship: Survivorship = Survivorship()
    format: int = RULES_FORMAT

    def rank(self, name: str) -> int:
        """The position of the rule called ``name`` (0 is the strongest)."""
        for i, rule in enumerate(self.rules):
            if rule.name == name:
                return i
        raise KeyError(name)

    @property
    def label(self) -> str:
        """``name version``, as recorded in outputs."""
        return f"{self.name} {self.version}"


def _fail(path: str, message: str, field: str | None = None) -> InputError:
    return InputError(message, path=path, field=field)


def _comparisons(raw: Any, path: str, where: str) -> tuple[Comparison, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise _fail(path, "must be a table of field = minimum score", where)
    out = []
    for field, score in raw.items():
        if field not in COMPARABLE_FIELDS:
            raise _fail(path, f"unknown field {field!r}; known: {', '.join(COMPARABLE_FIELDS)}", where)
        if isinstance(score, bool) or not isinstance(score, int | float) or not 0 < score <= 1:
            raise _fail(path, f"minimum score of {field!r} must be a number in (0, 1], got {score!r}", where)
        out.append(Comparison(field, float(score)))
    return tuple(out)


def _block_field_ok(spec: str) -> bool:
    name, _, prefix = spec.partition(":")
    return name in BLOCKING_FIELDS and (not prefix or (prefix.isdigit() and int(prefix) > 0))


def _rule(raw: Any, index: int, path: str) -> Rule:
    where = f"rules[{index}]"
    if not isinstance(raw, dict):
        raise _fail(path, "each rule must be a table", where)
    known = {"name", "strength", "block", "require", "any", "min_any", "if_present", "description"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise _fail(path, f"unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}", where)
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise _fail(path, "a rule needs a name", f"{where}.name")
    strength = raw.get("strength", "strong")
    if strength not in _STRENGTHS:
        raise _fail(path, f"strength must be one of {', '.join(_STRENGTHS)}, got {strength!r}", f"{where}.strength")
    blocks = raw.get("block")
    if isinstance(blocks, list) and blocks and all(isinstance(b, str) for b in blocks):
        blocks = [blocks]
    if (not isinstance(blocks, list) or not blocks
            or not all(isinstance(b, list) and b and all(isinstance(f, str) for f in b) for b in blocks)):
        raise _fail(path, "block must be a list of keys, each a non-empty list of field names", f"{where}.block")
    for key in blocks:
        for spec in key:
            if not _block_field_ok(spec):
                raise _fail(path, f"unknown blocking field {spec!r}; known: {', '.join(BLOCKING_FIELDS)} "
                                  "(optionally with :N for the first N characters)", f"{where}.block")
    require = _comparisons(raw.get("require"), path, f"{where}.require")
    any_ = _comparisons(raw.get("any"), path, f"{where}.any")
    if_present = _comparisons(raw.get("if_present"), path, f"{where}.if_present")
    min_any = raw.get("min_any", 1 if any_ else 0)
    if isinstance(min_any, bool) or not isinstance(min_any, int) or not 0 <= min_any <= len(any_):
        raise _fail(path, f"min_any must be an integer from 0 to {len(any_)} (the number of 'any' comparisons)",
                    f"{where}.min_any")
    if not require and min_any == 0:
        raise _fail(path, "a rule must compare something: give 'require' or 'any' with min_any >= 1", where)
    return Rule(name=name, strength=strength, blocks=tuple(tuple(b) for b in blocks), require=require,
                any=any_, min_any=min_any, description=str(raw.get("description", "")), if_present=if_present)


def rules_from_toml(text: str, path: str = "<rules>") -> RuleSet:
    """Parse the text of a rules file; raises :class:`~justice_schema.errors.InputError` naming the key at fault."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path, f"not valid TOML: {exc}") from None
    fmt = raw.get("format")
    if fmt != RULES_FORMAT:
        raise _fail(path, f"rules format {fmt!r} is not supported; this release reads format {RULES_FORMAT}", "format")
    for key in ("name", "version"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise _fail(path, f"the rules file needs a {key} (text)", key)
    unknown = sorted(set(raw) - {"format", "name", "version", "description", "limits", "conflicts", "rules",
                                 "survivorship"})
    if unknown:
        raise _fail(path, f"unknown top-level key(s): {', '.join(unknown)}")
    rules_raw = raw.get("rules")
    if not isinstance(rules_raw, list) or not rules_raw:
        raise _fail(path, "the rules file needs at least one [[rules]] table", "rules")
    rules = tuple(_rule(r, i, path) for i, r in enumerate(rules_raw))
    names = [r.name for r in rules]
    if len(set(names)) != len(names):
        raise _fail(path, f"rule names must be unique: {names}", "rules")

    conflicts_raw = raw.get("conflicts", {})
    base, base_limits = Conflicts(), Limits()
    try:
        different = tuple(conflicts_raw.get("different", base.different))
        for field in different:
            if field not in ("state_id", "fbi_number", "drivers_license_number"):
                raise _fail(path, f"conflict field {field!r} must be one of state_id, fbi_number, "
                                  "drivers_license_number", "conflicts.different")
        conflicts = Conflicts(
            different=different,
            dob_max_years_apart=int(conflicts_raw.get("dob_max_years_apart", base.dob_max_years_apart)),
            generational_suffix=bool(conflicts_raw.get("generational_suffix", base.generational_suffix)),
            sex=bool(conflicts_raw.get("sex", base.sex)),
            near_identifiers=bool(conflicts_raw.get("near_identifiers", base.near_identifiers)),
            clerical_dob_slip=bool(conflicts_raw.get("clerical_dob_slip", base.clerical_dob_slip)),
        )
        limits_raw = raw.get("limits", {})
        limits = Limits(max_block_size=int(limits_raw.get("max_block_size", base_limits.max_block_size)),
                        chunk_pairs=int(limits_raw.get("chunk_pairs", base_limits.chunk_pairs)))
    except (TypeError, ValueError, AttributeError) as exc:
        raise _fail(path, f"bad [conflicts] or [limits]: {exc}") from None
    if limits.max_block_size < 2 or limits.chunk_pairs < 1000:
        raise _fail(path, "limits.max_block_size must be >= 2 and limits.chunk_pairs >= 1000", "limits")

    surv_raw = raw.get("survivorship", {})
    default = surv_raw.get("default", "most_frequent")
    fields = surv_raw.get("fields", {})
    for field, strategy in [("default", default), *fields.items()]:
        if strategy not in SURVIVORSHIP_STRATEGIES:
            raise _fail(path, f"survivorship of {field!r} must be one of {', '.join(SURVIVORSHIP_STRATEGIES)}, "
                              f"got {strategy!r}", f"survivorship.{field}")
    survivorship = Survivorship(default=default, fields=tuple(sorted(fields.items())),
                                source_priority=tuple(surv_raw.get("source_priority", ())))
    return RuleSet(name=raw["name"], version=raw["version"], rules=rules, conflicts=conflicts, limits=limits,
                   survivorship=survivorship, format=fmt)


def load_rules(path: str | Path | None = None) -> RuleSet:
    """The rules in ``path``, or the packaged default rules when ``path`` is None."""
    if path is None:
        return default_rules()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read rules file: {exc}", path=str(path)) from None
    return rules_from_toml(text, str(path))


def default_rules() -> RuleSet:
    """The default cascade shipped with the package (``identity/default_rules.toml``)."""
    text = resources.files("justice_schema.identity").joinpath("default_rules.toml").read_text(encoding="utf-8")
    return rules_from_toml(text, "default_rules.toml")
