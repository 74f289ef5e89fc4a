"""Claims across articles: cluster statements that assert or deny the same proposition.

A claim gathers "China is committing genocide in Xinjiang" (Blinken), "the crimes of
'genocide' can never be attributed to China" (Wang Wenbin) and "all lies and rumors related
to Xinjiang have fallen apart" (Zhao Lijian): an assertion and its denials are one claim, and
each member's stance (affirm / deny / report) is worked out afterwards
(`claimgraph.claims.stance`). So clustering works on the *proposition*, not the sentence:

1. **Proposition text.** The parse drops the reporting shell ("the State Department restated
   the assessment that …", "Hussain repeated the allegation of …") and the words that deny
   or discredit (negations, denial verbs, falsity labels, "so-called"): what is left is what
   the statement is about. It is embedded with MiniLM (`claimgraph.embedding.minilm`). A Title Case
   headline is parsed in sentence case (`claimgraph.claims.text.headline_case`).
2. **Key terms.** The common nouns of the proposition (no reporting, denial or falsity
   words), weighted by inverse document frequency over the items and the existing claims, so
   that the words every statement of a corpus shares weigh little and the ones that name the
   charge ("genocide", "sanctions") weigh much.
3. **Similarity** = ``EMB_WEIGHT`` * cosine of the proposition embeddings + ``TERM_WEIGHT``
   * cosine of the key-term vectors, each vector with a prior mass of its own
   (``TERM_PRIOR``), so that sharing one's only key term counts for little.
4. **Stories.** Each article of `CONTEXT_MIN_UNITS` units or more has a story vector, the
   mean of its units' vectors; a claim's is the mean of its members'. Two units (or a unit
   and a claim) whose stories' cosine is below `CONTEXT_GATE` never join (`BLOCKED`): on a
   corpus of many events, "the deal was reached" of one negotiation stays apart from
   another's, and newsroom boilerplate ("This is a breaking news story.") from every other
   article's. On a corpus of one issue every article tells the same story and nothing is
   gated. A headline alone (Emergent's) has no story and is never gated.
5. **Time window.** Two dated units (or a dated unit and a claim) more than `TIME_WINDOW`
   days apart never join, unless their propositions name exactly the same entities (the
   same set of two names or more after alias folding; for a claim, the names most of its
   members hold: one name alone, "Obama", says too little about the proposition): "House leaders are negotiating a final deal" of 2010 stays apart from
   2015's, while "China is committing genocide against the Uyghurs" of 2021 and of 2023
   meet. Undated units are never held back.
6. **Blocking keys.** A unit joins a stored claim only when they share a blocking key
   (`anchors`: a content word's stem, a name, a number) that fewer than `BLOCK_SHARE` of the
   units hold: a claim's members name the same things.
7. **Proposition frames.** An accusation whose proposition is its shape ("the US uses the
   pretext of human rights issues to concoct lies", "under the guise of human rights
   issues, they are trying to undermine …", "stop using Xinjiang-related issues to
   interfere": `claimgraph.claims.frames`) carries a marker term (`PRETEXT_TERM`): framed
   units meet each other at `FRAME_SIM` whatever their words, and never an unframed unit or
   claim (stories and the time window still apply).
8. **Incremental clustering.** Each new item joins the most similar existing claim when the
   similarity reaches ``threshold``; the rest are clustered among themselves by average-linkage
   agglomeration (stopping below ``threshold``) and found new claims.
9. **Bare denials** ("all lies and rumors related to Xinjiang have fallen apart", "His
   determination is nothing more than wasted paper") discredit a proposition without naming
   it. They join, among the claims within ``bare_threshold``, the one with the most members
   from the same article before them (the accusation the article has reported so far), then
   with the most members from the same article, else the most similar. Neither stories nor
   blocking keys hold them back, nor does the time window.
10. **Labels.** A claim's label is one plain sentence of at most 15 words cut from the member
   that reads best as the claim (`claimgraph.claims.labels`); its representative sentence, the
   one member stances are taken toward, is that member's words.

Everything is deterministic: items are processed in key order, ties broken by claim id.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from . import frames as F
from . import labels as L
from . import polarity as P
from .text import headline_case, parser

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

    from ..embedding.minilm import Embedder

THRESHOLD = 0.26
BARE_THRESHOLD = 0.2
EMB_WEIGHT = 0.5
TERM_WEIGHT = 0.5
LABEL_TERMS = 4  # key terms stored with a claim
COMMON_SHARE = 0.1  # a term in >= 10% of the statements names the topic, not a claim
# A unit joins a stored claim only when they share a blocking key (`anchors`) that fewer than
# this share of the units hold: a claim's members name the same things, and sharing nothing
# but the corpus's own subject ("China", "Xinjiang") is not enough.
BLOCK_SHARE = 0.25
BLOCK_MIN_DF = 20  # a term fewer units hold is distinctive however small the batch
BLOCKED = -1.0  # the similarity of a pair that shares no distinctive term
# Two units whose articles tell different stories never join: the cosine of the articles'
# story vectors (the mean of their units') must reach CONTEXT_GATE. On a corpus of one issue
# every article tells the same story and nothing is gated; on a corpus of many events this
# is what keeps "the deal was reached" of one negotiation from another's.
CONTEXT_GATE = 0.75
# A unit joins a stored claim of AVERAGED_FROM members or more by its mean similarity to the
# members (see `_Space.to_clusters`), a smaller one by its similarity to their mean direction.
AVERAGED_FROM = 20
# Dated units further apart than this many days never join unless their propositions name
# the same entities: every pair of one claim's articles on Emergent's training split lies
# within 90 days (99.8% within 60; dates from Emergent's time-based article ids).
TIME_WINDOW = 90
SAME_ENTITIES = 2  # names two units must share, and no others, to meet across the window
CONTEXT_MIN_UNITS = 5
NAME_ALIASES = {
    "us": "us",
    "usa": "us",
    "america": "us",
    "united states": "us",
    "washington": "us",
    "uk": "uk",
    "britain": "uk",
    "united kingdom": "uk",
    "un": "un",
    "united nations": "un",
    "prc": "china",
    "beijing": "china",
    "uighur": "uyghur",
    "uighurs": "uyghur",
    "uyghurs": "uyghur",
}
NAME_STOP = frozenset("mr mrs ms dr sen rep gov st jr sr".split())
# The key-term vectors carry a prior mass of TERM_PRIOR times the weight of a term seen once,
# on a dimension of their own: sharing one term of one is weak evidence, sharing several
# rare ones strong (see `_Space.terms_matrix`).
TERM_PRIOR = 1.5

# Verbs and nouns that frame a proposition rather than state it.
SHELL_VERBS = (
    P.SPEECH_VERBS
    | P.DENIAL_VERBS
    | P.ATTACK_VERBS
    | P.DISTANCING_VERBS
    | frozenset(
        "restate repeat express reach declare call describe accuse allege term relay "
        "reiterate stress emphasize underline warn urge".split()
    )
)
FRAME_NOUNS = P.ALLEGATION_NOUNS | frozenset("conclusion commitment view belief position".split())
NOT_TERMS = (
    SHELL_VERBS
    | FRAME_NOUNS
    | P.FALSITY_NOUNS
    | P.FALSITY_ADJS
    | P.WEAK_FALSITY_NOUNS
    | P.NEG_WORDS
    | P.DENIAL_NOUNS
    | frozenset("say tell add".split())
)


@dataclass(frozen=True, eq=False)
class ClaimItem:
    """One statement (or narrated sentence) to place in a claim."""

    key: str
    text: str
    article_id: str | None = None
    speaker: str | None = None
    embedding: np.ndarray | None = None  # of the proposition; computed when None
    # items with the same ``apart`` are distinct propositions by construction (the charges a
    # speaker lists as "false allegations such as 'genocide', 'forced labor'"): they never
    # found a claim together
    apart: str | None = None
    start: int | None = None  # where it stands in its article (a bare denial looks back)
    day: int | None = None  # its article's publication date (`day_number`), if known


@dataclass(eq=False)
class ClaimCentroid:
    """A claim as the clustering keeps it between runs."""

    claim_id: str
    vector: np.ndarray  # mean of the members' unit proposition vectors
    size: int
    terms: dict[str, int] = field(default_factory=dict)  # key term -> members that have it
    articles: dict[str, int] = field(default_factory=dict)  # article id -> members
    label: str = ""  # a plain sentence (`claimgraph.claims.labels`)
    text: str = ""  # the representative member's words: the claim to take a stance toward
    context: np.ndarray | None = None  # mean story vector of its members' articles (unit)
    days: tuple[int, int] | None = None  # first and last day of its dated members' articles


@dataclass(frozen=True)
class Assignment:
    key: str
    claim_id: str
    similarity: float  # to the claim it joined (1.0 for the first member of a new claim)
    bare: bool  # a bare denial, placed by its article's context
    new_claim: bool  # the claim was founded in this run


@dataclass
class ClusterResult:
    assignments: list[Assignment]
    centroids: list[ClaimCentroid]  # the existing ones (updated) and the new ones

    def members(self) -> dict[str, list[str]]:
        """claim id -> member keys."""
        out: dict[str, list[str]] = {}
        for a in self.assignments:
            out.setdefault(a.claim_id, []).append(a.key)
        return out

    def claim_of(self, key: str) -> str:
        for a in self.assignments:
            if a.key == key:
                return a.claim_id
        raise KeyError(key)


# ---------------------------------------------------------------- propositions


def _frame_complement(t: Token) -> Token | None:
    """The content of a frame noun: "the allegation *of genocide*", "the assessment *that* …"."""
    for c in t.children:
        if c.dep_ in ("acl", "ccomp"):
            return c
        # "the assessment that Beijing is committing …", parsed as a relative clause
        if c.dep_ == "relcl" and any(
            g.dep_ in ("nsubj", "nsubjpass") and g.lower_ not in ("that", "which", "who")
            for g in c.children
        ):
            return c
        if c.dep_ == "prep" and c.lower_ in ("of", "about", "on"):
            objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if objs:
                return objs[0]
    return None


def content_root(doc: Doc) -> Token | None:
    """The head of what a sentence asserts, below its reporting shell."""
    # a unit sliced out of its article's parse has its root as its own head, labelled "dep"
    roots = [t for t in doc if t.dep_ == "ROOT" or t.head.i == t.i]
    if not roots:
        return None
    root = max(roots, key=lambda r: len(list(r.subtree)))
    # a quotation mark the article's parse made the head of the quote ('"The US uses …')
    while root.is_punct and any(True for _ in root.children):
        root = max(root.children, key=lambda c: len(list(c.subtree)))
    for _ in range(4):
        nxt = None
        if root.pos_ in ("VERB", "AUX") and root.lemma_.lower() in SHELL_VERBS:
            nxt = next((c for c in root.children if c.dep_ == "ccomp"), None)
            if nxt is None:
                for c in root.children:
                    if c.dep_ == "dobj" and c.lemma_.lower() in FRAME_NOUNS:
                        if _frame_complement(c) is not None:
                            nxt = c
        elif root.pos_ == "NOUN" and root.lemma_.lower() in FRAME_NOUNS:
            nxt = _frame_complement(root)
        if nxt is None:
            break
        root = nxt
    return root


def _embedded(t: Token) -> bool:
    """``t`` sits in a relative or adverbial clause ("officials who 'concocted lies'")."""
    return any(a.dep_ in ("relcl", "acl", "advcl") for a in [t, *t.ancestors][:-1])


def proposition_tokens(doc: Doc) -> list[Token]:
    """The proposition's words: below the shell, without denial and falsity words.

    Worked out once per doc (the clustering, the labels and the stance classifier all read
    it): the token indices are memoised on the doc (`claimgraph.claims.polarity.memo`)."""
    found = P.memo(doc, "claims.proposition", lambda d: [t.i for t in _proposition_tokens(d)])
    return [doc[i] for i in found]


def _proposition_tokens(doc: Doc) -> list[Token]:
    deny, neg = P.operators(doc)
    ops = {op.i for op in deny} | {op.i for op in neg}
    # What a denial or falsity label targets is the proposition ("false allegations such as
    # 'genocide'", "denounced Pompeo's allegations of 'genocide'"); else the content clause.
    main = [op for op in deny if not _embedded(doc[op.i])]
    targets = sorted(set().union(*(op.scope for op in main)) - ops) if main else []
    if sum(doc[i].pos_ in ("NOUN", "PROPN", "VERB") for i in targets) >= 2:
        span = [doc[i] for i in targets]
        span = [t for t in span if not (t.pos_ == "NOUN" and t.lemma_.lower() in FRAME_NOUNS)]
    else:
        root = content_root(doc)
        span = list(root.subtree) if root is not None else list(doc)
        if sum(t.is_alpha for t in span) < 3:
            span = list(doc)
    return [
        t
        for t in span
        if t.i not in ops
        and not t.is_quote
        and t.lower_ not in P.NEG_WORDS
        and t.lower_ not in ("so-called", "n't")
        and not (t.lower_ == "so" and t.head.lower_ == "called")
        and not (t.lower_ == "called" and any(c.lower_ == "so" for c in t.children))
    ]


def proposition(doc: Doc) -> str:
    """The proposition as text, for embedding."""
    return " ".join(t.text for t in proposition_tokens(doc)) or doc.text


def key_terms(tokens: Sequence[Token]) -> set[str]:
    """The common nouns of a proposition: what it is about ("genocide", "sanctions").

    Names (actors and places) and verbs are left to the embedding and to the blocking keys
    (`anchors`): every statement of a corpus on Xinjiang names China and Xinjiang, and the
    nouns are what tell its claims apart.
    """
    out = set()
    for t in tokens:
        lem = t.lemma_.lower()
        if t.pos_ == "NOUN" and t.is_alpha and not t.is_stop:
            if len(lem) > 2 and lem not in NOT_TERMS:
                out.add(lem)
    return out


ANCHOR_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
# the first character of a blocking key (`anchors`; "%": a frame, `claimgraph.claims.frames`),
# never of a key term
ANCHOR_MARKS = "~@" + F.MARK
PRETEXT_TERM = F.marker(F.PRETEXT)
# Two units that carry the same proposition frame state one proposition whatever their words
# (`claimgraph.claims.frames`): their similarity is at least this; a framed unit and an
# unframed one never join. Stories and the time window still keep them apart.
FRAME_SIM = 1.0
ANCHOR_STEM = 5  # "breast" / "breasted", "behead" / "beheading": one anchor


def anchors(tokens: Sequence[Token]) -> set[str]:
    """The blocking keys of a proposition: its content words cut to a short stem ("~behea"),
    its names ("@pompeo") and numbers ("~43"). A unit joins a stored claim only when they
    share one that is not in a large share of all units (`_Space.shares`): wide enough that
    two headlines of one claim in other words still meet ("Woman grows third breast" /
    "three-breasted woman")."""
    out = set()
    for t in tokens:
        if t.pos_ not in ANCHOR_POS or t.is_stop:
            continue
        if t.pos_ == "PROPN":
            if name := name_key(t):
                out.add(name)
            continue
        lem = t.lemma_.lower()
        if t.pos_ == "NUM" and t.text.isdigit():
            out.add("~" + t.text)
        elif t.is_alpha and len(lem) > 2 and lem not in NOT_TERMS:
            out.add("~" + lem[:ANCHOR_STEM])
    return out


def frame_terms(doc: Doc) -> set[str]:
    """The marker of the proposition frame ``doc`` carries, if any (`claimgraph.claims.frames`)."""
    return {PRETEXT_TERM} if F.pretext(doc) is not None else set()


def name_key(t: Token) -> str | None:
    """A proper noun as a key term: lower case, dots dropped, aliases folded; None for a
    token that names nothing on its own ("United" before "States", "Mr.")."""
    low = t.lower_.replace(".", "")
    nxt = t.nbor(1).lower_ if t.i + 1 < len(t.doc) else ""
    if low == "united" and nxt in ("states", "kingdom", "nations"):
        return None
    if low in ("states", "kingdom", "nations") and t.i > 0 and t.nbor(-1).lower_ == "united":
        low = "united " + low
    low = NAME_ALIASES.get(low, low)
    if len(low) < 2 or not low.replace(" ", "").isalpha() or low in NAME_STOP:
        return None
    return "@" + low


def bare_denial(doc: Doc, common: set[str]) -> bool:
    """A falsity label or denial whose target names nothing specific ("all lies about X")."""
    deny = P.operators(doc)[0]
    if not deny:
        return False
    for op in deny:
        target = key_terms([doc[i] for i in op.scope])
        if target - common:
            return False
    return True


# ---------------------------------------------------------------- clustering


@dataclass(eq=False)
class _Prepared:
    item: ClaimItem
    vector: np.ndarray
    terms: set[str]
    bare: bool = False
    denied: bool = False  # the text denies its own content (a denial, not an assertion)
    finite: bool = True  # a clause with a finite verb (not a fragment: "X as 'genocide'")
    doc: Doc | None = None  # its parse (the label is cut from it)
    context: np.ndarray | None = None  # its article's story vector (`_contexts`), if known


@dataclass(eq=False)
class _Cluster:
    claim_id: str
    vector_sum: np.ndarray
    size: int = 0
    terms: Counter[str] = field(default_factory=Counter)
    articles: Counter[str] = field(default_factory=Counter)
    label: str = ""
    text: str = ""
    new: bool = True
    starts: dict[str, list[int]] = field(default_factory=dict)  # article -> members placed now
    context_sum: np.ndarray | None = None  # sum of its members' story vectors
    days: tuple[int, int] | None = None  # first and last day of its dated members

    def add(self, p: _Prepared) -> None:
        self.vector_sum = self.vector_sum + p.vector
        self.size += 1
        if (d := p.item.day) is not None:
            self.days = (min(d, self.days[0]), max(d, self.days[1])) if self.days else (d, d)
        if p.context is not None:
            base = self.context_sum if self.context_sum is not None else 0.0
            self.context_sum = base + p.context
        self.terms.update(p.terms)
        if p.item.article_id is not None:
            self.articles[str(p.item.article_id)] += 1
            if p.item.start is not None:
                self.starts.setdefault(str(p.item.article_id), []).append(p.item.start)

    def names(self) -> frozenset[str]:
        """The entities more than half of its members name."""
        return frozenset(t for t, k in self.terms.items() if t[0] == "@" and 2 * k > self.size)

    def before(self, article: str | None, start: int | None) -> int:
        """Members of ``article`` placed in this run that stand before ``start``."""
        if article is None or start is None:
            return 0
        return sum(s < start for s in self.starts.get(article, ()))


class _Space:
    """Key-term vocabulary and idf over the items and the existing claims' members."""

    def __init__(self, prepared: Sequence[_Prepared], existing: Sequence[ClaimCentroid]) -> None:
        df: Counter[str] = Counter()
        for p in prepared:
            df.update(p.terms)
        n = len(prepared)
        for c in existing:
            df.update(c.terms)
            n += c.size
        self.df, self.n = df, n
        self.index = {t: j for j, t in enumerate(sorted(df))}
        self.idf = np.array([math.log((n + 1) / (df[t] + 1)) + 1.0 for t in sorted(df)])

    def common(self, share: float) -> set[str]:
        return {t for t, d in self.df.items() if d >= share * self.n}

    def distinctive(self, rows: Sequence[Iterable[str]]) -> sparse.csr_matrix:
        """Each row's key terms held by fewer than `BLOCK_SHARE` of the units, as 0/1."""
        limit = max(BLOCK_SHARE * self.n, BLOCK_MIN_DF)
        cols: list[int] = []
        indptr = [0]
        for row in rows:
            cols += sorted(
                {
                    j
                    for t in row
                    if t[0] in ANCHOR_MARKS
                    and (j := self.index.get(t)) is not None
                    and self.df[t] < limit
                }
            )
            indptr.append(len(cols))
        return sparse.csr_matrix(
            (np.ones(len(cols), dtype=np.float32), np.array(cols, dtype=np.int64), indptr),
            shape=(len(rows), len(self.index)),
        )

    def shares(self, a: Sequence[Iterable[str]], b: Sequence[Iterable[str]]) -> np.ndarray:
        """Whether each pair of ``a`` x ``b`` shares a distinctive key term (the blocking:
        no other pair is compared)."""
        return (self.distinctive(a) @ self.distinctive(b).T).toarray() > 0

    def terms_matrix(self, rows: Sequence[dict[str, float]]) -> sparse.csr_matrix:
        """idf-weighted term vectors, scaled as unit vectors with a private prior dimension
        (left out of the matrix: it matches nothing) of ``TERM_PRIOR`` times the idf of a
        term seen once. Without it two statements sharing their only key term would be as
        alike as two sharing five ("candidate", "primary" in an election corpus). Sparse: a
        unit has a handful of the batch's thousands of terms."""
        prior = TERM_PRIOR * (math.log((self.n + 1) / 2) + 1.0)
        data: list[float] = []
        cols: list[int] = []
        indptr = [0]
        for row in rows:
            found = [
                (j, w * self.idf[j])
                for t, w in row.items()
                if t[0] not in ANCHOR_MARKS and (j := self.index.get(t)) is not None
            ]
            norm = math.sqrt(sum(v * v for _, v in found) + prior * prior) or 1.0
            cols += [j for j, _ in found]
            data += [v / norm for _, v in found]
            indptr.append(len(cols))
        return sparse.csr_matrix(
            (np.array(data, dtype=np.float32), np.array(cols, dtype=np.int64), indptr),
            shape=(len(rows), len(self.index)),
        )

    def similarity(
        self,
        a: Sequence[_Prepared],
        b_vectors: np.ndarray,
        b_terms: Sequence[dict[str, float]],
        *,
        blocked: bool = True,
        anchored: bool = False,
        b_contexts: Sequence[np.ndarray | None] | None = None,
        b_spread: np.ndarray | None = None,
        b_when: _When | None = None,
    ) -> np.ndarray:
        """EMB_WEIGHT * cosine of embeddings + TERM_WEIGHT * cosine of idf term vectors.
        Unless not ``blocked``: `BLOCKED` for a pair of different stories (``b_contexts``
        given), for a pair further apart in time than `TIME_WINDOW` days that does not name
        the same entities (``b_when`` given) and, with ``anchored``, for a pair that shares
        no blocking key."""
        va = np.stack([p.vector for p in a])
        vb = b_vectors / np.clip(np.linalg.norm(b_vectors, axis=1, keepdims=True), 1e-12, None)
        # Only a column that shares a key term with some row can have a term similarity: the
        # others' term vectors are not built (a bare denial is compared with every claim,
        # one denial at a time). A product's entry sums the same products either way.
        wanted = set().union(*(p.terms for p in a))
        share = [j for j, row in enumerate(b_terms) if not wanted.isdisjoint(row)]
        terms = np.zeros((len(a), len(b_terms)), dtype=np.float32)
        if share:
            ta = self.terms_matrix([dict.fromkeys(p.terms, 1.0) for p in a])
            tb = self.terms_matrix([b_terms[j] for j in share])
            terms[:, share] = (ta @ tb.T).toarray()
        emb = va @ vb.T
        if b_spread is not None:
            emb = emb * b_spread[None, :]
        sim = EMB_WEIGHT * emb + TERM_WEIGHT * terms
        framed_a = np.array([PRETEXT_TERM in p.terms for p in a], dtype=bool)
        framed_b = np.array([row.get(PRETEXT_TERM, 0.0) > 0.5 for row in b_terms], dtype=bool)
        if framed_a.any() and framed_b.any():
            both = framed_a[:, None] & framed_b[None, :]
            sim[both] = np.maximum(sim[both], FRAME_SIM)
        if blocked:
            if framed_a.any() or framed_b.any():
                sim[framed_a[:, None] != framed_b[None, :]] = BLOCKED
            if anchored:
                sim[~self.shares([p.terms for p in a], b_terms)] = BLOCKED
            if b_contexts is not None:
                story, known = story_similarity([p.context for p in a], b_contexts)
                sim[known & (story < CONTEXT_GATE)] = BLOCKED
            if b_when is not None:
                sim[b_when.apart_from(a)] = BLOCKED
        return sim

    def to_clusters(
        self,
        a: Sequence[_Prepared],
        clusters: Sequence[_Cluster],
        *,
        blocked: bool = True,
        averaged: bool = True,
    ) -> np.ndarray:
        vecs = np.stack([c.vector_sum for c in clusters])
        wanted = set().union(*(p.terms for p in a))  # a claim sharing none: no term vector
        terms = [
            {t: k / c.size for t, k in c.terms.items()} if not wanted.isdisjoint(c.terms) else {}
            for c in clusters
        ]
        contexts = [_unit(c.context_sum) if c.context_sum is not None else None for c in clusters]
        # a unit's mean cosine to a claim's members is its cosine to their mean direction
        # times the mean's length: a large claim of loosely related members (a topic) has a
        # short mean, and a unit must come closer to join it, as average linkage would ask
        spread = None
        if averaged:
            sizes = np.array([max(c.size, 1) for c in clusters], dtype=np.float32)
            spread = np.where(
                sizes >= AVERAGED_FROM, np.linalg.norm(vecs, axis=1) / sizes, 1.0
            ).astype(np.float32)
        when = _When([c.days for c in clusters], [c.names() for c in clusters])
        return self.similarity(
            a,
            vecs,
            terms,
            blocked=blocked,
            anchored=True,
            b_contexts=contexts,
            b_spread=spread,
            b_when=when,
        )


def entity_names(terms: Iterable[str]) -> frozenset[str]:
    """The names among a unit's blocking keys (`anchors`): its proposition's entities."""
    return frozenset(t for t in terms if t.startswith("@"))


def day_number(published: str | None) -> int | None:
    """The day (proleptic Gregorian ordinal) of a stored publication date ("2021-07-08",
    "2021-07-08T10:00:00Z"); None when it gives no full date."""
    if not published:
        return None
    try:
        return date.fromisoformat(str(published)[:10]).toordinal()
    except ValueError:
        return None


class _When:
    """When the members of each column (a claim, or one unit) were published, and the
    entities their proposition names: what `TIME_WINDOW` reads."""

    def __init__(
        self, days: Sequence[tuple[int, int] | None], names: Sequence[frozenset[str]]
    ) -> None:
        self.lo = np.array([d[0] if d else np.nan for d in days], dtype=np.float64)
        self.hi = np.array([d[1] if d else np.nan for d in days], dtype=np.float64)
        self.names = names

    @classmethod
    def of_units(cls, units: Sequence[_Prepared]) -> _When:
        days = [(d, d) if (d := p.item.day) is not None else None for p in units]
        return cls(days, [entity_names(p.terms) for p in units])

    def apart_from(self, units: Sequence[_Prepared]) -> np.ndarray:
        """Whether each (unit, column) pair lies outside the window and names other entities."""
        day = np.array(
            [p.item.day if p.item.day is not None else np.nan for p in units], dtype=np.float64
        )
        with np.errstate(invalid="ignore"):
            out = (day[:, None] < self.lo[None, :] - TIME_WINDOW) | (
                day[:, None] > self.hi[None, :] + TIME_WINDOW
            )
        if not out.any():
            return out
        ids: dict[frozenset[str], int] = {}
        mine = np.array([ids.setdefault(entity_names(p.terms), len(ids)) for p in units])
        theirs = np.array([ids.get(n, -1) for n in self.names])
        named = np.array([len(entity_names(p.terms)) >= SAME_ENTITIES for p in units])
        same = (mine[:, None] == theirs[None, :]) & named[:, None]
        return out & ~same


def story_similarity(
    a: Sequence[np.ndarray | None], b: Sequence[np.ndarray | None]
) -> tuple[np.ndarray, np.ndarray]:
    """(cosine of the pairs' story vectors, whether both are known)."""
    dim = next((v.shape[0] for v in (*a, *b) if v is not None), 0)
    if not dim:
        return np.zeros((len(a), len(b)), dtype=np.float32), np.zeros((len(a), len(b)), bool)

    def stack(vs: Sequence[np.ndarray | None]) -> tuple[np.ndarray, np.ndarray]:
        known = np.array([v is not None for v in vs], dtype=bool)
        m = np.zeros((len(vs), dim), dtype=np.float32)
        for i, v in enumerate(vs):
            if v is not None:
                m[i] = v
        return m, known

    ma, ka = stack(a)
    mb, kb = stack(b)
    return ma @ mb.T, ka[:, None] & kb[None, :]


def _contexts(prepared: Sequence[_Prepared]) -> None:
    """Give each item the story vector of its article: the mean of the article's units'
    vectors, for an article of at least `CONTEXT_MIN_UNITS` units (a lone headline has no
    story to tell apart). All of an article's units are linked in one run."""
    by_article: dict[str, list[_Prepared]] = {}
    for p in prepared:
        if p.item.article_id is not None:
            by_article.setdefault(str(p.item.article_id), []).append(p)
    for group in by_article.values():
        if len(group) >= CONTEXT_MIN_UNITS:
            story = _unit(np.mean([p.vector for p in group], axis=0))
            for p in group:
                p.context = story


def _unit(v: np.ndarray) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else v


def _keep_apart(sim: np.ndarray, groups: Sequence[str | None]) -> None:
    """Set the similarity of two items of one ``apart`` group to the least possible."""
    by_group: dict[str, list[int]] = {}
    for i, g in enumerate(groups):
        if g is not None:
            by_group.setdefault(g, []).append(i)
    for idx in by_group.values():
        if len(idx) > 1:
            ix = np.ix_(idx, idx)
            diag = np.diag(sim)[idx].copy()
            sim[ix] = -1.0
            sim[idx, idx] = diag


def _average_linkage(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage groups of ``sim``'s indices, merged while their link >= threshold."""
    n = sim.shape[0]
    if n == 1:
        return [[0]]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    dist = 1.0 - (sim + sim.T) / 2.0
    np.fill_diagonal(dist, 0.0)
    z = linkage(squareform(np.clip(dist, 0.0, None), checks=False), method="average")
    labels = fcluster(z, t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def _claim_id(keys: Sequence[str]) -> str:
    digest = hashlib.sha1("\x1f".join(sorted(keys)).encode("utf-8")).hexdigest()
    return "claim-" + digest[:12]


FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _prepare(
    items: Sequence[ClaimItem], nlp: Language | None, embedder: Embedder | None
) -> tuple[list[_Prepared], list[Doc]]:
    if nlp is None:
        nlp = parser()
    # a Title Case headline parses as a row of proper nouns: it is read in sentence case
    docs = list(nlp.pipe([headline_case(it.text) for it in items], batch_size=64))
    props = [proposition_tokens(d) for d in docs]
    vectors: list[np.ndarray | None] = [
        None if it.embedding is None else _unit(np.asarray(it.embedding, dtype=np.float32))
        for it in items
    ]
    need = [i for i, v in enumerate(vectors) if v is None]
    if need:
        if embedder is None:
            from ..embedding.minilm import default_embedder

            embedder = default_embedder()
        texts = [" ".join(t.text for t in props[i]) or items[i].text for i in need]
        for i, v in zip(need, embedder.encode(texts), strict=True):
            vectors[i] = v
    prepared = [
        _Prepared(
            it,
            vectors[i],  # type: ignore[arg-type]
            key_terms(props[i]) | anchors(props[i]) | frame_terms(docs[i]),
            finite=any(t.tag_ in FINITE_TAGS for t in docs[i]),
            doc=docs[i],
        )
        for i, it in enumerate(items)
    ]
    return prepared, docs


def cluster_claims(
    items: Sequence[ClaimItem],
    *,
    existing: Sequence[ClaimCentroid] = (),
    threshold: float = THRESHOLD,
    bare_threshold: float = BARE_THRESHOLD,
    nlp: Language | None = None,
    embedder: Embedder | None = None,
) -> ClusterResult:
    """Place ``items`` in the ``existing`` claims or in new ones (see the module docstring).

    Items that reach ``threshold`` with an existing claim join the best one (all against the
    claims as they were, so the order of items does not matter); the others are clustered
    among themselves. Returns each item's assignment and the claims' updated centroids.
    """
    keys = [it.key for it in items]
    if len(set(keys)) != len(keys):
        raise ValueError("ClaimItem keys must be unique")
    items = sorted(items, key=lambda it: it.key)
    prepared, docs = _prepare(items, nlp, embedder) if items else ([], [])
    _contexts(prepared)
    space = _Space(prepared, existing)
    common = space.common(COMMON_SHARE)
    for p, d in zip(prepared, docs, strict=True):
        # a charge a statement discredits by name is never bare, however common its term
        p.bare = p.item.apart is None and bare_denial(d, common)
        p.denied = P.analyze(d).denied

    clusters = [
        _Cluster(
            c.claim_id,
            np.asarray(c.vector, dtype=np.float32) * c.size,
            c.size,
            Counter(c.terms),
            Counter(c.articles),
            c.label,
            c.text,
            new=False,
            context_sum=c.context,
            days=c.days,
        )
        for c in existing
    ]
    assignments: dict[str, Assignment] = {}
    placed: list[tuple[_Prepared, _Cluster]] = []
    pending = [p for p in prepared if not p.bare]
    live = [c for c in clusters if c.size > 0]
    if pending and live:
        sim = space.to_clusters(pending, live)
        best = sim.argmax(axis=1)
        rest = []
        for p, j, row in zip(pending, best, sim, strict=True):
            if row[j] >= threshold:
                placed.append((p, live[j]))
                assignments[p.item.key] = Assignment(
                    p.item.key, live[j].claim_id, round(float(row[j]), 4), False, False
                )
            else:
                rest.append(p)
        pending = rest
    for p, c in placed:
        c.add(p)
    if pending:
        sim = space.similarity(
            pending,
            np.stack([p.vector for p in pending]),
            [dict.fromkeys(p.terms, 1.0) for p in pending],
            b_contexts=[p.context for p in pending],
            b_when=_When.of_units(pending),
        )
        _keep_apart(sim, [p.item.apart for p in pending])
        for group in _average_linkage(sim, threshold):
            cl = _Cluster(
                _claim_id([pending[i].item.key for i in group]), np.zeros_like(pending[0].vector)
            )
            for i in group:
                cl.add(pending[i])
            clusters.append(cl)
            for i in group:
                s = 1.0 if len(group) == 1 else float(np.mean([sim[i, j] for j in group if j != i]))
                assignments[pending[i].item.key] = Assignment(
                    pending[i].item.key, cl.claim_id, round(s, 4), False, True
                )

    for p in (p for p in prepared if p.bare):
        target, score = _place_bare(p, clusters, space, bare_threshold)
        if target is None:
            target = _Cluster(_claim_id([p.item.key]), np.zeros_like(p.vector))
            clusters.append(target)
            score = 1.0
        assignments[p.item.key] = Assignment(
            p.item.key, target.claim_id, round(score, 4), True, target.new
        )
        target.add(p)

    return ClusterResult(
        [assignments[k] for k in sorted(assignments)],
        _centroids(clusters, assignments, prepared),
    )


def _place_bare(
    p: _Prepared, clusters: Sequence[_Cluster], space: _Space, bare_threshold: float
) -> tuple[_Cluster | None, float]:
    """The claim a bare denial discredits: the one with most members from its article before
    it (what the article has reported so far is what "all lies and rumors" answers), then
    with most members from its article, then the most similar."""
    live = [c for c in clusters if c.size > 0]
    if not live:
        return None, 0.0
    sims = space.to_clusters([p], live, blocked=False, averaged=False)[0]
    art = str(p.item.article_id) if p.item.article_id is not None else None
    options = [(c, float(s)) for c, s in zip(live, sims, strict=True) if s >= bare_threshold]
    if not options:
        return None, 0.0
    return max(
        options,
        key=lambda cs: (
            cs[0].before(art, p.item.start),
            cs[0].articles.get(art, 0) if art else 0,
            cs[1],
        ),
    )


def _centroids(
    clusters: Sequence[_Cluster], assignments: dict[str, Assignment], prepared: Sequence[_Prepared]
) -> list[ClaimCentroid]:
    members: dict[str, list[_Prepared]] = {}
    for p in prepared:
        members.setdefault(assignments[p.item.key].claim_id, []).append(p)
    out = []
    for cl in clusters:
        label, text = cl.label, cl.text
        if cl.new and cl.claim_id in members:
            ms = members[cl.claim_id]
            label, text = _label(ms, [m.denied for m in ms])
        out.append(
            ClaimCentroid(
                claim_id=cl.claim_id,
                vector=(cl.vector_sum / max(cl.size, 1)).astype(np.float32),
                size=cl.size,
                terms=dict(sorted(cl.terms.items())),
                articles=dict(sorted(cl.articles.items())),
                label=label,
                text=text,
                context=_unit(cl.context_sum) if cl.context_sum is not None else None,
                days=cl.days,
            )
        )
    return out


# ---------------------------------------------------------------- labels


def label_claim(
    texts: Sequence[str],
    *,
    nlp: Language | None = None,
    embedder: Embedder | None = None,
) -> str:
    """A claim's label: one plain sentence of at most 15 words, from the member that reads
    best as the claim (`claimgraph.claims.labels`): "Beijing is committing genocide against
    minorities in the far-western region." Assertions are preferred (a claim reads as what is
    claimed, not as its denial), then clauses with a named subject and a finite verb, then
    the member closest to the claim's centre."""
    return describe_claim(texts, nlp=nlp, embedder=embedder)[0]


def describe_claim(
    texts: Sequence[str],
    *,
    nlp: Language | None = None,
    embedder: Embedder | None = None,
) -> tuple[str, str]:
    """(label, representative sentence): see `label_claim`; the representative is the whole
    member text the label was cut from, the sentence stances are taken toward."""
    if not texts:
        return "", ""
    if nlp is None:
        nlp = parser()
    prepared, docs = _prepare([ClaimItem(str(i), t) for i, t in enumerate(texts)], nlp, embedder)
    return _label(prepared, [P.analyze(d).denied for d in docs])


def _label(members: Sequence[_Prepared], denied: Sequence[bool]) -> tuple[str, str]:
    """(label, representative sentence) of a claim's members."""
    vecs = np.stack([m.vector for m in members])
    sims = vecs @ _unit(vecs.mean(axis=0))
    found = [
        L.candidate(m.doc, content_root(m.doc)) if m.doc is not None else None for m in members
    ]

    def plain_frame(m: _Prepared) -> tuple[bool, bool, bool]:
        """(names its frame in so many words, "uses the pretext of …"; the frame's verb not
        negated; no negation at all): a framed claim reads best as its plain accusation,
        whatever falsity words the accusation carries ("to concoct malicious lies")."""
        f = F.pretext(m.doc) if m.doc is not None else None
        if f is None or not f.explicit or m.doc is None:
            return (False, False, False)
        return (True, not F.negated(m.doc, f), not any(t.dep_ == "neg" for t in m.doc))

    framed = [plain_frame(m) for m in members]

    def key(
        i: int,
    ) -> tuple[tuple[bool, bool, bool], tuple[int, int, int], bool, tuple, float, int]:
        c = found[i]
        rank = c.rank() if c else (0, 0, 0)
        first = rank if framed[i][0] else (0, 0, 0)
        return (framed[i], first, not denied[i], rank, round(float(sims[i]), 6), -i)

    rep = max(range(len(members)), key=key)
    text = " ".join(members[rep].item.text.split())
    best = found[rep]
    return (best.sentence if best else L.fallback(text)), text
