"""Loaded language and name-calling found by default: two cheap token taggers learned from the
PTC training articles (SemEval-2020 Task 11's Loaded_Language and Name_Calling,Labeling spans),
run on the spaCy parse that analyze already has.

Each tagger is a logistic regression over the hashed parse features of
`claimgraph.extract.propaganda.token_features` (without the sentence's bag of lemmas) plus a
static word vector: the mean of the token's word pieces' rows of the static MiniLM table
(`claimgraph.embedding.static`, first `dim` components, each row L2-normalised). A linear model over
a mean of rows is the mean of each row's score, so the shipped model carries one score per
word piece (``piece``) instead of the table: no MiniLM run, no table to build, only the
tokenizer.json of the installed MiniLM package. Spans are decoded as in the propaganda model
(`decode_spans`: threshold, seed, gap, edge trim), with parameters chosen by 3-fold
cross-validation on the training part of PTC for each technique's own span F1.

Trained by ``scripts/train_loaded.py`` (``data/loaded_model.json``); scores and cost in
docs/benchmarks.md. The cues it yields are ``loaded_language`` and ``name_calling`` (the
technique in `Cue.technique`, ``detail.source = "model"``), next to the lexicon's.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from spacy.tokens import Doc

from .doctext import doc_text
from .propaganda import (
    LOADED,
    NAME_CALLING,
    Hasher,
    TokenArrays,
    decode_spans,
    decode_weights,
    token_features,
)
from .records import Cue, Statement

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "loaded_model.json"
CUE_TYPE = {LOADED: "loaded_language", NAME_CALLING: "name_calling"}


@dataclass
class PieceTagger:
    """Hashed-feature weights, one score per word piece (the static vector's part), and the
    decoding of its token probabilities into spans."""

    weights: np.ndarray  # (2**bits,)
    piece: np.ndarray  # (vocabulary size,)
    bias: float
    threshold: float
    seed: float
    gap: int
    trim: float

    def proba(self, rows: Flat, pieces: Flat) -> np.ndarray:
        """Token probabilities from the tokens' hashed feature indices and word-piece ids."""
        scores = rows.sums(self.weights) + pieces.means(self.piece) + self.bias
        return np.asarray(1.0 / (1.0 + np.exp(-scores)))


@dataclass
class Flat:
    """Lists of indices, one per token, flattened: ``values[starts[i]:starts[i] + lengths[i]]``
    are token i's, so sums over them are one vectorised `np.add.reduceat`."""

    values: np.ndarray
    starts: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, lists: Sequence[Sequence[int]]) -> Flat:
        lengths = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
        starts = np.zeros(len(lists), dtype=np.int64)
        if len(lists) > 1:
            starts[1:] = np.cumsum(lengths)[:-1]
        values = np.fromiter(
            (v for x in lists for v in x), dtype=np.int64, count=int(lengths.sum())
        )
        return cls(values, starts, lengths)

    def sums(self, table: np.ndarray) -> np.ndarray:
        out = np.zeros(len(self.starts), dtype=np.float64)
        if len(self.values):
            gathered = table[self.values].astype(np.float64)
            has = self.lengths > 0
            out[has] = np.add.reduceat(gathered, self.starts[has])
        return out

    def means(self, table: np.ndarray) -> np.ndarray:
        return self.sums(table) / np.maximum(self.lengths, 1)


class Pieces:
    """Word-piece ids of words (the installed MiniLM's tokenizer.json), memoised per word."""

    def __init__(self) -> None:
        self._tok: Any = None
        self._cache: dict[str, list[int]] = {}
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._tok is None:
                from ..embedding.minilm import tokenizer

                self._tok = tokenizer(None)
        return self._tok

    def ids(self, words: Sequence[str]) -> list[list[int]]:
        tok = self._tok or self._load()
        out = []
        for w in words:
            key = w.lower()
            got = self._cache.get(key)
            if got is None:
                got = tok.encode(key, add_special_tokens=False).ids
                if len(self._cache) < 500_000:
                    self._cache[key] = got
            out.append(got)
        return out


def piece_means(scores: np.ndarray, ids: list[list[int]]) -> np.ndarray:
    """Per word: the mean of its pieces' entries of ``scores`` (0 for a word with none)."""
    return Flat.of(ids).means(scores)


@dataclass
class LoadedModel:
    bits: int
    taggers: dict[str, PieceTagger]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LoadedModel:
        bits, n_pieces = int(data["bits"]), int(data["n_pieces"])
        taggers = {
            name: PieceTagger(
                weights=decode_weights(t["weights"], (1 << bits,)),
                piece=decode_weights(t["piece"], (n_pieces,)),
                bias=float(t["bias"]),
                threshold=float(t["threshold"]),
                seed=float(t["seed"]),
                gap=int(t["gap"]),
                trim=float(t["trim"]),
            )
            for name, t in data["taggers"].items()
        }
        return cls(bits=bits, taggers=taggers)

    def spans(self, doc: Doc, pieces: Pieces | None = None) -> list[tuple[int, int, str]]:
        """(start, end, technique) of every span the taggers find in ``doc``."""
        if not len(doc):
            return []
        hasher = _hasher(self.bits)
        rows = Flat.of([hasher(f) for f in token_features(doc, sentence_bag=False)])
        ids = Flat.of((pieces or default_pieces()).ids([t.text for t in doc]))
        arr = TokenArrays.from_doc(doc)
        out = []
        for name, t in self.taggers.items():
            p = t.proba(rows, ids)
            for s, e in decode_spans(arr, p, t.threshold, t.gap, t.seed, t.trim):
                out.append((s, e, name))
        return sorted(out)


@lru_cache(maxsize=4)
def _hasher(bits: int) -> Hasher:
    """A process-wide memo of feature hashes (the names recur across articles)."""
    return Hasher(bits)


@lru_cache(maxsize=1)
def default_pieces() -> Pieces:
    return Pieces()


@lru_cache(maxsize=2)
def load_model(path: str | Path = MODEL_PATH) -> LoadedModel:
    """The shipped model (cached: one load per process)."""
    with open(path, encoding="utf-8") as fh:
        return LoadedModel.from_json(json.load(fh))


def loaded_cues(
    doc: Doc, statements: Sequence[Statement] = (), *, model: LoadedModel | None = None
) -> list[Cue]:
    """The taggers' spans as cues (``loaded_language``, ``name_calling``), each in the voice
    of the statement that holds it, if any."""
    from .terms import containing_statement

    text = doc_text(doc)
    return [
        Cue(
            CUE_TYPE[tech],
            s,
            e,
            text[s:e],
            technique=tech,
            statement_index=containing_statement(statements, s, e),
            detail={"source": "model"},
        )
        for s, e, tech in (model or load_model()).spans(doc)
    ]
