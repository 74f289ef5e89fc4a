"""A static (non-contextual) sentence encoder distilled from the shipped MiniLM (experimental).

Why: MiniLM costs ~0.25 ms of CPU per word piece, more than spaCy's parse of the same text, and
is most of the link step's cost (docs/benchmarks.md, "Cost of the link step"). A static encoder
(the model2vec recipe: one vector per vocabulary token, a sentence is the mean of its tokens'
rows) costs a tokenisation and a few additions. Nothing on PyPI ships such weights for us, so
they are *derived offline* from the MiniLM already installed (`claimgraph.embedding.minilm`):

1. every WordPiece vocabulary token (special ``[PAD]``/``[UNK]``/``[CLS]``/``[SEP]``/``[MASK]``
   and the 994 ``[unusedN]`` slots skipped: they get zero rows) is run through MiniLM alone as
   ``[CLS] tok [SEP]``; the token's vector is the mean pooling of those three outputs (what
   `Embedder` does for a one-token sentence: ``pooling="mean"``), or the output at the token's
   own position (``pooling="own"``);
2. PCA to ``dim`` dimensions (numpy SVD of the centred rows; each component's sign fixed so its
   largest loading is positive, which makes the table deterministic);
3. each row is multiplied by a weight from the token's vocabulary rank. BERT's uncased vocab is
   roughly frequency-ordered (single characters, then "the", "of", "and", ... then rarer words
   and ``##`` pieces), so the rank stands in for a frequency (Zipf's law) that we have no
   corpus to count. ``weighting="log"`` is model2vec's original ``log(1 + rank)``: a mild
   down-weighting of frequent tokens (about 1.5x between "the" and a rare word);
   ``weighting="sif"`` is the SIF weight ``a / (a + p(rank))`` with Zipf ``p(rank) = 1 /
   (rank * H_N)`` and ``a = 1e-4`` (model2vec's later default), which nearly silences the few
   hundred most frequent tokens. `RECIPE` names the variant chosen on Emergent's *train*
   split (docs/benchmarks.md, claim clustering); the others stay selectable for comparison.

`StaticEmbedder` has `Embedder`'s interface (``encode(texts, batch_size=...)``, ``dim``): it
tokenises with the same tokenizer.json, drops ``[CLS]``/``[SEP]``, averages the rows, removes
the direction all sentences share (`common_direction`) and L2-normalises. The table is
cached as an ``.npy`` under ``$CLAIMGRAPH_CACHE`` (default ``~/.cache/claimgraph``), keyed by
the MiniLM file's sha256 (`MODEL_SHA256`), the recipe and ``dim``; it is built on first use
(about a minute of CPU) and is byte-identical when rebuilt.

The link step uses it with ``--encoder static`` (`claimgraph.claims.encoders`: threshold 0.22 and
a stance model trained on its vectors); MiniLM stays the default.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from .minilm import MODEL_SHA256, Embedder
from .minilm import tokenizer as minilm_tokenizer

RECIPE_VERSION = 1
POOLINGS = ("mean", "own")
WEIGHTINGS = ("log", "sif", "none")
POOLING = "own"
WEIGHTING = "sif"
DIM = 256
SIF_A = 1e-4
DISTILL_BATCH = 256  # one-token sentences per onnxruntime call (768 word pieces)
_SPECIAL = re.compile(r"\[(PAD|UNK|CLS|SEP|MASK|unused\d+)\]")


def recipe_name(pooling: str = POOLING, weighting: str = WEIGHTING) -> str:
    """The cache key's recipe part: version, pooling, weighting."""
    return f"r{RECIPE_VERSION}-{pooling}-{weighting}"


def _vocab(tokenizer: Any) -> list[str]:
    vocab = tokenizer.get_vocab(with_added_tokens=True)
    inv = [""] * (max(vocab.values()) + 1)
    for tok, i in vocab.items():
        inv[i] = tok
    return inv


def kept_ids(tokens: Sequence[str]) -> np.ndarray:
    """Ids of the tokens that get a row: all but the special and ``[unusedN]`` ones."""
    return np.array([i for i, t in enumerate(tokens) if t and not _SPECIAL.fullmatch(t)])


def token_outputs(
    embedder: Embedder, ids: Sequence[int] | np.ndarray, batch: int = DISTILL_BATCH
) -> tuple[np.ndarray, np.ndarray]:
    """MiniLM's outputs for each token id run alone as ``[CLS] tok [SEP]``: (mean pooling over
    the three positions, the token's own position), both float32 of shape (len(ids), 384)."""
    embedder._load()  # the session and tokenizer, loaded as `Embedder.encode` loads them
    session = embedder._session
    cls_id = embedder._tokenizer.token_to_id("[CLS]")
    sep_id = embedder._tokenizer.token_to_id("[SEP]")
    ids = np.asarray(ids, dtype=np.int64)
    hid = int(session.get_outputs()[0].shape[-1] or 384)
    mean = np.zeros((len(ids), hid), dtype=np.float32)
    own = np.zeros((len(ids), hid), dtype=np.float32)
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        inp = np.stack(
            [np.full(len(chunk), cls_id), chunk, np.full(len(chunk), sep_id)], axis=1
        ).astype(np.int64)
        mask = np.ones_like(inp)
        (hidden,) = session.run(
            ["last_hidden_state"],
            {"input_ids": inp, "attention_mask": mask, "token_type_ids": np.zeros_like(inp)},
        )
        mean[start : start + len(chunk)] = hidden.mean(axis=1)
        own[start : start + len(chunk)] = hidden[:, 1]
    return mean, own


def _unit_rows(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    return m / np.clip(norms, 1e-12, None)


def pca(rows: np.ndarray, dim: int) -> np.ndarray:
    """``rows`` (unit-normalised first, as `Embedder` normalises) projected on their first
    ``dim`` principal components, in float64; component signs fixed (largest loading > 0)."""
    x = _unit_rows(rows.astype(np.float64))
    x = x - x.mean(axis=0)
    dim = min(dim, x.shape[1], x.shape[0])
    _, _, vt = np.linalg.svd(x, full_matrices=False)
    comps = vt[:dim]
    signs = np.sign(comps[np.arange(dim), np.abs(comps).argmax(axis=1)])
    comps = comps * np.where(signs == 0, 1.0, signs)[:, None]
    return x @ comps.T


def rank_weights(ranks: np.ndarray, n_vocab: int, weighting: str = WEIGHTING) -> np.ndarray:
    """One weight per row from its 1-based vocabulary rank (see the module docstring)."""
    ranks = np.asarray(ranks, dtype=np.float64)
    if weighting == "log":
        return np.log1p(ranks)
    if weighting == "sif":
        harmonic = math.log(n_vocab) + 0.5772156649
        p = 1.0 / (ranks * harmonic)
        return SIF_A / (SIF_A + p)
    if weighting == "none":
        return np.ones_like(ranks)
    raise ValueError(f"weighting must be one of {WEIGHTINGS}, not {weighting!r}")


def table_from_outputs(
    outputs: np.ndarray,
    ids: np.ndarray,
    ranks: np.ndarray,
    n_tokens: int,
    n_vocab: int,
    dim: int = DIM,
    weighting: str = WEIGHTING,
) -> np.ndarray:
    """The (n_tokens, dim) float32 table: PCA of ``outputs`` (rows of token ``ids``), weighted
    by rank; rows of tokens not in ``ids`` stay zero."""
    reduced = pca(outputs, dim) * rank_weights(ranks, n_vocab, weighting)[:, None]
    table = np.zeros((n_tokens, reduced.shape[1]), dtype=np.float32)
    table[ids] = reduced.astype(np.float32)
    return table


def distill(
    embedder: Embedder,
    dim: int = DIM,
    *,
    pooling: str = POOLING,
    weighting: str = WEIGHTING,
    max_tokens: int | None = None,
    verbose: bool = False,
) -> np.ndarray:
    """The static table (vocab size, ``dim``) float32 derived from ``embedder``'s MiniLM.

    ``max_tokens`` keeps only the first N kept tokens in vocabulary order (the most frequent;
    the others get zero rows): for fast tests, never for real use."""
    if pooling not in POOLINGS:
        raise ValueError(f"pooling must be one of {POOLINGS}, not {pooling!r}")
    rank_weights(np.ones(1), 2, weighting)  # validates ``weighting`` before the minute of work
    started = time.perf_counter()
    embedder._load()
    tokens = _vocab(embedder._tokenizer)
    ids = kept_ids(tokens)
    ranks = np.arange(1, len(ids) + 1)
    n_vocab = len(ids)
    if max_tokens is not None:
        ids, ranks = ids[:max_tokens], ranks[:max_tokens]
    mean, own = token_outputs(embedder, ids)
    table = table_from_outputs(
        mean if pooling == "mean" else own, ids, ranks, len(tokens), n_vocab, dim, weighting
    )
    if verbose:
        print(
            f"distilled {len(ids)} tokens to {table.shape[1]} dims "
            f"({pooling} pooling, {weighting} weighting) in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
    return table


# ---------------------------------------------------------------- the cache


def cache_dir() -> Path:
    """``$CLAIMGRAPH_CACHE`` or ``~/.cache/claimgraph``."""
    env = os.environ.get("CLAIMGRAPH_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "claimgraph"


def table_path(
    folder: Path,
    dim: int = DIM,
    pooling: str = POOLING,
    weighting: str = WEIGHTING,
    max_tokens: int | None = None,
) -> Path:
    """Where a table is cached: keyed by the MiniLM sha256, the recipe and the shape."""
    limit = f"-n{max_tokens}" if max_tokens is not None else ""
    name = f"static-minilm-{MODEL_SHA256[:16]}-{recipe_name(pooling, weighting)}-d{dim}{limit}.npy"
    return folder / name


def load_table(
    *,
    dim: int = DIM,
    pooling: str = POOLING,
    weighting: str = WEIGHTING,
    folder: str | Path | None = None,
    embedder: Embedder | None = None,
    max_tokens: int | None = None,
    verbose: bool = False,
) -> np.ndarray:
    """The cached table, distilled and written (atomically) first when absent."""
    base = Path(folder) if folder is not None else cache_dir()
    path = table_path(base, dim, pooling, weighting, max_tokens)
    if path.is_file():
        try:
            table = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise ModelError(f"{path}: unreadable static table ({exc}); delete it") from exc
        if table.ndim != 2 or table.dtype != np.float32:
            raise ModelError(f"{path}: not a float32 matrix; delete it")
        return table
    table = distill(
        embedder or Embedder(),
        dim,
        pooling=pooling,
        weighting=weighting,
        max_tokens=max_tokens,
        verbose=verbose,
    )
    base.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=base, suffix=".npy.tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, table, allow_pickle=False)
        os.chmod(tmp, 0o644)  # mkstemp makes it 0600; the cache is no secret
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return table


def common_direction(table: np.ndarray) -> np.ndarray:
    """The direction every sentence vector shares: the expected sentence vector under the
    Zipf unigram model the rank weights assume (each row weighted by ``p(rank)``), as a unit
    vector. `StaticEmbedder` removes it from each sentence vector, as SIF removes its
    corpus's first principal component, but with no corpus to estimate it from. Without it
    two unrelated sentences of a corpus are as alike as 0.31 on average (150 PolNeAR
    articles; 0.20 with it; MiniLM 0.14) and the claims grow into topics."""
    n = table.shape[0]
    ranks = np.arange(1, n + 1, dtype=np.float64)
    p = 1.0 / (ranks * (math.log(n) + 0.5772156649))
    mean = p @ table.astype(np.float64)
    norm = float(np.linalg.norm(mean))
    return (mean / norm if norm > 0 else mean).astype(np.float32)


# ---------------------------------------------------------------- the encoder


class StaticEmbedder:
    """`Embedder`'s interface over a static table: L2-normalised mean of the text's word-piece
    rows (no ``[CLS]``/``[SEP]``, no truncation). A text with no known piece gets a zero row.

    ``table`` is used as given; otherwise it is loaded (or built) by `load_table` on the first
    `encode`, with ``dim``, ``pooling``, ``weighting``, ``folder`` and ``max_tokens``."""

    def __init__(
        self,
        table: np.ndarray | None = None,
        *,
        dim: int = DIM,
        pooling: str = POOLING,
        weighting: str = WEIGHTING,
        folder: str | Path | None = None,
        max_tokens: int | None = None,
    ) -> None:
        self._table = table
        self._dim = int(table.shape[1]) if table is not None else dim
        self._opts = {
            "dim": dim,
            "pooling": pooling,
            "weighting": weighting,
            "folder": folder,
            "max_tokens": max_tokens,
        }
        self._tokenizer: Any = None
        self._common = np.zeros(self._dim, dtype=np.float32)
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def table(self) -> np.ndarray:
        self._load()
        assert self._table is not None
        return self._table

    def _load(self) -> None:
        with self._lock:
            if self._tokenizer is not None:
                return
            tokenizer = minilm_tokenizer(None)
            if self._table is None:
                self._table = load_table(**self._opts)  # type: ignore[arg-type]
                self._dim = int(self._table.shape[1])
            if self._table.shape[0] < tokenizer.get_vocab_size():
                raise ModelError("static table has fewer rows than the tokenizer's vocabulary")
            self._common = common_direction(self._table)
            self._tokenizer = tokenizer

    def encode(self, texts: Sequence[str], batch_size: int = 0) -> np.ndarray:
        """Embed ``texts``: an array (len(texts), dim) of unit vectors, float32. ``batch_size``
        is accepted for `Embedder` compatibility and ignored."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of strings, not one string")
        self._load()
        table = self._table
        assert table is not None
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        if not texts:
            return out
        encs = self._tokenizer.encode_batch([t or "" for t in texts], add_special_tokens=False)
        lengths = np.array([len(e.ids) for e in encs])
        flat = np.fromiter((i for e in encs for i in e.ids), dtype=np.int64, count=lengths.sum())
        if flat.size:
            starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
            rows = table[flat]
            nonempty = lengths > 0
            out[nonempty] = np.add.reduceat(rows, starts[nonempty], axis=0)
        out -= np.outer(out @ self._common, self._common)
        return _unit_rows(out).astype(np.float32)
