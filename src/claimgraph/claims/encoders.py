"""The sentence encoders the link step can use (``--encoder``), and what goes with each.

Why a registry: an encoder is not only an embedder. The clustering threshold was chosen for
one encoder's similarity scale, and the stance classifier was trained on one encoder's
vectors; mixing them gives wrong claims (or a numpy shape error). So one name picks all three:

* ``minilm`` (default): all-MiniLM-L6-v2, int8 ONNX (`claimgraph.embedding.minilm`), 384 dims,
  threshold 0.26 (set on the seeds and the sample corpus), ``data/stance_model.json``.
* ``static``: the static table distilled from that MiniLM (`claimgraph.embedding.static`), 256
  dims, threshold 0.22 (best B-cubed F1 on Emergent's *train* split), the stance model
  ``data/stance_model_static.json`` (``scripts/train_stance.py --embedder static``). About 80x
  cheaper to encode than MiniLM; Emergent stance accuracy equal, claim clustering B-cubed F1
  a few points lower (docs/benchmarks.md).

Stores record no encoder (no schema change): claims and candidates keep their centroid
vectors, whose width tells which encoder made them: without ``--encoder`` a store is linked
with that one (`for_store`), and another one named is refused (`check_store`). Both encoders must
therefore have different widths, which `_check_registry` asserts at import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import UsageError

if TYPE_CHECKING:
    from ..store import Store

DEFAULT = "minilm"


def _minilm() -> Any:
    from ..embedding.minilm import default_embedder

    return default_embedder()


@lru_cache(maxsize=1)
def _static() -> Any:
    from ..embedding.static import StaticEmbedder

    return StaticEmbedder()  # the table loads (or is built and cached) on the first encode


@dataclass(frozen=True)
class Encoder:
    """One ``--encoder`` choice: its embedder, width, clustering threshold and stance model."""

    name: str
    dim: int  # width of its vectors (and of the centroids it stores)
    threshold: float  # `claimgraph.claims.clusters.cluster_claims`'s threshold for it
    stance_resource: str  # package resource of its stance model (under claimgraph/)
    factory: Callable[[], Any]  # a process-wide shared embedder
    description: str
    cross_stance: bool = False  # the stance cross-encoder (claimgraph.claims.cross) runs too

    def embedder(self) -> Any:
        """The shared embedder (loads its model lazily, on the first encode)."""
        return self.factory()


def _registry() -> dict[str, Encoder]:
    from ..embedding.minilm import DIM as MINILM_DIM
    from ..embedding.static import DIM as STATIC_DIM
    from .clusters import THRESHOLD

    return {
        "minilm": Encoder(
            "minilm",
            MINILM_DIM,
            THRESHOLD,
            "data/stance_model.json",
            _minilm,
            "all-MiniLM-L6-v2 (int8 ONNX): the default",
            cross_stance=True,
        ),
        "static": Encoder(
            "static",
            STATIC_DIM,
            0.22,
            "data/stance_model_static.json",
            _static,
            "static table distilled from MiniLM: ~80x cheaper, clustering a little weaker",
        ),
    }


ENCODERS: dict[str, Encoder] = _registry()
NAMES: tuple[str, ...] = tuple(ENCODERS)


def _check_registry() -> None:
    dims = [e.dim for e in ENCODERS.values()]
    if len(set(dims)) != len(dims):  # `check_store` tells encoders apart by width
        raise AssertionError("encoders must differ in width")


_check_registry()


def get(name: str | Encoder | None = None) -> Encoder:
    """The encoder called ``name`` (the default for None); UsageError for an unknown one."""
    if isinstance(name, Encoder):
        return name
    key = DEFAULT if name is None else name
    try:
        return ENCODERS[key]
    except KeyError:
        raise UsageError(f"unknown encoder {name!r}; choose one of {', '.join(NAMES)}") from None


def name_of_dim(dim: int) -> str:
    """The encoder whose vectors are ``dim`` wide, as words for a message."""
    for e in ENCODERS.values():
        if e.dim == dim:
            return e.name
    return f"an unknown encoder ({dim} dimensions)"


def stored_dim(store: Store) -> int | None:
    """The width of the stored centroids (the first claim's, else the first candidate's);
    None when the store holds neither."""
    for rows in (store.claim_centroids(), store.claim_candidates()):
        row = next(iter(rows), None)
        close = getattr(rows, "close", None)
        if close is not None:
            close()  # end the generator (and its cursor) now
        if row is not None and row.get("centroid") is not None:
            return len(row["centroid"]) // 4  # float32 bytes
    return None


def for_store(store: Store, encoder: str | Encoder | None) -> Encoder:
    """The encoder to link ``store`` with: ``encoder`` when given, else the one its stored
    claims were made with (a store remembers its encoder through their width), else the
    default. Checking a given one against the store is `check_store`'s."""
    if encoder is not None:
        return get(encoder)
    dim = stored_dim(store)
    return next((e for e in ENCODERS.values() if e.dim == dim), get(None))


def check_store(store: Store, encoder: str | Encoder | None, *, fix: str | None = None) -> None:
    """Refuse to link into a store whose claims were made by another encoder: their vectors
    live in another space (and width), so new units could never be compared with them.
    ``fix`` replaces the suggested way out (default: relink everything with this encoder);
    ``{other}`` and ``{name}`` in it stand for the stored claims' encoder and this one."""
    enc = get(encoder)
    dim = stored_dim(store)
    if dim is None or dim == enc.dim:
        return
    other = name_of_dim(dim)
    known = other in ENCODERS
    made_by = f"the {other} encoder" if known else other
    if fix and known:
        hint = fix.format(other=other, name=enc.name)
    else:
        hint = f"relink the whole store with 'claimgraph link --full --encoder {enc.name}'"
        if known:
            hint += f", or keep using --encoder {other}"
    raise UsageError(
        f"the stored claims were made with {made_by}, not {enc.name} "
        f"({dim}-dimensional centroids; {enc.name} gives {enc.dim}): {hint}"
    )
