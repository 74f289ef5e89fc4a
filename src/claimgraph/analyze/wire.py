"""Wire copies: near-duplicate articles, the same agency story run by several outlets.

Two articles are near-duplicates when their word 5-shingles (`claimgraph.analyze.similarity`)
have a Jaccard similarity of at least 0.6, or the shorter is contained in the longer at 0.8;
near-duplicates are joined transitively into groups. The candidate pairs come from MinHash LSH
(`datasketch`, 128 permutations, fixed seed, banded for a Jaccard 0.2 below the threshold) when
it is installed, else from comparing every pair; every candidate is confirmed with the exact
test, so both paths give the same groups (LSH can only miss a pair whose Jaccard is close to
the threshold). `store_wire_groups` reads the texts from the store one at a time and keeps a
few hundred bytes per article (`claimgraph.analyze.neardup`); `find_wire_groups` does the same
over rows already in memory. Both give the same groups.

In each group one article is the **original** and the others are **wire copies**: the article
whose credited agency is its own outlet (the wire's own story), else the earliest published
(known dates before unknown), else the earliest ingested, else the first in store order.
Reads the store only.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..ingest.base import article_label
from ..ingest.outlets import outlet_of
from ..store import Store
from .neardup import Scan
from .similarity import (
    CONTAINMENT,
    LSH_THRESHOLD,
    MIN_SHINGLES,
    MINHASH_SEED,
    NUM_PERM,
    SHINGLE_WORDS,
    THRESHOLD,
    containment,
    jaccard,
    near_duplicates,
    shingle_ids,
    shingles,
)

__all__ = [
    "CONTAINMENT",
    "LSH_THRESHOLD",
    "MINHASH_SEED",
    "MIN_SHINGLES",
    "NUM_PERM",
    "SHINGLE_WORDS",
    "THRESHOLD",
    "WireGroup",
    "containment",
    "find_wire_groups",
    "jaccard",
    "near_duplicates",
    "shingle_ids",
    "shingles",
    "store_wire_groups",
    "wire_copy_ids",
    "wire_groups",
]

# What a group's members show of their article, besides its id (`Store.article_rows`).
MEMBER_COLUMNS = ("title", "sources", "outlet", "url", "agency", "published", "ingested_at")
_MEASURED_AT_ONCE = 256
_ROWS_AT_ONCE = 2048  # members whose article rows are read (and held) at once


@dataclass
class WireGroup:
    """A group of near-duplicate articles; `members[0]` is the original. ``members`` lists
    every member, or only the first ones when the group was found with ``listed``; then
    ``positions`` and ``outlets`` still cover every member."""

    members: list[dict[str, Any]] = field(default_factory=list)
    # every member's place in the order the articles were scanned (the store's order), as
    # `members` orders them; None where not known (groups made by hand)
    positions: np.ndarray | None = None
    outlets: frozenset[str] | None = None  # every member's outlet (None: the members')

    @property
    def size(self) -> int:
        return len(self.members) if self.positions is None else len(self.positions)

    @property
    def member_ids(self) -> list[str]:
        """Every member's id, the original first (a group found with ``listed`` that lists
        fewer members than it has cannot tell them: a ValueError)."""
        if len(self.members) != self.size:
            raise ValueError("a listed wire group: its members are known by position only")
        return [str(m["article_id"]) for m in self.members]

    @property
    def member_outlets(self) -> frozenset[str]:
        if self.outlets is not None:
            return self.outlets
        return frozenset(str(m["outlet"]) for m in self.members)

    @property
    def original(self) -> str:
        return str(self.members[0]["article_id"])

    @property
    def copies(self) -> list[str]:
        return self.member_ids[1:]

    def to_dict(self) -> dict[str, Any]:
        return {"original": self.original, "copies": self.copies, "members": self.members}


def _agency_is_outlet(a: Mapping[str, Any]) -> bool:
    """'Northbridge' credits 'Northbridge Wire' (or vice versa): the wire's own story."""
    agency, outlet = (a.get("agency") or "").casefold(), (a.get("outlet") or "").casefold()
    if not agency or not outlet:
        return False
    aw, ow = agency.split(), outlet.split()
    n = min(len(aw), len(ow))
    return aw[:n] == ow[:n]


def _original_key(a: Mapping[str, Any], order: int) -> tuple[Any, ...]:
    published = a.get("published")
    return (
        not _agency_is_outlet(a),
        published is None,
        published or "",
        a.get("ingested_at") or "",
        order,
    )


def find_wire_groups(
    articles: Sequence[Mapping[str, Any]],
    *,
    threshold: float = THRESHOLD,
    min_containment: float = CONTAINMENT,
    use_minhash: bool | None = None,
) -> list[WireGroup]:
    """Group near-duplicate articles (dicts as `Store.articles()` yields them, with their
    texts).

    `use_minhash`: None = MinHash LSH if datasketch is installed, else every pair;
    True = require datasketch; False = compare every pair exactly."""
    scan = Scan(
        (a["text"] for a in articles),
        lambda idx: ((i, articles[i]["text"]) for i in idx),
        threshold=threshold,
        min_containment=min_containment,
        use_minhash=use_minhash,
    )
    return _wire_groups(scan, lambda wanted: {i: articles[i] for i in wanted})


class _Ids:
    """Article ids by position, packed: a few bytes each beside the id's own."""

    def __init__(self) -> None:
        self._data = bytearray()
        self._ends = array("q")

    def append(self, aid: str) -> None:
        self._data += aid.encode("utf-8")
        self._ends.append(len(self._data))

    def __getitem__(self, i: int) -> str:
        start = self._ends[i - 1] if i else 0
        return self._data[start : self._ends[i]].decode("utf-8")


def store_wire_groups(
    store: Store,
    *,
    threshold: float = THRESHOLD,
    min_containment: float = CONTAINMENT,
    use_minhash: bool | None = None,
    cached_shingles: int | None = None,
    listed: int | None = None,
) -> list[WireGroup]:
    """`find_wire_groups` over the store's articles, read one text at a time
    (`Store.article_texts`): what is kept per article is its id and a few dozen bytes
    (`claimgraph.analyze.neardup`); the texts of candidate pairs and of the groups' members
    are read again by id, through a cache of `cached_shingles` shingle ids
    (`claimgraph.analyze.neardup.CACHED_SHINGLES` if None). The same groups as
    `find_wire_groups(list(store.articles()))`; with ``listed``, each group's member dicts
    are its first ``listed`` members' (`WireGroup.ids`: all of them)."""
    ids = _Ids()

    def texts() -> Iterator[str]:
        for aid, text in store.article_texts():
            ids.append(aid)
            yield text

    def fetch(idx: Sequence[int]) -> Iterable[tuple[int, str]]:
        at = {ids[i]: i for i in idx}
        return ((at[aid], text) for aid, text in store.article_texts(list(at)))

    def rows(wanted: set[int]) -> dict[int, Mapping[str, Any]]:
        if not wanted:
            return {}
        at = {ids[i]: i for i in wanted}
        return {at[r["id"]]: r for r in store.article_rows(MEMBER_COLUMNS, ids=list(at))}

    scan = Scan(
        texts(),
        fetch,
        threshold=threshold,
        min_containment=min_containment,
        use_minhash=use_minhash,
        cached=cached_shingles,
    )
    return _wire_groups(scan, rows, listed)


def _wire_groups(
    scan: Scan,
    rows: Callable[[set[int]], Mapping[int, Mapping[str, Any]]],
    listed: int | None = None,
) -> list[WireGroup]:
    """The groups `scan` found, each ordered original first, by their original's index;
    `rows` gives the article rows of a set of indices, read for a few groups at a time.
    With ``listed``, a group's member dicts are its first ``listed`` members' (its `ids`
    and `outlets` every member's): memory of a few bytes per member beyond those."""
    comps = scan.components()
    groups: list[tuple[int, WireGroup]] = []
    lo = 0
    while lo < len(comps):
        hi, size = lo, 0
        while hi < len(comps) and (hi == lo or size + len(comps[hi]) <= _ROWS_AT_ONCE):
            size += len(comps[hi])
            hi += 1
        if listed is not None and size > _ROWS_AT_ONCE:  # one big group
            groups.append(_big_group(scan, comps[lo].tolist(), rows, listed))
        else:
            part = [c.tolist() for c in comps[lo:hi]]
            meta = rows({i for c in part for i in c})
            for idx in part:
                groups.append(_group(scan, idx, meta, listed))
        lo = hi
    return [g for _, g in sorted(groups, key=lambda x: x[0])]


def _big_group(
    scan: Scan,
    idx: list[int],
    rows: Callable[[set[int]], Mapping[int, Mapping[str, Any]]],
    listed: int,
) -> tuple[int, WireGroup]:
    """`_group` of a group with more members than `_ROWS_AT_ONCE`, listing ``listed``: the
    rows read a part at a time for the members' order and outlets, then again for the
    listed members only, so that the rows of every member are never held at once."""
    keys: dict[int, tuple[Any, ...]] = {}
    outlets: set[str] = set()
    for lo in range(0, len(idx), _ROWS_AT_ONCE):
        part = idx[lo : lo + _ROWS_AT_ONCE]
        meta = rows(set(part))
        for i in part:
            keys[i] = _original_key(meta[i], i)
            outlets.add(outlet_of(meta[i]))
    idx.sort(key=keys.__getitem__)
    del keys
    return _group(scan, idx, rows(set(idx[:listed])), listed, frozenset(outlets))


def _group(
    scan: Scan,
    idx: list[int],
    meta: Mapping[int, Mapping[str, Any]],
    listed: int | None,
    outlets: frozenset[str] | None = None,
) -> tuple[int, WireGroup]:
    """One group (its indices `idx`), original first: (the original's index, the group).
    ``outlets``: every member's, where ``idx`` is already in order and ``meta`` holds the
    listed members' rows only (`_big_group`)."""
    if outlets is None:
        idx.sort(key=lambda i: _original_key(meta[i], i))
    orig = idx[0]
    shown = idx if listed is None else idx[:listed]
    measures = _to_original(scan, shown)
    members = []
    for i in shown:
        a = meta[i]
        jac, cont = measures[scan.digests[i].tobytes()]
        members.append(
            {
                "article_id": a["id"],
                "source": _first_source(a),
                "label": article_label(a.get("title"), _first_source(a), a["id"]),
                "outlet": outlet_of(a),
                "agency": a.get("agency"),
                "published": a.get("published"),
                "is_wire_copy": i != orig,
                "jaccard_to_original": jac,
                "containment_to_original": cont,
            }
        )
    if outlets is None and listed is not None:
        outlets = frozenset(outlet_of(meta[i]) for i in idx)
    return orig, WireGroup(members, positions=np.array(idx, dtype=np.int64), outlets=outlets)


def _to_original(scan: Scan, idx: list[int]) -> dict[bytes, tuple[float, float]]:
    """Jaccard and containment (rounded) to the original `idx[0]` of each member's shingle
    set, keyed by its digest: members with the same shingles are measured once."""
    first: dict[bytes, int] = {}
    for i in idx:
        first.setdefault(scan.digests[i].tobytes(), i)
    orig = scan.sets[idx[0]]
    out: dict[bytes, tuple[float, float]] = {}
    todo = list(first.items())
    for lo in range(0, len(todo), _MEASURED_AT_ONCE):
        chunk = todo[lo : lo + _MEASURED_AT_ONCE]
        scan.sets.prefetch([i for _, i in chunk])
        for d, i in chunk:
            s = scan.sets[i]
            out[d] = (round(jaccard(s, orig), 4), round(containment(s, orig), 4))
    return out


def _first_source(a: Mapping[str, Any]) -> str | None:
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
    groups = store_wire_groups(
        store, threshold=threshold, min_containment=min_containment, use_minhash=use_minhash
    )
    return [[g.original, *g.copies] for g in groups]


def wire_copy_ids(groups: Iterable[Sequence[str]]) -> set[str]:
    """The article ids that are wire copies (every member of a group but the first)."""
    return {aid for g in groups for aid in g[1:]}
