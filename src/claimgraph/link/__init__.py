"""Linking across articles: sentence embeddings and claims (clusters of statements that
assert or deny the same proposition)."""

from .claims import (
    Assignment,
    ClaimCentroid,
    ClaimItem,
    ClusterResult,
    cluster_claims,
    label_claim,
    proposition,
)
from .embed import Embedder, default_embedder

__all__ = [
    "Assignment",
    "ClaimCentroid",
    "ClaimItem",
    "ClusterResult",
    "Embedder",
    "cluster_claims",
    "default_embedder",
    "label_claim",
    "proposition",
]
