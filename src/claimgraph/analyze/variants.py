"""Quote variants: the same quote carried by several articles, and how each outlet changed it.

A statement's **quoted text** is what stands inside quotation marks: the whole content of a
direct statement, each quoted fragment of a partial or mixed one (fragments shorter than
`min_words` words are skipped: a scare-quoted word is a cue, not a quote). Texts are compared
after normalising quote marks, case, punctuation and whitespace.

Two quotes from different articles are the same quote when either
- their character-level similarity (difflib `SequenceMatcher.ratio`) is at least `min_ratio`, or
- the shorter one is (almost) contained in the longer: the characters of the shorter that
  `SequenceMatcher` matches into the longer, over its length, reach `CONTAINMENT` (0.9). This
  catches a trimmed quote ("…silencing our people," vs "…silencing our people, and the world
  is watching it happen").
Only pairs from different articles that share at least half the word bigrams of the shorter
quote (`MIN_SHARED`; bigrams held by more than 200 quotes do not count) are compared: two
short quotes that share one phrase ("a lot of delegates" / "a lot of emotion") are not one
quote, however alike their letters. The pairs come from a prefix filter (Bayardo et al.'s
all-pairs similarity search): a quote sharing half of its bigrams with a longer one shares one
of its rarest ones, so each quote meets only the quotes that hold one of those, and the
number of pairs compared grows with the quotes, not with their square. Matches are joined
transitively into groups spanning at least two articles.

Each group has a **reference**: its medoid (the member most similar to all the others; ties go
to a direct quote, then to store order). Every member is labelled against it: `identical`,
`trimmed` (its words are a contiguous run of the reference's), `extended` (the reverse) or
`reworded`; and flagged when its verb class or its speaker differs from the reference's.
Reads the store only.

Memory does not grow with the corpus: the statements stream by once, and each quoted unit
(its text, bigrams and the fields a member shows) goes to a scratch database on disk
(`claimgraph.store.scratch.SharedGrams`), where the bigrams are counted and the prefix
filter's pairs found by sorting and joining. What comes back is the pairs to compare (two
normalised quotes at a time), then the members of the groups found.

From a store (`quote_variants`) only the statements of a quoted kind are read, as tuples of
the columns used (`Store.quoted_statements`); the first source of the members' articles is
looked up once the groups are found, where `Store.statements` looks it up for every row.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from typing import Any

from ..ingest.outlets import outlet_of
from ..store import Store
from ..store.scratch import SharedGrams

MIN_RATIO = 0.6
CONTAINMENT = 0.9
MIN_WORDS = 4
GRAM = 2
COMMON_GRAM = 200
MIN_SHARED = 0.5  # of the shorter quote's bigrams, for a pair to be compared
QUOTED_KINDS = ("direct", "partial", "mixed")

IDENTICAL, TRIMMED, EXTENDED, REWORDED = "identical", "trimmed", "extended", "reworded"

_QUOTE_MARK = re.compile("[“”„‟«»″〝〞＂]")  # each read as '"'; a regex beats str.translate
# a double-quoted run, or a single-curly-quoted run opening after a non-letter (not "it’s")
_QUOTED = re.compile(r'"([^"]+)"|(?<![\w])‘([^‘’]+)’(?!\w)')
_QUOTED_DOUBLE = re.compile(r'"([^"]+)"')
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def normalize(text: str) -> str:
    """Lower case, curly quotes and apostrophes unified, punctuation dropped, spaces single.
    (The quote marks are dropped as they are: none is a word character.)"""
    return " ".join(_WORD.findall(text.replace("’", "'").replace("‘", "'").lower()))


def quoted_fragments(text: str, kind: str) -> list[str]:
    """The parts of a statement's text that stand inside quotation marks.

    A direct statement is quoted as a whole (its outer marks may be missing or unbalanced);
    a partial or mixed one contributes each quoted run; an indirect one nothing."""
    if kind not in QUOTED_KINDS:
        return []
    unified = _QUOTE_MARK.sub('"', text)
    if kind == "direct":
        # '"A," X said. "B."' is one direct statement: take both runs, not the attribution
        whole = unified.strip()
        if not whole.startswith('"'):
            whole = '"' + whole
        if not whole.endswith('"') or whole == '"':
            whole += '"'
        runs = [r for r in _QUOTED_DOUBLE.findall(whole) if r.strip()]
        return [r.strip() for r in runs] or [unified.strip().strip('"').strip()]
    runs = [m.group(1) or m.group(2) for m in _QUOTED.finditer(unified)]
    if not runs and kind == "partial":
        return [unified.strip().strip('"‘’').strip()]
    return [r.strip() for r in runs if r.strip()]


def quoted_words(text: str, kind: str) -> int:
    """Number of words inside quotation marks in a statement."""
    return sum(len(_WORD.findall(f)) for f in quoted_fragments(text, kind))


@dataclass
class VariantMember:
    statement_id: str
    article_id: str
    source: str | None
    outlet: str | None
    kind: str
    quote: str  # the quoted text as written
    speaker: str | None
    cue: str | None
    cue_class: str | None
    difference: str = IDENTICAL
    different_verb_class: bool = False
    different_speaker: bool = False
    similarity: float = 1.0  # to the reference


@dataclass
class VariantGroup:
    """One quote as several articles carry it; `members[reference]` is the medoid."""

    members: list[VariantMember] = field(default_factory=list)
    reference: int = 0

    @property
    def quote(self) -> str:
        return self.members[self.reference].quote

    @property
    def outlets(self) -> list[str | None]:
        return sorted({m.outlet for m in self.members}, key=lambda o: (o is None, o or ""))

    def to_dict(self) -> dict[str, Any]:
        return {
            "quote": self.quote,
            "reference": self.reference,
            "n_articles": len({m.article_id for m in self.members}),
            "outlets": self.outlets,
            "members": [asdict(m) for m in self.members],
        }


@dataclass
class _Unit:
    st: dict[str, Any]
    quote: str
    norm: str
    words: list[str]


def ratio(a: str, b: str) -> float:
    """Character-level SequenceMatcher ratio of two normalised texts."""
    return 1.0 if a == b else SequenceMatcher(None, a, b, autojunk=False).ratio()


def containment(a: str, b: str) -> float:
    """How much of the shorter text's words the longer holds, in one compact run: the share
    of the shorter's words matched in order, 0 when the matches spread over a window more
    than half again as long as the shorter (scattered common words are not a quote)."""
    wa, wb = a.split(), b.split()
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if not short:
        return 0.0
    blocks = [
        bl
        for bl in SequenceMatcher(None, short, long_, autojunk=False).get_matching_blocks()
        if bl.size
    ]
    if not blocks:
        return 0.0
    window = blocks[-1].b + blocks[-1].size - blocks[0].b
    if window > 1.5 * len(short) + 2:
        return 0.0
    return sum(bl.size for bl in blocks) / len(short)


def similarity(a: str, b: str) -> float:
    """max(ratio, containment) of two normalised texts; containment counts from CONTAINMENT."""
    if a == b:
        return 1.0
    c = containment(a, b)
    return max(ratio(a, b), c if c >= CONTAINMENT else 0.0)


def similar(a: str, b: str, min_ratio: float) -> bool:
    """``similarity(a, b) >= min_ratio``, measuring no more than it must: a containment that
    counts and reaches ``min_ratio`` settles it, and so does an upper bound of the ratio
    below it (`SequenceMatcher.quick_ratio`: the characters the two share, in any order)."""
    if a == b:
        return 1.0 >= min_ratio
    c = containment(a, b)
    if CONTAINMENT <= c and min_ratio <= c:
        return True
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return sm.quick_ratio() >= min_ratio and sm.ratio() >= min_ratio


def _grams(words: list[str]) -> set[str]:
    if len(words) < GRAM:
        return {" ".join(words)}
    return set(map(" ".join, zip(*(words[k:] for k in range(GRAM)), strict=False)))


# A statement as the variants read it: the columns of `Store.quoted_statements` (id,
# article_id, text, kind, speaker, cue, cue_class, its article's outlet), then its article's
# first source, which a store's rows leave off (looked up for the members found).
Row = Sequence[Any]
# What a group member shows of its statement (`VariantMember`), kept on disk with each unit
# after its quoted text: a row's fields but its article and its text.
_SHOWN = ("id", "kind", "speaker", "cue", "cue_class", "outlet", "source")


def _rows(statements: Iterable[Mapping[str, Any]]) -> Iterator[Row]:
    """Statement dicts (as `Store.statements` yields them) as rows: those of a quoted kind,
    with the outlet they are shown under (`outlet_of`) and their source."""
    for st in statements:
        if st["kind"] in QUOTED_KINDS:
            yield (
                st.get("id"),
                st["article_id"],
                st["text"],
                st["kind"],
                st.get("speaker"),
                st.get("cue"),
                st.get("cue_class"),
                outlet_of(st),
                st.get("source"),
            )


def _index(grams: SharedGrams, rows: Iterable[Row], min_words: int) -> None:
    """Each quoted fragment of at least ``min_words`` words, with its word bigrams, into
    ``grams``: one unit, numbered in the order of the statements and their fragments."""
    for row in rows:
        for frag in quoted_fragments(row[2], row[3]):
            norm = normalize(frag)
            words = norm.split()
            if len(words) >= min_words:
                source = row[8] if len(row) > 8 else None
                grams.add(row[1], norm, (frag, row[0], *row[3:8], source), _grams(words))


def _need(size: int) -> int:
    """Bigrams a quote of ``size`` counted ones must share with a longer one to be compared."""
    return math.ceil(MIN_SHARED * size)


def _candidates(statements: Iterable[dict[str, Any]], min_words: int) -> list[tuple[int, int]]:
    """The pairs of quoted units (numbered as `_index` numbers them) that are compared."""
    with SharedGrams(1 + len(_SHOWN)) as grams:
        _index(grams, _rows(statements), min_words)
        return sorted((i, j) for i, j, _, _ in grams.pairs(common=COMMON_GRAM, need=_need))


def _contiguous(short: list[str], long_: list[str]) -> bool:
    n = len(short)
    return any(long_[i : i + n] == short for i in range(len(long_) - n + 1))


def _difference(member: _Unit, ref: _Unit) -> str:
    if member.norm == ref.norm:
        return IDENTICAL
    if _contiguous(member.words, ref.words):
        return TRIMMED
    if _contiguous(ref.words, member.words):
        return EXTENDED
    return REWORDED


def _same_speaker(a: str | None, b: str | None) -> bool:
    """Same name, or one name's words a run of the other's ("Ashby" / "Teodor Ashby")."""
    if not a or not b:
        return a == b
    wa, wb = a.casefold().split(), b.casefold().split()
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return _contiguous(short, long_)


def _group(
    units: Mapping[int, _Unit], idx: list[int], compared: Callable[[list[int], int], set[int]]
) -> VariantGroup:
    """The group of units ``idx``, each labelled against the medoid; ``compared(idx, ref)``
    tells the members whose pair with ``ref`` was compared when pairing."""
    # Wire copies repeat a quote word for word: a text's sum of ratios to the members is
    # found once, each distinct text it is measured against once (the same values added in
    # the same order as measuring each member); what is kept grows with the distinct texts.
    sums: dict[str, float] = {}

    def centrality(a: str) -> float:
        if a not in sums:
            row: dict[str, float] = {}

            def to(b: str) -> float:
                if b not in row:
                    row[b] = ratio(a, b)
                return row[b]

            sums[a] = sum(to(units[j].norm) for j in idx)
        return sums[a]

    # the medoid by plain ratio: containment would make every trimmed copy equal to all
    ref = max(
        idx,
        key=lambda i: (
            centrality(units[i].norm),
            units[i].st["kind"] == "direct",
            -i,
        ),
    )
    r = units[ref]
    paired = compared(idx, ref)

    def sim(i: int) -> float:
        """Similarity to the reference; a pair compared when pairing keeps its order then
        (the earlier unit first), the others put the member first (the measures are not quite
        symmetric)."""
        if i == ref:
            return 1.0
        if i in paired:
            a, b = min(i, ref), max(i, ref)
            return similarity(units[a].norm, units[b].norm)
        return similarity(units[i].norm, r.norm)

    members = []
    for i in idx:
        u = units[i]
        members.append(
            VariantMember(
                statement_id=u.st["id"],
                article_id=u.st["article_id"],
                source=u.st.get("source"),
                outlet=outlet_of(u.st),
                kind=u.st["kind"],
                quote=u.quote,
                speaker=u.st.get("speaker"),
                cue=u.st.get("cue"),
                cue_class=u.st.get("cue_class"),
                difference=_difference(u, r),
                different_verb_class=u.st.get("cue_class") != r.st.get("cue_class"),
                different_speaker=not _same_speaker(u.st.get("speaker"), r.st.get("speaker")),
                similarity=round(sim(i), 4),
            )
        )
    return VariantGroup(members, idx.index(ref))


def find_quote_variants(
    statements: Iterable[dict[str, Any]],
    *,
    min_ratio: float = MIN_RATIO,
    min_words: int = MIN_WORDS,
) -> list[VariantGroup]:
    """Variant groups among statements (dicts as `Store.statements()` yields them).

    The statements stream by once; each quoted unit's text, bigrams and shown fields go to a
    scratch database on disk (`claimgraph.store.scratch.SharedGrams`), which finds the pairs
    to compare; only the matching pairs' unit numbers and the groups' members are held."""
    return _variants(_rows(statements), min_ratio=min_ratio, min_words=min_words)


def quote_variants(
    store: Store, *, min_ratio: float = MIN_RATIO, min_words: int = MIN_WORDS
) -> list[VariantGroup]:
    """The same quote across articles, each member labelled against the group's reference:
    `find_quote_variants` of the store's statements, reading only those of a quoted kind and
    only the columns the variants use (`Store.quoted_statements`); the members' sources are
    looked up once the groups are found."""
    return _variants(
        store.quoted_statements(QUOTED_KINDS),
        min_ratio=min_ratio,
        min_words=min_words,
        sources=store.first_sources,
    )


def _variants(
    rows: Iterable[Row],
    *,
    min_ratio: float,
    min_words: int,
    sources: Callable[[Iterable[str]], Mapping[str, str | None]] | None = None,
) -> list[VariantGroup]:
    """The variant groups among ``rows``. ``sources``: the first source of each article
    named, for rows read without it; their outlets are then those `outlet_of` gives."""
    with SharedGrams(1 + len(_SHOWN)) as grams:
        _index(grams, rows, min_words)
        parent: dict[int, int] = {}

        def find(i: int) -> int:
            root = i
            while parent.get(root, root) != root:
                root = parent[root]
            while i != root:
                parent[i], i = root, parent[i]
            return root

        for i, j, a, b in grams.pairs(common=COMMON_GRAM, need=_need):
            if similar(a, b, min_ratio):
                parent.setdefault(i, i)
                parent.setdefault(j, j)
                parent[find(i)] = find(j)
        comps: dict[int, list[int]] = defaultdict(list)
        for i in parent:
            comps[find(i)].append(i)
        units: dict[int, _Unit] = {}
        for u, article_id, norm, (frag, *shown) in grams.units(parent):
            st = dict(zip(_SHOWN, shown, strict=True), article_id=article_id)
            units[u] = _Unit(st, frag, norm, norm.split())
        if sources is not None:
            first = sources({unit.st["article_id"] for unit in units.values()})
            for unit in units.values():
                unit.st["source"] = first.get(unit.st["article_id"])
                unit.st["outlet"] = outlet_of(unit.st)

        def compared(idx: list[int], ref: int) -> set[int]:
            found = grams.paired((min(i, ref), max(i, ref)) for i in idx if i != ref)
            return {i for i in idx if (min(i, ref), max(i, ref)) in found}

        groups = [
            _group(units, sorted(idx), compared)
            for idx in comps.values()
            if len({units[i].st["article_id"] for i in idx}) >= 2
        ]
    groups.sort(key=lambda g: (-len(g.members), g.members[0].statement_id))
    return groups
