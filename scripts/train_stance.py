"""Train claimgraph's stance classifier on Emergent's training split and ship it as JSON.

    python scripts/train_stance.py [--data ../shared/evaldata/emergent]
                                   [--out src/claimgraph/data/stance_model.json]

Features (see `claimgraph.analyze.stance`): the parse rules' flags and headline cues
(negation and denial over the claim's words, hedges, attribution, overlap with the claim), the
cosine of the MiniLM embeddings of headline and claim, and, as candidates weighed by
cross-validation, the headline's words (in >= --min-df training headlines), the headline's
embedding and its elementwise product with the claim's. What is embedded is each text's
proposition (`claimgraph.link.claims.proposition`), as the claim clustering embeds it: the
link step then embeds a unit once for both. The model is a multinomial logistic
regression (scikit-learn, lbfgs) on standardised features; its coefficients are written as
JSON (no pickle) and applied with numpy at run time.

Model selection uses only the training split: 5-fold cross-validation grouped by claim (the
test claims are unseen, so a fold never shares a claim between its train and held-out parts),
scored with the same decision the library makes (rules first, then the classifier). The test
split is never read. Everything is deterministic: fixed folds, lbfgs, no sampling.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from claimgraph.analyze.stance import (  # noqa: E402
    LinearModel,
    StanceAnalyzer,
    bow_tokens,
    decide,
    feature_matrix,
)
from claimgraph.eval.emergent import load  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "evaldata" / "emergent"
DEFAULT_OUT = ROOT / "src" / "claimgraph" / "data" / "stance_model.json"
# Candidate feature sets: block -> weight. A block's standardised columns are multiplied by its
# weight, so a low weight regularises a wide block (384 embedding columns) harder than the
# two dozen rule features under one C.
BLOCK_SETS = {
    "rules+cos": {"rules": 1.0, "cos": 1.0},
    "rules+cos+bow/0.1": {"rules": 1.0, "cos": 1.0, "bow": 0.1},
    "rules+cos+emb/0.03": {"rules": 1.0, "cos": 1.0, "emb": 0.03},
    "rules+cos+emb/0.1": {"rules": 1.0, "cos": 1.0, "emb": 0.1},
    "rules+cos+emb+prod/0.03": {"rules": 1.0, "cos": 1.0, "emb": 0.03, "prod": 0.03},
    "rules+cos+emb+prod/0.1": {"rules": 1.0, "cos": 1.0, "emb": 0.1, "prod": 0.1},
}
CS = (0.03, 0.1, 0.3)
CLASS_WEIGHTS = (None, "balanced")


def column_weights(weights, n_rules, vocab, emb_dim=384):
    """One weight per column, in `feature_matrix`'s block order."""
    out = []
    for block in ("rules", "bow", "emb", "prod", "cos"):
        if block in weights:
            width = {
                "rules": n_rules,
                "bow": len(vocab),
                "emb": emb_dim,
                "prod": emb_dim,
                "cos": 1,
            }[block]
            out.append(np.full(width, weights[block]))
    return np.concatenate(out)


def featurize(rows, analyzer):
    texts = [r.headline for r in rows]
    claims = sorted({r.claim for r in rows})
    docs = analyzer.parse(texts)
    cdocs = dict(zip(claims, analyzer.parse(claims), strict=True))
    pols, selfs, cpols, rules = analyzer.rule_rows(docs, [cdocs[r.claim] for r in rows])
    emb_t = analyzer.vectors(docs)  # the propositions' embeddings, as at run time
    emb_u = analyzer.vectors([cdocs[c] for c in claims])
    row_of = {c: i for i, c in enumerate(claims)}
    emb_c = emb_u[[row_of[r.claim] for r in rows]]
    bows = [bow_tokens(d) for d in docs]
    return {
        "rules": rules,
        "bows": bows,
        "emb_t": emb_t,
        "emb_c": emb_c,
        "pols": pols,
        "selfs": selfs,
        "cpols": cpols,
    }


def build_vocab(bows, min_df):
    df = Counter(w for b in bows for w in b)
    return sorted(w for w, c in df.items() if c >= min_df)


def fit(x, y, c, class_weight, labels, col_weights):
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    scale = scale / col_weights
    clf = LogisticRegression(C=c, class_weight=class_weight, max_iter=5000, tol=1e-6)
    clf.fit((x - mean) / scale, y)
    order = [list(clf.classes_).index(lab) for lab in labels]
    return mean, scale, clf.coef_[order], clf.intercept_[order]


def predict_labels(model, x, feats, idx):
    probs = model.predict_proba(x)
    return [
        decide(feats["pols"][i], feats["selfs"][i], feats["cpols"][i], p, model.labels, None).label
        for i, p in zip(idx, probs, strict=True)
    ]


def cross_validate(rows, feats, labels, min_df, folds=5):
    from sklearn.model_selection import GroupKFold

    y = np.array([r.label for r in rows])
    groups = np.array([r.claim_id for r in rows])
    splits = list(GroupKFold(n_splits=folds).split(np.zeros(len(rows)), y, groups))
    results = []
    n_rules = feats["rules"].shape[1]
    for (name, weights), c, cw in itertools.product(BLOCK_SETS.items(), CS, CLASS_WEIGHTS):
        correct = correct_clf = 0
        blocks = list(weights)
        for tr, te in splits:
            vocab = build_vocab([feats["bows"][i] for i in tr], min_df) if "bow" in weights else []
            x = feature_matrix(
                feats["rules"], feats["bows"], feats["emb_t"], feats["emb_c"], vocab, blocks
            )
            colw = column_weights(weights, n_rules, vocab, feats["emb_t"].shape[1])
            mean, scale, coef, icpt = fit(x[tr], y[tr], c, cw, labels, colw)
            model = LinearModel(labels, vocab, list(blocks), mean, scale, coef, icpt)
            pred = predict_labels(model, x[te], feats, te)
            correct += sum(p == g for p, g in zip(pred, y[te], strict=True))
            clf_only = np.array(labels)[model.predict_proba(x[te]).argmax(axis=1)]
            correct_clf += int((clf_only == y[te]).sum())
        acc, acc_clf = correct / len(rows), correct_clf / len(rows)
        results.append(
            {
                "blocks": name,
                "C": c,
                "class_weight": cw,
                "cv_accuracy": acc,
                "cv_accuracy_classifier_only": acc_clf,
            }
        )
        print(
            f"  {name:<26} C={c:<6} cw={cw!s:<8} cv acc {acc:.4f} (classifier only {acc_clf:.4f})",
            flush=True,
        )
    return results


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--min-df", type=int, default=3)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2, help="onnxruntime threads")
    ap.add_argument(
        "--embedder",
        choices=("minilm", "static"),
        default="minilm",
        help="static: the experimental encoder distilled from MiniLM (claimgraph.link.static)",
    )
    args = ap.parse_args(argv)

    import sklearn

    from claimgraph.link.embed import MODEL_ID, Embedder

    t0 = time.perf_counter()
    rows = load(args.data, "train")
    labels = ["affirm", "deny", "report"]
    print(
        f"Emergent train: {len(rows)} headlines, {len({r.claim_id for r in rows})} claims, "
        f"{dict(Counter(r.label for r in rows))}",
        flush=True,
    )
    if args.embedder == "static":
        from claimgraph.link.static import StaticEmbedder, recipe_name

        embedder, embedding_model = StaticEmbedder(), f"static-minilm-{recipe_name()}"
    else:
        embedder, embedding_model = Embedder(threads=args.threads), MODEL_ID
    analyzer = StanceAnalyzer(model=False, embedder=embedder)
    feats = featurize(rows, analyzer)
    print(f"features in {time.perf_counter() - t0:.1f} s; cross-validating", flush=True)
    results = cross_validate(rows, feats, labels, args.min_df, args.folds)
    best = max(results, key=lambda r: (r["cv_accuracy"], -r["C"]))
    print(f"best: {best}", flush=True)

    y = np.array([r.label for r in rows])
    weights = BLOCK_SETS[best["blocks"]]
    blocks = list(weights)
    vocab = build_vocab(feats["bows"], args.min_df) if "bow" in weights else []
    x = feature_matrix(feats["rules"], feats["bows"], feats["emb_t"], feats["emb_c"], vocab, blocks)
    colw = column_weights(weights, feats["rules"].shape[1], vocab, feats["emb_t"].shape[1])
    mean, scale, coef, icpt = fit(x, y, best["C"], best["class_weight"], labels, colw)
    meta = {
        "trained_on": "Emergent url-versions-2015-06-14-clean.csv, train split of split.DERIVED.csv",
        "n_train": len(rows),
        "embedding_model": embedding_model,
        "embedding_input": "proposition (claimgraph.link.claims.proposition)",
        "blocks": best["blocks"],
        "block_weights": weights,
        "min_df": args.min_df if "bow" in weights else None,
        "C": best["C"],
        "class_weight": best["class_weight"],
        "cv": f"{args.folds}-fold GroupKFold by claimId",
        "cv_accuracy": round(best["cv_accuracy"], 4),
        "cv_accuracy_classifier_only": round(best["cv_accuracy_classifier_only"], 4),
        "scikit_learn": sklearn.__version__,
        "command": "python scripts/train_stance.py"
        + ("" if args.embedder == "minilm" else f" --embedder {args.embedder}"),
    }
    model = LinearModel(labels, vocab, list(blocks), mean, scale, coef, icpt, meta)
    train_acc = np.mean(np.array(predict_labels(model, x, feats, range(len(rows)))) == y)
    model.meta["train_accuracy"] = round(float(train_acc), 4)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model.to_json(), separators=(",", ":")) + "\n", encoding="utf-8")
    size = args.out.stat().st_size
    print(
        f"wrote {args.out} ({size / 1024:.0f} KiB), train accuracy {train_acc:.4f}, "
        f"{time.perf_counter() - t0:.0f} s",
        flush=True,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
