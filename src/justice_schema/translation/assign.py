"""The file-assignment stage of translation: which given file is the main input, which feeds a join.

:func:`assign_files` runs once per translation, before anything is read; :func:`read_main`
then reads the main input files, each as the record type its name gives it when the spec
declares ``[source.record_types]``.
"""

from __future__ import annotations

import fnmatch
import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path

import attrs

from justice_schema.errors import InputError
from justice_schema.files import files_in
from justice_schema.translation.compiler import MAIN_ONLY_SOURCE_KEYS, READER_RECORD_TYPE, JoinPlan, Program
from justice_schema.translation.gather import GatherPlan
from justice_schema.translation.result import FileCounts, Reconciliation
from justice_schema.translation.sources import SourceBatch, read_source
from justice_schema.translation.sources.presence import ColumnCheck

__all__ = ["assign_files", "folder_hint", "read_main"]


def folder_hint(program: Program) -> str:
    """What to give instead of a folder: the export files, and the file patterns the spec joins."""
    plans: list[JoinPlan | GatherPlan] = [*program.joins, *program.gathers]
    patterns = list(dict.fromkeys(str(p.files) for p in plans if p.files))
    if not patterns:
        return "give the export file(s) themselves"
    return ("give the export files themselves (a glob such as FOLDER/* passes them all): the main file(s), "
            "and files matching " + ", ".join(patterns))


def assign_files(program: Program, paths: Sequence[Path], reconciliation: Reconciliation, *,
                 rows_given: bool = False) -> tuple[list[Path], dict[str, list[Path]]]:
    """``(main input files, files of each join or gather by name)`` for the ``paths`` a user gave.

    A folder stands for the files in it (hidden files left out) when the spec names its
    main input (``[source] files``); for any other spec a folder is refused, since every
    file in it would be read as the main input. A file goes to
    every join or gather whose ``files`` pattern it matches (one lookup table may
    feed two joins), else to the main input when it matches ``[source] files``
    (or there is no such pattern; with ``[source.record_types]``, a file that only
    joins and matches a record type's pattern is main input as well), else it is listed in the reconciliation's
    ``ignored_files`` with the reason. Each file read is registered in
    ``reconciliation.files`` with its role. Raises
    :class:`~justice_schema.errors.InputError` when there is no input file, a
    join or gather has no file, or only joined or ignored files were given. With
    ``[source.record_types]``, a join or gather that serves only record types no
    given file holds needs no file (its list is empty, and it is not read). With ``rows_given`` the main
    input's rows come from elsewhere (a DataFrame): no path, or no main file, is no error.
    """
    expanded: list[Path] = []
    for path in paths:
        if not path.is_dir():
            expanded.append(path)
        elif program.main_files is None:  # every file would be read as the main input: README, lookups...
            raise InputError(f"is a folder, not a file; {folder_hint(program)}", path=str(path))
        else:
            expanded.extend(files_in(path))
    # One file may feed several joins (the same lookup table joined on two columns).
    others: list[JoinPlan | GatherPlan] = [*program.joins, *(g for g in program.gathers if g.files)]
    joins: dict[str, list[Path]] = {j.name: [] for j in others}
    main_glob = program.main_files
    main = []
    rec = reconciliation
    for path in expanded:
        name = path.name.lower()
        claimed = gathered = False
        for join in others:
            if fnmatch.fnmatch(name, str(join.files).lower()):
                joins[join.name].append(path)
                if not claimed:  # a file feeding two joins takes the first one's name
                    rec.files[path.name] = FileCounts(
                        role=f"{'join' if isinstance(join, JoinPlan) else 'gather'}:{join.name}")
                claimed = True
                gathered = gathered or not isinstance(join, JoinPlan)
        # A table of a record type may also be a lookup of another (offenders, joined to the victims'
        # relationships): with [source.record_types] a file only joined is main input too when its name
        # matches a record type. A gathered file's rows are children, never records of their own.
        if claimed and not (program.file_record_types and not gathered
                            and program.record_type_of_file(path.name) is not None):
            continue
        if claimed:
            main.append(path)
            rec.files[path.name] = FileCounts()
            continue
        skipped = [j for j in program.skipped_joins if fnmatch.fnmatch(name, j.files.lower())]
        if skipped:
            rec.ignored_files[path.name] = (f"join {skipped[0].name!r} is skipped: parameter "
                                            f"{skipped[0].unless_param!r} was given")
        elif program.record_type_of_file(path.name) is None:
            rec.ignored_files[path.name] = f"not read: the main input is files matching {main_glob!r}"
        else:
            main.append(path)
            rec.files[path.name] = FileCounts()
    if not expanded and not rows_given:
        folders = [str(p) for p in paths if p.is_dir()]
        raise InputError("no input files: the folder holds none" if folders else "no input files",
                         path=folders[0] if folders else None)
    # With a record type per file, a join or gather serving only record types that no file given
    # holds is not needed (an arrestee table alone needs no victim lookups): it is left unread.
    present = {program.record_type_of_file(p.name) for p in main}
    for join in others:
        if not joins[join.name] and program.file_record_types and not _needed(join, present):
            continue
        if not joins[join.name]:
            what = "joins" if isinstance(join, JoinPlan) else "gathers"
            hint = (f", or give the parameter {join.unless_param!r}"
                    if isinstance(join, JoinPlan) and join.unless_param else "")
            raise InputError(f"translator {program.name!r} {what} {join.name!r} from a file matching "
                             f"{join.files!r}, and none was given{hint}")
    if not main and not rows_given:
        wanted = f" (files matching {main_glob!r})" if main_glob else ""
        raise InputError(f"translator {program.name!r} needs its main input file(s){wanted}; only joined "
                         "or ignored files were given")
    return main, joins


def read_main(program: Program, main: Sequence[Path]) -> Iterator[SourceBatch]:
    """The batches of the ``main`` input files (as :func:`assign_files` chose them), their columns checked.

    Without ``[source.record_types]`` every file is read in one pass of the reader and its
    rows keep the reader's record type. With it, each run of files of one record type is read
    on its own, and every batch the reader labels ``"default"`` takes the files' record type
    (a reader that names its own record types, such as a fixed-width file's levels, keeps
    them); each file is held to the columns its record type's blocks read.
    """
    fmt = program.source["format"]
    options = {k: v for k, v in program.source.items() if k != "format" and k not in MAIN_ONLY_SOURCE_KEYS}
    if not program.file_record_types:
        yield from ColumnCheck.for_program(program).checked(read_source(fmt, main, options))
        return
    for record_type, files in itertools.groupby(main, key=lambda p: program.record_type_of_file(p.name)):
        if record_type is None or record_type == READER_RECORD_TYPE:  # pragma: no cover - assign_files kept them out
            continue
        check = ColumnCheck.for_program(program, record_type=record_type)
        for batch in read_source(fmt, list(files), options):
            if batch.record_type == "default":
                batch = attrs.evolve(batch, record_type=record_type)
            check.check(batch)
            yield batch


def _needed(plan: JoinPlan | GatherPlan, present: set[str | None]) -> bool:
    """Whether rows of a record type in ``present`` read ``plan`` (a join scoped by ``record_types``, a gather by
    ``into``)."""
    if isinstance(plan, JoinPlan):
        return not plan.record_types or any(t in present for t in plan.record_types)
    return plan.into in present
