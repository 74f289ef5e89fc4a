"""Claims: units (statements, narration, headlines) → candidates blocked by shared terms and
stories → clusters → each member's stance (affirm / deny / report) → plain-sentence labels →
topics, written through the store (`run.link_store`). `claimgraph.analyze` and
`claimgraph.present` only read the stored claims.

Modules in data order: `polarity` (parse rules), `stance` (rules and classifier),
`clusters` (propositions, key terms, clustering), `labels`, `topics`, `encoders` (which
sentence encoder, threshold and stance model go together), `caches` (each text parsed and
embedded once per link run), `distributed` (the link step's parsing and stance scoring on an
engine's workers), `run` (the link step)."""

from .clusters import (
    Assignment,
    ClaimCentroid,
    ClaimItem,
    ClusterResult,
    cluster_claims,
    label_claim,
    proposition,
)
from .stance import AFFIRM, DENY, LABELS, REPORT, StanceAnalyzer, StanceResult, stance

__all__ = [
    "AFFIRM",
    "DENY",
    "LABELS",
    "REPORT",
    "Assignment",
    "ClaimCentroid",
    "ClaimItem",
    "ClusterResult",
    "StanceAnalyzer",
    "StanceResult",
    "cluster_claims",
    "label_claim",
    "proposition",
    "stance",
]
