"""Risk measures against counts worked by hand on a small fixture, and k-anonymity with recoding."""

from __future__ import annotations

import pyarrow as pa

from justice_schema.privacy import k_anonymity, measure
from justice_schema.privacy.risk import Recode

# Classes on (age, sex): (30, M) x3 with diagnoses {a, b}; (30, F) x2 with {a}; (40, M) x1; (50, None) x1.
FIXTURE = pa.table({
    "age": ["30", "30", "30", "30", "30", "40", "50"],
    "sex": ["M", "M", "M", "F", "F", "M", None],
    "dx": ["a", "b", "a", "a", "a", "c", "c"],
})


def test_measures_by_hand():
    m = measure(FIXTURE, ["age", "sex"], "dx")
    assert m.rows == 7 and m.classes == 4
    assert m.k == 1  # (40, M) and (50, null) stand alone
    assert m.l_diversity == 1  # (30, F) holds only 'a'
    assert m.unique_rows == 2 and abs(m.share_unique - 2 / 7) < 1e-12
    assert m.rows_in_classes_under_5 == 7
    on_sex = measure(FIXTURE, ["sex"], "dx")
    assert (on_sex.k, on_sex.classes, on_sex.unique_rows, on_sex.l_diversity) == (1, 3, 1, 1)
    assert measure(FIXTURE, ["age"]).l_diversity is None


def test_a_null_is_a_value_of_its_own():
    table = pa.table({"q": [None, None, "x"]})
    assert measure(table, ["q"]).k == 1 and measure(table, ["q"]).classes == 2


def test_k_anonymity_withholds_small_classes():
    kept, withheld, _ = k_anonymity(FIXTURE, ["age", "sex"], 2)
    assert withheld == 2 and kept.num_rows == 5
    assert measure(kept, ["age", "sex"]).k == 2


def test_recoding_touches_only_small_classes():
    table = pa.table({"place": ["06037"] * 5 + ["06001", "06003"], "year": ["2024"] * 7})
    kept, withheld, recoded = k_anonymity(table, ["place", "year"], 2, [Recode("place", keep_chars=2)])
    assert withheld == 0 and sorted(kept.column("place").to_pylist()) == ["06", "06"] + ["06037"] * 5
    assert list(recoded.values()) == [2]
    kept, withheld, _ = k_anonymity(table, ["place", "year"], 3, [Recode("place", keep_chars=2)])
    assert withheld == 2 and kept.column("place").to_pylist() == ["06037"] * 5
