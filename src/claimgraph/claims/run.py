"""The link step: place the statements and narrated sentences of newly stored articles in claims,
with each member's stance, and write them to the store (`claimgraph link`, and the end of
`claimgraph analyze` unless ``--no-link``).

**Units.** A stored statement gives one unit per sentence of its content, in its speaker's
voice (``speaker`` is the resolved speaker name as stored, or None when unresolved); a sentence
is also cut at coordinated content clauses ("that A, and that B"), and an attribution inside
the content is left out up to where the quotation resumes ('"…," said Blinken on Monday.
"…"': `claimgraph.extract.content.attribution_gap`, as the evaluation reads it). Each of the
outlet's own assertive sentences is a unit in the outlet's voice: a sentence outside every statement span (content
and cue), not a question, at least `MIN_WORDS` words, with a finite verb, without a leading
subordinate clause ("Days after China said …, the State Department restated …"). Sentences are
split with a rule-based sentencizer per line (cheap); the units' parses are sliced out of their
article's parse (`DocCache.prefill`) and reused by the clustering and the stance. Unit keys (and
member ids) are the statement id ("<article>:s<n>", "<article>:s<n>@<start>" for one of
several pieces) or "<article>:n<start>" for narration: stable, so ids do not depend on the
order articles arrive in.

**Incremental.** Only articles without a `linked_articles` row are read. Their units go to
`cluster_claims` against the stored claims *and* the stored candidates (see below): a unit
joins the most similar one when it reaches the threshold, the rest cluster among themselves.
Stored members are never moved; ``full=True`` forgets every claim and links the whole store
again. Articles are clustered `LINK_BATCH` (150) at a time, each batch in its own transaction
against what earlier batches stored, so memory stays bounded (average linkage is quadratic in
the units clustered together). Linking 3 articles and then 2 can differ from linking all 5 at
once: a claim founded by the first batch keeps its id and members, and a later unit that would
have tipped the first batch's clustering can only join a claim, never merge two. ``--full``
gives the all-at-once result for stores of up to `LINK_BATCH` articles, and the batched result
above that.

**Singletons.** A unit that no other unit joins is not stored as a claim (most narration
sentences are one-offs; they would flood the tables the report and UI read). It is kept in
`claim_candidates` with its embedding and key terms, offered as a partner to later articles,
and promoted to a claim (both members written) as soon as a unit joins it. So a stored claim
has at least `MIN_MEMBERS` (2) members, possibly from one article.

**Stance.** Each member's stance (affirm / deny / report) is taken toward the claim's
representative sentence with `claimgraph.claims.stance`. A statement the outlet carries keeps
the *speaker's* stance: the outlet's distancing verb ("he claimed") is not passed to the stance
model, so Blinken asserting genocide is `affirm` even where Press TV writes "what he claimed".
An attacking cue ("denounced", "rejected") is the speaker's own act, so it is read with the
content ("denounced Pompeo's allegations of genocide as the biggest setup": deny). A narrated
sentence is the outlet's own stance, hedges included. Stored members' stances, and a claim's
representative sentence, are not recomputed when the claim grows.

**Rebuttals.** A speaker's denial that names the other side's accusations only generically
("rejects claims of mistreating the Uighurs") is also a ``deny`` member (``via`` =
'rebuttal') of each claim that the other side affirms in the same article (`rebuttal_rows`);
only the articles of the run are read, so a claim promoted later from an older article's
candidate gets no rebuttals from that article (``full`` re-links them all).

**Cost.** Each unit is embedded once: the clustering embeds its proposition, and the stance
classifier was trained on proposition embeddings (`claimgraph.claims.stance`), so it reads the
same vectors from the run's `EmbedCache`. Units are not parsed on their own: `analyze` keeps
each article's parse from its extraction (`claimgraph.link.parses`) and a unit is a slice of
it; `claimgraph link` on its own parses each article once (NER off), so that `analyze` and
`link` read the same parses and make the same claims. A unit's polarity operators and
proposition are worked out once per parse (memoised on the doc). MiniLM is most of the step's
cost; ``CLAIMGRAPH_EMBED_THREADS=1`` spends less CPU, two threads finish sooner on an idle
machine. A re-run with nothing new costs a query. What each part costs is measured in
docs/benchmarks.md (speed section).

**Workers.** With an engine's workers (``--workers``, ``--engine ray``: `link_store`'s
``workers``), the articles are parsed, the units embedded and the members' stance scored on
them (`claimgraph.claims.distributed`); the clustering, which reads what earlier batches
stored, and every write stay in this process. The claims are the same.

Models load once per process: the spaCy pipeline (shared with extraction), the MiniLM embedder
and the stance model (loading MiniLM costs ~0.5 s of CPU). Within a run every text is parsed
and embedded at most once.

**Encoder.** ``encoder="static"`` (``--encoder static``) embeds with the static table distilled
from MiniLM (`claimgraph.embedding.static`), ~80x cheaper than MiniLM, with its own threshold and
stance model (`claimgraph.claims.encoders`). A store's claims and candidates must all come from
one encoder: linking new articles into another encoder's claims is refused, ``full`` switches.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from ..extract.content import attribution_gap
from ..extract.verbs import default_lexicon, is_put_question, negated_cue
from ..link.actors import link_actors
from ..link.sides import INTERNATIONAL, NO_SPEAKER, UNKNOWN, Affiliations
from ..words import plural
from . import polarity as P
from .caches import DocCache, EmbedCache
from .clusters import (
    ANCHOR_MARKS,
    FINITE_TAGS,
    LABEL_TERMS,
    ClaimCentroid,
    ClaimItem,
    ClusterResult,
    cluster_claims,
    day_number,
)
from .distributed import LinkWorkers, parses_from_workers, score_stances
from .stance import AFFIRM, DENY, REPORT
from .text import headline_case
from .topics import assign_topics

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..embedding.minilm import Embedder
    from ..store import Store
    from .encoders import Encoder
    from .stance import StanceAnalyzer, StanceResult

# An article's kept parse (`claimgraph.extract.parsebin`) by its id, None where none was kept.
ParseSource = Callable[[str], "bytes | None"]
MIN_WORDS = 4  # shorter statements ("concern", "to resign") and sentences are no claim
MIN_MEMBERS = 2  # a claim is stored once a second unit joins it
# Articles clustered together in one pass. Average linkage holds a units x units similarity
# matrix (several float64 copies): all 924 PolNeAR articles at once (~27,000 units) took
# 17.6 GB. A batch of 150 articles (~4,500 units) stays in a few hundred MB; later batches
# join the claims and candidates of earlier ones, as a later `link` run would.
LINK_BATCH = 150
ATTACKING = "attacking"  # claimgraph.extract.records.ATTACKING: denounced, rejected, refuted
LEADING_PUNCT = "(–—-•*|"
OPEN_QUOTES = '"“‘«'
AND_THAT = re.compile(r",?\s+and\s+that\s+")
# "false allegations such as …", "groundless accusations of …" (see `discredited_spans`).
DISCREDITED = re.compile(
    r"\b(?:so-called|"
    + "|".join(sorted(P.FALSITY_ADJS, key=len, reverse=True))
    + r")\s+(?:allegations?|accusations?|claims?|charges?)\s+(?:such\s+as|of|about)\s+",
    re.IGNORECASE,
)
PHRASE_STOP = re.compile(r"[,.;:]|\s(?:as|and|but|which|who)\s")
PHRASE_CHARS = 200  # a discredited phrase ends at the next comma, or this far on
MAX_TERMS = 8  # quoted terms taken from one "such as" list (a longer one is not a list of charges)
QUOTED_TERM = re.compile(r"[\"“‘'«][^\"”’'»\n]{1,60}[\"”’'»]")
QUOTED_LIST = re.compile(r"(?:[\"“‘'«][^\"”’'»\n]{1,60}[\"”’'»],?\s*(?:and\s+|or\s+)?)+")
# A sentence opening with a subordinate clause: "Days after …,", "As …,", "Despite …,".
LEADING_CLAUSE = re.compile(
    r"(?:(?:\w+\s+){0,2}(?:after|before|since)|as|while|when|although|though|because|if|"
    r"despite|following|amid|in response to|even as|even though)\b",
    re.IGNORECASE,
)
SPEAKER, OUTLET = "speaker", "outlet"
# Words that attribute what follows to someone else: a speaker's words holding one relay.
RELAYING = re.compile(
    r"\b(?:say|says|said|saying|tells?|told|reports?|reported|reportedly|claims?|claimed|"
    r"alleged(?:ly)?|alleges?|allegations?|accusations?|according|suggests?|believes?|"
    r"rumou?rs?|sources?)\b",
    re.IGNORECASE,
)
MEANING, REBUTTAL = "meaning", "rebuttal"  # how a member joined its claim (`rebuttal_rows`)
# What a denial names when it names the other side's accusations only generically.
ACCUSATIONS = re.compile(
    r"\b(?:lies|allegations?|accusations?|claims|charges|rumou?rs|smears?|slanders?|"
    r"fabrications?|falsehoods?|disinformation|misinformation|false narratives?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Unit:
    """A statement or narrated sentence to place in a claim."""

    key: str  # the statement id, or "<article id>:n<start>" for narration (the member id)
    article_id: str
    statement_id: str | None
    voice: str  # speaker | outlet
    speaker: str | None
    text: str
    start: int
    end: int
    stance_text: str | None = None  # what the stance is read from, when not `text`
    claim_text: str | None = None  # what is clustered, when not `text` (see `discredited_spans`)
    apart: str | None = None  # units that never found a claim together (`ClaimItem.apart`)
    side: str | None = None  # the speaker's country, where known (`rebuttal_rows`)


@dataclass
class LinkSummary:
    """What one link run did."""

    articles: int = 0  # articles linked in this run
    units: int = 0  # statements and narrated sentences placed
    new_claims: int = 0
    grown_claims: int = 0  # stored claims that gained members
    members_added: int = 0
    candidates: int = 0  # units waiting for a partner (claims of one), after the run
    claims: int = 0  # stored claims, after the run
    full: bool = False
    actors: int = 0  # speaker names folded into another's actor (claimgraph.link.actors)
    encoder: str = ""  # the sentence encoder the store is linked with (claimgraph.claims.encoders)
    embed_workers: int = 0  # workers (processes, Ray actors) that embedded; 0: this process
    workers: int = 0  # workers that parsed the articles and scored stance; 0: this process
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "encoder": self.encoder,
            "articles": self.articles,
            "units": self.units,
            "new_claims": self.new_claims,
            "grown_claims": self.grown_claims,
            "members_added": self.members_added,
            "candidates": self.candidates,
            "claims": self.claims,
            "full": self.full,
            "actors": self.actors,
            "embed_workers": self.embed_workers,
            "workers": self.workers,
            "seconds": round(self.seconds, 3),
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }

    def line(self) -> str:
        if not self.articles and not self.full:
            return f"link: nothing new to link ({plural(self.claims, 'claim')})"
        return (
            f"link: {plural(self.articles, 'article')}, {plural(self.units, 'unit')} -> "
            f"{plural(self.new_claims, 'new claim')}, {self.grown_claims:,} grown, "
            f"{plural(self.members_added, 'member')} added; {plural(self.claims, 'claim')} in "
            f"all; {self.encoder} encoder ({self.seconds:.1f}s)"
        )


@lru_cache(maxsize=1)
def _sentencizer() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


# ---------------------------------------------------------------- units


def _n_words(text: str) -> int:
    return sum(any(c.isalpha() for c in w) for w in text.split())


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in LEADING_PUNCT):
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence of ``text[start:end]``, split per line by a rule-based
    sentencizer, trimmed of spaces and of leading dashes and brackets."""
    nlp = _sentencizer()
    end = len(text) if end is None else end
    offset = start
    for line in text[start:end].split("\n"):
        if line.strip():
            for sent in nlp(line).sents:
                s, e = offset + sent.start_char, offset + sent.end_char
                # The sentencizer leaves a quote that opens the next sentence on this one.
                if s > offset and text[s - 1] in OPEN_QUOTES:
                    s -= 1
                if e - s > 1 and text[e - 1] in OPEN_QUOTES and text[e - 2].isspace():
                    e -= 1
                s, e = _trim(text, s, e)
                if e > s:
                    yield s, e
        offset += len(line) + 1


def _without(text: str, s: int, e: int, cuts: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """``text[s:e]`` without the stretches ``cuts`` ('"…," said Blinken. "…"': the
    attribution), which may begin before it or end after it."""
    out, pos = [], s
    for a, b in sorted(cuts):
        if b <= pos or a >= e:
            continue
        out.append(_trim(text, pos, a))
        pos = max(pos, b)
    out.append(_trim(text, pos, e))
    return [(a, b) for a, b in out if b > a]


def discredited_spans(text: str, s: int, e: int) -> list[tuple[int, int, str]]:
    """Allegations a sentence discredits in passing, as their own propositions: in "the fact
    that this assessment did not play up false allegations such as 'genocide', 'forced labor'
    … shows that the lies … have collapsed" the speaker denies the genocide charge and the
    forced-labour charge, though the sentence is about something else. Each "<falsity
    adjective> <allegations> such as|of|about X" gives (start, end, text): one per quoted term
    when X is a list of them ("false allegations such as 'genocide'"; the first spans the
    phrase, a later one only its term), else the phrase up to the next comma."""
    out = []
    for m in DISCREDITED.finditer(text, s, e):
        q = QUOTED_LIST.match(text, m.end(), e)
        if q is not None:
            terms = itertools.islice(QUOTED_TERM.finditer(text, q.start(), q.end()), MAX_TERMS)
            for n, term in enumerate(terms):
                # the first term's span holds the phrase ("false allegations such as
                # 'genocide'"); a later one's only the term, its phrase is not contiguous
                start = m.start() if n == 0 else term.start()
                out.append((start, term.end(), m.group(0) + term.group(0)))
            continue
        limit = min(e, m.end() + PHRASE_CHARS)
        stop = PHRASE_STOP.search(text, m.end(), limit)
        lo, hi = _trim(text, m.start(), stop.start() if stop else limit)
        if _n_words(text[lo:hi]) >= MIN_WORDS:
            out.append((lo, hi, text[lo:hi]))
    return out


def clause_spans(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """A statement sentence cut at coordinated content clauses: "that A, and that B" asserts
    A and B, two propositions ("saying that Bachelet's visit had 'clarified misinformation,'
    and that 'all lies and rumors related to Xinjiang have fallen apart'")."""
    out, pos = [], s
    for m in AND_THAT.finditer(text, s, e):
        out.append(_trim(text, pos, m.start()))
        pos = m.end()
    out.append(_trim(text, pos, e))
    return [(a, b) for a, b in out if b > a]


def main_clause(text: str, s: int, e: int) -> tuple[int, int]:
    """A narrated sentence without its leading subordinate clause ("Days after China said …,
    the State Department restated …"): that clause is context, often someone else's words,
    and not what the outlet asserts."""
    m = LEADING_CLAUSE.match(text, s, e)
    if m is None:
        return s, e
    comma = text.find(", ", m.end(), e)
    if comma < 0 or _n_words(text[comma + 2 : e]) < MIN_WORDS:
        return s, e
    return _trim(text, comma + 2, e)


def _overlaps(span: tuple[int, int], covered: Sequence[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in covered)


def has_finite_verb(doc: Doc) -> bool:
    return any(t.tag_ in FINITE_TAGS for t in doc)


_RELAY_DEPS = frozenset({"ROOT", "xcomp", "ccomp", "acl", "relcl", "conj", "advcl"})
_FIRST_PERSON = frozenset({"i", "we"})


def relayed(doc: Doc) -> bool:
    """Whether a narrated sentence relays someone else's saying (see `relayed_by`)."""
    return relayed_by(doc) is not None


def relayed_by(doc: Doc) -> str | None:
    """Who a narrated sentence relays, when it relays someone else's saying rather than
    asserting: its main predicate, or a verb hanging off it ("became the first country to
    declare ..."), is a speech or judgement verb with a third-party subject ("the State
    Department restated the U.S. assessment that ...", "China has denied the allegations").
    Returns that subject's words (leading article dropped), else None. Such a sentence is a
    statement the extractor did not mark: the subject's stance, carried by the outlet. The
    verbs are the reporting lexicon's classes, judgement verbs and publishing verbs."""
    lex = default_lexicon()
    for root in (t for t in doc if t.dep_ == "ROOT"):
        subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.lower_ in _FIRST_PERSON or subj.pos_ == "PRON":
            continue
        words = list(subj.subtree)
        while words and words[0].dep_ == "det":
            words = words[1:]
        who = doc[words[0].i : words[-1].i + 1].text if words else subj.text
        todo, seen = [root], 0
        while todo and seen < 12:
            t = todo.pop()
            seen += 1
            lemma = t.lemma_.lower()
            if t.pos_ == "VERB" and (lemma in lex.classes or lemma in lex.judging):
                return who
            if lemma in lex.publishing:
                return who  # "the State Department released its report placing China ..."
            todo.extend(
                c for c in t.children if c.dep_ in _RELAY_DEPS and c.pos_ in ("VERB", "AUX", "NOUN")
            )
            todo.extend(
                g
                for c in t.children
                if c.dep_ in ("dobj", "attr")
                for g in c.children
                if g.dep_ in ("acl", "relcl") and g.pos_ == "VERB"
            )
    return None


def _is_question(sentence: str) -> bool:
    return sentence.rstrip("\"'”’ )").endswith("?")


def headline_span(text: str, title: str | None) -> tuple[int, int] | None:
    """Where the article's headline stands as its first line, if it does: a headline is one
    assertion ("State Dept. Again Accuses China of 'Genocide'"), never split at an
    abbreviation's full stop."""
    if not title or not title.strip():
        return None
    s, e = _trim(text, 0, len(text))
    line_end = text.find("\n", s)
    line_end = len(text) if line_end < 0 else line_end
    s, e = _trim(text, s, line_end)
    return (s, e) if " ".join(text[s:e].split()) == " ".join(title.split()) else None


def narration_spans(
    text: str, covered: Sequence[tuple[int, int]], title: str | None = None
) -> list[tuple[int, int]]:
    """Sentences that may be the outlet's own assertions: outside every statement span, not
    questions, at least `MIN_WORDS` words, cut to their main clause (the finite-verb test
    needs the parse: see `gather_units`). The headline, when the text opens with it, is one
    such sentence (`headline_span`)."""
    out = []
    head = headline_span(text, title)
    spans = list(sentence_spans(text))
    if head is not None:
        spans = [head] + [(s, e) for s, e in spans if not _overlaps((s, e), [head])]
    for s, e in spans:
        if _overlaps((s, e), covered) or _is_question(text[s:e]):
            continue
        s, e = main_clause(text, s, e)
        if _n_words(text[s:e]) >= MIN_WORDS:
            out.append((s, e))
    return out


def statement_units(aid: str, text: str, st: dict[str, Any], side: str | None = None) -> list[Unit]:
    """A statement's units: one per sentence and coordinated "that" clause of its content.
    An attacking cue ("denounced", "rejected") is the speaker's own act, so the stance is read
    from cue + content ("denounced … allegations of genocide as the biggest setup"); the
    outlet's distancing cues ("claimed") are left out (the speaker's stance is kept). A
    negated cue, or a question put to a speaker, gives no units (`negated_cue`,
    `is_put_question`)."""
    if negated_cue(text, st) or is_put_question(st.get("cue"), st.get("speaker")):
        return []
    lo, hi = st["start_char"], st["end_char"]
    gap = attribution_gap(
        text,
        lo,
        hi,
        st.get("kind"),
        (
            (st.get("cue_start"), st.get("cue_end")),
            (st.get("speaker_start"), st.get("speaker_end")),
        ),
    )
    pieces = [
        piece
        for s, e in sentence_spans(text, lo, hi)
        for part in _without(text, s, e, [gap] if gap else [])
        for piece in clause_spans(text, *part)
    ]
    # an accusation names its charge in few words: "Accuses China of 'Genocide'"
    attacking = st.get("cue_class") == ATTACKING and st.get("cue")
    least = MIN_WORDS - 1 if attacking else MIN_WORDS
    pieces = [(s, e) for s, e in pieces if _n_words(text[s:e]) >= least]
    starts = {s for s, _ in pieces}
    found = [(s, e, text[s:e], False) for s, e in pieces] + [
        (a, b, words, True)
        for s, e in pieces
        for a, b, words in discredited_spans(text, s, e)
        if (a, b) != (s, e) and a not in starts
    ]
    units = []
    for s, e, words, charge in found:
        key = st["id"] if len(found) == 1 else f"{st['id']}@{s}"
        stance_text = f"{st['cue']} {words}" if attacking else None
        claim_text = words if words != text[s:e] else None
        # the charges one statement discredits are distinct allegations
        apart = st["id"] if charge else None
        units.append(
            Unit(
                key,
                aid,
                st["id"],
                SPEAKER,
                st["speaker"],
                text[s:e],
                s,
                e,
                stance_text,
                claim_text,
                apart,
                side,
            )
        )
    return units


def article_units(article: dict[str, Any], statements: Sequence[dict[str, Any]]) -> list[Unit]:
    """The statement units and the narration *candidates* of one stored article. A
    statement with no speaker inside another one ("Wang said it once again shows that …")
    gives no units of its own: the outer speaker's units hold its words."""
    aid, text = article["id"], article["text"]
    units = []
    covered: list[tuple[int, int]] = []
    spans = [(st["start_char"], st["end_char"]) for st in statements]
    side = _sides(statements)
    for st in statements:
        covered.append((st["start_char"], st["end_char"]))
        if st.get("cue_start") is not None and st.get("cue_end") is not None:
            covered.append((st["cue_start"], st["cue_end"]))
        if not st.get("speaker") and _inside_another(st, spans):
            continue
        units.extend(statement_units(aid, text, st, side(st)))
    for s, e in narration_spans(text, covered, article.get("title")):
        units.append(Unit(f"{aid}:n{s}", aid, None, OUTLET, None, text[s:e], s, e))
    return units


def _sides(statements: Sequence[dict[str, Any]]) -> Callable[[dict[str, Any]], str | None]:
    """A statement's side: the country of its voice, as the profiles read it from the
    article's own statements (`Affiliations.country_of_statement`); None where unknown or a
    body of many states."""
    known = Affiliations(statements, [])

    def side(st: dict[str, Any]) -> str | None:
        country = known.country_of_statement(st)
        return None if country in (UNKNOWN, NO_SPEAKER, INTERNATIONAL) else country

    return side


def _inside_another(st: dict[str, Any], spans: Sequence[tuple[int, int]]) -> bool:
    lo, hi = st["start_char"], st["end_char"]
    return any(s <= lo and hi <= e and (s, e) != (lo, hi) for s, e in spans)


def gather_units(
    store: Store,
    docs: DocCache,
    articles: Sequence[dict[str, Any]],
    parses: ParseSource | None = None,
) -> tuple[list[Unit], dict[str, int]]:
    """Units of the articles to link, and each article's unit count (0 included). Their
    parses come from their articles' (`DocCache.articles`)."""
    units: list[Unit] = []
    per_article: dict[str, int] = {}
    for article, parsed_article in zip(articles, docs.articles(articles, parses), strict=True):
        statements = list(store.statements(article["id"]))
        found = article_units(article, statements)
        docs.prefill(parsed_article, found)
        narration = [u for u in found if u.voice == OUTLET]
        # a Title Case headline is read in sentence case (`headline_case`)
        parsed = docs.pipe([headline_case(u.text) for u in narration])
        keep = {u.key for u, d in zip(narration, parsed, strict=True) if has_finite_verb(d)}
        found = [u for u in found if u.voice == SPEAKER or u.key in keep]
        units.extend(found)
        per_article[article["id"]] = len(found)
    return units, per_article


# ---------------------------------------------------------------- claims


def key_terms(terms: dict[str, int], size: int, n: int = LABEL_TERMS) -> list[str]:
    """The nouns most members share (all of them for a claim of one), most shared first."""
    ranked = sorted(
        ((t, c) for t, c in terms.items() if t[0] not in ANCHOR_MARKS),
        key=lambda tc: (-tc[1], tc[0]),
    )
    return [t for t, c in ranked if c > 1 or size == 1][:n]


def _vector(blob: bytes | None) -> np.ndarray:
    return np.frombuffer(blob or b"", dtype=np.float32).copy()


def _blob(v: np.ndarray) -> bytes:
    return np.asarray(v, dtype=np.float32).tobytes()


def _context(blob: bytes | None) -> np.ndarray | None:
    """A stored story vector; None where none is known."""
    return _vector(blob) if blob else None


def _context_blob(v: np.ndarray | None) -> bytes | None:
    return _blob(v) if v is not None else None


def _existing(
    claims: Sequence[dict[str, Any]], candidates: Sequence[dict[str, Any]]
) -> list[ClaimCentroid]:
    out = [
        ClaimCentroid(
            claim_id=c["claim_id"],
            vector=_vector(c["centroid"]),
            size=int(c["n_members"]),
            terms=dict(c["terms"]),
            articles=dict(c["articles"]),
            label=c["label"],
            text=c["text"],
            context=_context(c.get("context")),
            days=_span(c.get("published", ())),
        )
        for c in claims
    ]
    out.extend(
        ClaimCentroid(
            claim_id=u["candidate_id"],
            vector=_vector(u["centroid"]),
            size=1,
            terms=dict.fromkeys(u["terms"], 1),
            articles={u["article_id"]: 1},
            label=u["text"],
            text=u["text"],
            context=_context(u.get("context")),
            days=_span([u.get("published")]),
        )
        for u in candidates
    )
    return out


def _span(published: Iterable[str | None]) -> tuple[int, int] | None:
    """First and last day of the publication dates that give a full date."""
    days = [d for p in published if (d := day_number(p)) is not None]
    return (min(days), max(days)) if days else None


def _unit_of_candidate(u: dict[str, Any]) -> Unit:
    return Unit(
        u["unit_key"],
        u["article_id"],
        u["statement_id"],
        u["voice"],
        u["speaker"],
        u["text"],
        u["start"],
        u["end"],
        u["stance_text"],
    )


@dataclass
class _Plan:
    """What a run writes: claims (new or grown), members to add with their claim text."""

    claims: list[dict[str, Any]] = field(default_factory=list)
    members: list[tuple[Unit, str, float | None]] = field(default_factory=list)  # claim id
    claim_text: dict[str, str] = field(default_factory=dict)
    candidates: list[dict[str, Any]] = field(default_factory=list)
    drop_candidates: list[str] = field(default_factory=list)
    new_claims: int = 0
    grown_claims: int = 0


def plan_links(
    result: ClusterResult,
    units: Sequence[Unit],
    stored: Sequence[dict[str, Any]],
    candidates: Sequence[dict[str, Any]],
    *,
    nlp: Any,
    embedder: Any,
) -> _Plan:
    """Turn a clustering into rows: grown claims, promoted candidates, new claims of
    `MIN_MEMBERS` or more, and new candidates."""
    from .clusters import describe_claim

    by_key = {u.key: u for u in units}
    joined: dict[str, list[tuple[Unit, float]]] = {}
    for a in result.assignments:
        joined.setdefault(a.claim_id, []).append((by_key[a.key], a.similarity))
    stored_ids = {c["claim_id"] for c in stored}
    cands = {u["candidate_id"]: u for u in candidates}
    plan = _Plan()
    for c in result.centroids:
        new = joined.get(c.claim_id, [])
        if c.claim_id in stored_ids:
            if not new:
                continue
            label, text = c.label, c.text
            plan.grown_claims += 1
        elif c.claim_id in cands:
            if not new:
                continue
            cand = cands[c.claim_id]
            first = _unit_of_candidate(cand)
            sim = round(float(np.mean([s for _, s in new])), 4)
            new = [(first, sim), *new]
            texts = [u.claim_text or u.text for u, _ in new]
            label, text = describe_claim(texts, nlp=nlp, embedder=embedder)
            plan.drop_candidates.append(c.claim_id)
            plan.new_claims += 1
        elif c.size >= MIN_MEMBERS:
            label, text = c.label, c.text
            plan.new_claims += 1
        else:
            ((unit, _),) = new
            plan.candidates.append(
                {
                    "candidate_id": c.claim_id,
                    "unit_key": unit.key,
                    "article_id": unit.article_id,
                    "statement_id": unit.statement_id,
                    "voice": unit.voice,
                    "speaker": unit.speaker,
                    # a discredited allegation's stance reads its phrase, not the bare term
                    "stance_text": unit.stance_text or unit.claim_text,
                    "text": unit.text,
                    "start": unit.start,
                    "end": unit.end,
                    "centroid": _blob(c.vector),
                    "context": _context_blob(c.context),
                    "terms": sorted(c.terms),
                }
            )
            continue
        terms = key_terms(c.terms, c.size)
        plan.claims.append(
            {
                "claim_id": c.claim_id,
                "new": c.claim_id not in stored_ids,
                "label": label,
                "key_terms": terms,
                "centroid": _blob(c.vector),
                "context": _context_blob(c.context),
                "n_members": c.size,
                "terms": dict(c.terms),
                "text": text,
            }
        )
        plan.claim_text[c.claim_id] = text
        plan.members.extend((u, c.claim_id, s) for u, s in new)
    return plan


def speaker_stance(unit: Unit, result: StanceResult) -> str:
    """A member's stance, where a speaker's own hedge is not a report: "goods from Xinjiang
    are most likely derived from forced labor", said by the customs agency, is the agency's
    assessment (affirm), while "China's claim to have shut down the centres", said by
    Bachelet, relays a third party (report). So a speaker's member that the classifier alone
    reads as a report is an affirmation unless its words attribute the content to someone
    (`RELAYING`)."""
    if (
        unit.voice == SPEAKER
        and result.label == REPORT
        and all(r.startswith("classifier") for r in result.reasons)
        and not RELAYING.search(unit.stance_text or unit.claim_text or unit.text)
    ):
        return AFFIRM
    return result.label


def member_rows(
    plan: _Plan,
    analyzer: StanceAnalyzer,
    docs: DocCache | None = None,
    *,
    encoder: str | None = None,
    workers: LinkWorkers | None = None,
) -> list[dict[str, Any]]:
    """The members to write, each with its stance toward its claim's representative sentence,
    scored here or on ``workers`` (`claimgraph.claims.distributed.score_stances`; ``encoder``
    names the stance model there). No cue class is passed: a carried statement keeps its
    speaker's stance. A narrated sentence that relays a third party's saying (`relayed_by`)
    becomes that party's member (speaker voice, no statement id): the outlet carries it, as
    it carries a statement."""
    results = score_stances(
        analyzer,
        [u.stance_text or u.claim_text or u.text for u, _, _ in plan.members],
        [plan.claim_text[c] for _, c, _ in plan.members],
        [u.voice == OUTLET for u, _, _ in plan.members],
        encoder=encoder,
        workers=workers,
    )
    narrated = [u for u, _, _ in plan.members if u.voice == OUTLET]
    relays: dict[str, str] = {}
    if docs is not None and narrated:
        parsed = docs.pipe([headline_case(u.text) for u in narrated])
        for u, d in zip(narrated, parsed, strict=True):
            if (who := relayed_by(d)) is not None:
                # the words as written: `headline_case` keeps every character's offset
                at = d.text.find(who)
                relays[u.key] = u.text[at : at + len(who)] if at >= 0 else who
    return [
        {
            "member_id": u.key,
            "claim_id": claim_id,
            "article_id": u.article_id,
            "statement_id": u.statement_id,
            "voice": SPEAKER if u.key in relays else u.voice,
            "speaker": relays.get(u.key, u.speaker if u.voice == SPEAKER else None),
            "stance": speaker_stance(u, r),
            "text": u.text,
            "start": u.start,
            "end": u.end,
            "similarity": sim,
            "via": MEANING,
        }
        for (u, claim_id, sim), r in zip(plan.members, results, strict=True)
    ]


def rebuttal_rows(
    plan: _Plan, members: Sequence[dict[str, Any]], articles: Iterable[str]
) -> list[dict[str, Any]]:
    """Members a careful reader adds: a speaker's denial that names the accusations only
    generically ("China rejects claims of mistreating the Uighurs", "officials who concocted
    lies about human rights") joins its own claim by its words, but it also denies each
    accusation the other side makes in the same article ("Blinken called on China to end the
    ongoing genocide"). So in each of ``articles`` (those this run links: a member of an
    earlier run is never revisited), a speaker's such denials make one ``deny`` member
    (``via`` = 'rebuttal', no similarity; the words of its first such denial, one with an
    attacking cue first) of every claim that, in that article, a speaker of another known
    side affirms, that no speaker of the denial's side affirms, and that the speaker has no
    member of yet (a voice that speaks to the claim in its own words, or has rebutted it
    already, is not counted twice). Sides are countries (`Unit.side`): a denial or an
    accusation of unknown side rebuts nothing, and speakers of one country never rebut each
    other (a dispute inside one country gets no rebuttals)."""
    wanted = set(articles)
    side_of = {u.key: u.side for u, _, _ in plan.members}
    # a denial made with an attacking cue ("rejects claims of …") speaks for its speaker first
    attacking = {u.key: u.stance_text is not None for u, _, _ in plan.members}
    by_article: dict[str, list[dict[str, Any]]] = {}
    for m in members:
        if m["article_id"] in wanted and m["voice"] == SPEAKER and m["statement_id"]:
            by_article.setdefault(m["article_id"], []).append(m)
    rows = []
    for found in by_article.values():
        affirmed: dict[str, set[str]] = {}  # claim -> the sides that affirm it here
        voices: dict[str, set[str]] = {}  # claim -> the voices it has here
        for m in found:
            voices.setdefault(m["claim_id"], set()).add(_voice(m))
            if m["stance"] == AFFIRM and (accuser := side_of.get(m["member_id"])):
                affirmed.setdefault(m["claim_id"], set()).add(accuser)
        for d in sorted(found, key=lambda m: (not attacking.get(m["member_id"]), m["start"])):
            side = side_of.get(d["member_id"])
            if d["stance"] != DENY or not side or not ACCUSATIONS.search(d["text"]):
                continue
            for claim_id, sides in sorted(affirmed.items()):
                if side in sides or _voice(d) in voices[claim_id]:
                    continue
                voices[claim_id].add(_voice(d))
                rows.append(
                    {
                        **d,
                        "member_id": f"{d['member_id']}>{claim_id}",
                        "claim_id": claim_id,
                        "similarity": None,
                        "via": REBUTTAL,
                    }
                )
    return rows


def _voice(m: dict[str, Any]) -> str:
    """Who a member's voice is: its speaker, or its statement where none was resolved."""
    return m["speaker"] or m["statement_id"]


def link_store(
    store: Store,
    *,
    full: bool = False,
    nlp: Language | None = None,
    embedder: Embedder | None = None,
    encoder: str | Encoder | None = None,
    parses: ParseSource | None = None,
    on_wait: Callable[[], None] | None = None,
    workers: LinkWorkers | None = None,
) -> LinkSummary:
    """Link the articles of ``store`` not linked yet (all of them, from scratch, with
    ``full``) and write claims and members in one transaction; first, fold the store's
    speakers into actors (`claimgraph.link.actors`). Loads no model when every article is
    linked already. Articles are linked `LINK_BATCH` at a time, each batch in its own
    transaction against what earlier batches stored (bounded memory).

    ``parses`` gives an article's kept parse by its id (`claimgraph.link.parses`; None where
    none was kept): `analyze` passes the parses its extraction made; the articles without one
    are parsed here.

    ``encoder`` (`claimgraph.claims.encoders`; by default the one the stored claims were made
    with, else minilm) picks the embedder (unless ``embedder`` is given), the clustering
    threshold and the stance model. Linking new articles into claims another encoder made is
    refused (UsageError) before anything is read or written; ``full`` relinks everything
    with the one named.

    ``workers`` (an engine's, `claimgraph.scale`) parse the articles without a kept parse and
    score the members' stance (`claimgraph.claims.distributed`); the clustering and every
    write stay in this process. The claims are those linking without them gives.

    One process links a store at a time: a second waits until the first is done (``on_wait``
    is called when it starts waiting), then links what is left."""
    with store.link_lock(on_wait=on_wait):
        return _link_store(store, full, nlp, embedder, encoder, parses, workers)


def _link_store(
    store: Store,
    full: bool,
    nlp: Language | None,
    embedder: Embedder | None,
    encoder: str | Encoder | None,
    parses: ParseSource | None,
    workers: LinkWorkers | None,
) -> LinkSummary:
    from . import encoders

    enc = encoders.for_store(store, encoder)
    t0 = time.perf_counter()
    summary = LinkSummary(full=full, encoder=enc.name)
    pending = full or next(iter(store.articles_to_link()), None) is not None
    if pending and not full:
        encoders.check_store(store, enc)  # a refused run writes nothing, actors included
    summary.actors = link_actors(store)  # the whole store's speakers: cheap, and always due
    if not pending:
        assign_topics(store)  # a store linked before topics existed gets them
        summary.claims = sum(1 for _ in store.claims())
        summary.seconds = time.perf_counter() - t0
        return summary

    if nlp is None:
        from ..extract.run import load_pipeline

        nlp = load_pipeline()
    if embedder is None:
        embedder = enc.embedder()
    summary.embed_workers = getattr(embedder, "workers", 0)
    summary.workers = workers.workers if workers is not None else 0
    todo = list(store.articles_to_link(all_articles=full))
    for n, lo in enumerate(range(0, len(todo), LINK_BATCH)):
        _link_batch(
            store,
            todo[lo : lo + LINK_BATCH],
            nlp,
            embedder,
            summary,
            replace=full and n == 0,
            encoder=enc,
            parses=parses,
            workers=workers,
        )
    t = time.perf_counter()
    assign_topics(store)  # every claim's topic, recomputed from the stored claims
    summary.timings["topics"] = time.perf_counter() - t
    summary.claims = sum(1 for _ in store.claims())
    summary.candidates = sum(1 for _ in store.claim_candidates())
    summary.seconds = time.perf_counter() - t0
    return summary


def _link_batch(
    store: Store,
    articles: Sequence[dict[str, Any]],
    nlp: Language,
    embedder: Embedder,
    summary: LinkSummary,
    *,
    replace: bool,
    encoder: Encoder | None = None,
    parses: ParseSource | None = None,
    workers: LinkWorkers | None = None,
) -> None:
    """Link one batch of articles against the claims and candidates stored so far (none when
    ``replace``: the first batch of a full relink) and write it in one transaction. With
    ``workers``, the articles without a kept parse are parsed there and the members' stance
    is scored there."""
    from . import encoders
    from .stance import StanceAnalyzer, shipped_model

    enc = encoders.get(encoder)
    timings = summary.timings
    docs, vectors = DocCache(nlp), EmbedCache(embedder)
    cache_nlp, cache_emb = cast("Language", docs), cast("Embedder", vectors)

    t = time.perf_counter()
    if workers is not None:
        parses = parses_from_workers(articles, parses, workers)
    units, per_article = gather_units(store, docs, articles, parses)
    stored = [] if replace else list(store.claim_centroids([a["id"] for a in articles]))
    candidates = [] if replace else list(store.claim_candidates())
    timings["gather"] = timings.get("gather", 0.0) + time.perf_counter() - t

    t = time.perf_counter()
    day = {a["id"]: day_number(a.get("published")) for a in articles}
    items = [
        ClaimItem(
            u.key,
            u.claim_text or u.text,
            u.article_id,
            u.speaker,
            apart=u.apart,
            start=u.start,
            day=day.get(u.article_id),
        )
        for u in units
    ]
    result = cluster_claims(
        items,
        existing=_existing(stored, candidates),
        threshold=enc.threshold,
        nlp=cache_nlp,
        embedder=cache_emb,
    )
    plan = plan_links(result, units, stored, candidates, nlp=cache_nlp, embedder=cache_emb)
    timings["cluster"] = timings.get("cluster", 0.0) + time.perf_counter() - t

    t = time.perf_counter()
    model = shipped_model(enc.name) or False  # read once per process
    analyzer = StanceAnalyzer(nlp=cache_nlp, embedder=cache_emb, model=model)
    members = member_rows(plan, analyzer, docs, encoder=enc.name, workers=workers)
    members += rebuttal_rows(plan, members, per_article)
    timings["stance"] = timings.get("stance", 0.0) + time.perf_counter() - t

    t = time.perf_counter()
    store.write_links(
        claims=plan.claims,
        members=members,
        candidates=plan.candidates,
        drop_candidates=plan.drop_candidates,
        linked=sorted(per_article.items()),
        replace=replace,
    )
    timings["write"] = timings.get("write", 0.0) + time.perf_counter() - t

    summary.articles += len(per_article)
    summary.units += len(units)
    summary.new_claims += plan.new_claims
    summary.grown_claims += plan.grown_claims
    summary.members_added += len(members)
