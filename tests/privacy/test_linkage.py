"""The linkage attack: a press-release table (town, date, offense, age, sex) singles no one out in the
research or the public output of a generated population."""

from __future__ import annotations

import pyarrow.compute as pc

from justice_schema.privacy import load_profile, publish
from justice_schema.privacy.linkage import match_counts, match_records
from justice_schema.testing.population import attacker_view, press_release

ON = {"county": "location.county_fips", "month": "arrest_date", "offense": "ucr_arrest_offense_code",
      "age_band": "arrestee_age.min_years", "sex": "person.sex"}
PUBLIC_COLUMNS = {"location.county_fips": "county", "ucr_arrest_offense_code": "offense",
                  "arrestee_age.min_years": "age_band", "person.sex": "sex", "arrest_date": "month"}


def test_the_attack_singles_out_people_in_the_raw_data(population):
    """The attack is real: on the unprotected table it finds unique matches."""
    press = press_release(population, 500, seed=1)
    raw = population.arrests
    import pyarrow as pa

    where = pc.index_in(raw.column("person_id"), population.people.column("id"))
    raw_view = pa.table({"town": pc.struct_field(raw.column("location"), "city"), "date": raw.column("arrest_date"),
                         "offense": raw.column("ucr_arrest_offense_code"),
                         "age": pc.struct_field(raw.column("arrestee_age"), "min_years"),
                         "sex": population.people.column("sex").take(where)})
    result = match_records(press, raw_view, {c: c for c in ("town", "date", "offense", "age", "sex")})
    assert result.unique > 400


def test_no_unique_match_in_research_or_public(population, key):
    press = press_release(population, 3000, seed=2)
    research_profile = load_profile("research")
    research = publish(population.arrests, research_profile, person=population.people, key=key)
    assert research.records is not None
    bands = research_profile.fields["arrestee_age.min_years"].options["bands"]
    attack = attacker_view(press, bands, pc.unique(research.records.column("ucr_arrest_offense_code")))
    linked = match_records(attack, research.records, ON)
    assert linked.matched > 0 and linked.unique == 0 and linked.smallest >= 5
    public_profile = load_profile("public")
    public = publish(population.arrests, public_profile, person=population.people, key=key)
    attack = attacker_view(press, public_profile.fields["arrestee_age.min_years"].options["bands"])
    for aggregate in public_profile.aggregates:
        dims = [*aggregate.rows, aggregate.column]
        if all(d in PUBLIC_COLUMNS for d in dims):
            result = match_counts(attack, public.aggregates[aggregate.name], {PUBLIC_COLUMNS[d]: d for d in dims})
            assert result.unique == 0 and (result.smallest is None or result.smallest >= aggregate.threshold)
