"""Train the statement model (`claimgraph.extract.confidence`) on PolNeAR's training split and
ship it as JSON.

    python scripts/train_statements.py [--data ../shared/evaldata/polnear]
                                       [--out src/claimgraph/data/statement_model.json]

Every indirect statement (the only kind the model weighs, `confidence.WEIGHED_KINDS`) the
parse rules find in the 840 training articles (`extract_statements` with ``min_confidence=0``)
is labelled by whether it matches a gold attribution at content overlap
0.3, one-to-one, as `claimgraph eval polnear` scores (`claimgraph.eval.spans.match`, the
first annotator of an article listed in metadata.tsv). Features: `confidence.features`. The
model is a binary logistic regression (scikit-learn, lbfgs); its regularisation and the
probability below which a statement is dropped are chosen by 3-fold cross-validation over the
training articles (article i in fold i % 3), for the all-attribution F1 at overlap 0.3 of the
kept statements and every statement of the other kinds, ties to the larger threshold. The dev split is never read. Deterministic:
fixed folds, lbfgs. About 4 minutes on 2 CPUs (most of it parsing).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from claimgraph.eval import polnear as P  # noqa: E402
from claimgraph.eval.spans import match  # noqa: E402
from claimgraph.extract.confidence import WEIGHED_KINDS, StatementModel, features  # noqa: E402
from claimgraph.extract.statements import extract_statements  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CS = (0.1, 0.3, 1.0)
THRESHOLDS = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
FOLDS = 3


def _rows(articles, docs):
    """(article index, statement, features, label) for every weighed statement the rules
    find, and per article the statements of the other kinds (always kept)."""
    rows, kept = [], []
    for ai, (art, doc) in enumerate(zip(articles, docs, strict=True)):
        found = extract_statements(doc, min_confidence=0)
        spans = [P._pred_span(st, art.text) for st in found]
        hit = {m.pred for m in match(spans, [g.content for g in art.attributions], 0.3)}
        rows.extend(
            (ai, st, features(doc, st), int(i in hit))
            for i, st in enumerate(found)
            if st.kind in WEIGHED_KINDS
        )
        kept.append([st for st in found if st.kind not in WEIGHED_KINDS])
    return rows, kept


def _fit(rows, c: float):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    x = vec.fit_transform([r[2] for r in rows])
    y = np.array([r[3] for r in rows])
    clf = LogisticRegression(C=c, max_iter=5000).fit(x, y)
    return vec, clf


def _f1(articles, rows, others, probs, threshold: float) -> float:
    kept: list[list] = [list(sts) for sts in others]
    for (ai, st, _, _), p in zip(rows, probs, strict=True):
        if p >= threshold:
            kept[ai].append(st)
    return P.score(articles, kept)["overlap_0.3"]["all"]["f1"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "evaldata" / "polnear"))
    ap.add_argument(
        "--out", default=str(REPO / "src" / "claimgraph" / "data" / "statement_model.json")
    )
    args = ap.parse_args(argv)

    t0 = time.time()
    articles = P.load_split(args.data, "train")
    nlp = P.load_model()
    docs = list(nlp.pipe((a.text for a in articles), batch_size=8))
    rows, others = _rows(articles, docs)
    print(
        f"{len(articles)} articles, {len(rows)} indirect statements, {sum(r[3] for r in rows)} match"
        f" gold ({time.time() - t0:.0f} s)",
        flush=True,
    )

    folds = np.array([r[0] % FOLDS for r in rows])
    base = _f1(articles, rows, others, np.ones(len(rows)), 0.0)
    best = (base, 0.0, CS[0])
    for c in CS:
        probs = np.zeros(len(rows))
        for k in range(FOLDS):
            train = [r for r, f in zip(rows, folds, strict=True) if f != k]
            held = [r for r, f in zip(rows, folds, strict=True) if f == k]
            vec, clf = _fit(train, c)
            probs[folds == k] = clf.predict_proba(vec.transform([r[2] for r in held]))[:, 1]
        for th in THRESHOLDS:
            f1 = _f1(articles, rows, others, probs, th)
            print(f"C={c} threshold={th}: CV F1@0.3 {100 * f1:.2f}", flush=True)
            if (f1, th) > (best[0], best[1]):
                best = (f1, th, c)
    f1, threshold, c = best
    vec, clf = _fit(rows, c)
    weights = {
        name: round(float(w), 6)
        for name, w in zip(vec.get_feature_names_out(), clf.coef_[0], strict=True)
        if abs(w) >= 1e-6
    }
    model = StatementModel(
        weights=weights,
        intercept=round(float(clf.intercept_[0]), 6),
        threshold=threshold,
        meta={
            "trained_on": "PolNeAR v1.0.0 train (840 articles): its indirect statements,"
            " matched at overlap 0.3",
            "command": "python scripts/train_statements.py",
            "C": c,
            "cv_f1_at_0.3": round(100 * f1, 2),
            "cv_f1_at_0.3_without_model": round(100 * base, 2),
            "n_statements": len(rows),
        },
    )
    Path(args.out).write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    print(
        f"C={c}, threshold {threshold}: CV F1@0.3 {100 * f1:.2f} (rules alone"
        f" {100 * base:.2f}); {len(weights)} weights -> {args.out}",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
