"""Reaching into nested Arrow batches by field path, with the owning row of every value.

A path is a tuple of steps: field names, and ``"[]"`` to enter the elements of
a repeated value. ``("offenses", "[]", "weapons", "[]", "code")`` is the code of
every weapon of every offense; :meth:`BatchResolver.resolve` returns those codes
as one flat array together with the batch row each one belongs to, so a failing
element can be reported against its record without any per-row Python loop.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["BatchResolver", "display_path", "steps_of"]


def steps_of(path: str) -> tuple[str, ...]:
    """Steps of a display path whose list levels are marked ``[]``: ``"offenses[].code"``."""
    steps: list[str] = []
    for part in path.split("."):
        if part.endswith("[]"):
            steps.extend([part[:-2], "[]"])
        else:
            steps.append(part)
    return tuple(steps)


def display_path(steps: tuple[str, ...]) -> str:
    """The field name reported in issues: list levels dropped, ``offenses.weapons.code``."""
    return ".".join(step for step in steps if step != "[]")


def _decode(array: pa.Array) -> pa.Array:
    if pa.types.is_dictionary(array.type):
        return array.dictionary_decode()
    return array


class BatchResolver:
    """Resolves paths in one record batch; every result is computed once and cached."""

    def __init__(self, batch: pa.RecordBatch) -> None:
        self.batch = batch
        self._cache: dict[tuple[str, ...], tuple[pa.Array, pa.Array | None]] = {}
        self._parents: dict[tuple[str, ...], pa.Array] = {}
        self._decoded: dict[tuple[str, ...], pa.Array] = {}

    def resolve_raw(self, steps: tuple[str, ...]) -> tuple[pa.Array, pa.Array | None]:
        """``(values, rows)``: values at ``steps`` (dictionary arrays left encoded) and their batch rows.

        ``rows`` is ``None`` when the values are one per batch row.
        """
        hit = self._cache.get(steps)
        if hit is not None:
            return hit
        if len(steps) == 1:
            name = steps[0]
            index = self.batch.schema.get_field_index(name)
            if index < 0:
                raise KeyError(name)
            result: tuple[pa.Array, pa.Array | None] = (self.batch.column(index), None)
        else:
            parent_values, parent_rows = self.resolve_raw(steps[:-1])
            step = steps[-1]
            if step == "[]":
                local = pc.list_parent_indices(parent_values)
                values = pc.list_flatten(parent_values)
                rows = local if parent_rows is None else pc.take(parent_rows, local)
                self._parents[steps] = local
                result = (values, rows)
            else:
                result = (pc.struct_field(_decode(parent_values), step), parent_rows)
        self._cache[steps] = result
        return result

    def resolve(self, steps: tuple[str, ...]) -> tuple[pa.Array, pa.Array | None]:
        """Like :meth:`resolve_raw`, with dictionary arrays decoded to plain values."""
        values, rows = self.resolve_raw(steps)
        if pa.types.is_dictionary(values.type):
            decoded = self._decoded.get(steps)
            if decoded is None:
                decoded = self._decoded[steps] = values.dictionary_decode()
            values = decoded
        return values, rows

    def list_parents(self, level: tuple[str, ...]) -> pa.Array:
        """For the elements of list level ``level`` (steps ending in ``"[]"``): index of the value holding each."""
        self.resolve_raw(level)
        return self._parents[level]

    def element_index(self, steps: tuple[str, ...], level: tuple[str, ...]) -> pa.Array | None:
        """For each value at ``steps`` (below list level ``level``), the index of its element at ``level``.

        ``None`` when the values are already one per element of ``level``.
        """
        self.resolve_raw(steps)
        index = None
        for i in reversed(range(len(level), len(steps))):
            if steps[i] == "[]":
                local = self._parents[steps[: i + 1]]
                index = local if index is None else pc.take(local, index)
        return index

    def parent_of(self, steps: tuple[str, ...]) -> tuple[pa.Array, pa.Array]:
        """For the elements of the last list level in ``steps``: (values, index in the enclosing level)."""
        cut = len(steps) - 1 - list(reversed(steps)).index("[]")
        values, _ = self.resolve(steps)
        self.resolve_raw(steps[: cut + 1])
        return values, self._parents[steps[: cut + 1]]
