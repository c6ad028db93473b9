"""Hypothesis mutations that break one validation rule each, for the engine agreement tests.

A mutation takes a valid record as a Python dict (``model_dump(mode="python")``)
and returns a copy changed so that the rule it is written for fires.
Field-level mutations are derived from the field specs (any field of the
kind); record-level mutations are written per rule.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import assume
from hypothesis import strategies as st

from justice_schema.registry import entity_since
from justice_schema.validation.constraints import FieldSpec, field_specs, is_free_text
from justice_schema.validation.rules import ENTITY_LETTER, FIELD_KINDS, all_rules

AS_OF = date(2026, 1, 1)
Draw = Callable[[st.SearchStrategy[Any]], Any]
Mutation = Callable[[dict[str, Any], Draw], dict[str, Any]]

_DATES = st.dates(date(1950, 1, 1), date(2025, 6, 30))


def _containers(record: dict[str, Any], steps: tuple[str, ...]) -> list[dict[str, Any]]:
    """The dicts that hold the last step of ``steps`` (first element of each list level)."""
    current: list[Any] = [record]
    for step in steps[:-1]:
        nxt: list[Any] = []
        for obj in current:
            if step == "[]":
                nxt.extend(obj[:1] if obj else [])
            elif isinstance(obj, dict) and obj.get(step) is not None:
                nxt.append(obj[step])
        current = nxt
    return current


def _present(record: dict[str, Any], spec: FieldSpec) -> bool:
    if spec.steps[-1] == "[]":
        holders = _containers(record, spec.steps[:-1])
        return any(isinstance(h, dict) and h.get(spec.steps[-2]) for h in holders)
    return any(isinstance(h, dict) for h in _containers(record, spec.steps))


def _set(record: dict[str, Any], spec: FieldSpec, fn: Callable[[Any], Any]) -> None:
    if spec.steps[-1] == "[]":
        for holder in _containers(record, spec.steps[:-1]):
            items = list(holder[spec.steps[-2]])
            items[0] = fn(items[0])
            holder[spec.steps[-2]] = items
        return
    for holder in _containers(record, spec.steps):
        holder[spec.steps[-1]] = fn(holder.get(spec.steps[-1]))


def _pattern_breaker(spec: FieldSpec) -> Callable[[Any], str]:
    """A text of allowed length that starts with a space: every model pattern refuses that."""

    def breaker(value: Any) -> str:
        size = max(spec.min_length or 1, len(str(value)) if value else 2)
        if spec.max_length:
            size = min(size, spec.max_length)
        return " " + "A" * (size - 1)

    return breaker


def _field_mutation(kind: str, spec: FieldSpec, draw: Draw) -> Callable[[Any], Any]:
    if kind == "missing":
        return lambda v: None
    if kind == "code":
        return lambda v: draw(st.sampled_from(["ZZ", "99X", "unknown", "u"]))
    if kind == "declaration":
        return lambda v: "warrant"
    if kind == "length":
        if spec.min_length:
            return lambda v: ""
        return lambda v: "X" * (spec.max_length + 1)
    if kind == "pattern":
        return _pattern_breaker(spec)
    if kind == "range":
        if spec.le is not None and draw(st.booleans()):
            return lambda v: type(spec.le)(spec.le) + 1
        if spec.ge is not None:
            return lambda v: type(spec.ge)(spec.ge) - 1
        return lambda v: type(spec.le)(spec.le) + 1
    if kind == "items":
        if spec.min_items and (spec.max_items is None or draw(st.booleans())):
            return lambda v: []
        return lambda v: list(v) * (spec.max_items + 1) if v else v
    if kind == "empty":
        return lambda v: {child.name: None for child in spec.arrow_type}
    if kind == "control":
        char = draw(st.sampled_from(CONTROL_SAMPLES))
        at = draw(st.integers(0, 1_000))

        def put(v: Any) -> str:
            text = str(v) if v else "A"
            i = at % len(text)
            return text[:i] + char + text[i + 1:]  # same length: only the new rule (or a pattern) can object

        return put
    raise AssertionError(kind)


#: C0 characters the control-character rule refuses (NUL first), and the three it allows.
CONTROL_SAMPLES = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f"]
ALLOWED_CONTROLS = ["\t", "\n", "\r"]


def _applies(kind: str, spec: FieldSpec) -> bool:
    if kind == "missing":
        return spec.required
    if kind == "code":
        return spec.codes is not None
    if kind == "declaration":
        return spec.literal is not None
    if kind == "length":
        return spec.min_length is not None or spec.max_length is not None
    if kind == "pattern":
        return spec.pattern is not None
    if kind == "range":
        return spec.ge is not None or spec.le is not None
    if kind == "items":
        return spec.kind == "list" and (spec.min_items is not None or spec.max_items is not None)
    if kind == "empty":
        return spec.non_empty
    if kind == "control":
        return is_free_text(spec)
    return False


def field_mutation(entity: str, kind: str) -> Mutation:
    """A mutation breaking the field rule of ``kind`` on a field of ``entity`` present in the record."""
    specs = [s for s in field_specs(entity, entity_since(entity)) if _applies(kind, s)]

    def mutate(record: dict[str, Any], draw: Draw) -> dict[str, Any]:
        candidates = [s for s in specs if _present(record, s)]
        if kind == "items":
            candidates = [s for s in candidates if (s.min_items or _first_list(record, s))]
        assume(candidates)
        spec = draw(st.sampled_from(candidates))
        out = copy.deepcopy(record)
        _set(out, spec, _field_mutation(kind, spec, draw))
        return out

    return mutate


def _first_list(record: dict[str, Any], spec: FieldSpec) -> bool:
    return any(isinstance(h, dict) and h.get(spec.steps[-1]) for h in _containers(record, spec.steps))


FIELD_KIND_NAMES = [k for k in FIELD_KINDS if k not in ("type", "date", "unknown_field")]


def field_rule_cases() -> list[tuple[str, str, str]]:
    """(code, entity, kind) of every field rule the mutations can break in canonical Arrow data."""
    out = []
    for entity, letter in ENTITY_LETTER.items():
        for kind in FIELD_KIND_NAMES:
            if any(_applies(kind, s) for s in field_specs(entity, entity_since(entity))):
                out.append((f"JS-{letter}{FIELD_KINDS[kind].number}", entity, kind))
    return out


# ---------------------------------------------------------------------------
# record-level mutations, one per rule


def _day(draw: Draw) -> date:
    return draw(_DATES)


def _instant(d: date, hour: int = 12) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=UTC)


def _with(record: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(record)
    out.update(changes)
    return out


def _offense(record: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(record)
    first = dict(out["offenses"][0])
    first.update(changes)
    out["offenses"] = [first] + list(out["offenses"][1:])
    return out


def _sentence(record: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(record)
    base = {"imposed_date": None, "confinement_type": None, "confinement_type_raw": None, "confinement_days": None,
            "confinement_min_days": None, "confinement_max_days": None, "suspended_days": None, "credit_days": None,
            "probation_days": None, "life": None, "death": None, "fine_amount": None, "restitution_amount": None,
            "community_service_hours": None, "raw": None}
    sentence = dict(out.get("sentence") or base)
    sentence.update(changes)
    out["sentence"] = sentence
    out.setdefault("disposition_type", "CONVICTED")
    return out


def _age(record: dict[str, Any], **changes: Any) -> dict[str, Any]:
    age = {"min_years": None, "max_years": None, "code": None, "raw": None}
    age.update(changes)
    return _with(record, arrestee_age=age)


def _violation(record: dict[str, Any], draw: Draw, **changes: Any) -> dict[str, Any]:
    base = {"violation_date": _day(draw), "violation_type": "TECHNICAL", "violation_type_raw": None,
            "description": None, "response": None, "response_raw": None, "response_date": None}
    base.update(changes)
    return _with(record, violations=[base] + list(record.get("violations") or ()))


def _record_mutations() -> dict[str, Mutation]:
    m: dict[str, Mutation] = {}

    def d1(draw: Draw) -> tuple[date, date]:
        a = _day(draw)
        return a, a + timedelta(days=draw(st.integers(1, 400)))

    m["JS-P51"] = lambda r, draw: _with(r, state_id=None, fbi_number=None, drivers_license_number=None)
    m["JS-P52"] = lambda r, draw: _with(r, date_of_birth=None)
    m["JS-P53"] = lambda r, draw: _with(r, family_name="SMITH2")
    m["JS-P54"] = lambda r, draw: _with(r, drivers_license_number="D1234567", drivers_license_state=None)
    m["JS-P50"] = lambda r, draw: _with(r, sex="U")
    m["JS-P40"] = lambda r, draw: _with(r, date_of_birth=AS_OF + timedelta(days=draw(st.integers(1, 900))))
    m["JS-P41"] = lambda r, draw: _with(r, date_of_birth=date(1800, 1, 1))

    def i20(r: dict[str, Any], draw: Draw) -> dict[str, Any]:
        early, late = d1(draw)
        return _with(r, incident_date=late, exceptional_clearance_date=early, cleared_exceptionally="B")

    m["JS-I20"] = i20
    m["JS-I21"] = lambda r, draw: _with(r, cleared_exceptionally=draw(st.sampled_from(["N", None])),
                                        exceptional_clearance_date=r["incident_date"])
    m["JS-I22"] = lambda r, draw: _with(r, cleared_exceptionally=draw(st.sampled_from(list("ABCDE"))),
                                        exceptional_clearance_date=None)
    m["JS-I23"] = lambda r, draw: _offense(r, ucr_offense_code="13B", method_of_entry="F")
    m["JS-I24"] = lambda r, draw: _offense(r, ucr_offense_code="220", method_of_entry=None)
    m["JS-I25"] = lambda r, draw: _offense(r, ucr_offense_code="220", location_type="20", premises_entered=3,
                                           method_of_entry="F")
    m["JS-I26"] = lambda r, draw: _offense(r, ucr_offense_code=draw(st.sampled_from(["09A", "13A", "13C"])),
                                           attempted_completed="A")

    def i27(r: dict[str, Any], draw: Draw) -> dict[str, Any]:
        return _offense(r, weapons=[{"code": "40", "automatic": True, "raw": None}])

    m["JS-I27"] = i27
    m["JS-I28"] = lambda r, draw: _with(_offense(r, ucr_offense_code="13A"), cargo_theft=draw(st.booleans()),
                                        offenses=[dict(_offense(r, ucr_offense_code="13A")["offenses"][0])])
    m["JS-I29"] = lambda r, draw: _with(_offense(r, ucr_offense_code="23D"), cargo_theft=None)
    m["JS-I50"] = lambda r, draw: _offense(r, weapons=[{"code": "95", "automatic": False, "raw": None}])
    m["JS-I40"] = lambda r, draw: _with(r, incident_date=AS_OF + timedelta(days=draw(st.integers(1, 3000))))
    m["JS-I41"] = lambda r, draw: _with(r, incident_date=date(1899, 12, 31) - timedelta(days=draw(st.integers(0, 9000))))

    m["JS-A20"] = lambda r, draw: _with(_age(r, min_years=draw(st.integers(10, 17)), max_years=17),
                                        juvenile_disposition=None)
    m["JS-A21"] = lambda r, draw: _with(_age(r, min_years=draw(st.integers(18, 90)), max_years=90),
                                        juvenile_disposition="H")
    m["JS-A22"] = lambda r, draw: _age(r, min_years=40, max_years=draw(st.integers(18, 39)))
    m["JS-A23"] = lambda r, draw: _age(r, code="00", min_years=20)
    m["JS-A24"] = lambda r, draw: _with(r, armed_with=[{"code": "16", "automatic": True, "raw": None}])
    m["JS-A25"] = lambda r, draw: _with(r, armed_with=[{"code": "01", "automatic": False, "raw": None},
                                                       {"code": "12", "automatic": False, "raw": None}])
    m["JS-A26"] = lambda r, draw: _with(r, arrested_at=_instant(r["arrest_date"] + timedelta(days=draw(st.integers(2, 50)))))
    m["JS-A50"] = lambda r, draw: _with(r, resident_status="U")
    m["JS-A51"] = lambda r, draw: _with(_age(r, code="99"), juvenile_disposition=None)
    m["JS-A27"] = lambda r, draw: _age(r, code=draw(st.sampled_from(["NN", "NB", "BB"])))
    m["JS-A28"] = lambda r, draw: _with(_age(r, min_years=0, max_years=draw(st.integers(1, 98)), raw="00xx"),
                                        juvenile_disposition=None)
    m["JS-A29"] = lambda r, draw: _age(r, raw=draw(st.sampled_from(["3X", "-5", "2 5", "abc"])))
    m["JS-A52"] = lambda r, draw: _with(_age(r, min_years=draw(st.integers(10, 17)), max_years=18, raw="1018"),
                                        juvenile_disposition=None)
    m["JS-I51"] = lambda r, draw: _offense(r, ucr_offense_code=draw(st.sampled_from(["90Z", "90D", "90J"])))
    m["JS-I31"] = lambda r, draw: _offense(r, suspected_of_using=["N", draw(st.sampled_from(["A", "C", "D"]))])
    m["JS-I32"] = lambda r, draw: _offense(r, bias_motivations=[draw(st.sampled_from(["88", "99"])), "12"])
    m["JS-I33"] = lambda r, draw: _offense(r, criminal_activities=["N", draw(st.sampled_from(["J", "G"]))])
    m["JS-I34"] = lambda r, draw: _offense(r, ucr_offense_code=draw(st.sampled_from(["13B", "23H", "09A"])),
                                           criminal_activities=[draw(st.sampled_from(["B", "P", "T"]))])
    m["JS-I39"] = lambda r, draw: _offense(r, ucr_offense_code=draw(st.sampled_from(["250", "35A", "720"])),
                                           criminal_activities=[])
    m["JS-I42"] = lambda r, draw: _offense(r, ucr_offense_code=draw(st.sampled_from(["09A", "13A", "120", "64B"])),
                                           weapons=[])
    m["JS-I43"] = lambda r, draw: _offense(r, ucr_offense_code=draw(st.sampled_from(["23F", "290", "35A"])),
                                           weapons=[{"code": "40", "automatic": False, "raw": None}])
    m["JS-I44"] = lambda r, draw: _offense(r, ucr_offense_code="13B", weapons=[
        {"code": draw(st.sampled_from(["20", "30", "12"])), "automatic": False, "raw": None}])
    m["JS-I45"] = lambda r, draw: _offense(r, ucr_offense_code=draw(st.sampled_from(["09A", "09B", "09C"])),
                                           weapons=[{"code": "99", "automatic": False, "raw": None}])
    m["JS-I46"] = lambda r, draw: _offense(r, ucr_offense_code="09C",
                                           bias_motivations=[draw(st.sampled_from(["12", "99", "41"]))])
    m["JS-I47"] = lambda r, draw: _offense(r, ucr_offense_code="220", method_of_entry="F",
                                           location_type=draw(st.sampled_from(["14", "19"])), premises_entered=None)
    m["JS-I52"] = lambda r, draw: _offense(r, ucr_offense_code="13B", weapons=[
        {"code": draw(st.sampled_from(["11", "12", "15"])), "automatic": False, "raw": None}])
    m["JS-I38"] = lambda r, draw: _with(r, offenses=[{**(r["offenses"][0] if r.get("offenses") else {}),
                                                      "ucr_offense_code": "09C"},
                                                     {**(r["offenses"][0] if r.get("offenses") else {}),
                                                      "ucr_offense_code": draw(st.sampled_from(["13A", "290"]))}])
    # edit 206: one value twice in DE 8, 8A or 12 (values that break no other rule)
    m["JS-I35"] = lambda r, draw: _offense(r, suspected_of_using=[draw(st.sampled_from(["A", "C", "D"]))] * 2)
    m["JS-I36"] = lambda r, draw: _offense(r, bias_motivations=[draw(st.sampled_from(["12", "21", "41"]))] * 2)
    m["JS-I37"] = lambda r, draw: _offense(r, criminal_activities=[draw(st.sampled_from(["J", "G"]))] * 2)
    m["JS-A53"] = lambda r, draw: _with(r, incident_id=None,
                                        ucr_arrest_offense_code=draw(st.sampled_from(["13A", "220", "35A"])))
    m["JS-A30"] = lambda r, draw: _with(r, ucr_arrest_offense_code="09C")
    m["JS-A31"] = lambda r, draw: _with(_age(r, min_years=draw(st.integers(18, 60)), max_years=60),
                                        ucr_arrest_offense_code="90I", juvenile_disposition=None)
    m["JS-I30"] = lambda r, draw: _with(r, offenses=[dict(r["offenses"][0])] * draw(st.integers(11, 14)))
    m["JS-A40"] = lambda r, draw: _with(r, arrest_date=AS_OF + timedelta(days=draw(st.integers(1, 3000))))
    m["JS-A41"] = lambda r, draw: _with(r, arrest_date=date(1850, 1, 1))

    def c20(r: dict[str, Any], draw: Draw) -> dict[str, Any]:
        early, late = d1(draw)
        return _with(r, offense_date=late, filed_date=early)

    m["JS-C20"] = c20
    m["JS-C51"] = lambda r, draw: _with(r, arrest_id=None, booking_id=None, court_case_number=None)
    m["JS-C50"] = lambda r, draw: _with(r, severity="UNKNOWN")
    m["JS-C40"] = lambda r, draw: _with(r, filed_date=AS_OF + timedelta(days=1))
    m["JS-C41"] = lambda r, draw: _with(r, offense_date=date(1801, 1, 1))

    m["JS-D20"] = lambda r, draw: _sentence(r, confinement_days=None, confinement_min_days=900,
                                            confinement_max_days=draw(st.integers(0, 899)))
    m["JS-D21"] = lambda r, draw: _sentence(r, confinement_days=100, confinement_min_days=None,
                                            confinement_max_days=None, suspended_days=draw(st.integers(101, 5000)))
    m["JS-D22"] = lambda r, draw: _sentence(r, confinement_days=100, confinement_max_days=200, confinement_min_days=None)

    def d23(r: dict[str, Any], draw: Draw) -> dict[str, Any]:
        early, late = d1(draw)
        return _with(_sentence(r, imposed_date=early), disposition_date=late)

    m["JS-D23"] = d23
    m["JS-D24"] = lambda r, draw: _with(_sentence(r, probation_days=30),
                                        disposition_type=draw(st.sampled_from(["ACQUITTED", "DISMISSED"])))
    m["JS-D25"] = lambda r, draw: _sentence(r, life=True, death=True)
    m["JS-D50"] = lambda r, draw: _with(r, plea="UNKNOWN")
    m["JS-D40"] = lambda r, draw: _with(r, disposition_date=AS_OF + timedelta(days=9))
    m["JS-D41"] = lambda r, draw: _sentence(r, imposed_date=date(1776, 7, 4))

    def b20(r: dict[str, Any], draw: Draw) -> dict[str, Any]:
        early, late = d1(draw)
        return _with(r, booked_at=_instant(late), released_at=_instant(early))

    m["JS-B20"] = b20
    m["JS-B21"] = lambda r, draw: _with(r, release_reason="BAIL", released_at=None)
    m["JS-B50"] = lambda r, draw: _with(r, release_reason="UNKNOWN", released_at=r["booked_at"])
    m["JS-B40"] = lambda r, draw: _with(r, booked_at=_instant(AS_OF + timedelta(days=30)))
    m["JS-B41"] = lambda r, draw: _with(r, booked_at=datetime(1899, 1, 1, tzinfo=UTC))

    def s20(r: dict[str, Any], draw: Draw) -> dict[str, Any]:
        early, late = d1(draw)
        return _with(r, start_date=late, end_date=early)

    def s21(r: dict[str, Any], draw: Draw) -> dict[str, Any]:
        early, late = d1(draw)
        return _with(r, start_date=late, expected_end_date=early)

    def s23(r: dict[str, Any], draw: Draw) -> dict[str, Any]:
        early, late = d1(draw)
        return _violation(_with(r, start_date=late), draw, violation_date=early)

    def s24(r: dict[str, Any], draw: Draw) -> dict[str, Any]:
        early, late = d1(draw)
        return _violation(_with(r, end_date=early), draw, violation_date=late)

    def s25(r: dict[str, Any], draw: Draw) -> dict[str, Any]:
        early, late = d1(draw)
        return _violation(r, draw, violation_date=late, response_date=early)

    m["JS-S20"] = s20
    m["JS-S21"] = s21
    m["JS-S22"] = lambda r, draw: _with(r, termination_reason="REVOKED", end_date=None)
    m["JS-S23"] = s23
    m["JS-S24"] = s24
    m["JS-S25"] = s25
    m["JS-S50"] = lambda r, draw: _with(r, supervision_type="UNKNOWN")
    m["JS-S40"] = lambda r, draw: _with(r, start_date=AS_OF + timedelta(days=400))
    m["JS-S41"] = lambda r, draw: _violation(r, draw, violation_date=date(1880, 1, 1))
    _schema_1_2_mutations(m)
    return m


def _extracted(r: dict[str, Any], when: datetime) -> dict[str, Any]:
    return _with(r, source={**r["source"], "extracted_at": when})


def _schema_1_2_mutations(m: dict[str, Mutation]) -> None:
    """The date and unknown-code rules of the entities schema 1.2 adds (every record has ``source.extracted_at``)."""
    for letter in "VORKEUGTF":
        m[f"JS-{letter}40"] = lambda r, draw: _extracted(r, _instant(AS_OF + timedelta(days=draw(st.integers(1, 900)))))
        m[f"JS-{letter}41"] = lambda r, draw: _extracted(r, datetime(1899, 12, 31, tzinfo=UTC))
    m["JS-V50"] = lambda r, draw: _with(r, victim_type="U")
    m["JS-O50"] = lambda r, draw: _with(r, sex="U")
    m["JS-R50"] = lambda r, draw: _with(r, loss_type="8")
    m["JS-K50"] = lambda r, draw: _with(r, case_status="UNKNOWN")
    m["JS-E50"] = lambda r, draw: _with(r, decision="UNKNOWN")
    m["JS-U50"] = lambda r, draw: _with(r, release_type="UNKNOWN")
    # x55: a code retired before the record's date (90I Runaway left the NIBRS Group B list in 2019.1)
    late = date(2019, 1, 1)
    m["JS-I55"] = lambda r, draw: _with(_offense(r, ucr_offense_code="90I"),
                                        incident_date=late + timedelta(days=draw(st.integers(0, 2000))))
    m["JS-A55"] = lambda r, draw: _with(r, ucr_arrest_offense_code="90I", arrest_date=late)
    m["JS-C55"] = lambda r, draw: _with(r, ucr_offense_code="90I", offense_date=late + timedelta(days=400))


RECORD_MUTATIONS: dict[str, Mutation] = _record_mutations()


def record_rule_cases() -> list[tuple[str, str]]:
    """(code, entity) of every record-level rule."""
    return [(r.code, r.entity) for r in all_rules() if r.level == "record"]
