"""Wire copies: near-duplicate articles, the same agency story run by several outlets.

Each article becomes its set of word 5-shingles (lower-cased word 5-grams), held as sorted
64-bit ids (`shingle_ids`: a tenth of the memory of the strings). Candidate pairs
come from MinHash LSH (`datasketch`, 128 permutations, fixed seed, banded for a Jaccard 0.2 below
the threshold) when it is installed, else
from comparing every pair; every candidate is then confirmed with the exact Jaccard
similarity of the two shingle sets, so both paths give the same groups (LSH can only miss a
pair whose Jaccard is close to the threshold). Near-duplicates are joined transitively into
groups.

In each group one article is the **original** and the others are **wire copies**: the article
whose credited agency is its own outlet (the wire's own story), else the earliest published
(known dates before unknown), else the earliest ingested, else the first in store order.
Reads the store only.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zlib import crc32

import numpy as np

from ..ingest.base import article_label
from ..ingest.outlets import outlet_of
from ..store import Store

SHINGLE_WORDS = 5
THRESHOLD = 0.6
NUM_PERM = 128
MINHASH_SEED = 1
LSH_THRESHOLD = 0.3
CONTAINMENT = 0.8
MIN_SHINGLES = 20
_WORD = re.compile(r"\w+")
_CRC_SEED = 0x9E3779B9  # the second CRC's start value: another hash of the same bytes
_LOW32 = np.uint64(0xFFFFFFFF)
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


@dataclass
class WireGroup:
    """A group of near-duplicate articles; `members[0]` is the original."""

    members: list[dict[str, Any]] = field(default_factory=list)

    @property
    def original(self) -> str:
        return str(self.members[0]["article_id"])

    @property
    def copies(self) -> list[str]:
        return [str(m["article_id"]) for m in self.members[1:]]

    def to_dict(self) -> dict[str, Any]:
        return {"original": self.original, "copies": self.copies, "members": self.members}


def _candidate_pairs(
    sets: Sequence[np.ndarray], threshold: float, use_minhash: bool | None
) -> Iterable[tuple[int, int]]:
    if use_minhash is not False:
        try:
            from datasketch import MinHash, MinHashLSH
        except ImportError:
            if use_minhash:
                raise
        else:
            # candidates at a lower threshold, so that LSH rarely misses a pair near the real
            # one; every candidate is confirmed with the exact Jaccard afterwards
            lsh = MinHashLSH(threshold=min(threshold, LSH_THRESHOLD), num_perm=NUM_PERM)
            hashes = []
            for i, s in enumerate(sets):
                # the ids' low 32 bits are already a hash: no SHA-1 of each shingle again
                m = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, hashfunc=int)
                m.update_batch((s & _LOW32).tolist())
                hashes.append(m)
                if len(s):
                    lsh.insert(i, m)
            for i, m in enumerate(hashes):
                if not len(sets[i]):
                    continue
                for j in lsh.query(m):
                    if j > i:
                        yield i, j
            return
    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            yield i, j


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _agency_is_outlet(a: dict[str, Any]) -> bool:
    """'Northbridge' credits 'Northbridge Wire' (or vice versa): the wire's own story."""
    agency, outlet = (a.get("agency") or "").casefold(), (a.get("outlet") or "").casefold()
    if not agency or not outlet:
        return False
    aw, ow = agency.split(), outlet.split()
    n = min(len(aw), len(ow))
    return aw[:n] == ow[:n]


def _original_key(a: dict[str, Any], order: int) -> tuple[Any, ...]:
    published = a.get("published")
    return (
        not _agency_is_outlet(a),
        published is None,
        published or "",
        a.get("ingested_at") or "",
        order,
    )


def find_wire_groups(
    articles: Sequence[dict[str, Any]],
    *,
    threshold: float = THRESHOLD,
    min_containment: float = CONTAINMENT,
    use_minhash: bool | None = None,
) -> list[WireGroup]:
    """Group near-duplicate articles (dicts as `Store.articles()` yields them).

    `use_minhash`: None = MinHash LSH if datasketch is installed, else every pair;
    True = require datasketch; False = compare every pair exactly."""
    word_ids: dict[str, int] = {}
    sets = [shingle_ids(a["text"], word_ids=word_ids) for a in articles]
    parent = list(range(len(articles)))
    # Identical texts (the same wire story carried verbatim) are joined at once and compared
    # as one: a story carried by k outlets would otherwise cost k^2 comparisons.
    first_of: dict[bytes, int] = {}
    distinct: list[int] = []
    for i, sh in enumerate(sets):
        key = hashlib.blake2b(sh.tobytes(), digest_size=16).digest()
        if not len(sh) or key not in first_of:
            first_of.setdefault(key, i)
            distinct.append(i)
        else:
            parent[i] = first_of[key]
    for da, db in _candidate_pairs([sets[i] for i in distinct], threshold, use_minhash):
        i, j = distinct[da], distinct[db]
        if _find(parent, i) == _find(parent, j):
            continue  # already joined through other copies
        if near_duplicates(sets[i], sets[j], threshold=threshold, min_containment=min_containment):
            parent[_find(parent, i)] = _find(parent, j)
    comps: dict[int, list[int]] = {}
    for i in range(len(articles)):
        comps.setdefault(_find(parent, i), []).append(i)
    groups: list[tuple[int, WireGroup]] = []
    for idx in comps.values():
        if len(idx) < 2:
            continue
        idx.sort(key=lambda i: _original_key(articles[i], i))
        orig = idx[0]
        members = []
        for i in idx:
            a = articles[i]
            members.append(
                {
                    "article_id": a["id"],
                    "source": _first_source(a),
                    "label": article_label(a.get("title"), _first_source(a), a["id"]),
                    "outlet": outlet_of(a),
                    "agency": a.get("agency"),
                    "published": a.get("published"),
                    "is_wire_copy": i != orig,
                    "jaccard_to_original": round(jaccard(sets[i], sets[orig]), 4),
                    "containment_to_original": round(containment(sets[i], sets[orig]), 4),
                }
            )
        groups.append((orig, WireGroup(members)))
    return [g for _, g in sorted(groups, key=lambda x: x[0])]


def _first_source(a: dict[str, Any]) -> str | None:
    sources = a.get("sources") or a.get("source")
    return sources.split("; ")[0] if sources else None


def wire_groups(
    store: Store,
    *,
    threshold: float = THRESHOLD,
    min_containment: float = CONTAINMENT,
    use_minhash: bool | None = None,
) -> list[list[str]]:
    """Groups of near-duplicate article ids, the original first, then its wire copies."""
    groups = find_wire_groups(
        list(store.articles()),
        threshold=threshold,
        min_containment=min_containment,
        use_minhash=use_minhash,
    )
    return [[g.original, *g.copies] for g in groups]


def wire_copy_ids(groups: Iterable[Sequence[str]]) -> set[str]:
    """The article ids that are wire copies (every member of a group but the first)."""
    return {aid for g in groups for aid in g[1:]}
