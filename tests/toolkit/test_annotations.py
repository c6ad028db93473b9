"""Annotation unwrapping: the bare type, the constraints and optionality of every model field."""

from __future__ import annotations

import typing
from typing import Annotated, Any, Literal

import annotated_types
import pytest
from pydantic import Field

from justice_schema._toolkit.annotations import Unwrapped, strip_annotated, unwrap
from justice_schema.registry import ENTITY_TYPES, model_for


@pytest.mark.parametrize(
    ("annotation", "bare", "optional"),
    [
        (int, int, False),
        (int | None, int, True),
        (typing.Optional[str], str, True),  # noqa: UP045 - the old spelling must unwrap too
        (Annotated[int, Field(ge=1)] | None, int, True),
        (Annotated[Annotated[str, Field(max_length=3)] | None, "note"], str, True),
        (Literal["a", "b"] | None, Literal["a", "b"], True),
        (tuple[int, ...], tuple[int, ...], False),
        (int | str, int | str, False),
    ],
)
def test_unwrap(annotation: Any, bare: Any, optional: bool) -> None:
    found = unwrap(annotation)
    assert (found.bare, found.optional) == (bare, optional)


def test_unwrap_collects_the_constraints_outermost_first() -> None:
    found = unwrap(Annotated[Annotated[int, Field(ge=1, le=9)] | None, "note"])
    assert found.metadata[0] == "note"
    assert {type(m) for m in found.metadata[1:]} == {annotated_types.Ge, annotated_types.Le}


def test_strip_annotated_keeps_the_optional() -> None:
    assert strip_annotated(Annotated[int | None, "x"]) == int | None
    assert strip_annotated(int) is int


@pytest.mark.parametrize("entity", ENTITY_TYPES)
def test_every_model_field_unwraps_to_one_bare_type(entity: str) -> None:
    for name, info in model_for(entity).model_fields.items():
        found = unwrap(info.annotation)
        assert isinstance(found, Unwrapped)
        assert typing.get_origin(found.bare) not in (Annotated, typing.Union), name


def test_constraint_limits_of_model_fields() -> None:
    from justice_schema._toolkit.annotations import constraint_limits

    info = model_for("arrest", "1.1").model_fields["arrestee_sequence_number"]
    found = unwrap(info.annotation)
    assert constraint_limits([*info.metadata, *found.metadata]) == {"ge": 1, "le": 99}
    ori = model_for("arrest", "1.1").model_fields["source"]
    assert constraint_limits(unwrap(ori.annotation).metadata) == {}


def test_constraint_limits_later_items_win() -> None:
    from annotated_types import Ge, Interval

    from justice_schema._toolkit.annotations import constraint_limits

    assert constraint_limits([Ge(1), Interval(ge=3, lt=7)]) == {"ge": 3, "lt": 7}
