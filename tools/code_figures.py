#!/usr/bin/env python3
"""Lines of code per package and the largest classes of ``justice_schema`` at one or more git revisions.

Reads the files straight from git (nothing is checked out), so any commit can be measured::

    python tools/code_figures.py 92f5385 12e9018 HEAD

Per revision it counts, for every ``.py`` file under ``src/justice_schema`` (the tree's
package folder), physical lines and code lines (neither blank nor a ``#`` comment; docstrings
count as code). Files are grouped by first folder under the package (a top-level module counts
under ``(top level)``; the generated ``v1/codes.py`` is shown apart). Then the largest
classes by lines (``class`` line to last line), with their method count (``def`` directly in
the class body), the generated file left out.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict

PACKAGE = "src/justice_schema/"
GENERATED = {"v1/codes.py"}


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout


def _files(rev: str) -> dict[str, str]:
    names = [n for n in _git("ls-tree", "-r", "--name-only", rev, "--", PACKAGE).splitlines() if n.endswith(".py")]
    return {name[len(PACKAGE):]: _git("show", f"{rev}:{name}") for name in names}


def _group(relative: str) -> str:
    if relative in GENERATED:
        return f"{relative} (generated)"
    return relative.split("/", 1)[0] if "/" in relative else "(top level)"


def measure(rev: str) -> tuple[dict[str, tuple[int, int, int]], list[tuple[int, int, str]]]:
    """Per group (files, physical lines, code lines), and (lines, methods, name) of every class."""
    groups: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    classes: list[tuple[int, int, str]] = []
    for relative, text in _files(rev).items():
        lines = text.splitlines()
        code = sum(1 for line in lines if line.strip() and not line.strip().startswith("#"))
        entry = groups[_group(relative)]
        entry[0] += 1
        entry[1] += len(lines)
        entry[2] += code
        if relative in GENERATED:
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ClassDef) and node.end_lineno is not None:
                methods = sum(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) for n in node.body)
                classes.append((node.end_lineno - node.lineno + 1, methods, f"{relative}:{node.name}"))
    return {k: (v[0], v[1], v[2]) for k, v in groups.items()}, sorted(classes, reverse=True)


def main(revs: list[str]) -> None:
    """Print the package table (code lines, physical lines in brackets) and the five largest classes per rev."""
    measured = {rev: measure(rev) for rev in revs}
    names = sorted({g for groups, _ in measured.values() for g in groups})
    print("| package | " + " | ".join(revs) + " |")
    print("|---|" + "---:|" * len(revs))
    for name in names + ["total"]:
        cells = []
        for rev in revs:
            groups = measured[rev][0]
            if name == "total":
                _, physical, code = (sum(v[i] for v in groups.values()) for i in range(3))
            elif name in groups:
                _, physical, code = groups[name]
            else:
                cells.append("—")
                continue
            cells.append(f"{code:,} ({physical:,})")
        print(f"| {name} | " + " | ".join(cells) + " |")
    for rev in revs:
        print(f"\nlargest classes at {rev} (lines, methods):")
        for lines, methods, name in measured[rev][1][:5]:
            print(f"  {lines:5d} lines {methods:3d} methods  {name}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["HEAD"])
