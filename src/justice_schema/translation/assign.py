"""The file-assignment stage of translation: which given file is the main input, which feeds a join.

Run once per translation, before anything is read.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from pathlib import Path

from justice_schema.errors import InputError
from justice_schema.files import files_in
from justice_schema.translation.compiler import JoinPlan, Program
from justice_schema.translation.gather import GatherPlan
from justice_schema.translation.result import FileCounts, Reconciliation

__all__ = ["assign_files", "folder_hint"]


def folder_hint(program: Program) -> str:
    """What to give instead of a folder: the export files, and the file patterns the spec joins."""
    plans: list[JoinPlan | GatherPlan] = [*program.joins, *program.gathers]
    patterns = list(dict.fromkeys(str(p.files) for p in plans if p.files))
    if not patterns:
        return "give the export file(s) themselves"
    return ("give the export files themselves (a glob such as FOLDER/* passes them all): the main file(s), "
            "and files matching " + ", ".join(patterns))


def assign_files(program: Program, paths: Sequence[Path], reconciliation: Reconciliation
                 ) -> tuple[list[Path], dict[str, list[Path]]]:
    """``(main input files, files of each join or gather by name)`` for the ``paths`` a user gave.

    A folder stands for the files in it (hidden files left out) when the spec names its
    main input (``[source] files``); for any other spec a folder is refused, since every
    file in it would be read as the main input. A file goes to
    every join or gather whose ``files`` pattern it matches (one lookup table may
    feed two joins), else to the main input when it matches ``[source] files``
    (or there is no such pattern), else it is listed in the reconciliation's
    ``ignored_files`` with the reason. Each file read is registered in
    ``reconciliation.files`` with its role. Raises
    :class:`~justice_schema.errors.InputError` when there is no input file, a
    join or gather has no file, or only joined or ignored files were given.
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
        claimed = False
        for join in others:
            if fnmatch.fnmatch(name, str(join.files).lower()):
                joins[join.name].append(path)
                if not claimed:  # a file feeding two joins takes the first one's name
                    rec.files[path.name] = FileCounts(
                        role=f"{'join' if isinstance(join, JoinPlan) else 'gather'}:{join.name}")
                claimed = True
        if claimed:
            continue
        skipped = [j for j in program.skipped_joins if fnmatch.fnmatch(name, j.files.lower())]
        if skipped:
            rec.ignored_files[path.name] = (f"join {skipped[0].name!r} is skipped: parameter "
                                            f"{skipped[0].unless_param!r} was given")
        elif main_glob is not None and not fnmatch.fnmatch(name, main_glob.lower()):
            rec.ignored_files[path.name] = f"not read: the main input is files matching {main_glob!r}"
        else:
            main.append(path)
            rec.files[path.name] = FileCounts()
    if not expanded:
        folders = [str(p) for p in paths if p.is_dir()]
        raise InputError("no input files: the folder holds none" if folders else "no input files",
                         path=folders[0] if folders else None)
    for join in others:
        if not joins[join.name]:
            what = "joins" if isinstance(join, JoinPlan) else "gathers"
            hint = (f", or give the parameter {join.unless_param!r}"
                    if isinstance(join, JoinPlan) and join.unless_param else "")
            raise InputError(f"translator {program.name!r} {what} {join.name!r} from a file matching "
                             f"{join.files!r}, and none was given{hint}")
    if not main:
        wanted = f" (files matching {main_glob!r})" if main_glob else ""
        raise InputError(f"translator {program.name!r} needs its main input file(s){wanted}; only joined "
                         "or ignored files were given")
    return main, joins
