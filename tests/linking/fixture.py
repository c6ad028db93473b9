"""A small county written by hand, for the measures' hand-computed tests (see test_measures.py)."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from justice_schema.linking import EVENT_SCHEMA

D = dt.date
AS_OF = D(2022, 6, 30)

# event_id, type, person, date, end, agency, incident_number, otn, court no., seq, ucr, severity, degree, outcome
ROWS = [
    ("I1", "incident", None, D(2020, 1, 1), None, "AG1", "N1", None, None, None, "13A", None, None, None),
    ("A1", "arrest", "P1", D(2020, 1, 5), None, "AG1", "N1", "T1", None, None, "13A", None, None, None),
    ("C1", "charge", "P1", D(2020, 1, 5), None, "AG1", None, "T1", None, 1, "13A", "FELONY", "2", None),
    ("C2", "charge", "P1", D(2020, 1, 5), None, "AG1", None, "T1", None, 2, "13B", "MISDEMEANOR", "1", None),
    ("D1", "prosecution_decision", "P1", D(2020, 1, 15), None, "DA", None, "T1", None, None, None, None, None, "FILED"),
    ("K1", "court_case", "P1", D(2020, 1, 20), None, None, None, "T1", "CR1", None, None, None, None, None),
    ("X1", "disposition", "P1", D(2020, 7, 18), None, None, None, "T1", "CR1", 1, "13B", "MISDEMEANOR", "1", "CONVICTED"),
    ("X2", "disposition", "P1", D(2020, 7, 18), None, None, None, "T1", "CR1", 2, "13B", "MISDEMEANOR", "1", "DISMISSED"),
    ("Y1", "custody_period", "P1", D(2020, 8, 1), D(2021, 2, 1), None, None, "T1", None, None, "13B", None, None, "PAROLE"),
    ("I2", "incident", None, D(2021, 9, 30), None, "AG1", "N2", None, None, None, "220", None, None, None),
    ("A2", "arrest", "P1", D(2021, 10, 1), None, "AG1", "N2", "T2", None, None, "220", None, None, None),
    ("C3", "charge", "P1", D(2021, 10, 1), None, "AG1", None, "T2", None, 1, "220", "FELONY", "2", None),
    ("D2", "prosecution_decision", "P1", D(2021, 10, 5), None, "DA", None, "T2", None, None, None, None, None, "DECLINED"),
    ("I3", "incident", None, D(2020, 3, 1), None, "AG2", "N3", None, None, None, "09A", None, None, None),
    ("A3", "arrest", "P2", D(2020, 3, 10), None, "AG2", "N3", "T3", None, None, "09A", None, None, None),
    ("C4", "charge", "P2", D(2020, 3, 10), None, "AG2", None, "T3", None, 1, "120", "FELONY", "1", None),
    ("C6", "charge", "P2", D(2020, 3, 10), None, "AG2", None, "T3", None, 2, "09A", "FELONY", "1", None),
    ("D3", "prosecution_decision", "P2", D(2020, 3, 20), None, "DA", None, "T3", None, None, None, None, None, "FILED"),
    ("K3", "court_case", "P2", D(2020, 3, 25), None, None, None, "T3", "CR3", None, None, None, None, None),
    ("X4", "disposition", "P2", D(2021, 3, 25), None, None, None, "T3", "CR3", 2, "09A", "FELONY", "1", "CONVICTED"),
    ("A4", "arrest", "P3", D(2020, 3, 12), None, "AG2", "N3", "T4", None, None, "09A", None, None, None),
    ("C5", "charge", "P3", D(2020, 3, 12), None, "AG2", None, "T4", None, 1, "09A", "FELONY", "1", None),
    ("I4", "incident", None, D(2020, 5, 5), None, "AG2", "N4", None, None, None, "23H", None, None, "B"),
    ("I5", "incident", None, D(2020, 6, 1), None, "AG2", "N5", None, None, None, "23H", None, None, "N"),
]
_COLS = ["event_id", "event_type", "person_uid", "event_date", "end_date", "agency", "incident_number",
         "offense_tracking_number", "court_case_number", "charge_sequence", "ucr_code", "severity", "severity_degree", "outcome"]


def events() -> pa.Table:
    """The fixture in the event layout (columns not written are null)."""
    data = {name: [row[i] for row in ROWS] for i, name in enumerate(_COLS)}
    return pa.table({name: pa.array(values, EVENT_SCHEMA.field(name).type) for name, values in data.items()})
