"""The articles an analysis covers, a few bytes each, whatever the corpus size.

`compare` reads the store in several passes (profiles, matrix, timeline), each a stream of
rows in the store's article order (`Store.article_records`, `Store.dated_records`,
`Store.member_stances`). What they need of each article is its column (the outlet it is
grouped under, `outlet_of`), its words and whether it is selected (a named outlet's, not a
wire copy): `ArticleIndex` keeps that in arrays, one position per article in stored order, and
finds an article's position from its id through a sorted array of the ids' hashes (`id_hash`,
checked to be distinct when built; where two ids share a hash, a dict of every id is kept instead).
About 30 bytes an article, where a list of row dicts held about 1 KB.

A stream in stored order is followed position by position (`ArticleIndex.check` says the
stream's id is the one the index holds there); rows of other orders (claim members) find
their article with `ArticleIndex.positions`.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from hashlib import blake2b
from typing import Any

import numpy as np

from ..errors import UsageError
from ..ingest.outlets import outlet_of

KeyOf = Callable[[Mapping[str, Any]], str | None]


def store_changed() -> RuntimeError:
    """The error of a read that found the store's articles other than its index holds."""
    return RuntimeError(
        "the store's articles changed while they were read (an article was stored or"
        " deleted during the analysis): run it again"
    )


def id_hash(article_id: str) -> int:
    """64 bits of an article id's BLAKE2b: the same in every process (Python's own `hash`
    of a string is not), so an index built here finds positions in a worker too."""
    return int.from_bytes(
        blake2b(article_id.encode("utf-8"), digest_size=8).digest(), "little", signed=True
    )


class ArticleIndex:
    """Every article of a stream of article rows (`Store.article_rows`: id, and the columns
    ``key_of`` reads, n_words and outlet_country where wanted), in the stream's order."""

    def __init__(self, rows: Iterable[Mapping[str, Any]], key_of: KeyOf = outlet_of) -> None:
        label_ix: dict[str | None, int] = {}
        self.labels: list[str | None] = []
        keys, words, hashes = array("i"), array("q"), array("q")
        countries: dict[str, str] = {}
        self._ids: dict[str, int] | None = None
        for row in rows:
            label = key_of(row)
            ix = label_ix.get(label)
            if ix is None:
                ix = label_ix[label] = len(self.labels)
                self.labels.append(label)
            keys.append(ix)
            words.append(int(row.get("n_words") or 0))
            hashes.append(id_hash(row["id"]))
            country = row.get("outlet_country")
            if country:
                countries[country.casefold()] = country  # the last spelling, as a dict keeps it
        self.key = np.frombuffer(keys, dtype=np.int32).copy()
        self.n_words = np.frombuffer(words, dtype=np.int64).copy()
        self._hash = np.frombuffer(hashes, dtype=np.int64).copy()
        self._order = np.argsort(self._hash, kind="stable")
        self._sorted = self._hash[self._order]
        self.countries = list(countries.values())
        self.distinct = bool(len(self._sorted) < 2 or np.all(self._sorted[1:] != self._sorted[:-1]))

    def __len__(self) -> int:
        return len(self.key)

    def keep_ids(self, ids: Iterable[str]) -> None:
        """Find positions by id in a dict (``ids``: every article's id in stored order): what
        an index whose ids' hashes collide needs (`distinct` False)."""
        self._ids = {aid: i for i, aid in enumerate(ids)}

    def positions(self, ids: Sequence[str]) -> np.ndarray:
        """The positions of articles of this index, by id (an id not in the index: -1, where
        the hashes tell; ids come from the same store)."""
        if self._ids is not None:
            return np.array([self._ids.get(a, -1) for a in ids], dtype=np.int64)
        h = np.fromiter((id_hash(a) for a in ids), dtype=np.int64, count=len(ids))
        j = np.searchsorted(self._sorted, h)
        j[j == len(self._sorted)] = 0
        found = self._sorted[j] == h if len(self._sorted) else np.zeros(len(h), dtype=bool)
        return np.where(found, self._order[j] if len(self._order) else -1, -1)

    def check(self, position: int, article_id: str) -> None:
        """A stream in stored order is at ``position``: is that the article there?"""
        if position >= len(self) or (
            self._hash[position] != id_hash(article_id)
            if self._ids is None
            else self._ids.get(article_id) != position
        ):
            raise store_changed()

    def label_counts(self, mask: np.ndarray | None = None) -> Counter[str | None]:
        """Articles per label (of those ``mask`` selects)."""
        keys = self.key if mask is None else self.key[mask]
        counts = np.bincount(keys, minlength=len(self.labels))
        return Counter({self.labels[i]: int(n) for i, n in enumerate(counts) if n})

    def select(self, outlets: Sequence[str | None] | None) -> np.ndarray:
        """The mask of the named outlets' articles (every article when None); an unknown
        name is a UsageError."""
        if outlets is None:
            return np.ones(len(self), dtype=bool)
        wanted = {o for o in outlets if o}
        known = {label for label in self.labels if label is not None}
        missing = wanted - known
        if missing:
            raise UsageError(
                f"unknown outlet(s): {', '.join(sorted(missing))};"
                f" the store has: {', '.join(sorted(known))}"
            )
        chosen = np.array([label in wanted for label in self.labels], dtype=bool)
        return chosen[self.key] if len(self.labels) else np.zeros(len(self), dtype=bool)

    def mask_of(self, ids: Iterable[str]) -> np.ndarray:
        """The mask of the articles ``ids`` names."""
        out = np.zeros(len(self), dtype=bool)
        for chunk in in_chunks(ids):
            pos = self.positions(chunk)
            out[pos[pos >= 0]] = True
        return out


_CHUNK = 4096


class Selection:
    """The articles of an `ArticleIndex` that an analysis covers (``mask``), each under its
    column label: what the matrix and the timeline take in place of a list of article rows."""

    def __init__(self, index: ArticleIndex, mask: np.ndarray) -> None:
        self.index = index
        self.mask = mask

    def sizes(self) -> Counter[str | None]:
        """Selected articles per column."""
        return self.index.label_counts(self.mask)

    def columns(self, ids: Sequence[str]) -> list[str | None]:
        """Each id's column, None where the article is not selected."""
        pos = self.index.positions(ids)
        labels = self.index.labels
        key, mask = self.index.key, self.mask
        return [labels[key[p]] if p >= 0 and mask[p] else None for p in pos.tolist()]

    def at(self, position: int, article_id: str) -> str | None:
        """The column of the article at ``position`` of a stream in stored order (None where
        it is not selected), checked to be ``article_id``."""
        self.index.check(position, article_id)
        return self.index.labels[self.index.key[position]] if self.mask[position] else None


class IndexedIds:
    """The ids of the articles of an `ArticleIndex` that ``mask`` selects, as a container
    (``aid in ids``): the wire copies, one bit an article."""

    def __init__(self, index: ArticleIndex, mask: np.ndarray) -> None:
        self.index = index
        self.mask = mask

    def __contains__(self, aid: object) -> bool:
        if not isinstance(aid, str):
            return False
        p = int(self.index.positions([aid])[0])
        return p >= 0 and bool(self.mask[p])


def in_chunks(rows: Iterable[Any], size: int = _CHUNK) -> Iterable[list[Any]]:
    """``rows`` a chunk at a time (positions are looked up a chunk at a time)."""
    chunk: list[Any] = []
    for r in rows:
        chunk.append(r)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def article_index(store: Any, columns: Sequence[str], key_of: KeyOf = outlet_of) -> ArticleIndex:
    """The store's `ArticleIndex` (its rows' ``columns``, `Store.article_rows`)."""
    index = ArticleIndex(store.article_rows(columns), key_of)
    if not index.distinct:
        index.keep_ids(r["id"] for r in store.article_rows(()))
    return index
