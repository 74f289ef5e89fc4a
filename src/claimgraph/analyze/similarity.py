"""How alike two articles' texts are: their word 5-shingles (lower-cased word 5-grams), held
as sorted 64-bit ids (`shingle_ids`: a tenth of the memory of the strings), and the Jaccard
similarity and containment of two shingle sets. `near_duplicates` is the test a wire copy
passes (`claimgraph.analyze.wire`); the MinHash constants are those its candidate pairs use
(`claimgraph.analyze.neardup`)."""

from __future__ import annotations

import re
from zlib import crc32

import numpy as np

SHINGLE_WORDS = 5
THRESHOLD = 0.6
NUM_PERM = 128
MINHASH_SEED = 1
LSH_THRESHOLD = 0.3
CONTAINMENT = 0.8
MIN_SHINGLES = 20
_WORD = re.compile(r"\w+")
_CRC_SEED = 0x9E3779B9  # the second CRC's start value: another hash of the same bytes
_MAX_CACHED_WORDS = 2_000_000
_MULT = np.uint64(0x100000001B3)  # odd: multiplying by it loses no bits modulo 2^64
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    """Lower-cased word k-grams of `text` (the whole text if it has fewer than k words)."""
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def _word_id(word: str) -> int:
    b = word.encode("utf-8")
    return (crc32(b) << 32) | crc32(b, _CRC_SEED)


def shingle_ids(
    text: str, k: int = SHINGLE_WORDS, word_ids: dict[str, int] | None = None
) -> np.ndarray:
    """`shingles` as sorted unique 64-bit ids: ~8 bytes a shingle where a Python set of
    strings takes ~80, so the shingles of a large corpus fit in memory at once. Each word
    gets a 64-bit id (two CRC-32s of its UTF-8 bytes, the same in every process); a shingle's
    id is a polynomial of its k word ids modulo 2^64, finished with a bit mixer, computed for
    all shingles at once. Two different shingles share an id with odds of ~2^-64.
    `word_ids`: a cache of word ids to share between calls (a corpus repeats its words)."""
    words = _WORD.findall(text.lower())
    if len(words) < k:
        return np.array([_word_id(" ".join(words))] if words else [], dtype=np.uint64)
    ids: dict[str, int] = {} if word_ids is None else word_ids
    if len(ids) > _MAX_CACHED_WORDS:
        ids.clear()
    w = np.fromiter(
        (ids[x] if x in ids else ids.setdefault(x, _word_id(x)) for x in words),
        dtype=np.uint64,
        count=len(words),
    )
    n = len(words) - k + 1
    h = w[:n].copy()
    with np.errstate(over="ignore"):
        for j in range(1, k):
            h = h * _MULT + w[j : j + n]
        # splitmix64's finaliser: every input bit moves every output bit
        h ^= h >> np.uint64(30)
        h *= _MIX1
        h ^= h >> np.uint64(27)
        h *= _MIX2
        h ^= h >> np.uint64(31)
    return np.unique(h)


Shingles = set[str] | np.ndarray  # a set of shingles, or their `shingle_ids`


def _shared(a: Shingles, b: Shingles) -> int:
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return int(np.intersect1d(a, b, assume_unique=True).size)
    if isinstance(a, set) and isinstance(b, set):
        return len(a & b)
    raise TypeError("compare shingle sets with shingle sets, shingle ids with shingle ids")


def jaccard(a: Shingles, b: Shingles) -> float:
    if not len(a) and not len(b):
        return 0.0
    shared = _shared(a, b)
    return shared / (len(a) + len(b) - shared)


def containment(a: Shingles, b: Shingles) -> float:
    """Share of the smaller set that is in the larger one (0 if either is empty)."""
    if not len(a) or not len(b):
        return 0.0
    return _shared(a, b) / min(len(a), len(b))


def near_duplicates(
    a: Shingles, b: Shingles, *, threshold: float = THRESHOLD, min_containment: float = CONTAINMENT
) -> bool:
    """Same story: Jaccard >= threshold, or the shorter (>= MIN_SHINGLES) contained in the longer."""
    if jaccard(a, b) >= threshold:
        return True
    return min(len(a), len(b)) >= MIN_SHINGLES and containment(a, b) >= min_containment
