"""Near-duplicate texts in bounded memory: what `claimgraph.analyze.wire` groups.

The texts stream by once. Each keeps in memory, while the groups are found, its number of
shingles, a 16-byte digest of its shingle ids and its place in a union-find (32 bytes); the
first ``b * r`` values of its MinHash (`datasketch`, the same permutations and bands as
`MinHashLSH` at the candidate threshold: 37 bands of 3 at 0.3, 444 bytes) go to one temporary
file per band, read back one band at a time. Identical shingle
sets are joined at once by their digests; the other candidates are the pairs whose values
agree on a whole band (exactly `MinHashLSH`'s buckets, found by sorting one band at a time),
each confirmed with the exact `near_duplicates` test on the two texts' shingles, read again
(`ShingleSets`: a bounded cache in front of the caller's `fetch`). Without datasketch, or with
``use_minhash=False``, every pair is a candidate and every text's shingles stay in memory (a
small corpus).

The groups are those of comparing every candidate pair: a pair is skipped only when its two
texts are already joined through others, which changes no group.
"""

from __future__ import annotations

import hashlib
import tempfile
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from .similarity import (
    CONTAINMENT,
    LSH_THRESHOLD,
    MINHASH_SEED,
    NUM_PERM,
    THRESHOLD,
    near_duplicates,
    shingle_ids,
)

_LOW32 = np.uint64(0xFFFFFFFF)
CACHED_SHINGLES = 4_000_000  # shingle ids kept for confirmations (8 bytes each)
_CHUNK = 4096  # texts whose MinHash values are written to the band files at once
_RECENT = 1 << 17  # digests remembered to skip the MinHash of a text seen just before
_PREFETCH = 256  # a bucket up to this size has its missing shingles read in one query

Fetch = Callable[[Sequence[int]], Iterable[tuple[int, str]]]


def digest(ids: np.ndarray) -> bytes:
    """16 bytes that tell identical shingle sets (as `shingle_ids` gives them) apart."""
    return hashlib.blake2b(ids.tobytes(), digest_size=16).digest()


class ShingleSets:
    """The shingle ids of texts by index: from a cache of at most `budget` ids (None: no
    bound), else read again with `fetch` (index -> text pairs for the indices asked)."""

    def __init__(self, fetch: Fetch, *, budget: int | None) -> None:
        self._fetch = fetch
        self._budget = budget
        self._held: OrderedDict[int, np.ndarray] = OrderedDict()
        self._size = 0
        self._word_ids: dict[str, int] = {}
        self.fetched = 0  # texts read again, for the benchmarks

    def put(self, i: int, ids: np.ndarray) -> None:
        if i in self._held:
            self._held.move_to_end(i)
            return
        self._held[i] = ids
        self._size += len(ids)
        while self._budget is not None and self._size > self._budget and len(self._held) > 1:
            _, old = self._held.popitem(last=False)
            self._size -= len(old)

    def prefetch(self, indices: Sequence[int]) -> None:
        missing = [i for i in indices if i not in self._held]
        for i, text in self._fetch(missing):
            self.fetched += 1
            self.put(i, shingle_ids(text, word_ids=self._word_ids))

    def __getitem__(self, i: int) -> np.ndarray:
        if i not in self._held:
            self.prefetch([i])
            if i not in self._held:
                raise KeyError(f"text {i} was not found again; was the store changed meanwhile?")
        self._held.move_to_end(i)
        return self._held[i]


class UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = array("q", range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> int:
        """Join the components of roots `a` and `b`; the new root."""
        self.parent[a] = b
        return b


class _Bands:
    """The MinHash values of texts written band by band to files in `where`."""

    def __init__(self, where: Path, threshold: float) -> None:
        from datasketch import MinHash, MinHashLSH

        lsh = MinHashLSH(threshold=min(threshold, LSH_THRESHOLD), num_perm=NUM_PERM)
        self.b, self.r = int(lsh.b), int(lsh.r)
        proto = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED)
        self._new = lambda: MinHash(
            num_perm=NUM_PERM,
            seed=MINHASH_SEED,
            hashfunc=int,
            permutations=proto.permutations,
            scheme=proto.scheme,
        )
        self._files = [open(where / f"band{k}", "wb") for k in range(self.b)]  # noqa: SIM115
        self._index = open(where / "index", "wb")  # noqa: SIM115
        self._rows: list[np.ndarray] = []
        self._at: list[int] = []
        self.where = where

    def add(self, i: int, ids: np.ndarray) -> None:
        m = self._new()
        # the ids' low 32 bits are already a hash: no SHA-1 of each shingle again
        m.update_batch((ids & _LOW32).tolist())
        self._rows.append(np.asarray(m.hashvalues[: self.b * self.r], dtype=np.uint32))
        self._at.append(i)
        if len(self._rows) == _CHUNK:
            self._flush()

    def _flush(self) -> None:
        if not self._rows:
            return
        block = np.stack(self._rows).reshape(len(self._rows), self.b, self.r)
        for k, f in enumerate(self._files):
            np.ascontiguousarray(block[:, k, :]).tofile(f)
        np.asarray(self._at, dtype=np.int64).tofile(self._index)
        self._rows, self._at = [], []

    def close(self) -> None:
        self._flush()
        for f in (*self._files, self._index):
            f.close()

    def buckets(self, keep: np.ndarray) -> Iterator[np.ndarray]:
        """For each band, the indices (ascending) of each run of texts with the same values
        on it, of the texts `keep` marks (a boolean array over indices)."""
        at = np.fromfile(self.where / "index", dtype=np.int64)
        kept = keep[at]
        at = at[kept]
        for k in range(self.b):
            vals = np.fromfile(self.where / f"band{k}", dtype=np.uint32).reshape(-1, self.r)
            vals = vals[kept]
            order = np.lexsort(vals.T[::-1])
            vals = vals[order]
            if len(vals) < 2:
                continue
            starts = np.flatnonzero(np.r_[True, np.any(vals[1:] != vals[:-1], axis=1)])
            ends = np.r_[starts[1:], len(vals)]
            for s, e in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
                yield np.sort(at[order[s:e]])


class Scan:
    """What one pass over the texts keeps, and the groups found from it."""

    def __init__(
        self,
        texts: Iterable[str],
        fetch: Fetch,
        *,
        threshold: float = THRESHOLD,
        min_containment: float = CONTAINMENT,
        use_minhash: bool | None = None,
        cached: int | None = None,
    ) -> None:
        self.threshold, self.min_containment = threshold, min_containment
        lsh = _has_datasketch(use_minhash)
        # every pair compared: every text's shingles held, as a small corpus allows
        self.sets = ShingleSets(
            fetch,
            budget=(CACHED_SHINGLES if cached is None else cached) if lsh else None,
        )
        self._rejected: set[tuple[int, int]] = set()
        with tempfile.TemporaryDirectory(prefix="claimgraph-wire-") as tmp:
            bands = _Bands(Path(tmp), threshold) if lsh else None
            try:
                self._read(texts, bands)
            finally:
                if bands is not None:
                    bands.close()
            self.uf = UnionFind(self.n)
            distinct = self._join_identical()
            if bands is None:
                self._join_bucket(np.flatnonzero(distinct))
            else:
                for bucket in bands.buckets(distinct):
                    self._join_bucket(bucket)

    def _read(self, texts: Iterable[str], bands: _Bands | None) -> None:
        sizes = array("q")
        digests = bytearray()
        word_ids: dict[str, int] = {}
        recent: set[bytes] = set()
        for i, text in enumerate(texts):
            ids = shingle_ids(text, word_ids=word_ids)
            d = digest(ids)
            sizes.append(len(ids))
            digests += d
            self.sets.put(i, ids)
            if bands is not None and len(ids) and d not in recent:
                # a text identical to one just before joins it: no MinHash needed
                if len(recent) == _RECENT:
                    recent.clear()
                recent.add(d)
                bands.add(i, ids)
        self.n = len(sizes)
        self.sizes = np.frombuffer(sizes, dtype=np.int64) if self.n else np.zeros(0, np.int64)
        self.digests = np.frombuffer(bytes(digests), dtype="V16")

    def _join_identical(self) -> np.ndarray:
        """Join each non-empty text to the first with the same shingles; which texts are
        left to compare (the first of each, a boolean array)."""
        nonempty = np.flatnonzero(self.sizes > 0)
        distinct = np.zeros(self.n, dtype=bool)
        if not len(nonempty):
            return distinct
        _, first, inverse = np.unique(
            self.digests[nonempty], return_index=True, return_inverse=True
        )
        rep = nonempty[first][inverse.reshape(-1)]
        # into the union-find's array in place: no list of a million ints
        np.frombuffer(self.uf.parent, dtype=np.int64)[nonempty] = rep
        distinct[nonempty[first]] = True
        return distinct

    def _confirm(self, a: int, b: int) -> bool:
        if (a, b) in self._rejected:
            return False
        same = near_duplicates(
            self.sets[a],
            self.sets[b],
            threshold=self.threshold,
            min_containment=self.min_containment,
        )
        if not same:
            self._rejected.add((a, b))
        return same

    def _join_bucket(self, bucket: np.ndarray) -> None:
        """Join the texts of one bucket (ascending indices) that are near-duplicates: each
        text is compared with the earlier ones of each other group in the bucket until one
        confirms, so that every confirmed pair ends up joined."""
        uf = self.uf
        members = bucket.tolist()
        if len(members) <= _PREFETCH:
            self.sets.prefetch(members)
        held: dict[int, list[int]] = {}  # root -> earlier members of the bucket
        for b in members:
            rb = uf.find(b)
            for r in list(held):
                if r == rb or r not in held:
                    continue
                if any(self._confirm(a, b) for a in held[r]):
                    joined = held.pop(r) + held.pop(rb, [])
                    rb = uf.union(rb, r)
                    held[rb] = joined
            held.setdefault(rb, []).append(b)

    def components(self) -> list[np.ndarray]:
        """The groups of two texts or more, each as ascending indices (an array: ~8 bytes a
        member where a list of ints takes ~36), by first index."""
        if not self.n:
            return []
        roots = np.fromiter((self.uf.find(i) for i in range(self.n)), np.int64, self.n)
        order = np.argsort(roots, kind="stable")  # each group's indices stay ascending
        ends = np.flatnonzero(np.diff(roots[order])) + 1
        groups = [g for g in np.split(order, ends) if len(g) > 1]
        return sorted(groups, key=lambda g: int(g[0]))


def _has_datasketch(use_minhash: bool | None) -> bool:
    if use_minhash is False:
        return False
    try:
        import datasketch  # noqa: F401
    except ImportError:
        if use_minhash:
            raise
        return False
    return True
