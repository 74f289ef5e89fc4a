"""Propaganda-technique spans (SemEval-2020 Task 11 taxonomy) as `Cue(type="propaganda")`.

Linear models over hashed sparse features of the spaCy parse plus frozen all-MiniLM-L6-v2
vectors (the int8 ONNX model that `claimgraph.embedding.minilm` uses, from the same installed files),
trained by ``scripts/train_ptc.py`` on the PTC training articles and shipped as JSON
(``data/ptc_model.json``: float16 weight vectors, zlib + base64; no pickle). Run time needs
numpy and onnxruntime; no torch, no network.

Pipeline (`predict_spans`):

1. `MiniLMEncoder` runs MiniLM once per sentence: a contextual vector per spaCy token (mean of
   its word pieces' last hidden states) and the sentence embedding (mean pooling, L2 norm).
2. Three token taggers score every token from the hashed features and the token vector:
   ``span`` (inside any propaganda span), ``Loaded_Language`` and ``Name_Calling,Labeling``
   (the two frequent, lexical techniques).
3. A sentence model (`SentenceModel`, logistic regression over the sentence embedding and
   aggregates of the ``span`` tagger's scores) gives each sentence's probability of holding
   propaganda. Telling propaganda sentences from plain ones is where token features fail
   most, and the sentence embedding tells them apart better than the tagger's highest token
   score does (cross-validated figures in docs/benchmarks.md).
4. Decoding (`Tagger.adjust`, `decode_spans`): token scores are weighted by the sentence
   probability and zeroed in sentences under a gate; runs of tokens over a threshold inside a
   sentence (gaps closed, edge punctuation trimmed) that hold one token over a ``seed`` score
   become spans, whose weak edge tokens (under a share ``trim`` of the run's peak) are cut off
   (`trim_run`). Every parameter is chosen by 3-fold
   cross-validation on the training articles for SemEval's partial-overlap F1 itself.
5. `combine_spans`: spans of the two lexical taggers carry their technique; ``span`` spans they
   do not cover get the technique of a multinomial span classifier (span words, context,
   repetition in the article), chosen among the other twelve techniques. Technique
   classification of given spans (`PropagandaModel.classify_span`) uses all fourteen.

What did not help in cross-validation (kept out): minimum span length, trimming stop words at
span edges, a second-stage span filter (span features + score aggregates), a token tagger
trained only inside propaganda sentences, neighbouring-sentence context, an MLP sentence model,
a second-pass tagger over neighbouring tokens' scores, a second-pass sentence model (neighbours,
article density, title position), dependency-pair / trigram / entity features, splitting spans
at commas, a sentence-relative threshold, and trimming the lexical taggers' spans.

Cost: MiniLM over every sentence makes this extractor about as expensive as the spaCy parse
itself or more (``claimgraph eval ptc`` prints both times), which is why it is opt-in
(``analyze --propaganda``).

Token features: lower-cased word, lemma, POS, tag, dependency, shape, prefix/suffix, the words
and POS tags at +-2, the head's lemma, whether the token is inside quotation marks, position in
the sentence, the sentence's bag of lemmas (sentence-level techniques such as Doubt or Appeal
to fear), and the 384-d MiniLM token vector. spaCy's sm vectors are not used.
"""

from __future__ import annotations

import base64
import json
import threading
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc, Span, Token

from ..embedding import minilm
from .doctext import doc_text
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
        get = cache.get
        out = []
        for name in names:
            idx = get(name)
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


_POS_IN = [f"pos_in={k}" for k in range(6)]
_POS_END = [f"pos_end={k}" for k in range(6)]


def token_features(doc: Doc, *, sentence_bag: bool = True) -> list[list[str]]:
    """Feature names for every token of ``doc`` (in token order); without the sentence's bag
    of lemmas when not ``sentence_bag`` (as `drop_sentence_bag` would leave them)."""
    feats: list[list[str]] = [[] for _ in range(len(doc))]
    for sent in doc.sents:
        words = [_norm(t) for t in sent]
        pos = [t.pos_ for t in sent]
        n = len(words)
        bag = (
            sorted({t.lemma_.lower() for t in sent if t.is_alpha and not t.is_stop})
            if sentence_bag
            else []
        )
        sent_feats = ["s=" + w for w in bag]
        sent_feats.append(f"slen={min(n // 8, 6)}")
        if any(t.text in ("!", "?") for t in sent):
            sent_feats.append("s_excl_q")
        quotes = _quote_mask(sent)
        for k, tok in enumerate(sent):
            w = words[k]
            dep = tok.dep_
            head = tok.head.lemma_.lower()
            f = [
                "bias",
                "w=" + w,
                "l=" + tok.lemma_.lower(),
                "p=" + pos[k],
                "t=" + tok.tag_,
                "d=" + dep,
                "sh=" + tok.shape_,
                "suf=" + w[-3:],
                "pre=" + w[:3],
                "h=" + head,
                "dh=" + dep + "|" + head,
                _POS_IN[min(k, 5)],
                _POS_END[min(n - 1 - k, 5)],
            ]
            if quotes[k]:
                f.append("inq")
            if tok.is_stop:
                f.append("stop")
            if k > 0 and tok.is_title:
                f.append("title")
            f.append("w-2=" + words[k - 2] if k >= 2 else "w-2=<edge>")
            if k >= 1:
                f += (
                    "w-1=" + words[k - 1],
                    "p-1=" + pos[k - 1],
                    "pp-1=" + pos[k - 1] + "|" + pos[k],
                )
            else:
                f.append("w-1=<edge>")
            if k + 1 < n:
                f += (
                    "w+1=" + words[k + 1],
                    "p+1=" + pos[k + 1],
                    "pp+1=" + pos[k + 1] + "|" + pos[k],
                )
            else:
                f.append("w+1=<edge>")
            f.append("w+2=" + words[k + 2] if k + 2 < n else "w+2=<edge>")
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
        reps = doc_text(doc).lower().count(key)
        f.append(f"rep={min(reps, 4)}")
    return f


# ----------------------------------------------------------------------------- MiniLM


class MiniLMEncoder:
    """all-MiniLM-L6-v2 (int8 ONNX, the model `claimgraph.embedding.minilm` uses, from the same
    installed files) run once per sentence of a parsed doc, giving both what the taggers use:

    * a contextual vector per spaCy token: the mean of the last hidden states of the
      word pieces that overlap the token (zeros past the 256-piece truncation);
    * a vector per sentence: mean pooling over the pieces, L2-normalised (the model card's
      sentence embedding).

    Session and tokenizer load lazily, once per instance, through
    `claimgraph.embedding.minilm.session` and ``tokenizer`` (the sha256 check and thread
    settings live there); ``threads`` is onnxruntime's intra-op thread count (default
    ``CLAIMGRAPH_EMBED_THREADS`` or `minilm.EXTRACT_THREADS`)."""

    max_pieces = 256
    dim = 384

    def __init__(self, threads: int | None = None) -> None:
        self.threads = minilm.resolve_threads(threads, minilm.EXTRACT_THREADS)
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        with self._lock:
            if self._session is None:
                self._tokenizer = minilm.tokenizer(self.max_pieces, pad=True)
                self._session = minilm.session(self.threads)

    def encode_doc(self, doc: Doc, batch_size: int = 32) -> tuple[np.ndarray, np.ndarray]:
        """(sentence vectors (n_sentences, 384), token vectors (len(doc), 384)), float32."""
        sents = list(doc.sents)
        sent_vec = np.zeros((len(sents), self.dim), dtype=np.float32)
        tok_vec = np.zeros((len(doc), self.dim), dtype=np.float32)
        if not sents:
            return sent_vec, tok_vec
        self._load()
        texts = [s.text for s in sents]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for lo in range(0, len(order), batch_size):
            idx = order[lo : lo + batch_size]
            encs = self._tokenizer.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in encs], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encs], dtype=np.int64)
            (hidden,) = self._session.run(
                ["last_hidden_state"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            for b, i in enumerate(idx):
                sent_vec[i] = pooled[b]
                _token_vectors(sents[i], encs[b].offsets, mask[b], hidden[b], tok_vec)
        return sent_vec, tok_vec


def _token_vectors(
    sent: Span,
    offsets: Sequence[tuple[int, int]],
    mask: np.ndarray,
    hidden: np.ndarray,
    out: np.ndarray,
) -> None:
    """Fill ``out`` rows of ``sent``'s tokens with the mean of their pieces' hidden states."""
    starts = np.array([o[0] for o in offsets])
    ends = np.array([o[1] for o in offsets])
    valid = (ends > starts) & (mask == 1)
    base = sent.start_char
    for tok in sent:
        ts = tok.idx - base
        hit = valid & (starts < ts + len(tok)) & (ends > ts)
        if hit.any():
            out[tok.i] = hidden[hit].mean(axis=0)


@lru_cache(maxsize=1)
def default_encoder() -> MiniLMEncoder:
    """A process-wide encoder (the ONNX session loads once)."""
    return MiniLMEncoder()


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
    """A token tagger: logistic regression over hashed features, then decoding parameters.

    Decoding (`adjust`, then `decode_spans`): a token's probability ``p`` is multiplied by
    ``(q / sent_base) ** sent_weight``, where ``q`` is its sentence's probability of holding any
    propaganda (`SentenceModel`), and zeroed where ``q < sent_gate``; runs of tokens at or above
    ``threshold`` become spans when one of their tokens reaches ``seed``, their edges pulled in
    to tokens of at least ``trim`` times the run's peak (`trim_run`). The sentence model
    addresses the tagger's main weakness, telling propaganda sentences from plain ones, which
    token features alone do poorly.

    Models without a sentence model use the older article prior instead:
    ``p * (mean_p / base) ** gamma``, ``mean_p`` being the article's mean token probability."""

    weights: np.ndarray  # (2**bits,)
    bias: float
    threshold: float
    gap: int
    gamma: float = 0.0
    base: float = 1.0
    sentence_bag: bool = True  # use the sentence's bag of lemmas (`token_features`)
    seed: float = 0.0  # a span needs one token at or above this; <= threshold: no effect
    sent_weight: float = 0.0
    sent_gate: float = 0.0
    sent_base: float = 0.3
    dense: np.ndarray | None = None  # (384,) weights of the MiniLM token vector, if used
    trim: float = 0.0  # span edges need this share of the run's peak score (`trim_run`)

    def raw_proba(self, rows: list[list[int]], tok_vec: np.ndarray | None = None) -> np.ndarray:
        scores = np.array([self.weights[r].sum() for r in rows], dtype=np.float64) + self.bias
        if self.dense is not None:
            if tok_vec is None:
                raise ValueError("this tagger needs the MiniLM token vectors")
            scores += tok_vec.astype(np.float64) @ self.dense
        return np.asarray(1.0 / (1.0 + np.exp(-scores)))

    def adjust(self, raw: np.ndarray, sent_p: np.ndarray | None) -> np.ndarray:
        """Decoding scores from raw token probabilities and (per token) sentence probabilities."""
        return adjust(
            raw, sent_p, self.gamma, self.base, self.sent_weight, self.sent_gate, self.sent_base
        )


def adjust(
    raw: np.ndarray,
    sent_p: np.ndarray | None,
    gamma: float,
    base: float,
    sent_weight: float,
    sent_gate: float,
    sent_base: float = 0.3,
) -> np.ndarray:
    """Token scores for decoding (see `Tagger`): sentence-weighted and gated where a sentence
    probability per token is given, else scaled by the article prior ``gamma``."""
    if sent_p is None:
        return rescale(raw, gamma, base)
    p = raw * (sent_p / sent_base) ** sent_weight if sent_weight else raw.copy()
    p[sent_p < sent_gate] = 0.0
    return np.asarray(p)


def rescale(p: np.ndarray, gamma: float, base: float) -> np.ndarray:
    """Token probabilities scaled by the article's mean probability (see `Tagger`)."""
    if gamma == 0.0 or len(p) == 0:
        return p
    return np.asarray(np.clip(p * (p.mean() / base) ** gamma, 0.0, 1.0))


N_AGG = 9


def sentence_aggregates(raw: np.ndarray, sent: np.ndarray) -> np.ndarray:
    """Per sentence (rows in `TokenArrays.sent` order): the ``span`` tagger's max, top-3 mean
    and mean raw token probability, log length, the article's mean, the share of tokens over
    0.2, and the logs of the first three."""
    n_sent = int(sent.max()) + 1 if len(sent) else 0
    art_mean = float(raw.mean()) if len(raw) else 0.0
    out = np.zeros((n_sent, N_AGG), dtype=np.float64)
    for k in range(n_sent):
        ps = np.sort(raw[sent == k])[::-1]
        if len(ps) == 0:
            ps = np.zeros(1)
        out[k, :6] = [ps[0], ps[:3].mean(), ps.mean(), np.log(len(ps)), art_mean, (ps > 0.2).mean()]
    out[:, 6:9] = np.log(out[:, :3] + 1e-4)
    return out


@dataclass
class SentenceModel:
    """Logistic regression: does a sentence hold any propaganda span? Features: the
    `sentence_aggregates` of the ``span`` tagger and the sentence's all-MiniLM-L6-v2 embedding
    (`claimgraph.embedding.minilm`, int8 ONNX, 384 dimensions), which carries what the hashed words
    miss (tone, paraphrased fear or doubt)."""

    weights: np.ndarray  # (N_AGG + 384,)
    bias: float

    def proba(self, agg: np.ndarray, emb: np.ndarray) -> np.ndarray:
        x = np.hstack([agg, np.asarray(emb, dtype=np.float64)])
        return np.asarray(1.0 / (1.0 + np.exp(-(x @ self.weights + self.bias))))


@dataclass
class PropagandaModel:
    bits: int
    span_bits: int
    taggers: dict[str, Tagger]
    classes: list[str]
    span_weights: np.ndarray  # (n_classes, 2**span_bits)
    span_bias: np.ndarray  # (n_classes,)
    sentence: SentenceModel | None = None
    combine: str = "union"  # "nested": lexical spans only inside ``span`` spans (see predict)

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
                seed=float(t.get("seed", 0.0)),
                sent_weight=float(t.get("sent_weight", 0.0)),
                sent_gate=float(t.get("sent_gate", 0.0)),
                sent_base=float(t.get("sent_base", 0.3)),
                dense=decode_weights(t["dense"], (MiniLMEncoder.dim,)) if "dense" in t else None,
                trim=float(t.get("trim", 0.0)),
            )
            for name, t in data["taggers"].items()
        }
        classes = list(data["classes"])
        span_weights = decode_weights(data["span_weights"], (len(classes), 1 << span_bits))
        sentence = None
        if "sentence" in data:
            sm = data["sentence"]
            sentence = SentenceModel(
                weights=np.asarray(sm["weights"], dtype=np.float64), bias=float(sm["bias"])
            )
        return cls(
            bits=bits,
            span_bits=span_bits,
            taggers=taggers,
            classes=classes,
            span_weights=span_weights,
            span_bias=np.asarray(data["span_bias"], dtype=np.float32),
            sentence=sentence,
            combine=str(data.get("combine", "union")),
        )

    @property
    def needs_encoder(self) -> bool:
        """Whether prediction runs MiniLM (token vectors or the sentence model)."""
        return self.sentence is not None or any(t.dense is not None for t in self.taggers.values())

    def raw_token_proba(self, doc: Doc, tok_vec: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Each tagger's raw token probabilities (before `Tagger.adjust`)."""
        hasher = Hasher(self.bits)
        feats = token_features(doc)
        rows = {True: [hasher(f) for f in feats]}
        if not all(t.sentence_bag for t in self.taggers.values()):
            rows[False] = [hasher(drop_sentence_bag(f)) for f in feats]
        return {
            name: t.raw_proba(rows[t.sentence_bag], tok_vec) for name, t in self.taggers.items()
        }

    def token_scores(self, doc: Doc, encoder: MiniLMEncoder | None = None) -> dict[str, np.ndarray]:
        """Each tagger's decoding scores (`Tagger.adjust`) for the tokens of ``doc``.
        ``encoder`` defaults to `default_encoder` (used only if the model needs it)."""
        sent_vec = tok_vec = None
        if self.needs_encoder and len(doc):
            sent_vec, tok_vec = (encoder or default_encoder()).encode_doc(doc)
        raw = self.raw_token_proba(doc, tok_vec)
        arr = TokenArrays.from_doc(doc)
        sent_p = None
        if self.sentence is not None and sent_vec is not None:
            agg = sentence_aggregates(raw["span"], arr.sent)
            sent_p = self.sentence.proba(agg, sent_vec)[arr.sent]
        return {name: t.adjust(raw[name], sent_p) for name, t in self.taggers.items()}

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
    doc: Doc | TokenArrays,
    proba: np.ndarray,
    threshold: float,
    gap: int = 1,
    seed: float = 0.0,
    trim: float = 0.0,
) -> list[tuple[int, int]]:
    """Character spans from token scores: runs of tokens at or above ``threshold`` inside one
    sentence, gaps of at most ``gap`` tokens closed, edge punctuation trimmed; a run is kept
    only if one of its tokens reaches ``seed`` (hysteresis: weak runs around no strong token
    are dropped); with ``trim`` > 0 its edges are then pulled in (`trim_run`) to tokens
    scoring at least ``trim`` times the run's peak."""
    arr = doc if isinstance(doc, TokenArrays) else TokenArrays.from_doc(doc)
    pos = np.nonzero((proba >= threshold) & ~arr.punct)[0]
    spans: list[tuple[int, int]] = []
    if len(pos) == 0:
        return spans
    runs = []
    first = last = int(pos[0])
    for i in pos[1:].tolist():
        if i - last - 1 > gap or arr.sent[i] != arr.sent[last]:
            runs.append((first, last))
            first = i
        last = i
    runs.append((first, last))
    for first, last in runs:
        if seed > threshold and proba[first : last + 1].max() < seed:
            continue
        if trim > 0.0:
            first, last = trim_run(proba, arr.punct, first, last, trim)
        spans.append((int(arr.starts[first]), int(arr.ends[last])))
    return spans


def trim_run(
    proba: np.ndarray, punct: np.ndarray, first: int, last: int, ratio: float
) -> tuple[int, int]:
    """The token run ``first..last`` (inclusive) with its edges moved inwards past tokens that
    score under ``ratio`` times the run's peak (the peak over all its tokens, punctuation
    included, as in training) and past punctuation; the run never empties.

    Why: a low threshold is needed to reach the whole of a long span, but it also lets runs
    creep over the weak words around one (a clause before or after, the attribution "he
    said"); the SemEval precision of a span is the share of its characters inside gold, so
    those tails cost precision without adding recall. Interior weak tokens stay (the run is
    not split), so a span keeps covering the clause between two strong words."""
    cut = ratio * float(proba[first : last + 1].max())
    while first < last and (proba[first] < cut or punct[first]):
        first += 1
    while last > first and (proba[last] < cut or punct[last]):
        last -= 1
    return first, last


def combine_spans(
    span_spans: list[tuple[int, int]],
    lexical: dict[str, list[tuple[int, int]]],
    mode: str,
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """Join the lexical taggers' spans with the ``span`` tagger's.

    Returns (technique spans of the lexical taggers, ``span`` spans still needing a technique).
    ``union``: every lexical span is kept (earlier taggers win overlaps), and ``span`` spans
    that lexical spans cover entirely are dropped. ``nested``: lexical spans are kept only
    where they overlap a ``span`` span, clipped to it, so the spans found (the SI task) are
    the ``span`` tagger's alone, tuned for that task."""
    out: list[tuple[int, int, str]] = []
    end = max([e for _, e in span_spans] + [e for v in lexical.values() for _, e in v] + [0])
    covered = np.zeros(end + 1, dtype=bool)
    for name, spans in lexical.items():
        for s, e in spans:
            if mode == "nested":
                for ss, se in span_spans:
                    cs, ce = max(s, ss), min(e, se)
                    if cs < ce and not covered[cs:ce].any():
                        covered[cs:ce] = True
                        out.append((cs, ce, name))
            elif not covered[s:e].any():
                covered[s:e] = True
                out.append((s, e, name))
    rest = [(s, e) for s, e in span_spans if not covered[s:e].all()]
    return out, rest


def predict_spans(
    doc: Doc, model: PropagandaModel | None = None, *, encoder: MiniLMEncoder | None = None
) -> list[tuple[int, int, str]]:
    """(start, end, technique) for every predicted propaganda span of ``doc``."""
    model = model or load_model()
    scores = model.token_scores(doc, encoder)
    arr = TokenArrays.from_doc(doc)

    def spans(name: str) -> list[tuple[int, int]]:
        t = model.taggers[name]
        return decode_spans(arr, scores[name], t.threshold, t.gap, t.seed, t.trim)

    lexical = {name: spans(name) for name in (LOADED, NAME_CALLING)}
    out, rest = combine_spans(spans("span"), lexical, model.combine)
    own = [model.classes.index(name) for name in (LOADED, NAME_CALLING)]
    for s, e in rest:
        p = model.classify_span(doc, s, e)
        p[own] = -1.0  # these two come from their own taggers, tuned for them
        out.append((s, e, model.classes[int(p.argmax())]))
    out.sort()
    return out


def extract_propaganda(
    doc: Doc, *, model: PropagandaModel | None = None, encoder: MiniLMEncoder | None = None
) -> list[Cue]:
    """Propaganda-technique spans of ``doc`` as cues (``type="propaganda"``, ``technique``)."""
    return [
        Cue(type=PROPAGANDA, start=s, end=e, text=doc_text(doc)[s:e], technique=t)
        for s, e, t in predict_spans(doc, model, encoder=encoder)
    ]


def heldout_ids(path: str | Path = SPLIT_PATH) -> list[str]:
    """Article ids of the fixed held-out part of the PTC training split."""
    with open(path, encoding="utf-8") as fh:
        return list(json.load(fh)["heldout"])
