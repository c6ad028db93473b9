"""Spec columns that a file's header does not have: an input error, unless declared optional.

A misspelt header (``DOB`` exported as ``D.O.B``) used to give a column of nulls and a
run that looked merely incomplete. Readers whose files declare their columns (a CSV
header) say so in :attr:`SourceBatch.columns`; :class:`ColumnCheck` compares them with
the columns the spec reads and raises :class:`~justice_schema.errors.InputError`
naming the column, the file and the spec key that reads it. A column that some
exports leave out is declared in the input's reader options::

    [source]
    format = "csv"
    optional_columns = ["Middle Name"]     # absent from some exports: read as null

Readers whose rows carry their own keys (JSON) declare no columns: there an absent
key is a null value of that row, as it always was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs

from justice_schema.errors import InputError
from justice_schema.translation.sources import BOOKKEEPING_COLUMNS, SourceBatch

__all__ = ["OPTIONAL_COLUMNS", "ColumnCheck", "spec_key_of"]

#: The reader-options key that lists the columns an input may lack.
OPTIONAL_COLUMNS = "optional_columns"


def _listing(columns: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(columns[:limit])
    return f"{shown}, ... ({len(columns)} in all)" if len(columns) > limit else shown


def _template_matches(text: str, column: str) -> bool:
    """``VIOL{n}_DT`` matches ``VIOL2_DT`` (the column templates of ``each.repeat``)."""
    if "{n}" not in text:
        return False
    pattern = "".join(r"\d+" if part == "{n}" else re.escape(part) for part in re.split(r"(\{n\})", text))
    return re.fullmatch(pattern, column) is not None


def _walk(node: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}[{index}]")
    elif isinstance(node, str):
        yield path, node


def spec_key_of(data: Mapping[str, Any], column: str, *, skip: Iterable[str] = ("source", "maps")) -> str | None:
    """The first key of spec ``data`` whose text names ``column`` (``entity[0].fields.date_of_birth``).

    >>> spec_key_of({"entity": [{"fields": {"date_of_birth": {"column": "DOB"}}}]}, "DOB")
    'entity[0].fields.date_of_birth.column'
    """
    skipped = tuple(skip)
    for key, text in _walk({k: v for k, v in data.items() if k not in skipped}, ""):
        if text == column or _template_matches(text, column):
            return key
    return None


@attrs.frozen(slots=True)
class ColumnCheck:
    """The columns one input must have, each with the spec key that reads it.

    ``prefix`` is stripped from the spec's names (``cases.DEF_ID`` of a join named
    ``cases`` is the joined file's ``DEF_ID``); ``label`` says which input it is in
    messages (``"main input"``, ``"joined input 'cases'"``).
    """

    required: Mapping[str, str]
    optional: frozenset[str] = frozenset()
    label: str = "input"
    _checked: set[tuple[str, tuple[str, ...]]] = attrs.field(factory=set, eq=False, repr=False)

    @classmethod
    def for_program(cls, program: Any, join: Any = None, gather: Any = None,
                    record_type: str | None = None) -> ColumnCheck:
        """The check of a compiled program's main input, or of one of its joined or gathered inputs.

        ``record_type`` narrows the main input's check to the columns the spec reads from rows of
        that type (a file of ``[source.record_types]`` holds rows of one type).
        """
        used = program.columns_used(record_type if join is None and gather is None else None)
        if gather is not None:  # child columns are read as <gather>.<k>.<column>
            prefix = f"{gather.name}."
            required: dict[str, str] = {}
            for name in sorted(used):
                if name.startswith(prefix) and name.count(".") >= 2:
                    column = name.split(".", 2)[2]
                    required.setdefault(column, spec_key_of(program.spec.data, name) or "the spec")
            for key in gather.keys:
                required.setdefault(key, spec_key_of(program.spec.data, key) or "the spec")
            return cls(required, frozenset(gather.source.get(OPTIONAL_COLUMNS, ())),
                       f"gathered input {gather.name!r}")
        if join is not None:
            return cls.build(program.spec.data, used, prefix=f"{join.name}.",
                             optional=join.source.get(OPTIONAL_COLUMNS, ()), label=f"joined input {join.name!r}")
        others = [f"{p.name}." for p in (*program.joins, *program.gathers, *program.skipped_joins)]
        label = "main input" if record_type is None else f"main input of record type {record_type!r}"
        return cls.build(program.spec.data, used, exclude_prefixes=others,
                         optional=program.source.get(OPTIONAL_COLUMNS, ()), label=label)

    @classmethod
    def build(cls, data: Mapping[str, Any], used: Iterable[str], *, prefix: str = "",
              exclude_prefixes: Sequence[str] = (), optional: Iterable[str] = (),
              label: str = "input") -> ColumnCheck:
        """The check for the columns in ``used`` that belong to this input (see the class docs)."""
        required: dict[str, str] = {}
        for name in sorted(used):
            if name in BOOKKEEPING_COLUMNS:
                continue
            if prefix:
                if not name.startswith(prefix):
                    continue
                column = name[len(prefix):]
            else:
                if any(name.startswith(p) for p in exclude_prefixes):
                    continue
                column = name
            required[column] = spec_key_of(data, name) or spec_key_of(data, column) or "the spec"
        return cls(required, frozenset(str(o) for o in optional), label)

    def check(self, batch: SourceBatch) -> None:
        """Raise :class:`InputError` when the file of ``batch`` declares columns and lacks a required one."""
        if batch.columns is None or not self.required:
            return
        file = batch.file
        key = (str(file), tuple(batch.columns))
        if key in self._checked:
            return
        self._checked.add(key)
        present = set(batch.columns)
        missing = [c for c in self.required if c not in present and c not in self.optional]
        if not missing:
            return
        column = missing[0]
        more = f" (and {len(missing) - 1} more: {', '.join(missing[1:4])})" if len(missing) > 1 else ""
        raise InputError(
            f"the {self.label} has no column {column!r}, which spec key {self.required[column]} reads{more}; "
            f"its columns are {_listing(batch.columns)} (fix the header, or list the column in "
            f"[source] optional_columns if exports may leave it out)",
            path=file, field=column)

    def checked(self, batches: Iterable[SourceBatch]) -> Iterator[SourceBatch]:
        """``batches``, each checked first."""
        for batch in batches:
            self.check(batch)
            yield batch
