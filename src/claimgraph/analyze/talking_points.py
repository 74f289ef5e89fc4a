"""Talking points: distinctive phrases that one side's speakers repeat across articles, and the
outlets that carry them, in a speaker's voice or in their own narration.

A talking point is a phrase of 3 to `MAX_WORDS` words ("interfere in China's internal
affairs", "lies and rumors") that

- recurs on at least `MIN_OCCASIONS` **occasions**: uses in different articles whose
  surrounding words differ and that are not one quote carried in several wordings (a quote
  variant group, `claimgraph.analyze.variants`). The same quote carried by three outlets is
  one occasion, so a quote that travels is not a talking point by itself;
- is used **by speakers** (inside a statement's content) at least as often as in the outlets'
  own narration (a phrase mostly narrated is news copy), and the speakers who use
  it are mostly of one side: the country of their affiliation
  (`claimgraph.analyze.profiles.Affiliations`) holds at least `MIN_CAMP_SHARE` of its speaker uses;
- is **distinctive**, not stock news copy: it holds no word of attribution or of the briefing
  ("said", "spokesperson", "press"), starts and ends on a content word (not a stop word), and
  has at least two content words not written as names (Title Case): "Chinese Foreign Ministry
  spokesperson Wang Wenbin" and "flow into Marenne" recur, but they are a name and a place;
  and its wording is uncommon in general news: the mean, over those words, of ln(articles /
  articles holding the word) in a background of news (`data/news_words.json`, PolNeAR's and
  PTC's training articles, by ``scripts/build_news_words.py``) is at least `MIN_SPECIFICITY`,
  so "rights and interests", "walks of life" and "human rights conditions", made of words that
  every tenth news story holds, are stock, while "lies and rumors" and "interfere in China's
  internal affairs" are not (a word rarer than the table's floor counts as at the floor);
- is **maximal**: a shorter phrase that occurs only inside a longer talking point is that one;
- is not a contested term: a phrase whose every use is a term use of the store (the rival
  names of the lexicon, "crimes against humanity") is shown with the terms instead.

Words are compared case-blind and lightly stemmed ("interfered", "interferes", "interference"
→ "interfer"), with curly and straight apostrophes alike. "so-called" phrases are also grouped
by the head they end on ("so-called human rights issues", "so-called Xinjiang-related issues"
→ "so-called … issues"), from the `so_called` cues of the store.

Memory stays bounded on a large corpus: the articles are read three times, each with its own
statements, "so-called" cues and term uses (`store_reader`: one article's rows at a time),
for the grams speakers say, then the phrases built of grams seen in two articles, each counted
per article in a hashed array of `BUCKETS` slots, then the uses of the phrases seen twice;
only those uses are kept. A hash collision can only let a phrase through to the next pass,
where its real uses are counted.

Each talking point lists every use (article, outlet, date, voice, speaker, affiliation,
offsets, the words as written), its first use (earliest published date, then ingest order),
the speakers' sides, and the outlets that adopt it in their own narration. Reads the store's
rows only (given by `compare`), no parse.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from ..errors import StoreError
from ..extract.records import OUTLET_VOICE, SPEAKER_VOICE
from ..ingest.outlets import outlet_of
from ..link.sides import NO_SPEAKER, UNKNOWN, Affiliations
from ..store.articles import Flags

MIN_WORDS = 3
MAX_WORDS = 8
MIN_OCCASIONS = 2
MIN_CAMP_SHARE = 2 / 3
MIN_SPEAKER_SHARE = 0.5  # of a phrase's uses, those in a speaker's voice
CONTEXT = 4  # words each side that tell one occasion from another
SHOWN = 80  # characters of the article shown each side of a use
SAME_CONTEXT = 0.5  # share of context words two uses must share to be the same occasion
MIN_CONTEXT = 4  # context words (of the two, together) it takes to judge that
BUCKETS = 1 << 24  # hashed counts of grams and phrases per article (16 MiB each)
MAX_COMPARED = 300  # uses of one phrase told into occasions (the first, by date)
# Mean ln(articles / articles holding it) of a phrase's words: 2.5 is a word in about one news
# story of twelve (geometric mean).
MIN_SPECIFICITY = 2.5
NEWS_WORDS = Path(__file__).resolve().parent.parent / "data" / "news_words.json"

_WORD = re.compile(r"[A-Za-z][A-Za-z'’‘-]*[A-Za-z]|[A-Za-z]")
# Words of attribution and of the news briefing: phrases holding them are news copy.
_STOCK = frozenset(
    "said says say saying told tell tells added adding according spokesperson spokesman "
    "spokeswoman spokespeople briefing briefings press reporters reporter journalists news "
    "conference statement interview monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november december "
    "today yesterday week weeks month months year years ago percent".split()
)
_SUFFIXES = ("ences", "ence", "ances", "ance", "ings", "ing", "ied", "ies", "ed", "es", "s", "e")
_SO_CALLED = "so-called"


# -- words ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    key: str  # lower-cased, stemmed
    content: bool  # not a stop word
    name: bool  # written in Title Case or capitals
    stock: bool  # a word of attribution or of the news briefing


def stem(word: str) -> str:
    """A light, deterministic stem: lower case, one apostrophe, one common suffix off
    ("interference", "interfered", "interferes" -> "interfer"); possessives kept."""
    w = word.lower().replace("’", "'").replace("‘", "'")
    if "'" in w:
        return w
    for suf in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            return w[: -len(suf)]
    return w


@lru_cache(maxsize=200_000)
def _word_facts(w: str) -> tuple[str, bool, bool, bool]:
    """(stem, content word, written as a name, stock word) of a word as written."""
    lower = w.lower().replace("’", "'")
    base = lower.split("'")[0]
    content = base not in STOP_WORDS and lower not in STOP_WORDS
    return stem(w), content, w[:1].isupper(), base in _STOCK


def words(text: str, start: int = 0, end: int | None = None) -> list[list[Word]]:
    """The runs of words of ``text[start:end]`` that no punctuation separates (a phrase never
    spans a comma, a full stop or a quotation mark), each word with its offsets."""
    runs: list[list[Word]] = []
    run: list[Word] = []
    last = start
    stop = len(text) if end is None else end
    for m in _WORD.finditer(text, start, stop):
        between = text[last : m.start()]
        if run and (between.strip() or "\n" in between):
            runs.append(run)
            run = []
        key, content, name, stock = _word_facts(m.group())
        run.append(Word(m.start(), m.end(), key, content, name, stock))
        last = m.end()
    if run:
        runs.append(run)
    return runs


def distinctive(ws: Sequence[Word]) -> bool:
    """Could these words be a talking point (see the module's doc)?"""
    if not (ws[0].content and ws[-1].content) or any(w.stock for w in ws):
        return False
    keys = [w.key for w in ws if w.content and not w.name]
    return len(keys) >= 2 and sum(map(_specificity, keys)) >= MIN_SPECIFICITY * len(keys)


@lru_cache(maxsize=1)
def _news_words() -> tuple[int, int, dict[str, int]]:
    table = json.loads(NEWS_WORDS.read_text(encoding="utf-8"))
    return table["articles"], table["min_df"], table["df"]


@lru_cache(maxsize=200_000)
def _specificity(key: str) -> float:
    """ln(articles / articles holding the word) in the news background, the word's count
    floored at the table's least (the rarer words are not listed)."""
    n, floor, df = _news_words()
    return math.log(n / max(df.get(key, floor), floor))


# -- records -------------------------------------------------------------------------------


@dataclass
class Use:
    article_id: str
    start: int
    end: int
    text: str
    voice: str
    outlet: str | None
    published: str | None
    order: int  # the article's place in ingest order
    statement_id: str | None = None
    speaker: str | None = None
    affiliation: str | None = None
    country: str | None = None
    context: frozenset[str] = frozenset()
    variant: int | None = None  # the quote-variant group of its statement, if any
    before: str = ""  # the article's words around the use, to show it in context
    after: str = ""
    in_term: bool = False  # within a contested term's use (`find_talking_points`)

    def to_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "outlet": self.outlet,
            "published": self.published,
            "voice": self.voice,
            "statement_id": self.statement_id,
            "speaker": self.speaker,
            "affiliation": self.affiliation,
            "country": self.country,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "before": self.before,
            "after": self.after,
        }


@dataclass
class TalkingPoint:
    key: str  # the stemmed words, or "so-called … <head>"
    phrase: str  # the words as most often written
    uses: list[Use] = field(default_factory=list)
    camp: str | None = None  # the country of most of its speakers
    n_occasions: int = 0

    @property
    def id(self) -> str:
        return hashlib.sha1(self.key.encode("utf-8")).hexdigest()[:12]

    def to_dict(self) -> dict[str, Any]:
        first = self.uses[0]
        speakers = [u for u in self.uses if u.voice == SPEAKER_VOICE]
        narrated = [u for u in self.uses if u.voice == OUTLET_VOICE]
        return {
            "id": self.id,
            "key": self.key,
            "phrase": self.phrase,
            "camp": self.camp,
            "affiliations": dict(Counter(u.affiliation or UNKNOWN for u in speakers)),
            "n_uses": len(self.uses),
            "n_speaker_uses": len(speakers),
            "n_outlet_uses": len(narrated),
            "n_occasions": self.n_occasions,
            "n_articles": len({u.article_id for u in self.uses}),
            "first_use": first.to_dict(),
            "outlets_carrying": sorted({u.outlet or "?" for u in self.uses}),
            "outlets_adopting": sorted({u.outlet or "?" for u in narrated}),
            "uses": [u.to_dict() for u in self.uses],
        }


# -- finding them --------------------------------------------------------------------------


class _Speech:
    """One article's statements by offset: the innermost one holding a span."""

    def __init__(self, statements: Sequence[Mapping[str, Any]]) -> None:
        self.spans = sorted(
            ((st["start_char"], st["end_char"], st) for st in statements),
            key=lambda s: (s[0], -s[1]),
        )

    def at(self, start: int, end: int) -> Mapping[str, Any] | None:
        best = None
        for s, e, st in self.spans:
            if s > start:
                break
            if end <= e and (best is None or e - s < best["end_char"] - best["start_char"]):
                best = st
        return best


def _context(ws: Sequence[Word], i: int, n: int) -> frozenset[str]:
    before = [w.key for w in ws[max(0, i - CONTEXT) : i]]
    after = [w.key for w in ws[i + n : i + n + CONTEXT]]
    return frozenset([f"<{k}" for k in before] + [f">{k}" for k in after])


def _one_quote(a: Use, b: Use) -> bool:
    """Are the two uses one quote carried twice: statements of one quote-variant group, by
    the same speaker? Two speakers who say the same words are two occasions, even where the
    quote-variant groups join their statements (a partial quote of the phrase alone joins any
    longer quote that holds it)."""
    return (
        a.variant is not None
        and a.variant == b.variant
        and _surname(a.speaker) == _surname(b.speaker)
    )


def _surname(name: str | None) -> str:
    """ "Teodor Ashby" and "Ashby" are one speaker here (within one quote-variant group)."""
    return (name or "").split()[-1].lower() if name and name.split() else ""


def _same_occasion(a: Use, b: Use) -> bool:
    if a.article_id == b.article_id or _one_quote(a, b):
        return True
    union = len(a.context | b.context)
    return union >= MIN_CONTEXT and len(a.context & b.context) / union >= SAME_CONTEXT


def _occasions(uses: Sequence[Use]) -> int:
    """Uses told apart by article, quote and context (joined transitively): one article, one
    quote carried by several (`_one_quote`), or the same words around them in two articles (a
    text carried twice) is one occasion. Quadratic in the uses: `_select` gives it the first
    `MAX_COMPARED` of a phrase."""
    parent = list(range(len(uses)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(uses)):
        for j in range(i):
            if root(i) != root(j) and _same_occasion(uses[i], uses[j]):
                parent[root(i)] = root(j)
    return len({root(i) for i in range(len(uses))})


def _slot(ws: Sequence[Word]) -> int:
    """A stable bucket of the words' keys (crc32: the same in every process)."""
    return zlib.crc32("\x1f".join(w.key for w in ws).encode("utf-8")) & (BUCKETS - 1)


def _count(counts: np.ndarray, slots: set[int]) -> None:
    """One more article for each slot, counts capped at 2 (all that is asked of them)."""
    if slots:
        idx = np.fromiter(slots, dtype=np.int64, count=len(slots))
        counts[idx] = np.minimum(counts[idx], 1) + 1


def _spans(ws: Sequence[Word], grams: np.ndarray) -> Iterator[tuple[int, int]]:
    """(start, length) of each distinctive phrase of ``ws`` whose every 3-word gram a
    speaker says in two or more articles (by `grams`' buckets)."""
    ok = [grams[_slot(ws[i : i + MIN_WORDS])] >= 2 for i in range(len(ws) - MIN_WORDS + 1)]
    for i in range(len(ok)):
        for n in range(MIN_WORDS, MAX_WORDS + 1):
            if i + n > len(ws) or not ok[i + n - MIN_WORDS]:
                break
            if distinctive(ws[i : i + n]):
                yield i, n


# One article as the finder reads it: (its row with id, text, outlet and published, its
# statements, its ``so_called`` cues, its term uses), in stored order. A pass reads them all,
# at one of three levels: the articles' rows only, with their statements' offsets, or with
# every row the finder reads.
ArticleRows = tuple[
    Mapping[str, Any],
    Sequence[Mapping[str, Any]],
    Sequence[Mapping[str, Any]],
    Sequence[Mapping[str, Any]],
]
Read = Callable[[int], Iterable[ArticleRows]]
ARTICLES, SPEECH, ALL_ROWS = 0, 1, 2


def find_talking_points(
    articles: Sequence[Mapping[str, Any]],
    statements: Iterable[Mapping[str, Any]],
    *,
    so_called: Iterable[Mapping[str, Any]] = (),
    terms: Iterable[Mapping[str, Any]] = (),
    affiliations: Affiliations | None = None,
    variants: Mapping[str, int] | None = None,
    exclude: Container[str] = frozenset(),
    min_occasions: int = MIN_OCCASIONS,
) -> list[TalkingPoint]:
    """Talking points of the ``articles`` (rows with id, text, outlet, published), given
    their statements' rows (id, article_id, start_char, end_char, speaker, affiliation
    fields), the store's ``so_called`` cue rows and its term-use rows; ``variants`` maps a
    statement id to its quote-variant group (`claimgraph.analyze.variants`); articles in
    ``exclude`` (wire copies) are left out. Ordered by side, then by number of occasions.
    Holds its arguments in memory: `store_talking_points` reads a store article by article."""
    by_article: dict[str, tuple[list[Any], list[Any], list[Any]]] = defaultdict(
        lambda: ([], [], [])
    )
    all_sts = []
    for st in statements:
        all_sts.append(st)
        by_article[st["article_id"]][0].append(st)
    for c in so_called:
        by_article[c["article_id"]][1].append(c)
    for t in terms:
        by_article[t["article_id"]][2].append(t)

    def read(level: int) -> Iterator[ArticleRows]:
        for a in articles:
            sts, cues, uses = by_article.get(a["id"], ([], [], []))
            yield a, sts, cues, uses

    aff = affiliations or Affiliations(all_sts, [])
    return talking_points(
        read,
        affiliations=aff,
        variants=variants,
        exclude=exclude,
        min_occasions=min_occasions,
    )


def talking_points(
    read: Read,
    *,
    affiliations: Affiliations,
    variants: Mapping[str, int] | None = None,
    exclude: Container[str] = frozenset(),
    min_occasions: int = MIN_OCCASIONS,
) -> list[TalkingPoint]:
    """Talking points of the articles ``read(level)`` yields, three times, each time in the
    same order (`ArticleRows`; at level `ARTICLES` only the article's row is read, the other
    three may be empty; at `SPEECH` its statements' offsets). Only one article's rows and
    the candidate phrases' uses are held. See `find_talking_points` for the rest."""

    def kept(level: int) -> Iterator[tuple[int, ArticleRows]]:
        n = 0
        for rec in read(level):
            if rec[0]["id"] not in exclude and rec[0].get("text"):
                yield n, rec
                n += 1

    # pass 1: the 3-word grams a speaker says (with a content word), counted per article
    grams = np.zeros(BUCKETS, dtype=np.uint8)
    for _, (a, sts, _, _) in kept(SPEECH):
        speech = _Speech(sts)
        slots = {
            _slot(ws[i : i + MIN_WORDS])
            for ws in words(a["text"])
            for i in range(len(ws) - MIN_WORDS + 1)
            if any(w.content for w in ws[i : i + MIN_WORDS])
            and speech.at(ws[i].start, ws[i + MIN_WORDS - 1].end)
        }
        _count(grams, slots)
    # pass 2: phrases of 3..MAX_WORDS words built of grams seen in two articles, counted
    phrases = np.zeros(BUCKETS, dtype=np.uint8)
    for _, (a, _, _, _) in kept(ARTICLES):
        slots = {_slot(ws[i : i + n]) for ws in words(a["text"]) for i, n in _spans(ws, grams)}
        _count(phrases, slots)
    # pass 3: the uses of the phrases seen in two articles, and the article's "so-called"
    # phrases, each marked when it lies within a contested term's use
    candidates: dict[tuple[str, ...], list[Use]] = defaultdict(list)
    for order, (a, sts, cues, terms) in kept(ALL_ROWS):
        text = a["text"]
        speech = _Speech(sts)
        spans = [(t["start_char"], t["end_char"]) for t in terms]
        for ws in words(text):
            for i, n in _spans(ws, grams):
                phrase = ws[i : i + n]
                if phrases[_slot(phrase)] < 2:
                    continue
                s, e = phrase[0].start, phrase[-1].end
                use = _use(a, order, s, e, text, speech.at(s, e), affiliations, _context(ws, i, n))
                candidates[tuple(w.key for w in phrase)].append(_in_term(use, spans))
        for c in cues:
            if c.get("type") != "so_called":
                continue
            target = _WORD.findall(c["text"])
            if len(target) < 2:
                continue
            s, e = c["start_char"], c["end_char"]
            key: tuple[str, ...] = (_SO_CALLED, "…", stem(target[-1]))
            use = _use(a, order, s, e, text, speech.at(s, e), affiliations, frozenset())
            candidates[key].append(_in_term(use, spans))
    for dropped in [k for k, uses in candidates.items() if all(u.in_term for u in uses)]:
        del candidates[dropped]
    if variants:
        for uses in candidates.values():
            for u in uses:
                u.variant = variants.get(u.statement_id or "")
    return _select(candidates, min_occasions)


def _in_term(use: Use, spans: Sequence[tuple[int, int]]) -> Use:
    """The use, marked when it lies within a contested term's use (give or take a quotation
    mark) of its article (``spans``)."""
    use.in_term = any(s - 2 <= use.start and use.end <= e + 2 for s, e in spans)
    return use


def _use(
    art: Mapping[str, Any],
    order: int,
    start: int,
    end: int,
    text: str,
    st: Mapping[str, Any] | None,
    aff: Affiliations,
    context: frozenset[str],
) -> Use:
    use = Use(
        article_id=art["id"],
        start=start,
        end=end,
        text=text[start:end],
        voice=OUTLET_VOICE if st is None else SPEAKER_VOICE,
        outlet=outlet_of(art),
        published=art.get("published"),
        order=order,
        context=context,
        before=text[max(0, start - SHOWN) : start],
        after=text[end : end + SHOWN],
    )
    if st is not None:
        use.statement_id = st["id"]
        use.speaker = st.get("speaker")
        use.affiliation = aff.of(st)
        use.country = aff.country_of_statement(st)
    return use


def _camp(uses: Sequence[Use]) -> str | None:
    """The side of most of the phrase's speakers, if it holds `MIN_CAMP_SHARE` of them."""
    known = Counter(
        u.country for u in uses if u.voice == SPEAKER_VOICE and u.country not in (None, UNKNOWN)
    )
    known.pop(NO_SPEAKER, None)
    if not known:
        return None
    camp, n = known.most_common(1)[0]
    return camp if n / sum(known.values()) >= MIN_CAMP_SHARE else None


def _select(
    candidates: Mapping[tuple[str, ...], list[Use]], min_occasions: int
) -> list[TalkingPoint]:
    kept: list[TalkingPoint] = []
    for key, uses in candidates.items():
        if len({u.article_id for u in uses}) < 2:
            continue
        n_speaker = sum(u.voice == SPEAKER_VOICE for u in uses)
        if n_speaker == 0 or n_speaker < MIN_SPEAKER_SHARE * len(uses):
            continue  # mostly the outlets' own narration: news copy, not a side's phrase
        uses = sorted(uses, key=lambda u: (u.published or "9999", u.order, u.start))
        n = _occasions(uses[:MAX_COMPARED])
        if n < min_occasions:
            continue
        camp = _camp(uses)
        if camp is None:
            continue
        written = Counter(" ".join(u.text.split()) for u in uses).most_common()
        phrase = written[0][0]
        if key[0] == _SO_CALLED and len(written) > 1:
            phrase = f"{_SO_CALLED} … {_WORD.findall(written[0][0])[-1]}"
        kept.append(TalkingPoint(" ".join(key), phrase, uses, camp, n))
    # a phrase whose every use lies inside the uses of a longer one is that one
    spans = {(u.article_id, u.start, u.end) for tp in kept for u in tp.uses}
    by_article: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for aid, s, e in spans:
        by_article[aid].append((s, e))

    def inside_longer(tp: TalkingPoint) -> bool:
        return all(
            any(
                s <= u.start and u.end <= e and e - s > u.end - u.start
                for s, e in by_article[u.article_id]
            )
            for u in tp.uses
        )

    out = [tp for tp in kept if not inside_longer(tp)]
    out.sort(key=lambda tp: (tp.camp or "", -tp.n_occasions, -len(tp.uses), tp.key))
    return out


def store_talking_points(store: Any, *, count_wire_copies: bool = False) -> list[dict[str, Any]]:
    """The talking points of the whole store, as `compare` finds them (wire copies left out
    unless `count_wire_copies`), as JSON-ready dicts."""
    from .variants import quote_variants
    from .wire import store_wire_groups

    copies: set[str] = set()
    if not count_wire_copies:
        copies = {cid for g in store_wire_groups(store) for cid in g.copies}
    groups = quote_variants(store)
    rows = store.article_rows(("outlet_country",))
    countries = [a["outlet_country"] for a in rows if a.get("outlet_country")]
    skip = None
    if copies:
        skip = np.fromiter((aid in copies for aid, _ in store.article_items(())), dtype=bool)
    found = talking_points(
        store_reader(store, skip),
        affiliations=Affiliations.of_store(store, countries),
        variants=variant_of(groups),
        exclude=copies,
    )
    return [tp.to_dict() for tp in found]


# What the finder reads of the store (`store_reader`): each article's row, and at each level
# the columns of its statements, cues and term uses.
_ARTICLE_COLUMNS = ("text", "published", "outlet", "url", "sources")
_SPEAKERS = ("speaker", "speaker_type", "speaker_affiliation", "speaker_title")
_COLUMNS = {
    SPEECH: {"statements": ("start_char", "end_char"), "cues": (), "term_uses": ()},
    ALL_ROWS: {
        "statements": ("id", "article_id", "start_char", "end_char", *_SPEAKERS),
        "cues": ("type", "text", "start_char", "end_char"),
        "term_uses": ("start_char", "end_char"),
    },
}


def store_reader(store: Any, skip: Flags | None = None) -> Read:
    """`talking_points`' reader of a store: its articles with their stored rows
    (`Store.article_records`), one at a time, only the columns the finder reads. ``skip``
    (a flag per article, in stored order) leaves articles out (wire copies) without
    building their rows."""

    def read(level: int) -> Iterator[ArticleRows]:
        arts = store.article_items(_ARTICLE_COLUMNS, skip)
        if level == ARTICLES:
            for _, a in arts:
                if a is not None:
                    yield a, (), (), ()
            return
        records = store.article_records(
            skip=skip, columns=_COLUMNS[level], cue_types=("so_called",)
        )
        for aid, a in arts:
            rid, sts, cues, terms = next(records)
            if rid != aid:
                raise StoreError(
                    f"the store changed while the talking points read it ({rid} came for"
                    f" {aid}); run the command again once no analyze is writing to it"
                )
            if a is not None:
                yield a, sts, cues, terms

    return read


def variant_of(groups: Sequence[Any]) -> dict[str, int]:
    """Statement id -> the number of its quote-variant group."""
    return {m.statement_id: n for n, g in enumerate(groups) for m in g.members}
