"""Classify offense texts: each distinct (state, statute, description) once, with Arrow compute, then spread back.

:func:`classify_offenses` is the engine. It dictionary-encodes its input so that a million
rows with realistic repetition cost one pass per *distinct* text; on the distinct texts every
step is a whole-array Arrow kernel (RE2 rewrites and rule patterns, one pass per rule over
the texts no earlier rule claimed), except the word-level abbreviation and spelling
correction, which runs once per distinct *word* (rapidfuzz against the vocabulary's words).

Each output level carries its confidence and the evidence that decided it (a rule id, a
crosswalk row, a severity pattern id); a text no rule claims is ``unclassified`` with the
reason, never a guess.

    >>> import pyarrow as pa
    >>> table = classify_offenses(pa.array(["18.2-250 POSS CS SCH I/II", "PWID COCAINE", "DUI 2ND W/I 5 YRS"]), state="VA")
    >>> table.column("ncrp_category").to_pylist()
    ['POSSESSION/USE - OTHER CONTROLLED SUBSTANCES', 'TRAFFICKING - COCAINE OR CRACK', 'DRIVING UNDER THE INFLUENCE']
    >>> table.column("statute_key").to_pylist()
    ['18.2-250', None, None]
    >>> table.column("repeat_offense").to_pylist()
    [None, None, 2]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz, process

from justice_schema._toolkit.arrays import as_text, one_array
from justice_schema.offenses.crosswalk import Crosswalk, canonical_citations
from justice_schema.offenses.vocabulary import Vocabulary, load_vocabulary

__all__ = ["OUTPUT_SCHEMA", "classify_offenses", "classify_offense", "severity_rank"]

#: The columns :func:`classify_offenses` returns, one row per input row.
OUTPUT_SCHEMA = pa.schema([
    pa.field("offense_status", pa.string(), nullable=False),
    pa.field("offense_reason", pa.string()),
    pa.field("nibrs_code", pa.string()),
    pa.field("ncrp_category", pa.string()),
    pa.field("uccs_broad_type", pa.string()),
    pa.field("uccs_category", pa.string()),
    pa.field("offense_confidence", pa.float64()),
    pa.field("offense_evidence", pa.string()),
    pa.field("severity", pa.string()),
    pa.field("severity_degree", pa.string()),
    pa.field("severity_confidence", pa.float64()),
    pa.field("severity_evidence", pa.string()),
    pa.field("offense_degree", pa.string()),
    pa.field("attempted", pa.bool_(), nullable=False),
    pa.field("conspiracy", pa.bool_(), nullable=False),
    pa.field("repeat_offense", pa.int32()),
    pa.field("repeat_or_more", pa.bool_()),
    pa.field("modifier_evidence", pa.string()),
    pa.field("severity_rank", pa.int32()),
    pa.field("statute_key", pa.string()),
    pa.field("normalized_text", pa.string()),
])

_CLASS_RANK = {"FELONY": 1, None: 2, "MISDEMEANOR": 3, "INFRACTION": 4}
_DEGREE_RANK = {"CAPITAL": 0, "X": 1, "A1": 1, "A2": 2, "A": 2, "1": 2, "B": 3, "2": 3, "C": 4, "3": 4, "D": 5,
                "4": 5, "E": 6, "5": 6, "6": 7, "STATE_JAIL": 7, "UNCLASSIFIED": 8, None: 8}
_FUZZY_CUTOFF = 88.0
_FUZZY_PENALTY = 0.9


def severity_rank(severity: str | None, degree: str | None, seriousness: int | None) -> int:
    """The most-serious order of a charge: smaller is more serious.

    Felonies before unknown severity before misdemeanors before infractions; within a class,
    by degree (capital, X, A/1, B/2, ...); then by the NCRP category's seriousness (murder 1
    ... unspecified 77; unclassified 99). A text of which nothing is known (unclassified, no
    severity stated) has no rank (null: a ``rank`` order puts it last).

    >>> severity_rank("FELONY", "1", 21) < severity_rank("FELONY", "3", 1) < severity_rank("MISDEMEANOR", "A", 1)
    True
    """
    return _CLASS_RANK.get(severity, 2) * 1000 + _DEGREE_RANK.get(degree, 8) * 100 + (seriousness or 99)


def _raw(values: Any, n: int) -> pa.Array:
    """Input text as one string array (nulls where there is none)."""
    if values is None:
        return pa.nulls(n, pa.string())
    if not isinstance(values, (pa.Array, pa.ChunkedArray)):
        values = pa.array(list(values), pa.string())
    return as_text(values)


def _text(values: Any, n: int | None = None) -> pa.Array:
    if values is None:
        return pa.nulls(n or 0, pa.string())
    if isinstance(values, str):
        return pa.repeat(pa.scalar(values, pa.string()), n or 0)
    if not isinstance(values, (pa.Array, pa.ChunkedArray)):
        values = pa.array(list(values), pa.string())
    text = as_text(values)
    text = pc.utf8_trim_whitespace(text)
    return pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)


def classify_offenses(descriptions: Any, statutes: Any = None, state: Any = None, *,
                      vocabulary: Vocabulary | None = None, crosswalk: Crosswalk | None = None) -> pa.Table:
    """Classify each row's description and/or statute citation; one output row per input row.

    ``descriptions`` and ``statutes`` are text arrays (Arrow or sequences; either may be
    None); ``state`` is one two-letter code for every row, an array of them, or None (the
    generic citation parser). ``vocabulary`` defaults to the shipped one; ``crosswalk`` is a
    state's statute table (:func:`~justice_schema.offenses.load_crosswalk`). Returns a table
    with :data:`OUTPUT_SCHEMA`. Each distinct (state, statute, description) is classified once.
    """
    vocabulary = vocabulary or load_vocabulary()
    n = len(descriptions) if descriptions is not None else len(statutes) if statutes is not None else 0
    if statutes is None and (state is None or isinstance(state, str)):
        # the common case, a description column: encode the raw text, clean only the distinct values
        encoded = one_array(pc.dictionary_encode(_raw(descriptions, n), null_encoding="encode"))
        distinct = encoded.dictionary
        m = len(distinct)
        states = pc.utf8_upper(_text(state, m)) if state is not None else pa.nulls(m, pa.string())
        result = _classify_distinct(_text(distinct, m), pa.nulls(m, pa.string()), states, vocabulary, crosswalk)
        return result.take(encoded.indices)
    desc = _text(descriptions, n)
    stat = _text(statutes, n)
    states = pc.utf8_upper(_text(state, n)) if state is not None else pa.nulls(n, pa.string())
    if len(desc) != n or len(stat) != n or len(states) != n:
        raise ValueError("descriptions, statutes and state must have the same length")
    sep = pa.scalar("\x1f", pa.string())
    key = pc.binary_join_element_wise(pc.fill_null(states, ""), pc.fill_null(stat, ""), pc.fill_null(desc, ""), sep)
    encoded = one_array(pc.dictionary_encode(key, null_encoding="encode"))
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    # the first row of each distinct key (later rows overwrite earlier ones in a reversed scatter)
    first = np.empty(len(encoded.dictionary), np.int64)
    first[indices[::-1]] = np.arange(n - 1, -1, -1, dtype=np.int64)
    take = pa.array(first, pa.int64())
    distinct = _classify_distinct(desc.take(take), stat.take(take), states.take(take), vocabulary, crosswalk)
    return distinct.take(encoded.indices)


def classify_offense(description: str | None = None, statute: str | None = None, state: str | None = None, *,
                     vocabulary: Vocabulary | None = None, crosswalk: Crosswalk | None = None) -> dict[str, Any]:
    """One text's classification as a dict (the columns of :data:`OUTPUT_SCHEMA`).

    >>> classify_offense("ATT MURDER")["nibrs_code"]
    '13A'
    """
    table = classify_offenses([description], [statute], [state] if state else None, vocabulary=vocabulary,
                              crosswalk=crosswalk)
    return table.to_pylist()[0]


# -- the distinct-text pipeline ---------------------------------------------------------------------------

def _rewrite(text: pa.Array, vocabulary: Vocabulary) -> pa.Array:
    text = pc.utf8_upper(text)
    for pattern, replacement in vocabulary.rewrites:
        text = pc.replace_substring_regex(text, pattern, replacement)
    return text


def _first_valid(arrays: Sequence[pa.Array], n: int, kind: pa.DataType) -> pa.Array:
    result = pa.nulls(n, kind)
    for array in arrays:
        result = pc.coalesce(result, array)
    return result


def _statutes(desc: pa.Array, stat: pa.Array, states: pa.Array,
              vocabulary: Vocabulary) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Canonical key and base of each citation (given, or leading the description) and the description without it."""
    n = len(desc)
    keys, bases, stripped = pa.nulls(n, pa.string()), pa.nulls(n, pa.string()), desc
    state_values = [s for s in pc.unique(states).to_pylist()]
    for state in state_values:
        mask = pc.is_null(states) if state is None else pc.fill_null(pc.equal(states, state), False)
        mask = pc.fill_null(mask, False)
        parser = vocabulary.statute_parser(state)
        # a citation leading the description: take it out of the text, use it when no statute is given
        lead_key = pa.nulls(n, pa.string())
        if parser is not None:
            lead = pc.extract_regex(desc, parser.pattern.replace("^", r"^\s*", 1) + r"(?:\s+|$)")
            lead_text = pc.struct_field(lead, "key")
            rest = pc.replace_substring_regex(desc, parser.pattern.replace("^", r"^\s*", 1) + r"(?:\s*[:-]?\s+|$)",
                                              "", max_replacements=1)
            usable = pc.and_(pc.and_(mask, pc.is_valid(lead_text)), pc.greater(pc.utf8_length(rest), 0))
            usable = pc.fill_null(usable, False)
            stripped = pc.if_else(usable, rest, stripped)
            lead_key = pc.if_else(usable, lead_text, pa.scalar(None, pa.string()))
        source = pc.coalesce(stat, lead_key)
        key, base = canonical_citations(source, state, vocabulary)
        keys = pc.if_else(mask, key, keys)
        bases = pc.if_else(mask, base, bases)
    keys = pc.if_else(pc.is_valid(pc.coalesce(stat, pa.nulls(n, pa.string()))), keys, keys)
    return keys, bases, stripped


def _modifiers(text: pa.Array, vocabulary: Vocabulary) -> dict[str, pa.Array]:
    n = len(text)
    attempted = pc.fill_null(pc.match_substring_regex(text, vocabulary.attempted), False)
    conspiracy = pc.fill_null(pc.match_substring_regex(text, vocabulary.conspiracy), False)
    counts, pluses, evidence = [], [], []
    for pattern in vocabulary.repeat:
        parts = pc.extract_regex(text, pattern)
        counts.append(pc.cast(pc.struct_field(parts, "n"), pa.int32()))
        if "(?P<plus>" in pattern:
            pluses.append(pc.if_else(pc.is_valid(pc.struct_field(parts, "n")),
                                     pc.equal(pc.struct_field(parts, "plus"), "+"), pa.scalar(None, pa.bool_())))
        else:
            pluses.append(pa.nulls(n, pa.bool_()))
    word = pc.struct_field(pc.extract_regex(text, vocabulary.repeat_word), "word")
    words = list(vocabulary.repeat_words)
    word_count = pc.take(pa.array([vocabulary.repeat_words[w] for w in words], pa.int32()),
                         pc.index_in(word, value_set=pa.array(words, pa.string())))
    counts.append(word_count)
    pluses.append(pc.if_else(pc.is_valid(word_count), pc.equal(word, "SUBSEQUENT"), pa.scalar(None, pa.bool_())))
    repeat = _first_valid(counts, n, pa.int32())
    plus = pa.nulls(n, pa.bool_())
    for count, p in zip(counts, pluses):
        plus = pc.if_else(pc.and_(pc.is_null(plus), pc.is_valid(count)), p, plus)
    for label, mask in (("attempted", attempted), ("conspiracy", conspiracy)):
        evidence.append(pc.if_else(mask, pa.scalar(f"{label} (modifiers.{label})"), pa.scalar(None, pa.string())))
    evidence.append(pc.if_else(pc.is_valid(repeat),
                               pc.binary_join_element_wise(pa.scalar("repeat offense "), pc.cast(repeat, pa.string()),
                                                           pc.if_else(pc.fill_null(plus, False), pa.scalar("+"),
                                                                      pa.scalar("")),
                                                           pa.scalar(" (modifiers.repeat)"), pa.scalar("")),
                               pa.scalar(None, pa.string())))
    if vocabulary.offense_degree is not None:
        offense_degree = pc.struct_field(pc.extract_regex(text, vocabulary.offense_degree), "deg")
    else:
        offense_degree = pa.nulls(n, pa.string())
    return {"attempted": attempted, "conspiracy": conspiracy, "repeat_offense": repeat, "repeat_or_more": plus,
            "modifier_evidence": _join_present(evidence, "; "), "offense_degree": offense_degree}


def _join_present(parts: Sequence[pa.Array], sep: str) -> pa.Array:
    result = parts[0]
    for part in parts[1:]:
        both = pc.binary_join_element_wise(result, part, pa.scalar(sep))
        result = pc.if_else(pc.is_null(result), part, pc.if_else(pc.is_null(part), result, both))
    return result


def _severity(text: pa.Array, vocabulary: Vocabulary) -> dict[str, pa.Array]:
    n = len(text)
    sev, deg = pa.nulls(n, pa.string()), pa.nulls(n, pa.string())
    conf, evid = pa.nulls(n, pa.float64()), pa.nulls(n, pa.string())
    words = list(vocabulary.severity_words)
    word_set = pa.array(words, pa.string())
    word_codes = pa.array([vocabulary.severity_words[w] for w in words], pa.string())
    for rule in vocabulary.severities:
        parts = pc.extract_regex(text, rule.pattern)
        matched = pc.is_valid(parts)
        if rule.not_after:
            objects = r"\b(?:" + "|".join(rule.not_after) + r")\s+(?:A\s+)?(?:FELONY|FEL|MISDEMEANOR|MISD)\b"
            matched = pc.and_(matched, pc.invert(pc.fill_null(pc.match_substring_regex(text, objects), False)))
        matched = pc.fill_null(matched, False)
        if rule.severity is not None:
            found_sev = pc.if_else(matched, pa.scalar(rule.severity), pa.scalar(None, pa.string()))
        elif "(?P<sev>" in rule.pattern:
            raw = pc.replace_substring_regex(pc.struct_field(parts, "sev"), r"\s+", " ")
            found_sev = pc.if_else(matched, pc.take(word_codes, pc.index_in(raw, value_set=word_set)),
                                   pa.scalar(None, pa.string()))
        else:
            found_sev = pa.nulls(n, pa.string())
        if rule.degree is not None:
            found_deg = pc.if_else(matched, pa.scalar(rule.degree), pa.scalar(None, pa.string()))
        elif "(?P<deg>" in rule.pattern:
            found_deg = pc.if_else(matched, pc.struct_field(parts, "deg"), pa.scalar(None, pa.string()))
        else:
            found_deg = pa.nulls(n, pa.string())
        new_sev = pc.and_(pc.is_null(sev), pc.is_valid(found_sev))
        new_deg = pc.and_(pc.is_null(deg), pc.is_valid(found_deg))
        decides = pc.fill_null(pc.or_(new_sev, pc.and_(pc.is_null(sev), new_deg)), False)
        sev = pc.coalesce(sev, found_sev)
        deg = pc.coalesce(deg, found_deg)
        conf = pc.if_else(pc.and_(decides, pc.is_null(conf)), pa.scalar(rule.confidence), conf)
        evid = pc.if_else(pc.and_(decides, pc.is_null(evid)), pa.scalar(f"severity rule {rule.id}"), evid)
    return {"severity": sev, "severity_degree": deg, "severity_confidence": conf, "severity_evidence": evid}


def _has_known_stem(word: str, known: set[str]) -> bool:
    """Whether ``word`` begins with a vocabulary word (``IMPERSONATION`` with the pattern stem ``IMPERSONAT``).

    Such a word is spelled as the rules expect; "correcting" it towards a similar word would break it.
    """
    return any(word[:size] in known for size in range(5, len(word)))


def _expand_words(text: pa.Array, vocabulary: Vocabulary) -> tuple[pa.Array, np.ndarray, dict[int, list[str]]]:
    """Abbreviations expanded and misspellings corrected word by word, once per distinct word.

    Returns the expanded text, which rows used a spelling correction, and the corrections per row.
    """
    n = len(text)
    tokens = pc.split_pattern(pc.fill_null(text, ""), " ")
    flat = pc.list_flatten(tokens)
    if len(flat) == 0:
        return text, np.zeros(n, bool), {}
    words = one_array(pc.dictionary_encode(flat))
    known = vocabulary.known_words
    known_set = set(known)
    replaced: list[str] = []
    corrected: list[bool] = []
    for word in words.dictionary.to_pylist():
        if word in vocabulary.abbreviations:
            replaced.append(vocabulary.abbreviations[word])
            corrected.append(False)
            continue
        if len(word) >= 5 and word.isalpha() and word not in known_set and not _has_known_stem(word, known_set):
            best = process.extractOne(word, known, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
            if best is not None:
                replaced.append(best[0])
                corrected.append(True)
                continue
        replaced.append(word)
        corrected.append(False)
    mapped = pc.take(pa.array(replaced, pa.string()), words.indices)
    expanded = pc.binary_join(pa.ListArray.from_arrays(tokens.offsets, mapped), " ")
    expanded = pc.if_else(pc.is_null(text), pa.scalar(None, pa.string()), expanded)
    fixed_flat = np.asarray(corrected, bool)[words.indices.to_numpy(zero_copy_only=False)]
    used = np.zeros(n, bool)
    notes: dict[int, list[str]] = {}
    if fixed_flat.any():
        parents = pc.list_parent_indices(tokens).to_numpy(zero_copy_only=False)
        codes = words.indices.to_numpy(zero_copy_only=False)
        dictionary = words.dictionary.to_pylist()
        for position in np.flatnonzero(fixed_flat):
            row = int(parents[position])
            used[row] = True
            code = int(codes[position])
            notes.setdefault(row, []).append(f"{dictionary[code]}->{replaced[code]}")
    return expanded, used, notes


def _rules(text: pa.Array, vocabulary: Vocabulary) -> np.ndarray:
    """The index of the first rule each text matches (-1: none), each rule run only on unclaimed texts."""
    n = len(text)
    chosen = np.full(n, -1, np.int32)
    open_rows = np.flatnonzero(pc.is_valid(text).to_numpy(zero_copy_only=False))
    for number, rule in enumerate(vocabulary.rules):
        if not len(open_rows):
            break
        subset = text.take(pa.array(open_rows, pa.int64()))
        mask = pc.match_substring_regex(subset, rule.all[0])
        for pattern in rule.all[1:]:
            mask = pc.and_(mask, pc.match_substring_regex(subset, pattern))
        for pattern in rule.none:
            mask = pc.and_(mask, pc.invert(pc.match_substring_regex(subset, pattern)))
        hit = pc.fill_null(mask, False).to_numpy(zero_copy_only=False)
        if hit.any():
            chosen[open_rows[hit]] = number
            open_rows = open_rows[~hit]
    return chosen


def _classify_distinct(desc: pa.Array, stat: pa.Array, states: pa.Array, vocabulary: Vocabulary,
                       crosswalk: Crosswalk | None) -> pa.Table:
    n = len(desc)
    rewritten = _rewrite(desc, vocabulary)
    statute_key, statute_base, rewritten = _statutes(rewritten, pc.utf8_upper(stat), states, vocabulary)
    modifiers = _modifiers(rewritten, vocabulary)
    severity = _severity(rewritten, vocabulary)
    plain = pc.replace_substring_regex(rewritten, r"[^A-Z0-9$ ]+", " ")
    plain = pc.utf8_trim_whitespace(pc.replace_substring_regex(plain, r"\s+", " "))
    plain = pc.if_else(pc.equal(plain, ""), pa.scalar(None, pa.string()), plain)
    expanded, fuzzy_used, fuzzy_notes = _expand_words(plain, vocabulary)
    chosen = _rules(expanded, vocabulary)

    rules = vocabulary.rules
    valid = chosen >= 0
    pick = pa.array(np.where(valid, chosen, 0), pa.int32())
    mask_rule = pa.array(valid)

    def per_rule(values: list[Any], kind: pa.DataType) -> pa.Array:
        return pc.if_else(mask_rule, pc.take(pa.array(values, kind), pick), pa.scalar(None, kind))

    ncrp = per_rule([r.category.ncrp for r in rules] or [""], pa.string())
    nibrs = per_rule([r.nibrs for r in rules] or [""], pa.string())
    confidence = per_rule([r.confidence for r in rules] or [0.0], pa.float64())
    confidence = pc.if_else(pa.array(fuzzy_used), pc.multiply(confidence, _FUZZY_PENALTY), confidence)
    evidence = per_rule([f"rule {r.id}" for r in rules] or [""], pa.string())
    if fuzzy_notes:
        notes = [("; spelling " + ", ".join(fuzzy_notes[i])) if i in fuzzy_notes else "" for i in range(n)]
        evidence = pc.binary_join_element_wise(evidence, pa.array(notes, pa.string()), pa.scalar(""))

    sev_table = dict(severity)
    if crosswalk is not None and len(crosswalk):
        ncrp, nibrs, confidence, evidence, sev_table = _apply_crosswalk(
            crosswalk, states, statute_key, statute_base, ncrp, nibrs, confidence, evidence, sev_table)

    # attempted murder is an aggravated assault in NIBRS
    attempted = modifiers["attempted"]
    for before, after in vocabulary.attempted_nibrs.items():
        swap = pc.fill_null(pc.and_(attempted, pc.equal(nibrs, before)), False)
        nibrs = pc.if_else(swap, pa.scalar(after), nibrs)
        evidence = pc.if_else(swap, pc.binary_join_element_wise(
            evidence, pa.scalar(f"; attempted: NIBRS {before} counted as {after}"), pa.scalar("")), evidence)

    names = list(vocabulary.categories)
    name_set = pa.array(names, pa.string())
    where = pc.index_in(ncrp, value_set=name_set)
    cats = [vocabulary.categories[k] for k in names]
    uccs_broad = pc.take(pa.array([c.uccs_broad_type for c in cats], pa.string()), where)
    uccs_cat = pc.take(pa.array([c.uccs_category for c in cats], pa.string()), where)
    seriousness = pc.take(pa.array([c.seriousness for c in cats], pa.int32()), where)

    classified = pc.is_valid(pc.coalesce(ncrp, nibrs))
    status = pc.if_else(classified, pa.scalar("classified"), pa.scalar("unclassified"))
    no_input = pc.and_(pc.is_null(desc), pc.is_null(stat))
    reason = pc.if_else(
        classified, pa.scalar(None, pa.string()),
        pc.if_else(no_input, pa.scalar("no description and no statute"),
                   pc.if_else(pc.is_null(expanded),
                              pc.binary_join_element_wise(pa.scalar("statute '"), pc.fill_null(statute_key, ""),
                                                          pa.scalar("' is not in the crosswalk and there is no "
                                                                    "description"), pa.scalar("")),
                              pc.binary_join_element_wise(pa.scalar("no rule matched '"),
                                                          pc.utf8_slice_codeunits(expanded, 0, 80),
                                                          pa.scalar("'"), pa.scalar("")))))

    rank = _rank(sev_table["severity"], sev_table["severity_degree"], seriousness)
    known = pc.or_(classified, pc.is_valid(pc.coalesce(sev_table["severity"], sev_table["severity_degree"])))
    rank = pc.if_else(known, rank, pa.scalar(None, pa.int32()))
    columns = {
        "offense_status": status, "offense_reason": reason, "nibrs_code": nibrs, "ncrp_category": ncrp,
        "uccs_broad_type": uccs_broad, "uccs_category": uccs_cat, "offense_confidence": confidence,
        "offense_evidence": evidence, **sev_table, **modifiers, "severity_rank": rank,
        "statute_key": statute_key, "normalized_text": expanded,
    }
    return pa.Table.from_arrays([pc.cast(columns[f.name], f.type) for f in OUTPUT_SCHEMA], schema=OUTPUT_SCHEMA)


def _rank(severity: pa.Array, degree: pa.Array, seriousness: pa.Array) -> pa.Array:
    classes = pa.array([k for k in _CLASS_RANK if k], pa.string())
    class_rank = pc.fill_null(pc.take(pa.array([_CLASS_RANK[k] for k in _CLASS_RANK if k], pa.int32()),
                                      pc.index_in(severity, value_set=classes)), 2)
    degrees = pa.array([k for k in _DEGREE_RANK if k], pa.string())
    degree_rank = pc.fill_null(pc.take(pa.array([_DEGREE_RANK[k] for k in _DEGREE_RANK if k], pa.int32()),
                                       pc.index_in(degree, value_set=degrees)), 8)
    return pc.add(pc.add(pc.multiply(class_rank, 1000), pc.multiply(degree_rank, 100)),
                  pc.fill_null(seriousness, 99))


def _apply_crosswalk(crosswalk: Crosswalk, states: pa.Array, key: pa.Array, base: pa.Array, ncrp: pa.Array,
                     nibrs: pa.Array, confidence: pa.Array, evidence: pa.Array,
                     severity: dict[str, pa.Array]) -> tuple[pa.Array, pa.Array, pa.Array, pa.Array,
                                                             dict[str, pa.Array]]:
    """Levels a crosswalk row gives override the rules' (confidence 1: the state said so)."""
    sep = pa.scalar("|")
    full = pc.binary_join_element_wise(pc.fill_null(states, ""), key, sep)
    short = pc.binary_join_element_wise(pc.fill_null(states, ""), base, sep)
    at = pc.coalesce(pc.index_in(full, value_set=crosswalk.keys), pc.index_in(short, value_set=crosswalk.keys))
    entries = crosswalk.entries

    def level(values: list[Any], kind: pa.DataType | None = None) -> pa.Array:
        return pc.take(pa.array(values, kind or pa.string()), at)

    cw_ncrp = level([e.ncrp_category for e in entries])
    cw_nibrs = level([e.nibrs_code for e in entries])
    cw_nibrs = pc.coalesce(cw_nibrs, pc.if_else(pc.is_valid(cw_ncrp), nibrs, pa.scalar(None, pa.string())))
    note = pc.binary_join_element_wise(
        pa.scalar(f"crosswalk {crosswalk.source} row "), pc.cast(level([e.row for e in entries], pa.int64()),
                                                                 pa.string()),
        pa.scalar(" ("), level([f"{e.state} {e.statute}" for e in entries]), pa.scalar(")"), pa.scalar(""))
    decides = pc.is_valid(pc.coalesce(cw_ncrp, level([e.nibrs_code for e in entries])))
    ncrp = pc.coalesce(cw_ncrp, ncrp)
    nibrs = pc.if_else(pc.fill_null(decides, False), pc.coalesce(cw_nibrs, nibrs), nibrs)
    confidence = pc.if_else(pc.fill_null(decides, False), pa.scalar(1.0), confidence)
    evidence = pc.if_else(pc.fill_null(decides, False), note, evidence)
    cw_sev = level([e.severity for e in entries])
    cw_deg = level([e.severity_degree for e in entries])
    given = pc.fill_null(pc.is_valid(pc.coalesce(cw_sev, cw_deg)), False)
    out = dict(severity)
    out["severity"] = pc.if_else(given, pc.coalesce(cw_sev, severity["severity"]), severity["severity"])
    out["severity_degree"] = pc.if_else(given, pc.coalesce(cw_deg, severity["severity_degree"]),
                                        severity["severity_degree"])
    out["severity_confidence"] = pc.if_else(given, pa.scalar(1.0), severity["severity_confidence"])
    out["severity_evidence"] = pc.if_else(given, note, severity["severity_evidence"])
    return ncrp, nibrs, confidence, evidence, out
