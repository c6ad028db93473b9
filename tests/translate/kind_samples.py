"""One small working spec per expression kind: what it reads, what it must give.

``tests/translate/test_kinds.py`` holds this table to the kind registry
(:mod:`justice_schema.translation.kinds`): a kind registered without a sample here fails
there, so every kind is compiled and run on data at least once.
"""

from __future__ import annotations

import textwrap
from datetime import UTC, date, datetime
from typing import Any

import attrs

#: The one input row every sample reads (``E`` is blank).
CSV = 'ID,NAME,D,T,N,Y,W,S,OFF,E\n1,"DOE, JOHN Q",03/04/2024,2024-03-04T02:10:00Z,42,Y,a;b,F,13B,\n'


@attrs.frozen(slots=True)
class KindSample:
    """A field of an entity filled by an expression of one kind, and the value the row gives."""

    entity: str
    field: str
    expression: str
    expected: Any
    #: Lines added to the entity block before its fields (``each = ...``).
    block: str = ""
    #: Spec sections before the entity (``[maps.x]``, ``[params]``).
    before: str = ""
    #: The expression of the kind itself, when ``expression`` wraps it in another.
    inner: str = ""

    @property
    def alone(self) -> str:
        """The sample's expression of its own kind (TOML inline table)."""
        return self.inner or self.expression


_SEVERITY = '[maps.severity]\nvalues = { F = "FELONY", M = "MISDEMEANOR" }\n'
_PARAMS = '[params]\nwho = { description = "who ran it", default = "me" }\n'
_HAS_LIST = '{ if = { test = { split = "W", sep = ";" }, is_null = false }, then = { const = "listed" } }'

SAMPLES: dict[str, KindSample] = {
    "column": KindSample("charge", "description", '{ column = "NAME" }', "DOE, JOHN Q"),
    "const": KindSample("charge", "description", '{ const = "x" }', "x"),
    "concat": KindSample("charge", "description", '{ concat = ["ID", "E", { const = "z" }], sep = "-" }', "1-z"),
    "coalesce": KindSample("charge", "description", '{ coalesce = ["E", "ID"] }', "1"),
    "name": KindSample("charge", "description", '{ name = "NAME", part = "given" }', "JOHN"),
    "date": KindSample("charge", "offense_date", '{ date = "D", formats = ["%m/%d/%Y"] }', date(2024, 3, 4)),
    "datetime": KindSample("arrest", "arrested_at", '{ datetime = "T", formats = ["%Y-%m-%dT%H:%M:%S%z"] }',
                           datetime(2024, 3, 4, 2, 10, tzinfo=UTC)),
    # 02:10 UTC is the evening before in Denver.
    "local_date": KindSample("arrest", "arrest_date", '{ local_date = "T", formats = ["%Y-%m-%dT%H:%M:%S%z"] }',
                             date(2024, 3, 3)),
    "map": KindSample("charge", "severity", '{ map = "S", using = "severity" }', "FELONY", before=_SEVERITY),
    "lookup": KindSample("charge", "ucr_offense_code", '{ lookup = "OFF", table = "ucr_offense", by = "code" }',
                         "13B"),
    "if": KindSample("charge", "description",
                     '{ if = { test = "Y", equals = "Y" }, then = { const = "yes" }, else = { const = "no" } }', "yes"),
    "transform": KindSample("charge", "counts", '{ transform = "duration_days", args = ["N"] }', 42),
    "id": KindSample("charge", "description", '{ id = ["ID", "S"], prefix = "k" }', "k:1:F"),
    "int": KindSample("charge", "counts", '{ int = "N" }', 42),
    "number": KindSample("charge", "counts", '{ number = "N" }', 42),
    "bool": KindSample("charge", "domestic_violence", '{ bool = "Y" }', True),
    "regex": KindSample("charge", "description", '{ regex = "OFF", pattern = "^([0-9]+)" }', "13"),
    "index": KindSample("charge", "counts", "{ index = true }", 2, block="each = { repeat = { from = 2, to = 2 } }"),
    # No field of schema 1 is a list of text: a split is tested (a list of parts, or null).
    "split": KindSample("charge", "description", _HAS_LIST, "listed", inner='{ split = "W", sep = ";" }'),
    "source": KindSample("charge", "description", '{ source = "file" }', "in.csv"),
    "param": KindSample("charge", "description", '{ param = "who" }', "me", before=_PARAMS),
    "rank": KindSample("charge", "counts", '{ rank = ["S"], order = ["ID"] }', 1),
    "classify_offense": KindSample("charge", "ucr_offense_code",
                                   '{ classify_offense = { const = "PWID COCAINE" }, output = "nibrs_code" }', "35A"),
}

_REQUIRED = {"charge": 'person_id = { const = "p-1" }\n',
             "arrest": 'person_id = { const = "p-1" }\narrest_date = { date = "D", formats = ["%m/%d/%Y"] }\n'}


def sample_body(sample: KindSample, expression: str | None = None) -> str:
    """The spec body (after the ``[source]`` header) of ``sample``, optionally with another expression."""
    required = "".join(line + "\n" for line in _REQUIRED[sample.entity].splitlines()
                       if not line.startswith(f"{sample.field} ="))
    return sample.before + textwrap.dedent(f"""
        [[entity]]
        type = "{sample.entity}"
        id = {{ id = ["ID"], prefix = "e" }}
        {sample.block}
        [entity.fields]
        """) + required + f"{sample.field} = {expression or sample.expression}\n"


def sample_toml(expression: str) -> dict[str, Any]:
    """An inline TOML expression as the dict the compiler sees."""
    import tomllib

    return dict(tomllib.loads(f"x = {expression}")["x"])


#: A condition per operator and combinator, tested on the row of :data:`CSV`, and whether it holds.
CONDITION_SAMPLES: dict[str, tuple[str, bool]] = {
    "equals": ('{ test = "S", equals = "F" }', True),
    "in": ('{ test = "N", in = [41, 43] }', False),
    "not_in": ('{ test = "S", not_in = ["M", "X"] }', True),
    "is_null": ('{ test = "E", is_null = true }', True),
    "matches": ('{ test = "OFF", matches = "^[0-9]+B$" }', True),
    "all": ('{ all = [{ test = "S", equals = "F" }, { test = "E", is_null = false }] }', False),
    "any": ('{ any = [{ test = "S", equals = "M" }, { test = "Y", in = ["Y", "y"] }] }', True),
    "not": ('{ not = { test = "ID", equals = 1 } }', False),
}


def condition_body(condition: str) -> str:
    """A spec body whose charge description is ``"yes"`` where ``condition`` holds, else ``"no"``."""
    return sample_body(SAMPLES["if"], f'{{ if = {condition}, then = {{ const = "yes" }}, else = {{ const = "no" }} }}')
