"""Which translators are installed: the built-in vendor formats and third-party plugins.

Built-in translators live inside the package, in ``justice_schema/vendors/<name>/``
folders (a ``spec.toml``, a README, sample input, golden output, tests), and ship
in the wheel as package data. Third-party packages
add theirs through the entry-point group ``justice_schema.translators``; the
entry point names an object that is the path of a spec file, or a callable
returning one (it may also register transforms or readers when called)::

    # in the plugin's pyproject.toml
    [project.entry-points."justice_schema.translators"]
    acme_jail = "acme_jail_translator:spec_path"

A plugin that fails to load gives a warning when translators are listed; it
never stops the library from working.
"""

from __future__ import annotations

import warnings
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import attrs

from justice_schema.errors import JusticeSchemaError
from justice_schema.translation.spec import SpecError, load_spec

__all__ = [
    "TranslatorInfo",
    "ENTRY_POINT_GROUP",
    "vendors_root",
    "builtin_spec_path",
    "available_translators",
    "find_translator",
    "UnknownTranslatorError",
]

ENTRY_POINT_GROUP = "justice_schema.translators"


class UnknownTranslatorError(JusticeSchemaError, LookupError):
    """No installed translator has the requested name."""


@attrs.frozen(slots=True)
class TranslatorInfo:
    """An installed translator: its name, title, spec file and where it comes from."""

    name: str
    title: str
    spec_path: Path
    origin: str  # "builtin" or "plugin:<distribution or module>"
    format_version: str | None = None


def vendors_root() -> Path | None:
    """The folder holding the built-in translators (``justice_schema/vendors/``)."""
    packaged = resources.files("justice_schema").joinpath("vendors")
    return Path(str(packaged)) if packaged.is_dir() else None


def builtin_spec_path(name: str) -> Path:
    """The spec file of the built-in translator ``name``.

    >>> builtin_spec_path("acme_rms").name
    'spec.toml'
    """
    root = vendors_root()
    path = root / name / "spec.toml" if root else None
    if path is None or not path.is_file():
        raise UnknownTranslatorError(f"no built-in translator {name!r}")
    return path


def _info(path: Path, origin: str) -> TranslatorInfo:
    spec = load_spec(path)
    translator = spec.data["translator"]
    return TranslatorInfo(spec.name, spec.title, path, origin, translator.get("format_version"))


def _plugin_path(target: Any) -> Path:
    value = target() if callable(target) else target
    if isinstance(value, (str, Path)):
        return Path(value)
    raise TypeError(f"the entry point gave {type(value).__name__}, not the path of a spec file")


def available_translators(*, include_plugins: bool = True) -> list[TranslatorInfo]:
    """Every installed translator, built-in first then plugins, each sorted by name.

    A plugin that cannot be loaded (import error, bad spec) is skipped with a
    :class:`RuntimeWarning` naming it and the problem.
    """
    found: list[TranslatorInfo] = []
    root = vendors_root()
    if root is not None:
        for spec_path in sorted(root.glob("*/spec.toml")):
            try:
                found.append(_info(spec_path, "builtin"))
            except SpecError as exc:
                warnings.warn(f"built-in translator {spec_path.parent.name!r} is broken: {exc}", RuntimeWarning,
                              stacklevel=2)
    if include_plugins:
        plugins = []
        for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
            try:
                plugins.append(_info(_plugin_path(entry.load()), f"plugin:{entry.value.split(':')[0]}"))
            except Exception as exc:  # noqa: BLE001 - a broken plugin must never break the library
                warnings.warn(f"translator plugin {entry.name!r} ({entry.value}) could not be loaded: "
                              f"{type(exc).__name__}: {exc}", RuntimeWarning, stacklevel=2)
        found.extend(sorted(plugins, key=lambda i: i.name))
    return found


def find_translator(name: str) -> TranslatorInfo:
    """The installed translator called ``name``; :class:`UnknownTranslatorError` listing the known ones."""
    root = vendors_root()
    folder = root / name / "spec.toml" if root is not None and name and "/" not in name and "\\" not in name else None
    if folder is not None and folder.is_file():
        # the built-in translator of that folder name, loaded alone (loading and checking every installed
        # spec costs a quarter of a second each); built-ins come first, so it is the one the scan would find
        try:
            info = _info(folder, "builtin")
        except SpecError:
            info = None
        if info is not None and info.name == name:
            return info
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        installed = available_translators()
    for info in installed:
        if info.name == name:
            return info
    raise UnknownTranslatorError(
        f"no translator {name!r} is installed; installed: {', '.join(i.name for i in installed) or 'none'}")
