"""A generated population of arrests and their people, as canonical schema 1.2 Arrow tables.

For the privacy tests and benchmarks: realistic skews (offenses, counties, demographics), the
1.2 record flags (sealed, expunged, juvenile) and names, built with numpy in whole arrays so
that a million arrests take seconds. ``seed`` makes it repeatable. The places are California's
58 counties by FIPS code, each with made-up towns and census tracts.
"""

from __future__ import annotations

import datetime as dt

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.arrow import arrow_schema

__all__ = ["Population", "generate_population", "press_release", "OFFENSES", "town_county"]

#: UCR arrest offense codes drawn, commonest first (Zipf-like weights).
OFFENSES = ("90D", "35A", "13B", "23H", "90Z", "13A", "90J", "23C", "290", "520", "90C", "240", "220", "120",
            "23F", "26A", "90F", "11A", "35B", "90E", "250", "280", "23D", "09A", "100", "36B", "64A", "200",
            "370", "510", "26B", "40A", "39A", "11D", "09C")
_COUNTIES = tuple(f"06{n:03d}" for n in range(1, 116, 2))  # the 58 California county FIPS codes
_TOWNS_PER_COUNTY = 6
_TRACTS_PER_COUNTY = 40
_GIVEN = ("James", "Maria", "John", "Linda", "Robert", "Ana", "Michael", "Sarah", "David", "Rosa", "Daniel", "Mei")
_FAMILY = ("Smith", "Garcia", "Johnson", "Nguyen", "Brown", "Lopez", "Lee", "Martinez", "Davis", "Kim", "Clark")


def town_county(town: str) -> str:
    """The county FIPS code of a generated town (``"Town 06037-2"`` → ``"06037"``): public knowledge."""
    return town.split(" ")[1].split("-")[0]


@attrs.frozen(slots=True)
class Population:
    """The arrest and person tables (canonical, schema 1.2) of one generated population."""

    arrests: pa.Table
    people: pa.Table


def _table(entity: str, n: int, columns: dict[str, pa.Array]) -> pa.Table:
    schema = arrow_schema(entity, "1.2")
    arrays = [columns[f.name] if f.name in columns else pa.nulls(n, f.type) for f in schema]
    return pa.Table.from_arrays([a.cast(f.type) for a, f in zip(arrays, schema, strict=True)], schema=schema)


def _pick(rng: np.random.Generator, choices: tuple[str, ...], weights: list[float], n: int) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return np.asarray(choices, dtype=object)[rng.choice(len(choices), size=n, p=p / p.sum())]


def generate_population(arrests: int, *, seed: int = 0, sealed_share: float = 0.02,
                        expunged_share: float = 0.01, people_share: float = 0.6) -> Population:
    """``arrests`` arrests of about ``people_share * arrests`` people, with flags and skews."""
    rng = np.random.default_rng(seed)
    n_people = max(1, int(arrests * people_share))
    person_ids = np.char.add("P", np.arange(n_people).astype(str)).astype(object)
    sex = _pick(rng, ("M", "F", "U"), [74, 25, 1], n_people)
    race = _pick(rng, ("W", "B", "A", "I", "P", "U"), [58, 27, 6, 2, 1, 6], n_people)
    ethnicity = _pick(rng, ("N", "H", "U"), [70, 24, 6], n_people)
    age_at_start = np.clip(rng.gamma(4.0, 8.0, n_people) + 12, 12, 85).astype(int)
    start = dt.date(2024, 1, 1).toordinal()
    dob = start - age_at_start * 365 - rng.integers(0, 365, n_people)
    epoch = dt.date(1970, 1, 1).toordinal()
    county_weight = 1.0 / np.arange(1, len(_COUNTIES) + 1) ** 0.9
    home = rng.choice(len(_COUNTIES), size=n_people, p=county_weight / county_weight.sum())
    given = _pick(rng, _GIVEN, [1] * len(_GIVEN), n_people)
    family = _pick(rng, _FAMILY, [1] * len(_FAMILY), n_people)
    p_sealed = rng.random(n_people) < sealed_share
    p_expunged = rng.random(n_people) < expunged_share

    who = rng.integers(0, n_people, arrests)
    who[: min(arrests, n_people)] = np.arange(min(arrests, n_people))  # everyone has at least one arrest
    day = start + rng.integers(0, 730, arrests)
    age = ((day - dob[who]) // 365.25).astype(int)
    off_weight = 1.0 / np.arange(1, len(OFFENSES) + 1) ** 1.1
    offense = _pick(rng, OFFENSES, list(off_weight), arrests)
    county_index = np.where(rng.random(arrests) < 0.9, home[who], rng.choice(len(_COUNTIES), size=arrests))
    county = np.asarray(_COUNTIES, dtype=object)[county_index]
    town_no = rng.integers(0, _TOWNS_PER_COUNTY, arrests)
    town = np.char.add(np.char.add(np.char.add("Town ", county.astype(str)), "-"), town_no.astype(str)).astype(object)
    tract = np.char.add(county.astype(str), np.char.zfill(rng.integers(0, _TRACTS_PER_COUNTY, arrests).astype(str), 6))
    a_sealed = p_sealed[who] | (rng.random(arrests) < sealed_share / 2)
    a_expunged = p_expunged[who]
    juvenile = age < 18
    arrest_ids = np.char.add("A", np.arange(arrests).astype(str)).astype(object)
    extracted = pa.array(np.full(arrests, np.datetime64("2026-01-01T00:00:00", "us")), pa.timestamp("us", tz="UTC"))

    def source(n: int, keys: np.ndarray, when: pa.Array) -> pa.Array:
        return pa.StructArray.from_arrays(
            [pa.array(np.full(n, "CA0190000", dtype=object)), pa.array(np.full(n, "generated", dtype=object)),
             pa.array(keys), when], names=["agency_ori", "system", "record_key", "extracted_at"])

    age_struct = pa.StructArray.from_arrays(
        [pa.array(age, pa.int32()), pa.array(age, pa.int32()), pa.nulls(arrests, pa.string()),
         pa.array(age.astype(str).astype(object))], names=["min_years", "max_years", "code", "raw"])
    location_type = arrow_schema("arrest", "1.2").field("location").type
    location = pa.StructArray.from_arrays(
        [pa.array(county), pa.array(town), pa.array(tract.astype(object)),
         pa.array(rng.uniform(32.5, 42.0, arrests)), pa.array(rng.uniform(-124.4, -114.1, arrests))],
        fields=list(location_type))
    arrest_table = _table("arrest", arrests, {
        "entity_type": pa.array(np.full(arrests, "arrest", dtype=object)),
        "schema_version": pa.array(np.full(arrests, "1.2", dtype=object)),
        "id": pa.array(arrest_ids), "source": source(arrests, arrest_ids, extracted),
        "sealed": pa.array(a_sealed), "expunged": pa.array(a_expunged), "juvenile_record": pa.array(juvenile),
        "person_id": pa.array(person_ids[who]),
        "incident_id": pa.array(np.char.add("I", np.arange(arrests).astype(str)).astype(object)),
        "arrest_transaction_number": pa.array(np.char.add("T", np.arange(arrests).astype(str)).astype(object)),
        "arrestee_sequence_number": pa.array(np.ones(arrests, dtype=np.int32)),
        "arrest_date": pa.array((day - epoch).astype(np.int32), pa.int32()).cast(pa.date32()),
        "arrest_type": pa.array(_pick(rng, ("O", "S", "T"), [50, 15, 35], arrests)),
        "multiple_arrestee_indicator": pa.array(np.full(arrests, "N", dtype=object)),
        "ucr_arrest_offense_code": pa.array(offense),
        "armed_with": pa.array([[]] * arrests, arrow_schema("arrest", "1.2").field("armed_with").type),
        "arrestee_age": age_struct, "location": location,
    })
    people_extracted = pa.array(np.full(n_people, np.datetime64("2026-01-01T00:00:00", "us")),
                                pa.timestamp("us", tz="UTC"))
    people_table = _table("person", n_people, {
        "entity_type": pa.array(np.full(n_people, "person", dtype=object)),
        "schema_version": pa.array(np.full(n_people, "1.2", dtype=object)),
        "id": pa.array(person_ids), "source": source(n_people, person_ids, people_extracted),
        "sealed": pa.array(p_sealed), "expunged": pa.array(p_expunged),
        "juvenile_record": pa.array(age_at_start < 18),
        "given_name": pa.array(given), "family_name": pa.array(family),
        "date_of_birth": pa.array((dob - epoch).astype(np.int32), pa.int32()).cast(pa.date32()),
        "sex": pa.array(sex), "race": pa.array(race), "ethnicity": pa.array(ethnicity),
        "aliases": pa.array([[]] * n_people, arrow_schema("person", "1.2").field("aliases").type),
        "other_identifiers": pa.array([[]] * n_people, arrow_schema("person", "1.2").field("other_identifiers").type),
    })
    return Population(arrest_table, people_table)


def press_release(population: Population, rows: int, *, seed: int = 0) -> pa.Table:
    """What a press release or court calendar tells about ``rows`` arrests drawn at random (sealed and
    juvenile ones too): ``town``, ``date``, ``offense``, ``age``, ``sex``."""
    rng = np.random.default_rng(seed)
    arrests = population.arrests
    pick = pa.array(rng.choice(arrests.num_rows, size=min(rows, arrests.num_rows), replace=False))
    chosen = arrests.take(pick)
    people = population.people
    where = pc.index_in(chosen.column("person_id"), people.column("id"))
    return pa.table({
        "town": pc.struct_field(chosen.column("location"), "city"),
        "date": chosen.column("arrest_date"),
        "offense": chosen.column("ucr_arrest_offense_code"),
        "age": pc.struct_field(chosen.column("arrestee_age"), "min_years"),
        "sex": people.column("sex").take(where),
    })


def attacker_view(press: pa.Table, bands: list[int], offenses: pa.Array | None = None) -> pa.Table:
    """The press table brought to a publication's resolution with public knowledge only: town to
    county FIPS, date to ``YYYY-MM``, age to the profile's bands, an offense the publication does not
    list to ``other`` (when ``offenses``, the published categories, is given)."""
    from justice_schema.privacy.transforms import age_band, to_month

    offense = press.column("offense").combine_chunks()
    if offenses is not None:
        offense = pc.if_else(pc.is_in(offense, offenses), offense, pa.scalar("other"))
    return pa.table({
        "county": pc.utf8_slice_codeunits(press.column("town").combine_chunks(), 5, 10),
        "month": to_month(press.column("date").combine_chunks()),
        "offense": offense,
        "age_band": age_band(press.column("age").combine_chunks(), bands),
        "sex": press.column("sex"),
    })
