"""The hub's configuration file (``hub.toml``): which exports, which translators, where the output goes.

A hub is described by one TOML file::

    [hub]
    output = "build/hub"            # folder of hub.duckdb, parquet/ and cache/ (relative to this file)
    site = "build/hub/site"         # where `justice-schema hub site` writes (optional)
    identity_rules = "rules.toml"   # identity matching rules (optional; the library's default)
    as_of = "2024-12-31"            # the date rules that look at 'today' use (optional; today)
    link_rules = "links.toml"       # case-linking rules (optional; the library's default)
    profile = "public"              # publication profile of the site: public (default), research,
                                    # restricted (person timelines), or a profile TOML file

    [[export]]
    name = "slc-pd-2024-06"         # unique; the unit a rebuild reuses or re-translates
    translator = "acme_rms"         # a translator name, or spec = "path/to/spec.toml"
    agency = "Salt Lake City PD"    # shown on the agency pages (optional; the translator's name)
    files = ["exports/acme/2024-06/*.csv"]   # paths or glob patterns, relative to this file

    [[export]]
    name = "court-spark-2024-06"    # records a Spark job (or any pipeline) already made canonical
    translator = "canonical"        # no spec: the files hold canonical records (Parquet, Arrow IPC...)
    agency = "Third District Court" # optional; the export's name
    files = ["spark-out/disposition/*.parquet"]

A ``translator = "canonical"`` export takes no ``spec``: each row's entity is its
``entity_type`` value (several entities may share a file) and its records get the checks
a translated record gets (:mod:`justice_schema.hub.canonical`).

Every problem is a :class:`HubConfigError` naming the file and the key
(``export[2].translator``), never a traceback.
"""

from __future__ import annotations

import glob
import hashlib
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from justice_schema.errors import JusticeSchemaError

#: The ``translator`` of an export whose files already hold canonical records (no spec).
CANONICAL = "canonical"

__all__ = ["CANONICAL", "HubConfigError", "Export", "HubConfig", "load_config", "parse_config"]


class HubConfigError(JusticeSchemaError, ValueError):
    """A hub configuration that cannot be used: names the file and the key."""

    def __init__(self, path: str, key: str, problem: str) -> None:
        self.path = path
        self.key = key
        self.problem = problem
        super().__init__(f"{path}: {key}: {problem}" if key else f"{path}: {problem}")


@attrs.frozen(slots=True)
class Export:
    """One agency export: its name, translator (or spec file), agency and resolved input files."""

    name: str
    translator: str
    spec_path: Path | None
    agency: str
    files: tuple[Path, ...]

    @property
    def is_canonical(self) -> bool:
        """Whether the files are canonical records (``translator = "canonical"``, no spec)."""
        return self.spec_path is None

    def fingerprint(self) -> str:
        """A hash of everything that decides this export's translation: spec text, file names and bytes.

        Two builds that see the same fingerprint translate to the same tables, so the
        hub reuses the earlier translation (incremental builds). A canonical export has
        no spec: its files alone decide.
        """
        digest = hashlib.sha256()
        digest.update(self.spec_path.read_bytes() if self.spec_path is not None else b"canonical records\0")
        for path in self.files:
            digest.update(path.name.encode("utf-8") + b"\0")
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
        return digest.hexdigest()


@attrs.frozen(slots=True)
class HubConfig:
    """A loaded hub configuration (see the module docstring for the file format)."""

    path: Path
    output: Path
    site: Path
    exports: tuple[Export, ...]
    identity_rules: Path | None = None
    as_of: date | None = None
    link_rules: Path | None = None
    profile: str = "public"

    @property
    def database(self) -> Path:
        """The DuckDB database file the build writes."""
        return self.output / "hub.duckdb"


_HUB_KEYS = {"output", "site", "identity_rules", "as_of", "link_rules", "profile"}
_EXPORT_KEYS = {"name", "translator", "spec", "agency", "files"}


def load_config(path: str | Path) -> HubConfig:
    """Read and check ``hub.toml``; raises :class:`HubConfigError` naming the file and key."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise HubConfigError(str(path), "", "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise HubConfigError(str(path), "", f"cannot read: {exc}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise HubConfigError(str(path), "", f"not valid TOML: {exc}") from None
    return parse_config(data, path)


def _text(data: dict[str, Any], key: str, where: str, origin: str, *, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise HubConfigError(origin, f"{where}{key}", "is required")
        return None
    if not isinstance(value, str) or not value.strip():
        raise HubConfigError(origin, f"{where}{key}", f"must be a non-empty string, not {value!r}")
    return value


def _unknown(data: dict[str, Any], allowed: set[str], where: str, origin: str) -> None:
    extra = sorted(set(data) - allowed)
    if extra:
        raise HubConfigError(origin, f"{where}{extra[0]}", f"unknown key; expected one of {', '.join(sorted(allowed))}")


def _resolve_files(patterns: Any, base: Path, key: str, origin: str) -> tuple[Path, ...]:
    if isinstance(patterns, str):
        patterns = [patterns]
    if not isinstance(patterns, list) or not patterns or not all(isinstance(p, str) for p in patterns):
        raise HubConfigError(origin, key, "must be a list of file paths or glob patterns")
    found: list[Path] = []
    for pattern in patterns:
        full = str(base / pattern)
        matches = sorted(glob.glob(full)) if glob.has_magic(pattern) else [full]
        files = [Path(m) for m in matches if Path(m).is_file()]
        if not files:
            raise HubConfigError(origin, key, f"{pattern!r} names no file (looked for {full})")
        found.extend(files)
    return tuple(dict.fromkeys(found))


def _export(item: Any, number: int, base: Path, origin: str) -> Export:
    where = f"export[{number}]."
    if not isinstance(item, dict):
        raise HubConfigError(origin, f"export[{number}]", "must be a table ([[export]])")
    _unknown(item, _EXPORT_KEYS, where, origin)
    name = str(_text(item, "name", where, origin))
    translator = _text(item, "translator", where, origin, required=False)
    spec = _text(item, "spec", where, origin, required=False)
    if (translator is None) == (spec is None):
        raise HubConfigError(origin, f"{where}translator", "give exactly one of translator = NAME or spec = PATH")
    spec_path: Path | None
    if translator == CANONICAL and spec is None:
        spec_path, label = None, CANONICAL
    elif spec is not None:
        spec_path = (base / spec).resolve()
        if not spec_path.is_file():
            raise HubConfigError(origin, f"{where}spec", f"no such spec file: {spec_path}")
        label = spec_path.stem
    else:
        from justice_schema.translation import find_translator

        try:
            spec_path = find_translator(str(translator)).spec_path
        except JusticeSchemaError as exc:
            raise HubConfigError(origin, f"{where}translator", str(exc)) from None
        label = str(translator)
    agency = _text(item, "agency", where, origin, required=False) or (name if spec_path is None else label)
    files = _resolve_files(item.get("files"), base, f"{where}files", origin)
    return Export(name=name, translator=label, spec_path=spec_path, agency=agency, files=files)


def parse_config(data: dict[str, Any], path: str | Path) -> HubConfig:
    """Check the parsed TOML ``data`` of the file at ``path`` (relative paths are taken from its folder)."""
    path = Path(path)
    origin, base = str(path), path.parent
    _unknown(data, {"hub", "export"}, "", origin)
    hub = data.get("hub", {})
    if not isinstance(hub, dict):
        raise HubConfigError(origin, "hub", "must be a table ([hub])")
    _unknown(hub, _HUB_KEYS, "hub.", origin)
    output = base / str(_text(hub, "output", "hub.", origin))
    site_text = _text(hub, "site", "hub.", origin, required=False)
    site = base / site_text if site_text else output / "site"
    rules_text = _text(hub, "identity_rules", "hub.", origin, required=False)
    rules = base / rules_text if rules_text else None
    if rules is not None and not rules.is_file():
        raise HubConfigError(origin, "hub.identity_rules", f"no such rules file: {rules}")
    link_text = _text(hub, "link_rules", "hub.", origin, required=False)
    link_rules = base / link_text if link_text else None
    if link_rules is not None:
        if not link_rules.is_file():
            raise HubConfigError(origin, "hub.link_rules", f"no such rules file: {link_rules}")
        from justice_schema.linking import load_rules

        try:
            load_rules(link_rules)
        except JusticeSchemaError as exc:
            raise HubConfigError(origin, "hub.link_rules", str(exc)) from None
    profile = _profile(_text(hub, "profile", "hub.", origin, required=False) or "public", base, origin)
    as_of_value = hub.get("as_of")
    as_of: date | None = None
    if as_of_value is not None:
        if isinstance(as_of_value, date):
            as_of = as_of_value
        else:
            try:
                as_of = date.fromisoformat(str(as_of_value))
            except ValueError:
                raise HubConfigError(origin, "hub.as_of", f"must be a date (YYYY-MM-DD), not {as_of_value!r}") from None
    items = data.get("export")
    if not isinstance(items, list) or not items:
        raise HubConfigError(origin, "export", "name at least one export ([[export]] with name, translator, files)")
    exports = [_export(item, number, base, origin) for number, item in enumerate(items, start=1)]
    seen: set[str] = set()
    for number, export in enumerate(exports, start=1):
        if export.name in seen:
            raise HubConfigError(origin, f"export[{number}].name", f"{export.name!r} is used twice; names are unique")
        seen.add(export.name)
    return HubConfig(path=path, output=output, site=site, exports=tuple(exports), identity_rules=rules, as_of=as_of,
                     link_rules=link_rules, profile=profile)


def _profile(value: str, base: Path, origin: str) -> str:
    """A shipped profile name, or the resolved path of a profile file (checked by loading it)."""
    from justice_schema.privacy import load_profile, shipped_profiles

    target = value if value in shipped_profiles() else str((base / value).resolve())
    try:
        load_profile(target)
    except JusticeSchemaError as exc:
        raise HubConfigError(origin, "hub.profile", f"{value!r}: {exc}") from None
    return target
