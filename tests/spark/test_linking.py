"""Case-flow linking on Spark gives link_events' links, unlinked causes and case_uids at 1, 2 and 7 partitions."""

from __future__ import annotations

import functools
from datetime import date
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from justice_schema.errors import InputError
from justice_schema.linking import EVENT_SCHEMA, LinkResult, default_rules, link_events
from justice_schema.linking.synthetic import CountyParams, generate_county
from justice_schema.spark.linking import joining_columns, link_events_spark
from justice_schema.testing.county import county_events
from tests.spark.partitions import each_partition_count

pytestmark = pytest.mark.xdist_group("spark")


@pytest.fixture(scope="module")
def samples() -> pa.Table:
    """The county samples' events (police to probation, translated and matched), in the event layout."""
    return county_events().cast(EVENT_SCHEMA)


def _same_as_single_machine(spark: Any, events: pa.Table, want: LinkResult, partitions: int) -> None:
    shuffled = events.take(pa.array(np.random.default_rng(partitions).permutation(events.num_rows)))
    got = link_events_spark(spark.createDataFrame(shuffled).repartition(partitions))
    links, unlinked, cases = got.collect()
    assert links.equals(want.links.sort_by([("link_type", "ascending"), ("child_id", "ascending")]))
    assert unlinked.equals(want.unlinked.sort_by([("link_type", "ascending"), ("event_id", "ascending")]))
    assert cases.equals(want.cases.cast(cases.schema))
    assert got.rules_version == want.rules_version


@settings(max_examples=1, deadline=None, phases=[Phase.generate],  # no shrinking: each example is Spark jobs
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**16), split=st.sampled_from([0.0, 0.05]), merge=st.sampled_from([0.0, 0.02]))
def test_same_links_causes_and_case_uids_at_1_2_and_7_partitions(spark: Any, samples: pa.Table, seed: int,
                                                                  split: float, merge: float) -> None:
    """A generated county (with identity errors, so that rules linking across people are exercised) and the
    county samples in one input, shuffled differently for each partition count; the reference is one
    machine on the unshuffled input. The three partition counts run at once."""
    county = generate_county(CountyParams(people=60, seed=seed, split_rate=split, merge_rate=merge)).events
    events = pa.concat_tables([county.cast(EVENT_SCHEMA), samples])
    want = link_events(events)
    # every link type, unlinked events and chains of several events are exercised
    assert set(want.links["link_type"].to_pylist()) == {link.name for link in default_rules().links}
    assert want.unlinked.num_rows
    assert pc.count_distinct(want.cases["case_uid"]).as_py() < want.cases.num_rows
    each_partition_count(functools.partial(_same_as_single_machine, spark, events, want))


def test_joining_columns_take_one_text_key_per_rule() -> None:
    rules = default_rules()
    assert joining_columns(rules) == ("incident_number", "offense_tracking_number", "arrest_transaction_number",
                                      "person_uid", "court_case_number")
    link = rules.links[0]
    counted = attrs.evolve(link, rules=(attrs.evolve(link.rules[0], keys=("charge_sequence", "court_case_number")),))
    assert joining_columns(attrs.evolve(rules, links=(counted,))) == ("court_case_number",)
    alone = attrs.evolve(link, rules=(attrs.evolve(link.rules[0], keys=("charge_sequence",)),))
    assert joining_columns(attrs.evolve(rules, links=(alone,))) == ("charge_sequence",)


def _frame(spark: Any, rows: list[tuple[Any, ...]], schema: str = "event_id string, event_type string, "
           "event_date date, person_uid string") -> Any:
    return spark.createDataFrame(rows, schema)


def test_bad_events_are_input_errors_naming_field_and_event(spark: Any) -> None:
    day = date(2024, 1, 2)
    with pytest.raises(InputError, match=r"events: missing column\(s\) event_date"):
        link_events_spark(spark.createDataFrame([("e1", "arrest")], "event_id string, event_type string"))
    with pytest.raises(InputError, match=r"events, field 'event_id': 'e1' appears more than once"):
        link_events_spark(_frame(spark, [("e1", "arrest", day, "p"), ("e1", "charge", day, "p"),
                                         ("e2", "charge", day, "p")]))
    with pytest.raises(InputError, match=r"field 'event_type': event 'e2': arest is not a stage"):
        link_events_spark(_frame(spark, [("e1", "arrest", day, "p"), ("e2", "arest", day, "p")]))
    with pytest.raises(InputError, match=r"field 'event_date': event 'e2': 2024-13-01 cannot be read as date32"):
        link_events_spark(spark.createDataFrame([("e1", "arrest", "2024-01-02"), ("e2", "charge", "2024-13-01")],
                                                "event_id string, event_type string, event_date string"))
    with pytest.raises(InputError, match=r"field 'event_date': event 'e2': empty; every event needs one"):
        link_events_spark(_frame(spark, [("e1", "arrest", day, "p"), ("e2", "charge", None, "p")]))
    with pytest.raises(InputError, match=r"events, field .person_uid.: cannot read as string"):
        link_events_spark(spark.createDataFrame([("e1", "arrest", day, [1])],
                                                "event_id string, event_type string, event_date date, "
                                                "person_uid array<int>"))


def test_events_without_any_number_are_cases_of_their_own(spark: Any) -> None:
    """No tracking number and no person: each event is its own group, its own case, unlinked with its cause."""
    events = pa.table({"event_id": ["a1", "c1"], "event_type": ["arrest", "charge"],
                       "event_date": pa.array([date(2024, 1, 1), date(2024, 1, 1)], pa.date32())})
    want = link_events(events)
    links, unlinked, cases = link_events_spark(spark.createDataFrame(events)).collect()
    assert not links.num_rows and links.schema.equals(want.links.schema)
    assert unlinked.equals(want.unlinked.sort_by([("link_type", "ascending"), ("event_id", "ascending")]))
    assert unlinked.num_rows == 2  # the arrest carries no incident number, the charge no arrest number
    assert cases.equals(want.cases.cast(cases.schema)) and cases["case_uid"].null_count == 0
