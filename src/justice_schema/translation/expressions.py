"""Expression steps: each computes one value for every row of a batch with Arrow compute.

A spec's expressions compile (see :mod:`justice_schema.translation.compiler`) into
trees of these frozen step objects. ``evaluate(ctx)`` returns a
:class:`~justice_schema.translation.context.Value` for the whole batch at once;
nothing loops over rows in Python. Steps report bad values to the context,
which turns them into rejects of the source rows.

``out`` says what a step yields (``"string"``, ``"int"``, ``"number"``,
``"bool"``, ``"date"``, ``"timestamp"``, ``"list"`` or ``"any"``) so the
compiler can check, before any data is read, that a date field gets a date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache, partial
from typing import Any, ClassVar

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import arange, as_text, one_array, per_unique
from justice_schema._toolkit.dates import format_regex, strict_strptime
from justice_schema._toolkit.scalars import scalar
from justice_schema.translation import textops
from justice_schema.translation.context import EvalContext, Value
from justice_schema.translation.listops import counts_per_parent, list_offsets
from justice_schema.validation import expr as cond

__all__ = [
    "Step",
    "Column",
    "Const",
    "Concat",
    "Coalesce",
    "NamePart",
    "ParseDate",
    "ParseDatetime",
    "LocalDate",
    "Rank",
    "ClassifyOffense",
    "Param",
    "MapValues",
    "IfElse",
    "Transform",
    "MakeId",
    "ToInt",
    "ToNumber",
    "ToBool",
    "Regex",
    "ItemIndex",
    "Split",
    "SourceInfo",
    "Modified",
    "Condition",
    "StepValue",
    "StepScope",
    "CompiledMap",
    "blank_to_null",
]

TIMESTAMP = pa.timestamp("us", tz="UTC")


def blank_to_null(array: pa.Array) -> pa.Array:
    """Empty strings as null (empty text is never a value in the canonical model)."""
    if array.null_count == len(array):
        return array
    shortest = pc.min(pc.binary_length(array)).as_py()
    if shortest is None or shortest > 0:
        return array  # nothing blank: skip the string comparison
    return pc.if_else(pc.equal(array, scalar("")), scalar(None, array.type), array)


@lru_cache(maxsize=1024)
def text_set(values: tuple[str, ...]) -> pa.Array:
    """``values`` as a string array for ``value_set=``, built once per tuple.

    See :func:`justice_schema.translation.context.scalar` for why literals are cached.
    """
    return pa.array(values, pa.string())


def matches(text: pa.Array, pattern: str) -> pa.Array:
    """Whether each text matches the RE2 ``pattern`` (false, never null, for nulls), once per distinct text."""
    return per_unique(text, lambda t: pc.fill_null(pc.match_substring_regex(t, pattern), scalar(False)),
                      costly=False)


def _cleaned(value: Value) -> pa.Array:
    """The value as text, trimmed, blanks as null (no work when it is already so)."""
    if value.clean:
        return value.array
    return blank_to_null(textops.trim(as_text(value.array)))


def _quoted(values: pa.Array, before: str, after: str) -> pa.Array:
    """Per-row messages ``before'value'after`` (values shortened to 60 characters)."""
    text = pc.utf8_slice_codeunits(as_text(values), 0, 60)
    return pc.binary_join_element_wise(scalar(before + "'"), text, scalar("'" + after), scalar(""),
                                       null_handling="replace", null_replacement="")


class Step:
    """Base of expression steps (attrs frozen classes)."""

    out: str = "any"

    def evaluate(self, ctx: EvalContext) -> Value:  # pragma: no cover - interface
        """Compute the value for every row of ``ctx.table``."""
        raise NotImplementedError

    def columns(self) -> set[str]:
        """Source columns the step reads (for the unused-columns report)."""
        return columns_read(self)


def columns_read(node: Step | Condition) -> set[str]:
    """The source columns an expression or condition reads: those of every step or condition inside it."""
    if isinstance(node, Condition):
        return node.columns()
    found: set[str] = set()
    for value in attrs.astuple(node, recurse=False):  # type: ignore[arg-type]
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, (Step, Condition)):
                found |= item.columns()
    return found


@attrs.frozen(slots=True)
class Column(Step):
    """A source column (``column = "Name"``), trimmed; blank text becomes null."""

    name: str
    trim: bool = True
    out = "string"

    def evaluate(self, ctx: EvalContext) -> Value:
        array = as_text(ctx.column(self.name))
        if self.trim:
            array = textops.trim(array)
        array = blank_to_null(array)
        return Value(array, array, clean=self.trim)

    def columns(self) -> set[str]:
        return {self.name}


def _const_type(value: Any) -> tuple[pa.DataType, str]:
    if isinstance(value, bool):
        return pa.bool_(), "bool"
    if isinstance(value, int):
        return pa.int64(), "int"
    if isinstance(value, float):
        return pa.float64(), "number"
    return pa.string(), "string"


@attrs.frozen(slots=True)
class Const(Step):
    """The same value on every row (``const = ...``)."""

    value: Any

    @property
    def out(self) -> str:  # type: ignore[override]
        return _const_type(self.value)[1]

    def evaluate(self, ctx: EvalContext) -> Value:
        kind, _ = _const_type(self.value)
        return Value(pa.repeat(scalar(self.value, kind), ctx.n), None)


def join_skipping_nulls(arrays: Sequence[pa.Array], sep: str) -> pa.Array:
    """Element-wise join of text arrays, leaving out null parts; null where every part is null.

    (Arrow's own ``binary_join_element_wise(..., null_handling="skip")`` drops
    the rows where every part is null in pyarrow 26, so the result comes out
    shorter than its inputs; this keeps one value per row.)
    """
    result = arrays[0]
    for part in arrays[1:]:
        both = pc.binary_join_element_wise(result, part, scalar(sep))
        result = pc.if_else(pc.is_null(result), part, pc.if_else(pc.is_null(part), result, both))
    return result


@attrs.frozen(slots=True)
class Concat(Step):
    """Parts joined with ``sep``; missing parts are left out, all missing gives null."""

    parts: tuple[Step, ...]
    sep: str = ""
    out = "string"

    def evaluate(self, ctx: EvalContext) -> Value:
        arrays = [as_text(ctx.eval(p).array) for p in self.parts]
        if len(arrays) == 1:
            joined = arrays[0]
        else:
            joined = join_skipping_nulls(arrays, self.sep)
        joined = blank_to_null(joined)
        return Value(joined, joined)


@attrs.frozen(slots=True)
class Coalesce(Step):
    """The first part that is not null."""

    parts: tuple[Step, ...]

    @property
    def out(self) -> str:  # type: ignore[override]
        kinds = {p.out for p in self.parts}
        return kinds.pop() if len(kinds) == 1 else "any"

    def evaluate(self, ctx: EvalContext) -> Value:
        values = [ctx.eval(p) for p in self.parts]
        arrays = [v.array for v in values]
        if len({a.type for a in arrays}) > 1:
            arrays = [as_text(a) for a in arrays]
        raws = [v.raw for v in values if v.raw is not None]
        raw = pc.coalesce(*[as_text(r) for r in raws]) if raws else None
        return Value(pc.coalesce(*arrays), raw)


_SUFFIX = r"(?:JR|SR|II|III|IV|V|2ND|3RD)\.?"
_LAST_FIRST = (
    rf"(?i)^(?P<family>[^,]*?)(?:\s+(?P<sfx1>{_SUFFIX}))?\s*,\s*(?P<given>[^\s,]+)?"
    rf"(?:\s+(?P<middle>.*?))??(?:\s*,?\s+(?P<sfx2>{_SUFFIX}))?\s*$"
)


@attrs.frozen(slots=True)
class NamePart(Step):
    """One part of a ``"LAST, FIRST MIDDLE"`` name (``name = expr, part = "family"``).

    A generational suffix (JR, SR, II, III, IV) is recognised after the family
    name (``SMITH JR, JOHN``) or at the end (``SMITH, JOHN A JR``). Text with no
    comma is taken as the family name alone.
    """

    inner: Step
    part: str
    out = "string"

    def evaluate(self, ctx: EvalContext) -> Value:
        parsed = ctx.eval(_ParsedName(self.inner)).array
        return Value(pc.struct_field(parsed, self.part), pc.struct_field(parsed, "text"), clean=True)


_NAME_FIELDS = ("text", "family", "given", "middle", "suffix")


def _split_names(names: pa.Array) -> pa.Array:
    """Names split into a struct of ``text`` (spaces tidied) and the four parts, each trimmed, blank as null."""
    text = blank_to_null(pc.replace_substring_regex(textops.trim(names), r"\s{2,}", " "))
    parts = pc.extract_regex(text, _LAST_FIRST)
    has_comma = pc.fill_null(pc.is_valid(parts), scalar(False))
    none = scalar(None, pa.string())

    def tidy(array: pa.Array) -> pa.Array:
        return blank_to_null(textops.trim(array))

    suffix = pc.coalesce(blank_to_null(pc.struct_field(parts, "sfx1")), blank_to_null(pc.struct_field(parts, "sfx2")))
    columns = [
        text,
        tidy(pc.if_else(has_comma, blank_to_null(pc.struct_field(parts, "family")), text)),
        tidy(pc.if_else(has_comma, blank_to_null(pc.struct_field(parts, "given")), none)),
        tidy(pc.if_else(has_comma, blank_to_null(pc.struct_field(parts, "middle")), none)),
        tidy(pc.if_else(has_comma, textops.upper(pc.replace_substring(suffix, ".", "")), none)),
    ]
    return pa.StructArray.from_arrays(columns, names=list(_NAME_FIELDS))


@attrs.frozen(slots=True)
class _ParsedName(Step):
    """The regex split of a name, shared by the four :class:`NamePart` steps of one column.

    The split runs once per distinct name of the batch (names repeat on every
    charge row of a person), and all four parts come out of that one pass.
    """

    inner: Step

    def evaluate(self, ctx: EvalContext) -> Value:
        return Value(per_unique(as_text(ctx.eval(self.inner).array), _split_names))


@attrs.frozen(slots=True)
class ParseDate(Step):
    """Text to a date, trying ``formats`` (strptime codes) in order; text that fits none is rejected."""

    inner: Step
    formats: tuple[str, ...]
    label: str = attrs.field(eq=False)
    out = "date"

    def evaluate(self, ctx: EvalContext) -> Value:
        value = ctx.eval(self.inner)
        text = as_text(value.array)
        parsed = per_unique(text, lambda t: pc.cast(pc.cast(pc.coalesce(*[strict_strptime(t, f) for f in self.formats]),
                                                            pa.timestamp("s")), pa.date32()))
        bad = pc.and_(pc.is_valid(text), pc.is_null(parsed))
        ctx.problem_quoted(bad, text, f"{self.label}: ", f" is not a date in format {' or '.join(self.formats)}")
        return Value(parsed, value.raw)


_DATE_DIRECTIVES = frozenset("YymdbBj")
_TIME_DIRECTIVES = frozenset("HIMSpf")
#: Strptime gives a time read alone this date; subtracting it leaves the time of day.
_TIME_BASE = pa.scalar(datetime(1900, 1, 1), pa.timestamp("s"))


def _time_of_day(text: pa.Array, fmt: str) -> pa.Array:
    """The time of day of ``text`` read with strptime format ``fmt`` (strictly), as a duration."""
    return pc.subtract(strict_strptime(text, fmt), _TIME_BASE)


def literal_z(fmt: str) -> bool:
    """True when ``fmt`` has a literal ``Z`` (not the directive ``%Z``): the text is a UTC time."""
    i = 0
    while i < len(fmt):
        if fmt[i] == "%":
            i += 2
            continue
        if fmt[i] == "Z":
            return True
        i += 1
    return False


def carries_offset(fmt: str) -> bool:
    """True when text of format ``fmt`` says its own offset from UTC (``%z`` or a literal ``Z``)."""
    return "z" in _directives(fmt) or literal_z(fmt)


def _directives(fmt: str) -> set[str]:
    return {fmt[i + 1] for i in range(len(fmt) - 1) if fmt[i] == "%" and (i == 0 or fmt[i - 1] != "%")}


def _date_time_pieces(inner: Step, formats: tuple[str, ...]) -> list[tuple[str, str]] | None:
    """Each format as (date part, time part) when ``inner`` joins a date and a time that way; else ``None``.

    The separator must be text no directive can match (spaces or ``,;|/_``),
    so that the joined text fits a format exactly when each part fits its half.
    """
    if not isinstance(inner, Concat) or len(inner.parts) != 2 or not inner.sep:
        return None
    if any(not (ch.isspace() or ch in ",;|/_") for ch in inner.sep):
        return None
    pieces = []
    for fmt in formats:
        if literal_z(fmt):
            return None
        halves = fmt.split(inner.sep)
        if len(halves) != 2:
            return None
        date_part, time_part = (_directives(h) for h in halves)
        if not (date_part and time_part and date_part <= _DATE_DIRECTIVES and time_part <= _TIME_DIRECTIVES):
            return None
        if format_regex(halves[0]) is None or format_regex(halves[1]) is None:
            return None
        pieces.append((halves[0], halves[1]))
    return pieces


@attrs.frozen(slots=True)
class _ZonedText(Step):
    """Base of the steps reading text as time: the input, its ``formats`` (tried in order) and the IANA ``timezone``."""

    inner: Step
    formats: tuple[str, ...]
    timezone: str
    label: str = attrs.field(eq=False)


@attrs.frozen(slots=True)
class ParseDatetime(_ZonedText):
    """Text to an instant. Local times (no ``%z``) are read in the agency's time zone.

    A format with a literal ``Z`` (``%Y-%m-%dT%H:%M:%SZ``) reads UTC times, as the
    ``Z`` says; ``%z`` reads the offset written in the text (``Z``, ``+0200``, ``-06:00``).

    A local time that does not exist (skipped by a daylight-saving change) is
    moved forward past the gap; an ambiguous one takes the earlier instant.
    """

    out = "timestamp"

    def evaluate(self, ctx: EvalContext) -> Value:
        value = ctx.eval(self.inner)
        text = as_text(value.array)
        result = self._parse_pieces(ctx)
        if result is None:
            result = per_unique(text, self._parse)
        bad = pc.and_(pc.is_valid(text), pc.is_null(result))
        ctx.problem_quoted(bad, text, f"{self.label}: ", f" is not a date-time in format {' or '.join(self.formats)}")
        return Value(result, value.raw)

    def _parse_pieces(self, ctx: EvalContext) -> pa.Array | None:
        """A date column and a time column joined: each parsed once per distinct value, then added.

        A date and a time written apart repeat far more than their pairs, so
        this is much cheaper than parsing the joined text. It gives exactly what
        parsing the joined text gives, and is used only when it must: the spec
        joins two parts with a separator, every format splits on it into a date
        part and a time part, and on every row both parts are present and
        neither holds the separator (otherwise ``None``: parse the joined text).
        """
        pieces = _date_time_pieces(self.inner, self.formats)
        if pieces is None:
            return None
        sep = self.inner.sep  # type: ignore[attr-defined]
        dates, times = (as_text(ctx.eval(p).array) for p in self.inner.parts)  # type: ignore[attr-defined]
        if dates.null_count or times.null_count or textops.contains(dates, sep) or textops.contains(times, sep):
            return None
        candidates = []
        for date_format, time_format in pieces:
            day = per_unique(dates, partial(strict_strptime, fmt=date_format))
            clock = per_unique(times, partial(_time_of_day, fmt=time_format))
            parsed = pc.assume_timezone(pc.add(day, clock), timezone=self.timezone, ambiguous="earliest",
                                        nonexistent="latest")
            candidates.append(pc.cast(parsed, TIMESTAMP))
        return pc.coalesce(*candidates)

    def _parse(self, text: pa.Array) -> pa.Array:
        return parse_instants(text, self.formats, self.timezone)


def parse_instants(text: pa.Array, formats: Sequence[str], timezone: str) -> pa.Array:
    """Text to UTC instants, trying ``formats`` in order (null where none fits).

    ``%z`` reads the offset in the text; a literal ``Z`` means UTC; other text is
    local time in ``timezone`` (a skipped local time moves forward past the gap,
    an ambiguous one takes the earlier instant).
    """
    candidates = []
    for fmt in formats:
        parsed = strict_strptime(text, fmt)
        if parsed.type.tz is None:
            zone = "UTC" if literal_z(fmt) else timezone
            parsed = pc.assume_timezone(parsed, timezone=zone, ambiguous="earliest", nonexistent="latest")
        candidates.append(pc.cast(parsed, TIMESTAMP))
    return pc.coalesce(*candidates)


def calendar_dates(instants: pa.Array, timezone: str) -> pa.Array:
    """The calendar date of each instant in the IANA ``timezone`` (whole-array)."""
    if instants.type.tz is None:
        instants = pc.assume_timezone(instants, timezone="UTC")
    zoned = pc.cast(instants, pa.timestamp(instants.type.unit, tz=timezone))
    return pc.cast(pc.local_timestamp(zoned), pa.date32())


@attrs.frozen(slots=True)
class LocalDate(_ZonedText):
    """The agency's calendar date of an instant (``local_date = expr, timezone = "America/Denver"``).

    The input is an instant (a ``datetime`` expression) or text that carries its
    offset, read with ``formats`` (each has ``%z`` or a literal ``Z``). An arrest at
    ``2024-04-17T02:10:00Z`` is on 2024-04-16 in Denver. Text that fits no format
    rejects the row.
    """

    out = "date"

    def evaluate(self, ctx: EvalContext) -> Value:
        value = ctx.eval(self.inner)
        array = value.array
        if pa.types.is_timestamp(array.type):
            return Value(calendar_dates(array, self.timezone), value.raw)
        text = as_text(array)
        dates = per_unique(text, lambda t: calendar_dates(parse_instants(t, self.formats, "UTC"), self.timezone))
        bad = pc.and_(pc.is_valid(text), pc.is_null(dates))
        ctx.problem_quoted(bad, text, f"{self.label}: ",
                           f" is not a date-time with an offset in format {' or '.join(self.formats)}")
        return Value(dates, value.raw)


@attrs.frozen(slots=True)
class CompiledMap:
    """A value map ready to apply: upper-cased keys (unless case-sensitive) and their codes."""

    name: str
    keys: pa.Array
    codes: pa.Array
    unmapped: str = "reject"
    unknown: str | None = None
    case_sensitive: bool = False
    reason: str | None = None

    @classmethod
    def build(cls, name: str, values: Mapping[str, str], unmapped: str = "reject", unknown: str | None = None,
              case_sensitive: bool = False, reason: str | None = None) -> CompiledMap:
        """A map from ``values`` (vendor text -> canonical code).

        ``reason`` is the rule a rejected value breaks, quoted after the value
        in the reject (``"... has no mapping in sex_of_arrestee: M or F only
        (FBI edits 667/758)"``).
        """
        pairs: dict[str, str] = {}
        for key, code in values.items():
            norm = " ".join(key.split())
            pairs[norm if case_sensitive else norm.upper()] = code
        return cls(name, pa.array(list(pairs), pa.string()), pa.array(list(pairs.values()), pa.string()),
                   unmapped, unknown, case_sensitive, reason)


@attrs.frozen(slots=True)
class MapValues(Step):
    """Vendor words or codes to canonical codes through a value map or code-table lookup.

    Unmapped values are counted in the reconciliation and, by the map's policy,
    reject the row (``reject``), become the ``unknown`` code (``unknown``), or
    become null with the raw text kept and a warning (``keep_raw_warn``).
    """

    inner: Step
    table: CompiledMap
    label: str = attrs.field(eq=False)
    out = "string"

    def evaluate(self, ctx: EvalContext) -> Value:
        value = ctx.eval(self.inner)
        text = _cleaned(value)
        index = per_unique(text, self._index)
        codes = pc.take(self.table.codes, index)
        unmapped = pc.and_(pc.is_valid(text), pc.is_null(index))
        if pc.any(unmapped).as_py():
            ctx.count_unmapped(f"{self.label} ({self.table.name})", pc.filter(text, unmapped))
            policy = self.table.unmapped
            if policy == "reject":
                why = f": {self.table.reason}" if self.table.reason else ""
                ctx.problem_quoted(unmapped, text, f"{self.label}: ", f" has no mapping in {self.table.name}{why}")
            elif policy == "unknown":
                codes = pc.if_else(unmapped, scalar(self.table.unknown, pa.string()), codes)
            else:
                ctx.warnings[f"{self.label}: unmapped values kept as raw text ({self.table.name})"] += int(
                    pc.sum(unmapped).as_py() or 0)
        raw = value.raw if value.raw is not None else text
        return Value(codes, raw)

    def _index(self, text: pa.Array) -> pa.Array:
        key = pc.replace_substring_regex(text, r"\s{2,}", " ")
        if not self.table.case_sensitive:
            key = textops.upper(key)
        return pc.index_in(key, value_set=self.table.keys)


@attrs.frozen(slots=True)
class IfElse(Step):
    """``if = condition, then = expr, else = expr`` (else defaults to null)."""

    test: Condition
    then: Step
    otherwise: Step | None

    @property
    def out(self) -> str:  # type: ignore[override]
        if self.otherwise is None or self.otherwise.out == self.then.out:
            return self.then.out
        return "any"

    def evaluate(self, ctx: EvalContext) -> Value:
        # Each branch runs only on its own rows, so a branch's problems (a date that
        # does not parse) are never reported for rows the other branch handles.
        mask = pc.fill_null(self.test.mask(ctx), scalar(False))
        other_mask = pc.invert(mask)
        then = self.then.evaluate(ctx.subset(mask))
        if self.otherwise is None:
            other = Value(pa.nulls(ctx.n - len(then.array), then.array.type), None)
        else:
            other = self.otherwise.evaluate(ctx.subset(other_mask))
        a, b = then.array, other.array
        if a.type != b.type:
            if pa.types.is_null(b.type):
                b = pa.nulls(len(b), a.type)
            elif pa.types.is_null(a.type):
                a = pa.nulls(len(a), b.type)
            else:
                a, b = as_text(a), as_text(b)
        result = pc.replace_with_mask(pc.replace_with_mask(pa.nulls(ctx.n, a.type), mask, a), other_mask, b)
        raw = None
        if then.raw is not None or other.raw is not None:
            raw_a = as_text(then.raw) if then.raw is not None else pa.nulls(len(a), pa.string())
            raw_b = as_text(other.raw) if other.raw is not None else pa.nulls(len(b), pa.string())
            raw = pc.replace_with_mask(pc.replace_with_mask(pa.nulls(ctx.n, pa.string()), mask, raw_a),
                                       other_mask, raw_b)
        return Value(result, raw)


#: A registered transform: ``fn(*arrays, **options)`` returns an array, or
#: ``(array, invalid_mask, reason)`` to reject the rows where ``invalid_mask`` is true.
TransformFunction = Callable[..., Any]


@attrs.frozen(slots=True)
class Transform(Step):
    """A named Python function registered with :func:`~justice_schema.translation.register_transform`."""

    name: str
    function: TransformFunction = attrs.field(eq=False, repr=False)
    args: tuple[Step, ...]
    options: tuple[tuple[str, Any], ...]
    label: str = attrs.field(eq=False)
    out = "any"

    def evaluate(self, ctx: EvalContext) -> Value:
        values = [ctx.eval(a) for a in self.args]
        result = self.function(*[v.array for v in values], **dict(self.options))
        if isinstance(result, tuple):
            array, invalid, reason = result
            if pa.types.is_string(values[0].array.type) if values else False:
                ctx.problem_quoted(invalid, values[0].array, f"{self.label}: ", f" {reason}")
            else:
                ctx.problem(invalid, f"{self.label}: {reason}", label=self.label)
        else:
            array = result
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        if len(array) != ctx.n:
            raise ValueError(f"transform {self.name!r} returned {len(array)} values for {ctx.n} rows")
        raws = [v.raw for v in values if v.raw is not None]
        return Value(array, as_text(raws[0]) if len(raws) == 1 else None)


@attrs.frozen(slots=True)
class MakeId(Step):
    """A deterministic record id: ``prefix:key1:key2``, from source keys, independent of row order.

    Characters outside ``A-Z a-z 0-9 . _ : -`` become ``_``. A row with a key
    part missing is rejected (a record needs an id). ``raw`` is the key as
    written, which becomes ``source.record_key`` unless the entity says otherwise.
    """

    parts: tuple[Step, ...]
    prefix: str
    label: str = attrs.field(eq=False)
    out = "string"

    def evaluate(self, ctx: EvalContext) -> Value:
        arrays = [_cleaned(ctx.eval(p)) for p in self.parts]
        missing = pc.is_null(arrays[0])
        for a in arrays[1:]:
            missing = pc.or_(missing, pc.is_null(a))
        ctx.problem(missing, f"{self.label}: a key part of the record id is missing", label=self.label)
        raw = pc.binary_join_element_wise(*arrays, scalar(":"), null_handling="emit_null") if len(arrays) > 1 else arrays[0]
        safe = raw if textops.only_bytes(raw, _ID_BYTES) else pc.replace_substring_regex(raw, r"[^A-Za-z0-9._:-]", "_")
        ident = pc.binary_join_element_wise(scalar(self.prefix), safe, scalar(":")) if self.prefix else safe
        return Value(ident, raw)


#: The bytes an id may hold as they are (``A-Z a-z 0-9 . _ : -``); any other character becomes ``_``.
_ID_BYTES = np.array([chr(b).isascii() and (chr(b).isalnum() or chr(b) in "._:-") for b in range(256)])



@attrs.frozen(slots=True)
class _ParsedNumber(Step):
    """Base of ``int = expr`` and ``number = expr``: numbers pass as ``TARGET``; text must match ``PATTERN``.

    Subclasses set the class constants; text that does not match is rejected as
    ``"<label>: '<text>' is not <NOUN>"``.
    """

    TARGET: ClassVar[pa.DataType]
    PATTERN: ClassVar[str]
    NOUN: ClassVar[str]
    inner: Step
    label: str = attrs.field(eq=False)

    def _passes(self, type_: pa.DataType) -> bool:
        return bool(pa.types.is_integer(type_))

    def evaluate(self, ctx: EvalContext) -> Value:
        value = ctx.eval(self.inner)
        if self._passes(value.array.type):
            return Value(pc.cast(value.array, self.TARGET), value.raw)
        text = as_text(value.array)
        ok = pc.fill_null(matches(text, self.PATTERN), scalar(False))
        ctx.problem_quoted(pc.and_(pc.is_valid(text), pc.invert(ok)), text, f"{self.label}: ", f" is not {self.NOUN}")
        return Value(pc.cast(pc.if_else(ok, text, scalar(None, pa.string())), self.TARGET), value.raw)


@attrs.frozen(slots=True)
class ToInt(_ParsedNumber):
    """Text to a whole number (``int = expr``); other text is rejected."""

    TARGET: ClassVar[pa.DataType] = pa.int64()
    PATTERN: ClassVar[str] = r"^[+-]?\d{1,15}$"
    NOUN: ClassVar[str] = "a whole number"
    out = "int"


@attrs.frozen(slots=True)
class ToNumber(_ParsedNumber):
    """Text to a decimal number (``number = expr``); other text is rejected."""

    TARGET: ClassVar[pa.DataType] = pa.float64()
    PATTERN: ClassVar[str] = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
    NOUN: ClassVar[str] = "a number"
    out = "number"

    def _passes(self, type_: pa.DataType) -> bool:
        return bool(pa.types.is_integer(type_) or pa.types.is_floating(type_))


DEFAULT_TRUE = ("Y", "YES", "TRUE", "T", "1")
DEFAULT_FALSE = ("N", "NO", "FALSE", "F", "0")


def truth(text: pa.Array, true: tuple[str, ...], false: tuple[str, ...]) -> pa.Array:
    """True for the ``true`` words, false for the ``false`` words, null otherwise (worked out per distinct word)."""
    def decide(words: pa.Array) -> pa.Array:
        return pc.if_else(pc.is_in(words, value_set=text_set(true)), scalar(True),
                          pc.if_else(pc.is_in(words, value_set=text_set(false)), scalar(False),
                                     scalar(None, pa.bool_())))
    return per_unique(text, decide, costly=False)


@attrs.frozen(slots=True)
class ToBool(Step):
    """Text to true/false (``bool = expr``, with ``true``/``false`` word lists; case-insensitive)."""

    inner: Step
    true: tuple[str, ...]
    false: tuple[str, ...]
    label: str = attrs.field(eq=False)
    out = "bool"

    def evaluate(self, ctx: EvalContext) -> Value:
        value = ctx.eval(self.inner)
        if pa.types.is_boolean(value.array.type):
            return value
        text = textops.upper(as_text(value.array))
        result = truth(text, tuple(t.upper() for t in self.true), tuple(f.upper() for f in self.false))
        bad = pc.and_(pc.is_valid(text), pc.is_null(result))
        ctx.problem_quoted(bad, text, f"{self.label}: ", " is not a yes/no value")
        return Value(result, value.raw)


@attrs.frozen(slots=True)
class Regex(Step):
    """The part of the text matched by a regex group (RE2 syntax); null when it does not match."""

    inner: Step
    pattern: str
    group: int | str = 1
    out = "string"

    def evaluate(self, ctx: EvalContext) -> Value:
        value = ctx.eval(self.inner)
        text = as_text(value.array)
        pattern = self.pattern
        if isinstance(self.group, int):
            # extract_regex needs named groups: name every unnamed one g1, g2, ...
            counter = iter(range(1, 1000))
            pattern = re.sub(r"\((?!\?)", lambda _m: f"(?P<g{next(counter)}>", pattern)
            name = f"g{self.group}"
        else:
            name = self.group
        parts = pc.extract_regex(text, pattern)
        return Value(blank_to_null(pc.struct_field(parts, name)), value.raw)


@attrs.frozen(slots=True)
class ItemIndex(Step):
    """The 1-based number of the item within ``each.repeat`` or ``each.array``."""

    out = "int"

    def evaluate(self, ctx: EvalContext) -> Value:
        if ctx.item_index is None:
            return Value(pa.nulls(ctx.n, pa.int64()), None)
        return Value(pc.cast(ctx.item_index, pa.int64()), None)


@attrs.frozen(slots=True)
class Split(Step):
    """Text split on ``sep`` into a list of trimmed, non-empty parts."""

    inner: Step
    sep: str
    out = "list"

    def evaluate(self, ctx: EvalContext) -> Value:
        value = ctx.eval(self.inner)
        parts = pc.split_pattern(as_text(value.array), self.sep)
        flat = textops.trim(pc.list_flatten(parts))
        keep = pc.not_equal(flat, scalar(""))
        parents = pc.list_parent_indices(parts)
        kept_parents = pc.filter(parents, keep)
        counts = counts_per_parent(kept_parents, ctx.n)
        offsets = list_offsets(counts)
        lists = pa.ListArray.from_arrays(offsets, pc.filter(flat, keep))
        lists = pc.if_else(pc.is_valid(value.array), lists, scalar(None, lists.type))
        return Value(lists, value.raw)


@attrs.frozen(slots=True)
class SourceInfo(Step):
    """Where the row came from: its ``file`` name (without the folder), ``line`` number or ``record_type``."""

    what: str

    @property
    def out(self) -> str:  # type: ignore[override]
        return "int" if self.what == "line" else "string"

    def evaluate(self, ctx: EvalContext) -> Value:
        if self.what == "record_type":
            return Value(pa.repeat(scalar(ctx.record_type, pa.string()), ctx.n), None)
        if self.what == "file":  # the name only: a folder called "arrests" must not match "arrest"
            return Value(file_names(ctx.column("_source_file")), None)
        return Value(ctx.column("_source_line"), None)


def file_names(paths: pa.Array) -> pa.Array:
    """The last part of each path (after the last ``/`` or ``\\``), computed once per distinct path."""
    if len(paths) == 0 or not pa.types.is_string(paths.type):
        return paths
    encoded = pc.dictionary_encode(paths)
    names = pc.replace_substring_regex(encoded.dictionary, r"^.*[/\\]", "")
    return pc.take(names, encoded.indices)


@attrs.frozen(slots=True)
class Param(Step):
    """A translator parameter (``param = "agency_ori"``): the value given when the translator was made,
    the same on every row; null when an optional parameter was not given."""

    name: str
    value: str | None
    out = "string"

    def evaluate(self, ctx: EvalContext) -> Value:
        if self.value is None:
            return Value(pa.nulls(ctx.n, pa.string()), None)
        return Value(pa.repeat(scalar(self.value, pa.string()), ctx.n), None)


def _changed(sorted_values: pa.Array) -> pa.Array:
    """Per position of a sorted array: true where the value differs from the one before (true at 0).

    Two nulls count as equal, a null and a value as different.
    """
    n = len(sorted_values)
    if n == 0:
        return pa.array([], pa.bool_())
    before = pa.concat_arrays([pa.nulls(1, sorted_values.type), sorted_values.slice(0, n - 1)])
    differs = pc.fill_null(pc.not_equal(sorted_values, before), scalar(False))
    one_null = pc.xor(pc.is_null(sorted_values), pc.is_null(before))
    first = pc.equal(arange(n), scalar(0, pa.int64()))
    return pc.or_(pc.or_(differs, one_null), first)


def _run_starts(starts: pa.Array) -> pa.Array:
    """For each position, the position where its run began (``starts`` marks the first of each run)."""
    positions = pc.if_else(starts, arange(len(starts)), scalar(0, pa.int64()))
    return pc.cumulative_max(positions)


@attrs.frozen(slots=True)
class Rank(Step):
    """The 1-based place of each row within its group, in a given order (``rank = [group keys], order = [...]``).

    Rows are grouped by the ``by`` expressions (nulls form a group of their own)
    and sorted by the ``order`` expressions, each ascending or descending (nulls
    last); ties keep source order. ``ties`` says what equal order values get:
    ``row_number`` (1, 2, 3: every row its own number), ``min`` (1, 1, 3) or
    ``dense`` (1, 1, 2). Computed with one sort of the whole input of the record
    type: rows of a record type that ranks are held until the input is read, so
    a group never straddles two batches.
    """

    by: tuple[Step, ...]
    order: tuple[tuple[Step, bool], ...]
    ties: str = "row_number"
    out = "int"

    def columns(self) -> set[str]:
        found: set[str] = set()
        for step in (*self.by, *(s for s, _ in self.order)):
            found |= step.columns()
        return found

    def evaluate(self, ctx: EvalContext) -> Value:
        n = ctx.n
        columns: dict[str, pa.Array] = {}
        keys: list[tuple[str, str, str]] = []
        for i, step in enumerate(self.by):
            columns[f"g{i}"] = as_text(ctx.eval(step).array)
            keys.append((f"g{i}", "ascending", "at_end"))
        for i, (step, descending) in enumerate(self.order):
            array = ctx.eval(step).array
            if pa.types.is_null(array.type):
                array = pa.nulls(n, pa.string())
            columns[f"o{i}"] = array
            keys.append((f"o{i}", "descending" if descending else "ascending", "at_end"))
        columns["pos"] = arange(n)
        keys.append(("pos", "ascending", "at_end"))
        table = pa.table(columns)
        order = pc.sort_indices(table, sort_keys=keys)
        ranked = table.take(order)
        group_start = pa.repeat(scalar(False), n) if self.by else pc.equal(arange(n), scalar(0, pa.int64()))
        for i in range(len(self.by)):
            group_start = pc.or_(group_start, _changed(one_array(ranked.column(f"g{i}"))))
        first_of_group = _run_starts(group_start)
        if self.ties == "row_number":
            place = pc.add(pc.subtract(arange(n), first_of_group), scalar(1, pa.int64()))
        else:
            tie_start = group_start
            for i in range(len(self.order)):
                tie_start = pc.or_(tie_start, _changed(one_array(ranked.column(f"o{i}"))))
            if self.ties == "min":
                place = pc.add(pc.subtract(_run_starts(tie_start), first_of_group), scalar(1, pa.int64()))
            else:  # dense
                counted = pc.cumulative_sum(pc.cast(tie_start, pa.int64()))
                place = pc.add(pc.subtract(counted, pc.take(counted, first_of_group)), scalar(1, pa.int64()))
        back = pc.sort_indices(order)  # the inverse permutation: each row's place in the sorted order
        return Value(pc.take(place, back), None)


#: What each ``classify_offense`` output gives (``out`` of the step).
OFFENSE_OUTPUTS: dict[str, str] = {
    "nibrs_code": "string", "ncrp_category": "string", "uccs_broad_type": "string", "uccs_category": "string",
    "severity": "string", "severity_degree": "string", "severity_rank": "int", "offense_confidence": "number",
    "offense_evidence": "string", "severity_evidence": "string", "attempted": "bool", "conspiracy": "bool",
    "repeat_offense": "int", "offense_degree": "string", "statute_key": "string", "offense_status": "string",
}


@attrs.frozen(slots=True)
class ClassifyOffense(Step):
    """One level of the offense classification of a description and/or statute (``classify_offense = ...``).

    Texts no rule classifies give null and are counted as unmapped (with a warning), never
    rejected: the source text stays in the record's raw twin.
    """

    description: Step | None
    statute: Step | None
    state: str | None
    output: str
    label: str = attrs.field(eq=False)
    crosswalk: Any = attrs.field(default=None, eq=False, repr=False)

    @property
    def out(self) -> str:  # type: ignore[override]
        return OFFENSE_OUTPUTS[self.output]

    def evaluate(self, ctx: EvalContext) -> Value:
        from justice_schema.offenses import classify_offenses

        desc = _cleaned(ctx.eval(self.description)) if self.description is not None else None
        stat = _cleaned(ctx.eval(self.statute)) if self.statute is not None else None
        result = classify_offenses(desc, stat, self.state, crosswalk=self.crosswalk)
        unclassified = pc.and_(pc.equal(result.column("offense_status"), "unclassified"),
                               pc.fill_null(pc.not_equal(result.column("offense_reason"),
                                                         "no description and no statute"), False))
        shown = desc if desc is not None else stat
        assert shown is not None
        if pc.any(unclassified).as_py():
            ctx.count_unmapped(f"{self.label} (classify_offense)", pc.filter(shown, unclassified))
            ctx.warnings[f"{self.label}: offense texts no rule classifies left empty (classify_offense)"] += int(
                pc.sum(unclassified).as_py() or 0)
        return Value(one_array(result.column(self.output)), shown)


@attrs.frozen(slots=True)
class Modified(Step):
    """An expression with modifiers: ``trim``, ``case``, ``null_if`` (sentinels such as ``UNK``
    or ``00/00/0000``, compared case-insensitively) and a ``default`` for null results."""

    inner: Step
    trim: bool = True
    case: str | None = None
    null_if: tuple[str, ...] = ()
    default: Any = None

    @property
    def out(self) -> str:  # type: ignore[override]
        return self.inner.out

    def evaluate(self, ctx: EvalContext) -> Value:
        value = ctx.eval(self.inner)
        array, raw = value.array, value.raw
        clean = False
        if pa.types.is_string(array.type):
            if self.trim and not value.clean:
                array = blank_to_null(textops.trim(array))
            clean = self.trim or value.clean
            if self.case == "upper":
                array = textops.upper(array)
            elif self.case == "lower":
                array = textops.lower(array)
            elif self.case == "title":
                array = pc.utf8_title(array)
            if self.null_if:
                sentinel = pc.is_in(textops.upper(array), value_set=text_set(tuple(s.upper() for s in self.null_if)))
                array = pc.if_else(sentinel, scalar(None, pa.string()), array)
        if self.default is not None:
            kind, _ = _const_type(self.default)
            fill = scalar(self.default, kind)
            if array.type != kind:
                if pa.types.is_null(array.type):
                    array = pa.nulls(ctx.n, kind)
                else:
                    fill = pc.cast(fill, array.type)
            array = pc.fill_null(array, fill)
            clean = False
        return Value(array, raw, clean=clean)


class StepScope(cond.ArrowScope):
    """The scope a spec condition is evaluated in: the batch being translated (``ctx``).

    Its values are spec expressions (:class:`StepValue`), not field paths: the
    condition language's nodes only ask it for its length.
    """

    def __init__(self, ctx: EvalContext) -> None:  # no batch to resolve paths in: nothing of the parent's state
        self.ctx = ctx
        self.length = ctx.n
        self.steps = ()
        self.values, self.rows = None, None


@attrs.frozen(slots=True)
class StepValue(cond.Expr):
    """A spec expression as the tested value of a condition (``test = expr``); Arrow only."""

    step: Step

    def arrow(self, scope: cond.ArrowScope) -> pa.Array:
        assert isinstance(scope, StepScope), "a spec expression is evaluated on the batch being translated"
        return scope.ctx.eval(self.step).array

    def py(self, scope: cond.PyScope) -> Any:
        raise TypeError("a translator spec's conditions are evaluated on Arrow batches only")

    def text(self) -> str:
        return type(self.step).__name__


def _steps_in(node: cond.Expr) -> tuple[Step, ...]:
    if isinstance(node, StepValue):
        return (node.step,)
    found: tuple[Step, ...] = ()
    for value in attrs.astuple(node, recurse=False):  # type: ignore[arg-type]  # every node is an attrs class
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, cond.Expr):
                found += _steps_in(item)
    return found


@attrs.frozen(slots=True)
class Condition:
    """A spec condition (``when``, ``if``): a node of the one condition language over spec expressions.

    The language, its three-valued null logic and its types are those of the
    validation rules (:mod:`justice_schema.validation.expr`);
    :mod:`~justice_schema.translation.conditions` parses the spec's TOML into it.
    :meth:`mask` is true only where the condition is true (unknown counts as false).
    """

    expr: cond.Expr

    def mask(self, ctx: EvalContext) -> pa.Array:
        """True where the condition holds (false where it does not or is unknown)."""
        return pc.fill_null(self.expr.arrow(StepScope(ctx)), scalar(False))

    def steps(self) -> tuple[Step, ...]:
        """The spec expressions the condition tests."""
        return _steps_in(self.expr)

    def columns(self) -> set[str]:
        """Source columns the condition reads."""
        return set().union(*(step.columns() for step in self.steps()))
