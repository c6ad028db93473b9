"""The one condition language of the library: validation rules and mapping-spec conditions.

A condition is written once, as data (``Lt(F("exceptional_clearance_date"),
F("incident_date"))``), and each expression knows two ways to evaluate itself:

* :meth:`Expr.arrow` over a whole batch with ``pyarrow.compute`` (the columnar engine,
  and translation);
* :meth:`Expr.py` over one record, a model or a dict (the per-record engine).

Rules build these nodes in Python (:mod:`~justice_schema.validation.record_rules`); a
translator spec's ``when`` and ``if`` are a TOML surface over the same nodes
(:mod:`justice_schema.translation.conditions` parses ``{ test = expr, in = [...] }``
into :class:`In`, ``all``/``any``/``not`` into :class:`And`/:class:`Or`/:class:`Not`),
with a spec expression as the tested value.

**Nulls: three-valued (Kleene) logic, as in SQL and Arrow.** A test of a missing value
is *unknown* (null), except :class:`IsSet` and :class:`IsNull`, which are never unknown.
``Not`` of unknown is unknown; :class:`And` is false when any part is false, else unknown
when any part is unknown; :class:`Or` is true when any part is true, else unknown when
any part is unknown. Whoever uses a condition acts only where it is *true*: a rule fires,
a spec's ``when`` keeps the row, an ``if`` takes ``then`` (unknown takes ``else``). So a
rule about two dates says nothing when either date is missing, and
``not (status in {D})`` does not hold for a row without a status (ask for it with
``IsNull``/``is_null``).

**Comparisons** take any two expressions (:class:`Cmp`); the spec surface compares with
literals only. **Types:** a literal set (:class:`In`) is converted to the tested
values' type (text ``"7"`` for a text column, ``7`` for a number column); when it
cannot be, values and literals are compared as text. :class:`Matches` searches the
value's text. **Names:** :class:`AnyOf` is the *existential* test over the elements of
a repeated value (``any of offenses has ...``); "any of these conditions" is
:class:`Or` (the spec's ``any``).

Paths are dotted field names relative to the scope a check runs in: the record,
or one element of a repeated value (``offenses``). Inside an element scope, a
path starting with ``^`` reads the record the element belongs to
(``^start_date`` from a supervision violation).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

import attrs
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel

from justice_schema._toolkit.arrays import arange, as_text, per_unique
from justice_schema._toolkit.scalars import FALSE, NULL_BOOL, scalar, value_set
from justice_schema.validation.paths import BatchResolver

__all__ = [
    "Expr",
    "F",
    "Lit",
    "AsOf",
    "Cmp",
    "Lt",
    "Le",
    "Gt",
    "Ge",
    "Eq",
    "Ne",
    "And",
    "Or",
    "Not",
    "IsSet",
    "IsNull",
    "In",
    "NotIn",
    "DateOf",
    "AddDays",
    "Plus",
    "Matches",
    "ListLen",
    "Repeats",
    "AnyOf",
    "comparable",
    "ArrowScope",
    "PyScope",
    "get_path",
]


# ---------------------------------------------------------------------------
# Scopes: what a path reads from, in each engine.


class ArrowScope:
    """Columns of one scope of a batch: the record rows, or the elements of a repeated value.

    ``resolve(path)`` returns an array aligned with the scope's rows. Paths are
    resolved once per batch and cached, so many rules reading the same field
    pay for it once.
    """

    def __init__(self, batch: pa.RecordBatch, as_of: date, steps: tuple[str, ...] = (), resolver: Any = None) -> None:
        self.batch = batch
        self.as_of = as_of
        self.steps = steps
        self.resolver: BatchResolver = resolver or BatchResolver(batch)
        self.values: pa.Array | None
        self.rows: pa.Array | None
        if steps:
            self.values, self.rows = self.resolver.resolve(steps)
            self.length = len(self.values)
        else:
            self.values, self.rows = None, None
            self.length = batch.num_rows

    def resolve(self, path: str) -> pa.Array:
        """The values of ``path`` aligned with this scope's rows (``"."``: the element itself)."""
        if path == ".":
            values, _ = self.resolver.resolve(self.steps)
            return values
        if path.startswith("^"):
            values, _ = self.resolver.resolve(_steps_of(path[1:]))
            return values if self.rows is None else pc.take(values, self.rows)
        values, _ = self.resolver.resolve(self.steps + _steps_of(path))
        return values

    def resolve_raw(self, path: str) -> pa.Array:
        """Like :meth:`resolve`, but a dictionary-encoded column stays encoded (for per-value work on the dictionary)."""
        if path == "." or path.startswith("^"):
            return self.resolve(path)
        values, _ = self.resolver.resolve_raw(self.steps + _steps_of(path))
        return values

    def sub(self, list_path: str) -> ArrowScope:
        """The scope of the elements of the repeated value at ``list_path``."""
        return ArrowScope(self.batch, self.as_of, self.steps + _steps_of(list_path) + ("[]",), self.resolver)


def _steps_of(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


@attrs.frozen(slots=True)
class PyScope:
    """One record (or one element of a repeated value within it) for the per-record engine."""

    value: Any
    root: Any
    as_of: date

    def resolve(self, path: str) -> Any:
        """The value at ``path``; ``None`` when it or any parent is missing (``"."``: the element)."""
        if path == ".":
            return self.value
        if path.startswith("^"):
            return get_path(self.root, path[1:])
        return get_path(self.value, path)

    def sub(self, list_path: str) -> list[PyScope]:
        """One scope per element of the repeated value at ``list_path``."""
        items = get_path(self.value, list_path) or ()
        return [PyScope(item, self.root, self.as_of) for item in items]


@lru_cache(maxsize=4096)
def _parts(path: str) -> tuple[str, ...]:
    return tuple(path.split("."))


_READERS: dict[type, int] = {dict: 1}


def _reader(kind: type) -> int:
    """1: read by key, 2: read by attribute, 0: not a container."""
    found = _READERS.get(kind)
    if found is None:
        found = 2 if issubclass(kind, BaseModel) else 1 if issubclass(kind, Mapping) else 0
        _READERS[kind] = found
    return found


def get_path(obj: Any, path: str) -> Any:
    """Read a dotted path from a model or a mapping; ``None`` when absent."""
    for part in _parts(path):
        if obj is None:
            return None
        kind = type(obj)
        if kind is dict:
            obj = obj.get(part)
            continue
        how = _READERS.get(kind)
        if how is None:
            how = _reader(kind)
        if how == 2:
            # pydantic models keep field values in __dict__
            obj = obj.__dict__.get(part)
        elif how == 1:
            obj = obj.get(part)
        else:
            return None
    if type(obj) is list:
        return tuple(obj)
    return obj


# ---------------------------------------------------------------------------
# Three-valued helpers for the per-record side.


def _kleene(values: list[Any], decisive: bool) -> bool | None:
    """Kleene ``and`` (``decisive=False``) or ``or`` (``decisive=True``) of truth values, ``None`` unknown.

    One decisive value decides; otherwise one unknown leaves the result unknown.
    """
    if any(v is decisive for v in values):
        return decisive
    if any(v is None for v in values):
        return None
    return not decisive


def _py_text(value: Any) -> str:
    """A value's text as Arrow casts it (``true``/``false``, ISO dates)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _to_day(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).date()
    return value


# ---------------------------------------------------------------------------
# Expressions.


class Expr:
    """Base class of condition expressions."""

    def arrow(self, scope: ArrowScope) -> pa.Array | pa.Scalar:  # pragma: no cover - abstract
        raise NotImplementedError

    def py(self, scope: PyScope) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def fields(self) -> tuple[str, ...]:
        """The field paths this expression reads."""
        return ()

    def text(self) -> str:  # pragma: no cover - abstract
        """A readable rendering of the expression for the docs."""
        raise NotImplementedError


@attrs.frozen(slots=True)
class F(Expr):
    """The value of a field, by dotted path."""

    path: str

    def arrow(self, scope: ArrowScope) -> pa.Array:
        return scope.resolve(self.path)

    def py(self, scope: PyScope) -> Any:
        return scope.resolve(self.path)

    def fields(self) -> tuple[str, ...]:
        return (self.path.lstrip("^"),)

    def text(self) -> str:
        return self.path.lstrip("^")


@attrs.frozen(slots=True)
class Lit(Expr):
    """A constant value (a date, a number, a code)."""

    value: Any

    def arrow(self, scope: ArrowScope) -> pa.Scalar:
        return scalar(self.value)

    def py(self, scope: PyScope) -> Any:
        return self.value

    def text(self) -> str:
        return repr(self.value) if not isinstance(self.value, date) else self.value.isoformat()


@attrs.frozen(slots=True)
class AsOf(Expr):
    """The date validation runs 'as of' (today unless the caller says otherwise)."""

    def arrow(self, scope: ArrowScope) -> pa.Scalar:
        return scalar(scope.as_of, pa.date32())

    def py(self, scope: PyScope) -> Any:
        return scope.as_of

    def text(self) -> str:
        return "today"


_ARROW_CMP: dict[str, Callable[..., Any]] = {
    "<": pc.less, "<=": pc.less_equal, ">": pc.greater, ">=": pc.greater_equal, "==": pc.equal, "!=": pc.not_equal,
}
_PY_CMP: dict[str, Callable[[Any, Any], bool]] = {
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
}


#: For ``date(instant) op day``: which midnight the instant is compared with (0: the day's, 1: the next day's).
_DAY_BOUNDS = {"<": 0, "<=": 1, ">": 1, ">=": 0}


def _day_bound(day: pa.Scalar, op: str, instants: Any) -> pa.Scalar | None:
    """The UTC midnight that decides ``date(instant) op day``, as a scalar of the instants' type.

    ``date(t) < d`` is ``t < midnight(d)``, ``date(t) <= d`` is ``t < midnight(d + 1)``,
    ``date(t) > d`` is ``t >= midnight(d + 1)`` and ``date(t) >= d`` is ``t >= midnight(d)``.
    ``None`` when that does not apply (not UTC instants, no day, out of range).
    """
    if not isinstance(instants, pa.Array) or not pa.types.is_timestamp(instants.type):
        return None
    if instants.type.tz not in ("UTC", "+00:00", "Z", "Etc/UTC") or not day.is_valid or not pa.types.is_date(day.type):
        return None
    try:
        moment = datetime.combine(day.as_py() + timedelta(days=_DAY_BOUNDS[op]), datetime.min.time(), UTC)
        return pa.scalar(moment, instants.type)
    except (OverflowError, pa.ArrowInvalid):
        return None


@attrs.frozen(slots=True)
class Cmp(Expr):
    """``left op right``; unknown when either side is missing."""

    op: str
    left: Expr
    right: Expr

    def arrow(self, scope: ArrowScope) -> pa.Array:
        right = self.right.arrow(scope)
        if isinstance(self.left, DateOf) and self.op in _DAY_BOUNDS and isinstance(right, pa.Scalar):
            instants = self.left.part.arrow(scope)
            bound = _day_bound(right, self.op, instants)
            if bound is not None:
                # the date of an instant against a fixed day: compare the instant with that day's
                # midnight instead of converting every instant to a date (same verdict, no cast)
                return _ARROW_CMP[">=" if self.op in (">", ">=") else "<"](instants, bound)
            return _ARROW_CMP[self.op](pc.cast(instants, pa.date32()), right)
        return _ARROW_CMP[self.op](self.left.arrow(scope), right)

    def py(self, scope: PyScope) -> Any:
        a, b = self.left.py(scope), self.right.py(scope)
        if a is None or b is None:
            return None
        return _PY_CMP[self.op](a, b)

    def fields(self) -> tuple[str, ...]:
        return self.left.fields() + self.right.fields()

    def text(self) -> str:
        return f"{self.left.text()} {self.op} {self.right.text()}"


def Lt(a: Expr, b: Expr) -> Cmp:  # noqa: N802 - reads as an operator
    """``a < b``."""
    return Cmp("<", a, b)


def Le(a: Expr, b: Expr) -> Cmp:  # noqa: N802
    """``a <= b``."""
    return Cmp("<=", a, b)


def Gt(a: Expr, b: Expr) -> Cmp:  # noqa: N802
    """``a > b``."""
    return Cmp(">", a, b)


def Ge(a: Expr, b: Expr) -> Cmp:  # noqa: N802
    """``a >= b``."""
    return Cmp(">=", a, b)


def Eq(a: Expr, b: Expr) -> Cmp:  # noqa: N802
    """``a == b``."""
    return Cmp("==", a, b)


def Ne(a: Expr, b: Expr) -> Cmp:  # noqa: N802
    """``a != b``."""
    return Cmp("!=", a, b)


@attrs.frozen(slots=True, init=False)
class _Junction(Expr):
    """Parts combined with one Kleene operator (the shared body of :class:`And` and :class:`Or`)."""

    parts: tuple[Expr, ...]

    def __init__(self, *parts: Expr) -> None:
        self.__attrs_init__(tuple(parts))

    def _combine(self, a: pa.Array, b: pa.Array) -> pa.Array:  # pragma: no cover - abstract
        raise NotImplementedError

    def _combine_py(self, values: list[Any]) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def arrow(self, scope: ArrowScope) -> pa.Array:
        out = self.parts[0].arrow(scope)
        for part in self.parts[1:]:
            out = self._combine(out, part.arrow(scope))
        return out

    def py(self, scope: PyScope) -> Any:
        return self._combine_py([part.py(scope) for part in self.parts])

    def fields(self) -> tuple[str, ...]:
        return tuple(f for part in self.parts for f in part.fields())


@attrs.frozen(slots=True, init=False)
class And(_Junction):
    """All parts true (Kleene logic)."""

    def _combine(self, a: pa.Array, b: pa.Array) -> pa.Array:
        return pc.and_kleene(a, b)

    def _combine_py(self, values: list[Any]) -> Any:
        return _kleene(values, decisive=False)

    def text(self) -> str:
        return " and ".join(f"({p.text()})" if isinstance(p, Or) else p.text() for p in self.parts)


@attrs.frozen(slots=True, init=False)
class Or(_Junction):
    """Any part true (Kleene logic)."""

    def _combine(self, a: pa.Array, b: pa.Array) -> pa.Array:
        return pc.or_kleene(a, b)

    def _combine_py(self, values: list[Any]) -> Any:
        return _kleene(values, decisive=True)

    def text(self) -> str:
        return " or ".join(p.text() for p in self.parts)


@attrs.frozen(slots=True)
class _OfPart(Expr):
    """Base of the expressions made from one expression ``part``: they read the fields it reads."""

    part: Expr

    def fields(self) -> tuple[str, ...]:
        return self.part.fields()


@attrs.frozen(slots=True)
class Not(_OfPart):
    """Negation; unknown stays unknown."""

    def arrow(self, scope: ArrowScope) -> pa.Array:
        return pc.invert(self.part.arrow(scope))

    def py(self, scope: PyScope) -> Any:
        value = self.part.py(scope)
        return None if value is None else not value

    def text(self) -> str:
        return f"not ({self.part.text()})"


def _encoded(part: Expr, scope: ArrowScope) -> pa.Array | pa.Scalar:
    """``part.arrow(scope)``, but a dictionary-encoded field stays encoded when its nulls are the rows' own.

    For presence tests: a dictionary whose entries are all non-null is null
    exactly where its indices are, so there is no need to decode the column.
    """
    if isinstance(part, F):
        raw = scope.resolve_raw(part.path)
        if not pa.types.is_dictionary(raw.type) or not raw.dictionary.null_count:
            return raw
    return part.arrow(scope)


@attrs.frozen(slots=True)
class IsSet(_OfPart):
    """The value is present (never unknown)."""

    def arrow(self, scope: ArrowScope) -> pa.Array:
        return pc.is_valid(_encoded(self.part, scope))

    def py(self, scope: PyScope) -> Any:
        return self.part.py(scope) is not None

    def text(self) -> str:
        return f"{self.part.text()} is given"


@attrs.frozen(slots=True)
class IsNull(_OfPart):
    """The value is missing (never unknown)."""

    def arrow(self, scope: ArrowScope) -> pa.Array:
        return pc.is_null(_encoded(self.part, scope))

    def py(self, scope: PyScope) -> Any:
        return self.part.py(scope) is None

    def text(self) -> str:
        return f"{self.part.text()} is missing"


def _value_set(values: frozenset[Any]) -> pa.Array:
    return value_set(values)


def comparable(array: pa.Array, values: pa.Array) -> tuple[pa.Array, pa.Array]:
    """``array`` and the literal ``values`` made comparable: the literals cast to the array's type, else both as text.

    >>> comparable(pa.array(["7", "8"]), pa.array([7]))[1].to_pylist()
    ['7']
    """
    if values.type == array.type:
        return array, values
    try:
        return array, pc.cast(values, array.type)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        return as_text(array), as_text(values)


def _py_in_as_type(value: Any, values: frozenset[Any]) -> bool:
    """The per-record side of :func:`comparable`: ``value`` among the literals cast to its type, else as text."""
    try:
        if isinstance(value, str):
            return value in {_py_text(v) for v in values}
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value in {type(value)(v) for v in values}
    except (TypeError, ValueError):
        pass
    return _py_text(value) in {_py_text(v) for v in values}


def _frozen(values: Iterable[Any]) -> frozenset[Any]:
    """``values`` as a frozenset (a typed converter: mypy cannot type ``converter=frozenset``)."""
    return frozenset(values)


@attrs.frozen(slots=True)
class In(_OfPart):
    """The value is one of ``values``; unknown when missing (the literals take the values' type, see the module)."""

    values: frozenset[Any] = attrs.field(converter=_frozen)

    def arrow(self, scope: ArrowScope) -> pa.Array:
        array = scope.resolve_raw(self.part.path) if isinstance(self.part, F) else self.part.arrow(scope)
        if isinstance(array, pa.Array) and pa.types.is_dictionary(array.type):
            # judge the (small) dictionary once; a null index or a null entry gives null
            return pc.take(self._hits(array.dictionary), array.indices)
        return self._hits(array)

    def _hits(self, array: pa.Array) -> pa.Array:
        if pa.types.is_null(array.type):
            return pa.nulls(len(array), pa.bool_())
        array, values = comparable(array, _value_set(self.values))
        hit = pc.is_in(array, value_set=values)
        return pc.if_else(pc.is_valid(array), hit, NULL_BOOL)

    def py(self, scope: PyScope) -> Any:
        value = self.part.py(scope)
        if value is None:
            return None
        return value in self.values or (any(type(v) is not type(value) for v in self.values)
                                        and _py_in_as_type(value, self.values))

    def text(self) -> str:
        return f"{self.part.text()} in {{{', '.join(sorted(map(str, self.values)))}}}"


def NotIn(part: Expr, values: frozenset[Any] | set[Any] | tuple[Any, ...]) -> Expr:  # noqa: N802
    """The value is present and not one of ``values``."""
    return Not(In(part, frozenset(values)))


@attrs.frozen(slots=True)
class DateOf(_OfPart):
    """The calendar date (UTC) of an instant."""

    def arrow(self, scope: ArrowScope) -> pa.Array:
        return pc.cast(self.part.arrow(scope), pa.date32())

    def py(self, scope: PyScope) -> Any:
        return _to_day(self.part.py(scope))

    def text(self) -> str:
        return f"date of {self.part.text()}"


@attrs.frozen(slots=True)
class AddDays(_OfPart):
    """A date moved by ``days`` days."""

    days: int

    def arrow(self, scope: ArrowScope) -> pa.Array:
        value = self.part.arrow(scope)
        if isinstance(value, pa.Scalar):
            return scalar(value.as_py() + timedelta(days=self.days), pa.date32())
        return pc.cast(pc.add(pc.cast(value, pa.int32()), scalar(self.days, pa.int32())), pa.date32())

    def py(self, scope: PyScope) -> Any:
        value = self.part.py(scope)
        return None if value is None else value + timedelta(days=self.days)

    def text(self) -> str:
        sign = "+" if self.days >= 0 else "-"
        return f"{self.part.text()} {sign} {abs(self.days)} days"


@attrs.frozen(slots=True)
class Plus(Expr):
    """The sum of two numbers; unknown when either is missing."""

    left: Expr
    right: Expr

    def arrow(self, scope: ArrowScope) -> pa.Array | pa.Scalar:
        return pc.add(self.left.arrow(scope), self.right.arrow(scope))

    def py(self, scope: PyScope) -> Any:
        a, b = self.left.py(scope), self.right.py(scope)
        return None if a is None or b is None else a + b

    def fields(self) -> tuple[str, ...]:
        return self.left.fields() + self.right.fields()

    def text(self) -> str:
        return f"({self.left.text()} + {self.right.text()})"


@attrs.frozen(slots=True)
class Matches(_OfPart):
    """The value's text matching a regular expression somewhere (ASCII classes only, same in both engines)."""

    pattern: str

    def arrow(self, scope: ArrowScope) -> pa.Array:
        values = self.part.arrow(scope)
        text = values if pa.types.is_string(values.type) else as_text(values)
        if len(text) < 1024:
            return pc.match_substring_regex(text, self.pattern)
        # raw values (ages, codes as written) repeat: the expression runs once per distinct value
        return per_unique(text, lambda v: pc.match_substring_regex(v, self.pattern))

    def py(self, scope: PyScope) -> Any:
        value = self.part.py(scope)
        if value is None:
            return None
        return re.search(self.pattern, value if isinstance(value, str) else _py_text(value)) is not None

    def text(self) -> str:
        return f"{self.part.text()} matches /{self.pattern}/"


@attrs.frozen(slots=True)
class ListLen(Expr):
    """Number of elements of a repeated value (0 when missing)."""

    path: str

    def arrow(self, scope: ArrowScope) -> pa.Array:
        return pc.fill_null(pc.list_value_length(scope.resolve(self.path)), scalar(0, pa.int32()))

    def py(self, scope: PyScope) -> Any:
        return len(scope.resolve(self.path) or ())

    def fields(self) -> tuple[str, ...]:
        return (self.path,)

    def text(self) -> str:
        return f"number of {self.path}"


@attrs.frozen(slots=True)
class Repeats(Expr):
    """True when the repeated value ``path`` holds one value twice or more (its nulls left out).

    Unknown (null) when the list itself is missing; false for an empty list. The elements are
    compared as values of their type (text with text); lists of plain values only.
    """

    path: str

    def arrow(self, scope: ArrowScope) -> pa.Array:
        values = scope.resolve(self.path)
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        n = len(values)
        flat = pc.list_flatten(values)
        if pa.types.is_dictionary(flat.type):
            flat = flat.cast(flat.type.value_type)
        present = pc.is_valid(flat)
        pairs = pa.table({"p": pc.filter(pc.list_parent_indices(values), present), "v": pc.filter(flat, present)})
        counts = pairs.group_by(["p", "v"], use_threads=False).aggregate([([], "count_all")])
        repeated = pc.filter(counts.column("p"), pc.greater(counts.column("count_all"), 1))
        hit = pc.is_in(arange(n), value_set=pc.unique(repeated.combine_chunks()).cast(pa.int64()))
        return pc.if_else(pc.is_null(values), pa.scalar(None, pa.bool_()), hit)

    def py(self, scope: PyScope) -> Any:
        items = scope.resolve(self.path)
        if items is None:
            return None
        present = [item for item in items if item is not None]
        return len(present) != len(set(present))

    def fields(self) -> tuple[str, ...]:
        return (self.path,)

    def text(self) -> str:
        return f"a value repeated in {self.path}"


@attrs.frozen(slots=True)
class AnyOf(Expr):
    """True when ``condition`` is true for at least one element of the repeated value ``path``.

    False when there is no such element (an empty or missing list).
    """

    path: str
    condition: Expr

    def arrow(self, scope: ArrowScope) -> pa.Array:
        inner = scope.sub(self.path)
        if inner.length == 0:
            return pc.is_valid(pa.nulls(scope.length, pa.bool_()))
        hit = pc.fill_null(self.condition.arrow(inner), FALSE)
        local = _local_parents(scope, inner)
        parents = pc.unique(pc.filter(local, hit))
        return pc.is_in(arange(scope.length), value_set=parents)

    def py(self, scope: PyScope) -> Any:
        return any(self.condition.py(inner) is True for inner in scope.sub(self.path))

    def fields(self) -> tuple[str, ...]:
        return (self.path,) + tuple(f"{self.path}.{f}" for f in self.condition.fields())

    def text(self) -> str:
        return f"any of {self.path} has {self.condition.text()}"


def _local_parents(outer: ArrowScope, inner: ArrowScope) -> pa.Array:
    """For each element of ``inner``, its position in ``outer``."""
    steps = inner.steps
    if not outer.steps:
        return inner.rows
    # Elements one list level deeper than ``outer``: their parent is the outer element.
    _, parent = outer.resolver.parent_of(steps)
    return parent
