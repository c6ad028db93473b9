"""The columnar engine: every rule compiled once, run as whole-array operations on Arrow batches.

:class:`ColumnarValidator` prepares the checks of one entity and schema version
(value sets, translated patterns, conditions) once, then validates any number
of record batches in the canonical Arrow schema. For each check it computes a
boolean mask over the whole batch with ``pyarrow.compute``; only the rows a
mask selects are turned into issue rows. No Python code runs per row.

Field checks mirror pydantic exactly, including the order in which pydantic
stops at the first problem of a value (length before pattern; a list's size
only once its items are valid); a property test holds the two engines to the
same verdict. Record-level rules run on rows whose fields are valid.

>>> import pyarrow as pa
>>> from justice_schema import arrow_schema
>>> v = ColumnarValidator("person")
>>> empty = arrow_schema("person").empty_table()
>>> v.validate_batch(empty).issues.num_rows
0
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from functools import lru_cache
from typing import Any, Unpack

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import arange
from justice_schema._toolkit.scalars import FALSE, NULL_STRING, scalar, value_set
from justice_schema.issues import ISSUE_SCHEMA, REDACTED, empty_issues
from justice_schema.registry import CURRENT_SCHEMA_VERSION, SCHEMA_VERSIONS, check_version
from justice_schema.v1 import version_key
from justice_schema.validation.constraints import (
    CONTROL_CHARACTERS,
    FieldSpec,
    field_specs,
    is_free_text,
    re2_pattern,
)
from justice_schema.validation.duplicates import DuplicateTracker
from justice_schema.validation.engine_base import EngineOptions, EntityValidator
from justice_schema.validation.expr import ArrowScope, F
from justice_schema.validation.issues import clip_text, is_public_field
from justice_schema.validation.paths import BatchResolver
from justice_schema.validation.patterns import (
    byte_length_bounds,
    class_run,
    pattern_match,
    relax_counted_repeat,
    surely_all_match,
)
from justice_schema.validation.problems import PROBLEM_SCHEMA, RowProblems, problem_texts
from justice_schema.validation.rule_types import Check, Rule
from justice_schema.validation.rules import rules_for

__all__ = ["BatchResult", "ColumnarValidator", "row_problems"]

#: The checks of one spec: (kind, prepared mask function) pairs.
_Task = tuple[FieldSpec, list[tuple[str, Callable[..., Any] | None]]]


@attrs.frozen(slots=True)
class _Failure:
    """Failing rows of one check: batch rows (0-based), and the offending values."""

    rule: Rule
    field: str
    rows: pa.Array
    values: pa.Array | None
    #: the boolean mask over the batch rows the failure came from, when it had one row per batch row
    mask: pa.Array | None = None
    #: the field's constraints (field rules), for problem texts
    spec: FieldSpec | None = None
    #: wording of the problem when the rule's kind alone does not say it
    detail: str | None = None


@attrs.frozen(slots=True)
class BatchResult:
    """What validating one batch found.

    ``issues`` has one row per issue; ``error_rows`` is a boolean mask over the
    batch, true for rows with at least one error (those are rejected).
    """

    issues: pa.Table
    error_rows: pa.Array

    @property
    def error_count(self) -> int:
        """Number of rows with errors."""
        return int(self.error_rows.true_count) if len(self.error_rows) else 0


def _on_values(values: pa.Array, fn: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """Apply ``fn`` to plain values; on a dictionary array, to the (small) dictionary only."""
    if pa.types.is_dictionary(values.type):
        result = fn(values.dictionary)
        if not result.true_count:
            return _all_false(len(values))  # no dictionary entry is flagged: no row is (nulls count as false)
        return pc.take(result, values.indices)
    return fn(values)


def _control_characters(values: pa.Array) -> pa.Array:
    """True where the text holds a control character (``CONTROL_CHARACTERS``); one byte scan when none does."""
    if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
        return _all_false(len(values))
    _, offsets, data = values.buffers()
    if data is None or not len(values) or values.null_count == len(values):
        return _all_false(len(values))
    # only the bytes of these values (a slice, or text under nulls, may have others around them)
    bounds = np.frombuffer(offsets, dtype=np.int64 if pa.types.is_large_string(values.type) else np.int32)
    start, end = int(bounds[values.offset]), int(bounds[values.offset + len(values)])
    raw = np.frombuffer(data, dtype=np.uint8, count=end - start, offset=start)
    if not raw.size or raw.min() >= 0x20:
        return _all_false(len(values))  # no byte below 0x20 at all: one pass, no copy (the common case)
    low = raw[raw < 0x20]
    if not low.size or not np.isin(low, _ALLOWED_CONTROL, invert=True).any():
        return _all_false(len(values))  # no byte below 0x20 other than tab and line breaks
    return pc.match_substring_regex(values, CONTROL_CHARACTERS)


_ALLOWED_CONTROL = np.array([0x09, 0x0A, 0x0D], dtype=np.uint8)


def _mask_true(mask: pa.Array | pa.ChunkedArray | pa.Scalar, length: int) -> pa.Array:
    if isinstance(mask, pa.Scalar):
        return pa.array([bool(mask.as_py())] * length, pa.bool_())
    if isinstance(mask, pa.ChunkedArray):
        mask = mask.combine_chunks()
    return pc.fill_null(mask, FALSE) if mask.null_count else mask


class ColumnarValidator(EntityValidator):
    """Validates batches of one entity in the canonical Arrow schema.

    Build it once; call :meth:`validate_batch` per batch (``row_offset`` is the
    number of rows before the batch, so issue rows are positions in the whole
    input, counted from 1).

    ``as_of``, ``redact`` and ``check_duplicates`` are the options of both engines
    (:class:`~justice_schema.validation.engine_base.EntityValidator`);
    ``threads`` evaluates checks in parallel (``pyarrow.compute`` releases the GIL).
    """

    def __init__(self, entity_type: str, schema_version: str = CURRENT_SCHEMA_VERSION, *, threads: int = 1,
                 **options: Unpack[EngineOptions]) -> None:
        super().__init__(entity_type, schema_version, **options)
        self.specs = field_specs(entity_type, self.schema_version)
        self._specs_by_field = {s.field: s for s in self.specs}
        self._default_version = str(self.model.model_fields["schema_version"].default or self.schema_version)
        self._record_checks: list[tuple[Rule, Check]] = [
            (r, check) for r in rules_for(entity_type, self.schema_version, level="record") for check in r.checks
        ]
        self._public = {s.field: is_public_field(entity_type, self.schema_version, s.field) for s in self.specs}
        self._field_tasks = self._compile_field_checks(self.specs)
        #: field tasks limited to some fields, with some checks skipped (see :meth:`problems`), by (fields, skip)
        self._limited_tasks: dict[tuple[frozenset[str] | None, frozenset[tuple[str, str]]], list[_Task]] = {}
        self._duplicates = DuplicateTracker() if self.check_duplicates else None
        self._pool = ThreadPoolExecutor(threads) if threads > 1 else None

    # ------------------------------------------------------------------ compile

    def _compile_field_checks(self, specs: tuple[FieldSpec, ...],
                              skip: frozenset[tuple[str, str]] = frozenset()) -> list[_Task]:
        """For each spec, the (kind, mask function) pairs that apply, prepared once (``skip``: not the code
        or declaration check of a ``(field, "code" | "declaration")`` pair)."""
        tasks = []
        for spec in specs:
            checks: list[tuple[str, Callable[..., Any] | None]] = []
            if spec.required:
                checks.append(("missing", None))
            if spec.literal is not None and (spec.field, "declaration") not in skip:
                literal = pa.array(list(spec.literal), pa.string())
                checks.append(("declaration", lambda v, s=literal: _not_in(v, s)))
            if spec.codes is not None and (spec.field, "code") not in skip:
                codes = pa.array(list(spec.codes), pa.string())
                checks.append(("code", lambda v, s=codes: _not_in(v, s)))
            if spec.min_length is not None or spec.max_length is not None or spec.pattern is not None:
                checks.append(("text", self._text_check(spec)))
            if spec.ge is not None or spec.le is not None:
                checks.append(("range", self._range_check(spec)))
            if spec.kind == "list" and (spec.min_items is not None or spec.max_items is not None):
                checks.append(("items", None))
            if spec.non_empty:
                checks.append(("empty", None))
            if is_free_text(spec):
                checks.append(("control", _control_characters))
            if checks:
                tasks.append((spec, checks))
        return tasks

    @staticmethod
    def _text_check(spec: FieldSpec) -> Callable[[pa.Array], tuple[pa.Array, pa.Array | None]]:
        pattern = re2_pattern(relax_counted_repeat(spec.pattern, spec.max_length)) if spec.pattern else None
        lo = scalar(spec.min_length, pa.int32()) if spec.min_length is not None else None
        hi = scalar(spec.max_length, pa.int32()) if spec.max_length is not None else None
        raw = spec.pattern
        run = class_run(raw)
        # fixed-width identifiers (an ORI) repeat: judge each distinct value once
        repeats = spec.min_length is not None and spec.min_length == spec.max_length

        def check(values: pa.Array) -> tuple[pa.Array, pa.Array | None]:
            length_bad = None
            bounds = byte_length_bounds(values)
            if (lo is not None or hi is not None) and _byte_lengths_settle(bounds, spec.min_length, spec.max_length):
                length_bad = _all_false(len(values))
            elif lo is not None or hi is not None:
                n = pc.utf8_length(values)
                if lo is not None:
                    length_bad = pc.less(n, lo)
                if hi is not None:
                    over = pc.greater(n, hi)
                    length_bad = over if length_bad is None else pc.or_(length_bad, over)
            pattern_bad = None
            if pattern is not None and run is not None and surely_all_match(values, run, bounds):
                pattern_bad = _all_false(len(values))  # every value proven to match: no regex, no mask work
            elif pattern is not None:
                pattern_bad = pc.invert(pattern_match(values, pattern, raw, repeats, bounds, scan=False))
                if length_bad is not None:
                    pattern_bad = pc.and_(pattern_bad, pc.invert(length_bad))
            return length_bad, pattern_bad

        return check

    @staticmethod
    def _range_check(spec: FieldSpec) -> Callable[[pa.Array], pa.Array]:
        ge = scalar(spec.ge) if spec.ge is not None else None
        le = scalar(spec.le) if spec.le is not None else None

        def check(values: pa.Array) -> pa.Array:
            bad = None
            if ge is not None:
                bad = pc.invert(pc.greater_equal(values, ge))
            if le is not None:
                over = pc.invert(pc.less_equal(values, le))
                bad = over if bad is None else pc.or_kleene(bad, over)
            return bad

        return check

    # ------------------------------------------------------------------ run

    def _spec_failures(self, resolver: BatchResolver, spec: FieldSpec, checks: list[tuple[str, Any]]) -> list[tuple[str, pa.Array, pa.Array, pa.Array | None]]:
        """(kind, element mask, values, element rows) of every failing check of one spec."""
        try:
            values, rows = resolver.resolve_raw(spec.steps)
        except KeyError:
            return []
        out = []
        for kind, fn in checks:
            if kind == "missing":
                if not values.null_count:
                    continue  # nothing is missing (a null parent would make its fields null too)
                mask = pc.is_null(values)
                if len(spec.steps) > 1:
                    parent, _ = resolver.resolve_raw(spec.steps[:-1])
                    mask = pc.and_(mask, pc.is_valid(parent))
                out.append(("missing", mask, values, rows))
            elif kind == "text":
                length_bad, pattern_bad = _text_masks(values, fn)
                if length_bad is not None:
                    out.append(("length", length_bad, values, rows))
                if pattern_bad is not None:
                    out.append(("pattern", pattern_bad, values, rows))
            elif kind == "items":
                out.append(("items", None, values, rows))
            elif kind == "empty":
                mask = pc.is_valid(values)
                for child in values.type:
                    mask = pc.and_(mask, pc.is_null(pc.struct_field(values, child.name)))
                out.append(("empty", mask, values, rows))
            else:
                out.append((kind, _on_values(values, fn), values, rows))
        return out

    def _tasks_for(self, fields: frozenset[str] | None, skip: frozenset[tuple[str, str]]) -> list[_Task]:
        """The field tasks limited to top-level ``fields`` (and required ones), without the ``skip`` checks."""
        if fields is None and not skip:
            return self._field_tasks
        key = (fields, skip)
        found = self._limited_tasks.get(key)
        if found is None:
            specs = []
            for spec in self.specs:
                if fields is not None and spec.steps[0] not in fields and not spec.required:
                    continue  # an unfilled field is null or empty: only a required one can fail
                if (spec.field, "pattern") in skip:
                    spec = attrs.evolve(spec, pattern=None)
                specs.append(spec)
            found = self._limited_tasks[key] = self._compile_field_checks(tuple(specs), skip)
        return found

    def _field_failures(self, resolver: BatchResolver, tasks: list[_Task] | None = None) -> list[_Failure]:
        """Failures of every field-level check of a batch (of ``tasks``, default: all)."""
        jobs = list(self._field_tasks if tasks is None else tasks)
        if self._pool is not None:
            results = list(self._pool.map(lambda job: self._spec_failures(resolver, *job), jobs))
        else:
            results = [self._spec_failures(resolver, *job) for job in jobs]
        raw: list[list[Any]] = []
        sizes: list[FieldSpec] = []
        for (spec, _), found in zip(jobs, results):
            for kind, mask, values, rows in found:
                if kind == "items":
                    sizes.append(spec)
                    continue
                mask = _mask_true(mask, len(values))
                if mask.true_count:
                    raw.append([spec, kind, mask, values, rows])
        # pydantic counts a list's size on the items that validated, and a list
        # with too many valid items reports only that: mirror both.
        for spec in sorted(sizes, key=lambda s: -len(s.steps)):
            entry = self._list_size(resolver, spec, raw)
            if entry is not None:
                raw.append(entry)
        return [self._failure(self.field_rules[kind], spec.field, mask, values, rows, spec=spec)
                for spec, kind, mask, values, rows in raw if mask.true_count]

    def _list_size(self, resolver: BatchResolver, spec: FieldSpec, raw: list[list[Any]]) -> list[Any] | None:
        values, rows = resolver.resolve_raw(spec.steps)
        level = spec.steps + ("[]",)
        parents = resolver.list_parents(level)
        invalid: list[pa.Array] = []
        # the control-character rule is not pydantic's: it neither invalidates an item nor hides behind a size
        below = [entry for entry in raw if entry[0].steps[: len(level)] == level and entry[1] != "control"]
        for entry in below:
            where = pc.indices_nonzero(entry[2])
            index = resolver.element_index(entry[0].steps, level)
            invalid.append(where if index is None else pc.take(index, where))
        positions = arange(len(values))
        lengths = pc.list_value_length(values)
        if invalid:
            bad_elements = pa.concat_arrays([pc.cast(a, pa.int64()) for a in invalid]).unique()
            counts = pc.value_counts(pc.take(parents, bad_elements))
            owners = pc.cast(counts.field("values"), pa.int64())
            invalid_count = pc.fill_null(pc.take(counts.field("counts"), pc.index_in(positions, value_set=owners)),
                                         scalar(0, pa.int64()))
            valid = pc.subtract(lengths, invalid_count)
        else:
            valid = lengths
        mask = None
        if spec.max_items is not None:
            too_many = pc.fill_null(pc.greater(valid, scalar(spec.max_items, valid.type)), FALSE)
            if too_many.true_count:
                over = pc.indices_nonzero(too_many)
                for entry in below:
                    index = resolver.element_index(entry[0].steps, level)
                    element = arange(len(entry[2])) if index is None else index
                    owner = pc.take(parents, element)
                    entry[2] = pc.and_(entry[2], pc.invert(pc.is_in(owner, value_set=over)))
            mask = too_many
        if spec.min_items is not None:
            too_few = pc.fill_null(pc.less(valid, scalar(spec.min_items, valid.type)), FALSE)
            mask = too_few if mask is None else pc.or_(mask, too_few)
        if mask is None or not mask.true_count:
            return None
        return [spec, "items", mask, values, rows]

    def _failure(self, rule_: Rule, field: str, mask: pa.Array, values: pa.Array | None, rows: pa.Array | None,
                 spec: FieldSpec | None = None, detail: str | None = None) -> _Failure:
        where = pc.indices_nonzero(mask)
        picked = pc.take(values, where) if values is not None else None
        row_numbers = pc.take(rows, where) if rows is not None else pc.cast(where, pa.int64())
        row_numbers = pc.cast(row_numbers, pa.int64())
        if rows is not None and len(row_numbers) > 1:
            # one issue per (row, rule, field): keep the first failing element of each row
            first = pc.not_equal(row_numbers.slice(1), row_numbers.slice(0, len(row_numbers) - 1))
            keep = pa.concat_arrays([pa.array([True]), first])
            row_numbers = pc.filter(row_numbers, keep)
            picked = pc.filter(picked, keep) if picked is not None else None
        return _Failure(rule_, field, row_numbers, picked, mask if rows is None else None, spec, detail)

    def _record_failures(self, batch: pa.RecordBatch, resolver: BatchResolver, row_ok: pa.Array | None) -> list[_Failure]:
        root = ArrowScope(batch, self.as_of, (), resolver)
        failures = []
        for rule_, check in self._record_checks:
            scope = root
            for list_path in check.scope:
                scope = scope.sub(list_path)
            try:
                condition = check.condition.arrow(scope)
            except KeyError:
                continue
            mask = _mask_true(condition, scope.length)
            if row_ok is not None:
                ok = row_ok if scope.rows is None else pc.take(row_ok, scope.rows)
                mask = pc.and_(mask, ok)
            if not mask.true_count:
                continue
            shown = check.value_expr()
            # the reported value of a field is taken as read (a dictionary is decoded for the failing rows only)
            value = scope.resolve_raw(shown.path) if isinstance(shown, F) else shown.arrow(scope)
            if isinstance(value, pa.Scalar):
                value = pa.array([value.as_py()] * scope.length, value.type)
            failures.append(self._failure(rule_, check.field, mask, value, scope.rows))
        return failures

    @staticmethod
    def _row_ok(failures: list[_Failure], n: int) -> pa.Array | None:
        """Rows without error failures so far (``None``: every row)."""
        bad = _error_mask(failures, n)
        return None if bad is None else pc.invert(bad)

    def _later_field_failures(self, resolver: BatchResolver, row_ok: pa.Array | None, n: int) -> list[_Failure]:
        """A record may not set a field newer than the schema version it declares.

        Mirrors the model's own check: it runs on records whose fields are
        otherwise valid, and names the first such field in model order.
        """
        later = getattr(self.model, "_LATER_FIELDS", ())
        if not later:
            return []
        try:
            declared, _ = resolver.resolve(("schema_version",))
        except KeyError:
            return []
        declared = pc.fill_null(declared, scalar(self._default_version))
        flagged = _all_false(n)
        out = []
        for path, added in later:
            spec = self._specs_by_field.get(path)
            if spec is None:
                continue
            try:
                values, rows = resolver.resolve(spec.steps)
            except KeyError:
                continue
            present = pc.is_valid(values)
            if spec.kind == "list":
                present = pc.and_(present, pc.greater(pc.list_value_length(values), scalar(0, pa.int32())))
            present = _mask_true(present, len(values))
            if not present.true_count:
                continue
            if rows is not None:
                present = pc.is_in(arange(n), value_set=pc.filter(rows, present))
            older = value_set(frozenset(v for v in SCHEMA_VERSIONS if version_key(v) < version_key(added)))
            mask = pc.and_(present, pc.is_in(declared, value_set=older))
            mask = pc.and_(mask, pc.invert(flagged))
            if row_ok is not None:
                mask = pc.and_(mask, row_ok)
            if mask.true_count:
                flagged = pc.or_(flagged, mask)
                out.append(self._failure(self.field_rules["declaration"], path, mask,
                                         values if rows is None else None, None,
                                         detail=f"set, but the field was added in schema {added}, after the "
                                                "record's schema_version"))
        return out

    @staticmethod
    def _as_batch(batch: pa.RecordBatch | pa.Table) -> pa.RecordBatch:
        if isinstance(batch, pa.RecordBatch):
            return batch
        if not batch.num_rows:
            return pa.RecordBatch.from_pylist([], schema=batch.schema)
        if all(column.num_chunks == 1 for column in batch.columns):  # no copy
            return pa.RecordBatch.from_arrays([column.chunk(0) for column in batch.columns], schema=batch.schema)
        return batch.combine_chunks().to_batches()[0]

    def _failures(self, batch: pa.RecordBatch, resolver: BatchResolver, tasks: list[_Task] | None,
                  record_rules: bool, duplicates: bool, known_duplicates: pa.Array | None = None) -> list[_Failure]:
        """Every failure of a batch: field checks, the later-field check, record rules, duplicate ids."""
        n = batch.num_rows
        failures = self._field_failures(resolver, tasks)
        # The model's own checks (the later-field one) do not see the control-character rule, which is not
        # a schema constraint: as in the per-record engine, a control character does not hide them.
        later = self._later_field_failures(
            resolver, self._row_ok([f for f in failures if f.rule.kind != "control"], n), n)
        failures.extend(later)
        if record_rules:
            row_ok = self._row_ok(failures, n)
            failures.extend(self._record_failures(batch, resolver, row_ok))
        if known_duplicates is not None and "id" in batch.schema.names:
            dup = known_duplicates
            if dup.true_count:
                failures.append(self._failure(self._dup_rule, "id", dup, batch.column("id"), None))
        elif duplicates and self._duplicates is not None and "id" in batch.schema.names:
            ids = batch.column("id")
            dup = self._duplicates.duplicates(ids)
            if dup.true_count:
                failures.append(self._failure(self._dup_rule, "id", dup, ids, None))
        return failures

    def validate_batch(self, batch: pa.RecordBatch | pa.Table, row_offset: int = 0,
                       row_numbers: pa.Array | None = None, duplicates: pa.Array | None = None) -> BatchResult:
        """Validate one batch in the canonical schema.

        Issue rows count from ``row_offset + 1``, or are taken from
        ``row_numbers`` (the input row number of each batch row) when given.
        ``duplicates`` (a boolean mask over the batch) names the rows whose id an earlier
        row of the whole input used, when the caller found them itself (a distributed
        engine sees one partition at a time); the validator's own tracker is then not used.
        """
        batch = self._as_batch(batch)
        n = batch.num_rows
        resolver = BatchResolver(batch)
        failures = self._failures(batch, resolver, None, record_rules=True, duplicates=True,
                                  known_duplicates=duplicates)
        issues = self._issue_table(batch, resolver, failures, row_offset, row_numbers)
        mask = _error_mask(failures, n)
        return BatchResult(issues, _all_false(n) if mask is None else mask)

    def problems(self, batch: pa.RecordBatch | pa.Table, *, record_rules: bool = True,
                 fields: frozenset[str] | None = None,
                 skip: frozenset[tuple[str, str]] = frozenset()) -> RowProblems:
        """The rule errors of each row of ``batch``, as texts quoting the values (see :func:`row_problems`).

        One pass: the field rules, then (``record_rules``) the record rules on
        the rows whose fields are valid. ``fields`` limits the field rules to
        those top-level fields (required fields are always checked); ``skip``
        names ``(field, kind)`` checks proven unable to fail (``kind`` is
        ``"pattern"``, ``"code"`` or ``"declaration"``). Ids are not checked for duplicates.
        """
        batch = self._as_batch(batch)
        resolver = BatchResolver(batch)
        failures = self._failures(batch, resolver, self._tasks_for(fields, frozenset(skip)),
                                  record_rules=record_rules, duplicates=False)
        parts = []
        for failure in failures:
            if not failure.rule.is_error or not len(failure.rows):
                continue
            count = len(failure.rows)
            parts.append(pa.table({
                "row": failure.rows,
                "code": pa.repeat(scalar(failure.rule.code), count),
                "field": pa.repeat(scalar(failure.field), count),
                "text": problem_texts(failure.rule, failure.field, failure.spec, failure.values, count,
                                      failure.detail),
            }, schema=PROBLEM_SCHEMA))
        if not parts:
            return RowProblems.none(batch.num_rows)
        table = pa.concat_tables(parts)
        order = pc.sort_indices(table, sort_keys=[("row", "ascending"), ("code", "ascending"), ("field", "ascending")])
        return RowProblems(batch.num_rows, table.take(order))

    def _issue_table(self, batch: pa.RecordBatch, resolver: BatchResolver, failures: list[_Failure], row_offset: int,
                     row_numbers: pa.Array | None) -> pa.Table:
        if not failures:
            return empty_issues()
        ids = _column_or_nulls(resolver, ("id",), batch.num_rows)
        oris = _column_or_nulls(resolver, ("source", "agency_ori"), batch.num_rows)
        parts = []
        for failure in failures:
            count = len(failure.rows)
            values = self._value_text(failure)
            parts.append(pa.table({
                "row": (pc.take(row_numbers, failure.rows) if row_numbers is not None
                        else pc.add(failure.rows, scalar(row_offset + 1, pa.int64()))),
                "record_id": _take_plain(ids, failure.rows),
                "entity": _repeat(self.entity_type, count),
                "agency_ori": _take_plain(oris, failure.rows),
                "field": _repeat(failure.field, count),
                "code": _repeat(failure.rule.code, count),
                "severity": _repeat(failure.rule.severity, count),
                "message": _repeat(failure.rule.message, count),
                "value": values,
            }, schema=ISSUE_SCHEMA))
        table = pa.concat_tables(parts)
        return table.take(pc.sort_indices(table, sort_keys=[("row", "ascending"), ("code", "ascending")]))

    def _value_text(self, failure: _Failure) -> pa.Array:
        values = failure.values
        count = len(failure.rows)
        if values is None:
            return pa.nulls(count, pa.string())
        if pa.types.is_dictionary(values.type):
            values = values.dictionary_decode()
        public = self._public.get(failure.field, False)
        if self.redact and not public:
            return pc.if_else(pc.is_valid(values), scalar(REDACTED), NULL_STRING)
        if pa.types.is_nested(values.type):
            import json

            return pa.array([None if v is None else json.dumps(v, default=str, ensure_ascii=False)
                             for v in values.to_pylist()], pa.string())
        if pa.types.is_boolean(values.type):
            return pc.if_else(values, scalar("true"), scalar("false"))
        text = pc.cast(values, pa.string())
        return clip_text(text)


@lru_cache(maxsize=64)
def _shared_validator(entity_type: str, schema_version: str, as_of: date) -> ColumnarValidator:
    # Without the duplicate tracker and the thread pool the validator holds no state between
    # batches, so one per (entity, version, day) serves every caller and thread.
    return ColumnarValidator(entity_type, schema_version, as_of=as_of, check_duplicates=False)


def row_problems(table: pa.Table | pa.RecordBatch, entity_type: str, schema_version: str | None = None, *,
                 record_rules: bool = False, as_of: date | None = None, fields: Iterable[str] | None = None,
                 skip: Iterable[tuple[str, str]] = ()) -> RowProblems:
    """The rule errors of every row of a canonical table, in one pass of the columnar engine.

    This is the contract translation enforces on its output, and the same one
    :func:`~justice_schema.validation.validate_table` reports: the field rules
    derived from the model (required fields, lengths, patterns, code lists,
    ranges, list sizes, non-empty nested values, control characters, at every
    nesting level) and, with ``record_rules=True``, the record rules (checked
    on rows whose fields are valid, "the future" starting after ``as_of``,
    default today). Warnings are not problems, and ids are not checked for
    duplicates.

    ``schema_version`` defaults to the version the table's schema metadata
    declares, else the current one. ``fields`` limits the field rules to those
    top-level fields (required fields are always checked): pass the fields you
    filled when the others are null by construction. ``skip`` names
    ``(field, kind)`` checks you have proven cannot fail (``kind``
    ``"pattern"``, ``"code"`` or ``"declaration"``: ``entity_type`` and
    ``schema_version`` you set yourself).

    The result holds one text per (row, rule, field), e.g. ``"sex: 'X' is not
    a code of Sex (JS-P04)"``, with 0-based row positions; ``reasons()`` joins
    them per row, ``rejected`` is the mask of rows with any.

    >>> import pyarrow as pa
    >>> from justice_schema.arrow import arrow_schema
    >>> schema = arrow_schema("person")
    >>> row = {name: None for name in schema.names} | {"aliases": [], "other_identifiers": []}
    >>> table = pa.Table.from_pylist([row | {"entity_type": "person", "schema_version": "1.0", "id": "p 1",
    ...     "source": {"agency_ori": "UT0180000", "system": "s", "record_key": "1", "extracted_at": None},
    ...     "sex": "X"}], schema=schema)
    >>> for text in row_problems(table, "person").table.column("text").to_pylist():
    ...     print(text)
    source.extracted_at: required but missing (JS-P01)
    sex: 'X' is not a code of Sex (JS-P04)
    id: 'p 1' does not match the pattern ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$ (JS-P07)
    """
    if schema_version is None:
        declared = (table.schema.metadata or {}).get(b"justice_schema.schema_version")
        schema_version = declared.decode() if declared else CURRENT_SCHEMA_VERSION
    validator = _shared_validator(entity_type, check_version(schema_version), as_of or date.today())
    return validator.problems(table, record_rules=record_rules,
                              fields=None if fields is None else frozenset(fields), skip=frozenset(skip))


def _byte_lengths_settle(bounds: tuple[int, int] | None, low: int | None, high: int | None) -> bool:
    """True when the UTF-8 byte length ``bounds`` alone prove every text within [low, high] characters.

    A character takes 1 to 4 bytes, so ``bytes <= high`` and ``bytes >= 4 * low``
    are sufficient; counting bytes is far cheaper than counting characters.
    """
    if bounds is None:
        return True
    return (high is None or bounds[1] <= high) and (low is None or bounds[0] >= 4 * low)


def _error_mask(failures: list[_Failure], n: int) -> pa.Array | None:
    """Rows with at least one error failure, as a boolean mask over the batch (``None``: none yet).

    Failures that kept their row-aligned mask are or-ed together (bitmaps, no
    hashing); only failures found on list elements go through their row numbers.
    """
    combined = None
    rows = []
    for failure in failures:
        if not failure.rule.is_error:
            continue
        if failure.mask is not None and len(failure.mask) == n:
            mask = pc.fill_null(failure.mask, FALSE) if failure.mask.null_count else failure.mask
            combined = mask if combined is None else pc.or_(combined, mask)
        else:
            rows.append(failure.rows)
    if rows:
        listed = pc.is_in(arange(n), value_set=pa.concat_arrays(rows).unique())
        combined = listed if combined is None else pc.or_(combined, listed)
    return combined


def _not_in(values: pa.Array, value_set: pa.Array) -> pa.Array:
    return pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=value_set)))


def _all_false(n: int) -> pa.Array:
    return pc.is_valid(pa.nulls(n, pa.bool_()))


def _repeat(value: str, count: int) -> pa.Array:
    return pc.fill_null(pa.nulls(count, pa.string()), scalar(value))


def _column_or_nulls(resolver: BatchResolver, steps: tuple[str, ...], n: int) -> pa.Array:
    """The values at ``steps``, dictionary arrays left encoded (decode after taking the few rows needed)."""
    try:
        values, _ = resolver.resolve_raw(steps)
        return values
    except KeyError:
        return pa.nulls(n, pa.string())


def _take_plain(values: pa.Array, rows: pa.Array) -> pa.Array:
    taken = pc.take(values, rows)
    return taken.dictionary_decode() if pa.types.is_dictionary(taken.type) else taken


def _text_masks(values: pa.Array, fn: Callable[[pa.Array], tuple[pa.Array | None, pa.Array | None]]) -> tuple[pa.Array | None, pa.Array | None]:
    if pa.types.is_dictionary(values.type):
        length_bad, pattern_bad = fn(values.dictionary)
        # nothing flagged in the dictionary: nothing flagged in the rows (no take over the rows)
        take = lambda m: None if m is None else _all_false(len(values)) if not m.true_count else pc.take(m, values.indices)  # noqa: E731
        return take(length_bad), take(pattern_bad)
    return fn(values)
