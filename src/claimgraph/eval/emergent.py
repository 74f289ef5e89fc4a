"""Emergent stance scorer (Ferreira & Vlachos, NAACL 2016).

Emergent pairs a claim with news-article headlines, each labelled for, against or observing
the claim: claimgraph's affirm, deny and report. The paper's test split (524 headlines, 60
claims that no training row shares) is given by ``split.DERIVED.csv``; the paper reports
accuracy 0.7328 (F1 for 0.789, against 0.757, observing 0.623).

Layout read by `load` (``data_dir`` is the ``emergent/`` folder or the folder holding it)::

    url-versions-2015-06-14-clean.csv   id, claimHeadline, articleHeadline,
                                        articleHeadlineStance, articleId, claimId
    split.DERIVED.csv                   id, claimId, articleId, split (train | test)

Metrics: accuracy, per-class precision/recall/F1 and macro-F1 over affirm/deny/report, and the
confusion matrix (gold rows, predicted columns).
"""

from __future__ import annotations

import csv
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..claims.stance import EMERGENT_LABELS, LABELS
from ..errors import UsageError

if TYPE_CHECKING:
    from ..claims.stance import StanceAnalyzer

UUID_EPOCH = datetime(1582, 10, 15)  # version-1 UUIDs count 100 ns from the Gregorian reform
DATA_FILE = "url-versions-2015-06-14-clean.csv"
SPLIT_FILE = "split.DERIVED.csv"
PUBLISHED_ACCURACY = 0.7328
PUBLISHED_F1 = {"affirm": 0.789, "deny": 0.757, "report": 0.623}
PUBLISHED = {"accuracy": PUBLISHED_ACCURACY, "f1": PUBLISHED_F1}


@dataclass(frozen=True)
class EmergentRow:
    id: str
    claim_id: str
    article_id: str
    claim: str
    headline: str
    label: str  # affirm | deny | report
    split: str  # train | test
    # the day Emergent recorded the article, read from its version-1 (time-based) UUID
    # (`recorded_day`); None for another kind of id
    day: int | None = None


def find_dir(data_dir: str | Path) -> Path:
    """The folder that holds Emergent's CSV files (``data_dir`` or ``data_dir/emergent``)."""
    base = Path(data_dir)
    for cand in (base, base / "emergent"):
        if (cand / DATA_FILE).is_file():
            return cand
    raise UsageError(f"{base} holds no {DATA_FILE}; pass the evaldata/emergent folder")


def recorded_day(article_id: str) -> int | None:
    """The day (proleptic Gregorian ordinal) a version-1 UUID was made: Emergent's article
    ids are time-based, made when the article was recorded, close to its publication."""
    try:
        u = uuid.UUID(article_id)
    except ValueError:
        return None
    if u.version != 1:
        return None
    return (UUID_EPOCH + timedelta(microseconds=u.time // 10)).toordinal()


def load(data_dir: str | Path, split: str | None = None) -> list[EmergentRow]:
    """Emergent's rows with their split; only ``split`` ("train" or "test") when given."""
    folder = find_dir(data_dir)
    split_path = folder / SPLIT_FILE
    if not split_path.is_file():
        raise UsageError(f"{split_path} is missing: it gives the paper's train/test split")
    with split_path.open(encoding="utf-8", newline="") as fh:
        split_of = {r["id"]: r["split"] for r in csv.DictReader(fh)}
    rows = []
    with (folder / DATA_FILE).open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            stance = r["articleHeadlineStance"].strip()
            if stance not in EMERGENT_LABELS:
                raise UsageError(f"{DATA_FILE} row {r['id']}: unknown stance {stance!r}")
            if r["id"] not in split_of:
                raise UsageError(f"{SPLIT_FILE} has no row id {r['id']}; is it the right file?")
            row = EmergentRow(
                id=r["id"],
                claim_id=r["claimId"],
                article_id=r["articleId"],
                claim=r["claimHeadline"].strip(),
                headline=r["articleHeadline"].strip(),
                label=EMERGENT_LABELS[stance],
                split=split_of[r["id"]],
                day=recorded_day(r["articleId"]),
            )
            if split is None or row.split == split:
                rows.append(row)
    return rows


def score(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Accuracy, per-class P/R/F1, macro-F1 and confusion of two label sequences."""
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    n = len(gold)
    confusion = Counter(zip(gold, pred, strict=True))
    per_class = {}
    for lab in LABELS:
        tp = confusion[(lab, lab)]
        n_pred = sum(p == lab for p in pred)
        n_gold = sum(g == lab for g in gold)
        prec = tp / n_pred if n_pred else 0.0
        rec = tp / n_gold if n_gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per_class[lab] = {"precision": prec, "recall": rec, "f1": f1, "support": n_gold}
    correct = sum(confusion[(lab, lab)] for lab in LABELS)
    return {
        "n": n,
        "accuracy": correct / n if n else 0.0,
        "per_class": per_class,
        "macro_f1": sum(c["f1"] for c in per_class.values()) / len(LABELS),
        "confusion": {g: {p: confusion[(g, p)] for p in LABELS} for g in LABELS},
    }


def evaluate(
    data_dir: str | Path,
    *,
    split: str = "test",
    analyzer: StanceAnalyzer | None = None,
    encoder: str | None = None,
) -> dict[str, Any]:
    """Score claimgraph's stance on Emergent's ``split`` (the paper's test split by default).
    ``encoder`` (`claimgraph.claims.encoders`) scores that encoder with its own stance model
    (unless ``analyzer`` is passed); the default analyzer uses minilm."""
    from ..claims import encoders
    from ..claims.stance import StanceAnalyzer, default_analyzer

    enc = encoders.get(encoder)
    rows = load(data_dir, split)
    if not rows:
        raise UsageError(f"Emergent has no {split!r} rows in {data_dir}")
    if analyzer is None:
        is_default = enc.name == encoders.DEFAULT
        analyzer = default_analyzer() if is_default else StanceAnalyzer(encoder=enc.name)
    t0 = time.perf_counter()
    results = analyzer.predict([r.headline for r in rows], [r.claim for r in rows])
    elapsed = time.perf_counter() - t0
    out = score([r.label for r in rows], [res.label for res in results])
    model = analyzer.model
    out.update(
        split=split,
        claims=len({r.claim_id for r in rows}),
        seconds=round(elapsed, 2),
        model=model.meta if model is not None else None,
        published=PUBLISHED,
    )
    return out


def format_report(result: dict[str, Any]) -> str:
    """A plain-text report of `evaluate`'s result."""
    lines = [
        f"Emergent stance, {result.get('split', '?')} split: {result['n']} headlines"
        + (f", {result['claims']} claims" if "claims" in result else ""),
        f"accuracy  {result['accuracy']:.4f}   macro-F1 {result['macro_f1']:.4f}"
        + (f"   (published {PUBLISHED_ACCURACY:.4f})" if result.get("published") else ""),
        f"{'class':<8} {'P':>6} {'R':>6} {'F1':>6} {'pub F1':>7} {'n':>5}",
    ]
    for lab, c in result["per_class"].items():
        pub = PUBLISHED_F1.get(lab)
        lines.append(
            f"{lab:<8} {c['precision']:>6.3f} {c['recall']:>6.3f} {c['f1']:>6.3f} "
            f"{pub if pub is not None else float('nan'):>7.3f} {c['support']:>5}"
        )
    lines.append("confusion (rows gold, columns predicted): " + " ".join(LABELS))
    for g, row in result["confusion"].items():
        lines.append(f"  {g:<8} " + " ".join(f"{row[p]:>6}" for p in LABELS))
    if result.get("seconds") is not None:
        lines.append(f"time {result['seconds']} s")
    return "\n".join(lines)
