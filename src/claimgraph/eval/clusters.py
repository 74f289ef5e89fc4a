"""Claim clustering scored on Emergent (Ferreira & Vlachos, NAACL 2016).

Emergent gives, for each of 300 claims, the headlines of the news articles that reported it
(2,595 headlines): for it, against it, or only observing it. That is the grouping claimgraph's
link step is meant to find across outlets: an assertion and its denials in one claim
(`claimgraph.claims.clusters`). So the scorer runs `cluster_claims` over the headlines of a split
(each headline its own article, no speaker), exactly as the link step runs it over one batch
of units, and compares the clusters with Emergent's claims:

* **B-cubed** precision / recall / F1 (Bagga & Baldwin 1998): for each headline, the share of
  its cluster that belongs to its claim (precision) and the share of its claim that is in its
  cluster (recall), averaged over headlines. A clustering of singletons has precision 1.0,
  one cluster of everything has recall 1.0.
* **pairwise** precision / recall / F1 over headline pairs placed together;
* the number of clusters against the number of claims, and how many headlines are alone.

Splits are the paper's (``split.DERIVED.csv``): ``train`` (240 claims, 2,071 headlines) and
``test`` (60 claims, 524 headlines, no claim shared with train). Thresholds were set on the
seeds and the sample corpus, not on either split; ``--threshold`` scores another.

Caveat: every Emergent headline is about one of the claims, while a news corpus also holds
statements about nothing else in it; a threshold that merges well here may merge too much
there (the link step keeps units that join nothing as candidates, not claims).
"""

from __future__ import annotations

import hashlib
import math
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .emergent import load

if TYPE_CHECKING:
    from spacy.language import Language

    from ..embedding.minilm import Embedder


def bcubed(pred: Sequence[str], gold: Sequence[str]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of cluster labels ``pred`` against ``gold`` (one
    label per item, same order)."""
    if len(pred) != len(gold):
        raise ValueError("pred and gold must label the same items")
    if not pred:
        return {"p": 0.0, "r": 0.0, "f1": 0.0}
    both = Counter(zip(pred, gold, strict=True))
    n_pred, n_gold = Counter(pred), Counter(gold)
    p = sum(both[(c, g)] / n_pred[c] for c, g in zip(pred, gold, strict=True)) / len(pred)
    r = sum(both[(c, g)] / n_gold[g] for c, g in zip(pred, gold, strict=True)) / len(pred)
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def pairwise(pred: Sequence[str], gold: Sequence[str]) -> dict[str, float]:
    """Precision, recall and F1 over the pairs of items each labelling puts together."""

    def pairs(counts: Counter[Any]) -> int:
        return sum(k * (k - 1) // 2 for k in counts.values())

    together = pairs(Counter(zip(pred, gold, strict=True)))
    in_pred, in_gold = pairs(Counter(pred)), pairs(Counter(gold))
    p = together / in_pred if in_pred else 1.0
    r = together / in_gold if in_gold else 1.0
    return {"p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score(pred: Sequence[str], gold: Sequence[str]) -> dict[str, Any]:
    """Every clustering figure of the module docstring for one labelling."""
    sizes = Counter(pred)
    return {
        "n_items": len(gold),
        "n_claims": len(set(gold)),
        "n_clusters": len(sizes),
        "n_alone": sum(1 for c in pred if sizes[c] == 1),
        "bcubed": bcubed(pred, gold),
        "pairwise": pairwise(pred, gold),
    }


def cluster_headlines(
    rows: Sequence[Any],
    threshold: float,
    nlp: Language | None = None,
    embedder: Embedder | None = None,
    batches: int = 1,
) -> list[str]:
    """The claim `cluster_claims` gives each row's headline, in row order.

    With ``batches`` > 1 the headlines are linked as a store grows: in that many batches of a
    fixed pseudo-random order (a hash of the row id), each into the claims the batches before
    it made (`cluster_claims(existing=...)`, as `claimgraph link` adds articles)."""
    from ..claims.clusters import ClaimCentroid, ClaimItem, cluster_claims

    if batches < 1:
        raise ValueError("batches must be >= 1")
    order = sorted(rows, key=lambda r: hashlib.sha1(str(r.id).encode("utf-8")).hexdigest())
    size = max(1, math.ceil(len(order) / batches))
    existing: list[ClaimCentroid] = []
    claim_of: dict[str, str] = {}
    for lo in range(0, len(order), size):
        items = [
            ClaimItem(r.id, r.headline, r.article_id, None, day=getattr(r, "day", None))
            for r in order[lo : lo + size]
        ]
        result = cluster_claims(
            items, existing=existing, threshold=threshold, nlp=nlp, embedder=embedder
        )
        existing = result.centroids
        claim_of.update((a.key, a.claim_id) for a in result.assignments)
    return [claim_of[r.id] for r in rows]


def evaluate(
    data_dir: str | Path,
    split: str = "test",
    *,
    thresholds: Sequence[float] | None = None,
    nlp: Language | None = None,
    embedder: Embedder | None = None,
    encoder: str | None = None,
    batches: int = 1,
) -> dict[str, Any]:
    """Cluster the headlines of ``split`` at each threshold (the link step's by default) and
    score the clusters against Emergent's claims (linked in ``batches``, see
    `cluster_headlines`). ``encoder`` (`claimgraph.claims.encoders`,
    minilm by default) gives the embedder, unless ``embedder`` is passed, and the default
    threshold."""
    from ..claims import encoders
    from ..claims.run import EmbedCache

    enc = encoders.get(encoder)
    if nlp is None:
        from ..extract.run import load_pipeline

        nlp = load_pipeline()
    if embedder is None:
        embedder = enc.embedder()
    cache = EmbedCache(embedder)  # each headline is embedded once across thresholds
    rows = load(data_dir, None if split == "all" else split)
    gold = [r.claim_id for r in rows]
    started = time.perf_counter()
    runs = []
    for t in thresholds or [enc.threshold]:
        pred = cluster_headlines(rows, t, nlp=nlp, embedder=cache, batches=batches)  # type: ignore[arg-type]
        runs.append({"threshold": t, **score(pred, gold)})
    return {
        "split": split,
        "encoder": enc.name,
        "batches": batches,
        "default_threshold": enc.threshold,
        "runs": runs,
        "seconds": time.perf_counter() - started,
    }


def _encoder_note(metrics: dict[str, Any]) -> str:
    """ " with the static encoder", or nothing for the default one (its report unchanged)."""
    name = metrics.get("encoder", "minilm")
    return "" if name == "minilm" else f" with the {name} encoder"


def _batches_note(metrics: dict[str, Any]) -> str:
    n = metrics.get("batches", 1)
    return f" in {n} batches, each into the claims before it" if n > 1 else ""


def format_report(metrics: dict[str, Any]) -> str:
    """The figures as a small text table, one line per threshold."""
    runs = metrics["runs"]
    head = runs[0] if runs else {"n_items": 0, "n_claims": 0}
    lines = [
        f"Emergent {metrics['split']}: {head['n_items']} headlines of {head['n_claims']} claims, "
        f"clustered by claimgraph's link step{_encoder_note(metrics)}{_batches_note(metrics)} "
        f"({metrics['seconds']:.1f} s)",
        "",
        f"{'threshold':>9}  {'clusters':>8}  {'alone':>5}  "
        f"{'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}  {'pair P':>6} {'pair R':>6} {'pair F1':>7}",
    ]
    for r in runs:
        b, pw = r["bcubed"], r["pairwise"]
        mark = " *" if r["threshold"] == metrics["default_threshold"] else ""
        lines.append(
            f"{r['threshold']:>9.2f}  {r['n_clusters']:>8}  {r['n_alone']:>5}  "
            f"{100 * b['p']:6.1f} {100 * b['r']:6.1f} {100 * b['f1']:6.1f}  "
            f"{100 * pw['p']:6.1f} {100 * pw['r']:6.1f} {100 * pw['f1']:7.1f}{mark}"
        )
    lines.append("")
    if metrics.get("encoder", "minilm") == "minilm":
        lines.append("* the link step's threshold (claimgraph.claims.clusters.THRESHOLD)")
    else:
        lines.append(
            f"* the link step's threshold with --encoder {metrics['encoder']}"
            " (claimgraph.claims.encoders)"
        )
    return "\n".join(lines)
