"""What a validation rule is: the :class:`Rule` value, its :class:`Check` conditions and the severities.

The catalogue (:mod:`~justice_schema.validation.rules`) and the modules that
write rules as data (:mod:`~justice_schema.validation.record_rules`,
:mod:`~justice_schema.validation.crossentity`) all build these values; keeping
them here lets the catalogue import its rule modules without a cycle.
"""

from __future__ import annotations

import attrs

from justice_schema.validation.expr import Expr, F

__all__ = ["ERROR", "WARNING", "Check", "Rule"]

#: Severity of a rule whose failure rejects the record.
ERROR = "error"
#: Severity of a rule that only reports (the record is kept).
WARNING = "warning"


@attrs.frozen(slots=True)
class Check:
    """One condition of a record-level rule, and the field an issue names when it holds.

    ``scope`` names the repeated values the condition runs over, outermost
    first (``("offenses", "weapons")`` for every weapon of every offense); it is
    empty for a condition on the record itself. ``value`` is what the issue
    shows as the offending value (default: ``field``).
    """

    condition: Expr
    field: str
    scope: tuple[str, ...] = ()
    value: Expr | None = None

    def value_expr(self) -> Expr:
        """The expression whose value an issue reports."""
        if self.value is not None:
            return self.value
        prefix = ".".join(self.scope)
        local = self.field[len(prefix) + 1:] if prefix and self.field.startswith(prefix + ".") else self.field
        return F(local if not self.scope or self.field.startswith(prefix + ".") else "^" + self.field)


@attrs.frozen(slots=True)
class Rule:
    """One validation rule of the catalogue.

    ``level`` is ``"field"`` (a schema constraint), ``"record"`` (across the
    fields of one record), ``"batch"`` (across records or tables) or
    ``"input"`` (a row that could not be read). Field-level rules carry their
    ``kind``; record-level rules carry their ``checks``. ``nibrs_edits`` are the
    FBI NIBRS edit numbers the rule corresponds to, when it has any.
    """

    code: str
    severity: str
    entity: str
    level: str
    fields: tuple[str, ...]
    message: str
    rationale: str
    example: str
    nibrs_edits: tuple[str, ...] = ()
    kind: str | None = None
    checks: tuple[Check, ...] = ()

    @property
    def is_error(self) -> bool:
        """True for error-severity rules (a record failing one is rejected)."""
        return self.severity == ERROR
