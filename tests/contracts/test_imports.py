"""The import promises of the package, checked on its source with plain Python.

``lint-imports`` (run by ``make lint``) enforces the contracts of ``[tool.importlinter]``;
these tests read the same layer list from ``pyproject.toml`` and check it, the absence of
cycles and the private-name rules on the source itself, so a plain test run catches a
broken promise too. Every import counts, including those inside functions and under
``TYPE_CHECKING``: a function-level import that hides a cycle is still a cycle.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "justice_schema"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _is_package(module: str) -> bool:
    return MODULES[module].name == "__init__.py"


def _imports(module: str) -> Iterator[tuple[str, list[str], int]]:
    """``(imported module, names taken from it, line)`` for every import statement of ``module``."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if _is_package(module) else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            yield target, [a.name for a in node.names], node.lineno


def _edges() -> dict[str, set[str]]:
    """Module -> the package modules it imports (``from p import m`` counts ``p.m`` when m is a module)."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module in MODULES:
        for target, names, _ in _imports(module):
            if not target.startswith("justice_schema"):
                continue
            found = [f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES]
            if len(found) < len(names) or not names:
                owner = target
                while owner not in MODULES and "." in owner:
                    owner = owner.rpartition(".")[0]
                found.append(owner)
            graph[module].update(f for f in found if f != module)
    return graph


def _ancestor(package: str, module: str) -> bool:
    return module.startswith(package + ".")


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_the_source_tree_is_found() -> None:
    assert "justice_schema.validation.rules" in MODULES and "justice_schema._toolkit.arrays" in MODULES
    graph = _edges()
    assert "justice_schema.validation.rule_types" in graph["justice_schema.validation.rules"]
    assert "justice_schema.translation.listops" in graph["justice_schema.translation.plans"]


def test_no_import_cycles() -> None:
    # A submodule importing from its own package's __init__ (a plugin registering itself, a
    # sub-command reading the exit codes) is how Python packages are built, not a cycle
    # between modules; every other edge counts.
    graph = {m: {t for t in targets if not _ancestor(t, m)} for m, targets in _edges().items()}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def _layers() -> list[list[str]]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    (layers,) = [c["layers"] for c in contracts if c["type"] == "layers"]
    return [[name.strip() for name in line.split("|")] for line in layers]


def test_packages_import_only_from_lower_layers() -> None:
    layer_of = {name: i for i, line in enumerate(_layers()) for name in line}
    broken = []
    for module, targets in _edges().items():
        parts = module.split(".")
        if len(parts) < 2 or parts[1] not in layer_of:
            continue
        for target in targets:
            other = target.split(".")
            if len(other) < 2 or other[1] == parts[1] or other[1] not in layer_of:
                continue
            # layers are listed top first: a smaller index is a higher layer
            if layer_of[other[1]] <= layer_of[parts[1]]:
                broken.append(f"{module} -> {target}")
    assert broken == []


def test_every_package_is_in_a_layer() -> None:
    listed = {name for line in _layers() for name in line}
    children = {m.split(".")[1] for m in MODULES if m.count(".") >= 1}
    # vendors/ holds vendor data and their tests, not library code
    assert sorted(children - listed - {"vendors"}) == []


def test_no_private_name_is_imported_from_another_module() -> None:
    found = []
    for module in MODULES:
        for target, names, line in _imports(module):
            if not target.startswith("justice_schema") or target == module:
                continue
            for name in names:
                private = name.startswith("_") and not name.startswith("__")
                if private and f"{target}.{name}" not in MODULES:
                    found.append(f"{MODULES[module].relative_to(ROOT)}:{line}: from {target} import {name}")
    assert found == []


def test_private_modules_are_imported_only_inside_their_package() -> None:
    found = []
    for module, targets in _edges().items():
        for target in targets:
            parts = target.split(".")
            for depth, part in enumerate(parts):
                if part.startswith("_") and not part.startswith("__"):
                    parent = ".".join(parts[:depth])
                    if not (module == parent or _ancestor(parent, module)):
                        found.append(f"{module} -> {target}")
                    break
    assert found == []


def _defined_and_exported(module: str) -> tuple[set[str], list[str] | None]:
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    defined: set[str] = set()
    exported: list[str] | None = None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined.add(node.name)
            if node.name == "__getattr__":  # names served lazily are named as strings in its body
                defined |= {c.value for c in ast.walk(node) if isinstance(c, ast.Constant) and isinstance(c.value, str)}
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                defined |= {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}
                if isinstance(target, ast.Name) and target.id == "__all__" and node.value is not None:
                    exported = [ast.literal_eval(e) for e in node.value.elts]  # type: ignore[attr-defined]
    return defined, exported


def test_all_names_only_what_the_module_defines() -> None:
    # package __init__ modules are facades: re-exporting is their job
    found = []
    for module in sorted(m for m in MODULES if not _is_package(m)):
        defined, exported = _defined_and_exported(module)
        if exported is None:
            continue
        found += [f"{module}: {name}" for name in exported if name not in defined]
        found += [f"{module}: {name} twice" for name in set(exported) if exported.count(name) > 1]
    assert found == []


def test_all_check_sees_a_re_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "fake.py"
    fake.write_text('from x import y\n__all__ = ["y", "z"]\nz = 1\n', encoding="utf-8")
    monkeypatch.setitem(MODULES, "justice_schema.fake", fake)
    defined, exported = _defined_and_exported("justice_schema.fake")
    assert exported == ["y", "z"] and "y" not in defined and "z" in defined

