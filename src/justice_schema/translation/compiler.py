"""Compiling a checked spec into a program of expression steps and field plans.

Compilation happens once per translator, before any data is read, and catches
what the JSON Schema cannot: unknown canonical fields, missing required ones,
unknown maps, code tables or transforms, a date field fed plain text, a bad
time zone. Every error names the spec file and the key.
"""

from __future__ import annotations

import fnmatch
import re
import zoneinfo
from collections.abc import Mapping
from typing import Any, cast

import attrs
import jsonschema
import pyarrow as pa
from jsonschema.exceptions import best_match
from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from justice_schema._toolkit.annotations import strip_annotated, unwrap
from justice_schema.arrow import arrow_schema
from justice_schema.errors import InputError
from justice_schema.registry import CURRENT_SCHEMA_VERSION, SCHEMA_VERSIONS, entity_types, model_for
from justice_schema.translation import expressions as ex
from justice_schema.translation.conditions import compile_condition, make_test
from justice_schema.translation.expressions import CompiledMap, Condition, Step
from justice_schema.translation.gather import GatherPlan
from justice_schema.translation.kinds import MODIFIERS, get_kind, kind_names, names_a_kind
from justice_schema.translation.plans import (
    EntriesPlan,
    ItemsPlan,
    ListExprPlan,
    Plan,
    RawTwinPlan,
    ScalarPlan,
    StructPlan,
    describe_target,
)
from justice_schema.translation.spec import Spec, SpecError, key_path
from justice_schema.translation.spec_schema import build_spec_json_schema
from justice_schema.validation import expr as cond

__all__ = ["Program", "EntityPlan", "resolve_params", "EntityBody", "JoinPlan", "InstructionPlan", "NotMappedPlan",
           "compile_spec", "RECORD_FIELDS", "READER_RECORD_TYPE", "MAIN_ONLY_SOURCE_KEYS", "file_record_types"]

#: Fields every record has that the engine fills itself.
RECORD_FIELDS = ("entity_type", "schema_version", "id", "source")
#: What :meth:`Program.record_type_of_file` answers for a main input file without ``[source.record_types]``:
#: its rows keep the record type the reader gives them.
READER_RECORD_TYPE = ""
#: ``[source]`` keys that describe the main input only: joins and gathers do not inherit them.
MAIN_ONLY_SOURCE_KEYS = frozenset({"files", "record_types"})


def file_record_types(source: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """``(glob, record type)`` pairs of a ``[source]`` table's ``record_types``, in order (empty when absent).

    >>> file_record_types({"record_types": {"victim": "NIBRS_VICTIM.csv", "arrestee": ["A*.csv", "B*.csv"]}})
    (('NIBRS_VICTIM.csv', 'victim'), ('A*.csv', 'arrestee'), ('B*.csv', 'arrestee'))
    """
    declared: Mapping[str, Any] = source.get("record_types") or {}
    return tuple((str(glob), str(record_type)) for record_type, globs in declared.items()
                 for glob in ([globs] if isinstance(globs, str) else globs))
#: Output kinds each target type accepts (``any`` is checked when the data runs).
_ACCEPTS = {
    "date": {"date", "any"},
    "timestamp": {"timestamp", "any"},
    "bool": {"bool", "string", "any"},
    "int": {"int", "string", "number", "any"},
    "number": {"int", "number", "string", "any"},
    "string": {"string", "int", "number", "bool", "date", "any"},
}


def _target_kind(target: pa.DataType) -> str:
    if pa.types.is_date(target):
        return "date"
    if pa.types.is_timestamp(target):
        return "timestamp"
    if pa.types.is_boolean(target):
        return "bool"
    if pa.types.is_integer(target):
        return "int"
    if pa.types.is_floating(target):
        return "number"
    return "string"


@attrs.frozen(slots=True)
class JoinPlan:
    """A second input joined to the main rows by key (many main rows to one joined row)."""

    name: str
    files: str
    on: tuple[str, ...]
    keys: tuple[str, ...]
    required: bool
    source: Mapping[str, Any]
    ignore_case: bool = False
    #: Skipped (its file not needed) when this parameter is given.
    unless_param: str | None = None
    #: The record types whose rows it is joined to (``record_types``); empty: every record type.
    record_types: tuple[str, ...] = ()

    def applies_to(self, record_type: str) -> bool:
        """Whether rows of ``record_type`` are joined (a join scoped with ``record_types`` skips the others)."""
        return not self.record_types or record_type in self.record_types


@attrs.frozen(slots=True)
class InstructionPlan:
    """Rows that are instructions (delete, replace, zero report...), not records.

    With ``translate`` the row is an instruction *and* a record (a replacement
    carries the whole new record): it is listed with the instructions and
    translated like any other row.
    """

    kind: str
    record_type: str | None
    when: Condition | None
    translate: bool = False


@attrs.frozen(slots=True)
class NotMappedPlan:
    """A record type the canonical schema has no entity for: its rows are counted, not rejected."""

    record_type: str
    reason: str


@attrs.frozen(slots=True)
class EntityBody:
    """One way of producing records of an entity from a row (one per ``repeat`` index)."""

    fields: StructPlan
    id: Step
    source_key: Step | None
    agency_ori: Step
    present: tuple[str, ...]
    item_index: int | None


@attrs.frozen(slots=True)
class EntityPlan:
    """An ``[[entity]]`` block, compiled."""

    entity_type: str
    name: str
    record_type: str
    when: Condition | None
    array: str | None
    bodies: tuple[EntityBody, ...]
    dedupe: bool
    schema: pa.Schema = attrs.field(repr=False)
    #: The schema version this block's records declare: the block's own ``schema_version``, else the translator's.
    schema_version: str = ""

    @property
    def mapped_fields(self) -> frozenset[str]:
        """Top-level fields the spec fills (the others are null, empty or a default)."""
        found = set(RECORD_FIELDS)
        for body in self.bodies:
            found.update(name for name, plan in body.fields.fields if plan is not None)
        return frozenset(found)

    @property
    def proven_checks(self) -> frozenset[tuple[str, str]]:
        """Schema checks that cannot fail by construction, as ``(field, kind)`` pairs.

        An id built by ``{ id = [...], prefix = "..." }`` only holds ``A-Z a-z 0-9 . _ : -``
        and starts with the prefix's letter or digit, so the id pattern reduces to its
        length limit (checked anyway). A code from a value map or lookup whose codes
        (and unknown code) are all in the field's code list cannot be outside it.
        """
        from justice_schema.translation.plans import ScalarPlan
        from justice_schema.validation.constraints import field_specs

        enums = {s.field: set(s.codes) for s in field_specs(self.entity_type, self.schema.metadata[
            b"justice_schema.schema_version"].decode()) if len(s.steps) == 1 and s.codes is not None}
        per_body = []
        for body in self.bodies:
            proven: set[tuple[str, str]] = set()
            steps: list[tuple[str, Step]] = [("id", body.id)]
            steps += [(name, plan.expr) for name, plan in body.fields.fields if isinstance(plan, ScalarPlan)]
            for name, step in steps:
                if isinstance(step, ex.MakeId) and step.prefix:
                    proven.add((name, "pattern"))
                if isinstance(step, ex.MapValues) and name in enums:
                    codes = set(step.table.codes.to_pylist()) | (
                        {step.table.unknown} if step.table.unmapped == "unknown" else set())
                    if codes <= enums[name]:
                        proven.add((name, "enum"))
            per_body.append(proven)
        return frozenset(set.intersection(*per_body)) if per_body else frozenset()

    @property
    def relaxed_schema(self) -> pa.Schema:
        """The canonical schema with every field nullable (how records are held before checks)."""
        from justice_schema.translation.plans import relaxed

        return pa.schema([pa.field(f.name, relaxed(f.type), nullable=True, metadata=f.metadata) for f in self.schema],
                         metadata=self.schema.metadata)

    def steps(self) -> list[Step | Condition]:
        """Every expression and condition of the block."""
        found: list[Step | Condition] = [self.when] if self.when else []
        for body in self.bodies:
            found.extend(body.fields.steps())
            found.extend([body.id, body.agency_ori] + ([body.source_key] if body.source_key else []))
        return found


@attrs.frozen(slots=True)
class Program:
    """A compiled spec: what the engine runs."""

    spec: Spec
    name: str
    system: str
    timezone: str
    schema_version: str
    source: Mapping[str, Any]
    joins: tuple[JoinPlan, ...]
    instructions: tuple[InstructionPlan, ...]
    entities: tuple[EntityPlan, ...]
    gathers: tuple[GatherPlan, ...] = ()
    not_mapped: tuple[NotMappedPlan, ...] = ()
    #: The parameters the translator was given (defaults filled in); unknown ones were refused.
    params: Mapping[str, str] = attrs.field(factory=dict)
    #: The joins skipped because their ``unless_param`` was given.
    skipped_joins: tuple[JoinPlan, ...] = ()

    @property
    def main_files(self) -> str | None:
        """The glob(s) the main input's file names must match, as text, or ``None``: any file.

        ``[source] files``, or the patterns of ``[source.record_types]`` joined by ``", "``
        (for messages; :meth:`record_type_of_file` decides).
        """
        if self.file_record_types:
            return ", ".join(glob for glob, _ in self.file_record_types)
        files = self.source.get("files")
        return str(files) if files is not None else None

    @property
    def file_record_types(self) -> tuple[tuple[str, str], ...]:
        """``(glob, record type)`` pairs of ``[source.record_types]``, in the spec's order (empty when not given)."""
        return file_record_types(self.source)

    def record_type_of_file(self, name: str) -> str | None:
        """The record type of the main input file called ``name``, or ``None`` when it is not a main input file.

        With ``[source.record_types]`` it is the record type of the first pattern the
        name matches (case-insensitive); otherwise every file matching ``[source] files``
        (or any file, without it) is read with the reader's own record type
        (:data:`READER_RECORD_TYPE`).
        """
        lowered = name.lower()
        if self.file_record_types:
            for glob, record_type in self.file_record_types:
                if fnmatch.fnmatch(lowered, glob.lower()):
                    return record_type
            return None
        files = self.source.get("files")
        if files is not None and not fnmatch.fnmatch(lowered, str(files).lower()):
            return None
        return READER_RECORD_TYPE

    @property
    def ranked_record_types(self) -> frozenset[str]:
        """Record types whose blocks rank rows (``rank``): their rows are translated in one piece."""
        return frozenset(plan.record_type for plan in self.entities
                         if any(_contains(step, ex.Rank) for step in plan.steps()))

    def columns_used(self, record_type: str | None = None) -> set[str]:
        """Every source column (or joined ``name.column``) the spec reads; of rows of ``record_type`` when given.

        Given a record type, the entity blocks, instructions, joins and gathers of other
        record types are left out (each file of ``[source.record_types]`` holds one type).
        """
        found: set[str] = set()
        for plan in self.entities:
            if record_type is not None and plan.record_type != record_type:
                continue
            for step in plan.steps():
                found |= step.columns()
            for body in plan.bodies:
                found |= set(body.present)
                found |= _item_columns(body.fields)
            if plan.array:
                found.add(plan.array)
        for instruction in self.instructions:
            if instruction.when and (record_type is None or instruction.record_type in (None, record_type)):
                found |= instruction.when.columns()
        for join in self.joins:
            if record_type is None or join.applies_to(record_type):
                found |= set(join.on)
                found |= {f"{join.name}.{k}" for k in join.keys}
        for gather in self.gathers:
            if record_type is None or gather.into == record_type:
                found |= set(gather.on)
        return found


def _contains(node: Any, kind: type) -> bool:
    """Whether the expression or condition ``node`` has a step of class ``kind`` anywhere inside."""
    if isinstance(node, kind):
        return True
    if isinstance(node, Condition):
        return any(_contains(step, kind) for step in node.steps())
    if isinstance(node, Step):
        for value in attrs.astuple(cast(Any, node), recurse=False):  # every Step and Condition is an attrs class
            for item in value if isinstance(value, tuple) else (value,):
                for part in item if isinstance(item, tuple) else (item,):
                    if isinstance(part, (Step, Condition)) and _contains(part, kind):
                        return True
    return False


def resolve_params(spec: Spec, given: Mapping[str, str] | None) -> dict[str, str]:
    """The parameter values a translator runs with: ``given`` checked against the spec's ``[params]``.

    Raises :class:`~justice_schema.errors.InputError` naming the spec and the
    parameter when one is unknown, a required one is missing, or a value does not
    match the declared ``pattern``.
    """
    declared: Mapping[str, Any] = spec.data.get("params", {})
    given = dict(given or {})
    for name in given:
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise InputError(f"unknown parameter {name!r}; translator {spec.name!r} takes: {known}",
                             path=spec.origin, field=name)
    values: dict[str, str] = {}
    for name, body in declared.items():
        value = given.get(name, body.get("default"))
        if value is None:
            if body.get("required", False):
                raise InputError(f"parameter {name!r} is required ({body['description']}); give --param "
                                 f"{name}=VALUE", path=spec.origin, field=name)
            continue
        value = str(value)
        pattern = body.get("pattern")
        if pattern is not None and re.fullmatch(pattern, value) is None:
            raise InputError(f"parameter {name!r} = {value!r} does not match {pattern!r} ({body['description']})",
                             path=spec.origin, field=name)
        values[name] = value
    return values


def _submodel(model: type[BaseModel] | None, name: str) -> type[BaseModel] | None:
    """The model class of a nested field (for a list field, of its items), or None."""
    if model is None or name not in model.model_fields:
        return None
    annotation = unwrap(model.model_fields[name].annotation).bare
    import typing

    if typing.get_origin(annotation) in (tuple, list):
        annotation = strip_annotated(next(a for a in typing.get_args(annotation) if a is not Ellipsis))
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _defaults(model: type[BaseModel] | None) -> dict[str, Any]:
    """Non-null scalar defaults of a model's fields (e.g. ``automatic = False``)."""
    if model is None:
        return {}
    return {name: info.default for name, info in model.model_fields.items()
            if info.default is not PydanticUndefined and info.default is not None
            and not isinstance(info.default, (tuple, list))}


def _required(model: type[BaseModel] | None) -> set[str]:
    return {name for name, info in model.model_fields.items() if info.is_required()} if model else set()


_DEFS = build_spec_json_schema()["$defs"]
#: Checks an expression table against its kind's options (the object branch of the expression schema).
_EXPRESSION_VALIDATOR = jsonschema.Draft202012Validator({**_DEFS["expression"]["anyOf"][1], "$defs": _DEFS})


def _item_columns(plan: Plan) -> set[str]:
    """Array columns read by ``items`` lists (and their ``present`` columns), at any depth."""
    found: set[str] = set()
    if isinstance(plan, ItemsPlan):
        found |= {plan.array, *plan.present}
        found |= _item_columns(plan.entry)
    elif isinstance(plan, StructPlan):
        for _, sub in plan.fields:
            if sub is not None:
                found |= _item_columns(sub)
    elif isinstance(plan, EntriesPlan):
        for sub, _ in plan.entries:
            found |= _item_columns(sub)
    return found


def _substitute(node: Any, n: int) -> Any:
    if isinstance(node, str):
        return node.replace("{n}", str(n))
    if isinstance(node, list):
        return [_substitute(item, n) for item in node]
    if isinstance(node, dict):
        return {k: _substitute(v, n) for k, v in node.items()}
    return node


class _Compiler:
    def __init__(self, spec: Spec, params: Mapping[str, str] | None = None) -> None:
        self.spec = spec
        data = spec.data
        # The values the mappings see; checked (unknown, missing, pattern) once the spec itself compiled,
        # so that a spec problem is reported before a parameter problem.
        self.given = params
        self.params = {name: str(value) for name, body in data.get("params", {}).items()
                       if (value := (params or {}).get(name, body.get("default"))) is not None}
        translator = data["translator"]
        self.timezone = str(translator["timezone"])
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise spec.error("translator.timezone", f"{self.timezone!r} is not an IANA time zone such as "
                                                    "'America/Denver'") from None
        self.schema_version = str(translator.get("schema_version", CURRENT_SCHEMA_VERSION))
        if self.schema_version not in SCHEMA_VERSIONS:
            raise spec.error("translator.schema_version", f"schema {self.schema_version!r} is not supported by this "
                                                          f"release; supported: {', '.join(SCHEMA_VERSIONS)}")
        self.maps: dict[str, CompiledMap] = {}
        for name, body in data.get("maps", {}).items():
            policy = body.get("unmapped", "reject")
            if policy == "unknown" and "unknown" not in body:
                raise spec.error(f"maps.{name}", "unmapped = \"unknown\" needs unknown = \"<code>\"")
            self.maps[name] = CompiledMap.build(name, body["values"], policy, body.get("unknown"),
                                                bool(body.get("case_sensitive", False)), body.get("reason"))
        self.in_each = False
        self._before: dict[str, Any] = {}

    # -- expressions -------------------------------------------------------------------------------
    def expr(self, node: Any, key: tuple[Any, ...], label: str) -> Step:
        """Compile an expression: a column name, or a table naming one registered kind."""
        if isinstance(node, str):
            return ex.Column(node)
        found = [kind for k in node if (kind := get_kind(k)) is not None] if isinstance(node, dict) else []
        if len(found) != 1:
            raise self.spec.error(key, "an expression names exactly one kind of value "
                                       f"({', '.join(kind_names())}); found {[k.name for k in found] or 'none'}")
        errors = list(_EXPRESSION_VALIDATOR.iter_errors(node))
        if errors:
            error = best_match(errors)
            while error.context:
                error = best_match(error.context)
            raise self.spec.error(key + tuple(error.absolute_path), error.message)
        kind = found[0]
        modifiers = {k: node[k] for k in MODIFIERS if k in node}
        before: dict[str, Any] = {}
        if kind.parses:
            # Sentinels and case apply to the text as read, before it is parsed or mapped.
            before = {k: modifiers.pop(k) for k in ("case", "null_if") if k in modifiers}
        self._before = before
        step = kind.compile(self, node, key, label)
        if modifiers:
            step = ex.Modified(step, trim=bool(modifiers.get("trim", True)), case=modifiers.get("case"),
                               null_if=tuple(modifiers.get("null_if", ())), default=modifiers.get("default"))
        return step

    def parsed_input(self, node: Mapping[str, Any], kind: str, key: tuple[Any, ...], label: str) -> Step:
        """The input expression of a parsing kind, with the sentinels/case given on the parser."""
        before = self._before
        self._before = {}
        step = self.expr(node[kind], key + (kind,), label)
        if before:
            step = ex.Modified(step, case=before.get("case"), null_if=tuple(before.get("null_if", ())))
        return step

    def condition(self, node: Mapping[str, Any], key: tuple[Any, ...], label: str) -> Condition:
        """Compile a condition through the registry of operators and combinators."""
        return compile_condition(self, node, key, label)

    # -- fields ----------------------------------------------------------------------------------
    def struct(self, node: Mapping[str, Any], target: pa.StructType, key: tuple[Any, ...], label: str,
               skip: tuple[str, ...] = (), null_when_empty: bool = True,
               model: type[BaseModel] | None = None) -> StructPlan:
        known = [f.name for f in target if f.name not in skip]
        for name in sorted(_required(model) - set(node) - set(skip)):
            raise self.spec.error(key, f"{label} requires field {name!r}")
        defaults = _defaults(model)
        for name in node:
            if name not in known:
                raise self.spec.error(key + (name,), f"{label} has no field {name!r}; its fields: {', '.join(known)}")
        plans: list[tuple[str, Plan | None]] = []
        for field in target:
            if field.name in skip:
                continue
            here = key + (field.name,)
            sub_label = f"{label}.{field.name}"
            if field.name in node:
                plans.append((field.name, self.field(node[field.name], field.type, here, sub_label,
                                                     _submodel(model, field.name))))
                continue
            if field.name in defaults:
                plans.append((field.name, ScalarPlan(ex.Const(defaults[field.name]), field.type, sub_label)))
                continue
            twin_of = self._raw_twin_of(field.name, [f.name for f in target])
            if twin_of and twin_of in node:
                plans.append((field.name, RawTwinPlan(twin_of, field.type)))
            else:
                plans.append((field.name, None))
        return StructPlan(tuple(plans), target, null_when_empty)

    @staticmethod
    def _raw_twin_of(name: str, names: list[str]) -> str | None:
        if name.endswith("_raw") and name[:-4] in names:
            return name[:-4]
        if name == "raw" and "code" in names:
            return "code"
        return None

    def field(self, node: Any, target: pa.DataType, key: tuple[Any, ...], label: str,
              model: type[BaseModel] | None = None) -> Plan:
        if pa.types.is_struct(target):
            if isinstance(node, dict) and not names_a_kind(node):
                return self.struct(node, target, key, label, model=model)
            raise self.spec.error(key, f"{label} is a group of fields ({', '.join(f.name for f in target)}); "
                                       "give a table of them")
        if pa.types.is_list(target):
            item = target.value_type
            if isinstance(node, list):
                entries = tuple((self.entry(e, item, key + (i,), label, model), None) for i, e in enumerate(node))
                return EntriesPlan(entries, target)
            if isinstance(node, dict) and "repeat" in node:
                return self._repeat_entries(node, target, key, label, model)
            if isinstance(node, dict) and "items" in node:
                return self._items(node, target, key, label, model)
            step = self.expr(node, key, label)
            if step.out not in ("list", "any"):
                raise self.spec.error(key, f"{label} is a list; give an array of entries, "
                                           "{repeat = ..., entry = ...}, or a split/transform giving lists")
            if step.out == "list" and pa.types.is_struct(item):
                # A split gives lists of text; casting them to entries with fields fails on the first row.
                raise self.spec.error(key, f"{label} is a list of entries with fields "
                                           f"({', '.join(f.name for f in item)}) but the expression gives lists "
                                           "of text; give an array of entries, {repeat = ..., entry = ...} or "
                                           "{items = ..., entry = ...}")
            return ListExprPlan(step, target, label)
        if isinstance(node, list):
            raise self.spec.error(key, f"{label} is a single value; give an expression, not an array")
        step = self.expr(node, key, label)
        kind = _target_kind(target)
        if step.out not in _ACCEPTS[kind]:
            hint = {"date": ' use { date = ..., formats = ["%m/%d/%Y"] }',
                    "timestamp": ' use { datetime = ..., formats = ["%m/%d/%Y %H:%M"] }'}.get(kind, "")
            raise self.spec.error(key, f"{label} is a {describe_target(target)} but the expression gives "
                                       f"{step.out} values;{hint}")
        return ScalarPlan(step, target, label)

    def entry(self, node: Any, item: pa.DataType, key: tuple[Any, ...], label: str,
              model: type[BaseModel] | None = None) -> Plan:
        if pa.types.is_struct(item):
            if not isinstance(node, dict):
                raise self.spec.error(key, f"an entry of {label} is a table of fields")
            return self.struct(node, item, key, label, null_when_empty=False, model=model)
        return self.field(node, item, key, label)

    def _items(self, node: Mapping[str, Any], target: pa.ListType, key: tuple[Any, ...], label: str,
               model: type[BaseModel] | None) -> ItemsPlan:
        extra = set(node) - {"items", "entry", "present"}
        if extra or "entry" not in node or not isinstance(node["items"], str):
            raise self.spec.error(key, 'a list from an array column is {items = "<array column>", '
                                       'present = [...], entry = {...}}')
        was = self.in_each
        self.in_each = True
        plan = self.entry(node["entry"], target.value_type, key + ("entry",), label, model)
        self.in_each = was
        return ItemsPlan(node["items"], plan, tuple(node.get("present", ())), target)

    def _repeat_entries(self, node: Mapping[str, Any], target: pa.ListType, key: tuple[Any, ...],
                        label: str, model: type[BaseModel] | None = None) -> EntriesPlan:
        repeat = node["repeat"]
        extra = set(node) - {"repeat", "entry", "present"}
        if extra or "entry" not in node or not isinstance(repeat, dict) or {"from", "to"} - set(repeat):
            raise self.spec.error(key, "a repeated list is {repeat = {from = 1, to = N}, present = [...], "
                                       "entry = {...}}")
        entries = []
        for n in range(int(repeat["from"]), int(repeat["to"]) + 1):
            body = _substitute(node["entry"], n)
            plan = self.entry(body, target.value_type, key + ("entry",), label, model)
            present = None
            if "present" in node:
                present = Condition(cond.Or(*(make_test(ex.Column(c), "is_null", False).expr
                                              for c in _substitute(list(node["present"]), n))))
            entries.append((plan, present))
        return EntriesPlan(tuple(entries), target)

    # -- blocks ------------------------------------------------------------------------------------
    def entity(self, index: int, node: Mapping[str, Any]) -> EntityPlan:
        key: tuple[Any, ...] = ("entity", index)
        entity_type = node["type"]
        version = str(node.get("schema_version", self.schema_version))
        if version not in SCHEMA_VERSIONS:
            raise self.spec.error(key + ("schema_version",), f"schema {version!r} is not supported by this release; "
                                                             f"supported: {', '.join(SCHEMA_VERSIONS)}")
        if entity_type not in entity_types(version):
            raise self.spec.error(key + ("type",), f"schema {version} has no entity {entity_type!r}; an entity that "
                                                   f"exists only in a later schema needs schema_version = \"<version>\" "
                                                   f"in its [[entity]] block")
        schema = arrow_schema(entity_type, version)
        struct_type = pa.struct(list(schema))
        fields = node["fields"]
        model = model_for(entity_type, version)
        for name in RECORD_FIELDS:
            if name in fields:
                raise self.spec.error(key + ("fields", name), f"{name} is set by the entity block itself, not in fields")
        each = node.get("each", {})
        self.in_each = bool(each)
        translator = self.spec.data["translator"]
        bodies = []
        indexes: list[int | None] = [None]
        if "repeat" in each:
            indexes = list(range(int(each["repeat"]["from"]), int(each["repeat"]["to"]) + 1))
        for n in indexes:
            block = _substitute(dict(node), n) if n is not None else node
            label = entity_type
            plan = self.struct(block["fields"], struct_type, key + ("fields",), label, skip=RECORD_FIELDS,
                               null_when_empty=False, model=model)
            id_step = self.expr(block["id"], key + ("id",), f"{label}.id")
            source_key = self.expr(block["source_key"], key + ("source_key",), f"{label}.source.record_key") \
                if "source_key" in block else None
            ori_node = block.get("agency_ori", translator["agency_ori"])
            ori_key = key + ("agency_ori",) if "agency_ori" in block else ("translator", "agency_ori")
            agency_ori = self.expr(ori_node, ori_key, f"{label}.source.agency_ori")
            present = tuple(_substitute(list(each.get("present", ())), n)) if n is not None else tuple(
                each.get("present", ()))
            bodies.append(EntityBody(plan, id_step, source_key, agency_ori, present, n))
        when = self.condition(node["when"], key + ("when",), entity_type) if "when" in node else None
        self.in_each = False
        return EntityPlan(entity_type, node.get("name", entity_type), str(node.get("record_type", "default")),
                          when, each.get("array"), tuple(bodies), bool(node.get("dedupe", False)), schema, version)

    def program(self) -> Program:
        data = self.spec.data
        joins = tuple(
            JoinPlan(j["name"], j["files"], tuple(j["on"]), tuple(j.get("keys", j["on"])), bool(j.get("required", False)),
                     {**{k: v for k, v in data["source"].items() if k not in MAIN_ONLY_SOURCE_KEYS},
                      **j.get("source", {})},
                     bool(j.get("ignore_case", False)), j.get("unless_param"), tuple(j.get("record_types", ())))
            for j in data.get("join", ())
        )
        declared = data.get("params", {})
        for i, j in enumerate(joins):
            if len(j.on) != len(j.keys):
                raise self.spec.error(("join", i, "keys"), "keys must name as many columns as on")
            if j.unless_param is not None and j.unless_param not in declared:
                raise self.spec.error(("join", i, "unless_param"), f"no parameter {j.unless_param!r} in [params]")
        skipped = tuple(j for j in joins if j.unless_param is not None and j.unless_param in self.params)
        joins = tuple(j for j in joins if j not in skipped)
        instructions = tuple(
            InstructionPlan(i["kind"], i.get("record_type"),
                            self.condition(i["when"], ("instruction", n, "when"), i["kind"]) if "when" in i else None,
                            bool(i.get("translate", False)))
            for n, i in enumerate(data.get("instruction", ()))
        )
        for n, instruction in enumerate(instructions):
            if instruction.when is not None and _contains(instruction.when, ex.Rank):
                raise self.spec.error(("instruction", n, "when"), "rank is not available in an [[instruction]] "
                                                                  "condition (instructions are decided batch by "
                                                                  "batch); rank in an [[entity]] block")
        gathers = tuple(self.gather(n, g) for n, g in enumerate(data.get("gather", ())))
        not_mapped = tuple(NotMappedPlan(str(m["record_type"]), str(m["reason"])) for m in data.get("not_mapped", ()))
        mapped = {e.get("record_type", "default") for e in data["entity"]}
        for n, item in enumerate(not_mapped):
            if item.record_type in mapped:
                raise self.spec.error(("not_mapped", n, "record_type"),
                                      f"record type {item.record_type!r} is mapped by an [[entity]] block")
        self.check_file_record_types()
        entities = tuple(self.entity(i, e) for i, e in enumerate(data["entity"]))
        program = Program(self.spec, self.spec.name, data["translator"]["system"], self.timezone,
                          self.schema_version, data["source"], joins, instructions, entities, gathers, not_mapped,
                          resolve_params(self.spec, self.given), skipped)
        return program

    def check_file_record_types(self) -> None:
        """With ``[source.record_types]``: no ``files`` or reader ``record_type`` beside it, and every record type
        a block, instruction, gather or join names is one of it (a misspelt one would match no file)."""
        data = self.spec.data
        source = data["source"]
        declared = source.get("record_types")
        if declared is None:
            return
        for clash in ("files", "record_type"):
            if clash in source:
                raise self.spec.error(("source", clash), f"give [source.record_types] or [source] {clash}, not both: "
                                      "the record types' file patterns name the main input files and their types")
        known = list(declared)
        named: list[tuple[tuple[Any, ...], Any]] = []
        for n, node in enumerate(data["entity"]):
            named.append((("entity", n, "record_type"), node.get("record_type", "default")))
        for section in ("instruction", "not_mapped"):
            for n, node in enumerate(data.get(section, ())):
                if node.get("record_type") is not None:
                    named.append(((section, n, "record_type"), node["record_type"]))
        for n, node in enumerate(data.get("gather", ())):
            named.append((("gather", n, "into"), node["into"]))
            if node.get("record_type") is not None:
                named.append((("gather", n, "record_type"), node["record_type"]))
        for n, node in enumerate(data.get("join", ())):
            for i, value in enumerate(node.get("record_types", ())):
                named.append((("join", n, "record_types", i), value))
        for key, value in named:
            if value not in declared:
                default = " (a block without record_type reads record type 'default')" if value == "default" else ""
                raise self.spec.error(key, f"record type {value!r} is not one of [source.record_types]: "
                                      f"{', '.join(known)}{default}")

    def gather(self, n: int, node: Mapping[str, Any]) -> GatherPlan:
        key = ("gather", n)
        on = tuple(node["on"])
        keys = tuple(node.get("keys", on))
        if len(keys) != len(on):
            raise self.spec.error(key + ("keys",), "keys must name as many columns as on")
        names = [g["name"] for g in self.spec.data.get("gather", ())] + [j["name"] for j in self.spec.data.get(
            "join", ())]
        if names.count(node["name"]) > 1:
            raise self.spec.error(key + ("name",), f"{node['name']!r} names more than one join or gather")
        attach = str(node.get("attach", "key"))
        grouped = attach == "group"
        if node.get("record_type") is not None and node["record_type"] == node["into"] and not grouped:
            raise self.spec.error(key + ("into",), "a record type cannot be gathered into itself, except to "
                                  "group its rows (attach = 'group')")
        if grouped and (node.get("record_type") is None or node["record_type"] != node["into"]):
            raise self.spec.error(key + ("attach",), "attach = 'group' collapses the rows of one record type: give "
                                  "record_type and into the same")
        if node.get("distinct") is not None and not grouped:
            raise self.spec.error(key + ("distinct",), "distinct applies to a group gather (attach = 'group')")
        if grouped:
            for other in self.spec.data.get("gather", ()):
                if other.get("attach") == "group" and other["into"] == node["into"] and tuple(other["on"]) != on:
                    raise self.spec.error(key + ("on",), f"the group gathers of record type {node['into']!r} "
                                          "must group on the same columns")
        if attach == "preceding" and node.get("files") is not None:
            raise self.spec.error(key + ("attach",), "attach = 'preceding' needs children of the main input "
                                  "(record_type), not rows of other files")
        source = {**{k: v for k, v in self.spec.data["source"].items() if k not in MAIN_ONLY_SOURCE_KEYS},
                  **node.get("source", {})}
        return GatherPlan(name=str(node["name"]), into=str(node["into"]), on=on, keys=keys, max=int(node["max"]),
                          record_type=node.get("record_type"), files=node.get("files"),
                          orphans=str(node.get("orphans", "reject")), source=source, attach=attach,
                          distinct=tuple(node.get("distinct", ())))


def compile_spec(spec: Spec, params: Mapping[str, str] | None = None) -> Program:
    """Compile a loaded spec with the translator ``params`` given (see ``[params]``).

    Raises :class:`~justice_schema.translation.spec.SpecError` naming the key of
    a spec problem, and :class:`~justice_schema.errors.InputError` for an unknown
    or missing required parameter.
    """
    try:
        return _Compiler(spec, params).program()
    except SpecError:
        raise
    except (KeyError, TypeError, ValueError) as exc:  # pragma: no cover - defensive: name the spec at least
        raise SpecError(spec.origin, key_path(()), f"cannot compile: {exc}") from None
