"""The reference stage of translation: no output names a record that the same run rejected or replaced.

A record may name another record of the run by id: a victim's ``incident_id``, a Group A
arrest's ``incident_id``. Such a field is a *reference* (:class:`Link`) when it is called
``<entity>_id`` and the run produces ``<entity>`` records from another record type (a field
filled from the same source row shares its row's fate already).

* **Rejected parent.** A record whose reference names a record rejected in the same run is
  rejected too, with its whole source row, under ``JS-T05``; the reason names the parent, where
  it was read and its reject codes. Counts move from translated to rejected, so they reconcile.
* **Actions apply in file order.** For an entity read from a record type that carries
  instructions (deletes, replacements), a record followed in the run by a delete of its id or
  by another record with its id is *superseded*: it leaves the output (counted under
  ``superseded``; its row was translated, then replaced), and so do the records that name it.
  I, D, I of one incident keeps the last add.
* **Which parent.** A reference resolves to the record with that id read last before the
  child in file order, else to the first one after it: segments belong to the submission they
  follow.

The stage needs the whole run: a linked run holds its outputs until the input is read, then
settles them (:class:`LinkResolver`); a run with no link streams as before. Cascades (a parent
rejected because of its own parent) are followed to the end.

**Memory.** What is held is bounded: in memory stay only what the cascade needs (ids, positions,
references); once the held record tables and source rows pass ``spill_bytes`` (256 MB by default)
they are written to Arrow IPC files in a temporary folder (:class:`_Spool`) and read back one
batch at a time as the settled outputs are handed on; a source batch is read back only when one
of its rows is rejected at the end. The folder is removed when the outputs have been handed on.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections import deque
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema._toolkit.arrays import as_text, one_array
from justice_schema.translation.compiler import Program
from justice_schema.translation.reasons import NO_PARENT, Reasons
from justice_schema.translation.rejects import reject_table
from justice_schema.translation.result import BatchOutput, FileCounts, Reconciliation, RecordTypeCounts

__all__ = ["Link", "LinkPlan", "LinkResolver", "SPILL_BYTES"]

#: Held tables beyond this many bytes are written to temporary Arrow IPC files (see the module docs).
SPILL_BYTES = 256 * 1024 * 1024

#: Row states: kept, rejected because of its parent, superseded.
_KEPT, _REJECTED, _SUPERSEDED = 0, 1, 2
#: Instance kinds in the register: a kept record, a rejected record, a delete instruction.
_RECORD, _REJECTED_RECORD, _DELETE = 0, 1, 3


@attrs.frozen(slots=True)
class Link:
    """A reference: records of ``entity_type`` read from ``record_type`` name a ``parent`` by ``field``."""

    entity_type: str
    record_type: str
    field: str
    parent: str


@attrs.frozen(slots=True)
class LinkPlan:
    """The references of a compiled spec and the entities that later actions replace."""

    links: tuple[Link, ...]
    #: Entity types read from a record type that carries instructions: the last action on an id wins.
    superseding: frozenset[str]

    @property
    def registered(self) -> frozenset[str]:
        """Entity types whose records are registered (parents, and the superseding ones)."""
        return frozenset(link.parent for link in self.links) | self.superseding

    @classmethod
    def of(cls, program: Program) -> LinkPlan | None:
        """The plan of ``program``, or ``None`` when nothing links (the run then streams)."""
        produced: dict[str, set[str]] = {}
        for plan in program.entities:
            produced.setdefault(plan.entity_type, set()).add(plan.record_type)
        links = []
        for plan in program.entities:
            mapped = plan.mapped_fields
            for field in plan.schema:
                parent = field.name[:-3] if field.name.endswith("_id") else ""
                if parent in produced and field.name in mapped and produced[parent] - {plan.record_type}:
                    links.append(Link(plan.entity_type, plan.record_type, field.name, parent))
        instructed = {i.record_type for i in program.instructions}
        superseding = frozenset(p.entity_type for p in program.entities
                                if None in instructed or p.record_type in instructed)
        if not links and not superseding:
            return None
        return cls(tuple(dict.fromkeys(links)), superseding)


class _Spool:
    """Tables written to Arrow IPC files in a temporary folder, read back on demand.

    The folder is removed by :meth:`close`, or when the spool is garbage-collected (a run that
    stops with an error before its outputs are handed on leaves nothing behind).
    """

    def __init__(self) -> None:
        self._folder: Path | None = None
        self._remove: weakref.finalize | None = None
        self._count = 0

    def put(self, table: pa.Table) -> Path:
        """Write ``table`` to a new file of the folder (created on first use); its path."""
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="justice-schema-held-"))
            self._remove = weakref.finalize(self, shutil.rmtree, self._folder, ignore_errors=True)
        path = self._folder / f"{self._count}.arrow"
        self._count += 1
        with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)
        return path

    @staticmethod
    def get(path: Path) -> pa.Table:
        """The table written to ``path`` (read into memory, so the file can be removed)."""
        with pa.OSFile(str(path), "rb") as source:
            return pa.ipc.open_file(source).read_all()

    def close(self) -> None:
        """Remove the folder and every file in it."""
        if self._remove is not None:
            self._remove()
            self._folder, self._remove = None, None


@attrs.define(slots=True)
class _Held:
    """One settled batch held back: its output, and per entity the batch row of each record.

    ``source`` and ``output``'s record tables may be spilled (:class:`_Spool`): then ``source_at``
    and ``tables_at`` say where, and :meth:`the_source` / :meth:`the_output` read them back.
    """

    output: BatchOutput
    record_type: str = ""
    source: pa.Table | None = None
    rows: dict[str, np.ndarray] = attrs.field(factory=dict)
    files: list[str] = attrs.field(factory=list)
    offset: int = 0
    n: int = 0
    #: For gathered child rows (``source`` is the children's table): per row, the global row of the
    #: parent record it was gathered into, or -1 when it was not counted as translated.
    parents: np.ndarray | None = None
    #: Per source row: its position (file order, line), kept when the source is spilled.
    pos: np.ndarray | None = None
    #: Per entity with a reference: the reference column of its records, kept when the tables are spilled.
    refs: dict[tuple[str, str], pa.Array] = attrs.field(factory=dict)
    source_at: Path | None = None
    tables_at: dict[str, Path] | None = None

    def the_source(self) -> pa.Table:
        """The source rows, read back when spilled."""
        if self.source is not None:
            return self.source
        assert self.source_at is not None
        return _Spool.get(self.source_at)

    def the_output(self) -> BatchOutput:
        """The output with its record tables, read back when spilled."""
        if self.tables_at is None:
            return self.output
        return attrs.evolve(self.output, tables={name: _Spool.get(path) for name, path in self.tables_at.items()})

    @property
    def has_rows(self) -> bool:
        """Whether this holds source rows (a batch or gathered children), not only an output."""
        return self.source is not None or self.source_at is not None


class LinkResolver:
    """Holds a linked run's outputs, then drops or rejects the records whose parent did not survive.

    ``files`` are the run's main inputs in the order given (file order is action order);
    ``spill_bytes`` the memory held before tables go to disk (default :data:`SPILL_BYTES`).
    """

    def __init__(self, plan: LinkPlan, files: Sequence[Path], spill_bytes: int | None = None) -> None:
        self.plan = plan
        self.spill_bytes = SPILL_BYTES if spill_bytes is None else spill_bytes
        self._spool = _Spool()
        self._in_memory = 0
        self._file_index = {str(p): i for i, p in enumerate(files)}
        self._file_names: list[str] = [str(p) for p in files]
        self._held: list[_Held] = []
        self._held_ids: set[int] = set()
        self._rows = 0
        #: Register pieces: entity, id, position, global row, kind, note.
        self._register: list[pa.Table] = []

    # -- holding -----------------------------------------------------------------------------------
    def _position(self, files: pa.Array | None, lines: pa.Array | None, n: int) -> np.ndarray:
        """Per row: file order in the high bits, line in the low 32 (comparable across the run)."""
        if files is None:
            index = np.zeros(n, dtype=np.int64)
        else:
            names = as_text(one_array(files))
            uniques = pc.unique(names).to_pylist()
            for name in uniques:
                if name not in self._file_index:
                    self._file_index[name or ""] = len(self._file_names)
                    self._file_names.append(name or "")
            codes = [self._file_index[name or ""] for name in uniques]
            at = pc.index_in(names, value_set=pa.array(uniques, pa.string())).to_numpy(zero_copy_only=False)
            index = np.asarray(codes, dtype=np.int64)[at]
        line = (np.arange(n, dtype=np.int64) if lines is None
                else np.asarray(pc.fill_null(pc.cast(one_array(lines), pa.int64()), 0).to_numpy(zero_copy_only=False),
                                dtype=np.int64))
        return (index << 32) | line

    def holds(self, output: BatchOutput) -> bool:
        """Whether ``output`` was already held by :meth:`hold_batch` (ask once per output, right after
        settling it: the answer is forgotten, as a spilled output's id may be reused by a later one)."""
        if id(output) in self._held_ids:
            self._held_ids.discard(id(output))
            return True
        return False

    def _keep(self, held: _Held) -> None:
        """Hold ``held``; spill its source and record tables once the memory held passes ``spill_bytes``."""
        self._held.append(held)
        if held.source is None:
            return
        for link in self.plan.links:
            table = held.output.tables.get(link.entity_type)
            if held.record_type == link.record_type and table is not None and link.field in table.column_names:
                held.refs[(link.entity_type, link.field)] = as_text(one_array(table.column(link.field)))
        self._in_memory += held.source.nbytes + sum(t.nbytes for t in held.output.tables.values())
        if self._in_memory <= self.spill_bytes:
            return
        # Spill everything held so far: the memory held stays under the budget plus one batch.
        for old in self._held:
            if old.source is not None:
                old.source_at = self._spool.put(old.source)
                old.source = None
            if old.tables_at is None and old.output.tables:
                old.tables_at = {name: self._spool.put(t) for name, t in old.output.tables.items()}
                old.output = attrs.evolve(old.output, tables={})
        self._in_memory = 0

    def hold(self, output: BatchOutput) -> None:
        """Hold an output that names no batch rows (children settled through a gather)."""
        self._held.append(_Held(output))

    @property
    def next_row(self) -> int:
        """The global row the next batch held by :meth:`hold_batch` starts at."""
        return self._rows

    def hold_children(self, output: BatchOutput, record_type: str, children: pa.Table, parents: np.ndarray) -> None:
        """Hold the settled child rows of a gather; ``parents`` gives each row's parent global row (-1: none).

        A child row counted as translated lives only inside its parent record: when the parent is
        rejected later (its own parent was rejected), the row is rejected with it, so nothing is
        counted as translated that is not in the output.
        """
        self._held_ids.add(id(output))
        self._keep(_Held(output, record_type, children, parents=parents))

    def hold_batch(self, output: BatchOutput, record_type: str, source: pa.Table | None, files: pa.Array | None,
                   lines: pa.Array | None, records: dict[str, tuple[pa.Array, pa.Array]],
                   rejected: list[tuple[str, pa.Array, pa.Array]], deletes: list[tuple[str, pa.Array, pa.Array]],
                   reject_notes: dict[int, str]) -> None:
        """Hold one settled batch and register its records, rejected records and delete instructions.

        ``records`` gives per entity the ids kept and the batch row of each; ``rejected`` and
        ``deletes`` (entity, ids, rows); ``reject_notes`` the reject codes of each rejected row.
        """
        n = source.num_rows if source is not None else 0
        held = _Held(output, record_type, source, offset=self._rows, n=n)
        self._rows += n
        pos = self._position(files, lines, n)
        held.pos = pos
        wanted = self.plan.registered
        for entity, (ids, rows) in records.items():
            held.rows[entity] = np.asarray(rows.to_numpy(zero_copy_only=False), dtype=np.int64)
            if entity in wanted:
                self._add(entity, ids, rows, pos, held.offset, _RECORD, None)
        for kind, pieces in ((_REJECTED_RECORD, rejected), (_DELETE, deletes)):
            for entity, ids, rows in pieces:
                if entity in wanted and len(ids):
                    notes = None
                    if kind == _REJECTED_RECORD:
                        notes = pa.array([reject_notes.get(r, "") for r in rows.to_pylist()], pa.string())
                    self._add(entity, ids, rows, pos, held.offset, kind, notes)
        self._held_ids.add(id(output))
        self._keep(held)

    def _add(self, entity: str, ids: pa.Array, rows: pa.Array, pos: np.ndarray, offset: int, kind: int,
             notes: pa.Array | None) -> None:
        at = np.asarray(rows.to_numpy(zero_copy_only=False), dtype=np.int64)
        n = len(at)
        self._register.append(pa.table({
            "entity": pa.repeat(pa.scalar(entity), n), "id": as_text(one_array(ids)),
            "pos": pa.array(pos[at] if len(pos) else np.zeros(n, np.int64)), "row": pa.array(at + offset),
            "kind": pa.array(np.full(n, kind, dtype=np.int8)),
            "note": notes if notes is not None else pa.nulls(n, pa.string())}))

    # -- settling ----------------------------------------------------------------------------------
    def _where(self, pos: int) -> str:
        return f"{Path(self._file_names[pos >> 32]).name} line {pos & 0xFFFFFFFF}"

    def resolve(self, reconciliation: Reconciliation) -> Iterator[BatchOutput]:
        """The held outputs, in order, without the records whose parent was rejected or replaced."""
        try:
            yield from self._resolve(reconciliation)
        finally:
            self._spool.close()

    def _resolve(self, reconciliation: Reconciliation) -> Iterator[BatchOutput]:
        state = np.zeros(self._rows, dtype=np.int8)
        messages: dict[int, tuple[str, str, str]] = {}
        if self._register:
            register = pa.concat_tables(self._register).combine_chunks()
            self._register = []
            self._supersede(register, state)
            self._cascade(register, state, messages)
        pending, self._held = deque(self._held), []
        while pending:
            held = pending.popleft()  # handed on, then let go: only the batch being handed on is read back
            if held.parents is not None:
                yield self._settle_children(held, state, messages, reconciliation)
                continue
            if not held.has_rows or not held.n:
                yield held.the_output()
                continue
            mine = state[held.offset:held.offset + held.n]
            if not mine.any():
                yield held.the_output()
                continue
            output = held.the_output()
            tables = dict(output.tables)
            for entity, rows in held.rows.items():
                gone = mine[rows] != _KEPT
                if gone.any():
                    tables[entity] = tables[entity].filter(pa.array(~gone))
                    reconciliation.records_out[entity] -= int(gone.sum())
                    reconciliation.superseded[entity] += int((mine[rows] == _SUPERSEDED).sum())
            rejected = np.flatnonzero(mine == _REJECTED)
            rejects = output.rejects
            if len(rejected):
                by_place: dict[tuple[str, str], list[tuple[int, str]]] = {}
                for r in rejected:
                    text, entity, field = messages[held.offset + int(r)]
                    by_place.setdefault((entity, field), []).append((int(r), text))
                reasons = [Reasons(pa.array([r for r, _ in said], pa.int64()), pa.array([t for _, t in said], pa.string()),
                                   NO_PARENT, field, entity) for (entity, field), said in by_place.items()]
                rows = pa.array(rejected, pa.int64())
                found = reject_table(held.the_source(), held.record_type, reasons, rows)
                rejects = pa.concat_tables([rejects, found]) if rejects.num_rows else found
                self._recount(reconciliation, held, found)
            yield attrs.evolve(output, tables=tables, rejects=rejects)

    def _settle_children(self, held: _Held, state: np.ndarray, messages: dict[int, tuple[str, str, str]],
                         reconciliation: Reconciliation) -> BatchOutput:
        """Reject the gathered child rows whose parent record was rejected by the cascade."""
        parents = held.parents
        assert parents is not None and held.has_rows
        has_parent = parents >= 0
        gone = np.zeros(len(parents), dtype=bool)
        gone[has_parent] = state[parents[has_parent]] == _REJECTED
        output = held.the_output()
        if not gone.any():
            return output
        rows = np.flatnonzero(gone)
        texts = [f"the record it belongs to was rejected: {messages[int(parents[r])][0]}" for r in rows]
        reasons = [Reasons(pa.array(rows, pa.int64()), pa.array(texts, pa.string()), NO_PARENT)]
        found = reject_table(held.the_source(), held.record_type, reasons, pa.array(rows, pa.int64()))
        self._recount(reconciliation, held, found)
        rejects = output.rejects
        return attrs.evolve(output, rejects=pa.concat_tables([rejects, found]) if rejects.num_rows else found)

    @staticmethod
    def _recount(reconciliation: Reconciliation, held: _Held, found: pa.Table) -> None:
        """Rows rejected after they were counted as translated: move them, per record type and file."""
        k = found.num_rows
        counts = reconciliation.record_types.setdefault(held.record_type, RecordTypeCounts())
        counts.translated -= k
        counts.rejected += k
        for name in found.column("source_file").to_pylist():
            file = reconciliation.files.setdefault(Path(name).name if name else "?", FileCounts())
            file.translated -= 1
            file.rejected += 1

    def _supersede(self, register: pa.Table, state: np.ndarray) -> None:
        """Mark the records a later record or delete of the same id replaced (superseding entities only)."""
        mask = pc.is_in(register.column("entity"), value_set=pa.array(sorted(self.plan.superseding), pa.string()))
        events = register.filter(pc.and_(mask, pc.not_equal(register.column("kind"), pa.scalar(_REJECTED_RECORD,
                                                                                               pa.int8()))))
        if not events.num_rows:
            return
        last = events.group_by(["entity", "id"], use_threads=False).aggregate([("pos", "max")])
        records = events.filter(pc.equal(events.column("kind"), pa.scalar(_RECORD, pa.int8())))
        joined = records.join(last, keys=["entity", "id"], join_type="inner", use_threads=False)
        replaced = pc.less(joined.column("pos"), joined.column("pos_max"))
        rows = pc.filter(joined.column("row"), replaced).to_numpy()
        state[rows] = _SUPERSEDED

    def _children(self, link: Link) -> tuple[pa.Array, np.ndarray, np.ndarray]:
        """Every held record of ``link``: its reference, position and global row."""
        refs, pos, rows = [], [], []
        for held in self._held:
            if held.pos is None or link.entity_type not in held.rows or held.record_type != link.record_type:
                continue
            found = held.refs.get((link.entity_type, link.field))
            if found is None or not len(found):
                continue
            at = held.rows[link.entity_type]
            refs.append(found)
            pos.append(held.pos[at])
            rows.append(at + held.offset)
        if not refs:
            return pa.array([], pa.string()), np.zeros(0, np.int64), np.zeros(0, np.int64)
        return pa.concat_arrays(refs), np.concatenate(pos), np.concatenate(rows)

    def _cascade(self, register: pa.Table, state: np.ndarray, messages: dict[int, tuple[str, str, str]]) -> None:
        """Reject (or drop with) the children whose chosen parent was rejected (or superseded), to a fixpoint."""
        children = {link: self._children(link) for link in self.plan.links}
        for _ in range(len(self.plan.links) + 1):
            changed = False
            for link, (refs, pos, rows) in children.items():
                if not len(refs):
                    continue
                parents = register.filter(pc.and_(pc.equal(register.column("entity"), pa.scalar(link.parent)),
                                                  pc.not_equal(register.column("kind"), pa.scalar(_DELETE, pa.int8()))))
                if not parents.num_rows:
                    continue
                chosen, found = _choose(parents.column("id").combine_chunks(), parents.column("pos").to_numpy(),
                                        refs, pos)
                p_rows = parents.column("row").to_numpy()
                p_kind = parents.column("kind").to_numpy()
                p_state = state[p_rows]
                idx = chosen[found]
                c_rows = rows[found]
                c_state = state[c_rows]
                bad = (p_kind[idx] == _REJECTED_RECORD) | (p_state[idx] == _REJECTED)
                gone = (p_state[idx] == _SUPERSEDED) & ~bad
                new_bad = bad & (c_state == _KEPT)
                new_gone = gone & (c_state == _KEPT)
                if new_bad.any():
                    changed = True
                    notes = parents.column("note").to_pylist()
                    ids = parents.column("id").to_pylist()
                    ppos = parents.column("pos").to_numpy()
                    for child, parent in zip(c_rows[new_bad], idx[new_bad]):
                        note = notes[parent] or "its own parent was rejected (JS-T05)"
                        messages[int(child)] = (f"the {link.parent} it names by {link.field} ({ids[parent]}, "
                                                f"{self._where(int(ppos[parent]))}) was rejected: {note}",
                                                link.entity_type, link.field)
                    state[c_rows[new_bad]] = _REJECTED
                if new_gone.any():
                    changed = True
                    state[c_rows[new_gone]] = _SUPERSEDED
            if not changed:
                break


def _choose(parent_ids: pa.Array, parent_pos: np.ndarray, refs: pa.Array, pos: np.ndarray
            ) -> tuple[np.ndarray, np.ndarray]:
    """Per child: the parent record with its id read last at or before it, else the first after it.

    Returns the chosen parent index per child and whether the child's id has a parent in the run.
    """
    uniques = pc.unique(parent_ids)
    p_code = pc.index_in(parent_ids, value_set=uniques).to_numpy(zero_copy_only=False).astype(np.int64)
    c_code_arr = pc.index_in(refs, value_set=uniques)
    found = np.asarray(pc.is_valid(c_code_arr).to_numpy(zero_copy_only=False), dtype=bool)
    c_code = np.asarray(pc.fill_null(c_code_arr, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    # Positions ranked over parents and children together, so (code, rank) packs into one int64.
    ranks = np.unique(np.concatenate([parent_pos, pos]), return_inverse=True)[1].astype(np.int64)
    p_rank, c_rank = ranks[:len(parent_pos)], ranks[len(parent_pos):]
    scale = np.int64(len(ranks) + 1)
    p_key = p_code * scale + p_rank
    order = np.argsort(p_key, kind="stable")
    sorted_key = p_key[order]
    sorted_code = p_code[order]
    c_key = c_code * scale + c_rank
    at = np.searchsorted(sorted_key, c_key, side="right") - 1
    before = (at >= 0) & (sorted_code[np.clip(at, 0, None)] == c_code)
    after = np.clip(at + 1, 0, len(order) - 1)
    pick = np.where(before, np.clip(at, 0, None), after)
    return order[pick], found
