"""Character-span matching for span-level evaluation.

A *span* here is a tuple of ``(start, end)`` fragments (end exclusive), so a discontinuous gold
span ("A," he said, "B.") is one span of two fragments. Everything is measured in characters
of the fragments' union: ``size(s)`` is the number of characters the span covers and
``intersection(p, g)`` the number of characters two spans share.

Overlap of a prediction ``p`` and a gold span ``g``::

    overlap(p, g) = |p ∩ g| / max(|p|, |g|)

It is symmetric, 1.0 only for identical character sets, and at a threshold ``t`` it demands
that the shared characters cover at least ``t`` of *both* spans (of the longer one, hence of
the shorter one too): a long prediction that swallows a short gold span does not match, and
nor does a fragment of a long gold span. ``any_overlap`` (``|p ∩ g| > 0``) is the lenient
figure.

Matching is one-to-one: every pair at or above the threshold is a candidate, candidates are
taken greedily by decreasing overlap (ties: earlier gold, then earlier prediction), and a
prediction or gold span once matched is not matched again. Precision is matches / predictions,
recall is matches / gold spans.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Fragment = tuple[int, int]
Span = tuple[Fragment, ...]


def normalize(fragments: Iterable[Fragment]) -> Span:
    """Sort fragments, drop empty ones and merge those that touch or overlap."""
    out: list[list[int]] = []
    for start, end in sorted(fragments):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return tuple((s, e) for s, e in out)


def size(span: Span) -> int:
    """Characters covered by ``span`` (its fragments must not overlap: see `normalize`)."""
    return sum(end - start for start, end in span)


def intersection(a: Span, b: Span) -> int:
    """Characters shared by two normalized spans."""
    i = j = shared = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if hi > lo:
            shared += hi - lo
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return shared


def overlap(pred: Span, gold: Span) -> float:
    """``|pred ∩ gold| / max(|pred|, |gold|)``; 0.0 when both are empty."""
    longest = max(size(pred), size(gold))
    return intersection(pred, gold) / longest if longest else 0.0


@dataclass(frozen=True)
class Match:
    pred: int  # index into the predictions
    gold: int  # index into the gold spans
    overlap: float


def match(preds: Sequence[Span], golds: Sequence[Span], threshold: float | None) -> list[Match]:
    """One-to-one greedy matching of ``preds`` to ``golds``.

    ``threshold=None`` is the lenient criterion: any shared character is a candidate. Otherwise
    a pair is a candidate when ``overlap >= threshold``.
    """
    candidates: list[Match] = []
    for gi, g in enumerate(golds):
        g_lo, g_hi = (g[0][0], g[-1][1]) if g else (0, 0)
        for pi, p in enumerate(preds):
            if not p or not g or p[-1][1] <= g_lo or p[0][0] >= g_hi:
                continue
            shared = intersection(p, g)
            if shared == 0:
                continue
            ov = shared / max(size(p), size(g))
            if threshold is None or ov >= threshold:
                candidates.append(Match(pi, gi, ov))
    candidates.sort(key=lambda m: (-m.overlap, m.gold, m.pred))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out: list[Match] = []
    for m in candidates:
        if m.pred in used_p or m.gold in used_g:
            continue
        used_p.add(m.pred)
        used_g.add(m.gold)
        out.append(m)
    return sorted(out, key=lambda m: m.gold)


def prf(tp_pred: int, n_pred: int, tp_gold: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 as fractions. ``tp_pred`` of ``n_pred`` predictions are correct
    and ``tp_gold`` of ``n_gold`` gold spans are found (equal in plain one-to-one scoring; they
    differ when precision and recall are taken over different subsets). Empty denominators
    give 0.0."""
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f1}
