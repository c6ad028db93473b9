"""The golden record: one canonical person per cluster, by documented survivorship rules.

For each field, the values a cluster's records carry are grouped by their
*normalised* form (``Smith`` and ``SMITH`` are one value), and one value
survives by the field's strategy (:class:`~justice_schema.identity.rules.Survivorship`):

* ``most_frequent``: the value most records carry; ties go to the most recent,
  then to the smallest normalised value;
* ``most_recent``: the value of the most recent record; ties go to the most frequent;
* ``source_priority``: the value from the most trusted source (the
  ``source_priority`` list names agency ORIs or source systems, most trusted
  first); ties go to the most frequent, then the most recent.

"Recent" is ``source_extracted_at`` when the input has it; otherwise a later
row counts as more recent. The value written is the original text of the most
recent record carrying the surviving normalised value.

The name survives as a whole (given, middle, family and suffix together, never
a given name from one record and a family name from another). Every other name
seen is kept as an alias, and every other state id, FBI number and driver's
licence number seen is kept in ``other_identifiers``: nothing is lost.
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from justice_schema.errors import InputError
from justice_schema.identity.blocking import block_codes
from justice_schema.identity.keys import sorted_codes
from justice_schema.identity.match import MatchResult
from justice_schema.identity.normalize import normalize_text
from justice_schema.identity.rules import Survivorship
from justice_schema.v1 import Person

__all__ = ["golden_records", "golden_persons", "GOLDEN_FIELDS"]

_NAME = ("given_name", "middle_name", "family_name", "name_suffix")
#: Fields the golden record carries besides the name, when the input has them.
GOLDEN_FIELDS: tuple[str, ...] = (
    "date_of_birth", "sex", "race", "state_id", "fbi_number", "drivers_license_number", "drivers_license_state",
    "postal_code", "address_line1", "address_line2", "address_city", "address_state",
)
_IDENTIFIERS = ("state_id", "fbi_number", "drivers_license_number")
_KEY_FIELDS = {"date_of_birth", "sex", "state_id", "fbi_number", "drivers_license_number", "postal_code",
               "address_line1", "address_city", "address_state"}


def _value_codes(result: MatchResult, field: str) -> np.ndarray:
    keys = result.keys
    if field == "name":
        # the whole name: normalised given, middle, family and suffix together
        parts = [keys.codes(f) for f in ("given_name", "middle_name", "family_name", "name_suffix")]
        present = np.zeros(keys.n, dtype=bool)
        for p in parts:
            present |= p >= 0
        shifted = [np.where(p >= 0, p, p.max(initial=0) + 1) for p in parts]
        combined = np.zeros(keys.n, dtype=np.int64)
        for p in shifted:
            _, combined = np.unique(combined * (int(p.max(initial=0)) + 2) + p, return_inverse=True)
        combined = combined.astype(np.int64)
        combined[~present] = -1
        return combined
    if field in _KEY_FIELDS:
        return block_codes(keys, [field])
    column = result.data.column(field).combine_chunks()
    normalised = normalize_text(column)
    return sorted_codes(normalised)[0]


def _recency(result: MatchResult) -> np.ndarray:
    data = result.data
    if "source_extracted_at" in data.column_names:
        column = data.column("source_extracted_at").combine_chunks()
        if pa.types.is_string(column.type):
            column = pc.cast(pc.strptime(column, format="%Y-%m-%dT%H:%M:%S%z", unit="us", error_is_null=True),
                             pa.timestamp("us", "UTC"))
        values = pc.fill_null(column.cast(pa.int64()), np.iinfo(np.int64).min).to_numpy(zero_copy_only=False)
        return values.astype(np.int64)
    return np.arange(data.num_rows, dtype=np.int64)


def _priority(result: MatchResult, survivorship: Survivorship) -> np.ndarray:
    data = result.data
    n = data.num_rows
    worst = len(survivorship.source_priority)
    rank = np.full(n, worst, dtype=np.int64)
    for column in ("source_agency_ori", "source_system"):
        if column not in data.column_names or not survivorship.source_priority:
            continue
        values = data.column(column).cast(pa.string()).to_pylist()
        table = {name: i for i, name in enumerate(survivorship.source_priority)}
        rank = np.minimum(rank, np.array([table.get(v, worst) for v in values], dtype=np.int64))
    return rank


def _survivors(group: np.ndarray, codes: np.ndarray, strategy: str, recency: np.ndarray, priority: np.ndarray,
               key_rank: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per value group (cluster, code): representative row; and per cluster the chosen group.

    Returns (representative row per value group, cluster of each value group,
    chosen value-group index per cluster in sorted cluster order)."""
    rows = np.flatnonzero(codes >= 0)
    if not len(rows):
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    pair = group[rows].astype(np.int64) * (int(codes.max()) + 1) + codes[rows]
    values, inverse = np.unique(pair, return_inverse=True)
    count = np.bincount(inverse)
    # representative: most recent row, then smallest id
    order = np.lexsort((key_rank[rows], -recency[rows], inverse))
    first = np.r_[True, inverse[order][1:] != inverse[order][:-1]]
    representative = rows[order[first]]
    latest = recency[representative]
    best_priority = np.full(len(values), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(best_priority, inverse, priority[rows])
    cluster = values // (int(codes.max()) + 1)
    code = values % (int(codes.max()) + 1)
    keys: tuple[np.ndarray, ...]
    if strategy == "most_recent":
        keys = (code, -count, -latest)
    elif strategy == "source_priority":
        keys = (code, -latest, -count, best_priority)
    else:
        keys = (code, -latest, -count)
    chosen_order = np.lexsort(keys + (cluster,))
    first_of_cluster = np.r_[True, cluster[chosen_order][1:] != cluster[chosen_order][:-1]]
    return representative, cluster, chosen_order[first_of_cluster]


def golden_records(result: MatchResult, *, survivorship: Survivorship | None = None) -> pa.Table:
    """One row per person: ``person_uid``, ``record_count``, the surviving fields,
    ``aliases`` and ``other_identifiers`` (JSON arrays, as in the flat person
    layout), and ``member_ids`` (the ids of the person's records).

    ``survivorship`` defaults to the one in the result's rules.
    """
    survivorship = survivorship or result.rules.survivorship
    data = result.data
    uid_values, group = np.unique(result.person_uids.astype(str), return_inverse=True)
    group = group.astype(np.int64)
    recency = _recency(result)
    priority = _priority(result, survivorship)
    key_rank = result.keys.key_rank
    n_people = len(uid_values)
    out: dict[str, pa.Array] = {"person_uid": pa.array(uid_values.tolist(), pa.string()),
                                "record_count": pa.array(np.bincount(group, minlength=n_people), pa.int64())}

    def raw(field: str) -> list:
        if field not in data.column_names:
            return [None] * data.num_rows
        column = data.column(field)
        if pa.types.is_date(column.type):
            column = column.cast(pa.string())
        return column.to_pylist()

    # the name, as a whole; the others become aliases
    name_codes = _value_codes(result, "name")
    representative, cluster, chosen = _survivors(group, name_codes, survivorship.strategy("name"), recency,
                                                 priority, key_rank)
    name_columns = {f: raw(f) for f in _NAME}
    chosen_row = np.full(n_people, -1, dtype=np.int64)
    chosen_row[cluster[chosen]] = representative[chosen]
    for f in _NAME:
        out[f] = pa.array([None if r < 0 else name_columns[f][r] for r in chosen_row.tolist()], pa.string())
    aliases: list[list[dict]] = [[] for _ in range(n_people)]
    is_chosen = np.zeros(len(representative), dtype=bool)
    is_chosen[chosen] = True
    for c, r in zip(cluster[~is_chosen].tolist(), representative[~is_chosen].tolist(), strict=True):
        aliases[c].append({f: name_columns[f][r] for f in _NAME if name_columns[f][r] is not None})

    other_ids: list[list[dict]] = [[] for _ in range(n_people)]
    for field in GOLDEN_FIELDS:
        if field not in data.column_names:
            continue
        codes = _value_codes(result, field)
        representative, cluster, chosen = _survivors(group, codes, survivorship.strategy(field), recency,
                                                     priority, key_rank)
        values = raw(field)
        chosen_row = np.full(n_people, -1, dtype=np.int64)
        chosen_row[cluster[chosen]] = representative[chosen]
        out[field] = pa.array([None if r < 0 else values[r] for r in chosen_row.tolist()], pa.string())
        if field in _IDENTIFIERS:
            is_chosen = np.zeros(len(representative), dtype=bool)
            is_chosen[chosen] = True
            for c, r in zip(cluster[~is_chosen].tolist(), representative[~is_chosen].tolist(), strict=True):
                other_ids[c].append({"type": "OTHER", "value": values[r], "issuer": field})
    if "other_identifiers" in data.column_names:
        for row, text in enumerate(data.column("other_identifiers").to_pylist()):
            if text:
                for item in json.loads(text):
                    if item not in other_ids[group[row]]:
                        other_ids[group[row]].append(item)
    out["aliases"] = pa.array([json.dumps(a, ensure_ascii=False) if a else None for a in aliases], pa.string())
    out["other_identifiers"] = pa.array([json.dumps(o, ensure_ascii=False) if o else None for o in other_ids],
                                        pa.string())
    members: list[list[str]] = [[] for _ in range(n_people)]
    for i in np.argsort(key_rank, kind="stable").tolist():
        members[group[i]].append(result.ids[i])
    out["member_ids"] = pa.array(members, pa.list_(pa.string()))
    return pa.table(out)


def golden_persons(result: MatchResult, *, survivorship: Survivorship | None = None) -> list[Person]:
    """The golden records as canonical :class:`~justice_schema.v1.Person` records.

    Each Person's ``id`` is the ``person_uid`` and its ``source`` the source of
    the cluster's most recent record, so the input must have the flat
    ``source_*`` columns (:class:`~justice_schema.errors.InputError` otherwise).
    Values are normalised to the model's forms (codes, upper-case identifiers).
    """
    data = result.data
    needed = ("source_agency_ori", "source_system", "source_record_key", "source_extracted_at")
    missing = [c for c in needed if c not in data.column_names]
    if missing:
        raise InputError(f"golden Person records need the source columns; missing: {', '.join(missing)}")
    table = golden_records(result, survivorship=survivorship)
    recency = _recency(result)
    _, group = np.unique(result.person_uids.astype(str), return_inverse=True)
    latest = np.lexsort((-recency, group))
    first = latest[np.r_[True, group[latest][1:] != group[latest][:-1]]]
    # Timestamps stay datetimes: Arrow's text form ("2024-05-01 12:00:00Z") is not RFC 3339.
    sources = {c: data.column(c).to_pylist() if pa.types.is_timestamp(data.column(c).type)
               else data.column(c).cast(pa.string()).to_pylist() for c in needed}
    norm = result.keys
    rows = table.to_pylist()
    persons = []
    for i, row in enumerate(rows):
        src_row = int(first[i])
        dob = norm.table.column("date_of_birth")[src_row].as_py() if row.get("date_of_birth") else None
        person = {
            "id": row["person_uid"],
            "source": {"agency_ori": sources["source_agency_ori"][src_row],
                       "system": sources["source_system"][src_row],
                       "record_key": sources["source_record_key"][src_row],
                       "extracted_at": sources["source_extracted_at"][src_row]},
        }
        for f in _NAME:
            if row.get(f):
                person[f] = row[f].strip()
        if dob is not None:
            person["date_of_birth"] = dob.isoformat()
        if row.get("sex"):
            sex = str(row["sex"]).strip().upper()[:1]
            person["sex"] = sex if sex in ("M", "F", "U") else None
            person["sex_raw"] = row["sex"]
        for f in _IDENTIFIERS:
            if row.get(f):
                person[f] = "".join(ch for ch in row[f].upper() if ch.isalnum())
        if row.get("aliases"):
            person["aliases"] = json.loads(row["aliases"])
        if row.get("other_identifiers"):
            person["other_identifiers"] = [
                dict(item, value="".join(ch for ch in item["value"].upper() if ch.isalnum()))
                for item in json.loads(row["other_identifiers"])
            ]
        persons.append(Person.model_validate(person))
    return persons
