"""Value types shared by several schema-1 entities: ages and weapons."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, Strict

from justice_schema.v1._base import CanonicalModel, NonEmptyModel
from justice_schema.v1._types import RAW_TEXT_MAX, Flag
from justice_schema.v1.codes import AgeCode, ArmedWith, WeaponForce

__all__ = ["Age", "ArmedWithEntry", "WeaponForceEntry", "RawText", "Years"]

#: The source's own text for a coded value, kept next to the canonical code.
RawText = Annotated[str, Field(min_length=1, max_length=RAW_TEXT_MAX)]
#: An age in whole years.
Years = Annotated[int, Strict(), Field(ge=0, le=120)]


class Age(NonEmptyModel):
    """An age as NIBRS records it: exact, a range, or a special code.

    An exact age of 32 is ``min_years=32, max_years=32``; the range 25 to 30 is
    ``min_years=25, max_years=30``; "over 98" and "unknown" are the codes
    ``99`` and ``00`` with no years (NIBRS DE 26, 37, 47).
    """

    min_years: Years | None = Field(default=None, description="Lowest possible age in years (the exact age when exact).")
    max_years: Years | None = Field(default=None, description="Highest possible age in years (the exact age when exact).")
    code: AgeCode | None = Field(default=None, description="NIBRS non-numeric age code, when the age is not a number.")
    raw: RawText | None = Field(default=None, description="The age exactly as the source wrote it.")


class ArmedWithEntry(CanonicalModel):
    """One 'arrestee was armed with' value (NIBRS DE 46) and its automatic-weapon flag."""

    code: ArmedWith = Field(description="NIBRS armed-with code.")
    automatic: Flag = Field(default=False, description="True when the firearm was automatic (NIBRS flag 'A').")
    raw: RawText | None = Field(default=None, description="The value exactly as the source wrote it.")


class WeaponForceEntry(CanonicalModel):
    """One 'type of weapon/force involved' value (NIBRS DE 13) and its automatic-weapon flag."""

    code: WeaponForce = Field(description="NIBRS weapon/force code.")
    automatic: Flag = Field(default=False, description="True when the firearm was automatic (NIBRS flag 'A').")
    raw: RawText | None = Field(default=None, description="The value exactly as the source wrote it.")
