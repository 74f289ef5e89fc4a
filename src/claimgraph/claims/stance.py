"""Stance of a text toward a claim: affirm, deny or report.

No NLI model exists offline, so stance combines two things:

1. **Parse rules** (`claimgraph.claims.polarity`): negation over the claim's words, denial
   verbs ("X denied that Y" is a denial of Y by X), falsity labels ("lies", "so-called",
   "groundless", "nothing more than"), double negation ("cannot be denied"). When they fire on
   the claim's words they decide the label. A distancing cue ("claimed", "alleged") makes an
   undenied statement a report: the outlet relays it without taking it on.
2. **A small classifier** (multinomial logistic regression, coefficients shipped as JSON in
   ``claimgraph/data/stance_model.json``) over the rule flags, refuting and hedging cues (and
   whether they sit near the claim's words, after the FNC-1 baseline's features), and
   sentence embeddings of text and claim (text, text * claim, |text - claim|, cosine).
   `scripts/train_stance.py` trains it on Emergent's training split (Ferreira & Vlachos
   2016: headlines for/against/observing a claim = affirm/deny/report), selected by
   cross-validation grouped by claim, and measures how the same recipe carries across
   datasets with FNC-1's article bodies (`claimgraph.eval.stance_transfer`). It decides
   when the rules are silent.

The embeddings are those of the *propositions* (`claimgraph.claims.clusters.proposition`: the text
without its reporting shell and its denial words), not of the whole texts: the claim clustering
embeds exactly these, so the link step embeds each unit once and the stance reuses the vector
(through the link step's embedding cache). Negation and denial, which the proposition drops, are the
rules' part of the features.

Without a claim the text's own proposition is the claim: "The crimes ... can never be
attributed to China" denies "the crimes can be attributed to China".
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ModelError
from ..extract.doctext import memo
from . import encoders
from . import frames as F
from .clusters import proposition
from .cross import CrossEncoder, shipped_cross_encoder
from .polarity import Polarity, analyze, token_rows
from .text import headline_case, parser

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from ..embedding.minilm import Embedder

AFFIRM, DENY, REPORT = "affirm", "deny", "report"
LABELS = (AFFIRM, DENY, REPORT)
EMERGENT_LABELS = {"for": AFFIRM, "against": DENY, "observing": REPORT}
MODEL_RESOURCE = "data/stance_model.json"
DISTANCING_CUES = frozenset({"distancing"})
# /2: the embedding features are of the propositions (/1 embedded the whole texts); /3: the
# cue counts near the claim's words, the claim's own cues and the |text - claim| block.
MODEL_FORMAT = "claimgraph-stance-logreg/3"

# Weight of the cross-encoder's probabilities against the sentence-vector classifier's, where
# both run (chosen on a fifth of Emergent's training claims held out: docs/benchmarks.md).
CROSS_WEIGHT = 0.4

# Confidence of a label decided by the rules alone.
RULE_SCORE = {"denied": 0.85, "double_negation": 0.75, "distancing": 0.7, "hedged": 0.6}

# Surface cues of reporting and refuting in news headlines (after Ferreira & Vlachos 2016).
HEDGE_CUES = frozenset(
    "alleged allegedly apparently appear appears claim claims could evidently likely may maybe "
    "might perhaps presumably probably purported purportedly reported reportedly rumor rumour "
    "rumors rumours rumored rumoured says said seem seems supposedly unconfirmed suggests "
    "suggest report reports according sources source".split()
)
REFUTE_CUES = frozenset(
    "fake fraud hoax false deny denies denied despite nope doubt doubts bogus debunk debunked "
    "prank pranks retract retracts not no never n't myth untrue actually lies lie".split()
)
PLAN_CUES = frozenset(
    "plan plans planning consider considers considering mull mulls weigh weighs eye eyes "
    "explore explores exploring seek seeks try tries trying negotiate negotiating talks "
    "expected prepare prepares preparing aim aims intend intends rethink rethinking".split()
)
ATTRIBUTION_LEMMAS = frozenset(
    "say report claim allege accord tell suggest believe fear think warn".split()
)
QUESTION_OPENERS = frozenset("is did does could will can was are has have would".split())
RULE_FEATURES = (
    "denied",  # the claim's words are in the scope of an odd number of flips
    "double_negation",
    "deny_any",  # a denial operator anywhere
    "neg_any",
    "self_denied",  # the text denies its own content
    "hedges",
    "distancing",
    "speech",
    "question",
    "overlap",  # share of the claim's content words found in the text
    "no_overlap",
    "claim_denied",  # the claim itself is a denial
    "length",
    "hedge_root",  # 1 / (1 + tree distance from the root to the nearest hedge cue)
    "refute_root",
    "hedge_cue",
    "refute_cue",
    "plan_cue",
    "overlap_text",  # share of the text's content words found in the claim
    "source_tail",  # "...: WSJ report", "..., officials say"
    "attribution",
    "question_opener",
    "modal",
    "refute_count",  # refuting cues in the text (at most 3)
    "hedge_count",
    "refute_near",  # a refuting cue within NEAR tokens of a claim word found in the text
    "hedge_near",
    "claim_refute_cue",  # the claim's own cues: a claim can itself report or debunk
    "claim_hedge_cue",
)
NEAR = 4  # tokens either side of a claim word, for the *_near features


@dataclass
class StanceResult:
    label: str  # affirm | deny | report
    score: float
    reasons: list[str] = field(default_factory=list)
    probs: dict[str, float] | None = None  # the classifier's, when it ran


# ---------------------------------------------------------------- features


def _root_closeness(doc: Doc, words: frozenset[str], lowers: Sequence[str]) -> float:
    """1 / (1 + the fewest steps from a token of ``words`` to its root); ``lowers`` are the
    doc's lower-cased tokens."""
    best: int | None = None
    for i, low in enumerate(lowers):
        if low in words:
            d, u = 0, doc[i]
            while u.head is not u and d < 30:
                u, d = u.head, d + 1
            best = d if best is None else min(best, d)
    return 0.0 if best is None else 1.0 / (1 + best)


def _source_tail(text: str) -> bool:
    text = text.rstrip(" .")
    if ":" in text and len(text.rsplit(":", 1)[-1].split()) <= 3:
        return True
    last = text.rsplit(None, 1)[-1].lower() if text.split() else ""
    return last in ("report", "reports", "says", "say", "claims", "claim", "suggests")


def _content(doc: Doc) -> set[str]:
    """Lower-cased lemmas of the content words, once per doc (a claim's doc is read against
    each of its members); callers must not mutate the set."""
    return memo(
        doc,
        "stance.content",
        lambda d: {t.lemma_.lower() for t in d if t.is_alpha and not t.is_stop},
    )


def rule_features(
    doc: Doc,
    claim_doc: Doc | None,
    pol: Polarity,
    self_pol: Polarity,
    claim_pol: Polarity | None,
) -> list[float]:
    """Numeric rule and cue features, in the order of `RULE_FEATURES`."""
    overlap = pol.matched / pol.claim_words if pol.claim_words else 0.0
    toks = token_rows(doc)  # read once per doc
    words = [tk.lower for tk in toks]
    text_content = _content(doc)
    claim_content = _content(claim_doc) if claim_doc is not None else text_content
    claim_words = [t.lower_ for t in claim_doc] if claim_doc is not None else words
    at_claim = [i for i, tk in enumerate(toks) if tk.lemma in claim_content]
    return [
        float(pol.denied),
        float(pol.double_negation),
        float(pol.deny_any),
        float(pol.neg_any),
        float(self_pol.denied),
        float(min(len(pol.hedges), 3)),
        float(bool(pol.distancing)),
        float(bool(pol.speech)),
        float(pol.question),
        overlap,
        float(pol.matched == 0),
        float(claim_pol.denied) if claim_pol is not None else 0.0,
        math.log1p(len(doc)),
        _root_closeness(doc, HEDGE_CUES, words),
        _root_closeness(doc, REFUTE_CUES, words),
        float(any(w in HEDGE_CUES for w in words)),
        float(any(w in REFUTE_CUES for w in words)),
        float(any(w in PLAN_CUES for w in words)),
        len(text_content & claim_content) / max(1, len(text_content)),
        float(_source_tail(doc.text)),
        float(any(tk.lemma in ATTRIBUTION_LEMMAS for tk in toks)),
        float(bool(words) and words[0] in QUESTION_OPENERS),
        float(any(tk.tag == "MD" for tk in toks)),
        float(min(sum(w in REFUTE_CUES for w in words), 3)),
        float(min(sum(w in HEDGE_CUES for w in words), 3)),
        float(_near(words, REFUTE_CUES, at_claim)),
        float(_near(words, HEDGE_CUES, at_claim)),
        float(any(w in REFUTE_CUES for w in claim_words)),
        float(any(w in HEDGE_CUES for w in claim_words)),
    ]


def _near(words: Sequence[str], cues: frozenset[str], anchors: Sequence[int]) -> bool:
    """Whether a word of ``cues`` lies within `NEAR` tokens of an index in ``anchors``."""
    for i, w in enumerate(words):
        if w in cues and any(abs(i - a) <= NEAR for a in anchors):
            return True
    return False


def bow_tokens(doc: Doc) -> set[str]:
    """The word features of a text: lower-cased token forms (words, negations, '?')."""
    return {t.lower_ for t in doc if t.is_alpha or t.lower_ in ("?", "n't", "!")}


def feature_matrix(
    rules: np.ndarray,
    bows: Sequence[set[str]],
    text_emb: np.ndarray,
    claim_emb: np.ndarray,
    vocab: Sequence[str],
    blocks: Sequence[str] = ("rules", "bow", "emb", "prod", "absdiff", "cos"),
) -> np.ndarray:
    """Stack the feature blocks named in ``blocks`` for a batch."""
    parts: list[np.ndarray] = []
    if "rules" in blocks:
        parts.append(np.asarray(rules, dtype=np.float64))
    if "bow" in blocks:
        index = {w: j for j, w in enumerate(vocab)}
        m = np.zeros((len(bows), len(vocab)))
        for i, words in enumerate(bows):
            for w in words:
                j = index.get(w)
                if j is not None:
                    m[i, j] = 1.0
        parts.append(m)
    if "emb" in blocks:
        parts.append(text_emb.astype(np.float64))
    if "prod" in blocks:
        parts.append((text_emb * claim_emb).astype(np.float64))
    if "absdiff" in blocks:
        parts.append(np.abs(text_emb - claim_emb).astype(np.float64))
    if "cos" in blocks:
        parts.append((text_emb * claim_emb).sum(axis=1, keepdims=True).astype(np.float64))
    return np.hstack(parts)


# ---------------------------------------------------------------- the shipped model


@dataclass
class LinearModel:
    """Multinomial logistic regression applied with numpy (no pickle)."""

    labels: list[str]
    vocab: list[str]
    blocks: list[str]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray  # (n_labels, n_features)
    intercept: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def emb_dim(self) -> int | None:
        """The embedding width it was trained on (None when it reads no embedding column)."""
        wide = sum(b in self.blocks for b in ("emb", "prod", "absdiff"))
        if not wide:
            return None
        narrow = (
            len(RULE_FEATURES) * ("rules" in self.blocks)
            + len(self.vocab) * ("bow" in self.blocks)
            + ("cos" in self.blocks)
        )
        return (len(self.mean) - narrow) // wide

    def check_dim(self, dim: int) -> None:
        """ModelError unless it reads embeddings ``dim`` wide: a model must be used with the
        encoder it was trained on."""
        want = self.emb_dim
        if want is not None and want != dim:
            trained = self.meta.get("embedding_model", "another encoder")
            raise ModelError(
                f"the stance model was trained on {want}-dimensional embeddings ({trained}), "
                f"but the embedder gives {dim}: use the stance model shipped for this encoder "
                "(claimgraph.claims.encoders), or train one with scripts/train_stance.py --embedder"
            )

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        z = (x - self.mean) / self.scale @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def to_json(self) -> dict[str, Any]:
        def r(a: np.ndarray) -> list:  # 7 significant digits: small scales must stay > 0
            return [float(f"{v:.7g}") for v in np.asarray(a, dtype=np.float64).ravel()]

        return {
            "format": MODEL_FORMAT,
            "labels": self.labels,
            "blocks": self.blocks,
            "rule_features": list(RULE_FEATURES),
            "vocab": self.vocab,
            "mean": r(self.mean),
            "scale": r(self.scale),
            "coef": [r(row) for row in self.coef],
            "intercept": r(self.intercept),
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> LinearModel:
        if d.get("format") != MODEL_FORMAT:
            raise ModelError(
                "stance model file has an unknown format; rerun scripts/train_stance.py"
            )
        if list(d["rule_features"]) != list(RULE_FEATURES):
            raise ModelError(
                "stance model was trained on other rule features; rerun scripts/train_stance.py"
            )
        return cls(
            labels=list(d["labels"]),
            vocab=list(d["vocab"]),
            blocks=list(d["blocks"]),
            mean=np.asarray(d["mean"]),
            scale=np.asarray(d["scale"]),
            coef=np.asarray(d["coef"]),
            intercept=np.asarray(d["intercept"]),
            meta=dict(d.get("meta", {})),
        )


def load_model(
    path: str | Path | None = None, *, resource: str = MODEL_RESOURCE
) -> LinearModel | None:
    """The shipped stance model (or the one at ``path``); None when none is shipped.
    ``resource`` names another shipped model (each encoder has its own:
    `claimgraph.claims.encoders`)."""
    if path is None:
        res = resources.files("claimgraph").joinpath(resource)
        if not res.is_file():
            return None
        text = res.read_text(encoding="utf-8")
    else:
        p = Path(path)
        if not p.is_file():
            raise ModelError(f"{p} does not exist; train it with scripts/train_stance.py")
        text = p.read_text(encoding="utf-8")
    return LinearModel.from_json(json.loads(text))


@lru_cache(maxsize=4)
def shipped_model(encoder: str | None = None) -> LinearModel | None:
    """The stance model shipped for ``encoder`` (`claimgraph.claims.encoders`; minilm by
    default), read once per process."""
    return load_model(resource=encoders.get(encoder).stance_resource)


# ---------------------------------------------------------------- the analyzer


class StanceAnalyzer:
    """Batch stance: rules, and the classifier where a claim is given and a model is shipped.

    The spaCy pipeline, the embedder and the model load lazily, once.
    """

    def __init__(
        self,
        *,
        nlp: Language | None = None,
        embedder: Embedder | None = None,
        model: LinearModel | None | bool = True,
        encoder: str | None = None,
        cross: CrossEncoder | None | bool = True,
    ) -> None:
        """``encoder`` (`claimgraph.claims.encoders`: minilm by default) gives the embedder
        when none is passed, and the shipped model that ``model=True`` loads. ``cross=True``
        adds the shipped cross-encoder (`claimgraph.claims.cross`) where the encoder uses one
        and a classifier model is loaded."""
        self._cross_arg = cross
        self._nlp = nlp
        self._embedder = embedder
        self._encoder = encoder
        self._model_arg = model
        self._model: LinearModel | None = None
        self._model_loaded = False
        self._lock = threading.Lock()

    @property
    def nlp(self) -> Language:
        """The pinned English pipeline, shared with extraction (one load per process)."""
        with self._lock:
            if self._nlp is None:
                self._nlp = parser()
            return self._nlp

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = encoders.get(self._encoder).embedder()
        return self._embedder

    @property
    def model(self) -> LinearModel | None:
        with self._lock:
            if not self._model_loaded:
                arg = self._model_arg
                if arg is True:  # the model shipped for the encoder (minilm by default)
                    self._model = shipped_model(self._encoder)
                elif isinstance(arg, LinearModel):
                    self._model = arg
                self._model_loaded = True
            return self._model

    @property
    def cross(self) -> CrossEncoder | None:
        """The cross-encoder whose probabilities are averaged with the classifier's."""
        arg = self._cross_arg
        if isinstance(arg, CrossEncoder):
            return arg
        if arg is True and encoders.get(self._encoder).cross_stance:
            return shipped_cross_encoder()
        return None

    def parse(self, texts: Sequence[str]) -> list[Doc]:
        """Parse ``texts``; headline case is folded first (offsets unchanged)."""
        return list(self.nlp.pipe([headline_case(t) for t in texts], batch_size=64))

    def vectors(self, docs: Sequence[Doc]) -> np.ndarray:
        """The embedding features of parsed texts: their propositions' embeddings, the very
        vectors the claim clustering computes (an embedder with a cache embeds each once)."""
        return self.embedder.encode([proposition(d) for d in docs])

    def rule_rows(
        self, docs: Sequence[Doc], claim_docs: Sequence[Doc | None]
    ) -> tuple[list[Polarity], list[Polarity], list[Polarity | None], np.ndarray]:
        """Polarity toward the claim, the text's own, the claim's own, and the feature rows."""
        pols, selfs, cpols, rows = [], [], [], []
        claim_pols: dict[int, Polarity] = {}
        for doc, cdoc in zip(docs, claim_docs, strict=True):
            self_pol = analyze(doc)
            pol = analyze(doc, cdoc) if cdoc is not None else self_pol
            cpol = None
            if cdoc is not None:
                cpol = claim_pols.get(id(cdoc))
                if cpol is None:
                    cpol = claim_pols[id(cdoc)] = analyze(cdoc)
            pols.append(pol)
            selfs.append(self_pol)
            cpols.append(cpol)
            rows.append(rule_features(doc, cdoc, pol, self_pol, cpol))
        rows_arr = np.asarray(rows, dtype=np.float64).reshape(len(rows), len(RULE_FEATURES))
        return pols, selfs, cpols, rows_arr

    def predict(
        self,
        texts: Sequence[str],
        claims: Sequence[str | None] | None = None,
        *,
        docs: Sequence[Doc | None] | None = None,
        cue_classes: Sequence[str | None] | None = None,
        cross_rows: Sequence[bool] | None = None,
    ) -> list[StanceResult]:
        """Stance of each text toward its claim (None: toward its own proposition).

        ``cross_rows`` says which texts the cross-encoder also reads (all by default). It
        learnt the outlet's voice (headlines: asserting, denying or only relaying a claim);
        the claims step gives it the outlet's narration and headlines, not a speaker's own
        words, where a hedge is the speaker's and not a relay (`claims.run.speaker_stance`)."""
        n = len(texts)
        claims = list(claims) if claims is not None else [None] * n
        docs_in = list(docs) if docs is not None else [None] * n
        cues = list(cue_classes) if cue_classes is not None else [None] * n
        if not (len(claims) == len(docs_in) == len(cues) == n):
            raise ValueError("texts, claims, docs and cue_classes must have the same length")
        if cross_rows is not None and len(cross_rows) != n:
            raise ValueError("cross_rows must have one flag per text")
        missing = [i for i, d in enumerate(docs_in) if d is None]
        parsed = iter(self.parse([texts[i] for i in missing]))
        text_docs = [d if d is not None else next(parsed) for d in docs_in]
        uniq = sorted({c for c in claims if c is not None})
        claim_doc_of = dict(zip(uniq, self.parse(uniq), strict=True))
        claim_docs = [claim_doc_of[c] if c is not None else None for c in claims]
        pols, selfs, cpols, rules = self.rule_rows(text_docs, claim_docs)

        probs: list[np.ndarray | None] = [None] * n
        model = self.model
        with_claim = [i for i in range(n) if claims[i] is not None]
        if model is not None and with_claim:
            model.check_dim(self.embedder.dim)
            emb_t = self.vectors([text_docs[i] for i in with_claim])
            emb_u = self.vectors([claim_doc_of[c] for c in uniq])
            row_of = {c: j for j, c in enumerate(uniq)}
            emb_c = emb_u[[row_of[str(claims[i])] for i in with_claim]]
            x = feature_matrix(
                rules[with_claim],
                [bow_tokens(text_docs[i]) for i in with_claim],
                emb_t,
                emb_c,
                model.vocab,
                model.blocks,
            )
            linear = model.predict_proba(x)
            cross = self.cross
            rows = [j for j, i in enumerate(with_claim) if cross_rows is None or cross_rows[i]]
            if cross is not None and rows:
                # the two classifiers' probabilities, averaged (CROSS_WEIGHT: docs/benchmarks.md)
                pair = cross.predict_proba(
                    [str(claims[with_claim[j]]) for j in rows],
                    [texts[with_claim[j]] for j in rows],
                )
                pair = pair[:, [cross.labels.index(lab) for lab in model.labels]]
                linear[rows] = (1.0 - CROSS_WEIGHT) * linear[rows] + CROSS_WEIGHT * pair
            for i, p in zip(with_claim, linear, strict=True):
                probs[i] = p
        labels = model.labels if model is not None else list(LABELS)
        return [
            framed_stance(text_docs[i], claim_docs[i])
            or decide(pols[i], selfs[i], cpols[i], probs[i], labels, cues[i])
            for i in range(n)
        ]


def framed_stance(doc: Doc, claim: Doc | None) -> StanceResult | None:
    """A text and a claim that carry one proposition frame ("uses human rights as a
    pretext", `claimgraph.claims.frames`): the text affirms the accusation unless the verb
    that carries its frame is negated; a negation elsewhere ("is not able to contain …
    under the pretext of …") is about something else. None when they do not."""
    if claim is None or F.pretext(claim) is None or (frame := F.pretext(doc)) is None:
        return None
    if F.negated(doc, frame):
        return StanceResult(DENY, RULE_SCORE["denied"], ["the frame's verb is negated"])
    return StanceResult(AFFIRM, RULE_SCORE["denied"], ["accuses: uses the issue as a pretext"])


def decide(
    pol: Polarity,
    self_pol: Polarity,
    claim_pol: Polarity | None,
    probs: np.ndarray | None,
    labels: Sequence[str],
    cue_class: str | None,
) -> StanceResult:
    """Combine the rules' reading with the classifier's probabilities.

    A claim that is itself a denial ("the genocide charge is a lie") flips the rules' affirm
    and deny: denying its words agrees with it.
    """
    p = {lab: float(v) for lab, v in zip(labels, probs, strict=True)} if probs is not None else None
    reasons = list(pol.reasons)
    label: str | None = None
    score = 0.0
    claim_negative = claim_pol is not None and claim_pol.denied
    if pol.denied or pol.double_negation:
        label = DENY if pol.denied != claim_negative else AFFIRM
        score = RULE_SCORE["denied" if pol.denied else "double_negation"]
        if pol.denied:
            reasons.append("the claim's words are denied")
        else:
            reasons.append("double negation: the denial is itself negated")
        if claim_negative:
            reasons.append("the claim itself is a denial")
    elif pol.matched == 0 and self_pol.denied and claim_pol is not None:
        # No word of the claim in the text (a cluster member put in other words: "the
        # atrocities ... do not exist" for "genocide"): the text's own polarity decides.
        label = DENY if not claim_negative else AFFIRM
        score = RULE_SCORE["hedged"]
        reasons.extend(self_pol.reasons)
        reasons.append("no claim word in the text; the text denies its own content")
    elif claim_pol is not None and claim_pol.deny_any and claim_negative and pol.matched:
        # The claim discredits ("the genocide charge is a lie"); the text states its content.
        label, score = DENY, RULE_SCORE["hedged"]
        reasons.append("the claim is a denial and the text asserts what it denies")
    elif cue_class in DISTANCING_CUES:
        label, score = REPORT, RULE_SCORE["distancing"]
        reasons.append(f"{cue_class} cue: the outlet reports without endorsing")
    elif p is None and (pol.hedges or pol.distancing or pol.question):
        label, score = REPORT, RULE_SCORE["hedged"]
        reasons.append("hedged: " + ", ".join(pol.hedges + pol.distancing + ["?"] * pol.question))
    if p is not None:
        if label is None:
            label = max(p, key=lambda k: p[k])
            reasons.append(f"classifier p={p[label]:.2f}")
        score = max(score, p[label]) if label in p else score
    if label is None:
        label, score = AFFIRM, 0.55
        reasons.append("plain assertion: no negation, denial or hedge")
    return StanceResult(label=label, score=round(score, 4), reasons=reasons, probs=p)


_DEFAULT: StanceAnalyzer | None = None
_DEFAULT_LOCK = threading.Lock()


def default_analyzer() -> StanceAnalyzer:
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = StanceAnalyzer()
        return _DEFAULT


def stance(
    text: str,
    claim: str | None = None,
    *,
    doc: Doc | None = None,
    cue_class: str | None = None,
    speaker: str | None = None,
) -> StanceResult:
    """Stance of ``text`` toward ``claim`` (or toward its own proposition).

    ``doc`` is ``text`` already parsed (any English spaCy pipeline with a parser and
    lemmatizer); ``cue_class`` is the reporting verb's class from the statement extractor
    ("distancing" turns an undenied statement into a report). A text with a ``speaker`` or a
    cue class is that speaker's statement, and the stance is the speaker's: the
    cross-encoder, which reads the outlet's voice (a headline asserting, denying or only
    relaying a claim), leaves it alone.
    """
    outlet = speaker is None and cue_class is None
    return default_analyzer().predict(
        [text], [claim], docs=[doc], cue_classes=[cue_class], cross_rows=[outlet]
    )[0]
