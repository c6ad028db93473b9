"""The bad-input harness: run a verb as a user would, then check it failed well.

Each case in this folder builds a small hostile input in a sandbox folder, runs a
command-line verb in-process (or an API call), and asserts the five promises of
*What happens to bad input* (``docs/bad-input.rst``):

1. the exit code is the documented one (2 for unreadable input or bad usage,
   1 when the run finished with rejects);
2. a failure is **one line** on standard error naming the file and, where it
   applies, the line or field;
3. no traceback, whatever happened;
4. nothing is written outside the output the user named, and **input files are
   unchanged** (byte for byte);
5. the counts reconcile (rows in = rows out + rows rejected).

Usage::

    def test_something(sandbox):
        data = sandbox.write("people.csv", "a,b\\n1,2\\n")
        run = sandbox.cli("match", data, "--out", data)
        run.fails(2, "people.csv", "is also an input")
        sandbox.assert_unchanged()
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import traceback
from collections.abc import Iterable
from pathlib import Path

import attrs

from justice_schema.cli import main

__all__ = ["CliRun", "Sandbox"]


@attrs.frozen(slots=True)
class CliRun:
    """What one command-line run gave: exit code and both streams."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str

    @property
    def error_lines(self) -> list[str]:
        """Standard error without argparse's usage block (wrapped lines included) and progress lines."""
        lines, in_usage = [], False
        for line in self.err.splitlines():
            if line.startswith("usage:"):
                in_usage = True
                continue
            if in_usage and line[:1].isspace():  # a wrapped usage line: [--policy {error,extension,drop}]
                continue
            in_usage = False
            if line.strip() and "\r" not in line:
                lines.append(line)
        return lines

    def no_traceback(self) -> CliRun:
        assert "Traceback" not in self.err and "Traceback" not in self.out, (
            f"{' '.join(self.args)} printed a traceback:\n{self.err}")
        return self

    def fails(self, code: int, *mentions: str) -> CliRun:
        """Assert exit ``code``, one error line, no traceback, and each of ``mentions`` in that line."""
        self.no_traceback()
        assert self.code == code, f"exit {self.code}, expected {code}\nstdout: {self.out}\nstderr: {self.err}"
        lines = [line for line in self.error_lines if "error" in line]
        assert len(lines) == 1, f"expected one error line, got {len(lines)}:\n{self.err}"
        for text in mentions:
            assert text in lines[0], f"{text!r} not in the error line: {lines[0]}"
        return self

    def exits(self, code: int, *mentions: str) -> CliRun:
        """Assert exit ``code`` and no traceback; each of ``mentions`` appears in stdout or stderr."""
        self.no_traceback()
        assert self.code == code, f"exit {self.code}, expected {code}\nstdout: {self.out}\nstderr: {self.err}"
        for text in mentions:
            assert text in self.out or text in self.err, f"{text!r} not printed:\n{self.out}\n{self.err}"
        return self


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Sandbox:
    """A folder of inputs whose bytes are remembered, so a case can prove nothing was touched."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._inputs: dict[Path, str] = {}

    def write(self, name: str, content: str | bytes, *, encoding: str = "utf-8") -> Path:
        """Write an input file (text or bytes) and remember its digest."""
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_bytes(content.encode(encoding))
        else:
            path.write_bytes(content)
        self._inputs[path] = _digest(path)
        return path

    def keep(self, path: Path) -> Path:
        """Remember a file made some other way (for example a Parquet file) as an input."""
        self._inputs[path] = _digest(path)
        return path

    def path(self, name: str) -> Path:
        """A path in the sandbox that is not written (an output to be)."""
        return self.root / name

    def cli(self, *args: str | Path) -> CliRun:
        """Run ``justice-schema ARGS`` in-process; an escaping exception is captured as a traceback."""
        argv = tuple(str(a) for a in args)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exc:  # argparse's usage errors
                code = exc.code if isinstance(exc.code, int) else 2
            except BaseException:  # noqa: BLE001 - a traceback is exactly what the case checks for
                err.write(traceback.format_exc())
                code = 99
        return CliRun(argv, code, out.getvalue(), err.getvalue())

    def assert_unchanged(self) -> None:
        """Every input file is still there with the same bytes."""
        for path, digest in self._inputs.items():
            assert path.exists(), f"input {path.name} was deleted"
            assert _digest(path) == digest, f"input {path.name} was changed"

    def files(self) -> set[Path]:
        """Every file under the sandbox now."""
        return {p for p in self.root.rglob("*") if p.is_file()}

    def assert_written_only(self, allowed: Iterable[Path]) -> None:
        """Nothing but the inputs and files under ``allowed`` (files or folders) exists."""
        allowed = [Path(a) for a in allowed]
        for path in self.files() - set(self._inputs):
            assert any(path == a or a in path.parents for a in allowed), f"unexpected file written: {path}"
