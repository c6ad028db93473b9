"""The offense classifier: what it decides, what it says why, and that per-distinct equals per-row."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from justice_schema.offenses import OUTPUT_SCHEMA, classify_offense, classify_offenses, severity_rank


@pytest.mark.parametrize(("text", "ncrp", "nibrs"), [
    ("POSS CS SCH I/II", "POSSESSION/USE - OTHER CONTROLLED SUBSTANCES", "35A"),
    ("PWID COCAINE", "TRAFFICKING - COCAINE OR CRACK", "35A"),
    ("DUI 2ND W/I 5 YRS", "DRIVING UNDER THE INFLUENCE", "90D"),
    ("DWI", "DRIVING WHILE INTOXICATED", "90D"),
    ("MURDER 1ST DEGREE", "MURDER", "09A"),
    ("VEHICULAR MANSLAUGHTER", "MANSLAUGHTER - VEHICULAR", "09B"),
    ("ROBBERY WITH A FIREARM", "ARMED ROBBERY", "120"),
    ("ASSAULT ON LAW ENFORCEMENT OFFICER", "ASSAULTING PUBLIC OFFICER", "13B"),
    ("SHOPLIFTING", "LARCENY/THEFT - VALUE UNKNOWN", "23C"),
    ("PETIT LARCENY", "PETTY LARCENY - THEFT UNDER $200", "23H"),
    ("B&E DWELLING", "BURGLARY", "220"),
    ("UTTERING A FORGED CHECK", "FORGERY/FRAUD", "250"),
    ("CRIMINAL TRESPASS", "TRESPASSING", "90J"),
    ("VOP", "PROBATION VIOLATION", "90Z"),
    ("FTA", "OFFENSES AGAINST COURTS, LEGISLATURES, AND COMMISSIONS", "90Z"),
    ("eluding a police vehicle", "OBSTRUCTION - LAW ENFORCEMENT", "90Z"),
    ("DRIVING WHILE LICENSE SUSPENDED", "TRAFFIC OFFENSES - MINOR", "90Z"),
    ("POSSESSION OF DRUG PARAPHERNALIA", "DRUG OFFENSES - VIOLATION/DRUG UNSPECIFIED", "35B"),
])
def test_common_charge_texts_classify_with_their_rule_as_evidence(text: str, ncrp: str, nibrs: str) -> None:
    result = classify_offense(text)
    assert (result["ncrp_category"], result["nibrs_code"]) == (ncrp, nibrs), result
    assert result["offense_status"] == "classified"
    assert result["offense_evidence"].startswith("rule ")
    assert 0 < result["offense_confidence"] <= 1


def test_the_levels_come_from_one_category_row() -> None:
    result = classify_offense("PWID HEROIN")
    assert (result["uccs_broad_type"], result["uccs_category"]) == ("DRUG", "DRUG TRAFFICKING")


def test_modifiers_attempt_conspiracy_and_repeat_counts() -> None:
    attempted = classify_offense("ATT MURDER")
    assert attempted["attempted"] and attempted["ncrp_category"] == "MURDER"
    assert attempted["nibrs_code"] == "13A"  # NIBRS counts an attempted murder as an aggravated assault
    assert "09A counted as 13A" in attempted["offense_evidence"]
    assert classify_offense("CONSPIRACY TO DISTRIBUTE COCAINE")["conspiracy"]
    repeat = classify_offense("FIREARM: USE IN COMMISSION OF FELONY, 2ND+ OFF")
    assert (repeat["repeat_offense"], repeat["repeat_or_more"]) == (2, True)
    assert repeat["severity"] is None  # "of felony" names another crime, not this charge's class
    assert classify_offense("DUI 3RD")["repeat_offense"] == 3
    assert classify_offense("ASSAULT 2ND DEGREE")["repeat_offense"] is None


@pytest.mark.parametrize(("text", "severity", "degree"), [
    ("BURGLARY F3", "FELONY", "3"),
    ("BATTERY - CLASS A MISDEMEANOR", "MISDEMEANOR", "A"),
    ("THEFT 2ND DEGREE FELONY", "FELONY", "2"),
    ("CAPITAL MURDER", "FELONY", "CAPITAL"),
    ("POSS MARIJUANA MISD", "MISDEMEANOR", None),
    ("CRIMINAL TRESPASS 2ND DEGREE", None, None),  # the offense's degree, not a penalty class
    ("ROBBERY 2ND DEGREE (F4)", "FELONY", "4"),
    ("RECEIVING STOLEN PROPERTY (F)", "FELONY", None),
    ("SHOPLIFTING", None, None),
])
def test_severity_only_where_the_text_states_it(text: str, severity: str | None, degree: str | None) -> None:
    result = classify_offense(text)
    assert (result["severity"], result["severity_degree"]) == (severity, degree)
    if severity or degree:
        assert result["severity_evidence"].startswith("severity rule ")


def test_the_offense_degree_is_kept_apart_from_the_penalty_class() -> None:
    result = classify_offense("BURGLARY 1ST DEGREE(F2)")
    assert (result["offense_degree"], result["severity"], result["severity_degree"]) == ("1", "FELONY", "2")


def test_unclassified_says_why_and_guesses_nothing() -> None:
    result = classify_offense("XYZZY PLUGH")
    assert result["offense_status"] == "unclassified"
    assert result["offense_reason"] == "no rule matched 'XYZZY PLUGH'"
    assert result["ncrp_category"] is None and result["nibrs_code"] is None
    assert classify_offense(None)["offense_reason"] == "no description and no statute"
    only_statute = classify_offense(None, "18.2-250", "VA")
    assert only_statute["offense_reason"] == "statute '18.2-250' is not in the crosswalk and there is no description"


def test_spelling_variants_are_corrected_and_cost_confidence() -> None:
    exact = classify_offense("POSSESSION OF MARIJUANA")
    typo = classify_offense("POSESSION OF MARIJAUNA")
    assert typo["ncrp_category"] == exact["ncrp_category"]
    assert "spelling POSESSION->POSSESSION" in typo["offense_evidence"]
    assert typo["offense_confidence"] < exact["offense_confidence"]


def test_a_citation_leading_the_description_is_parsed_and_taken_out() -> None:
    result = classify_offense("18.2-308.2(A) FIREARM: POSSESS BY FELON", state="VA")
    assert result["statute_key"] == "18.2-308.2(A)"
    assert result["normalized_text"] == "FIREARM POSSESSION BY FELON"
    assert result["ncrp_category"] == "WEAPON OFFENSE"


def test_most_serious_order_felony_degree_then_category() -> None:
    texts = ["PETIT LARCENY MISD", "BURGLARY F3", "ROBBERY F1", "MURDER", "SPEEDING INFRACTION"]
    ranks = classify_offenses(texts).column("severity_rank").to_pylist()
    order = [t for _, t in sorted(zip(ranks, texts))]
    assert order == ["ROBBERY F1", "BURGLARY F3", "MURDER", "PETIT LARCENY MISD", "SPEEDING INFRACTION"]
    assert severity_rank("FELONY", None, 50) < severity_rank(None, None, 1)


TEXTS = st.sampled_from(["POSS CS SCH I/II", "PWID COCAINE", "DUI 2ND", "XYZZY", "", "  ", "ATT MURDER",
                         "BURGLARY F3", "POSESSION OF MARIJAUNA", "THEFT", "18.2-250 POSS"])


@settings(max_examples=20, deadline=None)
@given(st.lists(st.one_of(st.none(), TEXTS, st.text(max_size=30)), min_size=1, max_size=20))
def test_classifying_distinct_texts_once_equals_classifying_each_row(texts: list[str | None]) -> None:
    table = classify_offenses(pa.array(texts, pa.string()))
    assert table.schema == OUTPUT_SCHEMA and table.num_rows == len(texts)
    # each distinct text classified on its own, in a batch of one
    alone = {text: classify_offenses(pa.array([text], pa.string())).to_pylist()[0] for text in set(texts)}
    for text, row in zip(texts, table.to_pylist()):
        assert row == alone[text]
        assert row["offense_status"] in ("classified", "unclassified")
        assert (row["offense_status"] == "classified") == (row["offense_reason"] is None)
        if row["offense_status"] == "classified":
            assert row["offense_evidence"] and 0 < row["offense_confidence"] <= 1


def test_the_same_input_gives_the_same_answer() -> None:
    texts = pa.array(["POSESSION OF MARIJAUNA", "ASLT ON OFCR", "XYZZY"] * 3)
    assert classify_offenses(texts).equals(classify_offenses(texts))
