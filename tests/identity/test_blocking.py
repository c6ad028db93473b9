"""Candidate pairs: exactly the pairs that share a block, in bounded chunks; big blocks capped and reported."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from justice_schema.identity.blocking import CappedBlock, candidate_pairs


def all_pairs(chunks) -> set[tuple[int, int]]:
    out = set()
    for a, b in chunks:
        out.update((min(x, y), max(x, y)) for x, y in zip(a.tolist(), b.tolist(), strict=True))
    return out


@given(st.lists(st.integers(-1, 6), max_size=60), st.integers(1000, 2000))
def test_pairs_are_exactly_those_sharing_a_code(codes: list[int], chunk: int) -> None:
    array = np.array(codes, dtype=np.int64)
    expected = {(i, j) for i in range(len(codes)) for j in range(i + 1, len(codes))
                if codes[i] >= 0 and codes[i] == codes[j]}
    pairs = list(candidate_pairs(array, np.arange(len(codes)), max_block_size=100, chunk_pairs=chunk))
    assert all_pairs(pairs) == expected
    assert sum(len(a) for a, _ in pairs) == len(expected)  # no pair twice


def test_chunks_are_bounded() -> None:
    codes = np.repeat(np.arange(2000), 10)  # 2000 blocks of 10: 90,000 pairs
    sizes = [len(a) for a, _ in candidate_pairs(codes, np.arange(len(codes)), max_block_size=50,
                                                  chunk_pairs=10_000)]
    assert sum(sizes) == 2000 * 45 and max(sizes) <= 10_000 + 45


def test_oversized_blocks_are_capped_and_reported() -> None:
    codes = np.array([5] * 30 + [7] * 3)
    capped: list[CappedBlock] = []
    pairs = all_pairs(candidate_pairs(codes, np.arange(33), max_block_size=10, chunk_pairs=1000, capped=capped,
                                      rule="r", describe=lambda row: f"key{row}"))
    assert len(capped) == 1
    block = capped[0]
    assert (block.rule, block.key, block.size) == ("r", "key0", 30)
    assert block.pairs_compared + block.pairs_skipped == 30 * 29 // 2
    in_big = {p for p in pairs if p[0] < 30}
    assert len(in_big) == block.pairs_compared
    assert all(q - p < 10 for p, q in in_big)  # the sorted neighbourhood window
    assert {(30, 31), (30, 32), (31, 32)} <= pairs  # the small block is compared in full
