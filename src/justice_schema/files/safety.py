"""Output safety: refuse an output path that would overwrite or delete an input, before anything is written.

Every verb calls :func:`check_outputs` with its inputs and the outputs the user
named. An output is refused when it *is* an input: the same path, the same
path after resolving symlinks and ``..``, or the same file under another name
(same device and inode, :func:`os.path.samefile`). An output folder is also
refused when an input lies inside it, since a run may replace the folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from justice_schema.errors import InputError

__all__ = ["check_outputs", "files_in", "require_file", "require_output_folder", "same_file"]

PathLike = str | os.PathLike[str]


def same_file(a: PathLike, b: PathLike) -> bool:
    """True when ``a`` and ``b`` name the same file: equal resolved paths, or the same inode."""
    first, second = Path(a), Path(b)
    try:
        if first.resolve() == second.resolve():
            return True
    except (OSError, RuntimeError):  # a symlink loop resolves to nothing; fall back to samefile
        pass
    try:
        return os.path.samefile(first, second)
    except OSError:  # one of them does not exist (yet)
        return False


def _inside(path: Path, folder: Path) -> bool:
    try:
        return folder.resolve() in path.resolve().parents
    except (OSError, RuntimeError):
        return False


def check_outputs(
    inputs: Iterable[PathLike],
    outputs: Mapping[str, PathLike | None],
    *,
    folders: Iterable[str] = (),
) -> None:
    """Raise :class:`~justice_schema.errors.InputError` when an output would overwrite an input.

    ``outputs`` maps the option that named each output (``"--out"``) to its
    path (``None`` for an output not asked for). Options listed in ``folders``
    are output folders: an input inside one is refused too. Two outputs naming
    the same file are refused as well. Call this before creating any output.
    """
    sources = [Path(p) for p in inputs]
    named = [(option, Path(path)) for option, path in outputs.items() if path is not None]
    folder_options = set(folders)
    for option, target in named:
        for source in sources:
            if same_file(target, source):
                raise InputError(f"{option} is also an input ({source}); name another output", path=str(target))
            if option in folder_options and _inside(source, target):
                raise InputError(f"{option} holds the input {source}; name a folder outside the inputs",
                                 path=str(target))
    for index, (option, target) in enumerate(named):
        for other_option, other in named[index + 1:]:
            if same_file(target, other):
                raise InputError(f"{option} and {other_option} name the same file", path=str(target))


def files_in(folder: PathLike) -> list[Path]:
    """The files directly inside ``folder``, sorted by name, hidden files (``.name``) left out."""
    return sorted(p for p in Path(folder).iterdir() if p.is_file() and not p.name.startswith("."))


def require_file(path: PathLike, *, expected: str | None = None) -> Path:
    """``path`` as a :class:`~pathlib.Path` when it is a readable file; a clear :class:`InputError` otherwise.

    A folder is reported as "is a folder, not a file" (with ``expected``, a
    hint such as the file names a translator reads, appended).
    """
    file = Path(path)
    if file.is_dir():
        hint = f"; {expected}" if expected else ""
        raise InputError(f"is a folder, not a file{hint}", path=str(path))
    if not file.exists():
        raise InputError("no such file", path=str(path))
    if not file.is_file():
        raise InputError("is not a regular file", path=str(path))
    return file


def require_output_folder(path: PathLike, option: str = "output") -> None:
    """Raise :class:`InputError` when the folder ``path`` would be written into does not exist.

    Verbs call this for every output before the work starts, so a typo in an
    output path costs nothing.
    """
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{option} is a folder, not a file", path=str(path))
    if not target.parent.is_dir():
        raise InputError(f"cannot write {option}: the folder {target.parent} does not exist", path=str(path))
