"""Documentation generated from the rules: the default cascade as a reStructuredText page.

``docs/conf.py`` calls :func:`rules_rst` at build time, so the page always shows
the rules the package ships.

>>> text = rules_rst()
>>> text.splitlines()[0]
'Default matching rules'
>>> "``state_id``" in text
True
"""

from __future__ import annotations

from justice_schema._toolkit.rst import list_table
from justice_schema.identity.rules import Comparison, Rule, RuleSet, default_rules

__all__ = ["rules_rst"]


def _comparisons(comparisons: tuple[Comparison, ...]) -> str:
    return ", ".join(f"``{c.field}`` ≥ {c.min_score:g}" for c in comparisons) or "—"


def rules_rst(rules: RuleSet | None = None) -> str:
    """The cascade of ``rules`` (default: the packaged rules) as reStructuredText.

    The title is underlined with ``~`` so that the text can be included as a
    section of a page (``docs/identity.rst`` includes it) or stand alone.
    """
    rules = rules or default_rules()
    title = "Default matching rules" if rules.name == default_rules().name else f"Matching rules: {rules.name}"
    lines = [
        title,
        "~" * len(title),
        "",
        f"Generated from the rules file **{rules.name}**, version ``{rules.version}`` (format {rules.format}).",
        "Rules run in this order, strongest first; a link records the first rule its pair passes.",
        "",
        "Conflicts that veto a link, and a merge of two clusters:",
        "",
        f"* present on both sides and different: {', '.join(f'``{f}``' for f in rules.conflicts.different)}",
    ]
    if rules.conflicts.dob_max_years_apart:
        lines.append(f"* birth dates {rules.conflicts.dob_max_years_apart} or more years apart")
    if rules.conflicts.generational_suffix:
        lines.append("* different generational suffixes (``JR`` against ``SR``, ``II`` against ``III``)")
    if rules.conflicts.sex:
        lines.append("* different sex (``M`` against ``F``)")
    lines += [
        "",
        (f"Blocks larger than {rules.limits.max_block_size:,} records are capped (sorted neighbourhood) and "
         f"reported; at most {rules.limits.chunk_pairs:,} candidate pairs are scored at once."),
        "",
    ]
    header = ("#", "rule", "strength", "blocking keys (any of)", "requires", "and at least N of")
    lines += list_table(header, [_rule_row(rank, rule) for rank, rule in enumerate(rules.rules, start=1)],
                        (4, 14, 6, 24, 22, 30))
    fields = "".join(f"; ``{f}``: ``{s}``" for f, s in rules.survivorship.fields)
    lines += ["", f"Survivorship of the golden record: ``{rules.survivorship.default}`` by default{fields}.", ""]
    return "\n".join(lines)


def _rule_row(rank: int, rule: Rule) -> tuple[str, ...]:
    blocks = "; ".join(" + ".join(f"``{f}``" for f in block) for block in rule.blocks)
    any_text = f"{rule.min_any} of: {_comparisons(rule.any)}" if rule.min_any else "—"
    requires = _comparisons(rule.require) + (
        f"; and, where both sides have it, {_comparisons(rule.if_present)}" if rule.if_present else "")
    name = f"``{rule.name}``: {rule.description}" if rule.description else f"``{rule.name}``"
    return (str(rank), name, rule.strength, blocks, requires, any_text)
