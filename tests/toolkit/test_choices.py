"""choose: text in any letter case picks the enum member; anything else is one InputError naming every choice."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from justice_schema._toolkit.choices import choose
from justice_schema.errors import InputError
from justice_schema.versioning import DowngradePolicy, Mode, check_compatibility, downgrade


def _any_case(text: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(text), max_size=len(text)).map(
        lambda flips: "".join(c.upper() if f else c.lower() for c, f in zip(text, flips, strict=True)))


@given(st.sampled_from(list(Mode)).flatmap(lambda m: st.tuples(st.just(m), _any_case(m.value))))
def test_a_mode_in_any_case_is_chosen(pair: tuple[Mode, str]) -> None:
    member, text = pair
    assert choose(Mode, text, "compatibility mode", "upper") is member


@given(st.sampled_from(list(DowngradePolicy)).flatmap(lambda p: st.tuples(st.just(p), _any_case(p.value))))
def test_a_policy_in_any_case_is_chosen(pair: tuple[DowngradePolicy, str]) -> None:
    member, text = pair
    assert choose(DowngradePolicy, text, "downgrade policy", "lower") is member


@given(st.text(max_size=20).filter(lambda t: t.upper() not in {m.value for m in Mode}))
def test_other_text_is_refused_naming_it_and_every_choice(text: str) -> None:
    with pytest.raises(InputError) as caught:
        choose(Mode, text, "compatibility mode", "upper")
    message = str(caught.value)
    assert message.startswith(f"unknown compatibility mode {text!r}; use one of ")
    assert all(m.value in message for m in Mode)


def test_the_public_entry_points_refuse_an_unknown_choice() -> None:
    with pytest.raises(InputError, match=r"unknown compatibility mode 'SIDEWAYS'; use one of BACKWARD"):
        check_compatibility("1.0", "1.1", "SIDEWAYS")
    with pytest.raises(InputError, match=r"unknown downgrade policy 'shred'; use one of "):
        downgrade([], "1.0", policy="shred")
