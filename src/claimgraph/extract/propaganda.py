"""Propaganda-technique spans (SemEval-2020 Task 11 taxonomy) as `Cue(type="propaganda")`.

A linear model over hashed sparse features of the spaCy parse, trained by
``scripts/train_ptc.py`` on the PTC training articles and shipped as JSON
(``data/ptc_model.json``: float16 weight vectors, zlib + base64; no pickle). Run time needs only
numpy.

Three token taggers score every token: ``span`` (inside any propaganda span), ``Loaded_Language``
and ``Name_Calling,Labeling`` (the two frequent, lexical techniques). Tokens whose probability
passes the tagger's threshold (tuned by cross-validation on the training articles) are joined
into spans (runs within a sentence, closing gaps of at most ``gap`` tokens). Spans of the two
lexical taggers carry their technique; the remaining ``span`` spans get the technique of a
multinomial span classifier (span words, context, repetition in the article), chosen among the
other twelve techniques (the two lexical ones come only from their own taggers, whose thresholds
were tuned for them). Technique classification of given spans (`PropagandaModel.classify_span`)
uses all fourteen.

Token features: lower-cased word, lemma, POS, tag, dependency, shape, prefix/suffix, the words
and POS tags at +-2, the head's lemma, whether the token is inside quotation marks, position in
the sentence, and the sentence's bag of lemmas (sentence-level techniques such as Doubt or
Appeal to fear). spaCy's sm vectors are not used.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, Span, Token

from .records import Cue

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "ptc_model.json"
SPLIT_PATH = Path(__file__).resolve().parent.parent / "data" / "ptc_split.json"
PROPAGANDA = "propaganda"
LOADED = "Loaded_Language"
NAME_CALLING = "Name_Calling,Labeling"
TAGGERS = ("span", LOADED, NAME_CALLING)
TECHNIQUES = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)
QUOTE_CHARS = frozenset({'"', "“", "”", "``", "''", "„"})


# ----------------------------------------------------------------------------- hashing


def feature_index(name: str, bits: int) -> int:
    """Stable hash of a feature name into ``2**bits`` buckets (crc32; same in every process)."""
    return zlib.crc32(name.encode("utf-8")) & ((1 << bits) - 1)


class Hasher:
    """Feature names to bucket indices, memoised."""

    def __init__(self, bits: int) -> None:
        self.bits = bits
        self._cache: dict[str, int] = {}

    def __call__(self, names: Iterable[str]) -> list[int]:
        cache = self._cache
        out = []
        for name in names:
            idx = cache.get(name)
            if idx is None:
                idx = cache[name] = feature_index(name, self.bits)
            out.append(idx)
        return out


# ----------------------------------------------------------------------------- features


def _norm(tok: Token) -> str:
    if tok.like_num:
        return "<num>"
    return tok.lower_


def _quote_mask(sent: Span) -> list[bool]:
    inside = False
    mask = []
    for tok in sent:
        if tok.text in QUOTE_CHARS:
            inside = not inside
            mask.append(False)
        else:
            mask.append(inside)
    return mask


def token_features(doc: Doc) -> list[list[str]]:
    """Feature names for every token of ``doc`` (in token order)."""
    feats: list[list[str]] = [[] for _ in range(len(doc))]
    for sent in doc.sents:
        words = [_norm(t) for t in sent]
        pos = [t.pos_ for t in sent]
        n = len(words)
        bag = sorted({t.lemma_.lower() for t in sent if t.is_alpha and not t.is_stop})
        sent_feats = ["s=" + w for w in bag]
        sent_feats.append(f"slen={min(n // 8, 6)}")
        if any(t.text in ("!", "?") for t in sent):
            sent_feats.append("s_excl_q")
        quotes = _quote_mask(sent)
        for k, tok in enumerate(sent):
            w = words[k]
            f = [
                "bias",
                "w=" + w,
                "l=" + tok.lemma_.lower(),
                "p=" + tok.pos_,
                "t=" + tok.tag_,
                "d=" + tok.dep_,
                "sh=" + tok.shape_,
                "suf=" + w[-3:],
                "pre=" + w[:3],
                "h=" + tok.head.lemma_.lower(),
                "dh=" + tok.dep_ + "|" + tok.head.lemma_.lower(),
                f"pos_in={min(k, 5)}",
                f"pos_end={min(n - 1 - k, 5)}",
            ]
            if quotes[k]:
                f.append("inq")
            if tok.is_stop:
                f.append("stop")
            if tok.is_title and k > 0:
                f.append("title")
            for off in (-2, -1, 1, 2):
                j = k + off
                if 0 <= j < n:
                    f.append(f"w{off:+d}={words[j]}")
                    if abs(off) == 1:
                        f.append(f"p{off:+d}={pos[j]}")
                        f.append(f"pp{off:+d}={pos[j]}|{pos[k]}")
                else:
                    f.append(f"w{off:+d}=<edge>")
            if k > 0:
                f.append("bg-=" + words[k - 1] + "|" + w)
            if k + 1 < n:
                f.append("bg+=" + w + "|" + words[k + 1])
            f.extend(sent_feats)
            feats[tok.i] = f
    return feats


def drop_sentence_bag(feats: list[str]) -> list[str]:
    """Token features without the sentence's bag of lemmas."""
    return [f for f in feats if not f.startswith("s=")]


def span_features(doc: Doc, start: int, end: int) -> list[str]:
    """Feature names of the character span ``[start, end)`` of ``doc`` (technique classifier)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return ["bias", "empty"]
    toks = [t for t in span if not t.is_space]
    words = [_norm(t) for t in toks]
    f = ["bias", f"len={min(len(toks), 12)}", f"lenb={min(len(toks) // 5, 6)}"]
    f.extend("w=" + w for w in words)
    f.extend("l=" + t.lemma_.lower() for t in toks)
    f.extend("p=" + t.pos_ for t in toks)
    f.extend("bg=" + a + "|" + b for a, b in zip(words, words[1:], strict=False))
    if words:
        f.append("first=" + words[0])
        f.append("last=" + words[-1])
    for j in range(max(0, span.start - 3), span.start):
        f.append("cl=" + _norm(doc[j]))
    for j in range(span.end, min(len(doc), span.end + 3)):
        f.append("cr=" + _norm(doc[j]))
    sent = span[0].sent
    if span.start <= sent.start and span.end >= sent.end - 1:
        f.append("whole_sent")
    f.extend("s=" + t.lemma_.lower() for t in sent if t.is_alpha and not t.is_stop)
    if any(t.text in QUOTE_CHARS for t in doc[max(0, span.start - 1) : span.end + 1]):
        f.append("quoted")
    if any(t.text == "!" for t in sent):
        f.append("excl")
    if any(t.pos_ == "PROPN" for t in toks):
        f.append("has_propn")
    key = " ".join(w for w in words if w.isalnum())
    if key:
        reps = doc.text.lower().count(key)
        f.append(f"rep={min(reps, 4)}")
    return f


# ----------------------------------------------------------------------------- the model


def encode_weights(w: np.ndarray) -> str:
    """float16 weights, zlib-compressed, base64 (JSON-safe, no pickle)."""
    raw = np.ascontiguousarray(w, dtype="<f2").tobytes()
    return base64.b64encode(zlib.compress(raw, 9)).decode("ascii")


def decode_weights(text: str, shape: Sequence[int]) -> np.ndarray:
    raw = zlib.decompress(base64.b64decode(text))
    return np.frombuffer(raw, dtype="<f2").astype(np.float32).reshape(shape)


@dataclass
class Tagger:
    """A token tagger: logistic regression over hashed features, then an article prior.

    The probability ``p`` of each token is rescaled by ``(mean_p / base) ** gamma``, where
    ``mean_p`` is the article's mean token probability and ``base`` the training mean: tokens of
    articles that read as propaganda throughout need less evidence (gamma 0 turns this off)."""

    weights: np.ndarray  # (2**bits,)
    bias: float
    threshold: float
    gap: int
    gamma: float = 0.0
    base: float = 1.0
    sentence_bag: bool = True  # use the sentence's bag of lemmas (`token_features`)

    def raw_proba(self, rows: list[list[int]]) -> np.ndarray:
        scores = np.array([self.weights[r].sum() for r in rows], dtype=np.float64) + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-scores)))

    def proba(self, rows: list[list[int]]) -> np.ndarray:
        return rescale(self.raw_proba(rows), self.gamma, self.base)


def rescale(p: np.ndarray, gamma: float, base: float) -> np.ndarray:
    """Token probabilities scaled by the article's mean probability (see `Tagger`)."""
    if gamma == 0.0 or len(p) == 0:
        return p
    return np.asarray(np.clip(p * (p.mean() / base) ** gamma, 0.0, 1.0))


@dataclass
class PropagandaModel:
    bits: int
    span_bits: int
    taggers: dict[str, Tagger]
    classes: list[str]
    span_weights: np.ndarray  # (n_classes, 2**span_bits)
    span_bias: np.ndarray  # (n_classes,)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PropagandaModel:
        bits, span_bits = int(data["bits"]), int(data["span_bits"])
        taggers = {
            name: Tagger(
                weights=decode_weights(t["weights"], (1 << bits,)),
                bias=float(t["bias"]),
                threshold=float(t["threshold"]),
                gap=int(t["gap"]),
                gamma=float(t.get("gamma", 0.0)),
                base=float(t.get("base", 1.0)),
                sentence_bag=bool(t.get("sentence_bag", True)),
            )
            for name, t in data["taggers"].items()
        }
        classes = list(data["classes"])
        span_weights = decode_weights(data["span_weights"], (len(classes), 1 << span_bits))
        return cls(
            bits=bits,
            span_bits=span_bits,
            taggers=taggers,
            classes=classes,
            span_weights=span_weights,
            span_bias=np.asarray(data["span_bias"], dtype=np.float32),
        )

    def token_proba(self, doc: Doc) -> dict[str, np.ndarray]:
        hasher = Hasher(self.bits)
        feats = token_features(doc)
        rows = {True: [hasher(f) for f in feats]}
        if not all(t.sentence_bag for t in self.taggers.values()):
            rows[False] = [hasher(drop_sentence_bag(f)) for f in feats]
        return {name: t.proba(rows[t.sentence_bag]) for name, t in self.taggers.items()}

    def classify_span(self, doc: Doc, start: int, end: int) -> np.ndarray:
        """Probabilities over `classes` for the character span ``[start, end)``."""
        idx = Hasher(self.span_bits)(span_features(doc, start, end))
        scores = self.span_weights[:, idx].sum(axis=1) + self.span_bias
        scores = scores - scores.max()
        p = np.exp(scores)
        return np.asarray(p / p.sum())


@lru_cache(maxsize=2)
def load_model(path: str | Path = MODEL_PATH) -> PropagandaModel:
    """The shipped model (cached: one load per process)."""
    with open(path, encoding="utf-8") as fh:
        return PropagandaModel.from_json(json.load(fh))


# ----------------------------------------------------------------------------- decoding


@dataclass
class TokenArrays:
    """Per-token arrays that decoding needs (char offsets, sentence ids, punctuation)."""

    starts: np.ndarray
    ends: np.ndarray
    sent: np.ndarray
    punct: np.ndarray  # punctuation or whitespace: never a span's edge

    @classmethod
    def from_doc(cls, doc: Doc) -> TokenArrays:
        sent = np.zeros(len(doc), dtype=np.int64)
        for k, s in enumerate(doc.sents):
            sent[s.start : s.end] = k
        return cls(
            starts=np.array([t.idx for t in doc], dtype=np.int64),
            ends=np.array([t.idx + len(t) for t in doc], dtype=np.int64),
            sent=sent,
            punct=np.array([t.is_punct or t.is_space for t in doc], dtype=bool),
        )


def decode_spans(
    doc: Doc | TokenArrays, proba: np.ndarray, threshold: float, gap: int = 1
) -> list[tuple[int, int]]:
    """Character spans from token probabilities: runs of tokens at or above ``threshold``
    inside one sentence, gaps of at most ``gap`` tokens closed, edge punctuation trimmed."""
    arr = doc if isinstance(doc, TokenArrays) else TokenArrays.from_doc(doc)
    pos = np.nonzero((proba >= threshold) & ~arr.punct)[0]
    spans: list[tuple[int, int]] = []
    if len(pos) == 0:
        return spans
    first = last = int(pos[0])
    for i in pos[1:].tolist():
        if i - last - 1 > gap or arr.sent[i] != arr.sent[last]:
            spans.append((int(arr.starts[first]), int(arr.ends[last])))
            first = i
        last = i
    spans.append((int(arr.starts[first]), int(arr.ends[last])))
    return spans


def predict_spans(doc: Doc, model: PropagandaModel | None = None) -> list[tuple[int, int, str]]:
    """(start, end, technique) for every predicted propaganda span of ``doc``."""
    model = model or load_model()
    proba = model.token_proba(doc)
    out: list[tuple[int, int, str]] = []
    covered = np.zeros(len(doc.text) + 1, dtype=bool)
    for name in (LOADED, NAME_CALLING):
        tagger = model.taggers[name]
        for s, e in decode_spans(doc, proba[name], tagger.threshold, tagger.gap):
            if covered[s:e].any():
                continue
            covered[s:e] = True
            out.append((s, e, name))
    own = [model.classes.index(name) for name in (LOADED, NAME_CALLING)]
    tagger = model.taggers["span"]
    for s, e in decode_spans(doc, proba["span"], tagger.threshold, tagger.gap):
        if covered[s:e].all():
            continue
        p = model.classify_span(doc, s, e)
        p[own] = -1.0  # these two come from their own taggers, tuned for them
        out.append((s, e, model.classes[int(p.argmax())]))
    out.sort()
    return out


def extract_propaganda(doc: Doc, *, model: PropagandaModel | None = None) -> list[Cue]:
    """Propaganda-technique spans of ``doc`` as cues (``type="propaganda"``, ``technique``)."""
    return [
        Cue(type=PROPAGANDA, start=s, end=e, text=doc.text[s:e], technique=t)
        for s, e, t in predict_spans(doc, model)
    ]


def heldout_ids(path: str | Path = SPLIT_PATH) -> list[str]:
    """Article ids of the fixed held-out part of the PTC training split."""
    with open(path, encoding="utf-8") as fh:
        return list(json.load(fh)["heldout"])
