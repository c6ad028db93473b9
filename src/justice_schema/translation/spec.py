"""Loading a translator spec (TOML) and checking it against the language's JSON Schema.

>>> spec = load_spec_text('''
... spec_version = 1
... [translator]
... name = "tiny"
... title = "Tiny example"
... system = "Tiny RMS"
... agency_ori = { const = "UT0180000" }
... timezone = "America/Denver"
... [source]
... format = "csv"
... [[entity]]
... type = "person"
... id = { id = ["PersonId"], prefix = "tiny-person" }
... fields = { family_name = "Last" }
... ''')
>>> spec.name
'tiny'
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import attrs
import jsonschema
from jsonschema.exceptions import best_match

from justice_schema.errors import JusticeSchemaError
from justice_schema.translation.spec_schema import spec_json_schema

__all__ = ["Spec", "SpecError", "load_spec", "load_spec_text", "key_path"]


class SpecError(JusticeSchemaError, ValueError):
    """A translator spec that does not say something the language can run.

    ``str(error)`` names the spec file, the key (a dotted path such as
    ``entity[2].fields.sex``) and the problem, on one line.
    """

    def __init__(self, spec: str, key: str, problem: str) -> None:
        self.spec = spec
        self.key = key
        self.problem = problem
        super().__init__(f"{spec}: {key or '<top level>'}: {problem}")


def key_path(parts: Any) -> str:
    """A readable key path: ``("entity", 0, "fields", "sex")`` becomes ``entity[0].fields.sex``."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@attrs.frozen(slots=True)
class Spec:
    """A loaded, schema-checked spec: its TOML content and where it came from.

    ``base_dir`` is the folder of the spec file (where a translator's README,
    samples and golden files live).
    """

    data: Mapping[str, Any] = attrs.field(repr=False)
    origin: str
    base_dir: Path | None = None

    @property
    def name(self) -> str:
        """The translator's name (``[translator] name``)."""
        return str(self.data["translator"]["name"])

    @property
    def title(self) -> str:
        """The translator's human title."""
        return str(self.data["translator"]["title"])

    def error(self, key: Any, problem: str) -> SpecError:
        """A :class:`SpecError` about ``key`` (a path tuple or text) in this spec."""
        return SpecError(self.origin, key if isinstance(key, str) else key_path(key), problem)


def _problem(error: jsonschema.ValidationError) -> str:
    if error.validator == "additionalProperties":
        return f"{error.message}"
    if error.validator in ("anyOf", "oneOf") and error.context:
        deepest = best_match(error.context)
        return deepest.message
    return error.message


def load_spec_text(text: str, origin: str = "<spec>", base_dir: Path | None = None) -> Spec:
    """Parse and check TOML ``text``; raise :class:`SpecError` on the first problem found."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(origin, "", f"not valid TOML: {exc}") from None
    found = _first_problem(text)  # the same text is checked once per process (finding a translator reads it too)
    if found is not None:
        raise SpecError(origin, *found)
    return Spec(data=data, origin=origin, base_dir=base_dir)


@lru_cache(maxsize=64)
def _first_problem(text: str) -> tuple[str, str] | None:
    """(key path, problem) of the first problem the spec JSON Schema finds in the TOML ``text``, or ``None``."""
    data = tomllib.loads(text)
    validator = jsonschema.Draft202012Validator(spec_json_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (-len(list(e.absolute_path)), str(e.message)))
    if not errors:
        return None
    error = best_match(errors)
    # The deepest error names the most precise key.
    while error.context:
        error = best_match(error.context)
    return key_path(error.absolute_path), _problem(error)


def load_spec(path: str | Path) -> Spec:
    """Load and check the spec file at ``path``.

    Raises :class:`SpecError` naming the file, the key and the problem; the
    spec is compiled (names of maps, fields, transforms checked) by
    :class:`~justice_schema.translation.Translator`.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SpecError(str(path), "", f"cannot read the spec: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise SpecError(str(path), "", "the spec is not UTF-8 text") from None
    return load_spec_text(text, origin=str(path), base_dir=path.parent)
