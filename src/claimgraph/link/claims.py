"""Claims across articles: cluster statements that assert or deny the same proposition.

A claim gathers "China is committing genocide in Xinjiang" (Blinken), "the crimes of
'genocide' can never be attributed to China" (Wang Wenbin) and "all lies and rumors related
to Xinjiang have fallen apart" (Zhao Lijian): an assertion and its denials are one claim, and
each member's stance (affirm / deny / report) is worked out afterwards
(`claimgraph.analyze.stance`). So clustering works on the *proposition*, not the sentence:

1. **Proposition text.** The parse drops the reporting shell ("the State Department restated
   the assessment that …", "Hussain repeated the allegation of …") and the words that deny
   or discredit (negations, denial verbs, falsity labels, "so-called"): what is left is what
   the statement is about. It is embedded with MiniLM (`claimgraph.link.embed`).
2. **Key terms.** The content lemmas of the proposition (no reporting, denial or falsity
   words), weighted by inverse document frequency over the items and the existing claims, so
   that the words every statement of a corpus shares ("China", "Xinjiang") weigh little and
   the ones that name the charge ("genocide", "sanctions") weigh much.
3. **Similarity** = ``EMB_WEIGHT`` * cosine of the proposition embeddings + ``TERM_WEIGHT``
   * cosine of the key-term vectors, each vector with a prior mass of its own
   (``TERM_PRIOR``), so that sharing one's only key term counts for little.
4. **Incremental clustering.** Each new item joins the most similar existing claim when the
   similarity reaches ``threshold``; the rest are clustered among themselves by average-linkage
   agglomeration (stopping below ``threshold``) and found new claims.
5. **Bare denials** ("all lies and rumors related to Xinjiang have fallen apart", "His
   determination is nothing more than wasted paper") discredit a proposition without naming
   it. They join, among the claims within ``bare_threshold``, the one with the most members
   from the same article before them (the accusation the article has reported so far), then
   with the most members from the same article, else the most similar.

Everything is deterministic: items are processed in key order, ties broken by claim id.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from ..analyze import polarity as P

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

    from .embed import Embedder

THRESHOLD = 0.26
BARE_THRESHOLD = 0.2
EMB_WEIGHT = 0.5
TERM_WEIGHT = 0.5
LABEL_TERMS = 4
COMMON_SHARE = 0.1  # a term in >= 10% of the statements names the topic, not a claim
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


@dataclass(eq=False)
class ClaimCentroid:
    """A claim as the clustering keeps it between runs."""

    claim_id: str
    vector: np.ndarray  # mean of the members' unit proposition vectors
    size: int
    terms: dict[str, int] = field(default_factory=dict)  # key term -> members that have it
    articles: dict[str, int] = field(default_factory=dict)  # article id -> members
    label: str = ""  # representative sentence [key terms]
    text: str = ""  # the representative sentence alone: the claim to take a stance toward


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
        if c.dep_ == "prep" and c.lower_ in ("of", "about", "on"):
            objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if objs:
                return objs[0]
    return None


def content_root(doc: Doc) -> Token | None:
    """The head of what a sentence asserts, below its reporting shell."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if not roots:
        return None
    root = max(roots, key=lambda r: len(list(r.subtree)))
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
    it): the token indices are memoised on the doc (`claimgraph.analyze.polarity.memo`)."""
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

    Names (actors and places) and verbs are left to the embedding: every statement of a
    corpus on Xinjiang names China and Xinjiang, and the nouns are what tell its claims apart.
    """
    out = set()
    for t in tokens:
        lem = t.lemma_.lower()
        if t.pos_ == "NOUN" and t.is_alpha and not t.is_stop:
            if len(lem) > 2 and lem not in NOT_TERMS:
                out.add(lem)
    return out


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

    def add(self, p: _Prepared) -> None:
        self.vector_sum = self.vector_sum + p.vector
        self.size += 1
        self.terms.update(p.terms)
        if p.item.article_id is not None:
            self.articles[str(p.item.article_id)] += 1
            if p.item.start is not None:
                self.starts.setdefault(str(p.item.article_id), []).append(p.item.start)

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
                (j, w * self.idf[j]) for t, w in row.items() if (j := self.index.get(t)) is not None
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
    ) -> np.ndarray:
        """EMB_WEIGHT * cosine of embeddings + TERM_WEIGHT * cosine of idf term vectors."""
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
        return EMB_WEIGHT * (va @ vb.T) + TERM_WEIGHT * terms

    def to_clusters(self, a: Sequence[_Prepared], clusters: Sequence[_Cluster]) -> np.ndarray:
        vecs = np.stack([c.vector_sum for c in clusters])
        wanted = set().union(*(p.terms for p in a))  # a claim sharing none: no term vector
        terms = [
            {t: k / c.size for t, k in c.terms.items()} if not wanted.isdisjoint(c.terms) else {}
            for c in clusters
        ]
        return self.similarity(a, vecs, terms)


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
        from ..analyze.stance import default_analyzer

        nlp = default_analyzer().nlp
    docs = list(nlp.pipe([it.text for it in items], batch_size=64))
    props = [proposition_tokens(d) for d in docs]
    vectors: list[np.ndarray | None] = [
        None if it.embedding is None else _unit(np.asarray(it.embedding, dtype=np.float32))
        for it in items
    ]
    need = [i for i, v in enumerate(vectors) if v is None]
    if need:
        if embedder is None:
            from .embed import default_embedder

            embedder = default_embedder()
        texts = [" ".join(t.text for t in props[i]) or items[i].text for i in need]
        for i, v in zip(need, embedder.encode(texts), strict=True):
            vectors[i] = v
    prepared = [
        _Prepared(
            it,
            vectors[i],  # type: ignore[arg-type]
            key_terms(props[i]),
            finite=any(t.tag_ in FINITE_TAGS for t in docs[i]),
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
    sims = space.to_clusters([p], live)[0]
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
            )
        )
    return out


# ---------------------------------------------------------------- labels


def label_claim(
    texts: Sequence[str],
    *,
    nlp: Language | None = None,
    embedder: Embedder | None = None,
    n_terms: int = LABEL_TERMS,
) -> str:
    """A readable label: the member closest to the centroid, then the claim's key terms.

    "China continues its genocide and repression of ... [genocide, crime, humanity]".
    Assertions are preferred as the representative (a claim reads as what is claimed, not as
    its denial), whole clauses over fragments ("the camps as 'centers'"); the key terms are
    the nouns most members share.
    """
    if not texts:
        return ""
    if nlp is None:
        from ..analyze.stance import default_analyzer

        nlp = default_analyzer().nlp
    prepared, docs = _prepare([ClaimItem(str(i), t) for i, t in enumerate(texts)], nlp, embedder)
    return _label(prepared, [P.analyze(d).denied for d in docs], n_terms)[0]


def _label(
    members: Sequence[_Prepared], denied: Sequence[bool], n_terms: int = LABEL_TERMS
) -> tuple[str, str]:
    """(label, representative sentence)."""
    vecs = np.stack([m.vector for m in members])
    sims = vecs @ _unit(vecs.mean(axis=0))
    asserted = [i for i, d in enumerate(denied) if not d]
    pool = [i for i in asserted if members[i].finite] or asserted or list(range(len(members)))
    rep = max(pool, key=lambda i: (round(float(sims[i]), 6), -i))
    counts: Counter[str] = Counter()
    for m in members:
        counts.update(m.terms)
    ranked = sorted(counts.items(), key=lambda tc: (-tc[1], tc[0]))
    terms = [t for t, c in ranked if c > 1 or len(members) == 1][:n_terms]
    sentence = " ".join(members[rep].item.text.split())
    return (f"{sentence} [{', '.join(terms)}]" if terms else sentence), sentence
