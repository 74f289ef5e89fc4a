"""Topics: the stored claims grouped by issue ("forced labor", "genocide", "visa
restrictions"), a level above the claims for browsing. The claim x outlet matrix and stance
stay on claims; a topic only says which claims are about the same thing.

`assign_topics(store)` recomputes every topic from the stored claims and writes them
(`Store.write_topics`), replacing the previous ones; it is cheap (it reads the claims' labels,
key terms and members' words, no model) and deterministic. Steps:

1. **Terms.** Each claim's texts are its label, its key terms and the words of its members
   that joined it by meaning (a rebuttal's words, "lies and rumors", say nothing of the
   issue). A term is a content word, case-folded, singular, British spellings folded
   ("labour" -> "labor"), or a pair of adjacent ones that recurs as one ("forced labor",
   "visa restrictions": `collocations`).
2. **Weights.** A term's weight in a claim is the share of the claim's texts that hold it
   (a term most members use is what the claim is about) times its idf over the claims,
   ln((N + 1) / (df + 1)): a term every claim shares names the corpus, not a topic, and
   weighs nothing.
3. **Grouping.** Claims are merged, most similar pair first, while the average cosine of
   their term vectors between the two groups is at least `THRESHOLD` (average linkage: one
   shared word between two claims of different groups does not chain them); then groups
   whose best name (step 4) is the same term are merged. A claim that joins no other is its
   own topic.
4. **Label.** The term that weighs most over the topic's claims, two-word terms raised and
   words that look like no noun lowered (`ranked_terms`), leaving out a term central to
   claims of more than `LABEL_MAX_DF` of the groups (the dispute's subject) and a speaker's
   name (a side of the dispute: "China", "Bachelet"), where it has another; as most often
   written. The id is a digest of the label, so a topic keeps its id (and its page) while
   claims join it.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from spacy.lang.en.stop_words import STOP_WORDS

from ..store import Store

# Groups of claims whose term vectors have an average cosine of at least this share a topic.
# On examples/corpus, pairs of claims about one issue score 0.2-0.5 (the displacement
# figures, the relocation villages, the river's flow, the talks) and pairs across issues
# mostly below 0.15; on the seeds the two forced-labour claims score 0.138, the human-rights-pretext claims 0.13-0.18,
# and pairs across issues (genocide / sanctions, genocide / visas) 0.07-0.08.
THRESHOLD = 0.13
MIN_PHRASE_TEXTS = 2
PHRASE_COHESION = 0.5
PHRASE_BONUS = 1.5  # "visa restrictions" names an issue better than "accusations"
NOT_NOUN = 0.25  # the weight, in labels, of a term that looks like no noun (`not_noun`)
LABEL_MAX_DF = 0.25
CENTRAL = 0.25  # a term in this share of a claim's texts is what the claim is about
KEY_TERMS = 5
INDEX_MAX_DF, INDEX_MIN_DF = 0.1, 20  # see `_similarities`
PAIR_FLOOR = 0.5  # see `_similarities`
LABEL_WORDS = 3  # a fallback label (a claim without any term) keeps this many words
# Words of attribution and of news copy that name no issue, on top of spaCy's stop words.
EXTRA_STOP = frozenset(
    """say said says tell told add added according state stated claim claimed claims
    accuse accused accusing deny denied denies call called calls report reported reports
    statement spokesman spokesperson spokeswoman official officials week month year today
    monday tuesday wednesday thursday friday saturday sunday news also like just including
    thing way time people""".split()
)
SPELLINGS = {
    "labour": "labor",
    "centre": "center",
    "centres": "centers",
    "uighur": "uyghur",
    "uighurs": "uyghurs",
    "defence": "defense",
    "programme": "program",
    "programmes": "programs",
    "organisation": "organization",
    "organisations": "organizations",
    "rumour": "rumor",
    "rumours": "rumors",
}
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_POSSESSIVE = re.compile(r"['’]s?$")  # "Beijing’s" as a label: "Beijing"
_SENTENCE_END = re.compile(r"[.!?:]")
_SPACE = re.compile(r"\s*")  # the only gap between two words of one run
# Word endings of verbs, adverbs and adjectives ("drowning", "reportedly", "religious",
# "internal"): a term ending so (or opening with a verb form: "repressing religious") rarely
# names an issue, and gives way in labels to one that does ("visa restrictions").
NOT_NOUN_ENDINGS = ("ing", "ed", "ly", "ous", "ive", "ful", "less", "able", "ible", "al", "ic")
NOT_NOUN_OPENINGS = ("ing", "ly")


def fold(word: str) -> str:
    """A word as terms compare it: case-folded, possessive and plural dropped, British
    spelling folded ("Labour's" -> "labor", "restrictions" -> "restriction")."""
    w = word.casefold().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = SPELLINGS.get(w, w)
    if len(w) <= 3 or w.endswith(("ss", "us", "is", "ous")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


def not_noun(term: str) -> bool:
    """Whether a term looks like no noun by its endings ("drowning", "repressing religious"
    but not "forced labor" or "visa restrictions")."""
    words = term.split(" ")
    return words[-1].endswith(NOT_NOUN_ENDINGS) or (
        len(words) > 1 and words[0].endswith(NOT_NOUN_OPENINGS)
    )


def _stop(word: str) -> bool:
    w = word.casefold()
    return w in STOP_WORDS or w in EXTRA_STOP or len(w) < 3


class Word(NamedTuple):
    term: str  # folded: `fold`
    written: str  # as written; "" for a key term (the link step folds its case)
    initial: bool = False  # a sentence's first word: its capital says nothing


Run = list[Word]  # content words with nothing but spaces between them
Surfaces = dict[str, Counter[tuple[str, bool]]]  # term -> (as written, initial) -> times


def _merged(claims: Iterable[ClaimTerms]) -> Surfaces:
    out: Surfaces = {}
    for c in claims:
        for t, forms in c.surfaces.items():
            out.setdefault(t, Counter()).update(forms)
    return out


def runs_of(text: str) -> list[Run]:
    """The runs of content words of a text: words with nothing but spaces between them (a
    stop word, a number or a punctuation mark ends a run)."""
    runs: list[Run] = []
    run: Run = []
    prev, prev_end = "", 0
    for m in _WORD.finditer(text):
        word, gap = m.group(), text[prev_end : m.start()]
        if run and not _SPACE.fullmatch(gap):
            runs.append(run)
            run = []
        if _stop(word) or _stop(fold(word)):
            if run:
                runs.append(run)
            run = []
        else:
            initial = not prev or bool(_SENTENCE_END.search(gap))
            run.append(Word(fold(word), word, initial))
        prev, prev_end = word.casefold(), m.end()
    if run:
        runs.append(run)
    return runs


def collocations(texts: Iterable[list[Run]]) -> dict[str, int]:
    """Pairs of adjacent content words that are one term ("forced labor", "human rights",
    "visa restrictions"): written in at least `MIN_PHRASE_TEXTS` texts, and in at least
    `PHRASE_COHESION` of the texts holding the rarer of its two words. Each with the
    number of texts it is written in."""
    pairs: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for runs in texts:
        words.update({w.term for run in runs for w in run})
        pairs.update(
            {f"{a.term} {b.term}" for run in runs for a, b in zip(run, run[1:], strict=False)}
        )
    return {
        p: n
        for p, n in pairs.items()
        if n >= MIN_PHRASE_TEXTS and n >= PHRASE_COHESION * min(words[w] for w in p.split(" "))
    }


def terms_of(runs: list[Run], phrases: Mapping[str, int]) -> list[Word]:
    """The terms of a text's runs: collocations (`phrases`) as one term, read left to right
    (of two that overlap, the more frequent: "reciprocal [visa restrictions]"), and the
    other words alone."""

    def pair(run: Run, i: int) -> int:
        return phrases.get(f"{run[i].term} {run[i + 1].term}", 0) if i + 1 < len(run) else 0

    out: list[Word] = []
    for run in runs:
        i = 0
        while i < len(run):
            w = run[i]
            if pair(run, i) and pair(run, i + 1) <= pair(run, i):
                nxt = run[i + 1]
                written = f"{w.written} {nxt.written}" if w.written and nxt.written else ""
                w = Word(f"{w.term} {nxt.term}", written, w.initial)
                i += 1
            out.append(w)
            i += 1
    return out


@dataclass
class ClaimTerms:
    """One claim as the grouping sees it: its terms' shares of its texts."""

    claim_id: str
    label: str
    n_members: int
    shares: dict[str, float] = field(default_factory=dict)
    surfaces: Surfaces = field(default_factory=dict)


def claim_texts(claim: dict[str, Any], member_texts: Iterable[str]) -> list[list[Run]]:
    """A claim's texts as runs: its label with its key terms (the link step's choice), then
    its members' words, each distinct text once."""
    texts = list(dict.fromkeys([claim["label"], *member_texts]))
    runs = [runs_of(t) for t in texts]
    for k in claim.get("key_terms") or ():  # "@ostra": a name, as the link step marks it
        runs[0] += [[w._replace(written="") for w in r] for r in runs_of(str(k).lstrip("@"))]
    return runs


def claim_terms(
    claim: dict[str, Any], texts: list[list[Run]], phrases: Mapping[str, int]
) -> ClaimTerms:
    """The terms of a claim (`claim_texts`): the share of its texts holding each."""
    counts: Counter[str] = Counter()
    surfaces: Surfaces = {}
    for runs in texts:
        found = terms_of(runs, phrases)
        counts.update(sorted({w.term for w in found}))  # a fixed order: the same sums
        for w in found:
            if w.written:
                surfaces.setdefault(w.term, Counter())[(w.written, w.initial)] += 1
    n = max(1, len(texts))
    return ClaimTerms(
        claim_id=claim["claim_id"],
        label=claim["label"],
        n_members=int(claim.get("n_members") or 0),
        shares={t: c / n for t, c in counts.items()},
        surfaces=surfaces,
    )


def _vectors(claims: Sequence[ClaimTerms]) -> tuple[list[dict[str, float]], dict[str, float]]:
    """Each claim's unit tf-idf vector, and the idf of each term over the claims."""
    df = Counter(t for c in claims for t in c.shares)
    n = len(claims)
    idf = {t: math.log((n + 1) / (d + 1)) for t, d in df.items()}
    vectors = []
    for c in claims:
        v = {t: s * idf[t] for t, s in c.shares.items() if idf[t] > 0}
        norm = math.sqrt(sum(w * w for w in v.values()))
        vectors.append({t: w / norm for t, w in v.items()} if norm else {})
    return vectors, idf


def _similarities(
    vectors: Sequence[dict[str, float]], threshold: float
) -> dict[tuple[int, int], float]:
    """Cosine of the pairs of claims (i < j) that share a term, from the terms held by at
    most `INDEX_MAX_DF` of the claims (or `INDEX_MIN_DF`): a term most claims hold weighs
    little in any pair and would make a pair of nearly every two claims. Pairs under
    `PAIR_FLOOR` times `threshold` are left out (0), as those of claims sharing nothing.
    One sparse product (scipy), so that thousands of claims take seconds."""
    import numpy as np
    from scipy import sparse

    df = Counter(t for v in vectors for t in v)
    most = max(INDEX_MIN_DF, INDEX_MAX_DF * len(vectors))
    column = {t: k for k, t in enumerate(sorted(t for t, n in df.items() if 1 < n <= most))}
    rows, cols, vals = [], [], []
    for i, v in enumerate(vectors):
        for t, w in v.items():
            k = column.get(t)
            if k is not None:
                rows.append(i)
                cols.append(k)
                vals.append(w)
    x = sparse.csr_matrix(
        (np.array(vals, dtype=np.float64), (rows, cols)), shape=(len(vectors), len(column))
    )
    pairs = sparse.triu(x @ x.T, k=1).tocoo()
    keep = pairs.data >= PAIR_FLOOR * threshold
    return {
        (int(i), int(j)): float(s)
        for i, j, s in zip(pairs.row[keep], pairs.col[keep], pairs.data[keep], strict=True)
    }


def group(n: int, sims: dict[tuple[int, int], float], threshold: float) -> list[list[int]]:
    """Average-linkage agglomeration of items 0..n-1 on sparse similarities (absent pairs
    are 0): the most similar pair of groups is merged first (ties by lowest indices) while
    their average similarity is at least `threshold`. Groups as sorted index lists."""
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    total: dict[int, dict[int, float]] = defaultdict(dict)  # group -> group -> sum of sims
    for (i, j), s in sims.items():
        total[i][j] = total[j][i] = s
    heap = [(-s, i, j) for (i, j), s in sims.items() if s >= threshold]
    heapq.heapify(heap)
    while heap:
        neg, a, b = heapq.heappop(heap)
        if a not in members or b not in members:
            continue
        avg = total[a].get(b, 0.0) / (len(members[a]) * len(members[b]))
        if abs(avg + neg) > 1e-12:
            continue  # stale: the pair's average changed since it was pushed
        members[a] += members.pop(b)  # the merged group keeps the lower id
        for k, s in total.pop(b).items():
            total[k].pop(b, None)
            if k != a:
                total[a][k] = total[k][a] = total[a].get(k, 0.0) + s
        for k, s in total[a].items():
            avg = s / (len(members[a]) * len(members[k]))
            if avg >= threshold:
                heapq.heappush(heap, (-avg, min(a, k), max(a, k)))
    return sorted(sorted(g) for g in members.values())


def ranked_terms(
    claims: Sequence[ClaimTerms], idf: Mapping[str, float], common: Container[str] = ()
) -> list[str]:
    """The terms of a group of claims, best name of the group first: by their weight over
    the claims (share times idf), two-word terms raised (`PHRASE_BONUS`), words that look
    like no noun and are no name lowered (`not_noun`, `NOT_NOUN`); `common` terms left out."""
    score: dict[str, float] = defaultdict(float)
    surfaces = _merged(claims)
    for c in claims:
        for t, s in c.shares.items():
            if idf.get(t, 0) > 0 and t not in common:
                score[t] += s * idf[t] * (PHRASE_BONUS if " " in t else 1.0)
    for t in score:
        if not_noun(t) and not _is_name(t, surfaces):
            score[t] *= NOT_NOUN
    return sorted(score, key=lambda t: (-score[t], t))


def _label(
    claims: Sequence[ClaimTerms], ranked: Sequence[str], taken: set[str]
) -> tuple[str, list[str]]:
    """The topic's label and its key terms, as written (see the module doc, step 4)."""
    surfaces = _merged(claims)
    label = None
    written: list[str] = []
    for t in ranked:
        w = _written(t, surfaces)
        if label is None and w.casefold() not in taken:
            label = w
        if len(written) < KEY_TERMS:
            written.append(w)
        if label is not None and len(written) == KEY_TERMS:
            break
    if label is not None:
        return label, written
    fallback = " ".join(claims[0].label.split()[:LABEL_WORDS]).strip(" ,.;:\"'“”") or "claims"
    n = 2
    label = fallback
    while label.casefold() in taken:
        label, n = f"{fallback} ({n})", n + 1
    return label, written


def _written(term: str, surfaces: Surfaces) -> str:
    """A term as most often written inside a sentence (a sentence's first word has its
    capital whatever it is), or anywhere if only ever seen opening one."""
    seen = surfaces.get(term, Counter())
    inner = Counter({w: n for (w, initial), n in seen.items() if not initial})
    forms = inner or Counter({w: n for (w, _), n in seen.items()})
    if not forms:
        return term
    # most often written; on a tie, in lower case
    return _POSSESSIVE.sub("", min(forms, key=lambda w: (-forms[w], w != w.lower(), w)))


def _is_name(term: str, surfaces: Surfaces) -> bool:
    """Whether a term is only ever written with a capital inside a sentence ("Bachelet",
    "OHCHR")."""
    forms = [w for w, initial in surfaces.get(term, ()) if not initial]
    return bool(forms) and all(w[:1].isupper() for w in forms)


def topic_id(label: str) -> str:
    """A topic's id: a digest of its label, case-folded."""
    return "topic-" + hashlib.sha1(label.casefold().encode("utf-8")).hexdigest()[:12]


def compute_topics(
    claims: Sequence[dict[str, Any]],
    member_texts: dict[str, list[str]],
    *,
    speakers: Iterable[str] = (),
    threshold: float = THRESHOLD,
) -> list[dict[str, Any]]:
    """Topics of `claims` (as `Store.claims()` yields them), from the words of each claim's
    members (`member_texts[claim_id]`): dicts with topic_id, label, key_terms, n_members and
    claim_ids (largest claim first), largest topic first. `speakers`: the members' speakers,
    whose names (`voice_terms`) name a voice, not an issue, and label no topic that has
    another term."""
    ordered = sorted(claims, key=lambda c: c["claim_id"])
    texts = [claim_texts(c, member_texts.get(c["claim_id"], ())) for c in ordered]
    phrases = collocations(t for per_claim in texts for t in per_claim)
    terms = [claim_terms(c, t, phrases) for c, t in zip(ordered, texts, strict=True)]
    vectors, idf = _vectors(terms)
    sims = _similarities(vectors, threshold)
    groups = [[terms[i] for i in g] for g in group(len(terms), sims, threshold)]
    ranked = _merge_same_names(groups, idf, voice_terms(speakers))
    order = sorted(
        range(len(groups)),
        key=lambda k: (
            -sum(c.n_members for c in groups[k]),
            -len(groups[k]),
            groups[k][0].claim_id,
        ),
    )
    taken: set[str] = set()
    topics = []
    for k in order:
        g = sorted(groups[k], key=lambda c: (-c.n_members, c.claim_id))
        label, key_terms = _label(g, ranked[k], taken)
        taken.add(label.casefold())
        topics.append(
            {
                "topic_id": topic_id(label),
                "label": label,
                "key_terms": key_terms,
                "n_members": sum(c.n_members for c in g),
                "claim_ids": [c.claim_id for c in g],
            }
        )
    return topics


def _head(term: str) -> str:
    """A two-word term's last word ("hold talk" -> "talk"); a word's is itself."""
    return term.rsplit(" ", 1)[-1]


def voice_terms(speakers: Iterable[str]) -> set[str]:
    """The terms that name a speaker: a name whole ("China", "Marenne") and a person's
    surname (the last word of a name of two or three capitalised words: "Michelle Bachelet")."""
    out: set[str] = set()
    for name in speakers:
        words = _WORD.findall(name)
        if not words:
            continue
        out.add(" ".join(fold(w) for w in words))
        if 2 <= len(words) <= 3 and all(w[:1].isupper() for w in words):
            out.add(fold(words[-1]))
    return out


def _merge_same_names(
    groups: list[list[ClaimTerms]], idf: Mapping[str, float], voices: Container[str] = ()
) -> list[list[str]]:
    """Merge (in place) the groups whose best name is the same term (or a two-word term
    and its head word), until every group has its own (see the module doc, step 3);
    returns each group's ranked terms. A term
    found in more than `LABEL_MAX_DF` of the groups (and more than two) names a side of the
    dispute or the corpus's subject ("China", "Valdoria", "human rights"), not one issue:
    it names a group only where nothing else does."""
    while True:
        in_groups = Counter(
            t for g in groups for t in {t for c in g for t, s in c.shares.items() if s >= CENTRAL}
        )
        most = max(2.0, LABEL_MAX_DF * len(groups))
        common = {t for t, n in in_groups.items() if n > most or t in voices}
        ranked = [ranked_terms(g, idf, common) or ranked_terms(g, idf) for g in groups]
        first: dict[str, int] = {}
        for k in range(len(groups)):
            if ranked[k]:
                first.setdefault(ranked[k][0], k)
        merged = False
        for k in range(len(groups)):
            if not ranked[k]:
                continue
            best = ranked[k][0]
            # the same name, or a two-word name whose head names another group:
            # "hold talks" and "talks", "forced labor" and "labor"
            into = first.get(best, k) if first.get(best, k) != k else first.get(_head(best), k)
            if into != k and groups[into]:
                groups[into] += groups[k]
                groups[k] = []
                merged = True
        if not merged:
            return ranked
        groups[:] = [g for g in groups if g]


def assign_topics(store: Store, *, threshold: float = THRESHOLD) -> int:
    """Group the stored claims into topics and write them (`Store.write_topics`), replacing
    the previous topics. Returns the number of topics."""
    claims = list(store.claims())
    # each claim's distinct member texts in their first order (`claim_texts` reads each
    # once): a corpus that repeats a sentence holds it once, not once per article
    texts: dict[str, dict[str, None]] = defaultdict(dict)
    speakers: set[str] = set()
    for m in store.member_words():
        texts[m["claim_id"]].setdefault(m["text"])
        if m.get("speaker"):
            speakers.add(m["speaker"])
    topics = compute_topics(
        claims,
        {k: list(v) for k, v in texts.items()},
        speakers=sorted(speakers),
        threshold=threshold,
    )
    store.write_topics(topics)
    return len(topics)
