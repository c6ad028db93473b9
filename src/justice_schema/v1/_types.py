"""Constrained field types shared by the schema-1 entity models.

Each type carries its own constraint so that pydantic and the published JSON
Schema enforce exactly the same thing. Numbers, booleans, dates and instants
are *strict*: JSON ``"12"`` is not an integer and ``0`` is not a date, as in
JSON Schema. Dates are ``YYYY-MM-DD``; instants are RFC 3339 text with an
offset, and are normalised to UTC, because naive local times never enter
the canonical model.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, Strict, WithJsonSchema

__all__ = [
    "Text",
    "ShortText",
    "SourceKey",
    "RecordId",
    "Ori",
    "StateCode",
    "CountryCode",
    "PostalCode",
    "PersonKey",
    "FbiNumber",
    "NcicCode",
    "Date",
    "Instant",
    "Count",
    "NonNegativeInt",
    "Money",
    "Flag",
    "CountyFips",
    "CensusTract",
    "Latitude",
    "Longitude",
    "RAW_TEXT_MAX",
]

RAW_TEXT_MAX = 500

_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INSTANT_TEXT = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$"
)
DATE_PATTERN = _DATE_TEXT.pattern
INSTANT_PATTERN = _INSTANT_TEXT.pattern


def _check_date_input(value: Any) -> Any:
    if isinstance(value, datetime):
        raise ValueError("expected a date, got a datetime; use .date() or a YYYY-MM-DD string")
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        if not _DATE_TEXT.match(value):
            raise ValueError(f"date must be written YYYY-MM-DD, got {value!r}")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"not a calendar date: {value!r}") from None
    raise ValueError(f"expected a date or YYYY-MM-DD text, got {type(value).__name__}")


def _check_instant_input(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                "instant has no time zone; attach the agency's zone "
                "(zoneinfo.ZoneInfo) before it enters the canonical model"
            )
        return value
    if isinstance(value, str):
        if not _INSTANT_TEXT.match(value):
            raise ValueError(
                f"instant must be RFC 3339 text with an offset, "
                f"e.g. 2024-05-01T13:45:00-06:00, got {value!r}"
            )
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"not a valid instant: {value!r}") from None
    raise ValueError(f"expected an aware datetime or RFC 3339 text, got {type(value).__name__}")


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


#: Free text: 1 to 500 characters; empty strings are not allowed (use ``None``).
Text = Annotated[str, Field(min_length=1, max_length=RAW_TEXT_MAX)]
#: Short text such as a name part: 1 to 100 characters.
ShortText = Annotated[str, Field(min_length=1, max_length=100)]
#: A key from a source system (incident number, case number, booking number):
#: 1 to 128 characters, no leading or trailing white space.
SourceKey = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^\S(.*\S)?$")]
#: A canonical record id: letters, digits and ``._:-``, starting with a letter or digit.
RecordId = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$", max_length=128)]
#: A 9-character ORI (Originating Agency Identifier): state abbreviation + 7 characters.
Ori = Annotated[str, Field(pattern=r"^[A-Z]{2}[A-Z0-9]{7}$", min_length=9, max_length=9)]
#: A two-letter state or territory abbreviation (USPS), upper case.
StateCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", min_length=2, max_length=2)]
#: An ISO 3166-1 alpha-2 country code, upper case.
CountryCode = Annotated[str, Field(pattern=r"^[A-Z]{2}$", min_length=2, max_length=2)]
#: A postal code, upper case (US ZIP, ZIP+4, or another country's form such as ``SW1A 1AA``).
PostalCode = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9 -]{1,10}$", max_length=11)]
#: A person identifier such as a state id (SID) or driver's licence number:
#: upper-case letters, digits and hyphens.
PersonKey = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9-]{0,24}$", max_length=25)]
#: An FBI number (Universal Control Number): up to 9 upper-case letters and digits.
FbiNumber = Annotated[str, Field(pattern=r"^[A-Z0-9]{1,9}$", max_length=9)]
#: An NCIC offense code: four digits.
NcicCode = Annotated[str, Field(pattern=r"^[0-9]{4}$", min_length=4, max_length=4)]

#: A calendar date, ``YYYY-MM-DD`` in JSON.
Date = Annotated[
    date,
    BeforeValidator(_check_date_input),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
#: An instant: timezone-aware, stored in UTC; RFC 3339 with an offset in JSON.
Instant = Annotated[
    datetime,
    BeforeValidator(_check_instant_input),
    AfterValidator(_to_utc),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": INSTANT_PATTERN}),
]
#: A count of things, at least 1.
Count = Annotated[int, Strict(), Field(ge=1, le=999_999)]
#: A whole number of days, hours or similar, at least 0.
NonNegativeInt = Annotated[int, Strict(), Field(ge=0, le=1_000_000)]
#: An amount of money in the currency's main unit (dollars, pounds), at least 0.
Money = Annotated[float, Strict(), Field(ge=0, le=1e12)]
#: A true/false flag (JSON ``true``/``false`` only).
Flag = Annotated[bool, Strict()]
#: A county (or county-equivalent) FIPS code: 2-digit state + 3-digit county, e.g. ``49035`` (Salt Lake, UT).
CountyFips = Annotated[str, Field(pattern=r"^[0-9]{5}$", min_length=5, max_length=5)]
#: A census tract as its 11-digit GEOID: state (2) + county (3) + tract (6), e.g. ``49035113000``.
CensusTract = Annotated[str, Field(pattern=r"^[0-9]{11}$", min_length=11, max_length=11)]
#: A latitude in decimal degrees (WGS 84).
Latitude = Annotated[float, Strict(), Field(ge=-90, le=90)]
#: A longitude in decimal degrees (WGS 84).
Longitude = Annotated[float, Strict(), Field(ge=-180, le=180)]
