"""Synthetic county histories with known true chains, so linking is measured, not assumed.

:func:`generate_county` draws people, their arrests (each from an incident, several arrests sharing
some incidents), several charges per arrest, the prosecutor's decision, court filings (some
transferred to a second court under a new case number), one disposition per charge (dismissals,
acquittals, convictions, pleas to a lesser offense), and prison custody or probation after some
convictions; plus incidents nobody was arrested for, some cleared exceptionally; and, when asked
(:class:`CountyParams`), filings the prosecutor deferred and parole after a prison term. Every event is in
the :data:`~justice_schema.linking.events.EVENT_SCHEMA` layout; the truth table gives each event its
true parent and its true case. Tracking numbers are copied onto later events with the clerical noise
the field reports: left blank, or mistyped (one digit changed). Everything is drawn with numpy
whole-array operations from one seed, so five million events take seconds.
"""

from __future__ import annotations

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.linking.events import EVENT_SCHEMA
from justice_schema.linking.rules import default_rules

__all__ = ["CountyParams", "GeneratedCounty", "generate_county", "OFFENSES", "TRUTH_SCHEMA"]

#: The offense catalogue the generator draws from: (statute, UCR code, severity, degree, index of the
#: lesser offense a plea may reduce it to, or -1). Statutes are made up in a state-like form.
OFFENSES: tuple[tuple[str, str, str, str, int], ...] = (
    ("97-3-7", "220", "FELONY", "2", 1),          # burglary -> trespass
    ("97-17-97", "90J", "MISDEMEANOR", "3", -1),   # trespass
    ("97-3-7.2", "13A", "FELONY", "2", 3),         # aggravated assault -> simple assault
    ("97-3-7.1", "13B", "MISDEMEANOR", "1", -1),   # simple assault
    ("97-17-41", "23H", "FELONY", "3", 5),         # grand larceny -> petit larceny
    ("97-17-43", "23H", "MISDEMEANOR", "1", -1),   # petit larceny
    ("41-29-139", "35A", "FELONY", "3", 7),        # drug possession -> misdemeanor possession
    ("41-29-139B", "35A", "MISDEMEANOR", "1", -1),  # misdemeanor possession
    ("63-11-30", "90D", "MISDEMEANOR", "1", -1),   # driving under the influence
    ("97-3-79", "120", "FELONY", "1", 4),          # robbery -> grand larceny
    ("97-35-7", "90C", "MISDEMEANOR", "2", -1),    # disorderly conduct
    ("97-3-19", "09A", "FELONY", "1", 2),          # murder -> aggravated assault
)
_OFFENSE_WEIGHTS = np.array([8, 4, 8, 14, 10, 14, 12, 10, 10, 3, 6, 1], dtype=float)
_AGENCIES = (("MS0250100", "Hinds"), ("MS0250200", "Hinds"), ("MS0450000", "Madison"),
             ("MS0610000", "Rankin"), ("MS0610100", "Rankin"), ("MS0890000", "Warren"))
_SEX = np.array(["M", "F"])
_RACE = np.array(["W", "B", "A", "I"])
_EPOCH = np.datetime64("1970-01-01")

#: The truth layout: every event's true parent (null for incidents and arrests without incident)
#: with the link type, and the true case (the id of its arrest; null for incidents).
TRUTH_SCHEMA = pa.schema([
    pa.field("event_id", pa.string(), nullable=False),
    pa.field("link_type", pa.string()),
    pa.field("true_parent_id", pa.string()),
    pa.field("true_case", pa.string()),
])


@attrs.frozen
class CountyParams:
    """How a synthetic county is drawn: sizes, rates, the clerical noise on tracking numbers, and the
    errors of identity matching in ``person_uid``.

    ``split_rate`` is the share of people identity matching split: all their records of one source
    system (picked at random among police, prosecutor, court and corrections) carry a second
    ``person_uid`` of their own. ``merge_rate`` is the share of people it merged into another:
    all their records carry another person's ``person_uid``. The truth is unchanged by either, so
    :func:`~justice_schema.linking.quality.link_quality` measures what they cost. Identity errors
    are drawn from their own random stream: with both rates 0 the county is the same as without them.

    ``deferred_filing_rate`` is the share of filed arrests whose filing the prosecutor deferred: the
    decision, the court case and the charges (dated at the filing, as a prosecutor's export dates them)
    come ``deferred_filing_days`` after the arrest, a duration drawn uniformly between the two bounds.
    ``parole_rate`` is the share of released custody periods followed by parole: a supervision that
    starts on the release date, so months or years after the disposition it belongs to. Both are
    drawn from their own random streams too: at rate 0 the county is unchanged.
    """

    people: int = 2_000
    seed: int = 0
    start: str = "2014-01-01"
    end: str = "2024-06-30"
    repeat_probability: float = 0.45      # chance a person is arrested again (geometric)
    shared_incident_rate: float = 0.06     # arrests joining an earlier arrest's incident
    uncleared_incident_rate: float = 0.5   # incidents without arrest, per arrest
    exceptional_rate: float = 0.12         # of those, cleared exceptionally
    filed_rate: float = 0.8
    declined_rate: float = 0.15
    transfer_rate: float = 0.05
    conviction_rate: float = 0.62
    dismissal_rate: float = 0.3
    lesser_plea_rate: float = 0.35
    custody_rate: float = 0.3
    probation_rate: float = 0.5
    missing_rate: float = 0.10             # a copied tracking number left blank
    typo_rate: float = 0.02                # a copied tracking number mistyped
    incident_missing_rate: float = 0.01    # arrest record without its incident number (half that mistyped)
    extra_charge_rate: float = 0.2         # each of three more charges per arrest (binomial), so 1.6 on average
    decision_recorded_rate: float = 1.0    # arrests whose prosecutor's decision is in the data
    split_rate: float = 0.0                # identity errors: people whose records in one system got their own uid
    merge_rate: float = 0.0                # identity errors: people whose records carry another person's uid
    corrections_only_rate: float = 0.0     # people more (share of people) seen only by the state's corrections
    deferred_filing_rate: float = 0.0      # filed arrests whose filing the prosecutor deferred (charges dated at filing)
    deferred_filing_days: tuple[int, int] = (61, 1095)   # how long a deferred filing waits after the arrest, days
    parole_rate: float = 0.0               # custody periods released before the data ends that are followed by parole


@attrs.frozen
class GeneratedCounty:
    """A generated county: ``events`` in the event layout and ``truth`` in :data:`TRUTH_SCHEMA`."""

    events: pa.Table
    truth: pa.Table
    as_of: np.datetime64


def _ids(prefix: str, n: int) -> pa.Array:
    if n == 0:
        return pa.array([], pa.string())
    digits = np.char.zfill(np.arange(n).astype(str), 9)
    return pa.array(np.char.add(prefix, digits).astype(object), pa.string())


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(days.astype("int32"), pa.int32()).cast(pa.date32())


class _Noise:
    def __init__(self, rng: np.random.Generator, missing: float, typo: float) -> None:
        self.rng, self.missing, self.typo = rng, missing, typo

    def copy(self, values: np.ndarray, missing: float | None = None, typo: float | None = None) -> pa.Array:
        """Copies of tracking numbers ``values`` (object array, None for none) with blanks and typos."""
        n = len(values)
        out = values.copy()
        draw = self.rng.random(n)
        blank = draw < (self.missing if missing is None else missing)
        typo_mask = (~blank) & (draw > 1 - (self.typo if typo is None else typo))
        out[blank] = None
        if typo_mask.any():
            idx = np.flatnonzero(typo_mask & pc.is_valid(pa.array(out, pa.string())).to_numpy(zero_copy_only=False))
            changed = [s[:-1] + str((int(s[-1]) + 1) % 10) for s in out[idx]]
            out[idx] = np.asarray(changed, dtype=object)
        return pa.array(out, pa.string())


def generate_county(params: CountyParams = CountyParams()) -> GeneratedCounty:
    """Draw one synthetic county (see the module docs); the same ``params`` give the same tables."""
    rng = np.random.default_rng(params.seed)
    noise = _Noise(rng, params.missing_rate, params.typo_rate)
    start = int((np.datetime64(params.start) - _EPOCH).astype(int))
    end = int((np.datetime64(params.end) - _EPOCH).astype(int))
    span = end - start

    # people and their arrests
    people = params.people
    uids = np.char.add("P", np.char.zfill(np.arange(people).astype(str), 8)).astype(object)
    sex = _SEX[rng.choice(2, people, p=[0.75, 0.25])]
    race = _RACE[rng.choice(4, people, p=[0.55, 0.38, 0.04, 0.03])]
    per_person = rng.geometric(1 - params.repeat_probability, people)
    # people seen only in the state's custody or supervision exports: a case of another county, or from before
    # the data starts, so no parent is in the data (own random stream: the rest of the county is unchanged)
    tail_rng = np.random.default_rng([params.seed, 3])
    n_tail = round(people * params.corrections_only_rate)
    tail_person = people + np.arange(n_tail)
    if n_tail:
        uids = np.concatenate([uids, np.char.add("P", np.char.zfill(tail_person.astype(str), 8)).astype(object)])
    sex = np.concatenate([sex, _SEX[tail_rng.choice(2, n_tail, p=[0.75, 0.25])]])
    race = np.concatenate([race, _RACE[tail_rng.choice(4, n_tail, p=[0.55, 0.38, 0.04, 0.03])]])
    a_person = np.repeat(np.arange(people), per_person)
    n_arrest = len(a_person)
    a_date = start + 40 + rng.integers(0, span - 40, n_arrest)
    a_agency = rng.integers(0, len(_AGENCIES), n_arrest)
    otn = _numbers("T", n_arrest, 9, rng)
    atn = _numbers("A", n_arrest, 8, rng)
    arrest_id = _ids("rms:A", n_arrest)

    # incidents: most arrests have their own, some join an earlier arrest's incident
    shares = rng.random(n_arrest) < params.shared_incident_rate
    shares[0] = False
    own = ~shares
    inc_of_arrest = np.cumsum(own) - 1
    share_idx = np.flatnonzero(shares)
    inc_of_arrest[share_idx] = inc_of_arrest[np.maximum(share_idx - rng.integers(1, 50, len(share_idx)), 0)]
    source = inc_of_arrest[share_idx]
    first_of_incident = np.flatnonzero(own)
    a_date[share_idx] = a_date[first_of_incident[source]] + rng.integers(0, 4, len(share_idx))
    n_inc_arrested = int(own.sum())
    inc_first_arrest = np.full(n_inc_arrested, np.iinfo(np.int64).max)
    np.minimum.at(inc_first_arrest, inc_of_arrest, a_date)
    inc_date = inc_first_arrest - rng.integers(0, 30, n_inc_arrested) * (rng.random(n_inc_arrested) < 0.6)
    n_uncleared = int(n_arrest * params.uncleared_incident_rate)
    n_inc = n_inc_arrested + n_uncleared
    inc_date = np.concatenate([inc_date, start + rng.integers(0, span, n_uncleared)])
    inc_agency = np.concatenate([a_agency[np.unique(inc_of_arrest, return_index=True)[1]],
                                 rng.integers(0, len(_AGENCIES), n_uncleared)])
    inc_number = _numbers("I", n_inc, 8, rng)
    inc_id = _ids("rms:I", n_inc)
    exceptional = np.full(n_inc, None, dtype=object)
    exc = np.flatnonzero(rng.random(n_uncleared) < params.exceptional_rate) + n_inc_arrested
    exceptional[exc] = np.array(list("ABCDE"), dtype=object)[rng.integers(0, 5, len(exc))]

    # charges: one to four per arrest
    per_arrest = 1 + rng.binomial(3, params.extra_charge_rate, n_arrest)
    c_arrest = np.repeat(np.arange(n_arrest), per_arrest)
    n_charge = len(c_arrest)
    c_seq = np.arange(n_charge) - np.repeat(np.cumsum(per_arrest) - per_arrest, per_arrest) + 1
    c_off = rng.choice(len(OFFENSES), n_charge, p=_OFFENSE_WEIGHTS / _OFFENSE_WEIGHTS.sum())
    charge_id = _ids("rms:C", n_charge)
    first_charge = np.cumsum(per_arrest) - per_arrest
    inc_ucr_idx = np.concatenate([c_off[first_charge][np.unique(inc_of_arrest, return_index=True)[1]],
                                  rng.choice(len(OFFENSES), n_uncleared)])

    # prosecution decision, one per arrest
    d_date = a_date + rng.integers(1, 30, n_arrest)
    draw = rng.random(n_arrest)
    filed = draw < params.filed_rate
    decision = np.where(filed, "FILED", np.where(draw < params.filed_rate + params.declined_rate, "DECLINED", "DIVERTED"))
    decision_id = _ids("da:D", n_arrest)
    # deferred filings (own random stream): the decision to file and everything after it moves later, and
    # the charges are dated at the filing
    deferred = np.zeros(n_arrest, bool)
    if params.deferred_filing_rate:
        defer_rng = np.random.default_rng([params.seed, 4])
        deferred = filed & (defer_rng.random(n_arrest) < params.deferred_filing_rate)
        low, high = params.deferred_filing_days
        d_date = np.where(deferred, a_date + defer_rng.integers(low, high + 1, n_arrest), d_date)

    # court cases: one per filed arrest, some transferred to a second court under a new number
    k_arrest = np.flatnonzero(filed)
    n_case = len(k_arrest)
    k_date = d_date[k_arrest] + rng.integers(0, 15, n_case)
    k_number = _numbers("CR", n_case, 8, rng)
    transferred = rng.random(n_case) < params.transfer_rate
    t_case = np.flatnonzero(transferred)
    t_number = _numbers("CT", len(t_case), 8, rng)
    t_date = k_date[t_case] + rng.integers(20, 90, len(t_case))
    final_number = k_number.copy()
    final_number[t_case] = t_number
    case_of_arrest = np.full(n_arrest, -1)
    case_of_arrest[k_arrest] = np.arange(n_case)
    k_disp_date = np.maximum(k_date + rng.integers(20, 500, n_case), 0)
    k_disp_date[t_case] = np.maximum(k_disp_date[t_case], t_date + 10)

    # dispositions: one per charge of a filed arrest, all of a case on the case's disposition date
    x_charge = np.flatnonzero(filed[c_arrest])
    n_disp = len(x_charge)
    x_case = case_of_arrest[c_arrest[x_charge]]
    x_date = k_disp_date[x_case]
    draw = rng.random(n_disp)
    convicted = draw < params.conviction_rate
    x_type = np.where(convicted, "CONVICTED",
                      np.where(draw < params.conviction_rate + params.dismissal_rate, "DISMISSED", "ACQUITTED"))
    lesser = np.array([o[4] for o in OFFENSES])
    x_off = c_off[x_charge].copy()
    plea_down = convicted & (rng.random(n_disp) < params.lesser_plea_rate) & (lesser[x_off] >= 0)
    x_off[plea_down] = lesser[x_off[plea_down]]
    disp_id = _ids("court:X", n_disp)

    # custody or probation after a conviction, linked to the case's most serious convicted disposition
    rank = _catalogue_rank()
    conv = np.flatnonzero(convicted)
    order = np.lexsort((conv, rank[x_off[conv]], x_case[conv]))
    conv_sorted = conv[order]
    first = np.r_[True, x_case[conv_sorted][1:] != x_case[conv_sorted][:-1]]
    lead = conv_sorted[first]             # the most serious conviction of each convicted case
    draw = rng.random(len(lead))
    to_custody = lead[draw < params.custody_rate]
    to_probation = lead[(draw >= params.custody_rate) & (draw < params.custody_rate + (1 - params.custody_rate) * params.probation_rate)]
    y_date = x_date[to_custody] + rng.integers(0, 20, len(to_custody))
    y_release = y_date + rng.integers(30, 1500, len(to_custody))
    as_of = _as_of_day(end)
    y_end = np.where(y_release <= as_of, y_release, -1)
    s_date = x_date[to_probation] + rng.integers(0, 8, len(to_probation))
    s_end = s_date + rng.integers(180, 1100, len(to_probation))
    s_end = np.where(s_end <= as_of, s_end, -1)
    custody_id = _ids("doc:Y", len(to_custody))
    supervision_id = _ids("doc:S", len(to_probation))
    tail_custody = tail_rng.random(n_tail) < 0.5
    tail_start = start + tail_rng.integers(0, span, n_tail)
    tail_end = tail_start + np.where(tail_custody, tail_rng.integers(30, 1500, n_tail), tail_rng.integers(180, 1100, n_tail))
    tail_end = np.where(tail_end <= _as_of_day(end), tail_end, -1)
    tail_off = tail_rng.choice(len(OFFENSES), n_tail, p=_OFFENSE_WEIGHTS / _OFFENSE_WEIGHTS.sum())
    tail_otn = _numbers("T", n_tail, 9, tail_rng)
    tail_case = _numbers("CR", n_tail, 8, tail_rng)
    tail_ids = {True: _ids("doc:YO", int(tail_custody.sum())), False: _ids("doc:SO", int((~tail_custody).sum()))}

    statute = np.array([o[0] for o in OFFENSES], dtype=object)
    ucr = np.array([o[1] for o in OFFENSES], dtype=object)
    severity = np.array([o[2] for o in OFFENSES], dtype=object)
    degree = np.array([o[3] for o in OFFENSES], dtype=object)
    agency = np.array([a for a, _ in _AGENCIES], dtype=object)
    county = np.array([c for _, c in _AGENCIES], dtype=object)

    recorded_uid = _identity_errors(uids, params)

    def block(event_type: str, ids: pa.Array, person: np.ndarray | None, date: np.ndarray, **cols: object) -> pa.Table:
        n = len(ids)
        data: dict[str, object] = {"event_id": ids, "event_type": pa.array(np.full(n, event_type, dtype=object), pa.string()),
                                   "event_date": _dates(date)}
        if person is not None:
            data["person_uid"] = pa.array(recorded_uid[_SYSTEM[event_type]][person], pa.string())
            data["sex"] = pa.array(sex[person], pa.string())
            data["race"] = pa.array(race[person], pa.string())
        data.update(cols)
        columns = []
        for field in EVENT_SCHEMA:
            value = data.get(field.name)
            if value is None:
                columns.append(pa.nulls(n, field.type))
            elif isinstance(value, np.ndarray):
                if field.type == pa.date32():
                    columns.append(_dates_masked(value))
                else:
                    columns.append(pa.array(value, field.type))
            else:
                columns.append(pc.cast(value, field.type))
        return pa.Table.from_arrays(columns, schema=EVENT_SCHEMA)

    def offense(idx: np.ndarray) -> dict[str, object]:
        return {"statute_code": statute[idx], "ucr_code": ucr[idx], "severity": severity[idx], "severity_degree": degree[idx]}

    a_of_charge = c_arrest
    a_of_disp = c_arrest[x_charge]
    tables = [
        block("incident", inc_id, None, inc_date, agency=agency[inc_agency], county=county[inc_agency],
              incident_number=inc_number, outcome=exceptional, ucr_code=ucr[inc_ucr_idx]),
        block("arrest", arrest_id, a_person, a_date, agency=agency[a_agency], county=county[a_agency],
              incident_number=noise.copy(inc_number[inc_of_arrest], params.incident_missing_rate, params.incident_missing_rate / 2),
              arrest_transaction_number=atn, offense_tracking_number=noise.copy(otn, params.missing_rate / 2),
              **offense(c_off[first_charge])),
        block("charge", charge_id, a_person[a_of_charge],
              np.where(deferred[a_of_charge], d_date[a_of_charge], a_date[a_of_charge] + rng.integers(0, 2, n_charge)),
              agency=agency[a_agency[a_of_charge]], county=county[a_agency[a_of_charge]],
              arrest_transaction_number=noise.copy(atn[a_of_charge]), offense_tracking_number=noise.copy(otn[a_of_charge]),
              charge_sequence=c_seq, **offense(c_off)),
        block("prosecution_decision", decision_id, a_person, d_date, agency=np.full(n_arrest, "MSDA00001", dtype=object),
              county=county[a_agency], arrest_transaction_number=noise.copy(atn), offense_tracking_number=noise.copy(otn),
              outcome=decision.astype(object), **offense(c_off[first_charge])),
        block("court_case", pa.concat_arrays([_ids("court:K", n_case), _ids("court:KT", len(t_case))]),
              np.concatenate([a_person[k_arrest], a_person[k_arrest[t_case]]]), np.concatenate([k_date, t_date]),
              county=np.concatenate([county[a_agency[k_arrest]], county[a_agency[k_arrest[t_case]]]]),
              court_case_number=np.concatenate([k_number, t_number]),
              offense_tracking_number=noise.copy(np.concatenate([otn[k_arrest], otn[k_arrest[t_case]]])),
              arrest_transaction_number=noise.copy(np.concatenate([atn[k_arrest], np.full(len(t_case), None, dtype=object)]), 0.5),
              outcome=np.concatenate([np.where(transferred, "TRANSFERRED", "CLOSED"), np.full(len(t_case), "CLOSED")]).astype(object)),
        block("disposition", disp_id, a_person[a_of_disp], x_date, county=county[a_agency[a_of_disp]],
              court_case_number=noise.copy(final_number[x_case], params.missing_rate / 2),
              offense_tracking_number=noise.copy(otn[a_of_disp]),
              charge_sequence=np.where(rng.random(n_disp) < params.missing_rate, -1, c_seq[x_charge]),
              outcome=x_type.astype(object), **offense(x_off)),
        block("custody_period", custody_id, a_person[a_of_disp[to_custody]], y_date, end_date=y_end,
              county=county[a_agency[a_of_disp[to_custody]]],
              offense_tracking_number=noise.copy(otn[a_of_disp[to_custody]]),
              court_case_number=noise.copy(final_number[x_case[to_custody]]), **offense(x_off[to_custody])),
        block("supervision", supervision_id, a_person[a_of_disp[to_probation]], s_date, end_date=s_end,
              county=county[a_agency[a_of_disp[to_probation]]],
              offense_tracking_number=noise.copy(otn[a_of_disp[to_probation]]),
              court_case_number=noise.copy(final_number[x_case[to_probation]]), outcome=np.full(len(to_probation), "PROBATION", dtype=object),
              **offense(x_off[to_probation])),
    ]
    for in_custody in (True, False):
        sel = tail_custody == in_custody
        kind = "custody_period" if in_custody else "supervision"
        extra = {} if in_custody else {"outcome": np.full(int(sel.sum()), "PROBATION", dtype=object)}
        tables.append(block(kind, tail_ids[in_custody], tail_person[sel], tail_start[sel], end_date=tail_end[sel],
                            offense_tracking_number=tail_otn[sel], court_case_number=tail_case[sel],
                            **extra, **offense(tail_off[sel])))
    parole = np.zeros(0, np.int64)
    if params.parole_rate:
        # parole after a prison term (own random stream): a supervision starting on the release date
        parole_rng = np.random.default_rng([params.seed, 5])
        parole = np.flatnonzero((y_end >= 0) & (parole_rng.random(len(to_custody)) < params.parole_rate))
        parole_noise = _Noise(parole_rng, params.missing_rate, params.typo_rate)
        p_start = y_end[parole]
        p_end = p_start + parole_rng.integers(180, 1100, len(parole))
        lead_of = to_custody[parole]
        tables.append(block("supervision", _ids("doc:SP", len(parole)), a_person[a_of_disp[lead_of]], p_start,
                            end_date=np.where(p_end <= as_of, p_end, -1), county=county[a_agency[a_of_disp[lead_of]]],
                            offense_tracking_number=parole_noise.copy(otn[a_of_disp[lead_of]]),
                            court_case_number=parole_noise.copy(final_number[x_case[lead_of]]),
                            outcome=np.full(len(parole), "PAROLE", dtype=object), **offense(x_off[lead_of])))
    unrecorded = np.zeros(n_arrest, bool)
    if params.decision_recorded_rate < 1:
        # a decision the prosecutor's export lacks (its own random stream: the rest of the county is unchanged)
        unrecorded = np.random.default_rng([params.seed, 2]).random(n_arrest) >= params.decision_recorded_rate
        tables[3] = tables[3].filter(pa.array(~unrecorded))
    events = pa.concat_tables(tables)
    seq = events.column("charge_sequence")
    events = events.set_column(events.schema.get_field_index("charge_sequence"), "charge_sequence",
                               pc.if_else(pc.less(seq, 0), pa.scalar(None, pa.int32()), seq))

    arrest_np = np.asarray(arrest_id.to_pylist(), dtype=object)
    charge_np = np.asarray(charge_id.to_pylist(), dtype=object)
    disp_np = np.asarray(disp_id.to_pylist(), dtype=object)
    inc_np = np.asarray(inc_id.to_pylist(), dtype=object)

    def truth(ids: pa.Array, link: str | None, parents: np.ndarray | None, case: np.ndarray | None) -> pa.Table:
        n = len(ids)
        return pa.table({"event_id": ids, "link_type": pa.array([link] * n, pa.string()),
                         "true_parent_id": pa.array(parents if parents is not None else [None] * n, pa.string()),
                         "true_case": pa.array(case if case is not None else [None] * n, pa.string())}, schema=TRUTH_SCHEMA)

    k_ids = pa.concat_arrays([_ids("court:K", n_case), _ids("court:KT", len(t_case))])
    k_arrests = np.concatenate([k_arrest, k_arrest[t_case]])
    truth_table = pa.concat_tables([
        truth(inc_id, None, None, None),
        truth(arrest_id, "arrest_incident", inc_np[inc_of_arrest], arrest_np),
        truth(charge_id, "charge_arrest", arrest_np[c_arrest], arrest_np[c_arrest]),
        truth(decision_id, "decision_arrest", arrest_np, arrest_np).filter(pa.array(~unrecorded)),
        truth(k_ids, "court_case_arrest", arrest_np[k_arrests], arrest_np[k_arrests]),
        truth(disp_id, "disposition_charge", charge_np[x_charge], arrest_np[a_of_disp]),
        truth(custody_id, "custody_disposition", disp_np[to_custody], arrest_np[a_of_disp[to_custody]]),
        truth(supervision_id, "supervision_disposition", disp_np[to_probation], arrest_np[a_of_disp[to_probation]]),
        truth(tail_ids[True], "custody_disposition", None, None),
        truth(tail_ids[False], "supervision_disposition", None, None),
        truth(_ids("doc:SP", len(parole)), "supervision_disposition", disp_np[to_custody[parole]],
              arrest_np[a_of_disp[to_custody[parole]]]),
    ])
    return GeneratedCounty(events=events, truth=truth_table, as_of=_EPOCH + np.timedelta64(as_of, "D"))


#: The source system of each stage: identity matching splits a person's records by system.
_SYSTEM = {"incident": 0, "arrest": 0, "charge": 0, "prosecution_decision": 1, "court_case": 2, "disposition": 2,
           "custody_period": 3, "supervision": 3}


def _identity_errors(uids: np.ndarray, params: CountyParams) -> list[np.ndarray]:
    """Per source system, the ``person_uid`` each person's records carry after identity matching
    (see :class:`CountyParams`): the true one, a split-off one, or another person's."""
    people = len(uids)
    systems = 1 + max(_SYSTEM.values())
    recorded = [uids] * systems
    if not (params.split_rate or params.merge_rate) or not people:
        return recorded
    rng = np.random.default_rng([params.seed, 1])
    merged = rng.random(people) < params.merge_rate
    target = rng.integers(0, people, people)
    base = uids.copy()
    base[merged] = uids[target[merged]]
    split = rng.random(people) < params.split_rate
    system = rng.integers(0, systems, people)
    split_uid = np.char.add("Q", np.char.zfill(np.arange(people).astype(str), 8)).astype(object)
    recorded = []
    for s in range(systems):
        own = base.copy()
        here = split & (system == s)
        own[here] = split_uid[here]
        recorded.append(own)
    return recorded


def _as_of_day(end: int) -> int:
    """The day the generated data ends (day number): 180 days after the last arrest window."""
    return end + 180


def _numbers(prefix: str, n: int, digits: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` distinct numbers of ``digits`` digits in a scrambled order (an affine bijection mod 10**digits)."""
    if n == 0:
        return np.zeros(0, dtype=object)
    modulus = 10**digits
    multiplier = int(rng.integers(10**(digits - 1), modulus)) | 1
    while multiplier % 5 == 0:
        multiplier += 2
    values = (np.arange(n, dtype=np.int64) * multiplier + int(rng.integers(0, modulus))) % modulus
    return np.char.add(prefix, np.char.zfill(values.astype(str), digits)).astype(object)


def _dates_masked(days: np.ndarray) -> pa.Array:
    """Day numbers as dates, negative meaning none."""
    return pa.array(days.astype("int32"), pa.int32(), mask=days < 0).cast(pa.date32())


def _catalogue_rank() -> np.ndarray:
    """The most-serious order of the catalogue's offenses under the default rule (smaller = more serious)."""
    rule = default_rules().most_serious
    return np.asarray(rule.rank_values([o[2] for o in OFFENSES], [o[3] for o in OFFENSES], [o[1] for o in OFFENSES]))
