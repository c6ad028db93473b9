"""Outputs that appear whole or not at all.

:class:`AtomicFile` writes to a temporary file beside the target and renames
it into place on :meth:`~AtomicFile.commit`; :class:`AtomicFolder` does the same
for a folder of outputs (translation). A run that fails leaves neither a
partial file nor a partial folder behind.
"""

from __future__ import annotations

import abc
import os
import shutil
import tempfile
from pathlib import Path
from typing import Self

from justice_schema.errors import InputError

__all__ = ["AtomicFile", "AtomicFolder"]


def _parent(target: Path, option: str) -> Path:
    parent = target.parent
    if not parent.is_dir():
        raise InputError(f"cannot write {option}: the folder {parent} does not exist", path=str(target))
    return parent


class _AtomicOutput(abc.ABC):
    """What both atomic outputs share: a context that discards the temporary copy unless committed.

    Subclasses set ``target``, ``temp`` and ``done`` and provide :meth:`commit`
    and :meth:`discard`.
    """

    target: Path
    temp: Path
    done: bool

    @abc.abstractmethod
    def commit(self) -> Path:
        """Move the temporary copy into place; the target's path."""

    @abc.abstractmethod
    def discard(self) -> None:
        """Remove the temporary copy, leaving the target as it was."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: object, exc: object, tb: object) -> None:
        if kind is not None or not self.done:
            self.discard()


class AtomicFile(_AtomicOutput):
    """A temporary file beside ``target`` (same suffix), renamed onto ``target`` by :meth:`commit`.

    Use as a context manager: leaving the block with an exception, or without
    :meth:`commit`, removes the temporary file and leaves ``target`` untouched.
    """

    def __init__(self, target: str | os.PathLike[str], option: str = "output") -> None:
        self.target = Path(target)
        if self.target.is_dir():
            raise InputError(f"{option} is a folder, not a file", path=str(self.target))
        parent = _parent(self.target, option)
        try:
            handle, name = tempfile.mkstemp(prefix=f".{self.target.stem}.", suffix=f".partial{self.target.suffix}",
                                            dir=parent)
        except OSError as exc:
            raise InputError(f"cannot write {option}: {exc.strerror or exc}", path=str(self.target)) from None
        os.close(handle)
        self.temp = Path(name)
        self.done = False

    def commit(self) -> Path:
        """Move the finished temporary file onto the target; returns the target."""
        if not self.done:
            os.replace(self.temp, self.target)
            self.done = True
        return self.target

    def discard(self) -> None:
        """Remove the temporary file (the target is left as it was)."""
        if not self.done:
            self.temp.unlink(missing_ok=True)
            self.done = True


class AtomicFolder(_AtomicOutput):
    """A temporary folder beside ``target``, moved into place by :meth:`commit`.

    A ``target`` that already holds files is refused unless ``overwrite`` is
    true; then its files are replaced on commit (only a folder of plain files,
    as a previous run writes, is ever replaced). Leaving the context without
    committing removes the temporary folder: a failed run writes nothing.
    """

    def __init__(self, target: str | os.PathLike[str], *, overwrite: bool = False, option: str = "--out") -> None:
        self.target = Path(target)
        self.option = option
        if self.target.exists() and not self.target.is_dir():
            raise InputError(f"{option} is a file, not a folder", path=str(self.target))
        if self.target.is_dir():
            entries = list(self.target.iterdir())
            if entries and not overwrite:
                raise InputError(f"{option} already holds {len(entries)} file(s) from an earlier run; "
                                 f"pass --overwrite to replace them", path=str(self.target))
            folders = [e.name for e in entries if e.is_dir() and not e.is_symlink()]
            if folders:
                raise InputError(f"{option} holds folders ({', '.join(sorted(folders)[:3])}); "
                                 f"--overwrite only replaces a folder of output files", path=str(self.target))
        parent = self.target.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.temp = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".partial", dir=parent))
        except OSError as exc:
            raise InputError(f"cannot create {option}: {exc.strerror or exc}", path=str(self.target)) from None
        self.done = False

    def commit(self) -> Path:
        """Put the temporary folder in place of the target (the old one, if any, is removed)."""
        if self.done:
            return self.target
        old = None
        if self.target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".old", dir=self.target.parent))
            os.rmdir(old)
            os.replace(self.target, old)
        os.replace(self.temp, self.target)
        self.done = True
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
        return self.target

    def discard(self) -> None:
        """Remove the temporary folder and everything in it."""
        if not self.done:
            shutil.rmtree(self.temp, ignore_errors=True)
            self.done = True
